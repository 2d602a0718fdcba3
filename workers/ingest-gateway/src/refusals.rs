//! The refusals this gateway answers, counted per feed and problem type for the operators' stats.
//!
//! Counting happens in the isolate, and the tally goes to the analytics Worker at most every
//! [`REPORT_EVERY_MS`] (through the service binding, after the response, in `wait_until`): a feed that
//! sends garbage a thousand times a second costs one small report, not a thousand writes. A tally still
//! waiting when an isolate is evicted is lost; the stats are for operators, not an audit.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use wire::api::analytics::{FeedRefusal, RefusalReport};

/// How often an isolate reports, at most.
pub const REPORT_EVERY_MS: u64 = 5_000;

/// The feed of a request that failed before its token was verified.
pub const UNAUTHENTICATED: &str = "unauthenticated";

/// Refusals counted since the last report.
#[derive(Debug, Default)]
pub struct Tally {
    since_ms: u64,
    last_report_ms: u64,
    counts: BTreeMap<(String, String), u64>,
}

impl Tally {
    pub fn count(&mut self, feed: &str, problem: &str, now_ms: u64) {
        if self.counts.is_empty() {
            self.since_ms = now_ms;
        }
        *self
            .counts
            .entry((feed.to_string(), problem.to_string()))
            .or_default() += 1;
    }

    /// The report to send now, if there is something to say and the last one is old enough.
    pub fn due(&mut self, now_ms: u64, id: impl FnOnce() -> String) -> Option<RefusalReport> {
        if self.counts.is_empty() || now_ms < self.last_report_ms + REPORT_EVERY_MS {
            return None;
        }
        self.last_report_ms = now_ms;
        let counts = std::mem::take(&mut self.counts)
            .into_iter()
            .map(|((feed, problem), count)| FeedRefusal {
                feed,
                problem,
                count,
            })
            .collect();
        Some(RefusalReport {
            id: id(),
            from_ms: self.since_ms,
            to_ms: now_ms,
            counts,
        })
    }
}

thread_local! {
    static TALLY: RefCell<Tally> = RefCell::new(Tally::default());
    /// The feed each request in flight authenticated as, by request id (requests interleave in an isolate).
    static FEEDS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// Notes that the current request authenticated as `feed`.
pub fn identified(feed: &str) {
    if let Some(id) = edge::log::current_request_id() {
        FEEDS.with(|feeds| feeds.borrow_mut().insert(id, feed.to_string()));
    }
}

/// Settles a finished request: a refusal (4xx) is counted under its feed. Returns the report to send, when
/// one is due.
pub fn settle(request_id: &str, refused: Option<&str>, now_ms: u64) -> Option<RefusalReport> {
    let feed = FEEDS.with(|feeds| feeds.borrow_mut().remove(request_id));
    TALLY.with(|tally| {
        let mut tally = tally.borrow_mut();
        if let Some(problem) = refused {
            tally.count(feed.as_deref().unwrap_or(UNAUTHENTICATED), problem, now_ms);
        }
        tally.due(now_ms, edge::log::new_request_id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_tallied_per_feed_and_problem_and_reported_at_most_every_interval() {
        let mut tally = Tally::default();
        assert_eq!(tally.due(1_000_000, || "r0".into()), None, "nothing to say");
        tally.count("service:a", "invalid-field", 1_000_000);
        tally.count("service:a", "invalid-field", 1_000_100);
        tally.count(UNAUTHENTICATED, "unauthorized", 1_000_200);
        let first = tally
            .due(1_000_300, || "r1".into())
            .expect("the first report is due at once");
        assert_eq!(first.id, "r1");
        assert_eq!((first.from_ms, first.to_ms), (1_000_000, 1_000_300));
        assert_eq!(
            first.counts,
            [
                FeedRefusal {
                    feed: "service:a".into(),
                    problem: "invalid-field".into(),
                    count: 2
                },
                FeedRefusal {
                    feed: UNAUTHENTICATED.into(),
                    problem: "unauthorized".into(),
                    count: 1
                },
            ]
        );
        tally.count("service:b", "conflict", 1_001_000);
        assert_eq!(
            tally.due(1_001_000, || "r2".into()),
            None,
            "too soon after the last report"
        );
        let second = tally
            .due(1_000_300 + REPORT_EVERY_MS, || "r3".into())
            .expect("due once the interval passed");
        assert_eq!(second.from_ms, 1_001_000);
        assert_eq!(
            second.counts.len(),
            1,
            "the first report's counts are not sent twice"
        );
    }
}
