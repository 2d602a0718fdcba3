//! One event's state: definition, unit results, versions and audit trail; applies messages idempotently.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::audit::{AppliedChange, ApplyContext, ApplyOutcome, AuditEntry, push_audit};
use crate::catalog::{EventDefinition, check_text};
use crate::codes::{CompetitorId, UnitCode};
use crate::error::DomainError;
use crate::format::ScoringFormat;
use crate::game::GameResult;
use crate::leaderboard::{LeaderboardPage, LeaderboardQuery, LeaderboardRow, Qualification};
use crate::medals::{MedalAward, awards};
use crate::paging::window;
use crate::results::{ResultEntry, ResultsMessage, check_envelope};
use crate::standings::standings;
use crate::status::{Irm, ResultStatus};
use crate::unit::{Ranked, UnitContent, UnitNote, UnitResults, rank_entries, rank_game};

/// The state of one event, as the event Durable Object keeps it. Store it with [`EventState::to_bytes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "EventStateFields")]
pub struct EventState {
    definition: EventDefinition,
    version: u64,
    units: BTreeMap<UnitCode, UnitResults>,
    #[serde(default)]
    audit: Vec<AuditEntry>,
}

/// The stored fields; loading goes through here so that rankings are rebuilt from the stored results.
#[derive(Deserialize)]
struct EventStateFields {
    definition: EventDefinition,
    version: u64,
    units: BTreeMap<UnitCode, UnitResults>,
    #[serde(default)]
    audit: Vec<AuditEntry>,
}

impl From<EventStateFields> for EventState {
    fn from(fields: EventStateFields) -> Self {
        let mut state = Self {
            definition: fields.definition,
            version: fields.version,
            units: fields.units,
            audit: fields.audit,
        };
        for unit in state.units.values_mut() {
            // Stored results were validated when applied; a unit that no longer ranks keeps no rows rather
            // than failing the whole load.
            if unit.rerank(&state.definition).is_err() {
                unit.set_ranked(Vec::new());
            }
        }
        state
    }
}

impl EventState {
    /// A fresh event. The definition should have passed [`EventDefinition::validate`].
    pub fn new(definition: EventDefinition) -> Self {
        Self {
            definition,
            version: 0,
            units: BTreeMap::new(),
            audit: Vec::new(),
        }
    }

    /// Validates a definition and starts an event with it.
    pub fn try_new(definition: EventDefinition) -> Result<Self, DomainError> {
        definition.validate()?;
        Ok(Self::new(definition))
    }

    pub fn definition(&self) -> &EventDefinition {
        &self.definition
    }

    /// Event-level version: +1 per applied change. Viewers and caches key on it.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The audit trail, oldest first: every correction and medal change, and the latest routine updates.
    pub fn audit(&self) -> &[AuditEntry] {
        &self.audit
    }

    /// Replaces the definition (a schedule change, a late entry). The code cannot change, and every unit
    /// with results must still exist and still fit its format. Nothing changes on error.
    pub fn replace_definition(&mut self, definition: EventDefinition) -> Result<(), DomainError> {
        definition.validate()?;
        if definition.code != self.definition.code {
            return Err(DomainError::invalid(
                "code",
                format!(
                    "this state holds {}, not {}",
                    self.definition.code, definition.code
                ),
            ));
        }
        if definition == self.definition {
            return Ok(());
        }
        let mut units = self.units.clone();
        for unit in units.values_mut() {
            unit.rerank(&definition).map_err(|error| {
                DomainError::invalid(
                    "phases",
                    format!(
                        "unit {} has results that the new definition rejects: {error}",
                        unit.unit()
                    ),
                )
            })?;
        }
        self.definition = definition;
        self.units = units;
        self.version += 1;
        Ok(())
    }

    pub fn unit(&self, unit: &UnitCode) -> Option<&UnitResults> {
        self.units.get(unit)
    }

    /// Units with results, in code order.
    pub fn units(&self) -> impl Iterator<Item = &UnitResults> {
        self.units.values()
    }

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
        let checked = msg.check(&self.definition)?;
        let format = self
            .definition
            .place(&msg.unit)
            .map(|place| place.format)
            .ok_or_else(|| DomainError::UnknownUnit {
                path: "unit".into(),
                unit: msg.unit.to_string(),
            })?;
        let ranked = rank_entries(&msg.entries, &checked, format);
        let previous = self.units.get(&msg.unit);
        let changes = previous
            .map(|p| describe_entry_changes(p.entries(), &msg.entries))
            .unwrap_or_default();
        let content = UnitContent::Results {
            entries: msg.entries,
        };
        self.commit(
            msg.unit,
            msg.version,
            msg.status,
            msg.message_id,
            msg.note,
            content,
            ranked,
            changes,
            ctx,
        )
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
        game.check(&self.definition)?;
        let ranked = rank_game(&game);
        let previous = self.units.get(&game.unit).and_then(|u| u.game());
        let changes = match previous {
            Some(old) if old.score_text() != game.score_text() => vec![format!(
                "score {} → {}",
                old.score_text(),
                game.score_text()
            )],
            _ => Vec::new(),
        };
        let (unit, version, status, message_id, note) = (
            game.unit.clone(),
            game.version,
            game.status,
            game.message_id.clone(),
            game.note.clone(),
        );
        self.commit(
            unit,
            version,
            status,
            message_id,
            note,
            UnitContent::Game {
                game: Box::new(game),
            },
            ranked,
            changes,
            ctx,
        )
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
    #[allow(clippy::too_many_arguments)]
    fn commit(
        &mut self,
        unit: UnitCode,
        version: u64,
        status: ResultStatus,
        message_id: String,
        note: Option<String>,
        content: UnitContent,
        ranked: Vec<Ranked>,
        changes: Vec<String>,
        ctx: &ApplyContext,
    ) -> Result<ApplyOutcome, DomainError> {
        let previous = self.units.get(&unit);
        let was_official = previous.is_some_and(|p| p.status() == ResultStatus::Official);
        let content_changed = previous.is_none_or(|p| p.content() != &content);
        if was_official && content_changed && note.is_none() {
            return Err(DomainError::invalid(
                "note",
                "a change to an OFFICIAL result must carry a note",
            ));
        }
        let mut notes = previous.map(|p| p.notes().to_vec()).unwrap_or_default();
        if let Some(text) = &note {
            notes.push(UnitNote {
                unit_version: version,
                status,
                text: text.clone(),
            });
        }
        let medals_before = self.medals();
        let event_version = self.version + 1;
        let mut results = UnitResults::new(
            unit.clone(),
            version,
            status,
            message_id.clone(),
            event_version,
            content,
            notes,
        );
        results.set_ranked(ranked);
        self.units.insert(unit.clone(), results);
        self.version = event_version;
        let medals_after = self.medals();
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
        push_audit(&mut self.audit, audit.clone());
        Ok(ApplyOutcome::Applied(AppliedChange {
            event_version,
            unit,
            unit_version: version,
            status,
            medals_changed,
            audit,
        }))
    }

    /// The medals awarded so far: from the medal unit's OFFICIAL ranking only (and the bronze unit's).
    pub fn medals(&self) -> Vec<MedalAward> {
        let bronze = self
            .definition
            .bronze_unit
            .as_ref()
            .and_then(|code| self.units.get(code));
        awards(
            &self.definition,
            self.units.get(&self.definition.medal_unit),
            bronze,
        )
    }

    /// The unit a leaderboard shows by default: the medal unit once it has results, else the latest change.
    pub fn default_unit(&self) -> UnitCode {
        if self.units.contains_key(&self.definition.medal_unit) {
            return self.definition.medal_unit.clone();
        }
        self.units
            .values()
            .max_by_key(|u| u.event_version())
            .map_or_else(|| self.definition.medal_unit.clone(), |u| u.unit().clone())
    }

    /// A page of a unit's ranking, or of a round-robin phase's standings.
    pub fn leaderboard(&self, query: &LeaderboardQuery) -> Result<LeaderboardPage, DomainError> {
        let unit = query.unit.clone().unwrap_or_else(|| self.default_unit());
        let (rows, status, unit_version) = self.full_rows(&unit)?;
        let around = match &query.around {
            Some(competitor) => Some(
                rows.iter()
                    .position(|r| &r.competitor == competitor)
                    .ok_or_else(|| DomainError::UnknownCompetitor {
                        path: "around".into(),
                        competitor: competitor.to_string(),
                    })?,
            ),
            None => None,
        };
        let page = window(rows.len(), query.limit, query.cursor.as_deref(), around)?;
        let total = rows.len();
        let rows = rows
            .into_iter()
            .skip(page.start)
            .take(page.end - page.start)
            .collect();
        Ok(LeaderboardPage {
            event: self.definition.code.clone(),
            unit,
            status,
            unit_version,
            event_version: self.version,
            rows,
            next_cursor: page.next_cursor,
            prev_cursor: page.prev_cursor,
            total,
        })
    }

    /// Every row of a unit or standings, with medals and qualification marks filled in.
    fn full_rows(
        &self,
        code: &UnitCode,
    ) -> Result<(Vec<LeaderboardRow>, ResultStatus, u64), DomainError> {
        if let Some(phase) = self.definition.phase(code)
            && let ScoringFormat::RoundRobin { rules } = self.definition.phase_format(phase)
        {
            {
                let units: Vec<&UnitResults> = phase
                    .units
                    .iter()
                    .filter_map(|u| self.units.get(u))
                    .collect();
                let games: Vec<&GameResult> = units.iter().filter_map(|u| u.game()).collect();
                let status = if units.is_empty() {
                    ResultStatus::StartList
                } else if units.len() == phase.units.len()
                    && units.iter().all(|u| u.status() == ResultStatus::Official)
                {
                    ResultStatus::Official
                } else {
                    ResultStatus::Intermediate
                };
                // Game versions only grow, so their sum is a version for the standings.
                let version = units
                    .iter()
                    .fold(0u64, |sum, u| sum.saturating_add(u.version()));
                return Ok((standings(&games, rules), status, version));
            }
        }
        let place = self
            .definition
            .place(code)
            .ok_or_else(|| DomainError::UnknownUnit {
                path: "unit".into(),
                unit: code.to_string(),
            })?;
        let Some(results) = self.units.get(code) else {
            return Ok((Vec::new(), ResultStatus::StartList, 0));
        };
        let mut rows: Vec<LeaderboardRow> = results.rows().cloned().collect();
        if code == &self.definition.medal_unit || self.definition.bronze_unit.as_ref() == Some(code)
        {
            let medals = self.medals();
            for row in &mut rows {
                row.medal = medals
                    .iter()
                    .find(|a| a.competitor == row.competitor)
                    .map(|a| a.medal);
            }
        }
        if let Some(advancement) = place.phase.advancement {
            let qualified =
                self.qualified(&place.phase.units, advancement.by_rank, advancement.by_mark);
            for row in &mut rows {
                row.qualification = qualified
                    .get(&(code.clone(), row.competitor.clone()))
                    .copied();
            }
        }
        Ok((rows, results.status(), results.version()))
    }

    /// Q for the first `by_rank` of each unit; q for the `by_mark` best marks among the rest of the phase
    /// (everyone equal to the last q-mark is in too).
    fn qualified(
        &self,
        units: &[UnitCode],
        by_rank: u32,
        by_mark: u32,
    ) -> BTreeMap<(UnitCode, CompetitorId), Qualification> {
        let mut out = BTreeMap::new();
        let mut rest: Vec<(i64, UnitCode, CompetitorId)> = Vec::new();
        for code in units {
            let Some(unit) = self.units.get(code) else {
                continue;
            };
            for ranked in unit.ranked() {
                match ranked.row.rank {
                    Some(rank) if rank <= by_rank => {
                        out.insert(
                            (code.clone(), ranked.row.competitor.clone()),
                            Qualification::ByRank,
                        );
                    }
                    Some(_) => {
                        if let Some(mark) = ranked.cross_unit {
                            rest.push((mark, code.clone(), ranked.row.competitor.clone()));
                        }
                    }
                    None => {}
                }
            }
        }
        rest.sort();
        let cutoff = usize::try_from(by_mark)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| rest.get(i))
            .map(|r| r.0);
        if let Some(cutoff) = cutoff {
            for (mark, unit, competitor) in rest {
                if mark <= cutoff {
                    out.insert((unit, competitor), Qualification::ByMark);
                }
            }
        }
        out
    }

    /// Encodes the state for storage (MessagePack in a versioned envelope).
    pub fn to_bytes(&self) -> Result<Vec<u8>, DomainError> {
        crate::storage::encode_state(self)
    }

    /// Decodes a stored state, of this or any earlier schema version.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DomainError> {
        crate::storage::decode_state(bytes)
    }
}

fn check_context(ctx: &ApplyContext) -> Result<(), DomainError> {
    check_text(&ctx.feed, "ctx.feed", 64)
}

/// Describes what a new version changed: new IRMs by name, and how many marks changed.
fn describe_entry_changes(old: &[ResultEntry], new: &[ResultEntry]) -> Vec<String> {
    let before: BTreeMap<&CompetitorId, &ResultEntry> =
        old.iter().map(|e| (&e.competitor, e)).collect();
    let mut out = Vec::new();
    let mut changed_marks = 0usize;
    for entry in new {
        let previous = before.get(&entry.competitor);
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
                    changed_marks += 1;
                }
            }
        }
    }
    let now: BTreeSet<&CompetitorId> = new.iter().map(|e| &e.competitor).collect();
    let removed = old.iter().filter(|e| !now.contains(&e.competitor)).count();
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

fn irm_word(irm: Irm) -> &'static str {
    irm.as_str()
}
