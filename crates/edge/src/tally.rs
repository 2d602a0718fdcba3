//! Counts kept in an isolate and reported at most once per interval: the gateways' refusals and reads.
//! Counting a request costs a map update; the report (one service call or Queue message per isolate per
//! interval) is what reaches the operators' stats. A tally still waiting when an isolate is evicted is lost:
//! the stats are for operators, not an audit.

use std::collections::BTreeMap;

/// Counts by key since the last report.
#[derive(Debug)]
pub struct Tally<K: Ord> {
    every_ms: u64,
    since_ms: u64,
    last_report_ms: u64,
    counts: BTreeMap<K, u64>,
}

/// What a report says: the counts between `from_ms` (the first one counted) and `to_ms`.
#[derive(Debug, PartialEq, Eq)]
pub struct Window<K> {
    pub from_ms: u64,
    pub to_ms: u64,
    pub counts: Vec<(K, u64)>,
}

impl<K: Ord> Tally<K> {
    /// A tally reported at most every `every_ms`; the first report is due at once.
    pub const fn every(every_ms: u64) -> Self {
        Self {
            every_ms,
            since_ms: 0,
            last_report_ms: 0,
            counts: BTreeMap::new(),
        }
    }

    pub fn count(&mut self, key: K, now_ms: u64) {
        if self.counts.is_empty() {
            self.since_ms = now_ms;
        }
        *self.counts.entry(key).or_default() += 1;
    }

    /// The counts to report now, if there are some and the last report is old enough; they are not
    /// reported twice.
    pub fn due(&mut self, now_ms: u64) -> Option<Window<K>> {
        if self.counts.is_empty() || now_ms < self.last_report_ms + self.every_ms {
            return None;
        }
        self.last_report_ms = now_ms;
        Some(Window {
            from_ms: self.since_ms,
            to_ms: now_ms,
            counts: std::mem::take(&mut self.counts).into_iter().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn counts_are_reported_once_and_at_most_every_interval() {
        let mut tally = Tally::every(5_000);
        assert_eq!(tally.due(1_000_000), None, "nothing to say");
        tally.count("a", 1_000_000);
        tally.count("a", 1_000_100);
        tally.count("b", 1_000_200);
        assert_eq!(
            tally.due(1_000_300),
            Some(Window {
                from_ms: 1_000_000,
                to_ms: 1_000_300,
                counts: vec![("a", 2), ("b", 1)],
            }),
            "the first report is due at once"
        );
        tally.count("c", 1_001_000);
        assert_eq!(tally.due(1_001_000), None, "too soon after the last report");
        assert_eq!(
            tally.due(1_005_300),
            Some(Window {
                from_ms: 1_001_000,
                to_ms: 1_005_300,
                counts: vec![("c", 1)],
            }),
            "due once the interval passed, without the first report's counts"
        );
    }
}
