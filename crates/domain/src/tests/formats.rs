//! One test per scoring format, with real-world-shaped numbers.

use super::support::*;
use crate::*;

fn runs(runs_ms: &[u64]) -> Option<Mark> {
    Some(Mark::Runs {
        runs_ms: runs_ms.to_vec(),
    })
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn sum_of_runs_truncates_each_run_and_shares_equal_totals() {
    // Bobsleigh: four runs to 1/100 s; equal totals share the place (PyeongChang 2018 two-man gold).
    let bob = ScoringFormat::SumOfRuns {
        runs: 4,
        precision: TimePrecision::Hundredths,
        rounding: Rounding::Truncate,
    };
    check_ranking(
        bob,
        vec![
            entry("A", runs(&[49_509, 49_410, 49_420, 49_530]), None),
            entry("B", runs(&[49_500, 49_420, 49_410, 49_539]), None),
            entry("C", runs(&[49_600, 49_500, 49_500, 49_500]), None),
            entry("D", runs(&[49_700, 49_700]), Some(Irm::Dnf)),
        ],
        "
        1= A 3:17.86 GOLD
        1= B 3:17.86 GOLD
        3 C 3:18.10 BRONZE
        - D 1:39.40 DNF
        ",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn sum_of_runs_ranks_more_completed_runs_first_while_live() {
    let alpine = ScoringFormat::SumOfRuns {
        runs: 2,
        precision: TimePrecision::Hundredths,
        rounding: Rounding::Truncate,
    };
    let mut state = EventState::new(single_unit_event("ALPWGIANTSLALOM", alpine));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Live,
            vec![
                entry("A", runs(&[60_000]), None),
                entry("B", runs(&[61_000, 62_000]), None),
            ],
        ),
    );
    check(&board(&state, "FNL"), "1 B 2:03.00\n2 A 1:00.00");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn luge_sums_thousandths() {
    let luge = ScoringFormat::SumOfRuns {
        runs: 4,
        precision: TimePrecision::Thousandths,
        rounding: Rounding::Truncate,
    };
    check_ranking(
        luge,
        vec![
            entry("A", runs(&[47_101, 47_200, 47_300, 47_400]), None),
            entry("B", runs(&[47_100, 47_200, 47_300, 47_402]), None),
        ],
        "1 A 3:09.001 GOLD\n2 B 3:09.002 SILVER",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn best_of_runs_counts_the_best_and_breaks_ties_on_the_next_best() {
    let halfpipe = ScoringFormat::BestOfRuns {
        runs: 3,
        counting: 1,
        decimals: 2,
        tiebreak_next_best: true,
    };
    let scores = |s: &[Option<f64>]| Some(Mark::Scores { scores: s.to_vec() });
    check_ranking(
        halfpipe,
        vec![
            entry("A", scores(&[Some(90.25), Some(30.0), None]), None),
            entry("B", scores(&[Some(12.0), Some(90.25), Some(45.5)]), None),
            entry("C", scores(&[Some(88.0)]), None),
            entry("D", scores(&[Some(88.0)]), None),
        ],
        "
        1 B 90.25 GOLD
        2 A 90.25 SILVER
        3= C 88.00 BRONZE
        3= D 88.00 BRONZE
        ",
    );
    let big_air = ScoringFormat::BestOfRuns {
        runs: 3,
        counting: 2,
        decimals: 2,
        tiebreak_next_best: false,
    };
    check_ranking(
        big_air,
        vec![
            entry("A", scores(&[Some(90.0), Some(80.0), Some(10.0)]), None),
            entry("B", scores(&[Some(95.0), Some(20.0), Some(70.0)]), None),
        ],
        "1 A 170.00 GOLD\n2 B 165.00 SILVER",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn biathlon_individual_adds_a_minute_per_miss() {
    let individual = ScoringFormat::TimePlusPenalties {
        precision: TimePrecision::Tenths,
        rounding: Rounding::Truncate,
        penalty_ms: 60_000,
    };
    let shot = |ms: u64, misses: u32| {
        Some(Mark::TimePenalties {
            time_ms: ms,
            penalties: misses,
        })
    };
    check_ranking(
        individual,
        vec![
            entry("A", shot(2_900_000, 2), None),
            entry("B", shot(2_950_000, 0), None),
            entry("C", shot(2_890_050, 3), None),
        ],
        "
        1 B 49:10.0 GOLD
        2 A 50:20.0 SILVER
        3 C 51:10.0 BRONZE
        ",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn ski_jumping_computes_distance_style_and_compensation() {
    // Large hill: K = 125 m (hill size 140), 1.8 points per metre, 60 points at K.
    let large_hill = ScoringFormat::SkiJumping {
        rounds: 2,
        k_point_m: 125.0,
        meter_value: 1.8,
        base_points: 60.0,
    };
    let jump = |distance_m: f64, judges: [f64; 5], gate: f64, wind: f64| Jump {
        distance_m,
        judges: judges.to_vec(),
        gate_points: gate,
        wind_points: wind,
    };
    // 135.5 m: 60 + 10.5 × 1.8 = 78.9; style 18.5+18.5+18.0 = 55.0 (19.0 and 17.5 dropped); −3.2 wind, +2.1 gate.
    let a = Some(Mark::Jumps {
        jumps: vec![
            jump(135.5, [18.5, 19.0, 18.0, 17.5, 18.5], 2.1, -3.2),
            jump(130.0, [18.0; 5], 0.0, 0.0),
        ],
    });
    let b = Some(Mark::Jumps {
        jumps: vec![
            jump(140.0, [19.0; 5], 0.0, 0.0),
            jump(120.0, [17.0; 5], 0.0, 0.0),
        ],
    });
    let mut state = EventState::new(single_unit_event("SJPMLARGEHILL", large_hill));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Official,
            vec![entry("A", a, None), entry("B", b, None)],
        ),
    );
    check(&board(&state, "FNL"), "1 A 255.8 GOLD\n2 B 246.0 SILVER");
    let detail = ok(state.leaderboard(&LeaderboardQuery::default()))
        .rows
        .first()
        .and_then(|r| r.detail.clone());
    assert_eq!(detail.as_deref(), Some("132.8 + 123.0"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn figure_skating_adds_segments_and_the_free_skate_breaks_ties() {
    let singles = ScoringFormat::Segments { segments: 2 };
    let seg = |t: f64, c: f64, d: f64| Segment {
        technical: t,
        components: c,
        deductions: d,
    };
    let a = Some(Mark::Segments {
        segments: vec![seg(50.0, 40.0, 0.0), seg(100.0, 80.0, 1.0)],
    });
    let b = Some(Mark::Segments {
        segments: vec![seg(55.0, 41.0, 0.0), seg(95.0, 78.0, 0.0)],
    });
    let c = Some(Mark::Segments {
        segments: vec![seg(40.0, 30.0, 0.0), seg(90.0, 70.0, 0.0)],
    });
    check_ranking(
        singles,
        vec![
            entry("A", a, None),
            entry("B", b, None),
            entry("C", c, None),
        ],
        "
        1 A 269.00 GOLD
        2 B 269.00 SILVER
        3 C 230.00 BRONZE
        ",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn finish_order_ranks_by_position_not_time() {
    let position = |p: u32, ms: Option<u64>| {
        Some(Mark::Position {
            position: p,
            time_ms: ms,
        })
    };
    check_ranking(
        ScoringFormat::FinishOrder { precision: None },
        vec![
            entry("A", position(2, Some(7_000_000)), None),
            entry("B", position(1, Some(7_000_000)), None),
            entry("C", position(3, Some(7_000_300)), None),
            entry("D", None, Some(Irm::Lap)),
        ],
        "
        1 B 1:56:40.00 GOLD
        2 A 1:56:40.00 SILVER
        3 C 1:56:40.30 BRONZE
        - D LAP
        ",
    );
}

/// Short track 500 m heats: first two of each heat Q, then the best two thirds by time q.
fn short_track() -> EventDefinition {
    let mut definition =
        single_unit_event("STKM500M", ScoringFormat::FinishOrder { precision: None });
    definition.phases.insert(
        0,
        PhaseDefinition {
            code: code("HEAT"),
            name: "Heats".into(),
            units: vec![code("HEAT-H01"), code("HEAT-H02"), code("HEAT-H03")],
            format: None,
            advancement: Some(Advancement {
                by_rank: 2,
                by_mark: 2,
            }),
        },
    );
    definition
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn short_track_heats_mark_q_by_place_and_q_by_time() {
    let mut state = ok(EventState::try_new(short_track()));
    let position = |p: u32, ms: u64| {
        Some(Mark::Position {
            position: p,
            time_ms: Some(ms),
        })
    };
    let heat = |unit: &str, ids: [&str; 4], thirds_ms: u64| {
        let entries = vec![
            entry(ids[0], position(1, 40_000), None),
            entry(ids[1], position(2, 40_100), None),
            entry(ids[2], position(3, thirds_ms), None),
            entry(ids[3], None, Some(Irm::Dsq)),
        ];
        msg(unit, 1, ResultStatus::Official, entries)
    };
    applied(
        &mut state,
        heat("HEAT-H01", ["A1", "A2", "A3", "A4"], 41_507),
    );
    applied(
        &mut state,
        heat("HEAT-H02", ["B1", "B2", "B3", "B4"], 40_500),
    );
    applied(
        &mut state,
        heat("HEAT-H03", ["C1", "C2", "C3", "C4"], 41_503),
    );
    // The ISU publishes short track to 1/1000 s: the two thirds at 41.503 and 41.507 read apart, and
    // only the faster one is q (issue 14: both used to read "41.50").
    check(
        &board(&state, "HEAT-H01"),
        "1 A1 40.000 Q\n2 A2 40.100 Q\n3 A3 41.507\n- A4 DSQ",
    );
    check(
        &board(&state, "HEAT-H02"),
        "1 B1 40.000 Q\n2 B2 40.100 Q\n3 B3 40.500 q\n- B4 DSQ",
    );
    check(
        &board(&state, "HEAT-H03"),
        "1 C1 40.000 Q\n2 C2 40.100 Q\n3 C3 41.503 q\n- C4 DSQ",
    );
    // No medals from heats, and the default board is the latest unit until the final has results.
    assert!(state.medals().is_empty());
    assert_eq!(
        ok(state.leaderboard(&LeaderboardQuery::default()))
            .unit
            .as_str(),
        "HEAT-H03"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn team_pursuit_final_b_awards_bronze() {
    let mut definition = single_unit_event(
        "SSKWTEAMPURSUIT",
        ScoringFormat::LowestTime {
            precision: TimePrecision::Hundredths,
            rounding: Rounding::Truncate,
        },
    );
    definition.phases = vec![PhaseDefinition {
        code: code("FNL"),
        name: "Finals".into(),
        units: vec![code("FNL-A"), code("FNL-B")],
        format: None,
        advancement: None,
    }];
    definition.medal_unit = code("FNL-A");
    definition.bronze_unit = Some(code("FNL-B"));
    definition.schedule.clear();
    let mut state = ok(EventState::try_new(definition));
    applied(
        &mut state,
        msg(
            "FNL-A",
            1,
            ResultStatus::Official,
            vec![
                entry("A", time(175_000), None),
                entry("B", time(176_000), None),
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
                entry("C", time(177_500), None),
                entry("D", time(174_000), None),
            ],
        ),
    );
    let medals: Vec<(String, Medal)> = state
        .medals()
        .iter()
        .map(|a| (a.competitor.to_string(), a.medal))
        .collect();
    assert_eq!(
        medals,
        vec![
            ("A".into(), Medal::Gold),
            ("B".into(), Medal::Silver),
            ("D".into(), Medal::Bronze)
        ]
    );
    check(&board(&state, "FNL-B"), "1 D 2:54.00 BRONZE\n2 C 2:57.50");
}
