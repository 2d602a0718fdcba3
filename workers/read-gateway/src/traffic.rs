//! Read traffic for the operators' stats: every answer counted in this isolate by route template, status
//! and where it came from, and the tally sent on the analytics Queue at most every [`REPORT_EVERY_MS`]
//! (after the response, in `wait_until`). A message per read would cost more in Queue operations than
//! the reads themselves; a tally per isolate per interval costs nothing that shows on the bill.
//!
//! Routes are counted by template (`/v1/events/{event}/leaderboard`), and anything outside the route
//! table as `other`, so a client inventing paths cannot grow the tally or the table it lands in.

use std::cell::RefCell;
use std::collections::HashMap;

use edge::tally::{Tally, Window};

use wire::analytics::{ReadCount, ReadCounts};

pub const REPORT_EVERY_MS: u64 = 10_000;

/// Where an answer came from.
pub mod outcome {
    /// This isolate's memory (`isolate_cache`).
    pub const MEMORY: &str = "memory";
    /// The data centre's cache.
    pub const EDGE: &str = "edge";
    /// The object that owns the data.
    pub const ORIGIN: &str = "origin";
    /// A hot document as its object published it.
    pub const PUBLISHED: &str = "published";
    /// The KV snapshot, because the object failed.
    pub const STALE: &str = "stale";
    /// Not from a cache: a refusal, a socket, the site.
    pub const NONE: &str = "none";
}

/// The template of a public path: bounded, whatever the client sends.
pub fn template(path: &str) -> &'static str {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] => "/",
        ["healthz"] => "/healthz",
        ["v1", "openapi.json"] => "/v1/openapi.json",
        ["v1", "events"] => "/v1/events",
        ["v1", "events", _] => "/v1/events/{event}",
        ["v1", "events", _, "leaderboard"] => "/v1/events/{event}/leaderboard",
        ["v1", "events", _, "live"] => "/v1/events/{event}/live",
        ["v1", "medals"] => "/v1/medals",
        ["v1", "medals", "athletes"] => "/v1/medals/athletes",
        ["v1", "nocs", _] => "/v1/nocs/{noc}",
        ["v1", "athletes", _] => "/v1/athletes/{athlete}",
        ["v1", "schedule"] => "/v1/schedule",
        ["v1", "schedule", _] => "/v1/schedule/{day}",
        ["v1", "live", "medals"] => "/v1/live/medals",
        _ => "other",
    }
}

/// Route template, status and where the answer came from.
type Key = (&'static str, u16, &'static str);

thread_local! {
    static TALLY: RefCell<Tally<Key>> = const { RefCell::new(Tally::every(REPORT_EVERY_MS)) };
    /// The cache outcome of requests in flight, by request id (requests interleave in an isolate).
    static OUTCOMES: RefCell<HashMap<String, &'static str>> = RefCell::new(HashMap::new());
}

/// Notes where the current request's answer came from (the caches know; the counter runs later).
pub fn served_from(cache: &'static str) {
    if let Some(id) = edge::log::current_request_id() {
        OUTCOMES.with(|outcomes| outcomes.borrow_mut().insert(id, cache));
    }
}

/// Counts an answer of the memory path, which has no request id.
pub fn count_memory(path: &str, status: u16, now_ms: u64) -> Option<ReadCounts> {
    settle_key((template(path), status, outcome::MEMORY), now_ms)
}

/// Counts a routed answer: its outcome is the one noted for `request_id`, or read from its headers.
pub fn count(
    request_id: &str,
    path: &str,
    status: u16,
    stale: bool,
    published: bool,
    now_ms: u64,
) -> Option<ReadCounts> {
    let noted = OUTCOMES.with(|outcomes| outcomes.borrow_mut().remove(request_id));
    let cache = if stale {
        outcome::STALE
    } else if published {
        outcome::PUBLISHED
    } else {
        noted.unwrap_or(outcome::NONE)
    };
    settle_key((template(path), status, cache), now_ms)
}

fn settle_key(key: Key, now_ms: u64) -> Option<ReadCounts> {
    TALLY.with(|tally| {
        let mut tally = tally.borrow_mut();
        tally.count(key, now_ms);
        tally
            .due(now_ms)
            .map(|window| report(window, edge::log::new_request_id()))
    })
}

fn report(window: Window<Key>, id: String) -> ReadCounts {
    let counts = window
        .counts
        .into_iter()
        .map(|((route, status, cache), count)| ReadCount {
            route: route.into(),
            status,
            cache: cache.into(),
            count,
        })
        .collect();
    ReadCounts::new(id, window.from_ms, window.to_ms, counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_count_under_their_template_and_invented_ones_under_other() {
        assert_eq!(
            template("/v1/events/ALPMDOWNHILL/leaderboard"),
            "/v1/events/{event}/leaderboard"
        );
        assert_eq!(template("/v1/events/ALPMDOWNHILL"), "/v1/events/{event}");
        assert_eq!(template("/v1/nocs/NOR"), "/v1/nocs/{noc}");
        assert_eq!(template("/v1/schedule/2026-02-07"), "/v1/schedule/{day}");
        assert_eq!(template("/"), "/");
        assert_eq!(template("/wp-admin/x/y/z"), "other");
        assert_eq!(template("/v1/events/A/B/C"), "other");
    }

    #[test]
    fn a_window_becomes_read_counts() {
        let window = Window {
            from_ms: 50_000,
            to_ms: 50_003,
            counts: vec![
                (("/v1/medals", 200, outcome::MEMORY), 2),
                (("/v1/medals", 304, outcome::EDGE), 1),
            ],
        };
        let counts = report(window, "a".into());
        assert_eq!(counts.kind, wire::analytics::READS_KIND);
        assert_eq!(
            (counts.id.as_str(), counts.from_ms, counts.to_ms),
            ("a", 50_000, 50_003)
        );
        let rows: Vec<_> = counts
            .counts
            .iter()
            .map(|c| (c.status, c.cache.as_str(), c.count))
            .collect();
        assert_eq!(rows, [(200, "memory", 2), (304, "edge", 1)]);
    }
}
