//! The event-wide final ranking: Final A, then Final B, then the rounds that eliminated the rest.

use super::support::*;
use crate::*;

fn final_ranking(state: &EventState) -> String {
    let page = ok(state.leaderboard(&LeaderboardQuery {
        final_ranking: true,
        limit: Some(500),
        ..Default::default()
    }));
    render(&page.rows)
}

fn position(p: u32, ms: u64) -> Option<Mark> {
    Some(Mark::Position {
        position: p,
        time_ms: Some(ms),
    })
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn short_track_final_a_then_final_b_then_heats_by_place_and_time() {
    let json = r#"{"code":"STKW500M","name":"500 m","format":{"type":"finish_order"},
        "phases":[{"code":"HEAT","name":"Heats","units":["HEAT-H01","HEAT-H02"],"advancement":{"by_rank":2,"by_mark":0}},
                  {"code":"FNL","name":"Finals","units":["FNL-A","FNL-B"]}],"medal_unit":"FNL-A"}"#;
    let definition: EventDefinition =
        serde_json::from_str(json).unwrap_or_else(|e| unreachable!("{e}"));
    let mut state = ok(EventState::try_new(definition));
    let heat = |unit: &str, ids: [&str; 4], times: [u64; 3]| {
        msg(
            unit,
            1,
            ResultStatus::Official,
            vec![
                entry(ids[0], position(1, times[0]), None),
                entry(ids[1], position(2, times[1]), None),
                entry(ids[2], position(3, times[2]), None),
                entry(ids[3], None, Some(Irm::Dsq)),
            ],
        )
    };
    applied(
        &mut state,
        heat(
            "HEAT-H01",
            ["A1", "A2", "A3", "A4"],
            [42_100, 42_200, 42_900],
        ),
    );
    applied(
        &mut state,
        heat(
            "HEAT-H02",
            ["B1", "B2", "B3", "B4"],
            [42_000, 42_300, 42_569],
        ),
    );
    applied(
        &mut state,
        msg(
            "FNL-A",
            1,
            ResultStatus::Official,
            vec![
                entry("B1", position(2, 42_400), None),
                entry("A1", position(1, 42_300), None),
            ],
        ),
    );
    applied(
        &mut state,
        msg(
            "FNL-B",
            1,
            ResultStatus::Official,
            vec![
                entry("A2", position(1, 43_000), None),
                entry("B2", None, Some(Irm::Dnf)),
            ],
        ),
    );
    // Final A ranks 1–2, Final B goes on from 3; the heats' thirds follow by place, then by time (B3's
    // 42.569 before A3's 42.900); the IRMs last. B2 did not finish Final B: unranked.
    check(
        &final_ranking(&state),
        "
        1 A1 42.300 GOLD
        2 B1 42.400 SILVER
        3 A2 43.000
        4 B3 42.569
        5 A3 42.900
        - B2 DNF
        - A4 DSQ
        - B4 DSQ
        ",
    );
    // The page says which unit awards the medals, and is refused together with a unit.
    let page = ok(state.leaderboard(&LeaderboardQuery {
        final_ranking: true,
        ..Default::default()
    }));
    assert_eq!(
        (page.unit.as_str(), page.status, page.total),
        ("FNL-A", ResultStatus::Official, 8)
    );
    let error = err(state.leaderboard(&LeaderboardQuery {
        final_ranking: true,
        unit: Some(code("FNL-B")),
        ..Default::default()
    }));
    assert_eq!(error.field_path(), Some("unit"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn team_pursuit_finals_then_quarter_finals_by_time_across_races() {
    let json = r#"{"code":"SSKWTEAMPURSUIT","name":"Team pursuit","format":{"type":"lowest_time","precision":"hundredths"},
        "phases":[{"code":"QFNL","name":"Quarter-finals","units":["QFNL-R1","QFNL-R2"]},
                  {"code":"FNL","name":"Finals","units":["FNL-A","FNL-B"]}],
        "medal_unit":"FNL-A","bronze_unit":"FNL-B"}"#;
    let definition: EventDefinition =
        serde_json::from_str(json).unwrap_or_else(|e| unreachable!("{e}"));
    let mut state = ok(EventState::try_new(definition));
    for (unit, a, b, ta, tb) in [
        ("QFNL-R1", "A", "E", 176_000, 181_000),
        ("QFNL-R2", "C", "F", 177_000, 179_500),
        ("FNL-A", "A", "B", 175_000, 176_500),
        ("FNL-B", "C", "D", 177_200, 178_000),
    ] {
        applied(
            &mut state,
            msg(
                unit,
                1,
                ResultStatus::Official,
                vec![entry(a, time(ta), None), entry(b, time(tb), None)],
            ),
        );
    }
    // The quarter-final races rank as one by time: F's 2:59.50 before E's 3:01.00 although E's race
    // was the first.
    check(
        &final_ranking(&state),
        "
        1 A 2:55.00 GOLD
        2 B 2:56.50 SILVER
        3 C 2:57.20 BRONZE
        4 D 2:58.00
        5 F 2:59.50
        6 E 3:01.00
        ",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_single_unit_event_classifies_as_its_leaderboard() {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Official,
            vec![
                entry("A", time(100_000), None),
                entry("B", time(100_000), None),
                entry("C", None, Some(Irm::Dnf)),
            ],
        ),
    );
    check(&final_ranking(&state), &board(&state, "FNL"));
}
