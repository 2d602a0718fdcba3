//! The update path's shortcuts give the answers of the straightforward code they replace: lazy field
//! paths, digit-by-digit time formatting, the one-pass text check, the participant index, the sort that
//! starts from the previous order, the audit trail's O(1) trimming, and checks skipped for entries
//! unchanged since the previous version.

use super::support::*;
use crate::audit::{AuditTrail, ROUTINE_AUDIT_KEPT};
use crate::catalog::{ParticipantIndex, check_text};
use crate::display::{format_gap, format_time};
use crate::error::{FieldPath, Path, at, idx};
use crate::ranking::sort_nearly_sorted;
use crate::*;

/// `format_time` as it was written with `format!`.
fn format_time_reference(ms: u64, precision: TimePrecision) -> String {
    let fraction_ms = ms % 1000;
    let total_seconds = ms / 1000;
    let (hours, minutes, seconds) = (
        total_seconds / 3600,
        (total_seconds / 60) % 60,
        total_seconds % 60,
    );
    let fraction = match precision.decimals() {
        0 => String::new(),
        1 => format!(".{}", fraction_ms / 100),
        2 => format!(".{:02}", fraction_ms / 10),
        _ => format!(".{fraction_ms:03}"),
    };
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}{fraction}")
    } else if minutes > 0 {
        format!("{minutes}:{seconds:02}{fraction}")
    } else {
        format!("{seconds}{fraction}")
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn times_format_as_with_format_macros() {
    let mut rng = Rng::new(11);
    let mut times: Vec<u64> = vec![
        0,
        1,
        9,
        10,
        99,
        100,
        999,
        1_000,
        59_999,
        60_000,
        3_599_999,
        3_600_000,
        86_400_000,
        u64::MAX,
    ];
    times.extend((0..2_000).map(|_| rng.below(30_000_000)));
    for ms in times {
        for precision in [
            TimePrecision::Seconds,
            TimePrecision::Tenths,
            TimePrecision::Hundredths,
            TimePrecision::Thousandths,
        ] {
            let expected = format_time_reference(ms, precision);
            assert_eq!(format_time(ms, precision), expected, "{ms} ms");
            assert_eq!(format_gap(ms, precision), format!("+{expected}"), "{ms} ms");
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn lazy_paths_render_as_at_and_idx() {
    let root = Path::Root("entries");
    let entry = root.index(3);
    let mark = entry.field("mark");
    let run = mark.field("runs_ms");
    assert_eq!(
        run.index(1).render(),
        idx(&at(&at(&idx("entries", 3), "mark"), "runs_ms"), 1)
    );
    assert_eq!(run.index(1).render(), "entries[3].mark.runs_ms[1]");
    let empty = Path::Root("");
    assert_eq!(empty.field("name").render(), at("", "name"));
    assert_eq!(empty.index(2).render(), idx("", 2));
    assert_eq!(Path::Root("home").field("noc").render(), "home.noc");
}

/// `check_text` as it was: trim, count, then look for control characters.
fn check_text_reference(value: &str, max_chars: usize) -> Option<&'static str> {
    if value.trim().is_empty() {
        Some("empty")
    } else if value.chars().count() > max_chars {
        Some("long")
    } else if value.chars().any(char::is_control) {
        Some("control")
    } else {
        None
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn text_checks_agree_with_the_general_rules() {
    let texts = [
        "",
        " ",
        "\t",
        "\u{b}",
        "\u{c}",
        "\r\n",
        "\u{1c}",
        "\u{1f}",
        "\u{7f}",
        "a\u{7f}",
        "\u{85}",
        "\u{a0}",
        "\u{2003}",
        " \u{2003} ",
        "Anna BERG",
        " Anna ",
        "Anna\tBERG",
        "Anna\u{0}",
        "Chloé KIM",
        "Chloé\u{9f}",
        "abcde",
        "abcdef",
        "äbcde",
        "äbcdef",
    ];
    for text in texts {
        let reason = |error: DomainError| match error {
            DomainError::InvalidField { reason, .. } if reason.contains("empty") => "empty",
            DomainError::InvalidField { reason, .. } if reason.contains("at most") => "long",
            DomainError::InvalidField { reason, .. } if reason.contains("control") => "control",
            _ => "other",
        };
        let actual = check_text(text, "name", 5).err().map(reason);
        assert_eq!(actual, check_text_reference(text, 5), "{text:?}");
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_participant_index_finds_what_the_list_scan_finds() {
    let mut definition = single_unit_event("ALPMDOWNHILL", hundredths());
    let mut rng = Rng::new(5);
    for i in 0..300u64 {
        // Some ids appear twice (an unvalidated definition): the first one wins, as in the scan.
        let id = format!("P{}", rng.below(250));
        definition.participants.push(Participant {
            id: code(&id),
            name: format!("Person {i}"),
            noc: code(noc_of(&id)),
            kind: CompetitorKind::Athlete,
            members: Vec::new(),
        });
    }
    let index = ParticipantIndex::new(&definition);
    for n in 0..260 {
        let id: CompetitorId = code(&format!("P{n}"));
        assert_eq!(
            index.get(&definition, &id),
            definition.participant(&id),
            "{id}"
        );
    }
    let empty = single_unit_event("ALPMDOWNHILL", hundredths());
    assert_eq!(ParticipantIndex::new(&empty).get(&empty, &code("P1")), None);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_nearly_sorted_sort_sorts_any_order() {
    let mut rng = Rng::new(17);
    for case in 0..300 {
        let len = rng.below(200) as usize;
        let mut items: Vec<u64> = (0..len as u64).collect();
        // A few moves (the usual update), or a full shuffle (past the budget).
        if case % 3 == 0 {
            rng.shuffle(&mut items);
        } else {
            for _ in 0..=rng.below(4) {
                if len > 1 {
                    let from = rng.below(len as u64) as usize;
                    let to = rng.below(len as u64) as usize;
                    let item = items.remove(from);
                    items.insert(to, item);
                }
            }
        }
        let mut expected = items.clone();
        expected.sort_unstable();
        sort_nearly_sorted(&mut items, |a, b| a.cmp(b));
        assert_eq!(items, expected, "case {case}");
    }
}

/// The trail as it was: a `Vec` that counts and shifts on every push.
fn push_reference(trail: &mut Vec<AuditEntry>, entry: AuditEntry) {
    trail.push(entry);
    let routine = trail.iter().filter(|e| !e.is_permanent()).count();
    if routine > ROUTINE_AUDIT_KEPT {
        let mut to_drop = routine - ROUTINE_AUDIT_KEPT;
        trail.retain(|e| {
            if to_drop > 0 && !e.is_permanent() {
                to_drop -= 1;
                false
            } else {
                true
            }
        });
    }
}

fn audit_entry(n: u64, permanent: bool) -> AuditEntry {
    AuditEntry {
        event_version: n,
        unit: code("FNL"),
        unit_version: n,
        message_id: format!("m{n}"),
        feed: "odf".into(),
        received_at_ms: n,
        status: ResultStatus::Live,
        note: None,
        summary: format!("FNL v{n} LIVE"),
        correction: permanent,
        medals_changed: false,
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_audit_trail_keeps_what_the_vec_kept() {
    let mut rng = Rng::new(23);
    for case in 0..20u64 {
        // Some trails start from a stored one with more routine entries than are kept.
        let loaded: Vec<AuditEntry> = (0..case * 40)
            .map(|n| audit_entry(n, rng.below(10) == 0))
            .collect();
        let mut expected = loaded.clone();
        let mut trail = AuditTrail::from(loaded);
        for n in 0..700 {
            let entry = audit_entry(10_000 + n, rng.below(8 + case) == 0);
            push_reference(&mut expected, entry.clone());
            trail.push(entry);
            assert_eq!(
                trail.as_slice(),
                expected.as_slice(),
                "case {case}, push {n}"
            );
        }
        assert_eq!(trail.clone(), AuditTrail::from(expected.clone()));
        assert_eq!(format!("{trail:?}"), format!("{expected:?}"));
        assert_eq!(
            serde_json::to_string(&trail).ok(),
            serde_json::to_string(&expected).ok()
        );
    }
}

/// A field of `n` with times, a few IRMs and a few still to finish.
fn field(rng: &mut Rng, n: usize) -> Vec<ResultEntry> {
    (0..n)
        .map(|i| {
            let id = format!("{}{i:03}", ["A", "B", "C", "D"][i % 4]);
            let mut entry = match rng.below(20) {
                0 => entry(&id, None, Some(Irm::Dnf)),
                1 => entry(&id, None, None),
                // Times to the millisecond, compared at 1/100 s: plenty of ties.
                _ => entry(&id, time(100_000 + rng.below(400) * 3), None),
            };
            entry.start_order = Some(i as u32 + 1);
            entry
        })
        .collect()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn updates_rank_and_reject_as_a_fresh_state_does() {
    let mut rng = Rng::new(31);
    let mut definition = single_unit_event("ALPMDOWNHILL", hundredths());
    let mut entries = field(&mut rng, 60);
    definition.participants = entries
        .iter()
        .map(|e| Participant {
            id: e.competitor.clone(),
            name: e.name.clone(),
            noc: e.noc.clone(),
            kind: CompetitorKind::Athlete,
            members: Vec::new(),
        })
        .collect();
    let mut live = EventState::new(definition.clone());
    applied(
        &mut live,
        msg("FNL", 1, ResultStatus::Live, entries.clone()),
    );
    for version in 2..400 {
        let mut next = entries.clone();
        let len = next.len();
        let i = rng.below(len as u64) as usize;
        match rng.below(12) {
            0 => next.swap(i, (i + 1) % len),
            1 => next[i].irm = Some(Irm::Dsq),
            2 => next[i].irm = None,
            3 => next[i].mark = None,
            // Changes the check must still catch in an otherwise unchanged list.
            4 => next[i].name = String::new(),
            5 => next[i].noc = code("ITA"),
            6 => {
                let other = next[(i + 7) % len].competitor.clone();
                next[i].competitor = other;
            }
            7 => next[i].mark = time(0),
            _ => next[i].mark = time(100_000 + rng.below(400) * 3),
        }
        let mut fresh = EventState::new(definition.clone());
        let message = msg("FNL", version, ResultStatus::Live, next.clone());
        let expected = fresh.apply_results(message.clone(), &ctx()).map(|_| ());
        let actual = live.apply_results(message, &ctx()).map(|_| ());
        assert_eq!(actual, expected, "version {version}");
        if actual.is_ok() {
            entries = next;
            assert_eq!(
                board(&live, "FNL"),
                board(&fresh, "FNL"),
                "version {version}"
            );
            let page = |state: &EventState| {
                ok(state.leaderboard(&LeaderboardQuery {
                    limit: Some(500),
                    ..Default::default()
                }))
                .rows
            };
            assert_eq!(page(&live), page(&fresh), "version {version}");
        }
    }
}
