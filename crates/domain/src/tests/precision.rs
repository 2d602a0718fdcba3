//! Times shown as each federation publishes them: one line per discipline, from the format's precision or,
//! where the definition names none, the discipline's (issue 14).

use super::support::*;
use crate::*;

/// Ranks one athlete's `mark` (JSON) in a one-unit event of `event` scored by `format` (JSON), and
/// returns the mark as the leaderboard shows it.
fn shown(event: &str, format: &str, mark: &str) -> String {
    let format: ScoringFormat =
        serde_json::from_str(format).unwrap_or_else(|e| unreachable!("{e}"));
    let mark: Mark = serde_json::from_str(mark).unwrap_or_else(|e| unreachable!("{e}"));
    let mut state = ok(EventState::try_new(single_unit_event(event, format)));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Official,
            vec![entry("A", Some(mark), None)],
        ),
    );
    let page = ok(state.leaderboard(&LeaderboardQuery::default()));
    page.rows
        .first()
        .and_then(|row| row.mark.clone())
        .unwrap_or_default()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn each_discipline_shows_times_as_its_federation_publishes_them() {
    let position = |ms: u64| format!(r#"{{"kind":"position","position":1,"time_ms":{ms}}}"#);
    let cases: Vec<(&str, &str, String, &str)> = vec![
        // FIS alpine: 1/100 s, cut.
        ("ALPMDOWNHILL", r#"{"type":"lowest_time","precision":"hundredths"}"#, r#"{"kind":"time","time_ms":112339}"#.into(), "1:52.33"),
        // IBU: 1/10 s, in the sprint and in the finish-order races alike.
        ("BTHMSPRINT", r#"{"type":"lowest_time","precision":"tenths"}"#, r#"{"kind":"time","time_ms":1394470}"#.into(), "23:14.4"),
        ("BTHMMASSSTART", r#"{"type":"finish_order"}"#, position(2_294_490), "38:14.4"),
        // FIS cross-country and Nordic combined: 1/10 s.
        ("CCSWSKIATHLON", r#"{"type":"finish_order"}"#, position(2_650_180), "44:10.1"),
        ("NCBMNORMALHILL10KM", r#"{"type":"finish_order"}"#, position(1_500_990), "25:00.9"),
        // ISU short track: 1/1000 s (Fontana's 42.569), unless the definition says otherwise.
        ("STKW500M", r#"{"type":"finish_order"}"#, position(42_569), "42.569"),
        ("STKW500M", r#"{"type":"finish_order","precision":"hundredths"}"#, position(42_569), "42.56"),
        // ISU long track: 1/100 s.
        ("SSKW500M", r#"{"type":"lowest_time","precision":"hundredths"}"#, r#"{"kind":"time","time_ms":37029}"#.into(), "37.02"),
        // IBSF: 1/100 s per run; FIL: 1/1000 s per run.
        ("BOBXMONOBOB", r#"{"type":"sum_of_runs","runs":2,"precision":"hundredths"}"#, r#"{"kind":"runs","runs_ms":[60129,60111]}"#.into(), "2:00.23"),
        ("LUGWSINGLES", r#"{"type":"sum_of_runs","runs":2,"precision":"thousandths"}"#, r#"{"kind":"runs","runs_ms":[52101,52203]}"#.into(), "1:44.304"),
        // FIS snowboard cross and freestyle ski cross times: 1/100 s.
        ("SBDMSBX", r#"{"type":"finish_order"}"#, position(41_236), "41.23"),
        // ISU judging: 2 decimals.
        ("FSKWSINGLES", r#"{"type":"segments","segments":1}"#, r#"{"kind":"segments","segments":[{"technical":44.215,"components":35.1,"deductions":1.0}]}"#.into(), "78.32"),
    ];
    for (event, format, mark, expected) in cases {
        assert_eq!(
            shown(event, format, &mark),
            expected,
            "{event} {format} {mark}"
        );
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_definition_stored_before_finish_order_had_a_precision_still_loads() {
    let old = r#"{"code":"STKM1000M","name":"1000 m","format":{"type":"finish_order"},
        "phases":[{"code":"FNL","name":"Final","units":["FNL"]}],"medal_unit":"FNL"}"#;
    let definition: EventDefinition =
        serde_json::from_str(old).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(
        definition.format,
        ScoringFormat::FinishOrder { precision: None }
    );
    // And it is written back the same way, so stored and sent definitions compare equal.
    let again = serde_json::to_value(&definition.format).unwrap_or_default();
    assert_eq!(again, serde_json::json!({"type": "finish_order"}));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn ranking_by_finish_order_ignores_the_display_precision() {
    // Two skaters 4 ms apart in a photo finish keep their positions, whatever is shown.
    let at = |position: u32, ms: u64| {
        Some(Mark::Position {
            position,
            time_ms: Some(ms),
        })
    };
    let mut definition =
        single_unit_event("STKM500M", ScoringFormat::FinishOrder { precision: None });
    definition.format = ScoringFormat::FinishOrder {
        precision: Some(TimePrecision::Tenths),
    };
    let mut state = ok(EventState::try_new(definition));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Official,
            vec![
                entry("B", at(2, 40_123), None),
                entry("A", at(1, 40_119), None),
            ],
        ),
    );
    check(&board(&state, "FNL"), "1 A 40.1 GOLD\n2 B 40.1 SILVER");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn mass_start_ranks_sprint_points_then_finish_order() {
    let sprint = |points: u32, position: u32, ms: u64| {
        Some(Mark::SprintPoints {
            points,
            position,
            time_ms: Some(ms),
        })
    };
    // ISU mass start: 60/40/20 for the final sprint, 3/2/1 per intermediate sprint. D crossed the line
    // third but won only intermediate points; E and F have none and follow in finish order.
    check_ranking(
        ScoringFormat::MassStart { precision: None },
        vec![
            entry("F", sprint(0, 6, 462_800), None),
            entry("A", sprint(60, 1, 452_110), None),
            entry("B", sprint(43, 2, 452_200), None),
            entry("C", sprint(20, 4, 452_400), None),
            entry("D", sprint(20, 3, 452_300), None),
            entry("E", sprint(0, 5, 455_000), None),
            entry("G", None, Some(Irm::Dsq)),
        ],
        "
        1 A 60 GOLD
        2 B 43 SILVER
        3 D 20 BRONZE
        4 C 20
        5 E 7:35.00
        6 F 7:42.80
        - G DSQ
        ",
    );
}
