//! The write path: a results message or a game is validated fully against the definition, then
//! replaces its unit's results in one step that cannot fail half-way; every change is audited.

use std::collections::{BTreeMap, BTreeSet};

use super::EventState;
use crate::audit::{AppliedChange, ApplyContext, ApplyOutcome, AuditEntry};
use crate::catalog::check_text;
use crate::codes::{CompetitorId, UnitCode};
use crate::error::DomainError;
use crate::game::GameResult;
use crate::results::{ResultEntry, ResultsMessage, check_envelope};
use crate::status::{Irm, ResultStatus};
use crate::unit::{Ranking, UnitContent, UnitNote, UnitResults, rank_entries, rank_game};

/// A validated version of one unit, ready to be stored: what [`EventState::commit`] records.
struct Commit {
    unit: UnitCode,
    version: u64,
    status: ResultStatus,
    message_id: String,
    note: Option<String>,
    content: UnitContent,
    ranking: Ranking,
    /// What changed, in words, for the audit trail.
    changes: Vec<String>,
}

impl EventState {
    /// Applies a results message: validates it fully, then replaces the unit's results.
    pub fn apply_results(
        &mut self,
        msg: ResultsMessage,
        ctx: &ApplyContext,
    ) -> Result<ApplyOutcome, DomainError> {
        check_context(ctx)?;
        check_envelope(&msg.message_id, msg.version, msg.note.as_deref())?;
        if let Some(outcome) = self.version_check(&msg.unit, msg.version, false)? {
            return Ok(outcome);
        }
        let previous = self.units.get(&msg.unit);
        let checked = msg.check(
            &self.definition,
            &self.participants,
            previous.and_then(UnitResults::prior),
        )?;
        let format = self
            .definition
            .place(&msg.unit)
            .map(|place| place.format)
            .ok_or_else(|| DomainError::UnknownUnit {
                path: "unit".into(),
                unit: msg.unit.to_string(),
            })?;
        // A version listing the same competitors in the same order as the previous one (the usual live
        // update) starts its sort from the previous order, and its changes are found entry by entry.
        let hint = previous
            .and_then(UnitResults::checked_places)
            .filter(|_| checked.aligned);
        let format = format.with_published_precision(self.definition.discipline());
        let ranking = rank_entries(&msg.entries, &checked.entries, &format, hint);
        let changes = previous
            .map(|p| {
                let changed = checked.aligned.then_some(checked.changed.as_slice());
                describe_entry_changes(p.entries(), &msg.entries, changed)
            })
            .unwrap_or_default();
        let content = UnitContent::Results {
            entries: msg.entries,
        };
        let commit = Commit {
            unit: msg.unit,
            version: msg.version,
            status: msg.status,
            message_id: msg.message_id,
            note: msg.note,
            content,
            ranking,
            changes,
        };
        self.commit(commit, ctx)
    }

    /// Applies a game result (round robin or knockout): validates it fully, then replaces the game.
    pub fn apply_game(
        &mut self,
        game: GameResult,
        ctx: &ApplyContext,
    ) -> Result<ApplyOutcome, DomainError> {
        check_context(ctx)?;
        check_envelope(&game.message_id, game.version, game.note.as_deref())?;
        if let Some(outcome) = self.version_check(&game.unit, game.version, true)? {
            return Ok(outcome);
        }
        game.check(&self.definition, &self.participants)?;
        self.check_bracket(&game)?;
        let ranking = rank_game(&game);
        let previous = self.units.get(&game.unit).and_then(|u| u.game());
        let changes = match previous {
            Some(old) if old.score_text() != game.score_text() => vec![format!(
                "score {} → {}",
                old.score_text(),
                game.score_text()
            )],
            _ => Vec::new(),
        };
        let commit = Commit {
            unit: game.unit.clone(),
            version: game.version,
            status: game.status,
            message_id: game.message_id.clone(),
            note: game.note.clone(),
            content: UnitContent::Game {
                game: Box::new(game),
            },
            ranking,
            changes,
        };
        self.commit(commit, ctx)
    }

    /// A bracket game must be played by the teams its feeders have sent, where those are decided (either
    /// side may be home). Checked when a game is posted, not when stored games are loaded: a feeder game
    /// corrected later does not unmake a game already played.
    fn check_bracket(&self, game: &GameResult) -> Result<(), DomainError> {
        let Some(bracket) = self.definition.bracket.iter().find(|b| b.unit == game.unit) else {
            return Ok(());
        };
        for (from, path) in [
            (&bracket.home, "home.competitor"),
            (&bracket.away, "away.competitor"),
        ] {
            let side = self.bracket_side(from);
            if let Some(expected) = &side.competitor
                && &game.home.competitor != expected
                && &game.away.competitor != expected
            {
                return Err(DomainError::invalid(
                    path,
                    format!(
                        "the bracket sends {expected} ({}) to {}",
                        from.describe(),
                        game.unit
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Duplicate or stale versions are answered before anything else; unknown units are errors.
    fn version_check(
        &self,
        unit: &UnitCode,
        version: u64,
        game: bool,
    ) -> Result<Option<ApplyOutcome>, DomainError> {
        let place = self
            .definition
            .place(unit)
            .ok_or_else(|| DomainError::UnknownUnit {
                path: "unit".into(),
                unit: unit.to_string(),
            })?;
        if place.format.is_game_format() != game {
            let wanted = if place.format.is_game_format() {
                "game results"
            } else {
                "results messages"
            };
            return Err(DomainError::WrongMessageKind {
                unit: unit.to_string(),
                reason: format!(
                    "unit is scored by {} and takes {wanted}",
                    place.format.name()
                ),
            });
        }
        Ok(match self.units.get(unit) {
            Some(current) if version == current.version() => Some(ApplyOutcome::Duplicate {
                unit_version: version,
            }),
            Some(current) if version < current.version() => Some(ApplyOutcome::Stale {
                current_version: current.version(),
            }),
            _ => None,
        })
    }

    /// Stores a validated unit, bumps the event version and records the change. Cannot fail after the
    /// correction-note check, so the state is never half-updated.
    fn commit(&mut self, commit: Commit, ctx: &ApplyContext) -> Result<ApplyOutcome, DomainError> {
        let Commit {
            unit,
            version,
            status,
            message_id,
            note,
            content,
            ranking,
            changes,
        } = commit;
        let previous = self.units.get(&unit);
        let was_official = previous.is_some_and(|p| p.status() == ResultStatus::Official);
        // Comparing the whole content only matters for a correction without a note.
        if was_official && note.is_none() && previous.is_none_or(|p| p.content() != &content) {
            return Err(DomainError::invalid(
                "note",
                "a change to an OFFICIAL result must carry a note",
            ));
        }
        // Medals come from the medal and bronze units only; other units cannot change them.
        let affects_medals = unit == self.definition.medal_unit
            || self.definition.bronze_unit.as_ref() == Some(&unit);
        let medals_before = if affects_medals {
            self.medals()
        } else {
            Vec::new()
        };
        let event_version = self.version + 1;
        // Notes accumulate: the previous version's move to the new one.
        let mut notes = self
            .units
            .get_mut(&unit)
            .map(UnitResults::take_notes)
            .unwrap_or_default();
        if let Some(text) = &note {
            notes.push(UnitNote {
                unit_version: version,
                status,
                text: text.clone(),
            });
        }
        if let Some(slot) = self.units.get_mut(&unit) {
            slot.replace(
                version,
                status,
                message_id.clone(),
                event_version,
                content,
                notes,
                ranking,
            );
        } else {
            let mut results = UnitResults::new(
                unit.clone(),
                version,
                status,
                message_id.clone(),
                event_version,
                content,
                notes,
            );
            results.set_ranking(ranking);
            self.units.insert(unit.clone(), results);
        }
        self.version = event_version;
        let medals_after = if affects_medals {
            self.medals()
        } else {
            Vec::new()
        };
        let medals_changed = medals_before != medals_after;

        let mut summary = Vec::new();
        summary.extend(changes);
        if was_official {
            summary.push("after OFFICIAL".to_owned());
        }
        let mut text = if summary.is_empty() {
            format!("{unit} v{version} {}", status.as_str())
        } else {
            format!(
                "{} ({unit} v{version} {})",
                summary.join(" "),
                status.as_str()
            )
        };
        if medals_changed {
            text.push_str(if medals_before.is_empty() {
                "; medals awarded"
            } else if medals_after.is_empty() {
                "; medals withdrawn"
            } else {
                "; medals reallocated"
            });
        }
        let audit = AuditEntry {
            event_version,
            unit: unit.clone(),
            unit_version: version,
            message_id,
            feed: ctx.feed.clone(),
            received_at_ms: ctx.received_at_ms,
            status,
            note,
            summary: text,
            correction: was_official,
            medals_changed,
        };
        self.audit.push(audit.clone());
        Ok(ApplyOutcome::Applied(AppliedChange {
            event_version,
            unit,
            unit_version: version,
            status,
            medals_changed,
            audit,
        }))
    }
}

fn check_context(ctx: &ApplyContext) -> Result<(), DomainError> {
    check_text(&ctx.feed, "ctx.feed", 64)
}

/// Describes what a new version changed: new IRMs by name, and how many marks changed. `changed` lists
/// the entries whose mark or IRM changed when both versions hold the same competitors in the same
/// order; the other entries cannot contribute, so only those are looked at.
fn describe_entry_changes(
    old: &[ResultEntry],
    new: &[ResultEntry],
    changed: Option<&[usize]>,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut changed_marks = 0usize;
    let removed = if let Some(changed) = changed {
        for &i in changed {
            if let Some(entry) = new.get(i) {
                describe_entry(old.get(i), entry, &mut out, &mut changed_marks);
            }
        }
        0
    } else {
        let before: BTreeMap<&CompetitorId, &ResultEntry> =
            old.iter().map(|e| (&e.competitor, e)).collect();
        for entry in new {
            let previous = before.get(&entry.competitor).copied();
            describe_entry(previous, entry, &mut out, &mut changed_marks);
        }
        let now: BTreeSet<&CompetitorId> = new.iter().map(|e| &e.competitor).collect();
        old.iter().filter(|e| !now.contains(&e.competitor)).count()
    };
    if changed_marks > 0 {
        out.push(format!("{changed_marks} mark(s) changed"));
    }
    if removed > 0 {
        out.push(format!(
            "{removed} entr{} removed",
            if removed == 1 { "y" } else { "ies" }
        ));
    }
    if out.len() > 1 {
        let joined = out.join(", ");
        return vec![joined];
    }
    out
}

/// One entry's part of [`describe_entry_changes`].
fn describe_entry(
    previous: Option<&ResultEntry>,
    entry: &ResultEntry,
    out: &mut Vec<String>,
    changed_marks: &mut usize,
) {
    match (entry.irm, previous.and_then(|p| p.irm)) {
        (Some(irm), old_irm) if old_irm != Some(irm) => {
            out.push(format!(
                "{} of {} ({})",
                irm_word(irm),
                entry.name,
                entry.competitor
            ));
        }
        (None, Some(old_irm)) => out.push(format!(
            "{} of {} ({}) lifted",
            irm_word(old_irm),
            entry.name,
            entry.competitor
        )),
        _ => {
            if previous.is_some_and(|p| p.mark != entry.mark) {
                *changed_marks += 1;
            }
        }
    }
}

fn irm_word(irm: Irm) -> &'static str {
    irm.as_str()
}
