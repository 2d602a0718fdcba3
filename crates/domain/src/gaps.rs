//! Start gaps for chasing starts: biathlon pursuit from sprint times, Nordic combined (Gundersen) from jump points.

use serde::{Deserialize, Serialize};

use crate::codes::{CompetitorId, Noc, UnitCode};
use crate::error::DomainError;
use crate::state::EventState;

/// How a previous unit's ranking becomes start gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum GapRule {
    /// The time behind the winner (biathlon pursuit from the sprint).
    TimeBehind,
    /// Points behind the winner times `ms_per_point` (Gundersen: 4 000 ms per point).
    PointsBehind { ms_per_point: u64 },
}

/// One starter's gap to the first starter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartGap {
    pub competitor: CompetitorId,
    pub name: String,
    pub noc: Noc,
    pub gap_ms: u64,
}

impl EventState {
    /// Start gaps from `unit`'s ranking, for every ranked competitor (IRMs do not start), rounded down to
    /// whole seconds as start lists are published. Callers cut the list to the field size (e.g. 60).
    pub fn start_gaps(&self, unit: &UnitCode, rule: GapRule) -> Result<Vec<StartGap>, DomainError> {
        if self.definition().place(unit).is_none() {
            return Err(DomainError::UnknownUnit {
                path: "unit".into(),
                unit: unit.to_string(),
            });
        }
        let Some(results) = self.unit(unit) else {
            return Ok(Vec::new());
        };
        let ranked: Vec<_> = results
            .places()
            .iter()
            .filter(|place| place.rank.is_some() && place.cross_unit.is_some())
            .filter_map(|place| Some((place, results.holder(place)?)))
            .collect();
        let Some(leader) = ranked.first().and_then(|(place, _)| place.cross_unit) else {
            return Ok(Vec::new());
        };
        let per_unit = match rule {
            // Cross-unit values are milliseconds for times…
            GapRule::TimeBehind => 1_000,
            // …and negated thousandths of a point for points.
            GapRule::PointsBehind { ms_per_point } => ms_per_point,
        };
        Ok(ranked
            .iter()
            .map(|(place, holder)| {
                let behind =
                    u64::try_from(place.cross_unit.unwrap_or(leader).saturating_sub(leader))
                        .unwrap_or(0);
                let gap_ms = behind.saturating_mul(per_unit) / 1_000;
                StartGap {
                    competitor: holder.competitor.clone(),
                    name: holder.name.to_owned(),
                    noc: holder.noc.clone(),
                    gap_ms: gap_ms / 1_000 * 1_000,
                }
            })
            .collect())
    }
}
