//! The edge cache in front of the Durable Objects, and conditional requests.
//!
//! Responses carry the `Cache-Control` and `ETag` their source chose (an event object knows whether its
//! data is live or official). Cacheable answers are kept in the data centre's cache (`caches.default`)
//! under their full URL, so a hot leaderboard is computed about once a second per data centre however
//! many viewers ask. `If-None-Match` is answered with 304 from whichever copy is at hand.

use edge::Problem;
use worker::{Cache, Request, Response};

/// Serves `req` from the cache, or from `origin` (and caches that answer if it may be cached).
pub async fn through_cache<F>(req: &Request, origin: F) -> Result<Response, Problem>
where
    F: std::future::Future<Output = Result<Response, Problem>>,
{
    let url = req.url().map_err(|_| Problem::internal())?.to_string();
    let cache = Cache::default();
    let mut response = match cache.get(url.as_str(), false).await {
        Ok(Some(hit)) => hit,
        _ => {
            // Stored with its final headers (security, Vary), so a hit is served without touching them.
            let mut fresh = ready_to_serve(origin.await?)?;
            if fresh.status_code() == 200 && is_cacheable(&fresh) {
                match fresh.cloned().and_then(for_edge_cache) {
                    Ok(copy) => {
                        if let Err(err) = cache.put(url.as_str(), copy).await {
                            worker::console_warn!("cache put failed for {url}: {err}");
                        }
                    }
                    Err(err) => {
                        worker::console_warn!("could not copy a response for the cache: {err}")
                    }
                }
            }
            fresh
        }
    };
    if not_modified(req, &response) {
        response = not_modified_response(&response)?;
    }
    Ok(response)
}

/// The copy kept at the edge lives exactly `max-age`: `stale-while-revalidate` is for browsers and the
/// CDN, which refresh in the background; the edge cache would instead keep serving the stale copy.
fn for_edge_cache(copy: Response) -> worker::Result<Response> {
    let headers: worker::Headers = copy.headers().entries().collect();
    if let Some(cache_control) = headers.get("cache-control")? {
        let kept: Vec<&str> = cache_control
            .split(',')
            .map(str::trim)
            .filter(|directive| !directive.starts_with("stale-while-revalidate"))
            .collect();
        headers.set("cache-control", &kept.join(", "))?;
    }
    Ok(copy.with_headers(headers))
}

fn ready_to_serve(response: Response) -> Result<Response, Problem> {
    let response = edge::respond::secured(response).map_err(|_| Problem::internal())?;
    if header(&response, "vary").is_some_and(|v| v.contains("origin")) {
        return Ok(response);
    }
    let headers: worker::Headers = response.headers().entries().collect();
    headers
        .append("vary", "origin")
        .map_err(|_| Problem::internal())?;
    Ok(response.with_headers(headers))
}

fn header(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).ok().flatten()
}

fn is_cacheable(response: &Response) -> bool {
    header(response, "cache-control")
        .is_some_and(|cc| cc.contains("public") && !cc.contains("no-store"))
}

/// True when the client already holds this representation (RFC 9110 weak comparison for GET).
fn not_modified(req: &Request, response: &Response) -> bool {
    let Some(etag) = header(response, "etag") else {
        return false;
    };
    let Some(wanted) = req.headers().get("if-none-match").ok().flatten() else {
        return false;
    };
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    wanted
        .split(',')
        .any(|candidate| candidate.trim() == "*" || bare(candidate) == bare(&etag))
}

fn not_modified_response(original: &Response) -> Result<Response, Problem> {
    let headers = worker::Headers::new();
    for name in ["etag", "cache-control", "vary"] {
        if let Some(value) = header(original, name) {
            headers.set(name, &value).map_err(|_| Problem::internal())?;
        }
    }
    Response::empty()
        .map(|r| r.with_status(304).with_headers(headers))
        .map_err(|_| Problem::internal())
}
