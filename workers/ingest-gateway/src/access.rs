//! Cloudflare Access, verified here: workers-rs has no `ctx.access`, and a Worker must never trust a
//! request merely because it arrived (Access can be misconfigured, or the route reached another way).
//!
//! Keys are fetched from the team's certs URL and held in the isolate by [`access_auth::KeyCache`]: fresh
//! for ten minutes, then usable stale for at most an hour while the key server fails (then 503). A token
//! naming an unknown `kid` triggers an early refetch (keys rotate with overlap: several `kid`s live),
//! at most every thirty seconds so a flood of forged `kid`s cannot turn into a flood of fetches. Kids in
//! `ACCESS_REVOKED_KIDS` are refused at once (emergency rotation: docs/SECURITY.md). A feed sends the same token on every
//! request, so a verified token is remembered ([`access_auth::VerifiedTokens`]: the whole token, until its
//! `exp` and for at most a minute) and not verified again.

use std::cell::RefCell;

use access_auth::{
    AccessIdentity, AccessPolicy, Jwks, KeyCache, KeyHealth, KeyTimings, VerifiedTokens,
};
use edge::Problem;
use worker::{Date, Env, Fetch, Request};

use crate::bindings;

pub const ACCESS_HEADER: &str = "cf-access-jwt-assertion";

/// Production timings: keys fresh for ten minutes, usable stale for an hour more while the key server
/// fails, and fetched at most every thirty seconds whatever the tokens name.
const DEFAULT_TIMINGS: KeyTimings = KeyTimings {
    ttl_ms: 10 * 60 * 1000,
    max_stale_ms: 60 * 60 * 1000,
    min_refetch_ms: 30 * 1000,
};

struct CachedKeys {
    url: String,
    cache: KeyCache,
}

thread_local! {
    // The isolate's one thread may interleave requests at await points, but never runs two at once,
    // and no borrow of this cell is held across an await. The cache lives as long as the isolate.
    static KEYS: RefCell<Option<CachedKeys>> = const { RefCell::new(None) };
    static VERIFIED: RefCell<VerifiedTokens> = RefCell::new(VerifiedTokens::new(VERIFIED_TOKENS));
}

/// Tokens remembered per isolate: a few per feed, each at most 8 KiB.
const VERIFIED_TOKENS: usize = 256;

fn now_ms() -> u64 {
    Date::now().as_millis()
}

fn setting(env: &Env, name: &str) -> Result<String, Problem> {
    env.var(name)
        .map(|v| v.to_string())
        .map_err(|_| Problem::internal().because(format!("missing setting {name}")))
}

/// `ACCESS_KEY_TIMINGS`: `ttl=600,max_stale=3600,min_refetch=30` in seconds; blank or absent for the
/// defaults. A value that does not parse is a configuration error (500), never a silent default.
fn timings(env: &Env) -> Result<KeyTimings, Problem> {
    let text = env
        .var(bindings::ACCESS_KEY_TIMINGS)
        .map(|v| v.to_string())
        .unwrap_or_default();
    let mut timings = DEFAULT_TIMINGS;
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || Problem::internal().because(format!("ACCESS_KEY_TIMINGS: bad entry {pair:?}"));
        let (name, value) = pair.split_once('=').ok_or_else(bad)?;
        let ms = value
            .trim()
            .parse::<u64>()
            .map_err(|_| bad())?
            .saturating_mul(1000);
        match name.trim() {
            "ttl" => timings.ttl_ms = ms,
            "max_stale" => timings.max_stale_ms = ms,
            "min_refetch" => timings.min_refetch_ms = ms,
            _ => return Err(bad()),
        }
    }
    Ok(timings)
}

fn policy(env: &Env) -> Result<AccessPolicy, Problem> {
    let revoked = env
        .var(bindings::ACCESS_REVOKED_KIDS)
        .map(|v| v.to_string())
        .unwrap_or_default();
    Ok(AccessPolicy::new(
        setting(env, bindings::ACCESS_ISSUER)?,
        setting(env, bindings::ACCESS_AUD)?,
    )
    .revoking(&revoked))
}

/// Verifies the request's Access JWT and returns who sent it.
pub async fn authenticate(req: &Request, env: &Env) -> Result<AccessIdentity, Problem> {
    let token = req
        .headers()
        .get(ACCESS_HEADER)
        .ok()
        .flatten()
        .unwrap_or_default();
    let policy = policy(env)?;
    let certs_url = setting(env, bindings::ACCESS_CERTS_URL)?;
    let timings = timings(env)?;
    let now = now_ms();
    // A remembered token is honoured only while the keys that verified it could still verify it.
    let keys_usable = KEYS.with(|cell| {
        cell.borrow()
            .as_ref()
            .is_some_and(|c| c.url == certs_url && c.cache.usable(now).is_some())
    });
    if keys_usable
        && let Some(identity) = VERIFIED.with(|cell| cell.borrow().get(&token, &policy, now / 1000))
    {
        crate::refusals::identified(&feed_label(&identity));
        return Ok(identity);
    }
    let identity = verify(&token, &policy, &certs_url, timings, now).await?;
    VERIFIED.with(|cell| {
        cell.borrow_mut()
            .insert(&token, &policy, identity.clone(), now / 1000)
    });
    crate::refusals::identified(&feed_label(&identity));
    Ok(identity)
}

/// The full check: keys (refetched early for an unknown `kid`, at a bounded rate), signature, times,
/// issuer and audience.
async fn verify(
    token: &str,
    policy: &AccessPolicy,
    certs_url: &str,
    timings: KeyTimings,
    now: u64,
) -> Result<AccessIdentity, Problem> {
    let unknown_kid = access_auth::token_key_id(token).ok().is_some_and(|kid| {
        KEYS.with(|cell| {
            cell.borrow()
                .as_ref()
                .and_then(|c| c.cache.usable(now))
                .is_some_and(|jwks| !jwks.contains(&kid))
        })
    });
    let jwks = keys(certs_url, timings, now, unknown_kid).await?;
    access_auth::verify_access_jwt(token, &jwks, policy, now / 1000).map_err(crate::problems::auth)
}

/// The keys to verify with, fetching first when the cache says so.
async fn keys(
    url: &str,
    timings: KeyTimings,
    now: u64,
    unknown_kid: bool,
) -> Result<Jwks, Problem> {
    let should_fetch = KEYS.with(|cell| {
        let mut cell = cell.borrow_mut();
        let cached = cell.get_or_insert_with(|| CachedKeys {
            url: url.to_owned(),
            cache: KeyCache::new(timings),
        });
        if cached.url != url {
            *cached = CachedKeys {
                url: url.to_owned(),
                cache: KeyCache::new(timings),
            };
        }
        cached.cache.should_fetch(now, unknown_kid)
    });
    if should_fetch {
        let fetched = fetch_keys(url).await;
        KEYS.with(|cell| {
            if let Some(cached) = cell.borrow_mut().as_mut() {
                match fetched {
                    Ok(jwks) => cached.cache.record_fetched(jwks, now),
                    Err(reason) => {
                        tracing::error!(url = %url, cause = %reason, "fetching Access keys failed");
                        cached.cache.record_failed(now);
                    }
                }
            }
        });
    }
    KEYS.with(|cell| {
        cell.borrow()
            .as_ref()
            .and_then(|c| c.cache.usable(now).cloned())
    })
    // Stale keys serve through a key-server outage for at most max_stale; past that, fail closed.
    .ok_or_else(|| {
        Problem::unavailable("the Access signing keys could not be loaded; retry shortly")
            .retry_after(timings.min_refetch_ms / 1000)
    })
}

/// What `/healthz` says about the Access keys: fetches them when due, so a probe notices an outage.
pub async fn key_health(env: &Env) -> Result<KeyHealth, Problem> {
    let certs_url = setting(env, bindings::ACCESS_CERTS_URL)?;
    let timings = timings(env)?;
    let now = now_ms();
    // An outage is an answer here, not an error.
    let _ = keys(&certs_url, timings, now, false).await;
    Ok(KEYS.with(|cell| {
        cell.borrow()
            .as_ref()
            .map_or(KeyHealth::Unavailable, |c| c.cache.health(now))
    }))
}

async fn fetch_keys(url: &str) -> Result<Jwks, String> {
    let parsed = url.parse().map_err(|e| format!("bad certs URL: {e}"))?;
    let mut response = Fetch::Url(parsed).send().await.map_err(|e| e.to_string())?;
    if response.status_code() != 200 {
        return Err(format!("status {}", response.status_code()));
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    Jwks::from_json(&text).map_err(|e| e.to_string())
}

/// The feed's identity as recorded on every change: the Access identity, shortened when it is longer
/// than the audit trail allows (a long e-mail address) to a readable prefix and a hash of the whole, so
/// two long identities never collide.
pub fn feed_label(identity: &AccessIdentity) -> String {
    const MAX: usize = 64;
    let full = identity.feed_id();
    if full.len() <= MAX {
        return full;
    }
    // FNV-1a: stable across builds and platforms, which is all a label needs.
    let hash = full.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let prefix: String = full.chars().take(MAX - 17).collect();
    format!("{prefix}~{hash:016x}")
}
