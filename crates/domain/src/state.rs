//! One event's state: definition, unit results, versions and audit trail; applies messages idempotently.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::audit::{AppliedChange, ApplyContext, ApplyOutcome, AuditEntry, AuditTrail};
use crate::catalog::{EventDefinition, ParticipantIndex, check_text};
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
use crate::unit::{Ranking, UnitContent, UnitNote, UnitResults, rank_entries, rank_game};

/// The state of one event, as the event Durable Object keeps it. Store it with [`EventState::to_bytes`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "EventStateFields")]
pub struct EventState {
    definition: EventDefinition,
    version: u64,
    units: BTreeMap<UnitCode, UnitResults>,
    audit: AuditTrail,
    /// The definition's participants by id; derived from `definition`, rebuilt whenever it is set.
    #[serde(skip)]
    participants: ParticipantIndex,
}

/// Prints the stored fields; the participant index derived from the definition is left out.
impl std::fmt::Debug for EventState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventState")
            .field("definition", &self.definition)
            .field("version", &self.version)
            .field("units", &self.units)
            .field("audit", &self.audit)
            .finish()
    }
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
        let participants = ParticipantIndex::new(&fields.definition);
        let mut state = Self {
            definition: fields.definition,
            version: fields.version,
            units: fields.units,
            audit: AuditTrail::from(fields.audit),
            participants,
        };
        for unit in state.units.values_mut() {
            // Stored results were validated when applied; a unit that no longer ranks keeps no rows rather
            // than failing the whole load.
            if unit.rerank(&state.definition, &state.participants).is_err() {
                unit.set_ranking(Ranking::default());
            }
        }
        state
    }
}

impl EventState {
    /// A fresh event. The definition should have passed [`EventDefinition::validate`].
    pub fn new(definition: EventDefinition) -> Self {
        let participants = ParticipantIndex::new(&definition);
        Self {
            definition,
            version: 0,
            units: BTreeMap::new(),
            audit: AuditTrail::default(),
            participants,
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
        self.audit.as_slice()
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
        let participants = ParticipantIndex::new(&definition);
        let mut units = self.units.clone();
        for unit in units.values_mut() {
            unit.rerank(&definition, &participants).map_err(|error| {
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
        self.participants = participants;
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
        let ranking = rank_entries(&msg.entries, &checked.entries, format, hint);
        let changes = previous
            .map(|p| {
                let changed = checked.aligned.then_some(checked.changed.as_slice());
                describe_entry_changes(p.entries(), &msg.entries, changed)
            })
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
            ranking,
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
        game.check(&self.definition, &self.participants)?;
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
            ranking,
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
        ranking: Ranking,
        changes: Vec<String>,
        ctx: &ApplyContext,
    ) -> Result<ApplyOutcome, DomainError> {
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

    /// The medals awarded so far: from the medal unit's OFFICIAL ranking only (and the bronze unit's).
    pub fn medals(&self) -> Vec<MedalAward> {
        let bronze = self
            .definition
            .bronze_unit
            .as_ref()
            .and_then(|code| self.units.get(code));
        awards(
            &self.definition,
            &self.participants,
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
        let part = match self.standings(&unit) {
            Some((rows, status, unit_version)) => {
                let around = match &query.around {
                    Some(competitor) => Some(
                        rows.iter()
                            .position(|r| &r.competitor == competitor)
                            .ok_or_else(|| unknown_around(competitor))?,
                    ),
                    None => None,
                };
                let page = window(rows.len(), query.limit, query.cursor.as_deref(), around)?;
                let total = rows.len();
                PagePart {
                    rows: rows
                        .into_iter()
                        .skip(page.start)
                        .take(page.end - page.start)
                        .collect(),
                    total,
                    next_cursor: page.next_cursor,
                    prev_cursor: page.prev_cursor,
                    status,
                    unit_version,
                }
            }
            None => self.unit_page(&unit, query)?,
        };
        Ok(LeaderboardPage {
            event: self.definition.code.clone(),
            unit,
            status: part.status,
            unit_version: part.unit_version,
            event_version: self.version,
            rows: part.rows,
            next_cursor: part.next_cursor,
            prev_cursor: part.prev_cursor,
            total: part.total,
        })
    }

    /// The standings of a round-robin phase, when `code` names one: every row, the status and a version.
    fn standings(&self, code: &UnitCode) -> Option<(Vec<LeaderboardRow>, ResultStatus, u64)> {
        let phase = self.definition.phase(code)?;
        let ScoringFormat::RoundRobin { rules } = self.definition.phase_format(phase) else {
            return None;
        };
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
        Some((standings(&games, rules), status, version))
    }

    /// A page of a unit's ranking. Only the rows on the page are made, with medals and qualification
    /// marks filled in; the others stay as places.
    fn unit_page(
        &self,
        code: &UnitCode,
        query: &LeaderboardQuery,
    ) -> Result<PagePart, DomainError> {
        let place = self
            .definition
            .place(code)
            .ok_or_else(|| DomainError::UnknownUnit {
                path: "unit".into(),
                unit: code.to_string(),
            })?;
        let results = self.units.get(code);
        let places = results.map_or(&[][..], UnitResults::places);
        let around = match &query.around {
            Some(competitor) => Some(
                places
                    .iter()
                    .position(|p| {
                        results
                            .and_then(|r| r.holder(p))
                            .is_some_and(|h| h.competitor == competitor)
                    })
                    .ok_or_else(|| unknown_around(competitor))?,
            ),
            None => None,
        };
        let page = window(places.len(), query.limit, query.cursor.as_deref(), around)?;
        let Some(results) = results else {
            return Ok(PagePart {
                rows: Vec::new(),
                total: 0,
                next_cursor: page.next_cursor,
                prev_cursor: page.prev_cursor,
                status: ResultStatus::StartList,
                unit_version: 0,
            });
        };
        let medals = (code == &self.definition.medal_unit
            || self.definition.bronze_unit.as_ref() == Some(code))
        .then(|| self.medals());
        let qualified = place.phase.advancement.map(|advancement| {
            self.qualified(&place.phase.units, advancement.by_rank, advancement.by_mark)
        });
        let on_page = places.get(page.start..page.end).unwrap_or(&[]);
        let mut rows = Vec::with_capacity(on_page.len());
        for place in on_page {
            let Some(mut row) = results.row(place) else {
                continue;
            };
            if let Some(medals) = &medals {
                row.medal = medals
                    .iter()
                    .find(|a| a.competitor == row.competitor)
                    .map(|a| a.medal);
            }
            if let Some(qualified) = &qualified {
                row.qualification = qualified
                    .get(&(code.clone(), row.competitor.clone()))
                    .copied();
            }
            rows.push(row);
        }
        Ok(PagePart {
            rows,
            total: places.len(),
            next_cursor: page.next_cursor,
            prev_cursor: page.prev_cursor,
            status: results.status(),
            unit_version: results.version(),
        })
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
            for place in unit.places() {
                let Some(holder) = unit.holder(place) else {
                    continue;
                };
                match place.rank {
                    Some(rank) if rank <= by_rank => {
                        out.insert(
                            (code.clone(), holder.competitor.clone()),
                            Qualification::ByRank,
                        );
                    }
                    Some(_) => {
                        if let Some(mark) = place.cross_unit {
                            rest.push((mark, code.clone(), holder.competitor.clone()));
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

    /// The state without its units' results, for a store that keeps each unit in a row of its own (see
    /// [`crate::storage`]): small, and written on every change.
    pub fn head_bytes(&self) -> Result<Vec<u8>, DomainError> {
        crate::storage::encode_head(self)
    }

    /// One unit's results, as its own row.
    pub fn unit_bytes(unit: &UnitResults) -> Result<Vec<u8>, DomainError> {
        crate::storage::to_msgpack(unit)
    }

    /// The units the last change wrote: only those need their rows written again. (A definition change
    /// writes none: rankings are derived, and the stored results stay as they were.)
    pub fn units_changed_last(&self) -> impl Iterator<Item = &UnitResults> {
        self.units
            .values()
            .filter(|unit| unit.event_version() == self.version)
    }

    /// A state from its head and unit rows, or from a whole state of schema 1 (when `head` is one).
    pub fn from_parts<'a>(
        head: &[u8],
        units: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<Self, DomainError> {
        crate::storage::decode_parts(head, units)
    }

    /// A state from stored fields; the rankings are rebuilt.
    pub(crate) fn from_stored(
        definition: EventDefinition,
        version: u64,
        units: BTreeMap<UnitCode, UnitResults>,
        audit: Vec<AuditEntry>,
    ) -> Self {
        EventStateFields {
            definition,
            version,
            units,
            audit,
        }
        .into()
    }
}

fn check_context(ctx: &ApplyContext) -> Result<(), DomainError> {
    check_text(&ctx.feed, "ctx.feed", 64)
}

/// What a leaderboard page holds besides the event's own fields.
struct PagePart {
    rows: Vec<LeaderboardRow>,
    total: usize,
    next_cursor: Option<String>,
    prev_cursor: Option<String>,
    status: ResultStatus,
    unit_version: u64,
}

fn unknown_around(competitor: &CompetitorId) -> DomainError {
    DomainError::UnknownCompetitor {
        path: "around".into(),
        competitor: competitor.to_string(),
    }
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
