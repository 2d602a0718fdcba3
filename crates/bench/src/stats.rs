//! Per-operation timing samples and their summary (median, p99), with the clock passed in.

use serde::{Deserialize, Serialize};

/// A monotonic clock in nanoseconds: `Instant` natively, `performance.now()` in wasm.
pub trait Clock {
    fn now_ns(&self) -> f64;
}

/// How long to warm up and how many samples to take for one case.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Budget {
    /// Operations run and thrown away before measuring (at least this many, and at least `warmup_ms`).
    pub warmup_ops: usize,
    pub warmup_ms: f64,
    /// Measuring stops at `max_samples`, or once `measure_ms` has passed with at least `min_samples`.
    pub min_samples: usize,
    pub max_samples: usize,
    pub measure_ms: f64,
}

impl Budget {
    /// The default: about a second per case.
    pub fn standard() -> Self {
        Self {
            warmup_ops: 200,
            warmup_ms: 200.0,
            min_samples: 300,
            max_samples: 20_000,
            measure_ms: 800.0,
        }
    }

    /// A smoke run (tests, `--quick`): checks that everything works, not how fast.
    pub fn quick() -> Self {
        Self {
            warmup_ops: 3,
            warmup_ms: 0.0,
            min_samples: 5,
            max_samples: 20,
            measure_ms: 0.0,
        }
    }
}

/// The summary of one case, in nanoseconds per operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub samples: usize,
    pub median_ns: f64,
    pub p99_ns: f64,
    pub min_ns: f64,
    pub mean_ns: f64,
}

impl Summary {
    /// Summarises samples; `None` when there are none.
    pub fn of(mut samples: Vec<f64>) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        samples.sort_by(f64::total_cmp);
        let n = samples.len();
        let at = |q: f64| {
            // Nearest rank: the smallest sample with at least q of the samples at or below it.
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
            samples[rank - 1]
        };
        Some(Self {
            samples: n,
            median_ns: at(0.5),
            p99_ns: at(0.99),
            min_ns: samples[0],
            mean_ns: samples.iter().sum::<f64>() / n as f64,
        })
    }
}

/// `1.23 µs`, `45.6 µs`, `789 µs`, `1.23 ms`: three significant digits, for progress lines and reports.
pub fn duration(ns: f64) -> String {
    let us = ns / 1_000.0;
    if us < 10.0 {
        format!("{us:.2} µs")
    } else if us < 100.0 {
        format!("{us:.1} µs")
    } else if us < 1_000.0 {
        format!("{us:.0} µs")
    } else {
        format!("{:.2} ms", us / 1_000.0)
    }
}

/// The clock's own cost: the median of the gap between two consecutive readings.
pub fn clock_overhead_ns(clock: &dyn Clock) -> f64 {
    let mut gaps = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let a = clock.now_ns();
        let b = clock.now_ns();
        gaps.push(b - a);
    }
    Summary::of(gaps).map_or(0.0, |s| s.median_ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p99_use_nearest_rank() {
        let summary = Summary::of((1..=200).map(f64::from).collect());
        let summary = summary.unwrap_or_else(|| unreachable!());
        assert_eq!(summary.median_ns, 100.0);
        assert_eq!(summary.p99_ns, 198.0);
        assert_eq!(summary.min_ns, 1.0);
        assert_eq!(Summary::of(Vec::new()), None);
    }

    #[test]
    fn durations_keep_three_significant_digits() {
        assert_eq!(duration(1_234.0), "1.23 µs");
        assert_eq!(duration(45_600.0), "45.6 µs");
        assert_eq!(duration(789_000.0), "789 µs");
        assert_eq!(duration(1_230_000.0), "1.23 ms");
    }
}
