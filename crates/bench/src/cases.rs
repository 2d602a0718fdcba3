//! The domain benchmarks: a results update plus the first leaderboard page, and the Games' medal table.
//!
//! The same code runs natively and in wasm32; only the [`Clock`] differs. Each case prepares its inputs
//! outside the timed region (messages are consumed by `apply_results`, so they are made in batches
//! beforehand), warms up, then times every operation on its own.

use std::hint::black_box;

use domain::{
    EventState, LeaderboardPage, LeaderboardQuery, MedalBook, MedalFilter, MedalOrder, MedalTable,
    ResultsMessage,
};
use serde::{Deserialize, Serialize};

use crate::fixtures::{Games, Race, UNIT, context};
use crate::stats::{Budget, Clock, Summary, clock_overhead_ns};

/// The race sizes of the leaderboard cases.
pub const RACE_SIZES: [usize; 3] = [30, 100, 1000];
/// Rows on the first leaderboard page (a phone screen).
pub const PAGE_LIMIT: u32 = 30;
/// Inputs prepared per batch, before the batch's operations are timed one by one.
const BATCH: usize = 64;

/// What to run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub budget: Budget,
    /// Run only the cases whose id contains this text.
    #[serde(default)]
    pub only: Option<String>,
}

/// One case's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Measurement {
    /// Stable id shared by native, wasm and the Redis peer, e.g. `leaderboard/100`.
    pub id: String,
    pub operation: String,
    pub size: String,
    pub summary: Summary,
    /// What the data looked like (rows, NOCs…), to check the numbers measure what they claim.
    pub detail: String,
}

/// Everything one platform measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub platform: String,
    pub clock_overhead_ns: f64,
    pub results: Vec<Measurement>,
}

/// Runs every case of the plan.
pub fn run(platform: &str, clock: &dyn Clock, plan: &Plan) -> Result<Report, String> {
    let wanted = |id: &str| plan.only.as_deref().is_none_or(|only| id.contains(only));
    let mut results = Vec::new();
    for size in RACE_SIZES {
        let id = format!("leaderboard/{size}");
        if wanted(&id) {
            results.push(leaderboard(clock, &plan.budget, size, &id)?);
        }
        let id = format!("leaderboard-json/{size}");
        if wanted(&id) {
            results.push(leaderboard_json(clock, &plan.budget, size, &id)?);
        }
        let id = format!("leaderboard-open/{size}");
        if wanted(&id) {
            results.push(leaderboard(clock, &plan.budget, size, &id)?);
        }
    }
    if wanted("medal-table/games") {
        results.push(medal_table(clock, &plan.budget)?);
    }
    if wanted("medal-book/games") {
        results.push(medal_book(clock, &plan.budget)?);
    }
    Ok(Report {
        platform: platform.to_owned(),
        clock_overhead_ns: clock_overhead_ns(clock),
        results,
    })
}

/// Warms up, then times `op` on inputs made by `prepare` (untimed, in batches).
/// `op` returns a check value; an error stops the benchmark.
pub fn measure<I>(
    clock: &dyn Clock,
    budget: &Budget,
    mut prepare: impl FnMut() -> Result<I, String>,
    mut op: impl FnMut(I) -> Result<usize, String>,
) -> Result<Summary, String> {
    let mut inputs: Vec<I> = Vec::with_capacity(BATCH);
    let mut refill = |inputs: &mut Vec<I>| -> Result<(), String> {
        for _ in 0..BATCH {
            inputs.push(prepare()?);
        }
        // Popped from the back: reverse so inputs are used in the order they were made.
        inputs.reverse();
        Ok(())
    };
    let warmup_start = clock.now_ns();
    let mut warmed = 0usize;
    while warmed < budget.warmup_ops || clock.now_ns() - warmup_start < budget.warmup_ms * 1e6 {
        if inputs.is_empty() {
            refill(&mut inputs)?;
        }
        if let Some(input) = inputs.pop() {
            black_box(op(input)?);
        }
        warmed += 1;
    }
    let mut samples = Vec::with_capacity(budget.max_samples.min(100_000));
    let start = clock.now_ns();
    while samples.len() < budget.max_samples
        && (samples.len() < budget.min_samples || clock.now_ns() - start < budget.measure_ms * 1e6)
    {
        if inputs.is_empty() {
            refill(&mut inputs)?;
        }
        let Some(input) = inputs.pop() else { continue };
        let t0 = clock.now_ns();
        let checked = op(input);
        let t1 = clock.now_ns();
        black_box(checked?);
        samples.push(t1 - t0);
    }
    Summary::of(samples).ok_or_else(|| "no samples".to_owned())
}

fn page_query() -> Result<LeaderboardQuery, String> {
    Ok(LeaderboardQuery {
        unit: Some(UNIT.parse().map_err(|e| format!("{e}"))?),
        limit: Some(PAGE_LIMIT),
        cursor: None,
        around: None,
        final_ranking: false,
    })
}

/// A race's state after its first version, ready for updates.
fn started(race: &mut Race) -> Result<EventState, String> {
    let mut state = EventState::try_new(race.definition.clone()).map_err(|e| e.to_string())?;
    apply(&mut state, race.first_message())?;
    Ok(state)
}

fn apply(state: &mut EventState, message: ResultsMessage) -> Result<(), String> {
    match state.apply_results(message, &context()) {
        Ok(domain::ApplyOutcome::Applied(_)) => Ok(()),
        Ok(other) => Err(format!("update not applied: {other:?}")),
        Err(error) => Err(format!("update rejected: {error}")),
    }
}

fn expect_page(page: &LeaderboardPage, competitors: usize) -> Result<usize, String> {
    let want = competitors.min(PAGE_LIMIT as usize);
    if page.rows.len() != want || page.total != competitors {
        return Err(format!(
            "page has {} of {} rows, wanted {want} of {competitors}",
            page.rows.len(),
            page.total
        ));
    }
    Ok(page.rows.len())
}

fn race_detail(state: &EventState) -> Result<String, String> {
    let page = state
        .leaderboard(&page_query()?)
        .map_err(|e| e.to_string())?;
    // Every row, page by page (a page holds at most 500).
    let mut rows = Vec::new();
    let mut cursor = None;
    loop {
        let next = state
            .leaderboard(&LeaderboardQuery {
                limit: Some(500),
                cursor,
                ..page_query()?
            })
            .map_err(|e| e.to_string())?;
        rows.extend(next.rows);
        cursor = next.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    let shared = rows.iter().filter(|r| r.rank_equal).count();
    let irms = rows.iter().filter(|r| r.irm.is_some()).count();
    let pending = rows
        .iter()
        .filter(|r| r.rank.is_none() && r.irm.is_none())
        .count();
    Ok(format!(
        "{} competitors ({shared} sharing a rank, {irms} IRM, {pending} still to finish), page of {}",
        rows.len(),
        page.rows.len()
    ))
}

/// Apply a new version of the unit (one entry changed), then read the first page of its leaderboard.
fn leaderboard(
    clock: &dyn Clock,
    budget: &Budget,
    competitors: usize,
    id: &str,
) -> Result<Measurement, String> {
    let open = id.starts_with("leaderboard-open/");
    let mut race = Race::new(competitors, 0x0712_2026 + competitors as u64)?;
    if open {
        race = race.without_participants();
    }
    let mut state = started(&mut race)?;
    let query = page_query()?;
    let summary = {
        let state = &mut state;
        measure(
            clock,
            budget,
            || Ok(race.next_message()),
            |message| {
                apply(state, message)?;
                let page = state.leaderboard(&query).map_err(|e| e.to_string())?;
                expect_page(black_box(&page), competitors)
            },
        )?
    };
    Ok(Measurement {
        id: id.to_owned(),
        operation: if open {
            "same, event without a participant list (no entry-list check)".into()
        } else {
            "apply a results update + first leaderboard page".into()
        },
        size: format!("{competitors} competitors"),
        summary,
        detail: race_detail(&state)?,
    })
}

/// The same, as the event Durable Object does it: JSON message in, JSON page out.
fn leaderboard_json(
    clock: &dyn Clock,
    budget: &Budget,
    competitors: usize,
    id: &str,
) -> Result<Measurement, String> {
    let mut race = Race::new(competitors, 0x0712_2026 + competitors as u64)?;
    let mut state = started(&mut race)?;
    let query = page_query()?;
    let mut bytes_in = 0usize;
    let mut bytes_out = 0usize;
    let summary = {
        let state = &mut state;
        measure(
            clock,
            budget,
            || serde_json::to_string(&race.next_message()).map_err(|e| e.to_string()),
            |json| {
                bytes_in = json.len();
                let message: ResultsMessage =
                    serde_json::from_str(&json).map_err(|e| e.to_string())?;
                apply(state, message)?;
                let page = state.leaderboard(&query).map_err(|e| e.to_string())?;
                let out = serde_json::to_string(&page).map_err(|e| e.to_string())?;
                bytes_out = out.len();
                expect_page(&page, competitors)?;
                Ok(black_box(out).len())
            },
        )?
    };
    Ok(Measurement {
        id: id.to_owned(),
        operation: "same, JSON in and out (decode message, apply, page, encode page)".into(),
        size: format!("{competitors} competitors"),
        summary,
        detail: format!("message {bytes_in} bytes of JSON, page {bytes_out} bytes"),
    })
}

/// Rebuild the whole Games' medal table from every award.
fn medal_table(clock: &dyn Clock, budget: &Budget) -> Result<Measurement, String> {
    let games = Games::new(2026)?;
    let awards = games.awards();
    let filter = MedalFilter::default();
    let mut nocs = 0usize;
    let summary = measure(
        clock,
        budget,
        || Ok(()),
        |()| {
            let table = MedalTable::build(&awards, &filter, MedalOrder::GoldFirst);
            let table = black_box(table);
            if table.totals.total as usize != awards.len() {
                return Err("medal table totals do not add up".into());
            }
            nocs = table.rows.len();
            Ok(nocs)
        },
    )?;
    Ok(Measurement {
        id: "medal-table/games".into(),
        operation: "rebuild the medal table from all awards (`MedalTable::build`, gold first)"
            .into(),
        size: format!(
            "{} events, {} NOCs",
            games.events.len(),
            crate::fixtures::NOCS.len()
        ),
        summary,
        detail: format!("{} awards; {nocs} NOCs with a medal", awards.len()),
    })
}

/// The standings object's path: one event's medals change (a correction), then the table is rebuilt.
fn medal_book(clock: &dyn Clock, budget: &Budget) -> Result<Measurement, String> {
    let games = Games::new(2026)?;
    let mut book = MedalBook::new();
    for event in &games.events {
        book.update(event.clone()).map_err(|e| e.to_string())?;
    }
    let filter = MedalFilter::default();
    let events = games.events.len();
    let mut next = 0usize;
    let mut version = 1u64;
    // Each visit to an event flips it between its medals and the reallocated ones: every update is a change.
    let mut reallocated = vec![false; events];
    let summary = measure(
        clock,
        budget,
        || {
            next = (next + 7) % events;
            version += 1;
            reallocated[next] = !reallocated[next];
            games
                .correction(next, version, reallocated[next])
                .ok_or_else(|| "no such event".to_owned())
        },
        |medals| {
            let changed = book.update(medals).map_err(|e| e.to_string())?;
            let table = black_box(book.table(&filter, MedalOrder::GoldFirst));
            if !changed {
                return Err("medal update ignored".into());
            }
            Ok(table.rows.len())
        },
    )?;
    Ok(Measurement {
        id: "medal-book/games".into(),
        operation: "update one event's medals in the `MedalBook` + rebuild the table".into(),
        size: format!("{events} events, {} NOCs", crate::fixtures::NOCS.len()),
        summary,
        detail: format!("{} awards in the book", book.awards().count()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counter(std::cell::Cell<f64>);
    impl Clock for Counter {
        fn now_ns(&self) -> f64 {
            self.0.set(self.0.get() + 1.0);
            self.0.get()
        }
    }

    /// Every case runs and checks its own output; the timings of a fake clock are not looked at.
    #[test]
    fn every_case_runs_on_a_quick_budget() {
        let plan = Plan {
            budget: Budget::quick(),
            only: None,
        };
        let report = run("test", &Counter(0.0.into()), &plan);
        let report = report.unwrap_or_else(|error| unreachable!("{error}"));
        let ids: Vec<&str> = report.results.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "leaderboard/30",
                "leaderboard-json/30",
                "leaderboard-open/30",
                "leaderboard/100",
                "leaderboard-json/100",
                "leaderboard-open/100",
                "leaderboard/1000",
                "leaderboard-json/1000",
                "leaderboard-open/1000",
                "medal-table/games",
                "medal-book/games"
            ]
        );
    }

    #[test]
    fn the_games_have_116_events_and_90_nocs() {
        let games = Games::new(2026).unwrap_or_else(|error| unreachable!("{error}"));
        assert_eq!(games.events.len(), 116);
        let mut nocs = crate::fixtures::NOCS.to_vec();
        nocs.sort_unstable();
        nocs.dedup();
        assert_eq!(nocs.len(), 90);
    }

    #[test]
    fn races_have_ties_irms_and_competitors_still_to_finish() {
        let mut race = Race::new(100, 1).unwrap_or_else(|error| unreachable!("{error}"));
        let state = started(&mut race).unwrap_or_else(|error| unreachable!("{error}"));
        let detail = race_detail(&state).unwrap_or_else(|error| unreachable!("{error}"));
        assert!(detail.starts_with("100 competitors"), "{detail}");
        assert!(!detail.contains("(0 sharing"), "{detail}");
        assert!(!detail.contains(" 0 IRM"), "{detail}");
        assert!(!detail.contains(" 0 still"), "{detail}");
    }

    /// Corrections go back and forth around the generated times, so ties survive many updates.
    #[test]
    fn races_keep_their_ties_after_many_updates() {
        let mut race = Race::new(100, 1).unwrap_or_else(|error| unreachable!("{error}"));
        let mut state = started(&mut race).unwrap_or_else(|error| unreachable!("{error}"));
        for _ in 0..1000 {
            apply(&mut state, race.next_message()).unwrap_or_else(|error| unreachable!("{error}"));
        }
        let detail = race_detail(&state).unwrap_or_else(|error| unreachable!("{error}"));
        assert!(!detail.contains("(0 sharing"), "{detail}");
        assert!(!detail.contains(" 0 IRM"), "{detail}");
    }
}
