//! The first cache a request meets: the answers this isolate served recently, held in memory until the
//! `max-age` their source gave them runs out.
//!
//! Nearly every request is for a handful of hot pages (the leaderboards of the events running now), and
//! each of them changes at most once a second. Asking `caches.default` costs a round trip to the data
//! centre's cache on every request; this map answers from the isolate without leaving it, building the
//! response from a body and headers kept on the JavaScript side, so a hit crosses the wasm boundary only
//! a few times and copies nothing into wasm memory.
//!
//! Freshness is the edge cache's: an entry expires when the copy it was made from would (the origin's
//! answer `max-age` after it was fetched; an edge copy `max-age` after it was stored, read from
//! [`STORED_AT_HEADER`]). So a viewer never sees an older answer than the edge cache alone would give.
//! Memory is bounded in entries and bytes; expired entries go first, then the least recently used, so the
//! hot live pages (which expire every second) stay while rarely asked query variants make way.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::Uint8Array;
use worker::worker_sys::web_sys;

/// Set on the copy kept in the edge cache: when it was stored (ms since the epoch), so a copy taken
/// from it in memory does not outlive it. Never sent to clients: responses are built from entries,
/// which leave it out.
pub const STORED_AT_HEADER: &str = "x-olympic-stored-at";

/// Enough for every live leaderboard and page of a busy day several times over.
const MAX_ENTRIES: usize = 512;
/// Kept on the JavaScript heap (an isolate has 128 MB), not in wasm memory, which never shrinks.
const MAX_BYTES: usize = 16 * 1024 * 1024;
/// Longer lifetimes (catalogue pages) are cut to this: an isolate's copy is refreshed from the edge.
const MAX_TTL_MS: f64 = 60_000.0;

/// One answer, ready to serve again.
pub struct Entry {
    body: Uint8Array,
    headers: web_sys::Headers,
    etag: Option<String>,
    cache_control: String,
    expires_at_ms: f64,
    size: usize,
    last_used_ms: Cell<f64>,
}

thread_local! {
    static ENTRIES: RefCell<HashMap<String, Rc<Entry>>> = RefCell::new(HashMap::new());
}

/// The entry for `url`, if there is one that has not expired.
pub fn lookup(url: &str) -> Option<Rc<Entry>> {
    let now = js_sys::Date::now();
    ENTRIES.with(|entries| {
        let entries = entries.borrow();
        let entry = entries.get(url).filter(|entry| entry.is_fresh(now))?;
        entry.last_used_ms.set(now);
        Some(Rc::clone(entry))
    })
}

/// Keeps a 200 answer with `body` and `headers` until its `max-age` (counted from `fetched_at_ms`)
/// runs out, and returns the entry to serve it from. None when the answer may not be kept.
pub fn store(
    url: &str,
    body: &[u8],
    headers: &worker::Headers,
    fetched_at_ms: f64,
) -> Option<Rc<Entry>> {
    let cache_control = headers.get("cache-control").ok().flatten()?;
    let ttl_ms = max_age_seconds(&cache_control)? as f64 * 1000.0;
    let expires_at_ms = fetched_at_ms + ttl_ms.min(MAX_TTL_MS);
    if expires_at_ms <= js_sys::Date::now() || body.len() > MAX_BYTES / 8 {
        return None;
    }
    let kept = web_sys::Headers::new().ok()?;
    for (name, value) in headers.entries() {
        // A kept answer serves many requests: the one that fetched it keeps its id to itself.
        if name != STORED_AT_HEADER && name != edge::log::REQUEST_ID_HEADER {
            kept.append(&name, &value).ok()?;
        }
    }
    let entry = Rc::new(Entry {
        body: Uint8Array::from(body),
        headers: kept,
        etag: headers.get("etag").ok().flatten(),
        cache_control,
        expires_at_ms,
        size: body.len() + url.len(),
        last_used_ms: Cell::new(js_sys::Date::now()),
    });
    ENTRIES.with(|entries| {
        let mut entries = entries.borrow_mut();
        entries.insert(url.to_string(), Rc::clone(&entry));
        evict(&mut entries, js_sys::Date::now());
    });
    Some(entry)
}

/// `max-age` of a `Cache-Control` that lets shared caches keep the answer.
fn max_age_seconds(cache_control: &str) -> Option<u64> {
    let directives: Vec<&str> = cache_control.split(',').map(str::trim).collect();
    if !directives.contains(&"public")
        || directives
            .iter()
            .any(|d| matches!(*d, "no-store" | "no-cache" | "private"))
    {
        return None;
    }
    directives
        .iter()
        .find_map(|d| d.strip_prefix("max-age="))
        .and_then(|seconds| seconds.parse().ok())
        .filter(|seconds| *seconds > 0)
}

fn evict(entries: &mut HashMap<String, Rc<Entry>>, now: f64) {
    let used =
        |entries: &HashMap<String, Rc<Entry>>| entries.values().map(|e| e.size).sum::<usize>();
    if entries.len() <= MAX_ENTRIES && used(entries) <= MAX_BYTES {
        return;
    }
    entries.retain(|_, entry| entry.is_fresh(now));
    while entries.len() > MAX_ENTRIES || used(entries) > MAX_BYTES {
        let Some(coldest) = entries
            .iter()
            .min_by(|a, b| a.1.last_used_ms.get().total_cmp(&b.1.last_used_ms.get()))
            .map(|(url, _)| url.clone())
        else {
            return;
        };
        entries.remove(&coldest);
    }
}

impl Entry {
    /// Still within the `max-age` it was kept for.
    pub fn is_fresh(&self, now_ms: f64) -> bool {
        self.expires_at_ms > now_ms
    }

    /// The answer to a client holding `if_none_match`: 304 when it names this entry's `ETag`, else the
    /// body; with the CORS headers for `origin` when the caller's origin is allowed.
    pub fn answer(
        &self,
        if_none_match: Option<&str>,
        origin: Option<&str>,
    ) -> worker::Result<web_sys::Response> {
        match &self.etag {
            Some(etag) if crate::cache::matches_etag(if_none_match, etag) => {
                self.not_modified(origin)
            }
            _ => self.response(origin),
        }
    }

    fn response(&self, origin: Option<&str>) -> worker::Result<web_sys::Response> {
        let init = web_sys::ResponseInit::new();
        init.set_status(200);
        match origin {
            None => init.set_headers_headers(&self.headers),
            Some(origin) => {
                init.set_headers_headers(&crate::cors::with_origin(&self.headers, origin)?)
            }
        }
        Ok(web_sys::Response::new_with_opt_buffer_source_and_init(
            Some(self.body.as_ref()),
            &init,
        )?)
    }

    /// 304 Not Modified, with what RFC 9110 asks a 304 to repeat and the security headers every answer
    /// carries.
    fn not_modified(&self, origin: Option<&str>) -> worker::Result<web_sys::Response> {
        let headers = web_sys::Headers::new()?;
        if let Some(etag) = &self.etag {
            headers.set("etag", etag)?;
        }
        headers.set("cache-control", &self.cache_control)?;
        headers.set("vary", "origin")?;
        let headers = worker::Headers(headers);
        edge::respond::security_headers(&headers)?;
        let headers = headers.0;
        let headers = match origin {
            None => headers,
            Some(origin) => crate::cors::with_origin(&headers, origin)?,
        };
        let init = web_sys::ResponseInit::new();
        init.set_status(304);
        init.set_headers_headers(&headers);
        Ok(web_sys::Response::new_with_opt_str_and_init(None, &init)?)
    }
}

#[cfg(test)]
mod tests {
    use super::max_age_seconds;

    #[test]
    fn only_public_answers_with_a_max_age_are_kept() {
        assert_eq!(
            max_age_seconds("public, max-age=1, stale-while-revalidate=5"),
            Some(1)
        );
        assert_eq!(max_age_seconds("public, max-age=30"), Some(30));
        assert_eq!(max_age_seconds("max-age=30"), None);
        assert_eq!(max_age_seconds("public, no-store, max-age=30"), None);
        assert_eq!(max_age_seconds("public, max-age=0"), None);
        assert_eq!(max_age_seconds("public"), None);
        assert_eq!(max_age_seconds("public, max-age=soon"), None);
    }
}
