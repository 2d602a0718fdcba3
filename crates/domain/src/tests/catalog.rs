//! Every discipline is expressible by configuration: one JSON definition per discipline (see `FORMATS.md`).

use super::support::*;
use crate::*;

/// One definition per discipline, written as the catalogue would send it.
fn definitions() -> Vec<&'static str> {
    vec![
        r#"{"code":"ALPMDOWNHILL","name":"Men's Downhill","format":{"type":"lowest_time","precision":"hundredths"},
            "phases":[{"code":"FNL","name":"Final","units":["FNL"]}],"medal_unit":"FNL",
            "venue":{"name":"Stelvio","timezone":"Europe/Rome"},
            "schedule":[{"unit":"FNL","day":"2026-02-07","start_utc_ms":1770458400000}]}"#,
        r#"{"code":"BTHWINDIVIDUAL","name":"Women's 15 km Individual","format":{"type":"time_plus_penalties","precision":"tenths","penalty_ms":60000},
            "phases":[{"code":"FNL","name":"Final","units":["FNL"]}],"medal_unit":"FNL"}"#,
        r#"{"code":"BOBMFOURMAN","name":"Four-man","format":{"type":"sum_of_runs","runs":4,"precision":"hundredths"},
            "phases":[{"code":"FNL","name":"Final","units":["FNL"]}],"medal_unit":"FNL"}"#,
        r#"{"code":"CCSMSPRINTFREE","name":"Men's Sprint Free","format":{"type":"finish_order"},
            "phases":[{"code":"QUAL","name":"Qualification","units":["QUAL"],"format":{"type":"lowest_time","precision":"hundredths"},"advancement":{"by_rank":30}},
                      {"code":"QFNL","name":"Quarter-finals","units":["QFNL-H01","QFNL-H02","QFNL-H03","QFNL-H04","QFNL-H05"],"advancement":{"by_rank":2,"by_mark":2}},
                      {"code":"SFNL","name":"Semi-finals","units":["SFNL-H01","SFNL-H02"],"advancement":{"by_rank":2,"by_mark":2}},
                      {"code":"FNL","name":"Final","units":["FNL-A"]}],"medal_unit":"FNL-A"}"#,
        r#"{"code":"CURXMIXEDDOUBLES","name":"Mixed Doubles","format":{"type":"knockout","sport_rules":"curling"},
            "phases":[{"code":"RR","name":"Round robin","units":["RR-G01","RR-G02"],"format":{"type":"round_robin","rules":{"sport":"curling"}}},
                      {"code":"SFNL","name":"Semi-finals","units":["SFNL-G01","SFNL-G02"]},
                      {"code":"BRNZ","name":"Bronze","units":["BRNZ-G01"]},{"code":"GOLD","name":"Gold","units":["GOLD-G01"]}],
            "medal_unit":"GOLD-G01","bronze_unit":"BRNZ-G01"}"#,
        r#"{"code":"FSKWSINGLES","name":"Women Single Skating","format":{"type":"segments","segments":2},
            "phases":[{"code":"SP","name":"Short Program","units":["SP"],"format":{"type":"highest_points","decimals":2}},
                      {"code":"FS","name":"Free Skating and total","units":["FS"]}],"medal_unit":"FS"}"#,
        r#"{"code":"FRSMBIGAIR","name":"Men's Freeski Big Air","format":{"type":"best_of_runs","runs":3,"counting":2,"decimals":2},
            "phases":[{"code":"QUAL","name":"Qualification","units":["QUAL"],"advancement":{"by_rank":12}},{"code":"FNL","name":"Final","units":["FNL"]}],"medal_unit":"FNL"}"#,
        r#"{"code":"IHOWTOURNAMENT","name":"Women's Tournament","format":{"type":"knockout","sport_rules":"ice_hockey"},
            "phases":[{"code":"GRPA","name":"Group A","units":["GRPA-G01"],"format":{"type":"round_robin","rules":{"sport":"ice_hockey","points":{"regulation_win":3,"overtime_win":2,"overtime_loss":1,"regulation_loss":0}}}},
                      {"code":"BRNZ","name":"Bronze","units":["BRNZ-G01"]},{"code":"GOLD","name":"Gold","units":["GOLD-G01"]}],
            "medal_unit":"GOLD-G01","bronze_unit":"BRNZ-G01"}"#,
        r#"{"code":"LUGXTEAMRELAY","name":"Team Relay","format":{"type":"lowest_time","precision":"thousandths"},
            "phases":[{"code":"FNL","name":"Final","units":["FNL"]}],"medal_unit":"FNL"}"#,
        r#"{"code":"NCBMNORMALHILL10KM","name":"Individual Gundersen NH/10 km","format":{"type":"finish_order"},
            "phases":[{"code":"JUMP","name":"Ski jumping","units":["JUMP"],"format":{"type":"ski_jumping","rounds":1,"k_point_m":98.0,"meter_value":2.0,"base_points":60.0}},
                      {"code":"XC","name":"Cross-country 10 km","units":["XC"]}],"medal_unit":"XC"}"#,
        r#"{"code":"STKW1000M","name":"Women's 1000 m","format":{"type":"finish_order"},
            "phases":[{"code":"HEAT","name":"Heats","units":["HEAT-H01","HEAT-H02"],"advancement":{"by_rank":2,"by_mark":4}},
                      {"code":"FNL","name":"Finals","units":["FNL-A","FNL-B"]}],"medal_unit":"FNL-A"}"#,
        r#"{"code":"SKNWSKELETON","name":"Women's Skeleton","format":{"type":"sum_of_runs","runs":4,"precision":"hundredths"},
            "phases":[{"code":"FNL","name":"Final","units":["FNL"]}],"medal_unit":"FNL"}"#,
        r#"{"code":"SJPMLARGEHILL","name":"Men's Large Hill","format":{"type":"ski_jumping","rounds":2,"k_point_m":125.0,"meter_value":1.8,"base_points":60.0},
            "phases":[{"code":"QUAL","name":"Qualification","units":["QUAL"],"format":{"type":"ski_jumping","rounds":1,"k_point_m":125.0,"meter_value":1.8,"base_points":60.0},"advancement":{"by_rank":50}},
                      {"code":"FNL","name":"Final","units":["FNL"]}],"medal_unit":"FNL"}"#,
        r#"{"code":"SMTWSPRINT","name":"Women's Sprint","format":{"type":"finish_order"},
            "phases":[{"code":"QUAL","name":"Qualification","units":["QUAL"],"format":{"type":"lowest_time","precision":"tenths"},"advancement":{"by_rank":30}},
                      {"code":"HEAT","name":"Heats","units":["HEAT-H01","HEAT-H02"],"advancement":{"by_rank":2,"by_mark":2}},
                      {"code":"FNL","name":"Final","units":["FNL"]}],"medal_unit":"FNL"}"#,
        r#"{"code":"SBDWHALFPIPE","name":"Women's Halfpipe","format":{"type":"best_of_runs","runs":3,"counting":1,"decimals":2,"tiebreak_next_best":true},
            "phases":[{"code":"FNL","name":"Final","units":["FNL"]}],"medal_unit":"FNL"}"#,
        r#"{"code":"SSKWTEAMPURSUIT","name":"Women's Team Pursuit","format":{"type":"lowest_time","precision":"hundredths","rounding":"truncate"},
            "phases":[{"code":"QFNL","name":"Quarter-finals","units":["QFNL-R1","QFNL-R2"]},{"code":"FNL","name":"Finals","units":["FNL-A","FNL-B"]}],
            "medal_unit":"FNL-A","bronze_unit":"FNL-B"}"#,
    ]
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_discipline_is_expressible() {
    let mut seen = Vec::new();
    for json in definitions() {
        let definition: EventDefinition = match serde_json::from_str(json) {
            Ok(definition) => definition,
            Err(error) => unreachable!("{error} in {json}"),
        };
        ok(definition.validate());
        seen.push(definition.discipline());
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen, Discipline::ALL.to_vec());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn gundersen_gaps_come_from_jump_points() {
    let json = definitions()
        .into_iter()
        .find(|j| j.contains("NCBM"))
        .unwrap_or_default();
    let definition: EventDefinition =
        serde_json::from_str(json).unwrap_or_else(|e| unreachable!("{e}"));
    let mut state = ok(EventState::try_new(definition));
    applied(
        &mut state,
        msg(
            "JUMP",
            1,
            ResultStatus::Official,
            vec![
                entry("A", points(130.0), None),
                entry("B", points(122.5), None),
                entry("C", None, Some(Irm::Dsq)),
            ],
        ),
    );
    let gaps: Vec<(String, u64)> = ok(state.start_gaps(
        &code("JUMP"),
        GapRule::PointsBehind {
            ms_per_point: 4_000,
        },
    ))
    .into_iter()
    .map(|g| (g.competitor.to_string(), g.gap_ms))
    .collect();
    assert_eq!(gaps, vec![("A".into(), 0), ("B".into(), 30_000)]);
    assert!(state.medals().is_empty(), "the jump does not award medals");
    let mut pursuit = EventState::new(single_unit_event("BTHMSPRINT", hundredths()));
    applied(
        &mut pursuit,
        msg(
            "FNL",
            1,
            ResultStatus::Official,
            vec![
                entry("A", time(1_400_000), None),
                entry("B", time(1_412_700), None),
            ],
        ),
    );
    let gaps: Vec<u64> = ok(pursuit.start_gaps(&code("FNL"), GapRule::TimeBehind))
        .iter()
        .map(|g| g.gap_ms)
        .collect();
    assert_eq!(gaps, vec![0, 12_000]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn replacing_the_definition_keeps_results_that_still_fit() {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Official,
            vec![
                entry("A", time(60_123), None),
                entry("B", time(60_129), None),
            ],
        ),
    );
    check(
        &board(&state, "FNL"),
        "1= A 1:00.12 GOLD\n1= B 1:00.12 GOLD",
    );
    // A precision change re-ranks the stored results.
    let thousandths = ScoringFormat::LowestTime {
        precision: TimePrecision::Thousandths,
        rounding: Rounding::Truncate,
    };
    ok(state.replace_definition(single_unit_event("ALPMDOWNHILL", thousandths)));
    assert_eq!(state.version(), 2);
    check(
        &board(&state, "FNL"),
        "1 A 1:00.123 GOLD\n2 B 1:00.129 SILVER",
    );
    // Results that no longer fit, another event's code, or an invalid definition: rejected, nothing changes.
    let before = state.clone();
    let error = err(state.replace_definition(single_unit_event(
        "ALPMDOWNHILL",
        ScoringFormat::HighestPoints { decimals: 1 },
    )));
    assert_eq!(error.field_path(), Some("phases"));
    assert_eq!(
        err(state.replace_definition(single_unit_event("ALPWDOWNHILL", hundredths()))).field_path(),
        Some("code")
    );
    let mut invalid = single_unit_event("ALPMDOWNHILL", hundredths());
    invalid.medal_unit = code("NOPE");
    assert_eq!(
        err(state.replace_definition(invalid)).field_path(),
        Some("medal_unit")
    );
    assert_eq!(state, before);
}
