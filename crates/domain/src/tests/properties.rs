//! Property tests over random inputs from a seeded generator: the ranking and medal invariants.

use super::support::*;
use crate::*;

const CASES: u64 = 150;

/// A random field: few distinct marks (to force ties), some IRMs and some competitors without a mark.
pub(super) fn random_entries(rng: &mut Rng, format: &ScoringFormat) -> Vec<ResultEntry> {
    let count = 1 + rng.below(30) as usize;
    let irms = [Irm::Dnf, Irm::Dns, Irm::Dsq, Irm::Dnq, Irm::Lap];
    (0..count)
        .map(|i| {
            let id = format!(
                "{}{i}",
                ["A", "B", "C", "D", "E", "F"][rng.below(6) as usize]
            );
            let roll = rng.below(10);
            let irm = (roll == 0).then(|| irms[rng.below(irms.len() as u64) as usize]);
            let level = rng.below(8);
            let mark = (roll != 1).then(|| match format {
                ScoringFormat::HighestPoints { .. } => Mark::Points {
                    points: 50.0 + level as f64 * 0.5 + rng.below(3) as f64 * 0.001,
                },
                ScoringFormat::SumOfRuns { .. } => Mark::Runs {
                    runs_ms: vec![50_000 + level * 10, 50_000 + rng.below(2) * 10],
                },
                _ => Mark::Time {
                    time_ms: 60_000 + level * 10 + rng.below(10),
                },
            });
            entry(&id, mark, irm)
        })
        .collect()
}

pub(super) fn formats() -> Vec<ScoringFormat> {
    vec![
        hundredths(),
        ScoringFormat::HighestPoints { decimals: 2 },
        ScoringFormat::SumOfRuns {
            runs: 2,
            precision: TimePrecision::Hundredths,
            rounding: Rounding::Truncate,
        },
    ]
}

fn ranked(format: &ScoringFormat, entries: Vec<ResultEntry>) -> (EventState, Vec<LeaderboardRow>) {
    let mut state = EventState::new(single_unit_event("ALPMDOWNHILL", format.clone()));
    let status = if entries.iter().all(|e| e.mark.is_some() || e.irm.is_some()) {
        ResultStatus::Official
    } else {
        ResultStatus::Live
    };
    applied(&mut state, msg("FNL", 1, status, entries));
    let rows = ok(state.leaderboard(&LeaderboardQuery {
        limit: Some(500),
        ..Default::default()
    }))
    .rows;
    (state, rows)
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn ranking_does_not_depend_on_input_order() {
    let mut rng = Rng::new(1);
    for case in 0..CASES {
        for format in formats() {
            let entries = random_entries(&mut rng, &format);
            let mut shuffled = entries.clone();
            rng.shuffle(&mut shuffled);
            let (a, rows_a) = ranked(&format, entries);
            let (b, rows_b) = ranked(&format, shuffled);
            assert_eq!(rows_a, rows_b, "case {case}");
            assert_eq!(a.medals(), b.medals(), "case {case}");
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn ranks_are_competition_ranks_with_irms_last_and_sequential_sort_order() {
    let mut rng = Rng::new(2);
    for case in 0..CASES {
        for format in formats() {
            let (_, rows) = ranked(&format, random_entries(&mut rng, &format));
            let sort_orders: Vec<u32> = rows.iter().map(|r| r.sort_order).collect();
            let expected: Vec<u32> = (1..=rows.len() as u32).collect();
            assert_eq!(sort_orders, expected, "case {case}: sort order is 1..n");
            let first_unranked = rows
                .iter()
                .position(|r| r.rank.is_none())
                .unwrap_or(rows.len());
            assert!(
                rows.iter().skip(first_unranked).all(|r| r.rank.is_none()),
                "case {case}: ranked rows come first"
            );
            let first_irm = rows
                .iter()
                .position(|r| r.irm.is_some())
                .unwrap_or(rows.len());
            assert!(
                rows.iter().skip(first_irm).all(|r| r.irm.is_some()),
                "case {case}: IRMs come last"
            );
            let irms: Vec<Irm> = rows.iter().filter_map(|r| r.irm).collect();
            assert!(
                irms.windows(2).all(|w| w[0] <= w[1]),
                "case {case}: IRMs in fixed order"
            );
            for row in rows.iter().filter(|r| r.rank.is_some()) {
                // Competition rank: one more than the number of rows with a different, better mark.
                let better = rows
                    .iter()
                    .filter(|o| {
                        o.rank.is_some() && o.sort_order < row.sort_order && o.mark != row.mark
                    })
                    .count();
                assert_eq!(row.rank, Some(better as u32 + 1), "case {case}: {row:?}");
                let shared = rows
                    .iter()
                    .filter(|o| o.rank.is_some() && o.mark == row.mark)
                    .count()
                    > 1;
                assert_eq!(
                    row.rank_equal, shared,
                    "case {case}: equal marks share a rank, flagged"
                );
            }
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn medals_follow_ranks() {
    let mut rng = Rng::new(3);
    for case in 0..CASES {
        for format in formats() {
            let (state, rows) = ranked(&format, random_entries(&mut rng, &format));
            let official =
                state.unit(&code("FNL")).map(|u| u.status()) == Some(ResultStatus::Official);
            for row in &rows {
                let expected = if official {
                    row.rank.and_then(Medal::for_rank)
                } else {
                    None
                };
                assert_eq!(row.medal, expected, "case {case}: {row:?}");
            }
            assert_eq!(
                state.medals().len(),
                rows.iter().filter(|r| r.medal.is_some()).count(),
                "case {case}"
            );
            // Never more golds than the tie at the top, never a silver after two golds.
            let golds = rows.iter().filter(|r| r.medal == Some(Medal::Gold)).count();
            let silvers = rows
                .iter()
                .filter(|r| r.medal == Some(Medal::Silver))
                .count();
            assert!(golds < 2 || silvers == 0, "case {case}");
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn medal_table_counts_equal_medals_awarded() {
    let mut rng = Rng::new(4);
    let events = [
        "ALPMDOWNHILL",
        "ALPWSLALOM",
        "BTHMSPRINT",
        "SSKW500M",
        "FRSXAERIALS",
        "LUGMSINGLES",
    ];
    for case in 0..CASES / 5 {
        let mut book = MedalBook::new();
        let mut awarded = 0usize;
        for (e, event) in events.iter().enumerate() {
            let format = formats().into_iter().nth(e % 3).unwrap_or_else(hundredths);
            let mut state = EventState::new(single_unit_event(event, format.clone()));
            let entries: Vec<ResultEntry> = random_entries(&mut rng, &format)
                .into_iter()
                .filter(|x| x.mark.is_some() || x.irm.is_some())
                .collect();
            applied(&mut state, msg("FNL", 1, ResultStatus::Official, entries));
            let awards = state.medals();
            awarded += awards.len();
            assert!(
                ok(book.update(EventMedals {
                    event: code(event),
                    event_version: state.version(),
                    awards
                })) || state.medals().is_empty()
            );
        }
        for order in [MedalOrder::GoldFirst, MedalOrder::Total] {
            let table = book.table(&MedalFilter::default(), order);
            assert_eq!(table.totals.total as usize, awarded, "case {case}");
            let sum: u32 = table.rows.iter().map(|r| r.counts.total).sum();
            assert_eq!(sum as usize, awarded, "case {case}");
            let golds: u32 = table.rows.iter().map(|r| r.counts.gold).sum();
            assert_eq!(
                golds as usize,
                book.awards().filter(|a| a.medal == Medal::Gold).count()
            );
            // Ranks never improve down the table.
            assert!(
                table.rows.windows(2).all(|w| w[0].rank <= w[1].rank),
                "case {case}"
            );
        }
        let by_discipline: u32 = book
            .breakdown(&MedalFilter::default(), Breakdown::Discipline)
            .iter()
            .map(|r| r.counts.total)
            .sum();
        assert_eq!(by_discipline as usize, awarded);
    }
}
