//! Leaderboard pages: limit, cursor, around, defaults and errors.

use super::support::*;
use crate::*;

fn field(n: usize) -> EventState {
    let mut state = EventState::new(single_unit_event("CCSM10KM", hundredths()));
    let entries = (0..n)
        .map(|i| entry(&format!("A{i:03}"), time(1_500_000 + i as u64 * 1000), None))
        .collect();
    applied(&mut state, msg("FNL", 1, ResultStatus::Live, entries));
    state
}

fn ids(page: &LeaderboardPage) -> Vec<&str> {
    page.rows.iter().map(|r| r.competitor.as_str()).collect()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn pages_follow_cursors_to_the_end() {
    let state = field(7);
    let first = ok(state.leaderboard(&LeaderboardQuery {
        limit: Some(3),
        ..Default::default()
    }));
    assert_eq!(
        (
            ids(&first),
            first.total,
            first.next_cursor.as_deref(),
            first.prev_cursor.as_deref()
        ),
        (vec!["A000", "A001", "A002"], 7, Some("3"), None)
    );
    let second = ok(state.leaderboard(&LeaderboardQuery {
        limit: Some(3),
        cursor: first.next_cursor.clone(),
        ..Default::default()
    }));
    assert_eq!(ids(&second), vec!["A003", "A004", "A005"]);
    let last = ok(state.leaderboard(&LeaderboardQuery {
        limit: Some(3),
        cursor: second.next_cursor.clone(),
        ..Default::default()
    }));
    assert_eq!(
        (ids(&last), last.next_cursor.as_deref()),
        (vec!["A006"], None)
    );
    assert_eq!(
        (
            first.event.as_str(),
            first.unit.as_str(),
            first.status,
            first.unit_version,
            first.event_version
        ),
        ("CCSM10KM", "FNL", ResultStatus::Live, 1, 1)
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn around_centres_the_competitor_and_stays_full_at_the_edges() {
    let state = field(10);
    let around = |id: &str| {
        ids(&ok(state.leaderboard(&LeaderboardQuery {
            limit: Some(4),
            around: Some(code(id)),
            ..Default::default()
        })))
        .join(",")
    };
    assert_eq!(around("A005"), "A003,A004,A005,A006");
    assert_eq!(around("A000"), "A000,A001,A002,A003");
    assert_eq!(around("A009"), "A006,A007,A008,A009");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn bad_queries_name_the_field() {
    let state = field(3);
    let path = |query: LeaderboardQuery| {
        err(state.leaderboard(&query))
            .field_path()
            .map(str::to_owned)
    };
    assert_eq!(
        path(LeaderboardQuery {
            limit: Some(0),
            ..Default::default()
        })
        .as_deref(),
        Some("limit")
    );
    assert_eq!(
        path(LeaderboardQuery {
            limit: Some(501),
            ..Default::default()
        })
        .as_deref(),
        Some("limit")
    );
    assert_eq!(
        path(LeaderboardQuery {
            cursor: Some("x".into()),
            ..Default::default()
        })
        .as_deref(),
        Some("cursor")
    );
    assert_eq!(
        path(LeaderboardQuery {
            cursor: Some("1".into()),
            around: Some(code("A001")),
            ..Default::default()
        })
        .as_deref(),
        Some("cursor")
    );
    assert_eq!(
        path(LeaderboardQuery {
            around: Some(code("Z9")),
            ..Default::default()
        })
        .as_deref(),
        Some("around")
    );
    assert_eq!(
        path(LeaderboardQuery {
            unit: Some(code("SFNL")),
            ..Default::default()
        })
        .as_deref(),
        Some("unit")
    );
    // A cursor past the end is an empty page, not an error.
    let page = ok(state.leaderboard(&LeaderboardQuery {
        cursor: Some("99".into()),
        ..Default::default()
    }));
    assert!(page.rows.is_empty());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_unit_without_results_is_an_empty_start_list() {
    let state = EventState::new(single_unit_event("CCSM10KM", hundredths()));
    let page = ok(state.leaderboard(&LeaderboardQuery::default()));
    assert_eq!(
        (
            page.unit.as_str(),
            page.status,
            page.total,
            page.unit_version,
            page.event_version
        ),
        ("FNL", ResultStatus::StartList, 0, 0, 0)
    );
}
