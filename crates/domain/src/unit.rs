//! One unit's stored results (entries or a game), its notes, and its ranking computed when it changes.

use serde::{Deserialize, Serialize};

use crate::catalog::{EventDefinition, TeamMember};
use crate::codes::{CompetitorId, UnitCode};
use crate::display::format_gap;
use crate::error::DomainError;
use crate::format::{ScoringFormat, TimePrecision};
use crate::game::GameResult;
use crate::leaderboard::LeaderboardRow;
use crate::mark::Evaluated;
use crate::ranking::{Class, RankInput, rank};
use crate::results::{CheckedEntry, ResultEntry};
use crate::status::ResultStatus;

/// What a unit holds: a ranked list of entries, or one game.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UnitContent {
    Results { entries: Vec<ResultEntry> },
    Game { game: Box<GameResult> },
}

/// A note kept with a unit; notes accumulate across versions (ODF).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitNote {
    pub unit_version: u64,
    pub status: ResultStatus,
    pub text: String,
}

/// A ranked row and what the crate needs beyond the public row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ranked {
    pub row: LeaderboardRow,
    /// Comparable across the units of a phase (lower is better), for "q" advancement.
    pub cross_unit: Option<i64>,
    pub members: Vec<TeamMember>,
}

/// The current results of one unit. Its ranking is derived from the content and the event definition:
/// [`EventState`](crate::EventState) rebuilds it on load, so a `UnitResults` decoded on its own has no rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitResults {
    unit: UnitCode,
    version: u64,
    status: ResultStatus,
    message_id: String,
    /// The event version at which this unit last changed.
    event_version: u64,
    content: UnitContent,
    #[serde(default)]
    notes: Vec<UnitNote>,
    /// Derived from `content` and the definition; rebuilt after loading, never stored.
    #[serde(skip)]
    ranked: Vec<Ranked>,
}

/// Equality of the stored data; the derived ranking follows from it.
impl PartialEq for UnitResults {
    fn eq(&self, other: &Self) -> bool {
        self.unit == other.unit
            && self.version == other.version
            && self.status == other.status
            && self.message_id == other.message_id
            && self.event_version == other.event_version
            && self.content == other.content
            && self.notes == other.notes
    }
}

impl UnitResults {
    pub(crate) fn new(
        unit: UnitCode,
        version: u64,
        status: ResultStatus,
        message_id: String,
        event_version: u64,
        content: UnitContent,
        notes: Vec<UnitNote>,
    ) -> Self {
        Self {
            unit,
            version,
            status,
            message_id,
            event_version,
            content,
            notes,
            ranked: Vec::new(),
        }
    }

    pub fn unit(&self) -> &UnitCode {
        &self.unit
    }

    /// The feed's version of this unit's results.
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn status(&self) -> ResultStatus {
        self.status
    }

    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    /// The event version at which this unit last changed.
    pub fn event_version(&self) -> u64 {
        self.event_version
    }

    pub fn content(&self) -> &UnitContent {
        &self.content
    }

    /// The entries of a results unit (empty for a game).
    pub fn entries(&self) -> &[ResultEntry] {
        match &self.content {
            UnitContent::Results { entries } => entries,
            UnitContent::Game { .. } => &[],
        }
    }

    /// The game of a game unit.
    pub fn game(&self) -> Option<&GameResult> {
        match &self.content {
            UnitContent::Game { game } => Some(game),
            UnitContent::Results { .. } => None,
        }
    }

    /// Notes of every version so far, oldest first.
    pub fn notes(&self) -> &[UnitNote] {
        &self.notes
    }

    /// The ranked rows, in sort order, without medals or qualification marks.
    pub fn rows(&self) -> impl Iterator<Item = &LeaderboardRow> {
        self.ranked.iter().map(|r| &r.row)
    }

    pub(crate) fn ranked(&self) -> &[Ranked] {
        &self.ranked
    }

    pub(crate) fn set_ranked(&mut self, ranked: Vec<Ranked>) {
        self.ranked = ranked;
    }

    /// The rank of a competitor, if ranked.
    pub fn rank_of(&self, competitor: &CompetitorId) -> Option<u32> {
        self.ranked
            .iter()
            .find(|r| &r.row.competitor == competitor)
            .and_then(|r| r.row.rank)
    }

    /// Recomputes the ranking from the content (after loading, or after the definition changed).
    pub(crate) fn rerank(&mut self, definition: &EventDefinition) -> Result<(), DomainError> {
        self.ranked = match &self.content {
            UnitContent::Results { entries } => {
                let format = definition
                    .place(&self.unit)
                    .map(|place| place.format)
                    .ok_or_else(|| DomainError::UnknownUnit {
                        path: "unit".into(),
                        unit: self.unit.to_string(),
                    })?;
                let message = crate::results::ResultsMessage {
                    message_id: self.message_id.clone(),
                    unit: self.unit.clone(),
                    version: self.version,
                    status: self.status,
                    entries: entries.clone(),
                    note: None,
                };
                let checked = message.check(definition)?;
                rank_entries(entries, &checked, format)
            }
            UnitContent::Game { game } => {
                game.check(definition)?;
                rank_game(game)
            }
        };
        Ok(())
    }
}

/// Ranks validated entries under a format.
pub(crate) fn rank_entries(
    entries: &[ResultEntry],
    checked: &[CheckedEntry],
    format: &ScoringFormat,
) -> Vec<Ranked> {
    let inputs: Vec<RankInput<'_>> = entries
        .iter()
        .zip(checked)
        .map(|(entry, checked)| RankInput {
            class: match (&entry.irm, &checked.evaluated) {
                (Some(irm), _) => Class::Irregular(*irm),
                (None, Some(evaluated)) => Class::Valid(evaluated.key.clone()),
                (None, None) => Class::Pending(entry.start_order.unwrap_or(u32::MAX)),
            },
            name: &entry.name,
            id: entry.competitor.as_str(),
        })
        .collect();
    let placed = rank(&inputs);
    let precision = time_precision(format);
    let leader = placed
        .first()
        .filter(|p| p.rank.is_some())
        .and_then(|p| checked.get(p.index))
        .and_then(|c| c.evaluated.as_ref());
    let leader_time = leader.and_then(|e| e.total_time_ms);
    // Gaps only compare like with like: for runs, the same number of completed runs (the key's first element).
    let leader_shape = leader.map(shape);
    placed
        .iter()
        .filter_map(|p| {
            let entry = entries.get(p.index)?;
            let evaluated: Option<&Evaluated> =
                checked.get(p.index).and_then(|c| c.evaluated.as_ref());
            let same_shape = evaluated.map(shape) == leader_shape;
            let behind = match (
                p.rank,
                precision,
                leader_time,
                evaluated.and_then(|e| e.total_time_ms),
            ) {
                (Some(rank), Some(precision), Some(leader), Some(own))
                    if rank > 1 && same_shape && own >= leader =>
                {
                    Some(format_gap(own - leader, precision))
                }
                _ => None,
            };
            Some(Ranked {
                row: LeaderboardRow {
                    rank: p.rank,
                    rank_equal: p.rank_equal,
                    sort_order: p.sort_order,
                    competitor: entry.competitor.clone(),
                    name: entry.name.clone(),
                    noc: entry.noc.clone(),
                    mark: evaluated.map(|e| e.display.clone()),
                    detail: evaluated.and_then(|e| e.detail.clone()),
                    behind,
                    irm: entry.irm,
                    medal: None,
                    qualification: None,
                    record: None,
                },
                cross_unit: if entry.irm.is_none() {
                    evaluated.and_then(|e| e.cross_unit)
                } else {
                    None
                },
                members: entry.members.clone(),
            })
        })
        .collect()
}

/// Marks with more than one key element lead with the number of completed runs; gaps need the same number.
fn shape(evaluated: &Evaluated) -> (usize, Option<i64>) {
    let runs = if evaluated.key.len() > 1 {
        evaluated.key.first().copied()
    } else {
        None
    };
    (evaluated.key.len(), runs)
}

fn time_precision(format: &ScoringFormat) -> Option<TimePrecision> {
    match format {
        ScoringFormat::LowestTime { precision, .. }
        | ScoringFormat::SumOfRuns { precision, .. }
        | ScoringFormat::TimePlusPenalties { precision, .. } => Some(*precision),
        _ => None,
    }
}

/// Ranks the two sides of a game: the side ahead ranks first; a level or unplayed game ranks them equal.
pub(crate) fn rank_game(game: &GameResult) -> Vec<Ranked> {
    let sides = [(&game.home, game.home_score), (&game.away, game.away_score)];
    let inputs: Vec<RankInput<'_>> = sides
        .iter()
        .map(|(side, score)| RankInput {
            class: if game.status == ResultStatus::StartList {
                Class::Pending(0)
            } else {
                Class::Valid(vec![-i64::from(*score)])
            },
            name: &side.name,
            id: side.competitor.as_str(),
        })
        .collect();
    let score_text = game.score_text();
    rank(&inputs)
        .iter()
        .filter_map(|p| {
            let (side, score) = sides.get(p.index)?;
            Some(Ranked {
                row: LeaderboardRow {
                    rank: p.rank,
                    rank_equal: p.rank_equal,
                    sort_order: p.sort_order,
                    competitor: side.competitor.clone(),
                    name: side.name.clone(),
                    noc: side.noc.clone(),
                    mark: (game.status != ResultStatus::StartList).then(|| score.to_string()),
                    detail: (game.status != ResultStatus::StartList).then(|| score_text.clone()),
                    behind: None,
                    irm: None,
                    medal: None,
                    qualification: None,
                    record: None,
                },
                cross_unit: None,
                members: Vec::new(),
            })
        })
        .collect()
}
