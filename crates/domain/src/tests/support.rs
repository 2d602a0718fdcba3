//! Builders for definitions and messages, a text rendering of leaderboards, and a tiny deterministic PRNG.

use crate::*;

pub fn code<T: std::str::FromStr>(text: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    match text.parse() {
        Ok(value) => value,
        Err(error) => unreachable!("test code {text:?} is invalid: {error:?}"),
    }
}

pub fn ok<T>(result: Result<T, DomainError>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => unreachable!("unexpected error: {error}"),
    }
}

pub fn err<T: std::fmt::Debug>(result: Result<T, DomainError>) -> DomainError {
    match result {
        Ok(value) => unreachable!("expected an error, got {value:?}"),
        Err(error) => error,
    }
}

pub fn ctx() -> ApplyContext {
    ApplyContext {
        feed: "odf-test".into(),
        received_at_ms: 1_770_000_000_000,
    }
}

/// A one-phase event whose single unit `FNL` is the medal unit.
pub fn single_unit_event(event: &str, format: ScoringFormat) -> EventDefinition {
    EventDefinition {
        code: code(event),
        name: format!("Test {event}"),
        format,
        phases: vec![PhaseDefinition {
            code: code("FNL"),
            name: "Final".into(),
            units: vec![code("FNL")],
            format: None,
            advancement: None,
        }],
        medal_unit: code("FNL"),
        bronze_unit: None,
        venue: None,
        schedule: vec![ScheduledUnit {
            unit: code("FNL"),
            day: code("2026-02-08"),
            start_utc_ms: None,
        }],
        participants: Vec::new(),
        seeding: Vec::new(),
        bracket: Vec::new(),
    }
}

pub fn hundredths() -> ScoringFormat {
    ScoringFormat::LowestTime {
        precision: TimePrecision::Hundredths,
        rounding: Rounding::Truncate,
    }
}

pub fn entry(id: &str, mark: Option<Mark>, irm: Option<Irm>) -> ResultEntry {
    ResultEntry {
        competitor: code(id),
        name: format!("Athlete {id}"),
        noc: code(noc_of(id)),
        mark,
        irm,
        start_order: None,
        members: Vec::new(),
    }
}

/// Test athletes' NOCs follow their first letter, so tables get a spread of nations.
pub fn noc_of(id: &str) -> &'static str {
    match id.as_bytes().first() {
        Some(b'A') => "AUT",
        Some(b'B') => "SUI",
        Some(b'C') => "CAN",
        Some(b'D') => "GER",
        Some(b'E') => "NOR",
        Some(b'F') => "FRA",
        _ => "ITA",
    }
}

pub fn time(ms: u64) -> Option<Mark> {
    Some(Mark::Time { time_ms: ms })
}

pub fn points(points: f64) -> Option<Mark> {
    Some(Mark::Points { points })
}

pub fn msg(
    unit: &str,
    version: u64,
    status: ResultStatus,
    entries: Vec<ResultEntry>,
) -> ResultsMessage {
    ResultsMessage {
        message_id: format!("{unit}-v{version}"),
        unit: code(unit),
        version,
        status,
        entries,
        note: None,
    }
}

/// Applies and returns the change, failing the test otherwise.
pub fn applied(state: &mut EventState, message: ResultsMessage) -> AppliedChange {
    match ok(state.apply_results(message, &ctx())) {
        ApplyOutcome::Applied(change) => change,
        other => unreachable!("expected Applied, got {other:?}"),
    }
}

/// Renders rows as one line each: `rank[=] id mark [irm] [medal] [Q|q]`, `-` for no rank.
pub fn render(rows: &[LeaderboardRow]) -> String {
    rows.iter()
        .map(|row| {
            let mut parts = vec![
                match row.rank {
                    Some(rank) => format!("{rank}{}", if row.rank_equal { "=" } else { "" }),
                    None => "-".into(),
                },
                row.competitor.to_string(),
            ];
            parts.extend(row.mark.clone());
            parts.extend(row.irm.map(|irm| irm.as_str().to_owned()));
            parts.extend(row.medal.map(|medal| format!("{medal:?}").to_uppercase()));
            parts.extend(row.qualification.map(|q| match q {
                Qualification::ByRank => "Q".to_owned(),
                Qualification::ByMark => "q".to_owned(),
            }));
            parts.join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole leaderboard of a unit, rendered.
pub fn board(state: &EventState, unit: &str) -> String {
    let page = ok(state.leaderboard(&LeaderboardQuery {
        unit: Some(code(unit)),
        limit: Some(500),
        ..Default::default()
    }));
    render(&page.rows)
}

/// Compares rendered text with an expectation written as an indented block.
pub fn check(actual: &str, expected: &str) {
    let expected: Vec<&str> = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let actual: Vec<&str> = actual
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(actual, expected, "\nactual:\n{}\n", actual.join("\n"));
}

/// Ranks `entries` in a one-unit event with `format`, OFFICIAL, and checks the rendered board.
pub fn check_ranking(format: ScoringFormat, entries: Vec<ResultEntry>, expected: &str) {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", format));
    applied(&mut state, msg("FNL", 1, ResultStatus::Official, entries));
    check(&board(&state, "FNL"), expected);
}

/// The workspace's one seeded generator (SplitMix64), so a failing property's seed replays anywhere.
pub use rng::Rng;
