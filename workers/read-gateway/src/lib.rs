//! The read gateway: everything the public sees. It only reads: its bindings are the event, relay and
//! standings objects, and the rate limiter.
//!
//! How a read flows (`GET /v1/events/ALPMDOWNHILL/leaderboard?limit=50`): a `GET` whose exact URL this
//! isolate answered within its `max-age` is served from memory, after the rate limit, before any routing
//! (the path of nearly every request for a hot page). Otherwise [`routes`] checks the method, the rate
//! limit (300 per IP per 10 s) and the route, turning it into a typed object route whose codes and query
//! are already checked; [`cache`] looks the URL up in the data centre's cache and, on a miss, asks the object
//! (which reads only memory and chooses `Cache-Control` and `ETag`), keeps the answer in both caches for its
//! `max-age`, and answers it, or a 304.
//!
//! - [`isolate_cache`]: answers this isolate served recently, the path nearly every request takes.
//! - [`routes`]: the route table, for everything else.
//! - [`cache`]: the edge cache in front of the objects, and conditional requests.
//! - [`objects`], [`schedule`]: what each route asks of the objects.
//! - [`live`]: viewers' sockets handed to the object that owns the data, or to its relays.
//! - [`site`], [`openapi`]: the website and the API's description.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod bindings;
mod cache;
mod cors;
mod isolate_cache;
mod live;
mod objects;
mod openapi;
mod rate_limit;
mod routes;
mod schedule;
mod site;
mod traffic;

use tracing::Instrument;
use worker::worker_sys::web_sys;
use worker::{Context, Env, Headers, Request, Result, event};

#[event(fetch)]
pub async fn fetch(raw: web_sys::Request, env: Env, ctx: Context) -> Result<web_sys::Response> {
    edge::log::init("read-gateway");
    let headers = Headers(raw.headers());
    // CORS headers go on errors too, so a browser page can read a 429's or a 400's problem body.
    let origin = cors::allowed_origin(&headers, &env);
    if raw.method() == "GET"
        && let Some(entry) = isolate_cache::lookup(&raw.url())
    {
        if let Err(problem) = rate_limit::check(&headers, &env).await {
            return answer(Err(problem), &raw.url(), origin.as_deref());
        }
        // The limiter may have taken a moment: the entry must still be fresh when it is served.
        if entry.is_fresh(js_sys::Date::now()) {
            let wanted = headers.get("if-none-match").ok().flatten();
            let response = entry.answer(wanted.as_deref(), origin.as_deref())?;
            if let Ok(url) = worker::Url::parse(&raw.url()) {
                let counted = traffic::count_memory(url.path(), response.status(), now_ms());
                report(&env, &ctx, counted);
            }
            return Ok(response);
        }
        let req = Request::from(raw);
        let request_id = edge::log::request_id_from_edge(req.headers());
        let path = req.path();
        let span = edge::log::request(&request_id);
        let result = routes::route(req, &env).instrument(span.clone()).await;
        let _in_request = span.enter();
        count(&env, &ctx, &request_id, &path, &result);
        return answer(result, &path, origin.as_deref());
    }
    // Past the memory path: a request span, so what this request logs and asks of objects carries its id.
    let req = Request::from(raw);
    let request_id = edge::log::request_id_from_edge(req.headers());
    let path = req.path();
    let span = edge::log::request(&request_id);
    let result = routes::handle(req, &env).instrument(span.clone()).await;
    let _in_request = span.enter();
    count(&env, &ctx, &request_id, &path, &result);
    answer(result, &path, origin.as_deref())
}

/// Counts a routed answer for the operators' traffic stats.
fn count(
    env: &Env,
    ctx: &Context,
    request_id: &str,
    path: &str,
    result: &std::result::Result<worker::Response, edge::Problem>,
) {
    let (status, stale, published) = match result {
        Ok(response) => {
            let has = |name: &str| response.headers().has(name).unwrap_or(false);
            (
                response.status_code(),
                has(wire::docs::STALE_HEADER),
                has(objects::SOURCE_HEADER),
            )
        }
        Err(problem) => (problem.status, false, false),
    };
    report(
        env,
        ctx,
        traffic::count(request_id, path, status, stale, published, now_ms()),
    );
}

/// Sends a due traffic report on the analytics Queue, after the response.
fn report(env: &Env, ctx: &Context, due: Option<wire::analytics::ReadCounts>) {
    let Some(counts) = due else { return };
    let Ok(queue) = env.queue(bindings::ANALYTICS_QUEUE) else {
        tracing::warn!("no analytics queue: read counts dropped");
        return;
    };
    let bytes = counts.to_msgpack();
    ctx.wait_until(async move {
        let message =
            worker::RawMessageBuilder::new(js_sys::Uint8Array::from(bytes.as_slice()).into())
                .build_with_content_type(worker::QueueContentType::V8);
        if let Err(error) = queue.send_raw(message).await {
            tracing::warn!(error = %error, "read counts not sent");
        }
    });
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A routed result as the response to send: problems rendered, security and CORS headers on.
fn answer(
    result: std::result::Result<worker::Response, edge::Problem>,
    path: &str,
    origin: Option<&str>,
) -> Result<web_sys::Response> {
    let response = edge::respond::finish(result, path)?;
    Ok(cors::decorate(origin, response).into())
}
