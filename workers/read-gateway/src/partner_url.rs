//! Signed, time-limited URLs for partners' premium routes (`/v1/partner/…`): a URL is valid only for the
//! partner it names, under the path prefix that partner's key is scoped to, until it expires.
//!
//! `PARTNER_KEYS` (a secret) is JSON: `{"acme": {"prefix": "/v1/partner/events/ALP", "keys": ["new", "old"]}}`.
//! A partner has one or two keys (two while rotating: both verify); removing a key revokes every URL it
//! signed at once. The URL carries `partner`, `expires` (unix seconds) and `sig`, the hex
//! HMAC-SHA256(key, `"{partner}\n{expires}\n{path}"`) of the path without the query, so neither the
//! path, the partner nor the expiry can be changed without the key. Pure: the caller passes `now`.

use std::collections::BTreeMap;

use hmac_sha256::HMAC;
use serde::Deserialize;

/// A URL may be signed for at most a day ahead, so a leaked one does not live for ever.
pub const MAX_LIFETIME_SECONDS: u64 = 24 * 60 * 60;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Partner {
    prefix: String,
    keys: Vec<String>,
}

/// Every partner's scope and keys.
#[derive(Debug)]
pub struct PartnerKeys {
    partners: BTreeMap<String, Partner>,
}

/// Why a signed URL was refused; `field` says which part of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefusal {
    #[error("the URL needs partner, expires and sig")]
    Missing(&'static str),
    #[error("no such partner")]
    UnknownPartner,
    #[error("this partner's URLs do not reach this path")]
    OutOfScope,
    #[error("expires must be unix seconds")]
    BadExpiry,
    #[error("the URL has expired")]
    Expired,
    #[error("the URL expires too far ahead (at most {MAX_LIFETIME_SECONDS} s)")]
    TooLong,
    #[error("the signature does not match")]
    BadSignature,
}

impl UrlRefusal {
    pub fn field(&self) -> &'static str {
        match self {
            UrlRefusal::Missing(name) => name,
            UrlRefusal::UnknownPartner => "partner",
            UrlRefusal::OutOfScope => "path",
            UrlRefusal::BadExpiry | UrlRefusal::Expired | UrlRefusal::TooLong => "expires",
            UrlRefusal::BadSignature => "sig",
        }
    }
}

/// The parts of a signed URL, as the query carried them.
pub struct SignedParts<'a> {
    pub partner: Option<&'a str>,
    pub expires: Option<&'a str>,
    pub sig: Option<&'a str>,
}

impl PartnerKeys {
    /// Parses the setting; a partner without keys, with more than two, or with a prefix outside
    /// `/v1/partner/` is an error, so a typing mistake cannot widen a scope.
    pub fn from_json(json: &str) -> Result<PartnerKeys, String> {
        let partners: BTreeMap<String, Partner> =
            serde_json::from_str(json).map_err(|e| format!("PARTNER_KEYS: {e}"))?;
        for (name, partner) in &partners {
            if partner.keys.is_empty()
                || partner.keys.len() > 2
                || partner.keys.iter().any(String::is_empty)
            {
                return Err(format!(
                    "PARTNER_KEYS: partner {name:?} needs one or two non-empty keys"
                ));
            }
            if !partner.prefix.starts_with("/v1/partner/") {
                return Err(format!(
                    "PARTNER_KEYS: partner {name:?} has a prefix outside /v1/partner/"
                ));
            }
        }
        Ok(PartnerKeys { partners })
    }

    /// Checks a request for `path` carrying `parts` at `now_unix`; `Ok` names the partner.
    pub fn verify<'a>(
        &self,
        path: &str,
        parts: &SignedParts<'a>,
        now_unix: u64,
    ) -> Result<&'a str, UrlRefusal> {
        let partner_name = parts.partner.ok_or(UrlRefusal::Missing("partner"))?;
        let expires_text = parts.expires.ok_or(UrlRefusal::Missing("expires"))?;
        let sig = parts.sig.ok_or(UrlRefusal::Missing("sig"))?;
        let partner = self
            .partners
            .get(partner_name)
            .ok_or(UrlRefusal::UnknownPartner)?;
        if !expires_text.bytes().all(|b| b.is_ascii_digit()) || expires_text.len() > 12 {
            return Err(UrlRefusal::BadExpiry);
        }
        let expires: u64 = expires_text.parse().map_err(|_| UrlRefusal::BadExpiry)?;
        // The signature first: nothing about scope or time is told to someone without a valid URL.
        let matches = partner.keys.iter().any(|key| {
            let expected = sign(key.as_bytes(), partner_name, expires, path);
            constant_time_eq(expected.as_bytes(), sig.to_ascii_lowercase().as_bytes())
        });
        if !matches {
            return Err(UrlRefusal::BadSignature);
        }
        if !in_scope(path, &partner.prefix) {
            return Err(UrlRefusal::OutOfScope);
        }
        if now_unix > expires {
            return Err(UrlRefusal::Expired);
        }
        if expires - now_unix > MAX_LIFETIME_SECONDS {
            return Err(UrlRefusal::TooLong);
        }
        Ok(partner_name)
    }
}

/// A prefix scopes whole segments or a code's start (`/v1/partner/events/ALP` covers `…/ALPMDOWNHILL/…`),
/// but `..` and empty segments never pass, so a path cannot climb out of its prefix.
fn in_scope(path: &str, prefix: &str) -> bool {
    path.starts_with(prefix)
        && !path
            .split('/')
            .skip(1)
            .any(|s| s.is_empty() || s == "." || s == "..")
}

/// The hex signature of a URL for `partner` until `expires` on `path`.
pub fn sign(key: &[u8], partner: &str, expires: u64, path: &str) -> String {
    let mut mac = HMAC::new(key);
    mac.update(format!("{partner}\n{expires}\n{path}").as_bytes());
    mac.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{MAX_LIFETIME_SECONDS, PartnerKeys, SignedParts, UrlRefusal, sign};

    const PATH: &str = "/v1/partner/events/ALPMDOWNHILL/history";
    const NOW: u64 = 1_770_000_000;

    fn keys() -> PartnerKeys {
        PartnerKeys::from_json(
            r#"{"acme": {"prefix": "/v1/partner/events/ALP", "keys": ["new-key", "old-key"]},
                "other": {"prefix": "/v1/partner/events/", "keys": ["other-key"]}}"#,
        )
        .unwrap()
    }

    fn check(path: &str, partner: &str, expires: u64, sig: &str) -> Result<String, UrlRefusal> {
        let expires = expires.to_string();
        keys()
            .verify(
                path,
                &SignedParts {
                    partner: Some(partner),
                    expires: Some(&expires),
                    sig: Some(sig),
                },
                NOW,
            )
            .map(str::to_owned)
    }

    #[test]
    fn a_url_signed_with_either_live_key_is_valid_until_it_expires() {
        for key in ["new-key", "old-key"] {
            let sig = sign(key.as_bytes(), "acme", NOW + 60, PATH);
            assert_eq!(check(PATH, "acme", NOW + 60, &sig), Ok("acme".into()));
            assert_eq!(
                check(PATH, "acme", NOW + 60, &sig.to_uppercase()),
                Ok("acme".into())
            );
        }
        let sig = sign(b"new-key", "acme", NOW - 1, PATH);
        assert_eq!(check(PATH, "acme", NOW - 1, &sig), Err(UrlRefusal::Expired));
    }

    #[test]
    fn tampering_with_any_part_breaks_the_signature() {
        let sig = sign(b"new-key", "acme", NOW + 60, PATH);
        assert_eq!(
            check(PATH, "acme", NOW + 3600, &sig),
            Err(UrlRefusal::BadSignature)
        );
        assert_eq!(
            check(
                "/v1/partner/events/ALPMSLALOM/history",
                "acme",
                NOW + 60,
                &sig
            ),
            Err(UrlRefusal::BadSignature)
        );
        assert_eq!(
            check(PATH, "other", NOW + 60, &sig),
            Err(UrlRefusal::BadSignature)
        );
        assert_eq!(
            check(PATH, "acme", NOW + 60, "00"),
            Err(UrlRefusal::BadSignature)
        );
        let retired = sign(b"a-removed-key", "acme", NOW + 60, PATH);
        assert_eq!(
            check(PATH, "acme", NOW + 60, &retired),
            Err(UrlRefusal::BadSignature)
        );
    }

    #[test]
    fn a_partner_is_held_to_its_prefix() {
        let path = "/v1/partner/events/BTHMSPRINT/history";
        let sig = sign(b"new-key", "acme", NOW + 60, path);
        assert_eq!(
            check(path, "acme", NOW + 60, &sig),
            Err(UrlRefusal::OutOfScope)
        );
        let climbing = "/v1/partner/events/ALP/../BTHMSPRINT/history";
        let sig = sign(b"new-key", "acme", NOW + 60, climbing);
        assert_eq!(
            check(climbing, "acme", NOW + 60, &sig),
            Err(UrlRefusal::OutOfScope)
        );
    }

    #[test]
    fn unknown_partners_missing_parts_and_long_lives_are_refused() {
        let sig = sign(b"new-key", "acme", NOW + 60, PATH);
        assert_eq!(
            check(PATH, "nobody", NOW + 60, &sig),
            Err(UrlRefusal::UnknownPartner)
        );
        let far = NOW + MAX_LIFETIME_SECONDS + 1;
        let sig = sign(b"new-key", "acme", far, PATH);
        assert_eq!(check(PATH, "acme", far, &sig), Err(UrlRefusal::TooLong));
        let parts = SignedParts {
            partner: Some("acme"),
            expires: None,
            sig: Some("x"),
        };
        assert_eq!(
            keys().verify(PATH, &parts, NOW),
            Err(UrlRefusal::Missing("expires"))
        );
        let parts = SignedParts {
            partner: Some("acme"),
            expires: Some("-5"),
            sig: Some("x"),
        };
        assert_eq!(keys().verify(PATH, &parts, NOW), Err(UrlRefusal::BadExpiry));
        assert_eq!(UrlRefusal::Expired.field(), "expires");
        assert_eq!(UrlRefusal::BadSignature.field(), "sig");
    }

    #[test]
    fn settings_that_could_widen_a_scope_are_refused() {
        assert!(PartnerKeys::from_json(r#"{"a": {"prefix": "/v1/", "keys": ["k"]}}"#).is_err());
        assert!(
            PartnerKeys::from_json(r#"{"a": {"prefix": "/v1/partner/x", "keys": []}}"#).is_err()
        );
        assert!(
            PartnerKeys::from_json(r#"{"a": {"prefix": "/v1/partner/x", "keys": ["1","2","3"]}}"#)
                .is_err()
        );
        assert!(
            PartnerKeys::from_json(
                r#"{"a": {"prefix": "/v1/partner/x", "keys": ["k"], "extra": 1}}"#
            )
            .is_err()
        );
    }
}
