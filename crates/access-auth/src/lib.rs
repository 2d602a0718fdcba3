//! Authentication for the ingest gateway's timing and scoring feeds.
//!
//! Two independent checks, both pure (no I/O, no clock: the caller passes `now` as unix seconds), so
//! the same code runs natively and in a Worker on `wasm32-unknown-unknown`:
//!
//! - [`verify_access_jwt`] checks the `Cf-Access-Jwt-Assertion` token that Cloudflare Access puts in
//!   front of every request: RS256 only, `kid` matched against the team's [`Jwks`], then `exp`, `nbf`,
//!   `iat`, `iss` and `aud` against an [`AccessPolicy`]. It yields an [`AccessIdentity`] whose
//!   [`AccessIdentity::feed_id`] names the feed.
//! - [`feed_signature`] is an optional per-feed HMAC-SHA256 over the request body, so a feed whose
//!   Access credentials leak still cannot forge results without its signing secret.
//!
//! The caller owns fetching and caching the certs document: [`token_key_id`] reads a token's `kid`
//! without verifying it, so an unknown kid can trigger one refetch after a key rotation. It may also keep
//! a [`VerifiedTokens`] map, so a token sent again within a minute is not verified again.

// Tests may unwrap: a panic there is a failed test, not a crashed Worker.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub use access_jwt::{token_key_id, verify_access_jwt};
pub use error::AuthError;
pub use feed_signature::{SignatureError, sign_feed_body, verify_feed_signature};
pub use identity::AccessIdentity;
pub use jwks::Jwks;
pub use policy::AccessPolicy;
pub use token_parts::MAX_TOKEN_BYTES;
pub use verified_tokens::{REVERIFY_AFTER_SECONDS, VerifiedTokens};

mod access_jwt;
mod error;
pub mod feed_signature;
mod identity;
mod jwks;
mod policy;
mod token_parts;
mod verified_tokens;

#[cfg(test)]
mod test_support;
