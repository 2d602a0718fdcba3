//! What a run did: counts of what was sent and how the gateway answered, and the Games' progress, as
//! the lines printed on exit and as JSON (`--summary-json`).

use serde::{Deserialize, Serialize};

/// How the ingest gateway answered the messages of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Timeline messages delivered (acknowledged or refused), including those left out of a catch-up
    /// batch because a later message for the same unit replaced them (`coalesced`).
    pub sent: u64,
    pub applied: u64,
    pub duplicate: u64,
    pub stale: u64,
    /// 4xx answers: each one is a bug of the simulator.
    pub refused: u64,
    pub coalesced: u64,
    /// Requests sent again after a transient failure (connection, 5xx, 503 in a slot).
    pub retries: u64,
    pub batches: u64,
}

impl Counters {
    pub fn add(&mut self, other: &Counters) {
        self.sent += other.sent;
        self.applied += other.applied;
        self.duplicate += other.duplicate;
        self.stale += other.stale;
        self.refused += other.refused;
        self.coalesced += other.coalesced;
        self.retries += other.retries;
        self.batches += other.batches;
    }
}

/// The end-of-run report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub seed: u64,
    pub profile: String,
    /// The run reached the last message.
    pub finished: bool,
    pub events_total: usize,
    pub events_defined: usize,
    pub events_finished: usize,
    pub medals_awarded: usize,
    /// Timeline messages acknowledged so far, of `messages_total`.
    pub messages_done: usize,
    pub messages_total: usize,
    /// The simulated clock (venue time) of the last acknowledged message.
    pub sim_time: String,
    pub wall_seconds: f64,
    pub run: Counters,
    /// Over every run of this Games (kept in the progress file).
    pub games: Counters,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.finished { "complete" } else { "stopped" };
        writeln!(
            f,
            "Games {state} (seed {}, profile {}) at {} venue time",
            self.seed, self.profile, self.sim_time
        )?;
        writeln!(
            f,
            "  events: {} of {} defined, {} finished (OFFICIAL); medals awarded: {}",
            self.events_defined, self.events_total, self.events_finished, self.medals_awarded
        )?;
        writeln!(
            f,
            "  timeline: {} of {} messages acknowledged",
            self.messages_done, self.messages_total
        )?;
        for (label, c) in [("this run", &self.run), ("this Games", &self.games)] {
            writeln!(
                f,
                "  {label}: sent {} ({} coalesced) in {} batches; applied {}, duplicate {}, stale {}, refused {}, retries {}",
                c.sent,
                c.coalesced,
                c.batches,
                c.applied,
                c.duplicate,
                c.stale,
                c.refused,
                c.retries
            )?;
        }
        write!(f, "  wall time: {:.1} s", self.wall_seconds)
    }
}
