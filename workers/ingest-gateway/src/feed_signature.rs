//! Optional per-feed HMAC signatures: a feed with a signing key configured must sign every body, so a
//! feed whose Access credentials leak still cannot be impersonated without its key.
//!
//! Keys come from the `FEED_SIGNING_KEYS` secret: `feed-id=secret` pairs separated by commas, where the
//! feed id is the feed's label as recorded in the audit trail (`service:<client id>`, shortened with a
//! hash when longer than 64 characters: see `access::feed_label`). A feed without a key is not checked.

use access_auth::{SignatureError, verify_feed_signature};
use edge::Problem;
use worker::{Env, Request};

use crate::bindings;

/// Five minutes of clock skew between a feed and the edge.
const MAX_SKEW_SECONDS: u64 = 300;

fn key_for(env: &Env, feed: &str) -> Option<String> {
    // A secret in production; a plain variable in the local stack (wrangler dev --var).
    let keys = env
        .secret(bindings::FEED_SIGNING_KEYS)
        .or_else(|_| env.var(bindings::FEED_SIGNING_KEYS))
        .map(|s| s.to_string())
        .ok()?;
    keys.split(',')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(id, _)| *id == feed)
        .map(|(_, key)| key.to_string())
}

/// Checks the body's signature when the feed has a key; a feed without one passes unchanged.
pub fn check(req: &Request, env: &Env, feed: &str, body: &[u8]) -> Result<(), Problem> {
    let Some(key) = key_for(env, feed) else {
        return Ok(());
    };
    let header = |name: &str| req.headers().get(name).ok().flatten().unwrap_or_default();
    let now = worker::Date::now().as_millis() / 1000;
    verify_feed_signature(
        key.as_bytes(),
        &header(access_auth::feed_signature::TIMESTAMP_HEADER),
        &header(access_auth::feed_signature::SIGNATURE_HEADER),
        body,
        now,
        MAX_SKEW_SECONDS,
    )
    .map_err(problem)
}

fn problem(err: SignatureError) -> Problem {
    Problem::new(401, "bad-signature", "Feed signature rejected")
        .detail(err.to_string())
        .field(err.header().to_ascii_lowercase())
}
