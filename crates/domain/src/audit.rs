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

/// Appends an entry and drops the oldest routine entries beyond the limit.
pub(crate) fn push_audit(trail: &mut Vec<AuditEntry>, entry: AuditEntry) {
    trail.push(entry);
    let routine = trail.iter().filter(|e| !e.is_permanent()).count();
    if routine > ROUTINE_AUDIT_KEPT {
        let mut to_drop = routine - ROUTINE_AUDIT_KEPT;
        trail.retain(|e| {
            if to_drop > 0 && !e.is_permanent() {
                to_drop -= 1;
                false
            } else {
                true
            }
        });
    }
}
