//! The Games the load generator plays: `events` events over four disciplines, the first `live` of them
//! in progress (their feed sends a new version of the final's results with every update, more racers
//! finishing, then times corrected), the others finished (one OFFICIAL result: medals in the medal table,
//! the countries and the athletes). The most popular events are the live ones, as on a real day.

use serde_json::{Value, json};

const DISCIPLINES: [&str; 4] = ["ALP", "BTH", "CCS", "SSK"];
const NOCS: [&str; 12] = [
    "NOR", "GER", "USA", "CAN", "AUT", "SUI", "NED", "ITA", "FRA", "SWE", "JPN", "KOR",
];
/// Racers per event: a typical field, so a page and a live message carry the whole of it.
pub const FIELD: usize = 30;
/// The competition day of every live event (what the schedule's hot document asks for).
pub const LIVE_DAY: &str = "2026-02-12";
const FINISHED_DAY: &str = "2026-02-10";
/// 2026-02-12 10:00 UTC.
const LIVE_START_MS: u64 = 1_770_890_400_000;

#[derive(Debug, Clone)]
pub struct Event {
    pub code: String,
    pub live: bool,
    pub gender: char,
}

impl Event {
    pub fn competitor(&self, index: usize) -> String {
        format!("{}R{:02}", &self.code[self.code.len() - 3..], index + 1)
    }

    pub fn noc(&self, index: usize) -> &'static str {
        NOCS[(index * 7 + self.code.len()) % NOCS.len()]
    }
}

/// The events, most popular first: the live ones lead.
pub fn events(count: usize, live: usize) -> Vec<Event> {
    (0..count)
        .map(|i| {
            let gender = if i % 2 == 0 { 'M' } else { 'W' };
            Event {
                code: format!("{}{gender}LOAD{i:03}", DISCIPLINES[i % DISCIPLINES.len()]),
                live: i < live,
                gender,
            }
        })
        .collect()
}

pub fn definition(event: &Event) -> Value {
    let day = if event.live { LIVE_DAY } else { FINISHED_DAY };
    let start = if event.live {
        LIVE_START_MS
    } else {
        LIVE_START_MS - 2 * 86_400_000
    };
    json!({
        "code": event.code,
        "name": format!("Load test {}", event.code),
        "format": { "type": "lowest_time", "precision": "hundredths" },
        "phases": [{ "code": "FNL", "name": "Final", "units": ["FNL"] }],
        "medal_unit": "FNL",
        "venue": { "name": "Load test venue", "timezone": "Europe/Rome" },
        "schedule": [{ "unit": "FNL", "day": day, "start_utc_ms": start }],
        "participants": (0..FIELD).map(|i| json!({
            "id": event.competitor(i),
            "name": format!("Racer {} of {}", i + 1, event.code),
            "noc": event.noc(i),
            "kind": "athlete",
        })).collect::<Vec<_>>(),
    })
}

/// Version `version` of the final's results: racers finish one per version, then times are corrected, so
/// every version differs from the one before. Racer 1 is the fastest, so the finished events' medallists
/// are racers 1 to 3.
pub fn results(event: &Event, version: u64, official: bool) -> Value {
    let finished = if official {
        FIELD
    } else {
        usize::try_from(version).unwrap_or(FIELD).clamp(1, FIELD)
    };
    let entries: Vec<Value> = (0..FIELD)
        .map(|i| {
            let mut entry = json!({
                "competitor": event.competitor(i),
                "name": format!("Racer {} of {}", i + 1, event.code),
                "noc": event.noc(i),
                "start_order": i + 1,
            });
            if i < finished {
                // Spread by place, plus a wobble that moves with the version (a correction).
                let wobble = (version * 7919 + i as u64 * 104_729) % 40;
                entry["mark"] =
                    json!({ "kind": "time", "time_ms": 100_000 + i as u64 * 50 + wobble });
            }
            entry
        })
        .collect();
    json!({
        "message_id": format!("{}-{version}", event.code),
        "unit": "FNL",
        "version": version,
        "status": if official { "OFFICIAL" } else { "LIVE" },
        "entries": entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_events_lead_and_codes_are_valid_event_codes() {
        let list = events(6, 2);
        assert!(list[0].live && list[1].live && !list[2].live);
        for event in &list {
            let code: Result<domain::EventCode, _> = event.code.parse();
            assert!(code.is_ok(), "{}", event.code);
        }
    }

    #[test]
    fn definitions_and_results_are_what_the_domain_accepts() {
        for event in events(4, 2) {
            let definition: Result<domain::EventDefinition, _> =
                serde_json::from_value(definition(&event));
            assert!(definition.is_ok(), "{definition:?}");
            let message: Result<domain::ResultsMessage, _> =
                serde_json::from_value(results(&event, 3, !event.live));
            assert!(message.is_ok(), "{message:?}");
        }
    }
}
