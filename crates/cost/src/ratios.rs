//! Billable operations per unit of work: per read, per update and per live viewer's session.
//!
//! The load generator (`bench loadgen`) measures them on the local stack and writes them as JSON in this
//! shape; the profile holds modelled values for every field, used where no measurement exists (and a
//! few fields the local runtime cannot show, such as SQLite rows, are modelled until the objects report
//! them). Every line of the bill says which of the two it used.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Operations caused by one unit of work. A field left out of a measurement is `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ops {
    /// Worker invocations (gateways and Queue consumers; not Durable Object requests).
    pub worker_requests: Option<f64>,
    /// Worker CPU time, in ms.
    pub worker_cpu_ms: Option<f64>,
    /// Durable Object requests (calls, alarms, and incoming WebSocket messages ÷ 20).
    pub do_requests: Option<f64>,
    /// Wall time during which an object was handling something, in ms (the duration it is billed for).
    pub do_active_ms: Option<f64>,
    pub do_rows_read: Option<f64>,
    pub do_rows_written: Option<f64>,
    /// Queue messages (each one written, read and deleted: 3 operations).
    pub queue_messages: Option<f64>,
    pub r2_class_a: Option<f64>,
    pub r2_class_b: Option<f64>,
    /// Bytes added to R2 and kept.
    pub r2_bytes: Option<f64>,
    pub d1_rows_written: Option<f64>,
    pub d1_bytes: Option<f64>,
    pub kv_reads: Option<f64>,
    pub kv_writes: Option<f64>,
    /// Workers Logs events after head sampling.
    pub log_events: Option<f64>,
    /// Bytes of those events.
    pub log_bytes: Option<f64>,
}

/// The field names of [`Ops`], in order, for tables and merging.
pub const FIELDS: [&str; 16] = [
    "worker_requests",
    "worker_cpu_ms",
    "do_requests",
    "do_active_ms",
    "do_rows_read",
    "do_rows_written",
    "queue_messages",
    "r2_class_a",
    "r2_class_b",
    "r2_bytes",
    "d1_rows_written",
    "d1_bytes",
    "kv_reads",
    "kv_writes",
    "log_events",
    "log_bytes",
];

impl Ops {
    pub fn field(&self, name: &str) -> Option<f64> {
        match name {
            "worker_requests" => self.worker_requests,
            "worker_cpu_ms" => self.worker_cpu_ms,
            "do_requests" => self.do_requests,
            "do_active_ms" => self.do_active_ms,
            "do_rows_read" => self.do_rows_read,
            "do_rows_written" => self.do_rows_written,
            "queue_messages" => self.queue_messages,
            "r2_class_a" => self.r2_class_a,
            "r2_class_b" => self.r2_class_b,
            "r2_bytes" => self.r2_bytes,
            "d1_rows_written" => self.d1_rows_written,
            "d1_bytes" => self.d1_bytes,
            "kv_reads" => self.kv_reads,
            "kv_writes" => self.kv_writes,
            "log_events" => self.log_events,
            "log_bytes" => self.log_bytes,
            _ => None,
        }
    }

    fn field_mut(&mut self, name: &str) -> Option<&mut Option<f64>> {
        Some(match name {
            "worker_requests" => &mut self.worker_requests,
            "worker_cpu_ms" => &mut self.worker_cpu_ms,
            "do_requests" => &mut self.do_requests,
            "do_active_ms" => &mut self.do_active_ms,
            "do_rows_read" => &mut self.do_rows_read,
            "do_rows_written" => &mut self.do_rows_written,
            "queue_messages" => &mut self.queue_messages,
            "r2_class_a" => &mut self.r2_class_a,
            "r2_class_b" => &mut self.r2_class_b,
            "r2_bytes" => &mut self.r2_bytes,
            "d1_rows_written" => &mut self.d1_rows_written,
            "d1_bytes" => &mut self.d1_bytes,
            "kv_reads" => &mut self.kv_reads,
            "kv_writes" => &mut self.kv_writes,
            "log_events" => &mut self.log_events,
            "log_bytes" => &mut self.log_bytes,
            _ => return None,
        })
    }

    /// `value` or 0, for arithmetic.
    pub fn get(&self, name: &str) -> f64 {
        self.field(name).unwrap_or(0.0)
    }
}

/// The ratios the load generator writes (`--ratios-out`), with where and how they were measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measured {
    /// What produced them: commit, date, profile of the run.
    #[serde(default)]
    pub source: String,
    /// Per read through a Worker that misses its caches (an object is asked).
    #[serde(default)]
    pub read_miss: Ops,
    /// Per read through a Worker answered from its caches.
    #[serde(default)]
    pub read_hit: Ops,
    /// Per ingested update (everything it causes downstream: objects, Queues, consumers, R2, D1).
    #[serde(default)]
    pub update: Ops,
    /// Per live viewer's session (its connection; its pings are counted apart).
    #[serde(default)]
    pub viewer: Ops,
    /// Notes to print beside the measured ratios (the local cache hit ratio, what was modelled…).
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
}

/// One ratio as used: its value and whether it was measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ratio {
    pub value: f64,
    pub measured: bool,
}

/// Modelled values overlaid with measured ones, field by field.
#[derive(Debug, Clone, PartialEq)]
pub struct Effective {
    pub modelled: Ops,
    pub measured: Ops,
}

impl Effective {
    pub fn new(modelled: Ops, measured: Ops) -> Self {
        Self { modelled, measured }
    }

    pub fn ratio(&self, name: &str) -> Ratio {
        match self.measured.field(name) {
            Some(value) => Ratio {
                value,
                measured: true,
            },
            None => Ratio {
                value: self.modelled.get(name),
                measured: false,
            },
        }
    }

    /// The merged values (measured where there is a measurement).
    pub fn merged(&self) -> Ops {
        let mut out = self.modelled.clone();
        for name in FIELDS {
            if let (Some(value), Some(slot)) = (self.measured.field(name), out.field_mut(name)) {
                *slot = Some(value);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measurement_wins_over_the_model_field_by_field() {
        let modelled = Ops {
            worker_requests: Some(1.0),
            do_rows_written: Some(10.0),
            ..Ops::default()
        };
        let measured = Ops {
            worker_requests: Some(1.25),
            ..Ops::default()
        };
        let effective = Effective::new(modelled, measured);
        assert_eq!(
            effective.ratio("worker_requests"),
            Ratio {
                value: 1.25,
                measured: true
            }
        );
        assert_eq!(
            effective.ratio("do_rows_written"),
            Ratio {
                value: 10.0,
                measured: false
            }
        );
        assert_eq!(effective.merged().worker_requests, Some(1.25));
    }
}
