//! Live patches: applying the patch between two pages to the first gives the second, exactly.

use super::properties::{formats, random_entries};
use super::support::*;
use crate::*;

fn page(state: &EventState, limit: u32) -> LeaderboardPage {
    ok(state.leaderboard(&LeaderboardQuery {
        limit: Some(limit),
        ..Default::default()
    }))
}

fn downhill(entries: Vec<ResultEntry>) -> EventState {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    applied(&mut state, msg("FNL", 1, ResultStatus::Live, entries));
    state
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_new_finisher_sends_one_row_and_the_new_places() {
    let mut state = downhill(vec![
        entry("A", time(100_000), None),
        entry("B", time(100_500), None),
        entry("C", time(101_000), None),
        entry("D", None, None),
    ]);
    let before = page(&state, 50);
    applied(
        &mut state,
        msg(
            "FNL",
            2,
            ResultStatus::Live,
            vec![
                entry("A", time(100_000), None),
                entry("B", time(100_500), None),
                entry("C", time(101_000), None),
                entry("D", time(100_200), None),
            ],
        ),
    );
    let after = page(&state, 50);
    let patch = LeaderboardPatch::between(&before, &after);
    assert_eq!(patch.base, before.event_version);
    assert_eq!(patch.event_version, after.event_version);
    let ids: Vec<&str> = patch.rows.iter().map(|r| r.competitor.as_str()).collect();
    assert_eq!(ids, ["D"], "only the finisher's row changed content");
    let order: Vec<&str> = patch.order.iter().map(|c| c.as_str()).collect();
    assert_eq!(order, ["A", "D", "B", "C"]);
    assert_eq!(patch.ranks, [Some(1), Some(2), Some(3), Some(4)]);
    assert_eq!(patch.apply(&before), Ok(after));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_same_page_gives_an_empty_patch_and_ties_survive() {
    let state = downhill(vec![
        entry("A", time(100_000), None),
        entry("B", time(100_000), None),
        entry("C", time(101_000), None),
    ]);
    let page = page(&state, 50);
    let patch = LeaderboardPatch::between(&page, &page);
    assert!(patch.rows.is_empty());
    assert_eq!(patch.tied, [0, 1]);
    assert_eq!(patch.apply(&page), Ok(page));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_patch_refuses_a_page_it_was_not_made_from() {
    let mut state = downhill(vec![entry("A", time(100_000), None)]);
    let first = page(&state, 50);
    applied(
        &mut state,
        msg(
            "FNL",
            2,
            ResultStatus::Live,
            vec![
                entry("A", time(100_000), None),
                entry("B", time(99_000), None),
            ],
        ),
    );
    let second = page(&state, 50);
    let patch = LeaderboardPatch::between(&second, &second);
    assert_eq!(
        patch.apply(&first),
        Err(PatchError::WrongBase {
            base: second.event_version,
            held: first.event_version
        })
    );
    let mut broken = LeaderboardPatch::between(&first, &second);
    broken.rows.clear();
    assert!(matches!(
        broken.apply(&first),
        Err(PatchError::MissingRow(id)) if id.as_str() == "B"
    ));
    broken.ranks.pop();
    assert!(matches!(
        broken.apply(&first),
        Err(PatchError::Malformed { .. })
    ));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn applying_the_patch_between_two_pages_gives_the_second() {
    let mut rng = Rng::new(11);
    for format in formats() {
        for _ in 0..100 {
            let first = random_entries(&mut rng, &format);
            // The next version: some marks change, some competitors go, a few arrive.
            let mut second: Vec<ResultEntry> = Vec::new();
            for (i, old) in first.iter().enumerate() {
                match rng.below(10) {
                    0 => {}
                    1..=3 => {
                        let again = random_entries(&mut rng, &format);
                        let mut changed = again[i % again.len()].clone();
                        changed.competitor = old.competitor.clone();
                        changed.name = old.name.clone();
                        changed.noc = old.noc.clone();
                        second.push(changed);
                    }
                    _ => second.push(old.clone()),
                }
            }
            for (i, mut newcomer) in random_entries(&mut rng, &format)
                .into_iter()
                .take(rng.below(4) as usize)
                .enumerate()
            {
                newcomer.competitor = code(&format!("NEW{i}"));
                second.push(newcomer);
            }
            let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", format.clone()));
            applied(&mut state, msg("FNL", 1, ResultStatus::Live, first));
            let limit = 1 + rng.below(40) as u32;
            let before = page(&state, limit);
            if second.is_empty() {
                continue;
            }
            applied(&mut state, msg("FNL", 2, ResultStatus::Live, second));
            let after = page(&state, limit);
            let patch = LeaderboardPatch::between(&before, &after);
            assert_eq!(
                patch.apply(&before),
                Ok(after.clone()),
                "{format:?} limit {limit}"
            );
            assert!(patch.rows.len() <= after.rows.len());
        }
    }
}
