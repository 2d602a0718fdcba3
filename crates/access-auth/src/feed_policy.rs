//! Which feed may do what, from the ingest gateway's `FEED_POLICIES` setting (JSON, one per environment):
//! the events each feed may write, whether it must sign, the addresses it may post from, and the client
//! certificate it must present.
//!
//! ```json
//! {
//!   "require_signatures": true,
//!   "feeds": {
//!     "service:omega-alpine.access": { "events": ["ALP*"], "sign": true,
//!                                      "ips": ["192.0.2.0/24", "2001:db8:10::/48"],
//!                                      "client_cert": ["3f4a…"] },
//!     "service:backup-downhill.access": { "events": ["ALPMDOWNHILL"] },
//!     "*": { "events": [] }
//!   }
//! }
//! ```
//!
//! - A feed is the label the audit trail records (`service:<client id>`). A feed with no entry of its
//!   own gets the `"*"` entry; with neither, it is refused everything.
//! - `events` holds event codes (`ALPMDOWNHILL`), prefixes (`ALP*`, `ALPW*`: a discipline, a gender) or
//!   `*`. **The most specific claim wins**: a feed may write an event when one of its patterns matches
//!   and no other entry holds a more specific pattern that matches (exact beats prefix, a longer prefix
//!   beats a shorter one, any prefix beats `*`). So naming an event in one feed's entry takes it away
//!   from every feed that only has a broader grant, the `"*"` entry included, and one feed can never
//!   overwrite an event another feed owns. Equal claims share the event.
//! - `sign`: the feed must sign its bodies; `require_signatures` makes every feed sign. A feed with a
//!   signing key must sign whatever this says. Nothing here can turn authentication off.
//! - `ips`: the CIDR ranges the feed may post from (`CF-Connecting-IP`); absent means anywhere.
//! - `client_cert`: `true` for any certificate the zone verified, or the SHA-256 fingerprints allowed.
//! - `revoked`: refuse the feed at once (emergency rotation). Its claims still hold, so its events do
//!   not fall to broader grants while it is out.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::Deserialize;

use crate::client_cert::{CertRefusal, ClientCert, ClientCertRule, normalise_fingerprint};
use crate::ip_range::{IpRange, RangeError};
use crate::security_event::SecurityEvent;

/// The entry of feeds that have none of their own.
pub const ANY_FEED: &str = "*";

/// Feed labels are at most this long (see the gateway's `feed_label`).
const MAX_FEED_ID_CHARS: usize = 64;
/// The longest event code: three letters, a gender, up to eighteen more.
const MAX_EVENT_CODE_CHARS: usize = 22;

/// Every feed's rules, parsed and checked once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPolicies {
    require_signatures: bool,
    entries: BTreeMap<String, FeedEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct FeedEntry {
    events: Vec<EventPattern>,
    sign: bool,
    sources: Option<Vec<IpRange>>,
    client_cert: Option<ClientCertRule>,
    revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum EventPattern {
    Any,
    Prefix(String),
    Exact(String),
}

/// How specific a matching pattern is: longer is more specific, and an exact code beats a prefix of
/// the same length. `*` is `(0, false)`.
type Specificity = (usize, bool);

impl EventPattern {
    fn parse(text: &str) -> Option<EventPattern> {
        let code_chars = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        };
        if text == "*" {
            return Some(EventPattern::Any);
        }
        if let Some(prefix) = text.strip_suffix('*') {
            return (!prefix.is_empty()
                && prefix.len() <= MAX_EVENT_CODE_CHARS
                && code_chars(prefix))
            .then(|| EventPattern::Prefix(prefix.to_owned()));
        }
        ((5..=MAX_EVENT_CODE_CHARS).contains(&text.len()) && code_chars(text))
            .then(|| EventPattern::Exact(text.to_owned()))
    }

    fn matches(&self, event: &str) -> Option<Specificity> {
        match self {
            EventPattern::Any => Some((0, false)),
            EventPattern::Prefix(prefix) => event
                .starts_with(prefix.as_str())
                .then_some((prefix.len(), false)),
            EventPattern::Exact(code) => (event == code).then_some((code.len(), true)),
        }
    }
}

impl FeedEntry {
    fn best_match(&self, event: &str) -> Option<Specificity> {
        self.events.iter().filter_map(|p| p.matches(event)).max()
    }
}

/// Why `FEED_POLICIES` could not be used. The gateway refuses every feed until it is fixed (500).
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum PolicyError {
    #[error("FEED_POLICIES is not valid: {0}")]
    Json(String),
    #[error("FEED_POLICIES: {0:?} is not a feed id (1 to 64 characters, no spaces)")]
    FeedId(String),
    #[error(
        "FEED_POLICIES: feed {feed:?} has the event pattern {pattern:?}; use an event code, a prefix ending in *, or *"
    )]
    Pattern { feed: String, pattern: String },
    #[error("FEED_POLICIES: feed {feed:?}: {error}")]
    Range { feed: String, error: RangeError },
    #[error(
        "FEED_POLICIES: feed {feed:?} has an empty ips list, which admits nobody; remove it or set revoked"
    )]
    EmptySources { feed: String },
    #[error(
        "FEED_POLICIES: feed {feed:?} has the fingerprint {value:?}; expected 64 hex digits (SHA-256)"
    )]
    Fingerprint { feed: String, value: String },
}

/// Why a feed was refused. Every one is a 403 at the gateway and a security event.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum Refusal {
    #[error("this feed is not configured to write here")]
    NotConfigured,
    #[error("this feed's access has been revoked")]
    Revoked,
    #[error("this feed may not write event {event}")]
    NotGranted { event: String },
    /// Another entry claims the event more specifically. Told to the client as plainly as
    /// [`Refusal::NotGranted`]: who owns an event is the operators' business.
    #[error("this feed may not write event {event}")]
    OwnedElsewhere { event: String },
    #[error("this feed may not post from {address}")]
    SourceNotAllowed { address: String },
    #[error("this feed may only post from listed addresses, and the request's address is unknown")]
    NoSourceAddress,
    #[error("{0}")]
    ClientCert(CertRefusal),
}

impl Refusal {
    /// The security event to log for this refusal.
    pub fn security_event(&self) -> SecurityEvent {
        match self {
            Refusal::SourceNotAllowed { .. } | Refusal::NoSourceAddress => SecurityEvent::AllowList,
            _ => SecurityEvent::Policy,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PoliciesDocument {
    #[serde(default)]
    require_signatures: bool,
    feeds: BTreeMap<String, EntryDocument>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryDocument {
    #[serde(default)]
    events: Vec<String>,
    #[serde(default)]
    sign: bool,
    #[serde(default)]
    ips: Option<Vec<String>>,
    #[serde(default)]
    client_cert: Option<ClientCertDocument>,
    #[serde(default)]
    revoked: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ClientCertDocument {
    Required(bool),
    Fingerprints(Vec<String>),
}

impl FeedPolicies {
    /// Parses and checks the whole setting: one bad entry refuses all of it, so a typing mistake can
    /// never widen what a feed may do.
    pub fn from_json(json: &str) -> Result<FeedPolicies, PolicyError> {
        let document: PoliciesDocument =
            serde_json::from_str(json).map_err(|error| PolicyError::Json(error.to_string()))?;
        let mut entries = BTreeMap::new();
        for (feed, entry) in document.feeds {
            let valid_id = feed == ANY_FEED
                || (!feed.is_empty()
                    && feed.chars().count() <= MAX_FEED_ID_CHARS
                    && !feed.chars().any(char::is_whitespace));
            if !valid_id {
                return Err(PolicyError::FeedId(feed));
            }
            let parsed = FeedEntry::from_document(&feed, entry)?;
            entries.insert(feed, parsed);
        }
        Ok(FeedPolicies {
            require_signatures: document.require_signatures,
            entries,
        })
    }

    /// Whether every feed must sign, whatever its own entry says.
    pub fn require_signatures(&self) -> bool {
        self.require_signatures
    }

    /// The rules of `feed` (its own entry, else the `"*"` entry), unless it has none or is revoked.
    pub fn admit(&self, feed: &str) -> Result<FeedRules<'_>, Refusal> {
        let (key, entry) = self
            .entries
            .get_key_value(feed)
            .or_else(|| self.entries.get_key_value(ANY_FEED))
            .ok_or(Refusal::NotConfigured)?;
        if entry.revoked {
            return Err(Refusal::Revoked);
        }
        Ok(FeedRules {
            policies: self,
            key,
            entry,
        })
    }
}

impl FeedEntry {
    fn from_document(feed: &str, document: EntryDocument) -> Result<FeedEntry, PolicyError> {
        let events = document
            .events
            .iter()
            .map(|pattern| {
                EventPattern::parse(pattern).ok_or_else(|| PolicyError::Pattern {
                    feed: feed.to_owned(),
                    pattern: pattern.clone(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let sources = match document.ips {
            None => None,
            Some(list) if list.is_empty() => {
                return Err(PolicyError::EmptySources {
                    feed: feed.to_owned(),
                });
            }
            Some(list) => Some(
                list.iter()
                    .map(|text| {
                        text.parse::<IpRange>().map_err(|error| PolicyError::Range {
                            feed: feed.to_owned(),
                            error,
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let client_cert = match document.client_cert {
            None | Some(ClientCertDocument::Required(false)) => None,
            Some(ClientCertDocument::Required(true)) => Some(ClientCertRule::AnyVerified),
            Some(ClientCertDocument::Fingerprints(list)) => {
                let mut fingerprints = Vec::with_capacity(list.len());
                for value in list {
                    let normalised = normalise_fingerprint(&value);
                    if normalised.len() != 64 || !normalised.bytes().all(|b| b.is_ascii_hexdigit())
                    {
                        return Err(PolicyError::Fingerprint {
                            feed: feed.to_owned(),
                            value,
                        });
                    }
                    fingerprints.push(normalised);
                }
                Some(ClientCertRule::Fingerprints(fingerprints))
            }
        };
        Ok(FeedEntry {
            events,
            sign: document.sign,
            sources,
            client_cert,
            revoked: document.revoked,
        })
    }
}

/// One admitted feed's rules.
#[derive(Debug, Clone, Copy)]
pub struct FeedRules<'a> {
    policies: &'a FeedPolicies,
    key: &'a str,
    entry: &'a FeedEntry,
}

impl FeedRules<'_> {
    /// The entry that applies: the feed's own label, or `"*"`.
    pub fn entry(&self) -> &str {
        self.key
    }

    /// Whether the feed must sign its bodies (it must also when it has a signing key).
    pub fn must_sign(&self) -> bool {
        self.policies.require_signatures || self.entry.sign
    }

    /// Whether the feed may post from `address` (`None`: the request carried none).
    pub fn check_source(&self, address: Option<IpAddr>) -> Result<(), Refusal> {
        let Some(ranges) = &self.entry.sources else {
            return Ok(());
        };
        let address = address.ok_or(Refusal::NoSourceAddress)?;
        if ranges.iter().any(|range| range.contains(address)) {
            Ok(())
        } else {
            Err(Refusal::SourceNotAllowed {
                address: address.to_string(),
            })
        }
    }

    /// Whether the client certificate the edge reported satisfies the feed's rule, if it has one.
    pub fn check_client_cert(&self, cert: Option<&ClientCert>) -> Result<(), Refusal> {
        match &self.entry.client_cert {
            None => Ok(()),
            Some(rule) => rule.check(cert).map_err(Refusal::ClientCert),
        }
    }

    /// Whether the feed may write `event`: one of its patterns matches, and no other entry (revoked ones
    /// included) claims the event more specifically.
    pub fn may_write(&self, event: &str) -> Result<(), Refusal> {
        let mine = self
            .entry
            .best_match(event)
            .ok_or_else(|| Refusal::NotGranted {
                event: event.to_owned(),
            })?;
        let stronger_elsewhere = self
            .policies
            .entries
            .iter()
            .filter(|(key, _)| key.as_str() != self.key)
            .filter_map(|(_, entry)| entry.best_match(event))
            .any(|theirs| theirs > mine);
        if stronger_elsewhere {
            return Err(Refusal::OwnedElsewhere {
                event: event.to_owned(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use serde_json::json;

    use super::{FeedPolicies, PolicyError, Refusal};
    use crate::client_cert::{CertRefusal, ClientCert};
    use crate::ip_range::RangeError;
    use crate::security_event::SecurityEvent;

    const OMEGA: &str = "service:omega.access";
    const BACKUP: &str = "service:backup.access";
    const CURLING: &str = "service:curling.access";
    const STRANGER: &str = "service:stranger.access";
    const FINGERPRINT: &str = "3f4a5e8c0d1b2a39485766554433221100ffeeddccbbaa998877665544332211";

    fn policies(document: serde_json::Value) -> FeedPolicies {
        FeedPolicies::from_json(&document.to_string()).unwrap()
    }

    fn games() -> FeedPolicies {
        policies(json!({
            "feeds": {
                OMEGA: { "events": ["ALP*", "SBD*"], "sign": true, "ips": ["192.0.2.0/24", "2001:db8:10::/48"] },
                BACKUP: { "events": ["ALPMDOWNHILL"] },
                CURLING: { "events": ["CUR*"], "client_cert": [FINGERPRINT] },
                "*": { "events": ["*"] },
            }
        }))
    }

    /// `(feed, event, expected)` against `policies`.
    fn check_writes(policies: &FeedPolicies, cases: &[(&str, &str, Result<(), Refusal>)]) {
        for (feed, event, expected) in cases {
            let result = policies
                .admit(feed)
                .and_then(|rules| rules.may_write(event));
            assert_eq!(&result, expected, "{feed} writing {event}");
        }
    }

    fn not_granted(event: &str) -> Result<(), Refusal> {
        Err(Refusal::NotGranted {
            event: event.into(),
        })
    }

    fn owned(event: &str) -> Result<(), Refusal> {
        Err(Refusal::OwnedElsewhere {
            event: event.into(),
        })
    }

    #[test]
    fn the_most_specific_claim_wins() {
        check_writes(
            &games(),
            &[
                (OMEGA, "ALPMSLALOM", Ok(())),
                (OMEGA, "SBDWHALFPIPE", Ok(())),
                // The backup feed names the downhill exactly, so it owns it and Omega's ALP* does not.
                (BACKUP, "ALPMDOWNHILL", Ok(())),
                (OMEGA, "ALPMDOWNHILL", owned("ALPMDOWNHILL")),
                (BACKUP, "ALPMSLALOM", not_granted("ALPMSLALOM")),
                // A feed under "*" keeps only what nobody claims more specifically.
                (STRANGER, "BTHMSPRINT", Ok(())),
                (STRANGER, "ALPMSLALOM", owned("ALPMSLALOM")),
                (STRANGER, "ALPMDOWNHILL", owned("ALPMDOWNHILL")),
                (STRANGER, "CURXMIXED", owned("CURXMIXED")),
                (CURLING, "CURXMIXED", Ok(())),
                (CURLING, "ALPMSLALOM", not_granted("ALPMSLALOM")),
            ],
        );
    }

    #[test]
    fn the_finding_of_issue_15_an_unsigned_feed_cannot_write_a_signed_feeds_event() {
        // A signed feed owns its event; another identity that Access admits, unsigned, is refused.
        let policies = policies(json!({
            "feeds": {
                "service:signed-feed.access": { "events": ["ALPMCOMBINED"], "sign": true },
                "*": { "events": ["*"] },
            }
        }));
        check_writes(
            &policies,
            &[
                ("service:signed-feed.access", "ALPMCOMBINED", Ok(())),
                (
                    "service:local-feed.access",
                    "ALPMCOMBINED",
                    owned("ALPMCOMBINED"),
                ),
                ("service:local-feed.access", "ALPMSUPERG", Ok(())),
            ],
        );
        assert!(
            policies
                .admit("service:signed-feed.access")
                .unwrap()
                .must_sign()
        );
        assert!(
            !policies
                .admit("service:local-feed.access")
                .unwrap()
                .must_sign()
        );
    }

    #[test]
    fn longer_prefixes_beat_shorter_ones_and_equal_claims_share() {
        let policies = policies(json!({
            "feeds": {
                "a": { "events": ["ALP*"] },
                "b": { "events": ["ALPW*"] },
                "c": { "events": ["ALPW*"] },
                "d": { "events": ["ALPWSLALOM*"] },
            }
        }));
        check_writes(
            &policies,
            &[
                ("a", "ALPMSLALOM", Ok(())),
                ("a", "ALPWGIANTSLALOM", owned("ALPWGIANTSLALOM")),
                ("b", "ALPWGIANTSLALOM", Ok(())),
                ("c", "ALPWGIANTSLALOM", Ok(())),
                ("b", "ALPWSLALOM", owned("ALPWSLALOM")),
                ("d", "ALPWSLALOM", Ok(())),
                ("d", "ALPMSLALOM", not_granted("ALPMSLALOM")),
            ],
        );
    }

    #[test]
    fn an_exact_code_beats_a_prefix_of_the_same_length() {
        let policies = policies(json!({
            "feeds": { "a": { "events": ["ALPMSLALOM*"] }, "b": { "events": ["ALPMSLALOM"] } }
        }));
        check_writes(
            &policies,
            &[
                ("b", "ALPMSLALOM", Ok(())),
                ("a", "ALPMSLALOM", owned("ALPMSLALOM")),
                ("a", "ALPMSLALOMTEAM", Ok(())),
            ],
        );
    }

    #[test]
    fn unlisted_feeds_without_a_default_entry_are_refused() {
        let policies = policies(json!({ "feeds": { OMEGA: { "events": ["*"] } } }));
        assert_eq!(policies.admit(STRANGER).err(), Some(Refusal::NotConfigured));
        let nobody = self::policies(json!({ "feeds": {} }));
        assert_eq!(nobody.admit(OMEGA).err(), Some(Refusal::NotConfigured));
        let no_events = self::policies(json!({ "feeds": { OMEGA: {} } }));
        check_writes(
            &no_events,
            &[(OMEGA, "ALPMSLALOM", not_granted("ALPMSLALOM"))],
        );
    }

    #[test]
    fn a_revoked_feed_is_refused_and_keeps_its_events_from_others() {
        let policies = policies(json!({
            "feeds": {
                OMEGA: { "events": ["ALP*"], "revoked": true },
                "*": { "events": ["*"] },
            }
        }));
        assert_eq!(policies.admit(OMEGA).err(), Some(Refusal::Revoked));
        check_writes(&policies, &[(STRANGER, "ALPMSLALOM", owned("ALPMSLALOM"))]);
        // "*" itself can be revoked: then only listed feeds get in.
        let closed =
            self::policies(json!({ "feeds": { "*": { "events": ["*"], "revoked": true } } }));
        assert_eq!(closed.admit(STRANGER).err(), Some(Refusal::Revoked));
    }

    #[test]
    fn signing_is_required_per_feed_or_for_everyone() {
        let games = games();
        assert!(games.admit(OMEGA).unwrap().must_sign());
        assert!(!games.admit(BACKUP).unwrap().must_sign());
        assert!(!games.require_signatures());
        let everyone = policies(json!({
            "require_signatures": true,
            "feeds": { BACKUP: { "events": ["*"] }, "*": { "events": ["*"] } }
        }));
        assert!(everyone.require_signatures());
        assert!(everyone.admit(BACKUP).unwrap().must_sign());
        assert!(everyone.admit(STRANGER).unwrap().must_sign());
    }

    #[test]
    fn sources_are_checked_against_the_feeds_ranges() {
        let games = games();
        let omega = games.admit(OMEGA).unwrap();
        let at = |ip: &str| omega.check_source(Some(ip.parse().unwrap()));
        assert_eq!(at("192.0.2.10"), Ok(()));
        assert_eq!(at("2001:db8:10:ffff::1"), Ok(()));
        assert_eq!(
            at("198.51.100.7"),
            Err(Refusal::SourceNotAllowed {
                address: "198.51.100.7".into()
            })
        );
        assert_eq!(
            at("2001:db8:11::1"),
            Err(Refusal::SourceNotAllowed {
                address: "2001:db8:11::1".into()
            })
        );
        assert_eq!(omega.check_source(None), Err(Refusal::NoSourceAddress));
        // No list: any address, or none.
        let backup = games.admit(BACKUP).unwrap();
        assert_eq!(
            backup.check_source(Some("198.51.100.7".parse().unwrap())),
            Ok(())
        );
        assert_eq!(backup.check_source(None), Ok(()));
    }

    #[test]
    fn client_certificates_are_checked_only_where_required() {
        let games = games();
        let verified = |fingerprint: &str| ClientCert {
            presented: true,
            verified: "SUCCESS".into(),
            fingerprint_sha256: fingerprint.into(),
        };
        let curling = games.admit(CURLING).unwrap();
        assert_eq!(
            curling.check_client_cert(Some(&verified(FINGERPRINT))),
            Ok(())
        );
        assert_eq!(
            curling.check_client_cert(None),
            Err(Refusal::ClientCert(CertRefusal::NotPresented))
        );
        assert_eq!(
            curling.check_client_cert(Some(&verified(&"0".repeat(64)))),
            Err(Refusal::ClientCert(CertRefusal::WrongCertificate))
        );
        assert_eq!(games.admit(OMEGA).unwrap().check_client_cert(None), Ok(()));
        let any = policies(json!({ "feeds": { OMEGA: { "client_cert": true } } }));
        let omega = any.admit(OMEGA).unwrap();
        assert_eq!(omega.check_client_cert(Some(&verified("whatever"))), Ok(()));
        assert!(omega.check_client_cert(None).is_err());
        let off = policies(json!({ "feeds": { OMEGA: { "client_cert": false } } }));
        assert_eq!(off.admit(OMEGA).unwrap().check_client_cert(None), Ok(()));
    }

    #[test]
    fn refusals_name_their_security_event() {
        assert_eq!(
            Refusal::NoSourceAddress.security_event(),
            SecurityEvent::AllowList
        );
        assert_eq!(
            Refusal::SourceNotAllowed {
                address: "x".into()
            }
            .security_event(),
            SecurityEvent::AllowList
        );
        for refusal in [
            Refusal::NotConfigured,
            Refusal::Revoked,
            Refusal::NotGranted { event: "E".into() },
            Refusal::OwnedElsewhere { event: "E".into() },
            Refusal::ClientCert(CertRefusal::NotPresented),
        ] {
            assert_eq!(
                refusal.security_event(),
                SecurityEvent::Policy,
                "{refusal:?}"
            );
        }
    }

    #[test]
    fn a_bad_setting_is_refused_whole() {
        let bad = |document: serde_json::Value| {
            FeedPolicies::from_json(&document.to_string()).unwrap_err()
        };
        assert!(matches!(
            FeedPolicies::from_json("").unwrap_err(),
            PolicyError::Json(_)
        ));
        assert!(matches!(bad(json!({})), PolicyError::Json(_)));
        assert!(matches!(
            bad(json!({ "feeds": {}, "allow_all": true })),
            PolicyError::Json(_)
        ));
        assert!(matches!(
            bad(json!({ "feeds": { OMEGA: { "event": ["*"] } } })),
            PolicyError::Json(_)
        ));
        assert!(matches!(
            bad(json!({ "feeds": { OMEGA: { "sign": "yes" } } })),
            PolicyError::Json(_)
        ));
        assert_eq!(
            bad(json!({ "feeds": { "": {} } })),
            PolicyError::FeedId(String::new())
        );
        assert_eq!(
            bad(json!({ "feeds": { "a b": {} } })),
            PolicyError::FeedId("a b".into())
        );
        assert_eq!(
            bad(json!({ "feeds": { "x".repeat(65): {} } })),
            PolicyError::FeedId("x".repeat(65))
        );
        for pattern in [
            "alp*",
            "ALP",
            "**",
            "AL P*",
            "ALPMDOWNHILL**",
            "*ALP",
            "",
            "ALPMDOWNHILLXXXXXXXXXXXX",
        ] {
            assert_eq!(
                bad(json!({ "feeds": { OMEGA: { "events": [pattern] } } })),
                PolicyError::Pattern {
                    feed: OMEGA.into(),
                    pattern: pattern.into()
                },
                "{pattern:?}"
            );
        }
        assert_eq!(
            bad(json!({ "feeds": { OMEGA: { "ips": ["192.0.2.1/24"] } } })),
            PolicyError::Range {
                feed: OMEGA.into(),
                error: RangeError::HostBitsSet("192.0.2.1/24".into())
            }
        );
        assert_eq!(
            bad(json!({ "feeds": { OMEGA: { "ips": [] } } })),
            PolicyError::EmptySources { feed: OMEGA.into() }
        );
        assert_eq!(
            bad(json!({ "feeds": { OMEGA: { "client_cert": ["abc"] } } })),
            PolicyError::Fingerprint {
                feed: OMEGA.into(),
                value: "abc".into()
            }
        );
    }

    #[test]
    fn fingerprints_may_be_written_with_colons_and_capitals() {
        let spaced: String = FINGERPRINT
            .to_uppercase()
            .as_bytes()
            .chunks(2)
            .map(|pair| String::from_utf8_lossy(pair).into_owned())
            .collect::<Vec<_>>()
            .join(":");
        let policies = policies(json!({ "feeds": { OMEGA: { "client_cert": [spaced] } } }));
        let cert = ClientCert {
            presented: true,
            verified: "SUCCESS".into(),
            fingerprint_sha256: FINGERPRINT.into(),
        };
        assert_eq!(
            policies
                .admit(OMEGA)
                .unwrap()
                .check_client_cert(Some(&cert)),
            Ok(())
        );
    }
}
