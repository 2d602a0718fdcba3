//! Per-client rate limiting with the Workers rate-limit binding, keyed on the client's IPv4 address or
//! IPv6 /64 ([`client_key`]).
//!
//! Cloudflare sets `CF-Connecting-IP` on every request it forwards and clients cannot override it there.
//! The local runtime sets it to a loopback address: such a request has no real client to attribute
//! (it never happens in production) and is not limited, so local load tests measure the Workers.

use std::net::{IpAddr, Ipv6Addr};

use edge::Problem;
use worker::{Env, Headers};

use crate::bindings;

/// Counts a request with these `headers` against its client's budget.
pub async fn check(headers: &Headers, env: &Env) -> Result<(), Problem> {
    limit(
        headers,
        env,
        bindings::VIEWER_RATE_LIMIT,
        10,
        "slow down: this client sent too many requests in the last ten seconds",
    )
    .await
}

/// Counts a live socket opening against its client's budget per minute, so one client cannot hoard
/// sockets (each holds an object's memory and a share of every broadcast).
pub async fn check_socket(headers: &Headers, env: &Env) -> Result<(), Problem> {
    limit(
        headers,
        env,
        bindings::SOCKET_RATE_LIMIT,
        60,
        "this client opened too many live connections in the last minute",
    )
    .await
}

/// `period` is the binding's window in seconds: waiting one whole window always helps.
async fn limit(
    headers: &Headers,
    env: &Env,
    binding: &str,
    period: u64,
    detail: &'static str,
) -> Result<(), Problem> {
    let Some(client) = headers.get("cf-connecting-ip").ok().flatten() else {
        return Ok(());
    };
    let Some(key) = client_key(&client) else {
        return Ok(());
    };
    let limiter = env
        .rate_limiter(binding)
        .map_err(|err| Problem::internal().because(format!("rate limiter binding: {err}")))?;
    match limiter.limit(key).await {
        Ok(outcome) if !outcome.success => {
            Err(Problem::new(429, "rate-limited", "Too many requests")
                .detail(detail)
                .retry_after(period))
        }
        Ok(_) => Ok(()),
        Err(err) => {
            // A limiter outage must not take the site down with it.
            tracing::warn!(cause = %err, "rate limiter unavailable; request let through");
            Ok(())
        }
    }
}

/// The key a client is limited by: an IPv4 address whole, an IPv6 address by its /64. A subscriber
/// usually holds a whole /64 and can pick any address in it, so limiting IPv6 addresses one by one
/// would let one client rotate past the limit. `None` for loopback (the local runtime) and for a header
/// that is not an address, which Cloudflare never sends.
pub fn client_key(address: &str) -> Option<String> {
    let ip = address.trim().parse::<IpAddr>().ok()?.to_canonical();
    if ip.is_loopback() {
        return None;
    }
    Some(match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let network = Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64));
            format!("{network}/64")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::client_key;

    #[test]
    fn ipv6_clients_are_keyed_on_their_64_and_ipv4_on_the_address() {
        let key = |a: &str| client_key(a);
        assert_eq!(
            key("2001:db8:1:2::1"),
            key("2001:db8:1:2:ffff:eeee:dddd:cccc")
        );
        assert_eq!(key("2001:db8:1:2::1").as_deref(), Some("2001:db8:1:2::/64"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("203.0.113.9").as_deref(), Some("203.0.113.9"));
        assert_ne!(key("203.0.113.9"), key("203.0.113.10"));
        assert_eq!(key("::ffff:203.0.113.9").as_deref(), Some("203.0.113.9"));
        assert_eq!(key("127.0.0.1"), None);
        assert_eq!(key("::1"), None);
        assert_eq!(key("not an address"), None);
    }
}
