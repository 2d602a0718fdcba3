//! The operators' reports, read from D1 over a window of minutes. The percentiles of lateness are
//! computed here from the window's delays (the nearest-rank definition), so they are exact.

use std::collections::BTreeMap;

use serde::Deserialize;
use wasm_bindgen::JsValue;
use wire::api::analytics::{
    DeadLetterTotals, FeedHealth, Lateness, MinuteCount, ReadTotal, RefusalCount, StatsAnswer,
};
use worker::{D1Database, Result};

#[derive(Deserialize)]
struct Delay {
    feed: String,
    delay_ms: f64,
}

#[derive(Deserialize)]
struct Applied {
    feed: String,
    applied: f64,
    last_ms: f64,
}

#[derive(Deserialize)]
struct Refused {
    feed: String,
    problem: String,
    count: f64,
}

#[derive(Deserialize)]
struct Minute {
    event: String,
    minute_ms: f64,
    count: f64,
}

#[derive(Deserialize)]
struct Reads {
    route: String,
    status: f64,
    cache: String,
    count: f64,
}

#[derive(Deserialize)]
struct Letters {
    pending: Option<f64>,
    replayed: Option<f64>,
}

/// The reports over the `minutes` before `now_ms`.
pub async fn stats(db: &D1Database, minutes: u32, now_ms: u64) -> Result<StatsAnswer> {
    let since = JsValue::from_f64(now_ms.saturating_sub(u64::from(minutes) * 60_000) as f64);
    let all = |sql: &'static str| {
        let since = since.clone();
        async move { db.prepare(sql).bind(&[since])?.all().await }
    };
    let delays: Vec<Delay> = all(
        "SELECT feed, received_at_ms - sent_at_ms AS delay_ms FROM changes \
         WHERE received_at_ms >= ?1 AND sent_at_ms IS NOT NULL",
    )
    .await?
    .results()?;
    let applied: Vec<Applied> = all(
        "SELECT feed, count(*) AS applied, max(received_at_ms) AS last_ms \
         FROM changes WHERE received_at_ms >= ?1 GROUP BY feed",
    )
    .await?
    .results()?;
    let refused: Vec<Refused> = all(
        "SELECT feed, problem, sum(count) AS count FROM refusals_per_minute \
         WHERE minute_ms >= ?1 GROUP BY feed, problem",
    )
    .await?
    .results()?;
    let updates: Vec<Minute> = all("SELECT event, minute_ms, count FROM updates_per_minute \
         WHERE minute_ms >= ?1 ORDER BY minute_ms, event")
    .await?
    .results()?;
    let reads: Vec<Reads> = all(
        "SELECT route, status, cache, sum(count) AS count FROM reads_per_minute \
         WHERE minute_ms >= ?1 GROUP BY route, status, cache ORDER BY count DESC",
    )
    .await?
    .results()?;
    let letters: Vec<Letters> = db
        .prepare(
            "SELECT sum(replayed_at_ms IS NULL) AS pending, sum(replayed_at_ms IS NOT NULL) AS replayed \
             FROM dead_letters",
        )
        .all()
        .await?
        .results()?;
    Ok(StatsAnswer {
        minutes,
        to_ms: now_ms,
        updates: updates
            .into_iter()
            .map(|m| MinuteCount {
                event: m.event,
                minute_ms: m.minute_ms as u64,
                count: m.count as u64,
            })
            .collect(),
        lateness: lateness(
            delays
                .into_iter()
                .map(|d| (d.feed, d.delay_ms.max(0.0) as u64)),
        ),
        feeds: health(applied, refused),
        reads: reads
            .into_iter()
            .map(|r| ReadTotal {
                route: r.route,
                status: r.status as u16,
                cache: r.cache,
                count: r.count as u64,
            })
            .collect(),
        dead_letters: letters
            .first()
            .map(|l| DeadLetterTotals {
                pending: l.pending.unwrap_or(0.0) as u64,
                replayed: l.replayed.unwrap_or(0.0) as u64,
            })
            .unwrap_or_default(),
    })
}

fn health(applied: Vec<Applied>, refused: Vec<Refused>) -> Vec<FeedHealth> {
    let mut feeds: BTreeMap<String, FeedHealth> = BTreeMap::new();
    for a in applied {
        feeds.insert(
            a.feed.clone(),
            FeedHealth {
                feed: a.feed,
                applied: a.applied as u64,
                last_applied_ms: Some(a.last_ms as u64),
                refused: Vec::new(),
            },
        );
    }
    for r in refused {
        feeds
            .entry(r.feed.clone())
            .or_insert_with(|| FeedHealth {
                feed: r.feed.clone(),
                applied: 0,
                last_applied_ms: None,
                refused: Vec::new(),
            })
            .refused
            .push(RefusalCount {
                problem: r.problem,
                count: r.count as u64,
            });
    }
    feeds.into_values().collect()
}

/// Lateness per feed from `(feed, delay)` pairs: count, p50, p95, p99 (nearest rank) and the maximum.
pub fn lateness(delays: impl IntoIterator<Item = (String, u64)>) -> Vec<Lateness> {
    let mut by_feed: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (feed, delay) in delays {
        by_feed.entry(feed).or_default().push(delay);
    }
    by_feed
        .into_iter()
        .map(|(feed, mut delays)| {
            delays.sort_unstable();
            let rank = |p: u64| {
                let n = delays.len() as u64;
                // Nearest rank: the smallest value with at least p % of the values at or below it.
                let index = (p * n).div_ceil(100).max(1) - 1;
                delays.get(index as usize).copied().unwrap_or(0)
            };
            Lateness {
                count: delays.len() as u64,
                p50_ms: rank(50),
                p95_ms: rank(95),
                p99_ms: rank(99),
                max_ms: delays.last().copied().unwrap_or(0),
                feed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(delays: &[(&str, u64)], expected: &str) {
        let rows = lateness(delays.iter().map(|(f, d)| (f.to_string(), *d)));
        let text: Vec<String> = rows
            .iter()
            .map(|l| {
                format!(
                    "{} n={} p50={} p95={} p99={} max={}",
                    l.feed, l.count, l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms
                )
            })
            .collect();
        assert_eq!(text.join("\n"), expected.trim());
    }

    #[test]
    fn percentiles_are_nearest_rank_per_feed() {
        let hundred: Vec<(&str, u64)> = (1..=100).rev().map(|d| ("a", d * 10)).collect();
        check(&hundred, "a n=100 p50=500 p95=950 p99=990 max=1000");
        check(&[("b", 7)], "b n=1 p50=7 p95=7 p99=7 max=7");
        check(
            &[("x", 30), ("y", 5), ("x", 10), ("x", 20)],
            "
x n=3 p50=20 p95=30 p99=30 max=30
y n=1 p50=5 p95=5 p99=5 max=5",
        );
        check(&[], "");
    }
}
