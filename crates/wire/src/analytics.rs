//! What the analytics Queue carries besides change records: the read gateway's counts of the reads it
//! answered, aggregated per isolate and sent every so often (a message per read would cost more in Queue
//! operations than the reads themselves).
//!
//! Both kinds travel as MessagePack on one Queue; [`AnalyticsMessage::decode`] tells them apart by the
//! `kind` a read count carries and a change record does not.

use serde::{Deserialize, Serialize};

use crate::change::{ChangeRecord, DecodeError};

/// Reads answered by one isolate over a stretch of time, by route, status and where the answer came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadCounts {
    /// Always `reads`: how the consumer tells this from a change record.
    pub kind: String,
    /// Unique per message, so a redelivered one is counted once.
    pub id: String,
    pub from_ms: u64,
    pub to_ms: u64,
    pub counts: Vec<ReadCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadCount {
    /// The route's template, e.g. `/v1/events/{event}/leaderboard`.
    pub route: String,
    pub status: u16,
    /// `memory`, `edge`, `origin`, `published`, `stale` or `none` (an error, a socket).
    pub cache: String,
    pub count: u64,
}

pub const READS_KIND: &str = "reads";

impl ReadCounts {
    pub fn new(id: String, from_ms: u64, to_ms: u64, counts: Vec<ReadCount>) -> Self {
        Self {
            kind: READS_KIND.into(),
            id,
            from_ms,
            to_ms,
            counts,
        }
    }

    pub fn to_msgpack(&self) -> Vec<u8> {
        rmp_serde::to_vec_named(self).unwrap_or_default()
    }
}

/// A message of the analytics Queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalyticsMessage {
    Change(ChangeRecord),
    Reads(ReadCounts),
}

#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    kind: Option<String>,
}

impl AnalyticsMessage {
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let probe: Probe =
            rmp_serde::from_slice(bytes).map_err(|e| DecodeError::Malformed(e.to_string()))?;
        if probe.kind.as_deref() == Some(READS_KIND) {
            return rmp_serde::from_slice(bytes)
                .map(AnalyticsMessage::Reads)
                .map_err(|e| DecodeError::Malformed(e.to_string()));
        }
        ChangeRecord::from_msgpack(bytes).map(AnalyticsMessage::Change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::{CHANGE_SCHEMA, ChangeKind};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn read_counts_and_change_records_are_told_apart() {
        let reads = ReadCounts::new(
            "isolate-1-7".into(),
            1,
            2,
            vec![ReadCount {
                route: "/v1/medals".into(),
                status: 200,
                cache: "memory".into(),
                count: 40,
            }],
        );
        assert_eq!(
            AnalyticsMessage::decode(&reads.to_msgpack()),
            Ok(AnalyticsMessage::Reads(reads))
        );
        let change = ChangeRecord {
            schema: CHANGE_SCHEMA,
            event: "ALPMDOWNHILL".into(),
            event_version: 1,
            kind: ChangeKind::Results,
            unit: "FNL".into(),
            unit_version: 1,
            status: "LIVE".into(),
            message_id: "m".into(),
            feed: "f".into(),
            received_at_ms: 3,
            medals_changed: false,
            body_json: "{}".into(),
            body_in_archive: false,
            request_id: String::new(),
            sent_at_ms: None,
        };
        assert_eq!(
            AnalyticsMessage::decode(&change.to_msgpack()),
            Ok(AnalyticsMessage::Change(change))
        );
        assert!(AnalyticsMessage::decode(&[0xc1]).is_err());
    }
}
