//! DT_SCHEDULE and DT_PARTIC → event definitions with their schedule and participants updated.
//!
//! Both documents cover a whole discipline; only events defined here are touched, and within them only
//! units the definition has. What is left out is reported as [`Skipped`], never guessed at. A unit's
//! `@StartDate` (ISO 8601 with the venue's offset) gives its logical day (the venue's date) and its start
//! in UTC. A participant registered in an event (`Discipline/RegisteredEvent/@Event`) is added to it, or
//! renamed; a participant's NOC is never changed here (results already stored may name it), so a changed
//! `@Organisation` is refused.

use std::collections::BTreeMap;

use domain::{
    CompetitorId, CompetitorKind, EventCode, EventDefinition, LogicalDay, Noc, Participant,
    ScheduledUnit,
};
use serde::Serialize;

use crate::document::OdfBody;
use crate::error::{OdfError, paths};
use crate::mapped::{Mapped, Message};
use crate::rsc;
use crate::values::required;

/// Something in the document that this system left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub element: String,
    pub reason: String,
}

/// The events a DT_SCHEDULE or DT_PARTIC names, each with the elements that name it (in order).
pub fn events(body: &OdfBody) -> Result<BTreeMap<EventCode, Vec<String>>, OdfError> {
    let mut out: BTreeMap<EventCode, Vec<String>> = BTreeMap::new();
    let Some(competition) = body.competition.as_ref() else {
        return Ok(out);
    };
    for (i, unit) in competition.units.iter().enumerate() {
        let element = paths::child("Unit", i);
        let code_path = paths::attr(&element, "Code");
        let rsc = rsc::parse(required(unit.code.as_ref(), &code_path)?, &code_path)?;
        out.entry(rsc.event).or_default().push(element);
    }
    for (p, participant) in competition.participants.iter().enumerate() {
        for (d, discipline) in participant.disciplines.iter().enumerate() {
            for (e, registered) in discipline.events.iter().enumerate() {
                let element = format!(
                    "{}/Discipline[{}]/RegisteredEvent[{}]",
                    paths::child("Participant", p),
                    d + 1,
                    e + 1
                );
                let event_path = paths::attr(&element, "Event");
                let rsc = rsc::parse(
                    required(registered.event.as_ref(), &event_path)?,
                    &event_path,
                )?;
                out.entry(rsc.event).or_default().push(element);
            }
        }
    }
    Ok(out)
}

/// The definition with the schedule of every unit the document gives a start for.
pub fn schedule(
    body: &OdfBody,
    definition: &EventDefinition,
) -> Result<(Mapped, Vec<Skipped>), OdfError> {
    let mut updated = definition.clone();
    let mut skipped = Vec::new();
    let mut sources = Vec::new();
    let units = body
        .competition
        .as_ref()
        .map(|c| &c.units[..])
        .unwrap_or(&[]);
    for (i, unit) in units.iter().enumerate() {
        let element = paths::child("Unit", i);
        let code_path = paths::attr(&element, "Code");
        let rsc = rsc::parse(required(unit.code.as_ref(), &code_path)?, &code_path)?;
        if rsc.event != definition.code {
            continue;
        }
        let Some(code) = rsc.unit else {
            skipped.push(Skipped {
                element,
                reason: "an event-level code has no unit to schedule".into(),
            });
            continue;
        };
        if !definition
            .phases
            .iter()
            .any(|phase| phase.units.contains(&code))
        {
            skipped.push(Skipped {
                element,
                reason: format!("{} has no unit {code}", definition.code),
            });
            continue;
        }
        let Some(start) = unit.start_date.as_deref().filter(|s| !s.trim().is_empty()) else {
            skipped.push(Skipped {
                element,
                reason: "no StartDate: the unit keeps its schedule".into(),
            });
            continue;
        };
        let start_path = paths::attr(&element, "StartDate");
        let (day, start_utc_ms) = start_date(start, &start_path)?;
        let line = ScheduledUnit {
            unit: code.clone(),
            day,
            start_utc_ms: Some(start_utc_ms),
        };
        let index = match updated.schedule.iter().position(|s| s.unit == code) {
            Some(index) => {
                if let Some(slot) = updated.schedule.get_mut(index) {
                    *slot = line;
                }
                index
            }
            None => {
                updated.schedule.push(line);
                updated.schedule.len() - 1
            }
        };
        sources.push((format!("schedule[{index}]"), start_path));
    }
    let mut mapped = Mapped::new(
        definition.code.clone(),
        Message::Definition(Box::new(updated)),
    );
    for (field, element) in sources {
        mapped.source(field, element);
    }
    Ok((mapped, skipped))
}

/// The definition with every participant the document registers in its event added (or renamed).
pub fn participants(
    body: &OdfBody,
    definition: &EventDefinition,
) -> Result<(Mapped, Vec<Skipped>), OdfError> {
    let mut updated = definition.clone();
    let mut sources = Vec::new();
    let people = body
        .competition
        .as_ref()
        .map(|c| &c.participants[..])
        .unwrap_or(&[]);
    for (p, person) in people.iter().enumerate() {
        let element = paths::child("Participant", p);
        let registered = person.disciplines.iter().flat_map(|d| &d.events).any(|e| {
            e.event
                .as_deref()
                .and_then(|code| rsc::parse(code, "").ok())
                .is_some_and(|rsc| rsc.event == definition.code)
        });
        if !registered {
            continue;
        }
        let code_path = paths::attr(&element, "Code");
        let id = required(person.code.as_ref(), &code_path)?
            .parse::<CompetitorId>()
            .map_err(|error| OdfError::invalid(&code_path, error.to_string()))?;
        let noc_path = paths::attr(&element, "Organisation");
        let noc = required(person.organisation.as_ref(), &noc_path)?
            .parse::<Noc>()
            .map_err(|error| OdfError::invalid(&noc_path, error.to_string()))?;
        let name = [person.given_name.as_deref(), person.family_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let name = if name.is_empty() {
            id.to_string()
        } else {
            name
        };
        let index = match updated.participants.iter().position(|known| known.id == id) {
            Some(index) => {
                if let Some(known) = updated.participants.get_mut(index) {
                    if known.noc != noc {
                        return Err(OdfError::invalid(
                            noc_path,
                            format!(
                                "{id} is entered for {} in {}; a NOC is not changed by ODF",
                                known.noc, definition.code
                            ),
                        ));
                    }
                    known.name = name;
                }
                index
            }
            None => {
                updated.participants.push(Participant {
                    id,
                    name,
                    noc,
                    kind: CompetitorKind::Athlete,
                    members: Vec::new(),
                });
                updated.participants.len() - 1
            }
        };
        sources.push((format!("participants[{index}]"), element.clone()));
        sources.push((format!("participants[{index}].name"), element.clone()));
    }
    let mut mapped = Mapped::new(
        definition.code.clone(),
        Message::Definition(Box::new(updated)),
    );
    for (field, element) in sources {
        mapped.source(field, element);
    }
    Ok((mapped, Vec::new()))
}

/// `2026-02-07T11:30:00+01:00` (or `…Z`, with optional fractions of a second): the local date and the
/// instant in Unix milliseconds.
pub fn start_date(text: &str, path: &str) -> Result<(LogicalDay, u64), OdfError> {
    let bad = || {
        OdfError::invalid(
            path,
            format!("{text:?} is not a date and time such as 2026-02-07T11:30:00+01:00"),
        )
    };
    let text = text.trim();
    let (date, rest) = text.split_once('T').ok_or_else(bad)?;
    let day = date.parse::<LogicalDay>().map_err(|_| bad())?;
    let (clock, offset_minutes) = if let Some(clock) = rest.strip_suffix('Z') {
        (clock, 0i64)
    } else {
        let at = rest.rfind(['+', '-']).ok_or_else(bad)?;
        let (clock, offset) = rest.split_at(at);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = offset
            .get(1..)
            .and_then(|o| o.split_once(':'))
            .ok_or_else(bad)?;
        let hours: i64 = hours.parse().map_err(|_| bad())?;
        let minutes: i64 = minutes.parse().map_err(|_| bad())?;
        (clock, sign * (hours * 60 + minutes))
    };
    let clock = clock.split('.').next().unwrap_or(clock);
    let mut parts = clock.split(':').map(|p| p.parse::<i64>());
    let (Some(Ok(hour)), Some(Ok(minute)), second) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let second = match second {
        Some(Ok(second)) => second,
        Some(Err(_)) => return Err(bad()),
        None => 0,
    };
    if !(0..24).contains(&hour) || !(0..60).contains(&minute) || !(0..61).contains(&second) {
        return Err(bad());
    }
    let (y, m, d) = day.ymd();
    let days = days_from_civil(i64::from(y), i64::from(m), i64::from(d));
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    let ms = u64::try_from(seconds)
        .map_err(|_| bad())?
        .saturating_mul(1000);
    Ok((day, ms))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_dates_give_the_venue_day_and_the_utc_instant() {
        let check = |text: &str| {
            start_date(text, "p")
                .map(|(day, ms)| format!("{day} {ms}"))
                .unwrap_or_else(|e| e.to_string())
        };
        // 2026-02-07 11:30 in Bormio (UTC+1) is 10:30 UTC.
        assert_eq!(
            check("2026-02-07T11:30:00+01:00"),
            "2026-02-07 1770460200000"
        );
        assert_eq!(check("2026-02-07T10:30:00Z"), "2026-02-07 1770460200000");
        assert_eq!(
            check("2026-02-07T10:30:00.000Z"),
            "2026-02-07 1770460200000"
        );
        // A session past midnight keeps the day of its own start.
        assert_eq!(
            check("2026-02-08T00:30:00+01:00"),
            "2026-02-08 1770507000000"
        );
        assert!(check("2026-02-30T10:00:00Z").contains("not a date"));
        assert!(check("tomorrow").contains("not a date"));
    }
}
