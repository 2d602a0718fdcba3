//! Medals of one event, from the OFFICIAL ranking of its medal unit (and bronze unit): shared ranks share medals.

use serde::{Deserialize, Serialize};

use crate::catalog::{CompetitorKind, EventDefinition, ParticipantIndex, TeamMember};
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

/// The medals an event has awarded, in medal then sort order. `participants` is the definition's index.
pub(crate) fn awards(
    definition: &EventDefinition,
    participants: &ParticipantIndex,
    medal_unit: Option<&UnitResults>,
    bronze_unit: Option<&UnitResults>,
) -> Vec<MedalAward> {
    let official = |u: &&UnitResults| u.status() == ResultStatus::Official;
    let (medal_unit, bronze_unit) = (medal_unit.filter(official), bronze_unit.filter(official));
    if medal_unit.is_none() && bronze_unit.is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let day = definition.day_of(&definition.medal_unit).cloned();
    let max_from_medal_unit = if definition.bronze_unit.is_some() {
        2
    } else {
        3
    };
    let mut collect = |unit: Option<&UnitResults>, max_rank: u32, shift: Option<Medal>| {
        let Some(unit) = unit else {
            return;
        };
        for place in unit.places() {
            let Some(rank) = place.rank.filter(|r| *r <= max_rank) else {
                continue;
            };
            let Some(medal) = shift.or_else(|| Medal::for_rank(rank)) else {
                continue;
            };
            let Some(holder) = unit.holder(place) else {
                continue;
            };
            let participant = participants.get(definition, holder.competitor);
            let members = if holder.members.is_empty() {
                participant.map(|p| p.members.clone()).unwrap_or_default()
            } else {
                holder.members.to_vec()
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
                competitor: holder.competitor.clone(),
                name: holder.name.to_owned(),
                noc: holder.noc.clone(),
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
