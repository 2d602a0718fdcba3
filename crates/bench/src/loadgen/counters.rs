//! What the system did, counted from its own trace events: the benchmark attaches a tail Worker
//! (`crates/bench/peers/tail-counter.js`, in bench-only copies of the configs) to every Worker of the stack,
//! and its collector (`crates/bench/js/collector.mjs`) adds up the invocations by script, execution model
//! and event kind, with their CPU and wall time, log lines and Queue batch sizes, and counts what landed
//! in the local R2 bucket and D1 table. The load generator reads a snapshot before and after each phase.

use std::collections::BTreeMap;
use std::time::Duration;

use cost::ratios::Ops;
use serde::{Deserialize, Serialize};

use super::LoadError;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub count: f64,
    pub cpu_ms: f64,
    pub wall_ms: f64,
    pub log_lines: f64,
    pub log_bytes: f64,
    pub queue_messages: f64,
    pub errors: f64,
}

impl Bucket {
    fn minus(&self, before: &Self) -> Self {
        Self {
            count: self.count - before.count,
            cpu_ms: self.cpu_ms - before.cpu_ms,
            wall_ms: self.wall_ms - before.wall_ms,
            log_lines: self.log_lines - before.log_lines,
            log_bytes: self.log_bytes - before.log_bytes,
            queue_messages: self.queue_messages - before.queue_messages,
            errors: self.errors - before.errors,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// `script|model|kind` (`olympic-event-do|durableObject|alarm`) → totals.
    pub invocations: BTreeMap<String, Bucket>,
    /// Each script's `head_sampling_rate` (wrangler/*.toml).
    pub sampling: BTreeMap<String, f64>,
    /// Writes to the local R2 buckets and KV namespaces (`r2:olympic-archive`, `kv:<id>`), each a put.
    #[serde(default)]
    pub puts: BTreeMap<String, f64>,
    pub r2_objects: f64,
    pub r2_bytes: f64,
    pub d1_rows: f64,
    /// Rows D1 writes per inserted row: the row and each of its indexes (the migration).
    pub d1_rows_per_insert: f64,
    /// KV namespaces bound anywhere in the stack (0: KV is measured as unused).
    pub kv_bindings: f64,
}

impl Snapshot {
    pub fn minus(&self, before: &Self) -> Self {
        let invocations = self
            .invocations
            .iter()
            .map(|(key, after)| {
                let zero = Bucket::default();
                (
                    key.clone(),
                    after.minus(before.invocations.get(key).unwrap_or(&zero)),
                )
            })
            .filter(|(_, b)| b.count > 0.0)
            .collect();
        Self {
            invocations,
            sampling: self.sampling.clone(),
            puts: self
                .puts
                .iter()
                .map(|(k, v)| (k.clone(), v - before.puts.get(k).copied().unwrap_or(0.0)))
                .filter(|(_, v)| *v > 0.0)
                .collect(),
            r2_objects: self.r2_objects - before.r2_objects,
            r2_bytes: self.r2_bytes - before.r2_bytes,
            d1_rows: self.d1_rows - before.d1_rows,
            d1_rows_per_insert: self.d1_rows_per_insert,
            kv_bindings: self.kv_bindings,
        }
    }

    /// The same counts with only (or without) viewers' WebSocket upgrades, whose trace events arrive when
    /// the socket closes, whatever phase that falls in.
    /// Only the upgrades keep no storage counts: a socket's connection writes nothing.
    pub fn upgrades(&self, keep: bool) -> Self {
        let invocations = self
            .invocations
            .iter()
            .filter(|(key, _)| key.ends_with("|upgrade") == keep)
            .map(|(k, b)| (k.clone(), b.clone()))
            .collect();
        if keep {
            Self {
                invocations,
                puts: BTreeMap::new(),
                r2_objects: 0.0,
                r2_bytes: 0.0,
                d1_rows: 0.0,
                ..self.clone()
            }
        } else {
            Self {
                invocations,
                ..self.clone()
            }
        }
    }

    fn sum(&self, keep: impl Fn(&str, &str, &str) -> bool, value: impl Fn(&Bucket) -> f64) -> f64 {
        self.invocations
            .iter()
            .filter(|(key, _)| {
                let mut parts = key.splitn(3, '|');
                let (script, model, kind) = (
                    parts.next().unwrap_or(""),
                    parts.next().unwrap_or(""),
                    parts.next().unwrap_or(""),
                );
                keep(script, model, kind)
            })
            .map(|(_, b)| value(b))
            .sum()
    }

    pub fn worker_invocations(&self) -> f64 {
        self.sum(|_, model, _| model != "durableObject", |b| b.count)
    }

    pub fn do_requests(&self) -> f64 {
        self.sum(
            |_, model, kind| {
                model == "durableObject" && matches!(kind, "fetch" | "alarm" | "upgrade")
            },
            |b| b.count,
        ) + self.websocket_messages() / 20.0
    }

    pub fn alarms(&self) -> f64 {
        self.sum(|_, m, k| m == "durableObject" && k == "alarm", |b| b.count)
    }

    pub fn websocket_messages(&self) -> f64 {
        self.sum(
            |_, m, k| m == "durableObject" && k == "websocket:message",
            |b| b.count,
        )
    }

    fn puts_to(&self, prefix: &str) -> f64 {
        self.puts
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v)
            .sum()
    }

    /// Hot documents written to the public bucket (each also goes to KV).
    pub fn document_writes(&self) -> f64 {
        self.puts_to("r2:olympic-public")
    }

    pub fn queue_messages(&self) -> f64 {
        self.sum(|_, _, kind| kind == "queue", |b| b.queue_messages)
    }

    /// The operations this delta amounts to, divided by `units` (reads, updates, viewers).
    pub fn per(&self, units: f64) -> Ops {
        let n = units.max(1.0);
        let rate = |script: &str| self.sampling.get(script).copied().unwrap_or(1.0);
        let worker_cpu = self.sum(|_, m, _| m != "durableObject", |b| b.cpu_ms);
        let do_wall = self.sum(|_, m, _| m == "durableObject", |b| b.wall_ms);
        let log_events: f64 = self
            .invocations
            .iter()
            .map(|(key, b)| rate(key.split('|').next().unwrap_or("")) * (b.count + b.log_lines))
            .sum();
        let log_bytes: f64 = self
            .invocations
            .iter()
            .map(|(key, b)| rate(key.split('|').next().unwrap_or("")) * b.log_bytes)
            .sum();
        // The local runtime reports no CPU or wall time in trace events when it has none to give: then
        // those ratios stay modelled rather than measured as zero.
        let timed = |x: f64| (x > 0.0).then_some(x / n);
        // `+ 0.0` turns the -0.0 of an empty difference into 0.
        let each = |x: f64| Some(x.max(0.0) / n + 0.0);
        Ops {
            worker_requests: each(self.worker_invocations()),
            worker_cpu_ms: timed(worker_cpu),
            do_requests: each(self.do_requests()),
            do_active_ms: timed(do_wall),
            do_rows_read: None,
            do_rows_written: None,
            queue_messages: each(self.queue_messages()),
            // The archive's writes grow with the updates; the hot documents' are capped per key per
            // second, so the cost model takes them from its own rate (they are reported apart).
            r2_class_a: each(self.puts_to("r2:olympic-archive")),
            r2_class_b: None,
            r2_bytes: each(self.r2_bytes),
            d1_rows_written: each(self.d1_rows * self.d1_rows_per_insert),
            d1_bytes: None,
            // KV holds a snapshot of each hot document (one write per document write); any other write
            // would show here.
            kv_reads: None,
            kv_writes: each(self.puts_to("kv:") - self.document_writes()),
            log_events: each(log_events),
            log_bytes: each(log_bytes),
        }
    }
}

/// Reads the collector's snapshot; with `storage`, also what the local R2 bucket and D1 table hold (slow:
/// it asks wrangler).
pub async fn snapshot(
    client: &reqwest::Client,
    url: &str,
    storage: bool,
) -> Result<Snapshot, LoadError> {
    let query = if storage { "?storage=1" } else { "" };
    let response = client
        .get(format!("{url}/snapshot{query}"))
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .map_err(|e| LoadError::Counters(e.to_string()))?;
    let text = response
        .text()
        .await
        .map_err(|e| LoadError::Counters(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| LoadError::Counters(format!("{e}: {text}")))
}

/// Waits until the trace events stop arriving (Queue consumers work through a batch for a second or two
/// after the load stops; trace events reach the collector a little after their invocation), then reads
/// the snapshot. At most `max`.
pub async fn settled(
    client: &reqwest::Client,
    url: &str,
    max: Duration,
) -> Result<Snapshot, LoadError> {
    let deadline = tokio::time::Instant::now() + max;
    let mut last = snapshot(client, url, false).await?;
    let mut calm = 0;
    while calm < 2 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(750)).await;
        let next = snapshot(client, url, false).await?;
        let quiet = next.invocations == last.invocations;
        calm = if quiet { calm + 1 } else { 0 };
        last = next;
    }
    snapshot(client, url, true).await
}
