//! Olympic Live's simulator: a whole Winter Games (Milano Cortina 2026, all 116 medal events) played
//! through the real ingest API, as a results feed would send it.
//!
//! The Games is a pure function of a seed and a profile: [`Timeline::build`] draws the athletes, plays
//! every event with the scoring rules of the `domain` crate (each message is applied to a
//! [`domain::EventState`] as it is written, so qualifiers, gaps, brackets and medals are the domain's own
//! answers), and merges the events into one time-ordered list of messages with simulated UTC times. Only
//! the feeding shell (HTTP, signing, the clock, the progress file) touches the outside world; it is native
//! only, so the rest also builds for `wasm32-unknown-unknown`.
//!
//! Contents, in the order a Games is made:
//! - the seeded PRNG is the workspace's `rng` crate; [`calendar`]: venue time (CET) and UTC.
//! - [`nocs`], [`names`], [`entries`]: nations and their strengths, athletes' names, squads and entries.
//! - [`programme`]: the 116 events as data, and the `short` profile.
//! - [`script`], [`draft`]: one event's messages as they are written, and its definition.
//! - [`perform`], [`race`], [`judged`], [`bracket`], [`tournament`], [`events`]: how each format plays
//!   its units; [`incidents`]: the tie, the correction and the late disqualification every Games has.
//! - [`timeline`]: the whole Games in time order, its fingerprint and statistics.
//! - [`outcome`]: the expected medals and medal table, by replaying the timeline into the domain.
//! - [`batch`]: batches within the ingest limits; [`clock`]: simulated time against wall time.
//! - [`summary`]: what a run did.
//! - native only: [`credentials`] (Access JWT, feed signatures), [`feeder`] (HTTP, retries),
//!   [`progress`] (the resume file), [`runner`] (the loop that ties them to the clock).

pub mod batch;
pub mod bracket;
pub mod calendar;
pub mod clock;
pub mod draft;
pub mod entries;
pub mod events;
pub mod incidents;
pub mod judged;
pub mod names;
pub mod nocs;
pub mod outcome;
pub mod perform;
pub mod programme;
pub mod race;
pub mod script;
pub mod summary;
pub mod timeline;
pub mod tournament;

#[cfg(not(target_arch = "wasm32"))]
pub mod credentials;
#[cfg(not(target_arch = "wasm32"))]
pub mod feeder;
#[cfg(not(target_arch = "wasm32"))]
pub mod progress;
#[cfg(not(target_arch = "wasm32"))]
pub mod runner;

pub use outcome::Outcome;
pub use programme::Profile;
pub use timeline::{Features, Outgoing, Scheduled, Timeline};

use thiserror::Error;

/// Why a Games could not be generated. Every one of these is a bug in the simulator's data or code,
/// never bad luck: the same seed always gives the same answer.
#[derive(Debug, Error)]
pub enum SimError {
    /// A code or other value in the programme or roster is not valid.
    #[error("bad data ({what}): {reason}")]
    Data { what: String, reason: String },
    /// The domain refused a message the simulator wrote.
    #[error("{event}: the domain refused {what}: {error}")]
    Rejected {
        event: String,
        what: String,
        #[source]
        error: domain::DomainError,
    },
    /// Something a format needs is not there (an earlier event, a unit's results).
    #[error("{event}: {what}")]
    Missing { event: String, what: String },
    /// A message could not be serialised.
    #[error("serialising a message: {0}")]
    Json(#[from] serde_json::Error),
}

/// The feed identity the simulator uses (Access `common_name`, and so `service:sim-feed.access`).
pub const FEED_ID: &str = "sim-feed.access";
