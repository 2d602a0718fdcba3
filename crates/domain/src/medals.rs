//! Medals of one event, from the OFFICIAL ranking of its medal unit (and bronze unit): shared ranks share medals.

use serde::{Deserialize, Serialize};

use crate::catalog::{CompetitorKind, EventDefinition, TeamMember};
use crate::codes::{CompetitorId, EventCode, LogicalDay, Noc};
use crate::sport::{Discipline, Gender, Sport};
use crate::status::ResultStatus;
use crate::unit::UnitResults;

/// A medal, ordered gold first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Medal {
    Gold,
    Silver,
    Bronze,
}

impl Medal {
    /// The medal for a competition rank: rank 1 gold, 2 silver, 3 bronze. Because equal marks share a rank and
    /// the next rank skips, two golds leave no silver and two silvers no bronze, as the rules want.
    pub fn for_rank(rank: u32) -> Option<Self> {
        match rank {
            1 => Some(Self::Gold),
            2 => Some(Self::Silver),
            3 => Some(Self::Bronze),
            _ => None,
        }
    }
}

/// One medal won by one competitor (athlete or team) in one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedalAward {
    pub event: EventCode,
    pub medal: Medal,
    pub competitor: CompetitorId,
    pub name: String,
    pub noc: Noc,
    #[serde(default)]
    pub kind: CompetitorKind,
    /// The logical day of the medal unit, when scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<LogicalDay>,
    /// A team's athletes, who each count the medal in the athletes' table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<TeamMember>,
}

impl MedalAward {
    pub fn discipline(&self) -> Discipline {
        self.event.discipline()
    }

    pub fn sport(&self) -> Sport {
        self.event.discipline().sport()
    }

    pub fn gender(&self) -> Gender {
        self.event.gender()
    }
}

/// The medals an event has awarded, in medal then sort order.
pub(crate) fn awards(
    definition: &EventDefinition,
    medal_unit: Option<&UnitResults>,
    bronze_unit: Option<&UnitResults>,
) -> Vec<MedalAward> {
    let mut out = Vec::new();
    let day = definition.day_of(&definition.medal_unit).cloned();
    let max_from_medal_unit = if definition.bronze_unit.is_some() {
        2
    } else {
        3
    };
    let mut collect = |unit: Option<&UnitResults>, max_rank: u32, shift: Option<Medal>| {
        let Some(unit) = unit.filter(|u| u.status() == ResultStatus::Official) else {
            return;
        };
        for ranked in unit.ranked() {
            let row = &ranked.row;
            let Some(rank) = row.rank.filter(|r| *r <= max_rank) else {
                continue;
            };
            let Some(medal) = shift.or_else(|| Medal::for_rank(rank)) else {
                continue;
            };
            let participant = definition.participant(&row.competitor);
            let members = if ranked.members.is_empty() {
                participant.map(|p| p.members.clone()).unwrap_or_default()
            } else {
                ranked.members.clone()
            };
            let kind = participant
                .map(|p| p.kind)
                .unwrap_or(if members.is_empty() {
                    // A game side is always a team; a results entry without a known kind is an athlete.
                    if unit.game().is_some() {
                        CompetitorKind::Team
                    } else {
                        CompetitorKind::Athlete
                    }
                } else {
                    CompetitorKind::Team
                });
            out.push(MedalAward {
                event: definition.code.clone(),
                medal,
                competitor: row.competitor.clone(),
                name: row.name.clone(),
                noc: row.noc.clone(),
                kind,
                day: day.clone(),
                members,
            });
        }
    };
    collect(medal_unit, max_from_medal_unit, None);
    // The bronze unit's winners (rank 1, possibly shared) take bronze.
    collect(bronze_unit, 1, Some(Medal::Bronze));
    out.sort_by_key(|award| award.medal);
    out
}
