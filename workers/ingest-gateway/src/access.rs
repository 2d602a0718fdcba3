//! Cloudflare Access, verified here: workers-rs has no `ctx.access`, and a Worker must never trust a
//! request merely because it arrived (Access can be misconfigured, or the route reached another way).
//!
//! Keys are fetched from the team's certs URL and cached in the isolate for [`KEYS_TTL_MS`]. A token
//! naming an unknown `kid` triggers one early refetch (keys rotate every six weeks), rate-limited so a
//! flood of forged `kid`s cannot turn into a flood of fetches. A feed sends the same token on every
//! request, so a verified token is remembered ([`access_auth::VerifiedTokens`]: the whole token, until its
//! `exp` and for at most a minute) and not verified again.

use std::cell::RefCell;

use access_auth::{AccessIdentity, AccessPolicy, AuthError, Jwks, VerifiedTokens};
use edge::Problem;
use worker::{Date, Env, Fetch, Request};

use crate::bindings;

pub const ACCESS_HEADER: &str = "cf-access-jwt-assertion";
const KEYS_TTL_MS: u64 = 10 * 60 * 1000;
const MIN_REFETCH_INTERVAL_MS: u64 = 30 * 1000;

struct CachedKeys {
    url: String,
    jwks: Jwks,
    fetched_at_ms: u64,
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

/// Verifies the request's Access JWT and returns who sent it.
pub async fn authenticate(req: &Request, env: &Env) -> Result<AccessIdentity, Problem> {
    let token = req
        .headers()
        .get(ACCESS_HEADER)
        .ok()
        .flatten()
        .unwrap_or_default();
    let policy = AccessPolicy::new(
        setting(env, bindings::ACCESS_ISSUER)?,
        setting(env, bindings::ACCESS_AUD)?,
    );
    let certs_url = setting(env, bindings::ACCESS_CERTS_URL)?;
    let now = now_ms();
    if let Some(identity) = VERIFIED.with(|cell| cell.borrow().get(&token, &policy, now / 1000)) {
        crate::refusals::identified(&feed_label(&identity));
        return Ok(identity);
    }
    let identity = verify(&token, &policy, &certs_url, now).await?;
    VERIFIED.with(|cell| {
        cell.borrow_mut()
            .insert(&token, &policy, identity.clone(), now / 1000)
    });
    crate::refusals::identified(&feed_label(&identity));
    Ok(identity)
}

/// The full check: keys (refetched once for an unknown `kid`), signature, times, issuer and audience.
async fn verify(
    token: &str,
    policy: &AccessPolicy,
    certs_url: &str,
    now: u64,
) -> Result<AccessIdentity, Problem> {
    let jwks = keys(certs_url, now, false).await?;
    match access_auth::verify_access_jwt(token, &jwks, policy, now / 1000) {
        Err(AuthError::UnknownKeyId(kid)) if may_refetch(now) => {
            let fresh = keys(certs_url, now, true).await?;
            if !fresh.contains(&kid) {
                return Err(crate::problems::auth(AuthError::UnknownKeyId(kid)));
            }
            access_auth::verify_access_jwt(token, &fresh, policy, now / 1000)
                .map_err(crate::problems::auth)
        }
        result => result.map_err(crate::problems::auth),
    }
}

fn may_refetch(now: u64) -> bool {
    KEYS.with(|cell| {
        cell.borrow().as_ref().is_none_or(|cached| {
            now.saturating_sub(cached.fetched_at_ms) >= MIN_REFETCH_INTERVAL_MS
        })
    })
}

async fn keys(url: &str, now: u64, force: bool) -> Result<Jwks, Problem> {
    let cached = KEYS.with(|cell| {
        cell.borrow().as_ref().and_then(|c| {
            let fresh = c.url == url && now.saturating_sub(c.fetched_at_ms) < KEYS_TTL_MS;
            (fresh && !force).then(|| c.jwks.clone())
        })
    });
    if let Some(jwks) = cached {
        return Ok(jwks);
    }
    match fetch_keys(url).await {
        Ok(jwks) => {
            KEYS.with(|cell| {
                *cell.borrow_mut() = Some(CachedKeys {
                    url: url.to_string(),
                    jwks: jwks.clone(),
                    fetched_at_ms: now,
                });
            });
            Ok(jwks)
        }
        Err(reason) => {
            tracing::error!(url = %url, cause = %reason, "fetching Access keys failed");
            // Keys we already hold are still good for verifying: an Access outage must not stop feeds.
            KEYS.with(|cell| {
                cell.borrow()
                    .as_ref()
                    .filter(|c| c.url == url)
                    .map(|c| c.jwks.clone())
            })
            .ok_or_else(|| {
                Problem::unavailable("the Access signing keys could not be loaded; retry shortly")
            })
        }
    }
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
