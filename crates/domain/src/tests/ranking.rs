//! Competition ranking: shared ranks, precision, IRM order, medals from ranks.

use super::support::*;
use crate::*;

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn lowest_time_ranks_and_formats_to_hundredths() {
    check_ranking(
        hundredths(),
        vec![
            entry("B", time(103_219), None),
            entry("A", time(103_210), None),
            entry("C", time(52_100), None),
        ],
        "
        1 C 52.10 GOLD
        2= A 1:43.21 SILVER
        2= B 1:43.21 SILVER
        ",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn tie_at_gold_gives_no_silver() {
    // Nagano 1998 / Sochi 2014 downhill style: two golds, then bronze.
    check_ranking(
        hundredths(),
        vec![
            entry("A", time(100_001), None),
            entry("B", time(100_009), None),
            entry("C", time(100_500), None),
            entry("D", time(100_600), None),
        ],
        "
        1= A 1:40.00 GOLD
        1= B 1:40.00 GOLD
        3 C 1:40.50 BRONZE
        4 D 1:40.60
        ",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn tie_at_silver_gives_no_bronze_and_tie_at_bronze_gives_two() {
    check_ranking(
        hundredths(),
        vec![
            entry("A", time(60_000), None),
            entry("B", time(60_100), None),
            entry("C", time(60_105), None),
            entry("D", time(60_200), None),
        ],
        "
        1 A 1:00.00 GOLD
        2= B 1:00.10 SILVER
        2= C 1:00.10 SILVER
        4 D 1:00.20
        ",
    );
    check_ranking(
        hundredths(),
        vec![
            entry("A", time(60_000), None),
            entry("B", time(60_100), None),
            entry("C", time(60_200), None),
            entry("D", time(60_209), None),
            entry("E", time(60_300), None),
        ],
        "
        1 A 1:00.00 GOLD
        2 B 1:00.10 SILVER
        3= C 1:00.20 BRONZE
        3= D 1:00.20 BRONZE
        5 E 1:00.30
        ",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn irms_rank_last_in_fixed_order_and_pending_before_them() {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Live,
            vec![
                entry("A", None, Some(Irm::Dsq)),
                entry("B", None, Some(Irm::Dns)),
                entry("C", time(61_000), None),
                entry("D", None, None),
                entry("E", None, Some(Irm::Dnf)),
                entry("F", time(60_000), None),
            ],
        ),
    );
    check(
        &board(&state, "FNL"),
        "
        1 F 1:00.00
        2 C 1:01.00
        - D
        - E DNF
        - B DNS
        - A DSQ
        ",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn all_dnf_podium_awards_only_what_was_finished() {
    check_ranking(
        hundredths(),
        vec![
            entry("A", None, Some(Irm::Dnf)),
            entry("B", time(70_000), None),
            entry("C", None, Some(Irm::Dnf)),
            entry("D", time(70_500), None),
        ],
        "
        1 B 1:10.00 GOLD
        2 D 1:10.50 SILVER
        - A DNF
        - C DNF
        ",
    );
    check_ranking(
        hundredths(),
        vec![
            entry("A", None, Some(Irm::Dnf)),
            entry("B", None, Some(Irm::Dns)),
        ],
        "- A DNF\n- B DNS",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn highest_points_compare_at_the_published_decimals() {
    check_ranking(
        ScoringFormat::HighestPoints { decimals: 2 },
        vec![
            entry("A", points(82.304), None),
            entry("B", points(82.2999), None),
            entry("C", points(90.0), None),
        ],
        "
        1 C 90.00 GOLD
        2= A 82.30 SILVER
        2= B 82.30 SILVER
        ",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn luge_compares_thousandths_and_rounding_can_be_half_up() {
    let luge = ScoringFormat::LowestTime {
        precision: TimePrecision::Thousandths,
        rounding: Rounding::Truncate,
    };
    check_ranking(
        luge,
        vec![
            entry("A", time(47_101), None),
            entry("B", time(47_102), None),
        ],
        "1 A 47.101 GOLD\n2 B 47.102 SILVER",
    );
    let rounded = ScoringFormat::LowestTime {
        precision: TimePrecision::Tenths,
        rounding: Rounding::HalfUp,
    };
    check_ranking(
        rounded,
        vec![
            entry("A", time(47_149), None),
            entry("B", time(47_150), None),
        ],
        "1 A 47.1 GOLD\n2 B 47.2 SILVER",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn medals_wait_for_official() {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Unofficial,
            vec![entry("A", time(60_000), None)],
        ),
    );
    assert!(state.medals().is_empty());
    check(&board(&state, "FNL"), "1 A 1:00.00");
    let change = applied(
        &mut state,
        msg(
            "FNL",
            2,
            ResultStatus::Official,
            vec![entry("A", time(60_000), None)],
        ),
    );
    assert!(change.medals_changed);
    assert_eq!(state.medals().len(), 1);
    assert!(
        change.audit.summary.ends_with("medals awarded"),
        "{}",
        change.audit.summary
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn gaps_to_the_leader_are_shown_for_times() {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    applied(
        &mut state,
        msg(
            "FNL",
            1,
            ResultStatus::Live,
            vec![
                entry("A", time(100_000), None),
                entry("B", time(100_456), None),
            ],
        ),
    );
    let page = ok(state.leaderboard(&LeaderboardQuery::default()));
    let behind: Vec<Option<String>> = page.rows.iter().map(|r| r.behind.clone()).collect();
    assert_eq!(behind, vec![None, Some("+0.45".to_owned())]);
}
