//! A fixed-window request budget per key (a feed, a client), kept in the isolate.
//!
//! Like [`crate::FailureTracker`] this is a speed bump per isolate, not a global limit: it stops one
//! runaway or stolen feed credential from flooding its events through the isolate it lands on, and
//! says when to come back. The zone's rate-limiting rules (`deploy/rules/`) are the global wall.

use std::collections::HashMap;

/// Counts per key within windows of `window_seconds`; at most `limit` per window.
#[derive(Debug, Clone)]
pub struct RateWindow {
    limit: u32,
    window_seconds: u64,
    capacity: usize,
    counts: HashMap<String, (u64, u32)>,
}

impl RateWindow {
    pub fn new(limit: u32, window_seconds: u64, capacity: usize) -> Self {
        Self {
            limit,
            window_seconds: window_seconds.max(1),
            capacity,
            counts: HashMap::new(),
        }
    }

    /// Counts one request of `key` at `now_unix`: `Err(seconds)` to wait when it is over budget.
    /// A refused request is not counted, so a client that waits as told gets through.
    pub fn take(&mut self, key: &str, now_unix: u64) -> Result<(), u64> {
        let window = now_unix - now_unix % self.window_seconds;
        if !self.counts.contains_key(key) && self.counts.len() >= self.capacity {
            // Forget keys of past windows; if every key is current, the newcomer is still counted by
            // evicting nothing and letting it through uncounted: the table must stay bounded.
            self.counts.retain(|_, (start, _)| *start == window);
            if self.counts.len() >= self.capacity {
                return Ok(());
            }
        }
        let entry = self.counts.entry(key.to_owned()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        if entry.1 >= self.limit {
            return Err(window + self.window_seconds - now_unix);
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::RateWindow;

    #[test]
    fn the_budget_is_per_key_and_per_window_and_says_how_long_to_wait() {
        let mut window = RateWindow::new(2, 60, 10);
        assert_eq!(window.take("a", 120), Ok(()));
        assert_eq!(window.take("a", 130), Ok(()));
        assert_eq!(window.take("a", 135), Err(45));
        assert_eq!(
            window.take("b", 135),
            Ok(()),
            "another key has its own budget"
        );
        assert_eq!(window.take("a", 180), Ok(()), "a new window starts afresh");
    }

    #[test]
    fn refused_requests_are_not_counted() {
        let mut window = RateWindow::new(1, 10, 10);
        assert_eq!(window.take("a", 0), Ok(()));
        for _ in 0..5 {
            assert_eq!(window.take("a", 9), Err(1));
        }
        assert_eq!(window.take("a", 10), Ok(()));
    }

    #[test]
    fn the_table_stays_bounded() {
        let mut window = RateWindow::new(1, 60, 2);
        assert_eq!(window.take("a", 0), Ok(()));
        assert_eq!(window.take("b", 0), Ok(()));
        assert_eq!(
            window.take("c", 0),
            Ok(()),
            "full of current keys: let through uncounted"
        );
        assert_eq!(window.counts.len(), 2);
        assert_eq!(
            window.take("c", 60),
            Ok(()),
            "past keys are forgotten to make room"
        );
        assert_eq!(window.take("c", 61), Err(59));
    }
}
