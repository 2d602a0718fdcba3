//! Every benchmark of Olympic Live: the domain crate natively and in wasm32 under Node beside Redis sorted
//! sets, and the Games-scale load generator against the local stack.
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
//! - [`peer`] (native only): the same update through Redis sorted sets, with the `redis` crate.
//! - [`loadgen`] (native only): the Games-scale load generator against the local stack.
//!
//! The JavaScript half lives beside this crate: `js/` (the stack benchmarks' drivers, the wasm runner, and
//! the one report writer of `docs/PERFORMANCE.md`), `peers/` (the JavaScript Workers measured beside ours)
//! and `wrk/` (the read benchmark's script). `scripts/bench` is the one entry point.

pub mod cases;
pub mod fixtures;
#[cfg(not(target_arch = "wasm32"))]
pub mod loadgen;
#[cfg(not(target_arch = "wasm32"))]
pub mod peer;
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
