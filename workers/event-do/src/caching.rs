//! The caching headers the objects put on their reads: the object knows whether its data is live or
//! official, so it chooses how long shared caches may keep it.

use edge::OrInternal;
use edge::Problem;
use worker::Response;

/// Live data may be cached for a second. Official data for half a minute, not longer: an OFFICIAL result
/// can still be corrected, and a correction must reach viewers quickly.
pub fn max_age(settled: bool) -> u32 {
    if settled { 30 } else { 1 }
}

/// Shared caches may keep an answer `max_age` seconds, and serve it stale a while longer while they
/// refresh.
pub fn cache_control(max_age: u32) -> String {
    format!(
        "public, max-age={max_age}, stale-while-revalidate={}",
        max_age.saturating_mul(2).max(2)
    )
}

/// Sets `Cache-Control` (shared caches may keep it `max_age` seconds, and serve it stale a while longer
/// while they refresh) and a strong `ETag` from the version of the data behind the answer: under one
/// URL, one version always renders the same bytes.
pub fn cacheable(response: Response, version: u64, max_age: u32) -> Result<Response, Problem> {
    let headers: worker::Headers = response.headers().entries().collect();
    headers
        .set("cache-control", &cache_control(max_age))
        .and_then(|_| headers.set("etag", &format!("\"v{version}\"")))
        .or_internal("set the caching headers")?;
    Ok(response.with_headers(headers))
}
