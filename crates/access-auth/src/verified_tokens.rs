//! Tokens already verified, so a feed that sends the same token on every request pays for one RS256
//! check a minute instead of one per request (1–2 ms of CPU each in a Worker; see docs/PERFORMANCE.md).
//!
//! An entry is the whole token (signature included) with the identity it proved and the policy it was
//! checked against, so only the identical token under the identical policy can hit. It is trusted until
//! the token's `exp` (without the leeway: past it, the full check runs again and applies the leeway
//! itself) and for at most [`REVERIFY_AFTER_SECONDS`], so a key removed from the team's keys stops
//! being honoured at most a minute after the caller's cached copy of the keys drops it.

use std::collections::HashMap;

use crate::{AccessIdentity, AccessPolicy};

/// The longest a verification is reused.
pub const REVERIFY_AFTER_SECONDS: u64 = 60;

struct Verified {
    identity: AccessIdentity,
    policy: AccessPolicy,
    verified_at: u64,
}

impl Verified {
    fn still_good(&self, policy: &AccessPolicy, now_unix: u64) -> bool {
        now_unix >= self.verified_at
            && now_unix < self.verified_at + REVERIFY_AFTER_SECONDS
            && now_unix < self.identity.expires_at
            && self.policy == *policy
    }
}

/// A bounded map from token to the identity it proved.
pub struct VerifiedTokens {
    entries: HashMap<String, Verified>,
    capacity: usize,
}

impl VerifiedTokens {
    /// Holds at most `capacity` tokens (a few per feed; tokens are at most 8 KiB).
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: HashMap::new(),
            capacity,
        }
    }

    /// The identity `token` proved under `policy`, if that is still good at `now_unix`.
    pub fn get(&self, token: &str, policy: &AccessPolicy, now_unix: u64) -> Option<AccessIdentity> {
        self.entries
            .get(token)
            .filter(|entry| entry.still_good(policy, now_unix))
            .map(|entry| entry.identity.clone())
    }

    /// Remembers that `token` proved `identity` under `policy` at `now_unix`.
    pub fn insert(
        &mut self,
        token: &str,
        policy: &AccessPolicy,
        identity: AccessIdentity,
        now_unix: u64,
    ) {
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() >= self.capacity && !self.entries.contains_key(token) {
            self.entries
                .retain(|_, entry| entry.still_good(&entry.policy, now_unix));
            if self.entries.len() >= self.capacity {
                // Still full of live tokens: start over rather than track recency; a miss only costs
                // one verification.
                self.entries.clear();
            }
        }
        self.entries.insert(
            token.to_owned(),
            Verified {
                identity,
                policy: policy.clone(),
                verified_at: now_unix,
            },
        );
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{REVERIFY_AFTER_SECONDS, VerifiedTokens};
    use crate::{AccessIdentity, AccessPolicy};

    const NOW: u64 = 1_800_000_000;

    fn identity(expires_at: u64) -> AccessIdentity {
        AccessIdentity {
            subject: None,
            email: None,
            common_name: Some("timing.access".into()),
            key_id: "k1".into(),
            expires_at,
        }
    }

    fn policy() -> AccessPolicy {
        AccessPolicy::new("https://team.cloudflareaccess.com", "aud-1")
    }

    #[test]
    fn the_same_token_under_the_same_policy_is_reused() {
        let mut cache = VerifiedTokens::new(8);
        cache.insert("a.b.c", &policy(), identity(NOW + 600), NOW);
        assert_eq!(
            cache.get("a.b.c", &policy(), NOW + 1),
            Some(identity(NOW + 600))
        );
    }

    #[test]
    fn only_the_identical_token_hits() {
        let mut cache = VerifiedTokens::new(8);
        cache.insert("a.b.c", &policy(), identity(NOW + 600), NOW);
        assert_eq!(cache.get("a.b.d", &policy(), NOW), None);
        assert_eq!(cache.get("a.b.c ", &policy(), NOW), None);
        assert_eq!(cache.get("", &policy(), NOW), None);
    }

    #[test]
    fn another_policy_misses() {
        let mut cache = VerifiedTokens::new(8);
        cache.insert("a.b.c", &policy(), identity(NOW + 600), NOW);
        let other_audience = AccessPolicy::new("https://team.cloudflareaccess.com", "aud-2");
        let other_issuer = AccessPolicy::new("https://other.cloudflareaccess.com", "aud-1");
        assert_eq!(cache.get("a.b.c", &other_audience, NOW), None);
        assert_eq!(cache.get("a.b.c", &other_issuer, NOW), None);
    }

    #[test]
    fn a_token_is_not_reused_at_or_past_its_expiry() {
        let mut cache = VerifiedTokens::new(8);
        cache.insert("a.b.c", &policy(), identity(NOW + 10), NOW);
        assert!(cache.get("a.b.c", &policy(), NOW + 9).is_some());
        assert_eq!(cache.get("a.b.c", &policy(), NOW + 10), None);
    }

    #[test]
    fn a_verification_is_reused_for_at_most_a_minute() {
        let mut cache = VerifiedTokens::new(8);
        cache.insert("a.b.c", &policy(), identity(NOW + 3600), NOW);
        assert!(
            cache
                .get("a.b.c", &policy(), NOW + REVERIFY_AFTER_SECONDS - 1)
                .is_some()
        );
        assert_eq!(
            cache.get("a.b.c", &policy(), NOW + REVERIFY_AFTER_SECONDS),
            None
        );
        // A clock that went backwards proves nothing either.
        assert_eq!(cache.get("a.b.c", &policy(), NOW - 1), None);
    }

    #[test]
    fn the_cache_never_holds_more_than_its_capacity() {
        let mut cache = VerifiedTokens::new(3);
        for i in 0..10 {
            cache.insert(&format!("token-{i}"), &policy(), identity(NOW + 600), NOW);
            assert!(cache.len() <= 3, "{} entries", cache.len());
        }
        assert!(cache.get("token-9", &policy(), NOW).is_some());
        let mut none = VerifiedTokens::new(0);
        none.insert("a.b.c", &policy(), identity(NOW + 600), NOW);
        assert!(none.is_empty());
    }

    #[test]
    fn a_full_cache_drops_expired_tokens_first() {
        let mut cache = VerifiedTokens::new(2);
        cache.insert("old", &policy(), identity(NOW + 5), NOW);
        cache.insert("live", &policy(), identity(NOW + 600), NOW);
        cache.insert("new", &policy(), identity(NOW + 600), NOW + 6);
        assert!(cache.get("live", &policy(), NOW + 6).is_some());
        assert!(cache.get("new", &policy(), NOW + 6).is_some());
        assert_eq!(cache.len(), 2);
    }
}
