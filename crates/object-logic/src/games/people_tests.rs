//! The views of people (athletes, countries, search) built from real event states' digests: an alpine
//! slalom of two runs with three entrants, one of whom does not finish the first run.

use domain::{ApplyContext, EventDefinition, EventState, ResultsMessage};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
use wire::digest::EventDigest;

use super::Games;

fn slalom() -> EventState {
    let definition: EventDefinition = serde_json::from_value(serde_json::json!({
        "code": "ALPMSLALOM", "name": "Men's Slalom",
        "format": { "type": "lowest_time", "precision": "hundredths" },
        "phases": [
            { "code": "R1", "name": "Run 1", "units": ["R1"] },
            { "code": "R2", "name": "Run 2", "units": ["R2"] }
        ],
        "medal_unit": "R2",
        "schedule": [
            { "unit": "R1", "day": "2026-02-16", "start_utc_ms": 1000 },
            { "unit": "R2", "day": "2026-02-16", "start_utc_ms": 2000 }
        ],
        "participants": [
            { "id": "ODERMATT", "name": "Marco Odermatt", "noc": "SUI", "kind": "athlete" },
            { "id": "BOE", "name": "Johannes Thingnes Bø", "noc": "NOR", "kind": "athlete" },
            { "id": "KILDE", "name": "Aleksander Aamodt Kilde", "noc": "NOR", "kind": "athlete" }
        ]
    }))
    .unwrap();
    EventState::try_new(definition).unwrap()
}

/// Posts `unit`'s results: each (id, name, noc, time in ms or an IRM).
fn post(
    state: &mut EventState,
    unit: &str,
    version: u64,
    status: &str,
    rows: &[(&str, &str, &str, Result<u64, &str>)],
) {
    let entries: Vec<serde_json::Value> = rows
        .iter()
        .map(|(id, name, noc, mark)| match mark {
            Ok(ms) => serde_json::json!({ "competitor": id, "name": name, "noc": noc,
                "mark": { "kind": "time", "time_ms": ms } }),
            Err(irm) => {
                serde_json::json!({ "competitor": id, "name": name, "noc": noc, "irm": irm })
            }
        })
        .collect();
    let message: ResultsMessage = serde_json::from_value(serde_json::json!({
        "message_id": format!("{unit}-{version}"), "unit": unit, "version": version,
        "status": status, "entries": entries
    }))
    .unwrap();
    let ctx = ApplyContext {
        feed: "test".into(),
        received_at_ms: version,
    };
    state.apply_results(message, &ctx).unwrap();
}

const FIRST_RUN: [(&str, &str, &str, Result<u64, &str>); 3] = [
    ("ODERMATT", "Marco Odermatt", "SUI", Ok(50_000)),
    ("BOE", "Johannes Thingnes Bø", "NOR", Ok(50_500)),
    ("KILDE", "Aleksander Aamodt Kilde", "NOR", Err("DNF")),
];

fn games_of(state: &EventState) -> Games {
    let mut games = Games::default();
    games.apply(EventDigest::of(state)).unwrap();
    games
}

fn id(text: &str) -> domain::CompetitorId {
    text.parse().unwrap()
}

#[test]
fn an_athlete_page_lists_each_run_by_name_and_the_next_run_until_they_are_out() {
    let mut state = slalom();
    let games = games_of(&state);
    let before = games.athlete(id("BOE")).unwrap();
    assert_eq!(before.name, Some("Johannes Thingnes Bø"));
    assert_eq!(before.noc_name, Some("Norway"));
    assert_eq!(before.next.as_ref().map(|n| n.unit.as_str()), Some("R1"));
    assert_eq!(
        before.next.as_ref().and_then(|n| n.unit_name),
        Some("Run 1")
    );

    post(&mut state, "R1", 1, "OFFICIAL", &FIRST_RUN);
    let games = games_of(&state);
    let boe = games.athlete(id("BOE")).unwrap();
    let run1 = &boe.events[0].results[0];
    assert_eq!(
        (run1.placement.rank, run1.unit_name),
        (Some(2), Some("Run 1"))
    );
    assert_eq!(boe.next.as_ref().map(|n| n.unit.as_str()), Some("R2"));
    // Did not finish the first run: out of the event, nothing next.
    let kilde = games.athlete(id("KILDE")).unwrap();
    assert!(kilde.next.is_none());
    assert!(games.athlete(id("NOBODY")).is_none());
}

#[test]
fn a_country_page_lists_its_entries_athletes_and_medals() {
    let mut state = slalom();
    post(&mut state, "R1", 1, "OFFICIAL", &FIRST_RUN);
    post(
        &mut state,
        "R2",
        2,
        "OFFICIAL",
        &[
            ("BOE", "Johannes Thingnes Bø", "NOR", Ok(100_000)),
            ("ODERMATT", "Marco Odermatt", "SUI", Ok(100_100)),
        ],
    );
    let games = games_of(&state);
    let norway = games.noc("NOR".parse().unwrap());
    assert_eq!(
        (norway.name.as_str(), norway.flag.as_deref()),
        ("Norway", Some("🇳🇴"))
    );
    let entries: Vec<(&str, Option<u32>)> = norway
        .entries
        .iter()
        .map(|e| (e.name, e.result.as_ref().and_then(|r| r.placement.rank)))
        .collect();
    // Kilde's latest placement is his run 1 DNF (no rank); Bø's is the medal run.
    assert_eq!(
        entries,
        [
            ("Johannes Thingnes Bø", Some(1)),
            ("Aleksander Aamodt Kilde", None)
        ]
    );
    let athletes: Vec<(&str, u32)> = norway
        .athletes
        .iter()
        .map(|a| (a.name, a.medals.gold))
        .collect();
    assert_eq!(
        athletes,
        [("Johannes Thingnes Bø", 1), ("Aleksander Aamodt Kilde", 0)]
    );
    assert_eq!(norway.standing.map(|s| s.rank), Some(1));

    let lines: Vec<(String, usize, u32)> = games
        .nocs()
        .into_iter()
        .map(|l| (l.name, l.athletes, l.medals.total))
        .collect();
    assert_eq!(
        lines,
        [
            ("Norway".to_owned(), 2, 1),
            ("Switzerland".to_owned(), 1, 1)
        ]
    );
}

#[test]
fn one_search_finds_athletes_countries_and_events_ignoring_case_and_accents() {
    let games = games_of(&slalom());
    let names = |q: &str| {
        let found = games.search(q);
        let mut all: Vec<String> = found.athletes.iter().map(|a| a.name.to_owned()).collect();
        all.extend(found.nocs.iter().map(|n| n.name.clone()));
        all.extend(found.events.iter().map(|e| e.name.to_owned()));
        all
    };
    assert_eq!(names("bo johannes"), ["Johannes Thingnes Bø"]);
    assert_eq!(names("ODERMAT"), ["Marco Odermatt"]);
    assert_eq!(names("sui"), ["Switzerland"]);
    assert_eq!(names("norw"), ["Norway"]);
    assert_eq!(names("alpm"), ["Men's Slalom"]);
    assert_eq!(names("slalom men"), ["Men's Slalom"]);
    assert!(names("curling").is_empty());
}
