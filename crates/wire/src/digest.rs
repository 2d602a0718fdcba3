//! What an event object tells the standings object about itself: its catalogue listing and its medals,
//! the body of [`StandingsRoute::Digest`](crate::api::StandingsRoute::Digest).

use domain::EventMedals;
use domain::{
    Discipline, EventCode, EventState, Gender, LogicalDay, ResultStatus, ScheduledUnit, Sport,
    UnitCode, Venue,
};
use serde::{Deserialize, Serialize};

/// Where an event stands, for the events list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// No results yet.
    Scheduled,
    /// Results are coming in; the medal unit is not OFFICIAL.
    Live,
    /// The medal unit is OFFICIAL (a later correction keeps it here).
    Finished,
}

impl Progress {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "scheduled" => Some(Self::Scheduled),
            "live" => Some(Self::Live),
            "finished" => Some(Self::Finished),
            _ => None,
        }
    }
}

/// One line of the events list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventListing {
    pub code: EventCode,
    pub name: String,
    pub sport: Sport,
    pub discipline: Discipline,
    pub gender: Gender,
    pub progress: Progress,
    pub medal_unit: UnitCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<Venue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<ScheduledUnit>,
    pub event_version: u64,
}

impl EventListing {
    pub fn of(state: &EventState) -> Self {
        let definition = state.definition();
        let medal_status = state.unit(&definition.medal_unit).map(|u| u.status());
        let progress = match medal_status {
            Some(ResultStatus::Official) => Progress::Finished,
            _ if state.units().next().is_some() => Progress::Live,
            _ => Progress::Scheduled,
        };
        EventListing {
            code: definition.code.clone(),
            name: definition.name.clone(),
            sport: definition.sport(),
            discipline: definition.discipline(),
            gender: definition.gender(),
            progress,
            medal_unit: definition.medal_unit.clone(),
            venue: definition.venue.clone(),
            schedule: definition.schedule.clone(),
            event_version: state.version(),
        }
    }

    pub fn runs_on(&self, day: &LogicalDay) -> bool {
        self.schedule.iter().any(|unit| &unit.day == day)
    }
}

/// The message an event object sends to the standings object when its listing or medals change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDigest {
    pub listing: EventListing,
    pub medals: EventMedals,
}

impl EventDigest {
    pub fn of(state: &EventState) -> Self {
        EventDigest {
            listing: EventListing::of(state),
            medals: EventMedals {
                event: state.definition().code.clone(),
                event_version: state.version(),
                awards: state.medals(),
            },
        }
    }
}
