//! The gate every feed request passes before its body is read: a blocked client is refused; the Access
//! token is verified; the feed's policy (`FEED_POLICIES`) must admit it, from an allowed address
//! (`CF-Connecting-IP`) and with the client certificate it requires; its per-feed budget must allow one
//! more request. Then [`Admitted::may_write`] binds it to the events it may write, and
//! [`Admitted::check_signature`] verifies its body when it must sign. Every refusal is a 4xx problem
//! and a security event; nothing is read or changed before the gate passes.

use std::cell::RefCell;
use std::net::IpAddr;

use access_auth::{
    ClientCert, FeedKeys, FeedPolicies, MatchedKey, RateWindow, SecurityEvent, client_key,
};
use edge::Problem;
use worker::{Env, Request};

use crate::{access, bindings, problems, security};

/// Five minutes of clock skew between a feed and the edge.
const MAX_SKEW_SECONDS: u64 = 300;
/// Feeds tracked per isolate by the per-feed budget.
const TRACKED_FEEDS: usize = 1024;
/// The per-feed budget when `FEED_RATE_LIMIT` is not set: requests per minute.
const DEFAULT_FEED_RATE_LIMIT: u32 = 6000;

thread_local! {
    static FEED_BUDGET: RefCell<Option<(u32, RateWindow)>> = const { RefCell::new(None) };
}

/// A feed the gate let in.
pub struct Admitted {
    pub feed: String,
    client: String,
    policies: FeedPolicies,
}

fn text_setting(env: &Env, name: &str) -> String {
    // A secret in production; a plain variable in the local stack (wrangler dev --var).
    env.secret(name)
        .map(|s| s.to_string())
        .or_else(|_| env.var(name).map(|v| v.to_string()))
        .unwrap_or_default()
}

/// `CF-Connecting-IP`, which Cloudflare sets and clients cannot override at the edge.
fn client_address(req: &Request) -> Option<IpAddr> {
    req.headers()
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .and_then(|text| text.trim().parse().ok())
}

/// What the edge reported about the client certificate (`request.cf.tlsClientAuth`), if anything.
fn client_cert(req: &Request) -> Option<ClientCert> {
    let auth = req.cf()?.tls_client_auth()?;
    Some(ClientCert {
        presented: auth.cert_presented() == "1",
        verified: auth.cert_verified(),
        fingerprint_sha256: auth.cert_fingerprint_sha256(),
    })
}

/// Runs the gate for `req`.
pub async fn admit(req: &Request, env: &Env) -> Result<Admitted, Problem> {
    let address = client_address(req);
    let client = address.map_or_else(|| "unknown".to_owned(), client_key);
    security::check_blocked(&client)?;
    let policies = FeedPolicies::from_json(&text_setting(env, bindings::FEED_POLICIES))
        .map_err(problems::feed_policies)?;
    let identity = match access::authenticate(req, env).await {
        Ok(identity) => identity,
        Err(problem) => {
            if problem.status == 401 {
                security::report(SecurityEvent::RefusedToken, &client, None, &problem);
            }
            return Err(problem);
        }
    };
    let feed = access::feed_label(&identity);
    let refuse = |refusal: access_auth::Refusal| {
        let problem = problems::refusal(&refusal);
        security::report(refusal.security_event(), &client, Some(&feed), &problem);
        problem
    };
    let rules = policies.admit(&feed).map_err(refuse)?;
    rules.check_source(address).map_err(refuse)?;
    rules
        .check_client_cert(client_cert(req).as_ref())
        .map_err(refuse)?;
    take_budget(env, &feed).inspect_err(|problem| {
        security::report(SecurityEvent::RateLimited, &client, Some(&feed), problem);
    })?;
    Ok(Admitted {
        feed,
        client,
        policies,
    })
}

fn take_budget(env: &Env, feed: &str) -> Result<(), Problem> {
    let limit = env
        .var(bindings::FEED_RATE_LIMIT)
        .ok()
        .and_then(|v| v.to_string().trim().parse::<u32>().ok())
        .unwrap_or(DEFAULT_FEED_RATE_LIMIT);
    let now = worker::Date::now().as_millis() / 1000;
    FEED_BUDGET.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(held, _)| *held != limit) {
            *cell = Some((limit, RateWindow::new(limit, 60, TRACKED_FEEDS)));
        }
        match cell.as_mut() {
            Some((_, window)) => window.take(feed, now).map_err(problems::rate_limited),
            None => Ok(()),
        }
    })
}

impl Admitted {
    /// Whether this feed may write (or read the audit of) `event`; a refusal names the `field` given.
    pub fn may_write(&self, event: &str, field: &str) -> Result<(), Problem> {
        let result = self
            .policies
            .admit(&self.feed)
            .and_then(|rules| rules.may_write(event));
        result.map_err(|refusal| {
            let problem = problems::refusal(&refusal).field(field);
            security::report(
                refusal.security_event(),
                &self.client,
                Some(&self.feed),
                &problem,
            );
            problem
        })
    }

    /// Verifies the body's signature when the feed must sign: its policy says so, or it has a key.
    /// During a key rotation both of the feed's keys verify; a body signed with the old one is logged.
    pub fn check_signature(&self, req: &Request, env: &Env, body: &[u8]) -> Result<(), Problem> {
        let keys = FeedKeys::parse(&text_setting(env, bindings::FEED_SIGNING_KEYS))
            .map_err(problems::feed_keys)?;
        let must_sign = self
            .policies
            .admit(&self.feed)
            .is_ok_and(|rules| rules.must_sign());
        if !must_sign && keys.for_feed(&self.feed).is_none() {
            return Ok(());
        }
        let header = |name: &str| req.headers().get(name).ok().flatten().unwrap_or_default();
        let now = worker::Date::now().as_millis() / 1000;
        match keys.verify(
            &self.feed,
            &header(access_auth::feed_signature::TIMESTAMP_HEADER),
            &header(access_auth::feed_signature::SIGNATURE_HEADER),
            body,
            now,
            MAX_SKEW_SECONDS,
        ) {
            Ok(MatchedKey::Current) => Ok(()),
            Ok(MatchedKey::Previous) => {
                tracing::info!(feed = %self.feed, previous_key = true, "body signed with the feed's previous key");
                Ok(())
            }
            Err(err) => {
                let problem = problems::signature(err);
                security::report(
                    SecurityEvent::BadSignature,
                    &self.client,
                    Some(&self.feed),
                    &problem,
                );
                Err(problem)
            }
        }
    }
}
