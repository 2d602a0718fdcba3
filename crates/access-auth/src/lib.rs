//! Authentication and authorisation for the ingest gateway's timing and scoring feeds.
//!
//! Everything here is pure (no I/O, no clock: the caller passes `now`), so the same code runs natively
//! and in a Worker on `wasm32-unknown-unknown`, and every decision is tested from plain data:
//!
//! - [`verify_access_jwt`] checks the `Cf-Access-Jwt-Assertion` token that Cloudflare Access puts in
//!   front of every request: RS256 only, `kid` matched against the team's [`Jwks`] (and not revoked),
//!   then `exp`, `nbf`, `iat`, `iss` and `aud` against an [`AccessPolicy`]. It yields an
//!   [`AccessIdentity`] whose [`AccessIdentity::feed_id`] names the feed.
//! - [`KeyCache`] decides when the team's keys are fetched again and how long stale keys may serve
//!   when the key server fails; [`VerifiedTokens`] remembers tokens already verified for a minute.
//! - [`feed_signature`] is the per-feed HMAC-SHA256 over the request body, and [`FeedKeys`] the feeds'
//!   keys with rotation (two keys live per feed), so a feed whose Access credentials leak still cannot
//!   forge results without its signing secret.
//! - [`FeedPolicies`] says which feed may write which events, whether it must sign, where it may post
//!   from ([`IpRange`]) and which client certificate it must present ([`ClientCertRule`]).
//! - [`FailureTracker`] blocks clients that keep failing authentication; [`SecurityEvent`] names what
//!   the gateway logs and [`AlertMeter`] says when there are too many; [`RateWindow`] is a feed's budget.
//!
//! The caller owns fetching the certs document: [`token_key_id`] reads a token's `kid` without
//! verifying it, so an unknown kid can trigger one refetch after a key rotation.

// Tests may unwrap: a panic there is a failed test, not a crashed Worker.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub use access_jwt::{token_key_id, verify_access_jwt};
pub use client_cert::{CertRefusal, ClientCert, ClientCertRule};
pub use error::AuthError;
pub use failures::{BlockRule, FailureTracker};
pub use feed_keys::{FeedKeys, FeedKeysError, MatchedKey};
pub use feed_policy::{ANY_FEED, FeedPolicies, FeedRules, PolicyError, Refusal};
pub use feed_signature::{SignatureError, sign_feed_body, verify_feed_signature};
pub use identity::AccessIdentity;
pub use ip_range::{IpRange, RangeError, client_key};
pub use jwks::Jwks;
pub use key_cache::{KeyCache, KeyHealth, KeyTimings};
pub use policy::AccessPolicy;
pub use rate_window::RateWindow;
pub use security_event::{AlertMeter, SecurityEvent};
pub use token_parts::MAX_TOKEN_BYTES;
pub use verified_tokens::{REVERIFY_AFTER_SECONDS, VerifiedTokens};

mod access_jwt;
mod client_cert;
mod error;
mod failures;
mod feed_keys;
mod feed_policy;
pub mod feed_signature;
mod identity;
mod ip_range;
mod jwks;
mod key_cache;
mod policy;
mod rate_window;
mod security_event;
mod token_parts;
mod verified_tokens;

#[cfg(test)]
mod test_support;
