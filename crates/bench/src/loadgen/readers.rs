//! Readers: M reads a second over the public routes in the site's mix ([`super::mix`]), open loop (a
//! read is sent when it is due, whether or not the ones before it have been answered, up to a cap in
//! flight), with the status and latency of each.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rng::Rng;
use tokio::sync::Semaphore;

use super::games::Event;
use super::mix::{Route, Zipf, pick};
use super::{LoadError, Percentiles};

#[derive(Debug, Clone, serde::Serialize)]
pub struct ReadStats {
    pub offered: usize,
    pub answered: usize,
    pub per_s: f64,
    /// Answers by status (`network` when none came, `skipped` when too many were in flight).
    pub statuses: BTreeMap<String, usize>,
    pub latency_ms: Percentiles,
    pub by_route: BTreeMap<String, usize>,
    pub bytes: u64,
}

pub async fn run(
    client: &reqwest::Client,
    base: &str,
    events: &[Event],
    popularity: &Zipf,
    rng: &mut Rng,
    per_s: f64,
    seconds: f64,
) -> Result<ReadStats, LoadError> {
    let tick = Duration::from_millis(10);
    let ticks = (seconds * 100.0).round() as u64;
    let in_flight = Arc::new(Semaphore::new(64));
    let mut pending = Vec::new();
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_route: BTreeMap<String, usize> = BTreeMap::new();
    let mut offered = 0usize;
    let mut owed = 0.0;
    let start = tokio::time::Instant::now();
    let began = Instant::now();
    for k in 0..ticks {
        tokio::time::sleep_until(start + tick * u32::try_from(k).unwrap_or(u32::MAX)).await;
        owed += per_s / 100.0;
        while owed >= 1.0 {
            owed -= 1.0;
            offered += 1;
            let (route, path) = pick(rng, events, popularity);
            *by_route.entry(route_name(route)).or_default() += 1;
            let Ok(permit) = Arc::clone(&in_flight).try_acquire_owned() else {
                *statuses.entry("skipped".into()).or_default() += 1;
                continue;
            };
            let request = client.get(format!("{base}{path}"));
            pending.push(tokio::spawn(async move {
                let sent = Instant::now();
                let answer = match request.send().await {
                    Ok(response) => {
                        let status = response.status().as_u16().to_string();
                        let bytes = response.bytes().await.map_or(0, |b| b.len() as u64);
                        (status, bytes)
                    }
                    Err(_) => ("network".to_owned(), 0),
                };
                drop(permit);
                (answer, sent.elapsed())
            }));
        }
    }
    let mut latencies = Vec::with_capacity(pending.len());
    let mut bytes = 0u64;
    for handle in pending {
        let ((status, size), took) = handle.await.map_err(|e| LoadError::Read(e.to_string()))?;
        bytes += size;
        latencies.push(took.as_secs_f64() * 1000.0);
        *statuses.entry(status).or_default() += 1;
    }
    let elapsed = began.elapsed().as_secs_f64();
    let answered = latencies.len();
    Ok(ReadStats {
        offered,
        answered,
        per_s: answered as f64 / elapsed.max(1e-9),
        statuses,
        latency_ms: Percentiles::of(latencies),
        by_route,
        bytes,
    })
}

fn route_name(route: Route) -> String {
    serde_json::to_value(route)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
