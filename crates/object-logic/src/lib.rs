//! The decisions the Durable Objects make, without the runtime: each object in `workers/event-do` is a
//! thin adapter that reads its storage and clock, asks a state machine here what to do, and does it.
//! Everything here is pure (no `worker`, no clock, no I/O) and tested natively, like `domain`.
//!
//! - [`coalesce`]: when an event object sends its viewers the latest state, and when it waits.
//! - [`outbox`]: where an applied change must go, how long to wait before retrying, and what a refusal
//!   means.
//! - [`relays`]: the fan-out tier: which relays a source publishes to, where an overflowing viewer goes,
//!   when a relay is full, and which publications a relay forwards.
//! - [`replay`]: an event rebuilt from its archive, exactly as it was.
//! - [`games`]: the standings object's state: the events list and the medal book, fed by digests that
//!   arrive at least once and in any order.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod coalesce;
pub mod games;
pub mod outbox;
pub mod relays;
pub mod replay;
