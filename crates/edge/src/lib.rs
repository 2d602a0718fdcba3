//! The HTTP shell every Worker shares, so that every answer looks the same whichever Worker gave it.
//!
//! - [`problem`]: RFC 9457 problem details, the one shape of every error response.
//! - [`respond`]: JSON responses and the security headers every public response carries.
//! - [`body`]: reading a request body with a size limit before parsing it.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod body;
pub mod problem;
pub mod respond;

pub use problem::Problem;
