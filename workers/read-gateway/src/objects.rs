//! Reads of the objects that hold the data: an event object for its event, the standings object for the
//! Games-wide views. Their answers (with the `Cache-Control` and `ETag` they chose) are handed on as they
//! are; the edge cache in front ([`crate::cache`]) keeps them.
//!
//! A read of a hot document survives a failing object: when the object errs (5xx), cannot be reached, or
//! does not answer within [`OBJECT_TIMEOUT_MS`], the document's last published snapshot is answered from
//! KV instead, marked stale and not cached, so the next read tries the object again.

use std::time::Duration;

use edge::Problem;
use futures_util::future::{Either, select};
use wire::api::{Call, Relayed};
use wire::docs::{HotDoc, STALE_HEADER};
use worker::{Delay, Env, Headers, Response};

use crate::bindings;

/// Says a hot document was answered as published (the local stand-in for the CDN).
pub const SOURCE_HEADER: &str = "x-olympic-source";

/// How long a read waits for an object before it answers from the snapshot (when there is one).
const OBJECT_TIMEOUT_MS: u64 = 3_000;
const UNAVAILABLE: &str = "the data could not be reached; retry shortly";

/// A read answered by the object, or by the snapshot of `doc` when the object fails.
pub async fn read(
    env: &Env,
    call: Call<Relayed>,
    doc: Option<HotDoc>,
) -> Result<Response, Problem> {
    let Some(doc) = doc else {
        return relay(env, call).await;
    };
    let objects = bindings::objects(env);
    let asked = Box::pin(objects.relay(call));
    let timeout = Box::pin(Delay::from(Duration::from_millis(OBJECT_TIMEOUT_MS)));
    let failure = match select(asked, timeout).await {
        Either::Left((Ok(response), _)) if response.status_code() < 500 => return Ok(response),
        Either::Left((Ok(response), _)) => Problem::unavailable(UNAVAILABLE)
            .because(format!("the object answered {}", response.status_code())),
        Either::Left((Err(err), _)) => err.into_problem(UNAVAILABLE),
        Either::Right(_) => Problem::unavailable(UNAVAILABLE).because(format!(
            "the object did not answer within {OBJECT_TIMEOUT_MS} ms"
        )),
    };
    match snapshot(env, &doc).await {
        Some(stale) => {
            tracing::warn!(
                path = %doc.path(),
                cause = failure.cause.as_deref().unwrap_or(""),
                "answered from the snapshot: the object failed"
            );
            Ok(stale)
        }
        None => Err(failure),
    }
}

async fn relay(env: &Env, call: Call<Relayed>) -> Result<Response, Problem> {
    bindings::objects(env)
        .relay(call)
        .await
        .map_err(|err| err.into_problem(UNAVAILABLE))
}

/// The document's snapshot from KV, marked stale, never cached.
async fn snapshot(env: &Env, doc: &HotDoc) -> Option<Response> {
    let body = env
        .kv(bindings::SNAPSHOTS)
        .ok()?
        .get(&doc.key())
        .text()
        .await
        .ok()
        .flatten()?;
    let headers = Headers::new();
    headers
        .set("content-type", "application/json; charset=utf-8")
        .and_then(|_| headers.set("cache-control", "no-store"))
        .and_then(|_| headers.set(STALE_HEADER, "1"))
        .ok()?;
    Response::ok(body).ok().map(|r| r.with_headers(headers))
}

/// The published copy of a hot document, from the public bucket, as the CDN would serve it.
pub async fn published(env: &Env, doc: &HotDoc) -> Option<Response> {
    let object = env
        .bucket(bindings::PUBLIC_DOCS)
        .ok()?
        .get(doc.key())
        .execute()
        .await
        .ok()
        .flatten()?;
    let metadata = object.http_metadata();
    let etag = object.custom_metadata().ok()?.get("etag").cloned();
    let body = object.body()?.bytes().await.ok()?;
    let headers = Headers::new();
    let set = |name: &str, value: Option<String>| match value {
        Some(value) => headers.set(name, &value),
        None => Ok(()),
    };
    set("content-type", metadata.content_type)
        .and_then(|_| set("cache-control", metadata.cache_control))
        .and_then(|_| set("etag", etag))
        // Only locally: in production the CDN answers these, and no Worker sees them.
        .and_then(|_| set(SOURCE_HEADER, Some("published".into())))
        .ok()?;
    Response::from_bytes(body)
        .ok()
        .map(|r| r.with_headers(headers))
}
