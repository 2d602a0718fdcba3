//! JSON and MessagePack round trips of every boundary type, and the stored-state fixture of schema 1.

use serde::{Serialize, de::DeserializeOwned};

use super::support::*;
use crate::*;

/// Encodes to JSON and to named MessagePack and back, and checks nothing was lost.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let json = match serde_json::to_string(value) {
        Ok(json) => json,
        Err(error) => unreachable!("json encode: {error}"),
    };
    let back: T = match serde_json::from_str(&json) {
        Ok(back) => back,
        Err(error) => unreachable!("json decode of {json}: {error}"),
    };
    assert_eq!(&back, value, "json {json}");
    let bytes = ok(storage::to_msgpack(value));
    assert_eq!(&ok(storage::from_msgpack::<T>(&bytes)), value, "msgpack");
}

/// A downhill with a correction, a hockey tournament with games, and everything derived from them.
pub fn sample_state() -> EventState {
    let mut definition = single_unit_event("ALPMDOWNHILL", hundredths());
    definition.venue = Some(Venue {
        name: "Stelvio, Bormio".into(),
        timezone: "Europe/Rome".into(),
    });
    definition.participants = ["A", "B", "C"]
        .iter()
        .map(|id| Participant {
            id: code(id),
            name: format!("Athlete {id}"),
            noc: code(noc_of(id)),
            kind: CompetitorKind::Athlete,
            members: vec![],
        })
        .collect();
    let mut state = ok(EventState::try_new(definition));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Official,
            vec![
                entry("A", time(103_210), None),
                entry("B", time(103_300), None),
                entry("C", None, Some(Irm::Dnf)),
            ],
        ),
    );
    let mut correction = msg(
        "FNL",
        2,
        ResultStatus::Official,
        vec![
            entry("A", time(103_210), Some(Irm::Dsq)),
            entry("B", time(103_300), None),
            entry("C", None, Some(Irm::Dnf)),
        ],
    );
    correction.note = Some("A disqualified: ski length".into());
    applied(&mut state, correction);
    state
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_boundary_type_round_trips() {
    let state = sample_state();
    round_trip(state.definition());
    round_trip(&msg(
        "FNL",
        1,
        ResultStatus::Live,
        vec![entry("A", time(1), None)],
    ));
    let marks = vec![
        Mark::Time { time_ms: 1 },
        Mark::Runs {
            runs_ms: vec![1, 2],
        },
        Mark::Points { points: 12.5 },
        Mark::Scores {
            scores: vec![Some(1.5), None],
        },
        Mark::TimePenalties {
            time_ms: 5,
            penalties: 2,
        },
        Mark::Jumps {
            jumps: vec![Jump {
                distance_m: 130.5,
                judges: vec![18.0; 5],
                gate_points: 1.2,
                wind_points: -0.4,
            }],
        },
        Mark::Segments {
            segments: vec![Segment {
                technical: 50.1,
                components: 40.2,
                deductions: 1.0,
            }],
        },
        Mark::Position {
            position: 3,
            time_ms: Some(4),
        },
        Mark::Position {
            position: 3,
            time_ms: None,
        },
    ];
    for mark in &marks {
        round_trip(mark);
    }
    round_trip(&GameResult {
        message_id: "g".into(),
        unit: code("GRPA-G01"),
        version: 2,
        status: ResultStatus::Official,
        home: GameSide {
            competitor: code("SWE"),
            name: "Sweden".into(),
            noc: code("SWE"),
            dsc_cm: Some(23.4),
        },
        away: GameSide {
            competitor: code("GBR"),
            name: "Great Britain".into(),
            noc: code("GBR"),
            dsc_cm: None,
        },
        home_score: 7,
        away_score: 6,
        decided_in: DecidedIn::ExtraEnd,
        note: None,
    });
    round_trip(&ok(state.leaderboard(&LeaderboardQuery::default())));
    round_trip(&LeaderboardQuery {
        unit: Some(code("FNL")),
        limit: Some(3),
        cursor: Some("3".into()),
        around: None,
        final_ranking: true,
    });
    round_trip(&state.medals());
    round_trip(&state.audit().to_vec());
    round_trip(&ctx());
    round_trip(&ApplyOutcome::Duplicate { unit_version: 3 });
    round_trip(&ApplyOutcome::Stale { current_version: 3 });
    round_trip(&MedalTable::build(
        &state.medals(),
        &MedalFilter::default(),
        MedalOrder::Total,
    ));
    round_trip(&MedalFilter {
        sport: Some(Sport::Skiing),
        discipline: Some(Discipline::AlpineSkiing),
        gender: Some(Gender::Men),
        day: Some(code("2026-02-07")),
        noc: Some(code("SUI")),
    });
    round_trip(&athletes(
        &state.medals(),
        &MedalFilter::default(),
        MedalOrder::GoldFirst,
    ));
    round_trip(&breakdown(
        &state.medals(),
        &MedalFilter::default(),
        Breakdown::Gender,
    ));
    round_trip(&EventMedals {
        event: code("ALPMDOWNHILL"),
        event_version: 2,
        awards: state.medals(),
    });
    round_trip(&state);
    for discipline in Discipline::ALL {
        round_trip(&discipline);
        round_trip(&discipline.sport());
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn stored_state_round_trips_and_rebuilds_rankings() {
    let state = sample_state();
    let bytes = ok(state.to_bytes());
    let loaded = ok(EventState::from_bytes(&bytes));
    assert_eq!(loaded, state);
    assert_eq!(
        board(&loaded, "FNL"),
        "1 B 1:43.30 GOLD\n- C DNF\n- A 1:43.21 DSQ"
    );
    assert!(matches!(
        EventState::from_bytes(b"junk"),
        Err(DomainError::Storage { .. })
    ));
    let future = ok(storage::to_msgpack(
        &serde_json::json!({ "schema": 99, "state": {} }),
    ));
    let error = err(EventState::from_bytes(&future));
    assert!(error.to_string().contains("unknown schema 99"), "{error}");
}

/// The state written by schema 1, committed. It must load forever; when the schema changes, keep this
/// file and add a fixture for the new schema. Regenerate only with `DOMAIN_WRITE_FIXTURES=1`.
const SCHEMA_1_FIXTURE: &[u8] = include_bytes!("fixtures/event_state_schema1.rmp");

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn committed_schema_1_fixture_still_loads() {
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("DOMAIN_WRITE_FIXTURES").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/tests/fixtures/event_state_schema1.rmp"
        );
        assert!(std::fs::write(path, ok(sample_state().to_bytes())).is_ok());
    }
    let loaded = ok(EventState::from_bytes(SCHEMA_1_FIXTURE));
    assert_eq!(loaded.version(), 2);
    assert_eq!(
        board(&loaded, "FNL"),
        "1 B 1:43.30 GOLD\n- C DNF\n- A 1:43.21 DSQ"
    );
    assert_eq!(loaded.audit().len(), 2);
    assert_eq!(loaded.medals().len(), 1);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn derived_and_wrapper_types_round_trip() {
    let mut state = EventState::new(single_unit_event("BTHMSPRINT", hundredths()));
    let message = FeedMessage::Results(msg(
        "FNL",
        1,
        ResultStatus::Official,
        vec![entry("A", time(1_400_000), None)],
    ));
    round_trip(&message);
    let json = r#"{"type":"results","message_id":"m1","unit":"FNL","version":1,"status":"LIVE","entries":[]}"#;
    assert!(serde_json::from_str::<FeedMessage>(json).is_ok());
    let json = r#"{"type":"results","message_id":"m1","unit":"FNL","version":1,"status":"LIVE","entries":[],"x":1}"#;
    assert!(
        serde_json::from_str::<FeedMessage>(json).is_err(),
        "unknown fields are still rejected"
    );
    let outcome = ok(state.apply(message, &ctx()));
    round_trip(&outcome);
    round_trip(&ok(state.start_gaps(&code("FNL"), GapRule::TimeBehind)));
    round_trip(&GapRule::PointsBehind {
        ms_per_point: 4_000,
    });
    let mut book = MedalBook::new();
    ok(book.update(EventMedals {
        event: code("BTHMSPRINT"),
        event_version: state.version(),
        awards: state.medals(),
    }));
    round_trip(&book);
    let table = book.table(&MedalFilter::default(), MedalOrder::GoldFirst);
    round_trip(&ok(table.page(None, None, None)));
    round_trip(&medallists(book.awards(), &MedalFilter::default()));
    round_trip(&state.unit(&code("FNL")).cloned());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn extreme_and_garbage_input_is_an_error_not_a_panic() {
    let marks = [
        Mark::Time { time_ms: u64::MAX },
        Mark::Points { points: f64::NAN },
        Mark::Points {
            points: f64::INFINITY,
        },
        Mark::Points { points: -1e300 },
        Mark::Runs { runs_ms: vec![] },
        Mark::Runs {
            runs_ms: vec![u64::MAX; 3],
        },
        Mark::Scores {
            scores: vec![None, None],
        },
        Mark::Scores {
            scores: vec![Some(f64::MAX)],
        },
        Mark::TimePenalties {
            time_ms: 1,
            penalties: u32::MAX,
        },
        Mark::Jumps {
            jumps: vec![Jump {
                distance_m: f64::NAN,
                judges: vec![],
                gate_points: 0.0,
                wind_points: 0.0,
            }],
        },
        Mark::Jumps {
            jumps: vec![Jump {
                distance_m: 100.0,
                judges: vec![25.0; 5],
                gate_points: 0.0,
                wind_points: 0.0,
            }],
        },
        Mark::Segments {
            segments: vec![Segment {
                technical: -1.0,
                components: 1.0,
                deductions: 0.0,
            }],
        },
        Mark::Position {
            position: u32::MAX,
            time_ms: None,
        },
        Mark::Position {
            position: 0,
            time_ms: None,
        },
    ];
    let formats = [
        hundredths(),
        ScoringFormat::HighestPoints { decimals: 3 },
        ScoringFormat::SumOfRuns {
            runs: 2,
            precision: TimePrecision::Seconds,
            rounding: Rounding::HalfUp,
        },
        ScoringFormat::BestOfRuns {
            runs: 2,
            counting: 1,
            decimals: 0,
            tiebreak_next_best: true,
        },
        ScoringFormat::TimePlusPenalties {
            precision: TimePrecision::Tenths,
            rounding: Rounding::Truncate,
            penalty_ms: 600_000,
        },
        ScoringFormat::SkiJumping {
            rounds: 1,
            k_point_m: 90.0,
            meter_value: 2.0,
            base_points: 60.0,
        },
        ScoringFormat::Segments { segments: 1 },
        ScoringFormat::FinishOrder { precision: None },
    ];
    for format in &formats {
        for mark in &marks {
            let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", format.clone()));
            let result = state.apply_results(
                msg(
                    "FNL",
                    1,
                    ResultStatus::Live,
                    vec![entry("A", Some(mark.clone()), None)],
                ),
                &ctx(),
            );
            if result.is_err() {
                assert_eq!(state.version(), 0);
            }
        }
    }
    let mut rng = Rng::new(9);
    let valid = ok(super::roundtrip::sample_state().to_bytes());
    for _ in 0..300 {
        let mut bytes = valid.clone();
        let flips = 1 + rng.below(4);
        for _ in 0..flips {
            let at = rng.below(bytes.len() as u64) as usize;
            if let Some(byte) = bytes.get_mut(at) {
                *byte = rng.below(256) as u8;
            }
        }
        let cut = rng.below(bytes.len() as u64 + 1) as usize;
        let _ = EventState::from_bytes(bytes.get(..cut).unwrap_or(&[]));
        let _ = EventState::from_bytes(&bytes);
    }
}

/// An event with results in several units, for the stored-in-parts tests.
fn multi_unit_state() -> EventState {
    let mut definition = single_unit_event("ALPMDOWNHILL", hundredths());
    definition.phases[0].units.push(code("TR1"));
    let mut state = ok(EventState::try_new(definition));
    applied(
        &mut state,
        msg(
            "TR1",
            1,
            ResultStatus::Live,
            vec![entry("A", time(104_000), None)],
        ),
    );
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Live,
            vec![entry("B", time(103_300), None)],
        ),
    );
    state
}

fn parts(state: &EventState) -> (Vec<u8>, Vec<Vec<u8>>) {
    let head = ok(state.head_bytes());
    let units = state
        .units()
        .map(|unit| ok(EventState::unit_bytes(unit)))
        .collect();
    (head, units)
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_state_stored_in_parts_loads_as_it_was() {
    for state in [sample_state(), multi_unit_state()] {
        let (head, units) = parts(&state);
        let loaded = ok(EventState::from_parts(
            &head,
            units.iter().map(Vec::as_slice),
        ));
        assert!(loaded == state, "{loaded:?}\n!=\n{state:?}");
        for unit in state.units() {
            let code = unit.unit().as_str();
            assert_eq!(board(&loaded, code), board(&state, code));
        }
        assert!(head.len() < ok(state.to_bytes()).len());
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_whole_state_still_loads_as_a_head_and_its_rows_are_ignored() {
    let state = sample_state();
    let whole = ok(state.to_bytes());
    let (_, units) = parts(&multi_unit_state());
    let loaded = ok(EventState::from_parts(
        &whole,
        units.iter().map(Vec::as_slice),
    ));
    assert!(loaded == state);
    assert_eq!(ok(storage::stored_schema(&whole)), storage::STATE_SCHEMA);
    assert_eq!(
        ok(storage::stored_schema(&ok(state.head_bytes()))),
        storage::HEAD_SCHEMA
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_head_whose_unit_rows_are_missing_or_extra_never_loads() {
    let state = multi_unit_state();
    let (head, units) = parts(&state);
    let missing = err(EventState::from_parts(
        &head,
        units[..1].iter().map(Vec::as_slice),
    ));
    assert!(
        missing.to_string().contains("the head lists units"),
        "{missing}"
    );
    let (_, other) = parts(&sample_state());
    let (one_unit_head, _) = parts(&sample_state());
    let extra = err(EventState::from_parts(
        &one_unit_head,
        units.iter().chain(other.iter()).map(Vec::as_slice),
    ));
    assert!(matches!(extra, DomainError::Storage { .. }), "{extra}");
    assert!(matches!(
        EventState::from_parts(&head, [b"junk".as_slice()]),
        Err(DomainError::Storage { .. })
    ));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn only_the_unit_a_change_wrote_needs_writing_again() {
    let mut state = multi_unit_state();
    let changed: Vec<&str> = state
        .units_changed_last()
        .map(|u| u.unit().as_str())
        .collect();
    assert_eq!(changed, ["FNL"]);
    applied(
        &mut state,
        msg(
            "TR1",
            2,
            ResultStatus::Live,
            vec![entry("A", time(103_000), None)],
        ),
    );
    let changed: Vec<&str> = state
        .units_changed_last()
        .map(|u| u.unit().as_str())
        .collect();
    assert_eq!(changed, ["TR1"]);
    let mut definition = state.definition().clone();
    definition.name = "Men's Downhill (rescheduled)".into();
    ok(state.replace_definition(definition));
    assert_eq!(
        state.units_changed_last().count(),
        0,
        "a definition change rewrites no unit"
    );
}

/// A state stored in parts by schema 2, committed (head, then one file per unit). Like the schema 1
/// fixture it must load forever. Regenerate only with `DOMAIN_WRITE_FIXTURES=1`.
const SCHEMA_2_HEAD: &[u8] = include_bytes!("fixtures/event_state_schema2_head.rmp");
const SCHEMA_2_UNIT_FNL: &[u8] = include_bytes!("fixtures/event_state_schema2_unit_FNL.rmp");

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn committed_schema_2_fixture_still_loads() {
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("DOMAIN_WRITE_FIXTURES").is_some() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/tests/fixtures/");
        let state = sample_state();
        let (head, units) = parts(&state);
        assert!(std::fs::write(format!("{dir}event_state_schema2_head.rmp"), head).is_ok());
        assert!(
            std::fs::write(format!("{dir}event_state_schema2_unit_FNL.rmp"), &units[0]).is_ok()
        );
    }
    let loaded = ok(EventState::from_parts(SCHEMA_2_HEAD, [SCHEMA_2_UNIT_FNL]));
    assert_eq!(loaded.version(), 2);
    assert_eq!(
        board(&loaded, "FNL"),
        "1 B 1:43.30 GOLD\n- C DNF\n- A 1:43.21 DSQ"
    );
    assert_eq!(loaded.audit().len(), 2);
    assert_eq!(loaded.medals().len(), 1);
}
