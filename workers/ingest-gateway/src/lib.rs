//! The ingest gateway: the only way in for timing and scoring feeds.
//!
//! How a write flows (`POST /v1/ingest/events/ALPMDOWNHILL/results`):
//! 1. Cloudflare Access checks the feed's service token and forwards a signed JWT in
//!    `Cf-Access-Jwt-Assertion`.
//! 2. [`routes`]: an unknown path is a 404 and a wrong method a 405 with `Allow`, checked by the event
//!    object's own route table (`wire::api::EventRoute::allow`) before anything else is read.
//! 3. [`access`]: the JWT is verified (RS256, `kid` from Access's keys cached 10 minutes, `iss`, `aud`,
//!    `exp`, `nbf`, `iat`), unless this exact token passed within the last minute; the feed becomes
//!    `service:<client id>`.
//! 4. The event code and query parse into a typed route; the body must be JSON, at most 256 KiB (1 MiB for
//!    a batch).
//! 5. [`feed_signature`]: a feed with a key in `FEED_SIGNING_KEYS` must sign `"{timestamp}.{body}"`.
//! 6. [`objects`]: the message goes to the event object with the feed and arrival time
//!    (`wire::api::Origin`); the object applies, stores and acknowledges it
//!    (`workers/event-do/src/event_room/writes.rs` tells the rest). [`batch`] does the same per message,
//!    in order within an event, events in parallel.
//!
//! [`odf`] takes ODF XML feeds and maps them onto the same messages, through the same path.
//! [`admin`] is the operators' API under `/v1/admin`, for listed identities only.
//!
//! Errors become RFC 9457 problems in [`problems`] (and `edge`, for route errors).

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod access;
mod admin;
mod audit;
mod batch;
mod bindings;
mod console;
mod feed_signature;
mod objects;
mod odf;
mod operations;
mod problems;
mod refusals;
mod routes;

use tracing::Instrument;
use worker::{Context, Env, Request, Response, Result, event};

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    edge::log::init("ingest-gateway");
    let request_id = edge::log::request_id_from_edge(req.headers());
    let span = edge::log::request(&request_id);
    let path = req.path();
    let result = routes::handle(req, &env).instrument(span.clone()).await;
    let _in_request = span.enter();
    let refused = result
        .as_ref()
        .err()
        .filter(|problem| (400..500).contains(&problem.status))
        .map(|problem| problem.kind.to_string());
    if let Some(report) = refusals::settle(&request_id, refused.as_deref(), now_ms()) {
        let env = env.clone();
        ctx.wait_until(
            async move {
                let sent = bindings::objects(&env)
                    .call(wire::api::analytics::AnalyticsRoute::refusals(&report))
                    .await;
                if let Err(error) = sent {
                    tracing::warn!(error = %error, "refusal report not recorded");
                }
            }
            .instrument(span.clone()),
        );
    }
    edge::respond::finish(result, &path)
}

fn now_ms() -> u64 {
    worker::Date::now().as_millis()
}
