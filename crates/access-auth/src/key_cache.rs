//! The Access signing keys an isolate holds, and when to fetch them again. Pure: the caller fetches and
//! reports back, with its own clock.
//!
//! - Keys are **fresh** for `ttl` after a successful fetch; then the next request fetches again.
//! - A token naming a key not held (Access rotated, or the token is forged) asks for an early fetch,
//!   granted at most once per `min_refetch`, so a flood of made-up `kid`s is not a flood of fetches.
//! - A failed fetch is retried no sooner than `min_refetch` either, so a key-server outage does not
//!   turn every request (or every `/healthz` probe) into a fetch.
//! - When the key server fails, the keys held stay usable, **stale**, for at most `max_stale` past their
//!   `ttl`: an Access outage must not stop the feeds at once, but a key Access withdrew must not be
//!   honoured for ever either. Past that, nothing verifies (the gateway answers 503) until a fetch works.

use crate::jwks::Jwks;

/// How long keys live, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyTimings {
    pub ttl_ms: u64,
    pub max_stale_ms: u64,
    pub min_refetch_ms: u64,
}

/// What `/healthz` reports about the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHealth {
    /// Fetched within the TTL.
    Fresh,
    /// Past the TTL, the last fetch failed, still usable: `age_ms` since the last good fetch.
    Stale { age_ms: u64 },
    /// No keys, or keys past their maximum age: nothing can be verified.
    Unavailable,
}

impl KeyHealth {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyHealth::Fresh => "ok",
            KeyHealth::Stale { .. } => "stale",
            KeyHealth::Unavailable => "unavailable",
        }
    }
}

/// The keys held and when they were fetched.
#[derive(Debug, Clone)]
pub struct KeyCache {
    timings: KeyTimings,
    held: Option<(Jwks, u64)>,
    last_attempt_ms: Option<u64>,
}

impl KeyCache {
    pub fn new(timings: KeyTimings) -> Self {
        Self {
            timings,
            held: None,
            last_attempt_ms: None,
        }
    }

    pub fn health(&self, now_ms: u64) -> KeyHealth {
        let Some((_, fetched_at)) = &self.held else {
            return KeyHealth::Unavailable;
        };
        // A clock that went backwards makes keys look new, never older than they are.
        let age_ms = now_ms.saturating_sub(*fetched_at);
        if age_ms < self.timings.ttl_ms {
            KeyHealth::Fresh
        } else if age_ms
            < self
                .timings
                .ttl_ms
                .saturating_add(self.timings.max_stale_ms)
        {
            KeyHealth::Stale { age_ms }
        } else {
            KeyHealth::Unavailable
        }
    }

    /// Whether to fetch now: the keys are not fresh, or a token named a key not held
    /// (`unknown_key_id`); and no fetch was tried within `min_refetch`.
    pub fn should_fetch(&self, now_ms: u64, unknown_key_id: bool) -> bool {
        let tried_recently = self
            .last_attempt_ms
            .is_some_and(|at| now_ms >= at && now_ms - at < self.timings.min_refetch_ms);
        if tried_recently {
            return false;
        }
        unknown_key_id || self.health(now_ms) != KeyHealth::Fresh
    }

    pub fn record_fetched(&mut self, jwks: Jwks, now_ms: u64) {
        self.held = Some((jwks, now_ms));
        self.last_attempt_ms = Some(now_ms);
    }

    pub fn record_failed(&mut self, now_ms: u64) {
        self.last_attempt_ms = Some(now_ms);
    }

    /// The keys to verify with at `now_ms`: fresh or stale, never past their maximum age.
    pub fn usable(&self, now_ms: u64) -> Option<&Jwks> {
        match self.health(now_ms) {
            KeyHealth::Unavailable => None,
            _ => self.held.as_ref().map(|(jwks, _)| jwks),
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{KeyCache, KeyHealth, KeyTimings};
    use crate::jwks::Jwks;
    use crate::test_support::JWKS_JSON;

    const MINUTE: u64 = 60_000;
    const TIMINGS: KeyTimings = KeyTimings {
        ttl_ms: 10 * MINUTE,
        max_stale_ms: 60 * MINUTE,
        min_refetch_ms: 10_000,
    };
    const T0: u64 = 1_800_000_000_000;

    fn fetched_at(at: u64) -> KeyCache {
        let mut cache = KeyCache::new(TIMINGS);
        cache.record_fetched(Jwks::from_json(JWKS_JSON).unwrap(), at);
        cache
    }

    #[test]
    fn an_empty_cache_fetches_and_verifies_nothing() {
        let cache = KeyCache::new(TIMINGS);
        assert_eq!(cache.health(T0), KeyHealth::Unavailable);
        assert!(cache.should_fetch(T0, false));
        assert!(cache.usable(T0).is_none());
    }

    #[test]
    fn fresh_keys_are_used_without_fetching_until_the_ttl() {
        let cache = fetched_at(T0);
        assert_eq!(cache.health(T0 + 10 * MINUTE - 1), KeyHealth::Fresh);
        assert!(!cache.should_fetch(T0 + 10 * MINUTE - 1, false));
        assert!(cache.should_fetch(T0 + 10 * MINUTE, false));
        assert!(cache.usable(T0 + 5 * MINUTE).is_some());
    }

    #[test]
    fn an_unknown_kid_refetches_at_a_bounded_rate() {
        let cache = fetched_at(T0);
        assert!(
            !cache.should_fetch(T0 + 9_999, true),
            "within min_refetch of the last fetch"
        );
        assert!(cache.should_fetch(T0 + 10_000, true));
        let mut cache = cache;
        cache.record_fetched(Jwks::from_json(JWKS_JSON).unwrap(), T0 + 10_000);
        assert!(!cache.should_fetch(T0 + 15_000, true));
    }

    #[test]
    fn a_failed_fetch_keeps_stale_keys_for_at_most_max_stale_then_fails_closed() {
        let mut cache = fetched_at(T0);
        let expired = T0 + 10 * MINUTE;
        cache.record_failed(expired);
        assert_eq!(
            cache.health(expired),
            KeyHealth::Stale {
                age_ms: 10 * MINUTE
            }
        );
        assert!(cache.usable(expired).is_some());
        assert!(
            !cache.should_fetch(expired + 9_999, false),
            "failures are retried at a bounded rate"
        );
        assert!(cache.should_fetch(expired + 10_000, false));
        let last_stale = T0 + 70 * MINUTE - 1;
        assert!(cache.usable(last_stale).is_some());
        assert_eq!(cache.health(T0 + 70 * MINUTE), KeyHealth::Unavailable);
        assert!(cache.usable(T0 + 70 * MINUTE).is_none());
        // One good fetch and all is well again.
        cache.record_fetched(Jwks::from_json(JWKS_JSON).unwrap(), T0 + 71 * MINUTE);
        assert_eq!(cache.health(T0 + 71 * MINUTE), KeyHealth::Fresh);
    }

    #[test]
    fn a_clock_going_backwards_neither_ages_keys_nor_blocks_fetching() {
        let cache = fetched_at(T0);
        assert_eq!(cache.health(T0 - MINUTE), KeyHealth::Fresh);
        assert!(cache.should_fetch(T0 - MINUTE, true));
    }

    #[test]
    fn health_names() {
        assert_eq!(KeyHealth::Fresh.as_str(), "ok");
        assert_eq!(KeyHealth::Stale { age_ms: 1 }.as_str(), "stale");
        assert_eq!(KeyHealth::Unavailable.as_str(), "unavailable");
    }
}
