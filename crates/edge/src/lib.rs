//! The HTTP shell every Worker shares, so that every answer looks the same whichever Worker gave it.
//!
//! - [`problem`]: RFC 9457 problem details, the one shape of every error response.
//! - [`respond`]: JSON responses and the security headers every public response carries.
//! - [`body`]: reading a request body with a size limit before parsing it.
//! - [`websocket`]: the upgrade check of every live route.
//! - [`object`]: sending a call of the private API (`wire::api`) to a Durable Object.
//! - [`queue`]: what a Queue consumer does with a message it could not handle: retry, then dead-letter.
//! - [`log`]: structured logs, one JSON object per line, with the request id carried across every hop.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod body;
pub mod log;
pub mod object;
pub mod problem;
pub mod queue;
pub mod respond;
pub mod tally;
pub mod websocket;

pub use problem::{OrInternal, Problem};
