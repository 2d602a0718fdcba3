//! Batches for `POST /v1/ingest/batch`: each message serialised once as `{"event","kind","message"}`,
//! split into consecutive batches of at most 500 messages and 1 MiB, and, when catching up, messages
//! that a later message for the same unit in the same batch replaces are left out.

use std::ops::Range;

use serde::Serialize;
use serde_json::value::RawValue;

use domain::{EventCode, ResultStatus, UnitCode};

use crate::timeline::{Outgoing, Scheduled};

/// The ingest API's limits (docs/API.md, "Limits").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_messages: usize,
    pub max_body_bytes: usize,
    pub max_message_bytes: usize,
}

pub const LIMITS: Limits = Limits {
    max_messages: 500,
    max_body_bytes: 1_048_576,
    max_message_bytes: 262_144,
};

/// `{"messages":[` and `]}` around the comma-separated messages.
const BODY_OVERHEAD: usize = r#"{"messages":[]}"#.len();

#[derive(Serialize)]
struct Envelope<'a> {
    event: &'a EventCode,
    #[serde(flatten)]
    message: &'a Outgoing,
}

#[derive(Serialize)]
struct Body<'a> {
    messages: Vec<&'a RawValue>,
}

/// A timeline message ready to send.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Its index in the timeline.
    pub index: usize,
    pub event: EventCode,
    pub kind: &'static str,
    pub unit: Option<UnitCode>,
    pub version: u64,
    pub status: Option<ResultStatus>,
    pub noted: bool,
    /// The envelope as sent.
    pub raw: Box<RawValue>,
    /// The size of the `message` part, which the gateway limits to 256 KiB.
    pub message_bytes: usize,
}

impl Prepared {
    pub fn new(index: usize, item: &Scheduled) -> Result<Self, serde_json::Error> {
        let message_bytes = match &item.message {
            Outgoing::Definition(d) => serde_json::to_vec(d)?.len(),
            Outgoing::Results(m) => serde_json::to_vec(m)?.len(),
            Outgoing::Game(g) => serde_json::to_vec(g)?.len(),
        };
        let raw = serde_json::value::to_raw_value(&Envelope {
            event: &item.event,
            message: &item.message,
        })?;
        Ok(Self {
            index,
            event: item.event.clone(),
            kind: item.message.kind(),
            unit: item.message.unit().cloned(),
            version: item.message.version(),
            status: item.message.status(),
            noted: item.message.note().is_some(),
            raw,
            message_bytes,
        })
    }

    /// `ALPMDOWNHILL results FNL v12`, for log lines.
    pub fn label(&self) -> String {
        match &self.unit {
            Some(unit) => format!("{} {} {unit} v{}", self.event, self.kind, self.version),
            None => format!("{} {}", self.event, self.kind),
        }
    }
}

/// Which messages to send when catching up: a results or game message is left out when a later message
/// for the same unit in the same list replaces it (results are full replacements), unless it makes the
/// unit OFFICIAL or carries a note. Returns a keep flag per message.
pub fn coalesce(items: &[Prepared]) -> Vec<bool> {
    let mut keep = vec![true; items.len()];
    let mut seen: std::collections::BTreeSet<(&EventCode, &UnitCode)> =
        std::collections::BTreeSet::new();
    for (i, item) in items.iter().enumerate().rev() {
        let Some(unit) = &item.unit else { continue };
        let protected = item.status == Some(ResultStatus::Official) || item.noted;
        if !seen.insert((&item.event, unit))
            && !protected
            && let Some(k) = keep.get_mut(i)
        {
            *k = false;
        }
    }
    keep
}

/// Splits messages into consecutive batches within the limits (a message alone over the body limit
/// gets a batch of its own, for the gateway to refuse).
pub fn split(items: &[&Prepared], limits: Limits) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = BODY_OVERHEAD;
    for (i, item) in items.iter().enumerate() {
        let size = item.raw.get().len() + usize::from(i > start);
        if i > start && (i - start >= limits.max_messages || bytes + size > limits.max_body_bytes) {
            out.push(start..i);
            start = i;
            bytes = BODY_OVERHEAD + item.raw.get().len();
        } else {
            bytes += size;
        }
    }
    if start < items.len() {
        out.push(start..items.len());
    }
    out
}

/// The body of one batch.
pub fn body(items: &[&Prepared]) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&Body {
        messages: items.iter().map(|p| p.raw.as_ref()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{ResultEntry, ResultsMessage};

    fn results(
        event: &str,
        unit: &str,
        version: u64,
        status: ResultStatus,
        note: Option<&str>,
        padding: usize,
    ) -> Scheduled {
        let entry = |i: usize| ResultEntry {
            competitor: format!("C{i}").parse().unwrap_or_else(|_| unreachable!()),
            name: "x".repeat(100),
            noc: "SUI".parse().unwrap_or_else(|_| unreachable!()),
            mark: None,
            irm: None,
            start_order: None,
            members: Vec::new(),
        };
        Scheduled {
            at_ms: 0,
            event: event.parse().unwrap_or_else(|_| unreachable!()),
            message: Outgoing::Results(ResultsMessage {
                message_id: format!("{unit}-{version}"),
                unit: unit.parse().unwrap_or_else(|_| unreachable!()),
                version,
                status,
                entries: (0..padding).map(entry).collect(),
                note: note.map(str::to_owned),
            }),
        }
    }

    fn prepared(items: &[Scheduled]) -> Vec<Prepared> {
        items
            .iter()
            .enumerate()
            .map(|(i, item)| Prepared::new(i, item).unwrap_or_else(|e| unreachable!("{e}")))
            .collect()
    }

    fn check_split(items: &[Prepared], limits: Limits, expected: &[Range<usize>]) {
        let refs: Vec<&Prepared> = items.iter().collect();
        let ranges = split(&refs, limits);
        assert_eq!(ranges, expected);
        for range in ranges {
            let chunk = refs.get(range.clone()).unwrap_or_default();
            let bytes = body(chunk).unwrap_or_default();
            assert!(chunk.len() <= limits.max_messages);
            assert!(
                chunk.len() == 1 || bytes.len() <= limits.max_body_bytes,
                "{} bytes",
                bytes.len()
            );
            let parsed: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            assert_eq!(
                parsed["messages"].as_array().map(Vec::len),
                Some(chunk.len())
            );
        }
    }

    #[test]
    fn batches_hold_at_most_500_messages() {
        let items: Vec<Scheduled> = (0..1_201)
            .map(|v| results("ALPMDOWNHILL", "FNL", v + 1, ResultStatus::Live, None, 0))
            .collect();
        check_split(
            &prepared(&items),
            LIMITS,
            &[0..500, 500..1_000, 1_000..1_201],
        );
    }

    #[test]
    fn batches_are_split_by_bytes() {
        // About 120 KiB per message: eight fit in 1 MiB.
        let items: Vec<Scheduled> = (0..20)
            .map(|v| results("ALPMDOWNHILL", "FNL", v + 1, ResultStatus::Live, None, 900))
            .collect();
        let items = prepared(&items);
        assert!(
            items
                .iter()
                .all(|p| p.message_bytes > 100_000 && p.message_bytes < LIMITS.max_message_bytes)
        );
        check_split(&items, LIMITS, &[0..8, 8..16, 16..20]);
        let tight = Limits {
            max_body_bytes: items
                .first()
                .map_or(0, |p| p.raw.get().len() * 2 + BODY_OVERHEAD + 1),
            ..LIMITS
        };
        check_split(&items[..3], tight, &[0..2, 2..3]);
        assert_eq!(split(&[], LIMITS), Vec::<Range<usize>>::new());
    }

    #[test]
    fn the_envelope_is_what_the_batch_route_reads() {
        let items = prepared(&[results(
            "ALPMDOWNHILL",
            "FNL",
            3,
            ResultStatus::Live,
            None,
            1,
        )]);
        let value: serde_json::Value = serde_json::from_str(items[0].raw.get()).unwrap_or_default();
        assert_eq!(value["event"], "ALPMDOWNHILL");
        assert_eq!(value["kind"], "results");
        assert_eq!(value["message"]["version"], 3);
        assert_eq!(value["message"]["unit"], "FNL");
        assert_eq!(items[0].label(), "ALPMDOWNHILL results FNL v3");
    }

    #[test]
    fn catching_up_skips_replaced_results_but_never_official_or_noted_ones() {
        let items = prepared(&[
            results("ALPMDOWNHILL", "FNL", 1, ResultStatus::Live, None, 0),
            results("ALPWDOWNHILL", "FNL", 1, ResultStatus::Live, None, 0),
            results("ALPMDOWNHILL", "FNL", 2, ResultStatus::Official, None, 0),
            results(
                "ALPMDOWNHILL",
                "FNL",
                3,
                ResultStatus::Official,
                Some("corrected"),
                0,
            ),
            results("ALPMDOWNHILL", "FNL", 4, ResultStatus::Live, None, 0),
            results("ALPMDOWNHILL", "RUN", 1, ResultStatus::Live, Some("why"), 0),
            results("ALPMDOWNHILL", "RUN", 2, ResultStatus::Live, None, 0),
        ]);
        assert_eq!(
            coalesce(&items),
            vec![false, true, true, true, true, true, true]
        );
    }
}
