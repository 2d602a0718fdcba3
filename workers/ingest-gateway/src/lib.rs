//! The ingest gateway: the only way in for timing and scoring feeds.
//!
//! Every request under `/v1/ingest/` is authenticated ([`access`]) before anything else is read; the
//! message is then handed to the event's Durable Object ([`objects`]), which validates and applies it.
//! The route table is in [`routes`]; errors become RFC 9457 problems in [`problems`]. ODF XML feeds come
//! in through [`odf`], which maps them onto the same messages.

mod access;
mod batch;
mod bindings;
mod feed_signature;
mod objects;
mod odf;
mod problems;
mod routes;

use worker::{Context, Env, Request, Response, Result, event};

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let path = req.path();
    edge::respond::finish(routes::handle(req, &env).await, &path)
}
