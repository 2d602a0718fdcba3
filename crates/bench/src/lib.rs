//! Benchmarks of the domain crate, natively and in wasm32 under Node, against Redis sorted sets.
//!
//! Only std timing (`Instant`, `performance.now()` in wasm) and `black_box`: no benchmark framework, so
//! the crate builds in seconds and the same code runs on both targets. `scripts/bench` builds and runs
//! everything and writes the table into `docs/PERFORMANCE.md`. Nothing here is a timed test: the tests
//! only check that every case runs and measures what it says.
//!
//! Contents:
//! - [`fixtures`]: a race of N competitors with realistic times, and a whole Games of medals.
//! - [`stats`]: the clock abstraction, budgets, and median/p99 summaries.
//! - [`cases`]: the domain benchmarks (update + leaderboard page; medal table).
//! - [`peer`], [`resp`] (native only): the same update through Redis, with a minimal RESP client.
//! - [`report`] (native only): the Markdown table.

pub mod cases;
pub mod fixtures;
#[cfg(not(target_arch = "wasm32"))]
pub mod peer;
#[cfg(not(target_arch = "wasm32"))]
pub mod report;
#[cfg(not(target_arch = "wasm32"))]
pub mod resp;
pub mod stats;

/// The native clock: nanoseconds since it was made.
#[cfg(not(target_arch = "wasm32"))]
pub struct NativeClock(std::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl NativeClock {
    pub fn new() -> Self {
        Self(std::time::Instant::now())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for NativeClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl stats::Clock for NativeClock {
    fn now_ns(&self) -> f64 {
        self.0.elapsed().as_nanos() as f64
    }
}
