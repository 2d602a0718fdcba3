//! The caches in front of the Durable Objects, and conditional requests.
//!
//! Responses carry the `Cache-Control` and `ETag` their source chose (an event object knows whether its
//! data is live or official). A cacheable answer is kept twice: in this isolate's memory
//! ([`crate::isolate_cache`], which answers most requests without leaving the isolate) and in the data
//! centre's cache (`caches.default`) under its full URL, which the other isolates of the data centre
//! share. So a hot leaderboard is computed about once a second per data centre however many viewers ask.
//! `If-None-Match` is answered with 304 from whichever copy is at hand.

use edge::OrInternal;
use edge::Problem;
use worker::{Cache, Headers, Request, Response};

use crate::isolate_cache::{self, Entry};

/// Serves `req` from the caches, or from `origin` (and caches that answer if it may be cached).
pub async fn through_cache<F>(req: &Request, origin: F) -> Result<Response, Problem>
where
    F: std::future::Future<Output = Result<Response, Problem>>,
{
    let url = req.url().or_internal("read the request URL")?.to_string();
    let cache = Cache::default();
    if let Ok(Some(mut hit)) = cache.get(url.as_str(), false).await {
        crate::traffic::served_from(crate::traffic::outcome::EDGE);
        let Some(stored_at) = header(&hit, isolate_cache::STORED_AT_HEADER)
            .and_then(|ms| ms.parse::<f64>().ok())
            .filter(|_| hit.status_code() == 200)
        else {
            // A copy without its time is served as it is, and not kept in memory.
            return conditional(req, hit);
        };
        let body = hit.bytes().await.or_internal("read a cached body")?;
        return match isolate_cache::store(&url, &body, hit.headers(), stored_at) {
            Some(entry) => serve(req, &entry),
            // Not kept (its max-age ran out while it was read, or it is too large for memory): served
            // as the edge cache gave it.
            None => conditional(req, from_bytes(body, hit.headers())?),
        };
    }
    crate::traffic::served_from(crate::traffic::outcome::ORIGIN);
    let mut fresh = ready_to_serve(origin.await?)?;
    if fresh.status_code() != 200 || !is_cacheable(&fresh) {
        return conditional(req, fresh);
    }
    let fetched_at = js_sys::Date::now();
    let body = fresh.bytes().await.or_internal("read a cached body")?;
    match edge_copy(&body, fresh.headers(), fetched_at) {
        Ok(copy) => {
            if let Err(err) = cache.put(url.as_str(), copy).await {
                tracing::warn!(url = %url, cause = %err, "cache put failed");
            }
        }
        Err(err) => tracing::warn!(cause = %err, "could not copy a response for the cache"),
    }
    match isolate_cache::store(&url, &body, fresh.headers(), fetched_at) {
        Some(entry) => serve(req, &entry),
        None => conditional(req, from_bytes(body, fresh.headers())?),
    }
}

/// A response of `body` (already read from the one it came from) with that response's headers, less
/// the caches' own.
fn from_bytes(body: Vec<u8>, headers: &Headers) -> Result<Response, Problem> {
    let copy = Headers::new();
    for (name, value) in headers.entries() {
        if name != isolate_cache::STORED_AT_HEADER && name != edge::log::REQUEST_ID_HEADER {
            copy.append(&name, &value).or_internal("copy a header")?;
        }
    }
    Response::from_bytes(body)
        .map(|response| response.with_headers(copy))
        .or_internal("build the answer from its body")
}

/// The answer from a kept entry (CORS is added by the caller, as for every routed answer).
fn serve(req: &Request, entry: &Entry) -> Result<Response, Problem> {
    let wanted = req.headers().get("if-none-match").ok().flatten();
    entry
        .answer(wanted.as_deref(), None)
        .map(Response::from)
        .or_internal("answer from memory")
}

/// The copy kept at the edge lives exactly `max-age`: `stale-while-revalidate` is for browsers and the
/// CDN, which refresh in the background; the edge cache would instead keep serving the stale copy.
/// It carries the time it was stored, so copies taken from it in memory expire with it.
fn edge_copy(body: &[u8], headers: &Headers, stored_at_ms: f64) -> worker::Result<Response> {
    let copy: Headers = headers.entries().collect();
    if let Some(cache_control) = copy.get("cache-control")? {
        let kept: Vec<&str> = cache_control
            .split(',')
            .map(str::trim)
            .filter(|directive| !directive.starts_with("stale-while-revalidate"))
            .collect();
        copy.set("cache-control", &kept.join(", "))?;
    }
    // The id of the request that fetched it is not the id of the requests it will answer.
    copy.delete(edge::log::REQUEST_ID_HEADER)?;
    copy.set(isolate_cache::STORED_AT_HEADER, &format!("{stored_at_ms}"))?;
    Ok(Response::from_bytes(body.to_vec())?.with_headers(copy))
}

fn ready_to_serve(response: Response) -> Result<Response, Problem> {
    let response = edge::respond::secured(response).or_internal("add the security headers")?;
    if header(&response, "vary").is_some_and(|v| v.contains("origin")) {
        return Ok(response);
    }
    let headers: worker::Headers = response.headers().entries().collect();
    headers
        .append("vary", "origin")
        .or_internal("add the vary header")?;
    Ok(response.with_headers(headers))
}

fn header(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).ok().flatten()
}

fn is_cacheable(response: &Response) -> bool {
    header(response, "cache-control")
        .is_some_and(|cc| cc.contains("public") && !cc.contains("no-store"))
}

/// `response`, or 304 when the client already holds it.
pub fn conditional(req: &Request, response: Response) -> Result<Response, Problem> {
    let wanted = req.headers().get("if-none-match").ok().flatten();
    match header(&response, "etag") {
        Some(etag) if matches_etag(wanted.as_deref(), &etag) => not_modified_response(&response),
        _ => Ok(response),
    }
}

/// True when `If-None-Match` names `etag` (RFC 9110 weak comparison, as for GET).
pub fn matches_etag(if_none_match: Option<&str>, etag: &str) -> bool {
    let Some(wanted) = if_none_match else {
        return false;
    };
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    wanted
        .split(',')
        .any(|candidate| candidate.trim() == "*" || bare(candidate) == bare(etag))
}

fn not_modified_response(original: &Response) -> Result<Response, Problem> {
    let headers = worker::Headers::new();
    for name in ["etag", "cache-control", "vary"] {
        if let Some(value) = header(original, name) {
            headers.set(name, &value).or_internal("set a header")?;
        }
    }
    Response::empty()
        .map(|r| r.with_status(304).with_headers(headers))
        .or_internal("build a 304")
}

#[cfg(test)]
mod tests {
    use super::matches_etag;

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        assert!(matches_etag(Some("\"v7\""), "\"v7\""));
        assert!(matches_etag(Some("W/\"v7\""), "\"v7\""));
        assert!(matches_etag(Some("\"v6\", \"v7\""), "W/\"v7\""));
        assert!(matches_etag(Some("*"), "\"v7\""));
        assert!(!matches_etag(Some("\"v6\""), "\"v7\""));
        assert!(!matches_etag(None, "\"v7\""));
    }
}
