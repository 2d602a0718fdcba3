//! The ingest gateway: the only way in for timing and scoring feeds.
//!
//! How a write flows (`POST /v1/ingest/events/ALPMDOWNHILL/results`):
//! 1. Cloudflare Access checks the feed's service token and forwards a signed JWT in
//!    `Cf-Access-Jwt-Assertion`.
//! 2. [`routes`]: an unknown path is a 404 and a wrong method a 405 with `Allow`, checked by the event
//!    object's own route table (`wire::api::EventRoute::allow`) before anything else is read.
//! 3. [`gate`]: a client blocked for failing authentication is refused (429); [`access`] verifies the
//!    JWT (RS256, `kid` from Access's keys, not revoked, `iss`, `aud`, `exp`, `nbf`, `iat`), unless this
//!    exact token passed within the last minute; the feed becomes `service:<client id>`; its policy
//!    (`FEED_POLICIES`) must admit it from its address and with its client certificate, within its
//!    per-feed budget, and bind it to the event. Refusals are logged as security events ([`security`]).
//! 4. The event code and query parse into a typed route; the body must be JSON, at most 256 KiB (1 MiB for
//!    a batch).
//! 5. [`gate::Admitted::check_signature`]: a feed with a key in `FEED_SIGNING_KEYS`, or whose policy
//!    says so, must sign `"{timestamp}.{body}"`; during a rotation either of its two keys verifies.
//! 6. [`objects`]: the message goes to the event object with the feed and arrival time
//!    (`wire::api::Origin`); the object applies, stores and acknowledges it
//!    (`workers/event-do/src/event_room/writes.rs` tells the rest). [`batch`] does the same per message,
//!    in order within an event, events in parallel.
//!
//! [`odf`] takes ODF XML feeds and maps them onto the same messages, through the same path.
//! [`admin`] is the operators' API under `/v1/admin`, for listed identities only.
//!
//! Errors become RFC 9457 problems in [`problems`] (and `edge`, for route errors).

mod access;
mod admin;
mod batch;
mod bindings;
mod gate;
mod objects;
mod odf;
mod problems;
mod routes;
mod security;

use tracing::Instrument;
use worker::{Context, Env, Request, Response, Result, event};

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    edge::log::init("ingest-gateway");
    let span = edge::log::request(&edge::log::request_id_from_edge(req.headers()));
    let path = req.path();
    let result = routes::handle(req, &env).instrument(span.clone()).await;
    let _in_request = span.enter();
    edge::respond::finish(result, &path)
}
