//! The one place where this Worker's typed errors become HTTP problems.

use access_auth::{AuthError, FeedKeysError, PolicyError, Refusal, SignatureError};
use edge::Problem;

/// The challenge of a 401 for a missing or refused Access token (RFC 9110 requires one on every 401).
pub const ACCESS_CHALLENGE: &str = r#"CloudflareAccess realm="olympic-live-ingest""#;
/// The challenge of a 401 for a missing or wrong feed signature.
pub const SIGNATURE_CHALLENGE: &str =
    r#"FeedSignature realm="olympic-live-ingest", headers="x-feed-timestamp x-feed-signature""#;

/// 401 for every authentication failure, naming the JWT field at fault. The detail explains what was
/// wrong without echoing the token.
pub fn auth(err: AuthError) -> Problem {
    let field = match err.claim() {
        Some(claim) => format!("{}.{claim}", crate::access::ACCESS_HEADER),
        None => crate::access::ACCESS_HEADER.to_string(),
    };
    match err {
        AuthError::BadJwks(_) => {
            Problem::unavailable("the Access signing keys are unusable; retry shortly")
        }
        other => Problem::new(401, "unauthenticated", "Authentication failed")
            .detail(other.to_string())
            .field(field)
            .challenge(ACCESS_CHALLENGE),
    }
}

/// 401 for a feed signature that is missing, stale or wrong, naming the header at fault.
pub fn signature(err: SignatureError) -> Problem {
    Problem::new(401, "bad-signature", "Feed signature rejected")
        .detail(err.to_string())
        .field(err.header().to_ascii_lowercase())
        .challenge(SIGNATURE_CHALLENGE)
}

/// 403 for an authenticated feed its policy refuses, naming what it would have to change.
pub fn refusal(refusal: &Refusal) -> Problem {
    let field = match refusal {
        Refusal::NotConfigured | Refusal::Revoked => crate::access::ACCESS_HEADER,
        Refusal::NotGranted { .. } | Refusal::OwnedElsewhere { .. } => "event",
        Refusal::SourceNotAllowed { .. } | Refusal::NoSourceAddress => "cf-connecting-ip",
        Refusal::ClientCert(_) => "tls-client-certificate",
    };
    Problem::new(403, "feed-refused", "This feed may not do this")
        .detail(refusal.to_string())
        .field(field)
}

/// 429 for a client blocked after repeated authentication failures.
pub fn blocked(retry_after_seconds: u64) -> Problem {
    Problem::new(429, "client-blocked", "Too many failed attempts")
        .detail("this client failed authentication too often and is blocked for a while")
        .retry_after(retry_after_seconds)
}

/// 429 for a feed over its request budget.
pub fn rate_limited(retry_after_seconds: u64) -> Problem {
    Problem::new(429, "rate-limited", "Too many requests")
        .detail("this feed sent too many requests this minute; retry after the time given")
        .retry_after(retry_after_seconds)
}

/// A setting that does not parse is ours to fix: every feed is refused (500) until it is, so a typing
/// mistake can never widen what a feed may do.
pub fn feed_policies(err: PolicyError) -> Problem {
    Problem::internal().because(err)
}

pub fn feed_keys(err: FeedKeysError) -> Problem {
    Problem::internal().because(err)
}
