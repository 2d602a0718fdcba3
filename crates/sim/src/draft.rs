//! An event's definition as it is drafted: phases and units, the schedule (one entry per session day of a
//! unit), the venue and the participants, validated by the domain when the script starts.

use domain::{
    Advancement, EventCode, EventDefinition, PhaseDefinition, ScheduledUnit, ScoringFormat,
    UnitCode, Venue,
};

use crate::SimError;
use crate::calendar::{VENUE_TIMEZONE, venue_date};
use crate::entries::Entry;
use crate::programme::EventSpec;

/// Parses a unit code written by the simulator.
pub fn unit(code: &str) -> Result<UnitCode, SimError> {
    code.parse()
        .map_err(|error: domain::DomainError| SimError::Data {
            what: format!("unit code {code}"),
            reason: error.to_string(),
        })
}

/// Parses an event code.
pub fn event(code: &str) -> Result<EventCode, SimError> {
    code.parse()
        .map_err(|error: domain::DomainError| SimError::Data {
            what: format!("event code {code}"),
            reason: error.to_string(),
        })
}

/// A definition being drafted.
#[derive(Debug, Clone)]
pub struct Draft {
    definition: EventDefinition,
}

impl Draft {
    pub fn new(
        spec: &EventSpec,
        format: ScoringFormat,
        entries: &[Entry],
    ) -> Result<Self, SimError> {
        Ok(Self {
            definition: EventDefinition {
                code: event(spec.code)?,
                name: spec.name.to_owned(),
                format,
                phases: Vec::new(),
                medal_unit: unit("FNL")?,
                bronze_unit: None,
                venue: Some(Venue {
                    name: spec.venue.name().to_owned(),
                    timezone: VENUE_TIMEZONE.to_owned(),
                }),
                schedule: Vec::new(),
                participants: entries.iter().map(Entry::participant).collect(),
                seeding: Vec::new(),
                bracket: Vec::new(),
            },
        })
    }

    /// Adds a phase. `format` overrides the event's default format.
    pub fn phase(
        &mut self,
        code: &str,
        name: &str,
        units: &[UnitCode],
        format: Option<ScoringFormat>,
        advancement: Option<Advancement>,
    ) -> Result<(), SimError> {
        self.definition.phases.push(PhaseDefinition {
            code: unit(code)?,
            name: name.to_owned(),
            units: units.to_vec(),
            format,
            advancement,
        });
        Ok(())
    }

    pub fn medal_unit(&mut self, code: &UnitCode) {
        self.definition.medal_unit = code.clone();
    }

    pub fn bronze_unit(&mut self, code: &UnitCode) {
        self.definition.bronze_unit = Some(code.clone());
    }

    /// Schedules a unit held in one session.
    pub fn schedule(&mut self, unit: &UnitCode, start_ms: u64) -> Result<(), SimError> {
        self.sessions(unit, &[start_ms])
    }

    /// Schedules a unit held over several sessions (runs on two days, a short and a free program): one
    /// entry per day, the last day first, because the domain dates a unit's medals by its first entry.
    pub fn sessions(&mut self, unit: &UnitCode, starts: &[u64]) -> Result<(), SimError> {
        let mut by_day: Vec<(crate::calendar::Date, u64)> = Vec::new();
        for &start in starts {
            let date = venue_date(start);
            if !by_day.iter().any(|(d, _)| *d == date) {
                by_day.push((date, start));
            }
        }
        by_day.sort_by_key(|d| std::cmp::Reverse(d.0));
        for (date, start) in by_day {
            self.definition.schedule.push(ScheduledUnit {
                unit: unit.clone(),
                day: date.logical_day().map_err(|error| SimError::Data {
                    what: format!("day of {unit}"),
                    reason: error.to_string(),
                })?,
                start_utc_ms: Some(start),
            });
        }
        Ok(())
    }

    pub fn build(self) -> EventDefinition {
        self.definition
    }
}
