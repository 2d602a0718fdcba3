//! The route table: every path this Worker answers, and nothing else.
//!
//! Under `/v1/ingest`, a path is the event object's own (`wire::api::event_room`): its routes marked
//! `Ingest` are published here, checked by the same table the object parses with. The batch and the ODF
//! XML route are this gateway's own.

use edge::OrInternal;
use edge::{Problem, body};
use wire::api::{EventRequest, EventRoute, Exposure, Method};
use worker::{Env, Request, Response};

use crate::{access, admin, batch, feed_signature, objects, odf};

/// One results message for a 1,000-competitor unit is about 150 KB of JSON; leave room, refuse more.
pub const MESSAGE_LIMIT_BYTES: usize = 256 * 1024;
pub const BATCH_LIMIT_BYTES: usize = 1024 * 1024;

pub async fn handle(mut req: Request, env: &Env) -> Result<Response, Problem> {
    let path = req.path();
    // The raw method: the worker crate reads a method it does not know (PROPFIND, PURGE) as GET.
    let method = Method::parse(&req.inner().method());
    if let Some(rest) = path.strip_prefix("/v1/admin") {
        return admin::handle(&mut req, env, method, rest, &path).await;
    }
    let rest = path.strip_prefix("/v1/ingest");
    match (method, path.as_str(), rest) {
        (Some(Method::Get), "/healthz", _) => edge::respond::json(
            &serde_json::json!({"status": "ok", "service": "ingest-gateway"}),
            200,
        ),
        (_, "/healthz", _) => Err(Problem::method_not_allowed("GET, HEAD")),
        (_, _, Some("/batch")) => {
            if method != Some(Method::Post) {
                return Err(Problem::method_not_allowed("POST"));
            }
            let identity = access::authenticate(&req, env).await?;
            let feed = access::feed_label(&identity);
            body::require_json(&req)?;
            let bytes = body::read_limited(&mut req, BATCH_LIMIT_BYTES).await?;
            feed_signature::check(&req, env, &feed, &bytes)?;
            batch::handle(env, &objects::Sender::of(&req, feed), &bytes).await
        }
        (_, _, Some("/odf")) => odf::route(req, env).await,
        (_, _, Some(rest)) => {
            // The route and method are checked before the token, so a wrong one is a 404 or 405 with or
            // without credentials; nothing else is read before the token is.
            EventRoute::allow(method, rest, Exposure::Ingest)
                .map_err(|err| not_found_here(err, &path))?;
            let identity = access::authenticate(&req, env).await?;
            let feed = access::feed_label(&identity);
            let query = req.url().or_internal("read the request URL")?;
            let request =
                EventRequest::parse(method, rest, query.query().unwrap_or(""), Exposure::Ingest)
                    .map_err(|err| not_found_here(err, &path))?;
            match request.route {
                EventRoute::Write(kind) => {
                    body::require_json(&req)?;
                    let bytes = body::read_limited(&mut req, MESSAGE_LIMIT_BYTES).await?;
                    feed_signature::check(&req, env, &feed, &bytes)?;
                    let sender = objects::Sender::of(&req, feed.clone());
                    let receipt = objects::write(env, &request.event, kind, bytes, &sender).await?;
                    tracing::info!(
                        feed = %feed,
                        event = request.event.as_str(),
                        kind = kind.as_str(),
                        outcome = receipt.outcome.as_str(),
                        "message accepted"
                    );
                    objects::receipt_response(&receipt)
                }
                _ => objects::read(env, &request).await,
            }
        }
        _ => Err(Problem::not_found(format!("no route {path}"))),
    }
}

/// A refused route, naming the public path the feed used.
pub fn not_found_here(err: wire::api::RouteError, path: &str) -> Problem {
    match err {
        wire::api::RouteError::NoRoute { .. } => {
            Problem::not_found(format!("no ingest route {path}"))
        }
        other => other.into(),
    }
}
