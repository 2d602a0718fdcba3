//! The cost of one broadcast per socket: one event object, N viewers (1,000 … 2,500), one update at a
//! time spaced 400 ms apart (past the 50 ms coalescing, so each is sent at once). The object sends to
//! every socket before it answers the feed, so the acknowledgement's latency grows with N by the time the
//! send loop takes; its slope over N is the per-socket cost, with the spread from the first viewer to the
//! last (bounded by this client reading them) beside it. The workerd processes' memory is read at each N.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::games::{Event, results};
use super::viewers::{Viewer, open_all, wait_for};
use super::{LoadError, Percentiles};

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub viewers: usize,
    pub broadcasts: usize,
    pub incomplete: usize,
    /// From sending the update to its acknowledgement (which waits for the send loop).
    pub ack_ms: Percentiles,
    /// From sending to the first and to the last viewer holding it.
    pub to_first_ms: Percentiles,
    pub to_last_ms: Percentiles,
    /// From the first viewer to the last.
    pub spread_ms: Percentiles,
    /// Resident memory of the watched workerd processes, in MB.
    pub rss_mb: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sweep {
    pub event: String,
    pub message_bytes: usize,
    pub steps: Vec<Step>,
    /// Least-squares slope of the median acknowledgement over N, in µs per socket.
    pub ack_us_per_socket: f64,
    /// The same for the first-to-last spread.
    pub spread_us_per_socket: f64,
    /// The same for memory, in KB per socket.
    pub rss_kb_per_socket: f64,
}

/// Least-squares slope of y over x.
pub fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx == 0.0 { f64::NAN } else { sxy / sxx }
}

/// Resident memory of `pids`, in MB (from /proc; 0 for a pid that is gone).
pub fn rss_mb(pids: &[u32]) -> f64 {
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .filter_map(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .sum::<f64>()
        / 1024.0
}

pub struct Plan<'a> {
    pub client: &'a reqwest::Client,
    pub read_url: &'a str,
    pub ingest_url: &'a str,
    pub token: &'a str,
    pub event: &'a Event,
    pub steps: &'a [usize],
    pub rounds: usize,
    pub watch: &'a [u32],
}

pub async fn run(plan: Plan<'_>) -> Result<Sweep, LoadError> {
    let codes = vec![plan.event.code.clone()];
    let ws_base = plan.read_url.replacen("http", "ws", 1);
    let url = format!(
        "{}/v1/ingest/events/{}/results",
        plan.ingest_url, plan.event.code
    );
    let mut version = 2u64;
    let mut viewers: Vec<Viewer> = Vec::new();
    let mut steps = Vec::new();
    let mut message_bytes = 0;
    for &target in plan.steps {
        if target > viewers.len() {
            let (more, _) = open_all(&ws_base, &codes, target - viewers.len(), || 0, 50).await?;
            viewers.extend(more);
        }
        let mut acks = Vec::new();
        let mut firsts = Vec::new();
        let mut lasts = Vec::new();
        let mut spreads = Vec::new();
        let mut incomplete = 0;
        // One warm-up round, then the measured ones.
        for round in 0..=plan.rounds {
            tokio::time::sleep(Duration::from_millis(400)).await;
            let body = results(plan.event, version, false).to_string();
            message_bytes = body.len();
            version += 1;
            let sent = Instant::now();
            let response = plan
                .client
                .post(&url)
                .header("cf-access-jwt-assertion", plan.token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .map_err(|e| LoadError::Feed(e.to_string()))?;
            let acked = Instant::now();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            let receipt: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let Some(event_version) = receipt["event_version"].as_u64().filter(|_| status == 201)
            else {
                return Err(LoadError::Feed(format!("fan-out update: {status} {text}")));
            };
            let complete = wait_for(&viewers, 0, event_version, Duration::from_secs(10)).await;
            if round == 0 {
                continue;
            }
            if !complete {
                incomplete += 1;
            }
            let arrivals: Vec<Instant> = viewers
                .iter()
                .filter_map(|v| v.reached(event_version))
                .collect();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            acks.push(ms(acked - sent));
            if let (Some(first), Some(last)) = (arrivals.iter().min(), arrivals.iter().max()) {
                firsts.push(ms(first.saturating_duration_since(sent)));
                lasts.push(ms(last.saturating_duration_since(sent)));
                spreads.push(ms(last.saturating_duration_since(*first)));
            }
        }
        steps.push(Step {
            viewers: viewers.len(),
            broadcasts: acks.len(),
            incomplete,
            ack_ms: Percentiles::of(acks),
            to_first_ms: Percentiles::of(firsts),
            to_last_ms: Percentiles::of(lasts),
            spread_ms: Percentiles::of(spreads),
            rss_mb: rss_mb(plan.watch),
        });
    }
    for viewer in &viewers {
        viewer.close();
    }
    let points = |f: fn(&Step) -> f64| -> Vec<(f64, f64)> {
        steps
            .iter()
            .map(|s| (s.viewers as f64, f(s)))
            .filter(|p| p.1.is_finite())
            .collect()
    };
    Ok(Sweep {
        event: plan.event.code.clone(),
        message_bytes,
        ack_us_per_socket: slope(&points(|s| s.ack_ms.p50)) * 1000.0,
        spread_us_per_socket: slope(&points(|s| s.spread_ms.p50)) * 1000.0,
        rss_kb_per_socket: slope(&points(|s| s.rss_mb)) * 1024.0,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_line_is_its_gradient() {
        let points = [(0.0, 1.0), (1000.0, 51.0), (2000.0, 101.0)];
        assert!((slope(&points) - 0.05).abs() < 1e-12);
        assert!(slope(&[(1.0, 1.0)]).is_nan());
    }
}
