//! Invalid input: typed errors naming the field path, and state left unchanged.

use super::support::*;
use crate::*;

/// Applies `message` to a fresh downhill state and checks the error's path and message.
fn check_rejected(message: ResultsMessage, path: &str, text: &str) {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Live,
            vec![entry("A", time(60_000), None)],
        ),
    );
    let before = state.clone();
    let error = err(state.apply_results(message, &ctx()));
    assert_eq!(error.field_path(), Some(path), "{error}");
    assert!(error.to_string().contains(text), "{error}");
    assert_eq!(state, before);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn results_errors_name_the_field() {
    let good = || {
        vec![
            entry("A", time(60_000), None),
            entry("B", time(61_000), None),
            entry("C", time(62_000), None),
            entry("D", time(63_000), None),
        ]
    };
    let mut bad_time = good();
    if let Some(e) = bad_time.get_mut(3) {
        e.mark = time(0);
    }
    check_rejected(
        msg("FNL", 2, ResultStatus::Live, bad_time),
        "entries[3].mark.time_ms",
        "between 1 ms and 24 hours",
    );
    let mut wrong_kind = good();
    if let Some(e) = wrong_kind.get_mut(1) {
        e.mark = points(3.0);
    }
    check_rejected(
        msg("FNL", 2, ResultStatus::Live, wrong_kind),
        "entries[1].mark.kind",
        "points mark does not fit the lowest_time",
    );
    let mut duplicate = good();
    duplicate.push(entry("B", time(64_000), None));
    check_rejected(
        msg("FNL", 2, ResultStatus::Live, duplicate),
        "entries[4].competitor",
        "also at entries[1]",
    );
    let mut unranked = good();
    unranked.push(entry("E", None, None));
    check_rejected(
        msg("FNL", 2, ResultStatus::Official, unranked),
        "entries[4]",
        "needs a mark or an IRM",
    );
    check_rejected(
        msg("RUN9", 2, ResultStatus::Live, good()),
        "unit",
        "unknown unit RUN9",
    );
    let mut empty_id = msg("FNL", 2, ResultStatus::Live, good());
    empty_id.message_id = " ".into();
    check_rejected(empty_id, "message_id", "must not be empty");
    check_rejected(
        msg("FNL", 0, ResultStatus::Live, good()),
        "version",
        "at least 1",
    );
    let mut blank_name = good();
    if let Some(e) = blank_name.get_mut(2) {
        e.name = String::new();
    }
    check_rejected(
        msg("FNL", 2, ResultStatus::Live, blank_name),
        "entries[2].name",
        "must not be empty",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn participants_restrict_competitors_and_nocs() {
    let mut definition = single_unit_event("ALPMDOWNHILL", hundredths());
    definition.participants = vec![Participant {
        id: code("A"),
        name: "Athlete A".into(),
        noc: code("AUT"),
        kind: CompetitorKind::Athlete,
        members: vec![],
    }];
    let mut state = ok(EventState::try_new(definition));
    let error = err(state.apply_results(
        msg(
            "FNL",
            1,
            ResultStatus::Live,
            vec![entry("B", time(1), None)],
        ),
        &ctx(),
    ));
    assert!(matches!(error, DomainError::UnknownCompetitor { .. }));
    assert_eq!(error.field_path(), Some("entries[0].competitor"));
    let mut wrong_noc = entry("A", time(1), None);
    wrong_noc.noc = code("GER");
    let error =
        err(state.apply_results(msg("FNL", 1, ResultStatus::Live, vec![wrong_noc]), &ctx()));
    assert_eq!(error.field_path(), Some("entries[0].noc"));
    assert_eq!(state.version(), 0);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn codes_are_validated_on_parse_and_deserialize() {
    let cases: &[(&str, bool)] = &[
        ("ALPMDOWNHILL", true),
        ("IHOMTOURNAMENT", true),
        ("SSKWTEAMPURSUIT", true),
        ("XYZMDOWNHILL", false),
        ("ALPQDOWNHILL", false),
        ("ALPMdownhill", false),
        ("ALPM", false),
        ("ALPMABCDEFGHIJKLMNOPQRS", false),
    ];
    for (text, valid) in cases {
        assert_eq!(text.parse::<EventCode>().is_ok(), *valid, "{text}");
        assert_eq!(
            serde_json::from_str::<EventCode>(&format!("{text:?}")).is_ok(),
            *valid,
            "{text}"
        );
    }
    let event: EventCode = code("SSKWTEAMPURSUIT");
    assert_eq!(
        (event.discipline(), event.gender(), event.event_name()),
        (Discipline::SpeedSkating, Gender::Women, "TEAMPURSUIT")
    );
    let error = serde_json::from_str::<Noc>("\"ger\"")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("three uppercase letters"), "{error}");
    assert!("QUAL-H01".parse::<UnitCode>().is_ok());
    assert!("qual".parse::<UnitCode>().is_err());
    assert!("ABCDEFGHIJKLMNOPQ".parse::<UnitCode>().is_err());
    assert!("athlete_1-x".parse::<CompetitorId>().is_ok());
    assert!("a b".parse::<CompetitorId>().is_err());
    assert!("2026-02-29".parse::<LogicalDay>().is_err());
    assert!("2028-02-29".parse::<LogicalDay>().is_ok());
    assert!("2026-13-01".parse::<LogicalDay>().is_err());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn definition_errors_name_the_field() {
    let check_invalid = |change: &dyn Fn(&mut EventDefinition), path: &str| {
        let mut definition = single_unit_event("ALPMDOWNHILL", hundredths());
        change(&mut definition);
        let error = err(definition.validate());
        assert_eq!(error.field_path(), Some(path), "{error}");
    };
    check_invalid(&|d| d.medal_unit = code("RUN1"), "medal_unit");
    check_invalid(&|d| d.name = String::new(), "name");
    check_invalid(&|d| d.phases.clear(), "phases");
    check_invalid(
        &|d| {
            d.format = ScoringFormat::SumOfRuns {
                runs: 0,
                precision: TimePrecision::Hundredths,
                rounding: Rounding::Truncate,
            }
        },
        "format.runs",
    );
    check_invalid(
        &|d| {
            if let Some(phase) = d.phases.first_mut() {
                phase.units.push(code("FNL"));
            }
        },
        "phases[0].units[1]",
    );
    check_invalid(
        &|d| {
            d.schedule.push(ScheduledUnit {
                unit: code("X"),
                day: code("2026-02-09"),
                start_utc_ms: None,
            })
        },
        "schedule[1].unit",
    );
    check_invalid(
        &|d| {
            d.format = ScoringFormat::BestOfRuns {
                runs: 2,
                counting: 3,
                decimals: 2,
                tiebreak_next_best: false,
            }
        },
        "format.counting",
    );
    check_invalid(&|d| d.bronze_unit = Some(code("FNL")), "bronze_unit");
    assert!(
        single_unit_event("ALPMDOWNHILL", hundredths())
            .validate()
            .is_ok()
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn unknown_json_fields_are_rejected() {
    let json = r#"{"message_id":"m","unit":"FNL","version":1,"status":"LIVE","entries":[],"colour":"red"}"#;
    let error = serde_json::from_str::<ResultsMessage>(json)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("unknown field `colour`"), "{error}");
    let json =
        r#"{"competitor":"A","name":"A","noc":"AUT","mark":{"kind":"time","time_ms":1,"extra":2}}"#;
    assert!(serde_json::from_str::<ResultEntry>(json).is_err());
}
