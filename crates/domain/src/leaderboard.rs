//! Leaderboard views of a unit or of round-robin standings, with medals, Q/q marks and pagination.

use serde::{Deserialize, Serialize};

use crate::codes::{CompetitorId, EventCode, Noc, UnitCode};
use crate::medals::Medal;
use crate::status::{Irm, ResultStatus};

/// What a leaderboard request asks for. Everything is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderboardQuery {
    /// A unit, or a round-robin phase code for its standings. Default: the medal unit once it has
    /// results, otherwise the unit that changed last.
    #[serde(default)]
    pub unit: Option<UnitCode>,
    /// Rows per page, 1 to 500 (default 50).
    #[serde(default)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Return the page centred on this competitor instead (cannot be combined with `cursor`).
    #[serde(default)]
    pub around: Option<CompetitorId>,
    /// The event's final classification instead of one unit: everyone, across the final units (Final A,
    /// then B…) and the rounds that eliminated the rest (cannot be combined with `unit`).
    #[serde(default)]
    pub final_ranking: bool,
}

/// One page of a leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardPage {
    pub event: EventCode,
    pub unit: UnitCode,
    pub status: ResultStatus,
    pub unit_version: u64,
    pub event_version: u64,
    pub rows: Vec<LeaderboardRow>,
    pub next_cursor: Option<String>,
    pub prev_cursor: Option<String>,
    pub total: usize,
}

/// One ranked line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardRow {
    /// Competition rank (1, 2, 2, 4); none for IRMs and competitors without a mark.
    pub rank: Option<u32>,
    pub rank_equal: bool,
    /// Unique and sequential from 1, even where ranks are equal.
    pub sort_order: u32,
    pub competitor: CompetitorId,
    pub name: String,
    pub noc: Noc,
    /// The mark formatted to the sport's precision, e.g. `1:43.21`, `128.5`, or a game's own score.
    pub mark: Option<String>,
    /// The parts of the mark: run times, jump points, segment scores, penalties, a game's full score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Time behind the leader, e.g. `+0.45`, for timed formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behind: Option<String>,
    pub irm: Option<Irm>,
    pub medal: Option<Medal>,
    pub qualification: Option<Qualification>,
    /// A team's record, in round-robin standings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<TeamRecord>,
}

/// Advancement marks: `Q` by place in the unit, `q` by mark across the phase's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Qualification {
    #[serde(rename = "Q")]
    ByRank,
    #[serde(rename = "q")]
    ByMark,
}

/// A team's round-robin record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamRecord {
    pub played: u32,
    pub wins: u32,
    /// Overtime and shoot-out wins (ice hockey).
    pub overtime_wins: u32,
    /// Overtime and shoot-out losses (ice hockey).
    pub overtime_losses: u32,
    pub losses: u32,
    pub points: u32,
    pub goals_for: u32,
    pub goals_against: u32,
    /// Curling's draw-shot challenge, in cm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dsc_cm: Option<f64>,
}
