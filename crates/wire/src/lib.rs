//! Messages that cross Worker boundaries, shared by both sides so they can never drift apart.
//!
//! - [`change`]: the record of one applied change, carried by the archive and analytics Queues (MessagePack).
//! - [`analytics`]: the read gateway's read counts, on the analytics Queue beside change records.
//! - [`dead_letter`]: a message a consumer gave up on, with why, for operators to replay.
//! - [`receipt`]: what the ingest path answers for each message it was given (JSON).
//! - [`api`]: the private API of the Durable Objects: every route typed, with its body and answer.
//! - [`digest`]: what an event object tells the standings object.
//! - [`docs`]: the hot documents the objects publish for the CDN and for reads that survive a failing
//!   object.
//!
//! Nothing here knows about `worker` or JavaScript: the types are plain serde values, tested natively and
//! in wasm. Sending a [`api::Call`] is `edge::object`'s job.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod analytics;
pub mod api;
pub mod change;
pub mod dead_letter;
pub mod digest;
pub mod docs;
pub mod receipt;

pub use change::{ChangeKind, ChangeRecord, DecodeError};
pub use receipt::{Outcome, Receipt};
