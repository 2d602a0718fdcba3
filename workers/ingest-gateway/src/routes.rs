//! The route table: every path this Worker answers, and nothing else.

use domain::EventCode;
use edge::{Problem, body};
use worker::{Env, Method, Request, Response};

use crate::{access, batch, feed_signature, forward, problems};

/// One results message for a 1,000-competitor unit is about 150 KB of JSON; leave room, refuse more.
pub const MESSAGE_LIMIT_BYTES: usize = 256 * 1024;
pub const BATCH_LIMIT_BYTES: usize = 1024 * 1024;

pub async fn handle(mut req: Request, env: &Env) -> Result<Response, Problem> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (req.method(), segments.as_slice()) {
        (Method::Get | Method::Head, ["healthz"]) => edge::respond::json(
            &serde_json::json!({"status": "ok", "service": "ingest-gateway"}),
            200,
        ),
        (_, ["healthz"]) => Err(Problem::method_not_allowed("GET, HEAD")),
        (method, ["v1", "ingest", rest @ ..]) => {
            let (allowed, allow_header) = allowed_methods(rest)
                .ok_or_else(|| Problem::not_found(format!("no ingest route {path}")))?;
            if !allowed.contains(&method) {
                return Err(Problem::method_not_allowed(allow_header));
            }
            // Authenticate before reading a byte of the body.
            let identity = access::authenticate(&req, env).await?;
            let feed = access::feed_label(&identity);
            match (method, rest) {
                (Method::Post, ["batch"]) => {
                    body::require_json(&req)?;
                    let bytes = body::read_limited(&mut req, BATCH_LIMIT_BYTES).await?;
                    feed_signature::check(&req, env, &feed, &bytes)?;
                    batch::handle(env, &feed, &bytes).await
                }
                (method, ["events", code, tail @ ..]) => {
                    let event = event_code(code)?;
                    let target = forward::Target::for_path(&method, tail)
                        .ok_or_else(|| Problem::not_found(format!("no ingest route {path}")))?;
                    let bytes = if target.has_body() {
                        body::require_json(&req)?;
                        let bytes = body::read_limited(&mut req, MESSAGE_LIMIT_BYTES).await?;
                        feed_signature::check(&req, env, &feed, &bytes)?;
                        Some(bytes)
                    } else {
                        None
                    };
                    let query = req
                        .url()
                        .map_err(|_| Problem::internal())?
                        .query()
                        .map(|q| format!("?{q}"))
                        .unwrap_or_default();
                    forward::send(env, &event, target, bytes, &query, &feed).await
                }
                _ => Err(Problem::not_found(format!("no ingest route {path}"))),
            }
        }
        _ => Err(Problem::not_found(format!("no route {path}"))),
    }
}

/// Which methods a path under `/v1/ingest/` accepts (and the `Allow` header saying so), so a wrong
/// method is a 405 and not a 404.
fn allowed_methods(rest: &[&str]) -> Option<(&'static [Method], &'static str)> {
    match rest {
        ["batch"] => Some((&[Method::Post], "POST")),
        ["events", _] => Some((&[Method::Put, Method::Get], "GET, PUT")),
        ["events", _, "results"] | ["events", _, "games"] => Some((&[Method::Post], "POST")),
        ["events", _, "audit"] => Some((&[Method::Get], "GET")),
        _ => None,
    }
}

pub fn event_code(code: &str) -> Result<EventCode, Problem> {
    code.parse::<EventCode>()
        .map_err(|err| problems::bad_event_code(code, err))
}
