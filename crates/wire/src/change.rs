//! The record of one applied change, as the archive and analytics consumers receive it.
//!
//! Queues deliver at least once, so everything a consumer does with a record must be idempotent: the pair
//! (`event`, `event_version`) identifies a change uniquely and is the key both consumers write under.

use serde::{Deserialize, Serialize};

/// Bumped when a field changes meaning; consumers reject records from a schema they do not know rather
/// than misread them.
pub const CHANGE_SCHEMA: u16 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Definition,
    Results,
    Game,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Definition => "definition",
            ChangeKind::Results => "results",
            ChangeKind::Game => "game",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "definition" => Some(ChangeKind::Definition),
            "results" => Some(ChangeKind::Results),
            "game" => Some(ChangeKind::Game),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRecord {
    pub schema: u16,
    pub event: String,
    pub event_version: u64,
    pub kind: ChangeKind,
    /// Empty for a definition change, which belongs to no unit.
    pub unit: String,
    pub unit_version: u64,
    pub status: String,
    pub message_id: String,
    /// The authenticated feed that sent the change (from its Access identity).
    pub feed: String,
    pub received_at_ms: u64,
    pub medals_changed: bool,
    /// The accepted message exactly as applied, as JSON: the archive is the replayable source of truth.
    pub body_json: String,
    /// True when the body was too large for a Queue message: the producer wrote it to the archive under
    /// [`ChangeRecord::archive_key`] itself, and `body_json` is empty.
    #[serde(default)]
    pub body_in_archive: bool,
    /// The id of the request that made the change, so the consumers' log lines join the gateway's and the
    /// object's. Empty in records from before it was added (which still decode: the field is optional,
    /// so the schema did not change).
    #[serde(default)]
    pub request_id: String,
    /// When the feed says it sent the message (Unix ms), for lateness; absent when it did not say.
    #[serde(default)]
    pub sent_at_ms: Option<u64>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("change record is not valid MessagePack for this schema: {0}")]
    Malformed(String),
    #[error("change record has schema {found}, this consumer reads schema {expected}")]
    UnknownSchema { found: u16, expected: u16 },
}

impl ChangeRecord {
    pub fn to_msgpack(&self) -> Vec<u8> {
        // Encoding a struct of strings and integers into a Vec cannot fail; fall back to an empty body
        // (which decode rejects) rather than panic if rmp-serde ever says otherwise.
        rmp_serde::to_vec_named(self).unwrap_or_default()
    }

    pub fn from_msgpack(bytes: &[u8]) -> Result<Self, DecodeError> {
        let record: ChangeRecord =
            rmp_serde::from_slice(bytes).map_err(|e| DecodeError::Malformed(e.to_string()))?;
        if record.schema != CHANGE_SCHEMA {
            return Err(DecodeError::UnknownSchema {
                found: record.schema,
                expected: CHANGE_SCHEMA,
            });
        }
        Ok(record)
    }

    /// The metadata stored with the archived body: everything but the body, so that the archive alone can
    /// replay the change (`object_logic::replay`).
    pub fn archive_metadata(&self) -> Vec<(String, String)> {
        [
            ("kind", self.kind.as_str().to_string()),
            ("unit", self.unit.clone()),
            ("unit_version", self.unit_version.to_string()),
            ("status", self.status.clone()),
            ("message_id", self.message_id.clone()),
            ("feed", self.feed.clone()),
            ("received_at_ms", self.received_at_ms.to_string()),
            ("request_id", self.request_id.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// The event and version an archive key names (`events/{event}/changes/{version}.json`).
    pub fn parse_archive_key(key: &str) -> Option<(&str, u64)> {
        let rest = key.strip_prefix("events/")?;
        let (event, file) = rest.split_once("/changes/")?;
        let version = file.strip_suffix(".json")?.parse().ok()?;
        Some((event, version))
    }

    /// Where the archiver stores this change in R2. Zero-padded versions keep a prefix listing in
    /// version order; one key per change makes a redelivered message overwrite itself, not duplicate.
    pub fn archive_key(&self) -> String {
        format!(
            "events/{}/changes/{:012}.json",
            self.event, self.event_version
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn sample() -> ChangeRecord {
        ChangeRecord {
            schema: CHANGE_SCHEMA,
            event: "ALPMDOWNHILL".into(),
            event_version: 7,
            kind: ChangeKind::Results,
            unit: "FNL".into(),
            unit_version: 3,
            status: "OFFICIAL".into(),
            message_id: "m-7".into(),
            feed: "service:timing".into(),
            received_at_ms: 1_770_000_000_000,
            medals_changed: true,
            body_json: r#"{"unit":"FNL"}"#.into(),
            body_in_archive: false,
            request_id: "8f1a2b3c4d5e6f70-FRA".into(),
            sent_at_ms: Some(1_769_999_999_500),
        }
    }

    #[test]
    fn msgpack_round_trip_keeps_every_field() {
        let record = sample();
        assert_eq!(ChangeRecord::from_msgpack(&record.to_msgpack()), Ok(record));
    }

    /// A record written before `request_id` existed still decodes, with an empty id.
    #[test]
    fn a_record_without_a_request_id_still_reads() {
        #[derive(Serialize)]
        struct Before<'a> {
            schema: u16,
            event: &'a str,
            event_version: u64,
            kind: ChangeKind,
            unit: &'a str,
            unit_version: u64,
            status: &'a str,
            message_id: &'a str,
            feed: &'a str,
            received_at_ms: u64,
            medals_changed: bool,
            body_json: &'a str,
        }
        let before = Before {
            schema: CHANGE_SCHEMA,
            event: "ALPMDOWNHILL",
            event_version: 7,
            kind: ChangeKind::Results,
            unit: "FNL",
            unit_version: 3,
            status: "OFFICIAL",
            message_id: "m-7",
            feed: "service:timing",
            received_at_ms: 1,
            medals_changed: false,
            body_json: "{}",
        };
        let bytes = rmp_serde::to_vec_named(&before).unwrap();
        let record = ChangeRecord::from_msgpack(&bytes).unwrap();
        assert_eq!(record.request_id, "");
        assert_eq!(record.sent_at_ms, None);
        assert_eq!(record.event_version, 7);
    }

    #[test]
    fn unknown_schema_is_rejected_not_misread() {
        let mut record = sample();
        record.schema = CHANGE_SCHEMA + 1;
        assert_eq!(
            ChangeRecord::from_msgpack(&record.to_msgpack()),
            Err(DecodeError::UnknownSchema {
                found: CHANGE_SCHEMA + 1,
                expected: CHANGE_SCHEMA
            })
        );
    }

    #[test]
    fn garbage_is_a_decode_error() {
        assert!(matches!(
            ChangeRecord::from_msgpack(&[0xc1, 0x00]),
            Err(DecodeError::Malformed(_))
        ));
        assert!(matches!(
            ChangeRecord::from_msgpack(&[]),
            Err(DecodeError::Malformed(_))
        ));
    }

    #[test]
    fn archive_keys_sort_in_version_order() {
        let mut a = sample();
        let mut b = sample();
        a.event_version = 9;
        b.event_version = 10;
        assert_eq!(
            a.archive_key(),
            "events/ALPMDOWNHILL/changes/000000000009.json"
        );
        assert!(a.archive_key() < b.archive_key());
        assert_eq!(
            ChangeRecord::parse_archive_key(&b.archive_key()),
            Some(("ALPMDOWNHILL", 10))
        );
        assert_eq!(
            ChangeRecord::parse_archive_key("events/X/other/1.json"),
            None
        );
    }
}
