//! Messages that cross Worker boundaries, shared by both sides so they can never drift apart.
//!
//! - [`change`]: the record of one applied change, carried by the archive and analytics Queues (MessagePack).
//! - [`receipt`]: what the ingest path answers for each message it was given (JSON).
//! - [`internal`]: header names and paths on the private hop from a gateway to a Durable Object.
//!
//! Nothing here knows about `worker` or JavaScript: the types are plain serde values, tested natively and
//! in wasm.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod change;
pub mod internal;
pub mod receipt;

pub use change::{ChangeKind, ChangeRecord, DecodeError};
pub use receipt::{Outcome, Receipt};
