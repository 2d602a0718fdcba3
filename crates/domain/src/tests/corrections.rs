//! Versions, duplicates, stale messages, corrections after OFFICIAL and the audit trail.

use super::support::*;
use crate::*;

fn podium() -> Vec<ResultEntry> {
    vec![
        entry("A", time(60_000), None),
        entry("B", time(60_100), None),
        entry("C", time(60_200), None),
        entry("D", time(60_300), None),
    ]
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn same_version_is_duplicate_and_lower_is_stale_without_any_change() {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    let first = applied(&mut state, msg("FNL", 3, ResultStatus::Live, podium()));
    assert_eq!((first.event_version, first.unit_version), (1, 3));
    let before = state.clone();
    assert_eq!(
        ok(state.apply_results(msg("FNL", 3, ResultStatus::Live, podium()), &ctx())),
        ApplyOutcome::Duplicate { unit_version: 3 }
    );
    assert_eq!(
        ok(state.apply_results(msg("FNL", 2, ResultStatus::Official, vec![]), &ctx())),
        ApplyOutcome::Stale { current_version: 3 }
    );
    assert_eq!(state, before);
    assert_eq!(state.version(), 1);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn out_of_order_arrival_ends_in_the_same_state() {
    let messages = [
        msg("FNL", 1, ResultStatus::Live, podium()),
        msg("FNL", 2, ResultStatus::Unofficial, podium()),
        msg("FNL", 3, ResultStatus::Official, podium()),
    ];
    let mut in_order = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    for m in messages.clone() {
        ok(in_order.apply_results(m, &ctx()));
    }
    let mut reversed = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    for m in messages.into_iter().rev() {
        ok(reversed.apply_results(m, &ctx()));
    }
    assert_eq!(board(&in_order, "FNL"), board(&reversed, "FNL"));
    assert_eq!(in_order.medals(), reversed.medals());
    assert_eq!(
        reversed.version(),
        1,
        "only the newest version changed anything"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn disqualification_after_official_moves_everyone_up_and_reallocates_medals() {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    applied(&mut state, msg("FNL", 1, ResultStatus::Official, podium()));
    let mut corrected = podium();
    if let Some(first) = corrected.first_mut() {
        first.irm = Some(Irm::Dsq);
    }
    let mut correction = msg("FNL", 2, ResultStatus::Official, corrected);
    correction.note = Some("Athlete A disqualified: doping rule violation (CAS decision)".into());
    let change = applied(&mut state, correction);
    assert!(change.medals_changed);
    assert!(change.audit.correction);
    assert_eq!(
        change.audit.summary,
        "DSQ of Athlete A (A) after OFFICIAL (FNL v2 OFFICIAL); medals reallocated"
    );
    assert_eq!(
        change.audit.note.as_deref(),
        Some("Athlete A disqualified: doping rule violation (CAS decision)")
    );
    check(
        &board(&state, "FNL"),
        "
        1 B 1:00.10 GOLD
        2 C 1:00.20 SILVER
        3 D 1:00.30 BRONZE
        - A 1:00.00 DSQ
        ",
    );
    assert_eq!(state.unit(&code("FNL")).map(|u| u.notes().len()), Some(1));
    assert_eq!(state.audit().len(), 2);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_changed_official_result_needs_a_note() {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    applied(&mut state, msg("FNL", 1, ResultStatus::Official, podium()));
    let before = state.clone();
    let mut changed = podium();
    changed.truncate(3);
    let error = err(state.apply_results(msg("FNL", 2, ResultStatus::Official, changed), &ctx()));
    assert_eq!(error.field_path(), Some("note"));
    assert_eq!(state, before);
    // Re-sending the same content under a new version needs no note.
    let change = applied(&mut state, msg("FNL", 2, ResultStatus::Official, podium()));
    assert!(!change.medals_changed);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn routine_audit_entries_are_trimmed_but_corrections_stay() {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    applied(&mut state, msg("FNL", 1, ResultStatus::Official, podium()));
    for version in 2..400 {
        let mut m = msg("FNL", version, ResultStatus::Official, podium());
        m.note = Some(format!("resend {version}"));
        ok(state.apply_results(m, &ctx()));
    }
    // Every entry here is about an OFFICIAL result, so all are kept.
    assert_eq!(state.audit().len(), 399);
    let mut live = EventState::new(single_unit_event("ALPMDOWNHILL", hundredths()));
    for version in 1..400 {
        ok(live.apply_results(msg("FNL", version, ResultStatus::Live, podium()), &ctx()));
    }
    assert_eq!(live.audit().len(), 200);
    assert_eq!(live.audit().first().map(|a| a.unit_version), Some(200));
}
