//! The refusals this gateway answers, counted per feed and problem type for the operators' stats.
//!
//! Counting happens in the isolate (`edge::tally`), and the tally goes to the analytics Worker at most
//! every [`REPORT_EVERY_MS`] (through the service binding, after the response, in `wait_until`): a feed
//! that sends garbage a thousand times a second costs one small report, not a thousand writes.

use std::cell::RefCell;
use std::collections::HashMap;

use edge::tally::{Tally, Window};

use wire::api::analytics::{FeedRefusal, RefusalReport};

/// How often an isolate reports, at most.
pub const REPORT_EVERY_MS: u64 = 5_000;

/// The feed of a request that failed before its token was verified.
pub const UNAUTHENTICATED: &str = "unauthenticated";

thread_local! {
    /// Refusals by (feed, problem type).
    static TALLY: RefCell<Tally<(String, String)>> = const { RefCell::new(Tally::every(REPORT_EVERY_MS)) };
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
            let feed = feed.unwrap_or_else(|| UNAUTHENTICATED.to_string());
            tally.count((feed, problem.to_string()), now_ms);
        }
        tally
            .due(now_ms)
            .map(|window| report(window, edge::log::new_request_id()))
    })
}

fn report(window: Window<(String, String)>, id: String) -> RefusalReport {
    RefusalReport {
        id,
        from_ms: window.from_ms,
        to_ms: window.to_ms,
        counts: window
            .counts
            .into_iter()
            .map(|((feed, problem), count)| FeedRefusal {
                feed,
                problem,
                count,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_becomes_a_report_per_feed_and_problem() {
        let window = Window {
            from_ms: 1,
            to_ms: 2,
            counts: vec![(("service:a".to_string(), "invalid-request".to_string()), 2)],
        };
        assert_eq!(
            report(window, "r1".into()),
            RefusalReport {
                id: "r1".into(),
                from_ms: 1,
                to_ms: 2,
                counts: vec![FeedRefusal {
                    feed: "service:a".into(),
                    problem: "invalid-request".into(),
                    count: 2
                }],
            }
        );
    }
}
