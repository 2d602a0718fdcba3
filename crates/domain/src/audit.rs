//! What applying a message reports back, and the audit trail of changes (corrections are kept for good).

use serde::{Deserialize, Serialize};

use crate::codes::UnitCode;
use crate::status::ResultStatus;

/// Who sent a message and when it arrived; the caller owns the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyContext {
    pub feed: String,
    pub received_at_ms: u64,
}

/// The result of applying a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ApplyOutcome {
    /// The message changed the state.
    Applied(AppliedChange),
    /// The unit already has this version: nothing changed (the same message twice).
    Duplicate { unit_version: u64 },
    /// The unit already has a newer version: nothing changed (an out-of-order message).
    Stale { current_version: u64 },
}

/// A change made by a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedChange {
    pub event_version: u64,
    pub unit: UnitCode,
    pub unit_version: u64,
    pub status: ResultStatus,
    /// True when the event's medals differ from before (awarded, or reallocated by a correction).
    pub medals_changed: bool,
    pub audit: AuditEntry,
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub event_version: u64,
    pub unit: UnitCode,
    pub unit_version: u64,
    pub message_id: String,
    pub feed: String,
    pub received_at_ms: u64,
    pub status: ResultStatus,
    pub note: Option<String>,
    /// What changed, e.g. `DSQ of Jane Doe (JD1) after OFFICIAL; medals reallocated`.
    pub summary: String,
    /// True when the unit was already OFFICIAL: such entries are never dropped from the trail.
    #[serde(default)]
    pub correction: bool,
    #[serde(default)]
    pub medals_changed: bool,
}

impl AuditEntry {
    /// Entries that must survive trimming: corrections, and anything that made or changed medals.
    pub(crate) fn is_permanent(&self) -> bool {
        self.correction || self.medals_changed || self.status == ResultStatus::Official
    }
}

/// How many routine (non-permanent) entries the trail keeps; live updates are many and storage is small.
pub(crate) const ROUTINE_AUDIT_KEPT: usize = 200;

/// The audit trail, oldest first. Behaves as a `Vec<AuditEntry>` to which [`AuditTrail::push`] appends
/// an entry and then drops the oldest routine entries beyond [`ROUTINE_AUDIT_KEPT`]; it serialises,
/// compares and prints as that `Vec`. Dropping the oldest routine entry of a full trail, which live
/// updates do on every message, costs O(1) amortised instead of shifting the whole trail: the dropped
/// entry is rotated into a dead prefix that is cleared once it is long enough.
#[derive(Default)]
pub(crate) struct AuditTrail {
    /// `entries[start..]` is the trail; `entries[..start]` are dropped entries awaiting removal.
    entries: Vec<AuditEntry>,
    start: usize,
    /// How many entries of the trail are routine (not permanent).
    routine: usize,
}

/// Dropped entries are removed in batches of this many.
const DEAD_KEPT: usize = 64;

impl AuditTrail {
    pub(crate) fn as_slice(&self) -> &[AuditEntry] {
        self.entries.get(self.start..).unwrap_or(&[])
    }

    /// Appends an entry and drops the oldest routine entries beyond the limit.
    pub(crate) fn push(&mut self, entry: AuditEntry) {
        if !entry.is_permanent() {
            self.routine += 1;
        }
        self.entries.push(entry);
        if self.routine <= ROUTINE_AUDIT_KEPT {
            return;
        }
        let oldest = self
            .as_slice()
            .iter()
            .position(|e| !e.is_permanent())
            .map(|i| self.start + i);
        match (self.routine - ROUTINE_AUDIT_KEPT, oldest) {
            (1, Some(at)) => {
                // Move the oldest routine entry to the front of the trail, then out of it.
                if let Some(span) = self.entries.get_mut(self.start..=at) {
                    span.rotate_right(1);
                }
                self.start += 1;
                self.routine -= 1;
                if self.start >= DEAD_KEPT {
                    self.entries.drain(..self.start);
                    self.start = 0;
                }
            }
            (to_drop, _) => {
                // A trail loaded with more routine entries than the limit: drop them all at once.
                self.entries.drain(..self.start);
                self.start = 0;
                let mut to_drop = to_drop;
                self.entries.retain(|e| {
                    if to_drop > 0 && !e.is_permanent() {
                        to_drop -= 1;
                        false
                    } else {
                        true
                    }
                });
                self.routine = count_routine(&self.entries);
            }
        }
    }
}

fn count_routine(entries: &[AuditEntry]) -> usize {
    entries.iter().filter(|e| !e.is_permanent()).count()
}

impl From<Vec<AuditEntry>> for AuditTrail {
    fn from(entries: Vec<AuditEntry>) -> Self {
        let routine = count_routine(&entries);
        Self {
            entries,
            start: 0,
            routine,
        }
    }
}

impl Clone for AuditTrail {
    fn clone(&self) -> Self {
        Self::from(self.as_slice().to_vec())
    }
}

impl PartialEq for AuditTrail {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl std::fmt::Debug for AuditTrail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_slice().fmt(f)
    }
}

impl Serialize for AuditTrail {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(serializer)
    }
}
