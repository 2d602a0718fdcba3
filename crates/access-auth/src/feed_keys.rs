//! The feeds' HMAC signing keys, from the gateway's `FEED_SIGNING_KEYS` secret, with rotation.
//!
//! `feed=key` pairs separated by commas; a feed rotating its key lists two, newest first:
//! `service:omega.access=new-key|old-key`. Both verify during the grace period; the feed switches to the
//! new key, and once the gateway's logs show no body signed with the old key (`previous_key`), the old
//! one is removed. Removing a key (or the feed) and deploying the secret revokes it at once: a new
//! secret is a new version of the Worker, and no isolate keeps the old one.
//!
//! A key may contain `=` (base64 padding) but not `,` or `|`, which separate entries and keys.

use std::collections::BTreeMap;

use crate::feed_signature::{SignatureError, verify_feed_signature};

/// At most the current key and the one it replaces: a third live key is a rotation nobody finished.
pub const MAX_KEYS_PER_FEED: usize = 2;

/// Signing keys by feed label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedKeys {
    keys: BTreeMap<String, Vec<String>>,
}

/// Why `FEED_SIGNING_KEYS` could not be used. Nothing is verified with a setting that does not parse.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum FeedKeysError {
    #[error("FEED_SIGNING_KEYS: entry {0} is not feed=key")]
    NotAPair(usize),
    #[error("FEED_SIGNING_KEYS: entry {0} has an empty feed id or key")]
    Empty(usize),
    #[error("FEED_SIGNING_KEYS: feed {0:?} is listed twice")]
    Repeated(String),
    #[error("FEED_SIGNING_KEYS: feed {0:?} has more than {MAX_KEYS_PER_FEED} keys")]
    TooManyKeys(String),
}

/// Which of a feed's keys verified a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedKey {
    Current,
    /// The key being rotated out: still accepted, and worth a log line until feeds stop using it.
    Previous,
}

impl FeedKeys {
    /// Parses the setting. Errors name the entry by position, never a key.
    pub fn parse(text: &str) -> Result<FeedKeys, FeedKeysError> {
        let mut keys = BTreeMap::new();
        for (index, entry) in text.split(',').enumerate() {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let (feed, list) = entry
                .split_once('=')
                .ok_or(FeedKeysError::NotAPair(index))?;
            let feed = feed.trim();
            let list: Vec<String> = list.split('|').map(|key| key.trim().to_owned()).collect();
            if feed.is_empty() || list.iter().any(String::is_empty) {
                return Err(FeedKeysError::Empty(index));
            }
            if list.len() > MAX_KEYS_PER_FEED {
                return Err(FeedKeysError::TooManyKeys(feed.to_owned()));
            }
            if keys.insert(feed.to_owned(), list).is_some() {
                return Err(FeedKeysError::Repeated(feed.to_owned()));
            }
        }
        Ok(FeedKeys { keys })
    }

    /// The feed's keys, current first; `None` when it has none.
    pub fn for_feed(&self, feed: &str) -> Option<&[String]> {
        self.keys.get(feed).map(Vec::as_slice)
    }

    /// Verifies a signed body against every key of the feed (see [`verify_feed_signature`]).
    ///
    /// Timestamp and format errors come first and are the same whichever key; a body none of the keys
    /// signed is a [`SignatureError::Mismatch`]. A feed without keys gets
    /// [`SignatureError::NoKeyConfigured`]: a feed that must sign cannot be checked without one.
    pub fn verify(
        &self,
        feed: &str,
        timestamp_header: &str,
        signature_header: &str,
        body: &[u8],
        now_unix: u64,
        max_skew_seconds: u64,
    ) -> Result<MatchedKey, SignatureError> {
        let keys = self.for_feed(feed).ok_or(SignatureError::NoKeyConfigured)?;
        let mut last = SignatureError::NoKeyConfigured;
        for (position, key) in keys.iter().enumerate() {
            match verify_feed_signature(
                key.as_bytes(),
                timestamp_header,
                signature_header,
                body,
                now_unix,
                max_skew_seconds,
            ) {
                Ok(()) if position == 0 => return Ok(MatchedKey::Current),
                Ok(()) => return Ok(MatchedKey::Previous),
                Err(SignatureError::Mismatch) => last = SignatureError::Mismatch,
                Err(other) => return Err(other),
            }
        }
        Err(last)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{FeedKeys, FeedKeysError, MatchedKey};
    use crate::feed_signature::{SignatureError, sign_feed_body};

    const NOW: u64 = 1_800_000_000;
    const BODY: &[u8] = br#"{"unit":"FNL"}"#;
    const FEED: &str = "service:omega.access";

    fn signed_by(key: &str) -> String {
        format!("v1={}", sign_feed_body(key.as_bytes(), NOW, BODY))
    }

    fn verify(keys: &FeedKeys, feed: &str, signature: &str) -> Result<MatchedKey, SignatureError> {
        keys.verify(feed, &NOW.to_string(), signature, BODY, NOW, 300)
    }

    #[test]
    fn one_key_per_feed_as_before() {
        let keys = FeedKeys::parse("service:a.access=key-a, service:b.access=key-b==").unwrap();
        assert_eq!(
            keys.for_feed("service:a.access"),
            Some(&["key-a".to_owned()][..])
        );
        assert_eq!(
            keys.for_feed("service:b.access"),
            Some(&["key-b==".to_owned()][..])
        );
        assert_eq!(keys.for_feed("service:c.access"), None);
        assert_eq!(FeedKeys::parse("").unwrap(), FeedKeys::default());
        assert_eq!(FeedKeys::parse(" , ").unwrap(), FeedKeys::default());
    }

    #[test]
    fn during_a_rotation_both_keys_verify_and_the_old_one_is_named() {
        let keys = FeedKeys::parse(&format!("{FEED}=new-key|old-key")).unwrap();
        assert_eq!(
            verify(&keys, FEED, &signed_by("new-key")),
            Ok(MatchedKey::Current)
        );
        assert_eq!(
            verify(&keys, FEED, &signed_by("old-key")),
            Ok(MatchedKey::Previous)
        );
        assert_eq!(
            verify(&keys, FEED, &signed_by("other")),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn after_the_rotation_or_a_revocation_the_old_key_fails() {
        let keys = FeedKeys::parse(&format!("{FEED}=new-key")).unwrap();
        assert_eq!(
            verify(&keys, FEED, &signed_by("old-key")),
            Err(SignatureError::Mismatch)
        );
        let revoked = FeedKeys::parse("service:someone-else.access=k").unwrap();
        assert_eq!(
            verify(&revoked, FEED, &signed_by("new-key")),
            Err(SignatureError::NoKeyConfigured)
        );
    }

    #[test]
    fn timestamp_and_format_errors_come_before_any_key() {
        let keys = FeedKeys::parse(&format!("{FEED}=new-key|old-key")).unwrap();
        let stale = keys.verify(FEED, "1", &signed_by("new-key"), BODY, NOW, 300);
        assert!(matches!(stale, Err(SignatureError::StaleTimestamp { .. })));
        assert_eq!(
            verify(&keys, FEED, "v1=zz"),
            Err(SignatureError::MalformedSignature)
        );
        assert_eq!(
            verify(&keys, FEED, ""),
            Err(SignatureError::MissingSignature)
        );
    }

    #[test]
    fn bad_settings_are_refused_without_echoing_keys() {
        for (text, expected) in [
            ("service:a.access", FeedKeysError::NotAPair(0)),
            ("service:a.access=k,oops", FeedKeysError::NotAPair(1)),
            ("=k", FeedKeysError::Empty(0)),
            ("service:a.access=", FeedKeysError::Empty(0)),
            ("service:a.access=k|", FeedKeysError::Empty(0)),
            (
                "service:a.access=a|b|c",
                FeedKeysError::TooManyKeys("service:a.access".into()),
            ),
            (
                "service:a.access=a,service:a.access=b",
                FeedKeysError::Repeated("service:a.access".into()),
            ),
        ] {
            let error = FeedKeys::parse(text).unwrap_err();
            assert_eq!(error, expected, "{text:?}");
            assert!(!error.to_string().contains("|c"), "{error}");
        }
    }
}
