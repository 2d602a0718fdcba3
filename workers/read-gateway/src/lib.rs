//! The read gateway: everything the public sees. It only reads: its bindings are the event, relay and
//! standings objects, and the rate limiter.
//!
//! - [`isolate_cache`]: answers this isolate served recently, the path nearly every request takes.
//! - [`routes`]: the route table, for everything else.
//! - [`cache`]: the edge cache in front of the objects, and conditional requests.
//! - [`events`], [`standings`], [`schedule`]: what each route asks of the objects.
//! - [`live`]: viewers' sockets handed to the object that owns the data, or to its relays.
//! - [`site`], [`openapi`]: the website and the API's description.

mod bindings;
mod cache;
mod cors;
mod events;
mod isolate_cache;
mod live;
mod openapi;
mod rate_limit;
mod routes;
mod schedule;
mod site;
mod standings;

use worker::worker_sys::web_sys;
use worker::{Context, Env, Headers, Request, Result, event};

#[event(fetch)]
pub async fn fetch(raw: web_sys::Request, env: Env, _ctx: Context) -> Result<web_sys::Response> {
    let headers = Headers(raw.headers());
    // CORS headers go on errors too, so a browser page can read a 429's or a 400's problem body.
    let origin = cors::allowed_origin(&headers, &env);
    if raw.method() == "GET"
        && let Some(entry) = isolate_cache::lookup(&raw.url())
    {
        return match rate_limit::check(&headers, &env).await {
            Ok(()) => hot(&headers, &entry, origin.as_deref()),
            Err(problem) => {
                let response = edge::respond::finish(Err(problem), &raw.url())?;
                Ok(cors::decorate(origin.as_deref(), response).into())
            }
        };
    }
    let req = Request::from(raw);
    let path = req.path();
    let response = edge::respond::finish(routes::handle(req, &env).await, &path)?;
    Ok(cors::decorate(origin.as_deref(), response).into())
}

/// A request for an answer this isolate holds: no routing, no object, no edge cache. The entry was
/// stored from a 200 of the same URL, which the route table had checked.
fn hot(
    headers: &Headers,
    entry: &isolate_cache::Entry,
    origin: Option<&str>,
) -> Result<web_sys::Response> {
    let wanted = headers.get("if-none-match").ok().flatten();
    match entry.etag() {
        Some(etag) if cache::matches_etag(wanted.as_deref(), etag) => entry.not_modified(origin),
        _ => entry.response(origin),
    }
}
