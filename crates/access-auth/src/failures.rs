//! Clients that keep failing authentication are blocked for a while: after `threshold` refused tokens
//! or signatures within `window` seconds, every request of the client is refused for `block` seconds.
//!
//! The gateway keeps one of these per isolate. That makes it a speed bump, not a wall: an attacker
//! spread across many data centres (or isolates) gets `threshold` tries in each, and an isolate's
//! memory goes when it is evicted. Cloudflare Access in front and the zone's WAF and rate-limiting
//! rules (`deploy/rules/`) are the wall; this only makes a patient guessing client slower and louder.

use std::collections::HashMap;

/// Thresholds, in failures and seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockRule {
    pub threshold: u32,
    pub window_seconds: u64,
    pub block_seconds: u64,
}

#[derive(Debug, Clone, Copy)]
struct Record {
    window_start: u64,
    failures: u32,
    blocked_until: u64,
}

/// Failure counts and blocks by client key (see [`crate::client_key`]), bounded in size.
#[derive(Debug, Clone)]
pub struct FailureTracker {
    rule: BlockRule,
    capacity: usize,
    clients: HashMap<String, Record>,
}

impl FailureTracker {
    pub fn new(rule: BlockRule, capacity: usize) -> Self {
        Self {
            rule,
            capacity,
            clients: HashMap::new(),
        }
    }

    /// Until when (unix seconds) `client` is blocked, if it is at `now_unix`.
    pub fn blocked_until(&self, client: &str, now_unix: u64) -> Option<u64> {
        self.clients
            .get(client)
            .map(|record| record.blocked_until)
            .filter(|until| now_unix < *until)
    }

    /// Counts one failure; `Some(until)` when this failure starts a block.
    pub fn record_failure(&mut self, client: &str, now_unix: u64) -> Option<u64> {
        if self.rule.threshold == 0 {
            return None;
        }
        if !self.clients.contains_key(client) && !self.make_room(now_unix) {
            return None;
        }
        let rule = self.rule;
        let record = self.clients.entry(client.to_owned()).or_insert(Record {
            window_start: now_unix,
            failures: 0,
            blocked_until: 0,
        });
        if now_unix < record.blocked_until {
            // Already blocked: the block runs its course; failures meanwhile do not extend it, so a
            // client cannot be kept out for ever by someone spoofing its address on a failing request.
            return None;
        }
        if now_unix >= record.window_start.saturating_add(rule.window_seconds)
            || now_unix < record.window_start
        {
            record.window_start = now_unix;
            record.failures = 0;
        }
        record.failures += 1;
        if record.failures >= rule.threshold {
            record.blocked_until = now_unix.saturating_add(rule.block_seconds);
            record.failures = 0;
            record.window_start = now_unix;
            return Some(record.blocked_until);
        }
        None
    }

    /// Makes room for one more client: forgets clients that are neither blocked nor inside a window,
    /// then, if still full, clients that are only counting. Blocks are kept; when every slot holds a
    /// block, the new client is not counted (`false`).
    fn make_room(&mut self, now_unix: u64) -> bool {
        if self.clients.len() < self.capacity {
            return true;
        }
        let window = self.rule.window_seconds;
        self.clients.retain(|_, r| {
            now_unix < r.blocked_until || now_unix < r.window_start.saturating_add(window)
        });
        if self.clients.len() >= self.capacity {
            self.clients.retain(|_, r| now_unix < r.blocked_until);
        }
        self.clients.len() < self.capacity
    }

    pub fn len(&self) -> usize {
        self.clients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{BlockRule, FailureTracker};

    const NOW: u64 = 1_800_000_000;
    const RULE: BlockRule = BlockRule {
        threshold: 3,
        window_seconds: 60,
        block_seconds: 300,
    };

    /// Records a failure for `client` at each offset; returns what each call answered.
    fn fail(tracker: &mut FailureTracker, client: &str, offsets: &[u64]) -> Vec<Option<u64>> {
        offsets
            .iter()
            .map(|offset| tracker.record_failure(client, NOW + offset))
            .collect()
    }

    #[test]
    fn the_threshold_within_the_window_blocks_for_the_block_time() {
        let mut tracker = FailureTracker::new(RULE, 16);
        assert_eq!(
            fail(&mut tracker, "203.0.113.9", &[0, 1, 2]),
            [None, None, Some(NOW + 2 + 300)]
        );
        assert_eq!(
            tracker.blocked_until("203.0.113.9", NOW + 3),
            Some(NOW + 302)
        );
        assert_eq!(
            tracker.blocked_until("203.0.113.9", NOW + 301),
            Some(NOW + 302)
        );
        assert_eq!(tracker.blocked_until("203.0.113.9", NOW + 302), None);
        // Other clients are unaffected.
        assert_eq!(tracker.blocked_until("203.0.113.10", NOW + 3), None);
    }

    #[test]
    fn failures_spread_beyond_the_window_never_block() {
        let mut tracker = FailureTracker::new(RULE, 16);
        let answers = fail(&mut tracker, "c", &[0, 1, 61, 62, 122, 123]);
        assert!(answers.iter().all(Option::is_none), "{answers:?}");
        assert_eq!(tracker.blocked_until("c", NOW + 124), None);
    }

    #[test]
    fn failures_while_blocked_do_not_extend_the_block_and_counting_restarts_after() {
        let mut tracker = FailureTracker::new(RULE, 16);
        fail(&mut tracker, "c", &[0, 1, 2]);
        assert_eq!(
            fail(&mut tracker, "c", &[100, 200, 250]),
            [None, None, None]
        );
        assert_eq!(tracker.blocked_until("c", NOW + 301), Some(NOW + 302));
        assert_eq!(
            fail(&mut tracker, "c", &[302, 303, 304]),
            [None, None, Some(NOW + 604)]
        );
    }

    #[test]
    fn a_clock_going_backwards_restarts_the_window() {
        let mut tracker = FailureTracker::new(RULE, 16);
        fail(&mut tracker, "c", &[10, 11]);
        assert_eq!(tracker.record_failure("c", NOW), None);
        assert_eq!(tracker.record_failure("c", NOW + 1), None);
        assert_eq!(tracker.record_failure("c", NOW + 2), Some(NOW + 302));
    }

    #[test]
    fn memory_is_bounded_and_blocks_outlive_counting_clients() {
        let mut tracker = FailureTracker::new(RULE, 4);
        fail(&mut tracker, "blocked", &[0, 0, 0]);
        for i in 0..100 {
            tracker.record_failure(&format!("client-{i}"), NOW + 1);
            assert!(tracker.len() <= 4);
        }
        assert_eq!(tracker.blocked_until("blocked", NOW + 2), Some(NOW + 300));
        // A tracker full of blocks counts nobody new rather than forgetting a block.
        let mut full = FailureTracker::new(RULE, 1);
        fail(&mut full, "blocked", &[0, 0, 0]);
        assert_eq!(fail(&mut full, "other", &[1, 1, 1]), [None, None, None]);
        assert_eq!(full.blocked_until("blocked", NOW + 2), Some(NOW + 300));
        assert_eq!(full.len(), 1);
    }

    #[test]
    fn a_zero_threshold_blocks_nobody() {
        let mut tracker = FailureTracker::new(
            BlockRule {
                threshold: 0,
                ..RULE
            },
            4,
        );
        assert!(
            fail(&mut tracker, "c", &[0, 0, 0, 0])
                .iter()
                .all(Option::is_none)
        );
        assert!(tracker.is_empty());
    }
}
