//! What changed between two pages of a leaderboard, small enough to push to every live viewer.
//!
//! A live viewer holds the first page of an event's leaderboard. When a racer finishes, the page changes
//! in two ways: the racer's own row (a new mark), and the places of everyone below (ranks shift). A patch
//! therefore carries the page's order and ranks for every row, which are a few bytes each, and the whole
//! row only for rows whose content (mark, name, medal…) changed or that are new to the page: a typical
//! update is a tenth of the page. [`LeaderboardPatch::apply`] rebuilds the new page from the old one
//! exactly (a property test checks `apply(between(a, b), a) == b`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::codes::{CompetitorId, EventCode, UnitCode};
use crate::leaderboard::{LeaderboardPage, LeaderboardRow};
use crate::status::ResultStatus;

/// The change from one page (its `event_version` is the patch's `base`) to the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardPatch {
    /// The `event_version` of the page this patch applies to.
    pub base: u64,
    pub event: EventCode,
    pub unit: UnitCode,
    pub status: ResultStatus,
    pub unit_version: u64,
    pub event_version: u64,
    pub next_cursor: Option<String>,
    pub prev_cursor: Option<String>,
    pub total: usize,
    /// The page's competitors, in order.
    pub order: Vec<CompetitorId>,
    /// Each position's rank (none for IRMs and competitors without a mark).
    pub ranks: Vec<Option<u32>>,
    /// Positions (from 0) whose rank is shared.
    pub tied: Vec<usize>,
    /// The `sort_order` of the first row; the rows after it follow one by one.
    pub first_sort_order: u32,
    /// Every row that is new to the page or whose content changed, in full.
    pub rows: Vec<LeaderboardRow>,
}

/// Why a patch could not be applied: it was made for another page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    #[error("the patch applies to version {base}, not to version {held}")]
    WrongBase { base: u64, held: u64 },
    #[error("the patch places {0}, but neither it nor the page holds its row")]
    MissingRow(CompetitorId),
    #[error("the patch has {order} competitors but {ranks} ranks")]
    Malformed { order: usize, ranks: usize },
}

impl LeaderboardPatch {
    /// The patch that turns `prev` into `next`.
    pub fn between(prev: &LeaderboardPage, next: &LeaderboardPage) -> Self {
        let held: HashMap<&CompetitorId, &LeaderboardRow> =
            prev.rows.iter().map(|row| (&row.competitor, row)).collect();
        let rows = next
            .rows
            .iter()
            .filter(|row| {
                held.get(&row.competitor)
                    .is_none_or(|old| !same_content(old, row))
            })
            .cloned()
            .collect();
        Self {
            base: prev.event_version,
            event: next.event.clone(),
            unit: next.unit.clone(),
            status: next.status,
            unit_version: next.unit_version,
            event_version: next.event_version,
            next_cursor: next.next_cursor.clone(),
            prev_cursor: next.prev_cursor.clone(),
            total: next.total,
            order: next.rows.iter().map(|row| row.competitor.clone()).collect(),
            ranks: next.rows.iter().map(|row| row.rank).collect(),
            tied: next
                .rows
                .iter()
                .enumerate()
                .filter(|(_, row)| row.rank_equal)
                .map(|(position, _)| position)
                .collect(),
            first_sort_order: next.rows.first().map_or(1, |row| row.sort_order),
            rows,
        }
    }

    /// The page this patch makes of `prev`, which must be the page it was made from.
    pub fn apply(&self, prev: &LeaderboardPage) -> Result<LeaderboardPage, PatchError> {
        if prev.event_version != self.base {
            return Err(PatchError::WrongBase {
                base: self.base,
                held: prev.event_version,
            });
        }
        if self.order.len() != self.ranks.len() {
            return Err(PatchError::Malformed {
                order: self.order.len(),
                ranks: self.ranks.len(),
            });
        }
        let changed: HashMap<&CompetitorId, &LeaderboardRow> =
            self.rows.iter().map(|row| (&row.competitor, row)).collect();
        let held: HashMap<&CompetitorId, &LeaderboardRow> =
            prev.rows.iter().map(|row| (&row.competitor, row)).collect();
        let mut rows = Vec::with_capacity(self.order.len());
        for (position, (competitor, rank)) in self.order.iter().zip(&self.ranks).enumerate() {
            let source = changed
                .get(competitor)
                .or_else(|| held.get(competitor))
                .ok_or_else(|| PatchError::MissingRow(competitor.clone()))?;
            let mut row = (*source).clone();
            row.rank = *rank;
            row.rank_equal = self.tied.contains(&position);
            row.sort_order = self.first_sort_order + u32::try_from(position).unwrap_or(u32::MAX);
            rows.push(row);
        }
        Ok(LeaderboardPage {
            event: self.event.clone(),
            unit: self.unit.clone(),
            status: self.status,
            unit_version: self.unit_version,
            event_version: self.event_version,
            rows,
            next_cursor: self.next_cursor.clone(),
            prev_cursor: self.prev_cursor.clone(),
            total: self.total,
        })
    }
}

/// Equal but for the fields a patch carries for every position anyway.
fn same_content(a: &LeaderboardRow, b: &LeaderboardRow) -> bool {
    let LeaderboardRow {
        rank: _,
        rank_equal: _,
        sort_order: _,
        competitor,
        name,
        noc,
        mark,
        detail,
        behind,
        irm,
        medal,
        qualification,
        record,
    } = a;
    *competitor == b.competitor
        && *name == b.name
        && *noc == b.noc
        && *mark == b.mark
        && *detail == b.detail
        && *behind == b.behind
        && *irm == b.irm
        && *medal == b.medal
        && *qualification == b.qualification
        && *record == b.record
}
