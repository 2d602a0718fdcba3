//! Per-client rate limiting with the Workers rate-limit binding, keyed on the client's IP address.
//!
//! Cloudflare sets `CF-Connecting-IP` on every request it forwards and clients cannot override it there.
//! The local runtime sets it to a loopback address: such a request has no real client to attribute
//! (it never happens in production) and is not limited, so local load tests measure the Workers.

use edge::Problem;
use worker::{Env, Headers};

use crate::bindings;

/// Counts a request with these `headers` against its client's budget.
pub async fn check(headers: &Headers, env: &Env) -> Result<(), Problem> {
    let Some(client) = headers.get("cf-connecting-ip").ok().flatten() else {
        return Ok(());
    };
    if is_loopback(&client) {
        return Ok(());
    }
    let limiter = env
        .rate_limiter(bindings::VIEWER_RATE_LIMIT)
        .map_err(|err| Problem::internal().because(format!("rate limiter binding: {err}")))?;
    match limiter.limit(client).await {
        Ok(outcome) if !outcome.success => {
            Err(Problem::new(429, "rate-limited", "Too many requests")
                .detail("slow down: this client sent too many requests in the last ten seconds")
                // The binding's window is ten seconds: waiting one whole window always helps.
                .retry_after(10))
        }
        Ok(_) => Ok(()),
        Err(err) => {
            // A limiter outage must not take the site down with it.
            tracing::warn!(cause = %err, "rate limiter unavailable; request let through");
            Ok(())
        }
    }
}

fn is_loopback(address: &str) -> bool {
    address
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}
