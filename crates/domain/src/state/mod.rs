//! One event's state: definition, unit results, versions and audit trail.
//!
//! Split by what callers do with it:
//! - here: the state itself, its definition, and how it is stored;
//! - [`apply`]: the write path: messages validated and applied idempotently, each change audited;
//! - [`read_model`]: what readers ask of it: medals, leaderboard pages, standings, qualification;
//! - [`classification`]: the event's final ranking across its final units and the rounds before.

mod apply;
mod classification;
mod read_model;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::audit::{AuditEntry, AuditTrail};
use crate::catalog::{EventDefinition, ParticipantIndex};
use crate::codes::UnitCode;
use crate::error::DomainError;
use crate::unit::{Ranking, UnitResults};

/// The state of one event, as the event Durable Object keeps it. Store it with [`EventState::to_bytes`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "EventStateFields")]
pub struct EventState {
    definition: EventDefinition,
    version: u64,
    units: BTreeMap<UnitCode, UnitResults>,
    audit: AuditTrail,
    /// The definition's participants by id; derived from `definition`, rebuilt whenever it is set.
    #[serde(skip)]
    participants: ParticipantIndex,
}

/// Prints the stored fields; the participant index derived from the definition is left out.
impl std::fmt::Debug for EventState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventState")
            .field("definition", &self.definition)
            .field("version", &self.version)
            .field("units", &self.units)
            .field("audit", &self.audit)
            .finish()
    }
}

/// The stored fields; loading goes through here so that rankings are rebuilt from the stored results.
#[derive(Deserialize)]
struct EventStateFields {
    definition: EventDefinition,
    version: u64,
    units: BTreeMap<UnitCode, UnitResults>,
    #[serde(default)]
    audit: Vec<AuditEntry>,
}

impl From<EventStateFields> for EventState {
    fn from(fields: EventStateFields) -> Self {
        let participants = ParticipantIndex::new(&fields.definition);
        let mut state = Self {
            definition: fields.definition,
            version: fields.version,
            units: fields.units,
            audit: AuditTrail::from(fields.audit),
            participants,
        };
        for unit in state.units.values_mut() {
            // Stored results were validated when applied; a unit that no longer ranks keeps no rows rather
            // than failing the whole load.
            if unit.rerank(&state.definition, &state.participants).is_err() {
                unit.set_ranking(Ranking::default());
            }
        }
        state
    }
}

impl EventState {
    /// A fresh event. The definition should have passed [`EventDefinition::validate`].
    pub fn new(definition: EventDefinition) -> Self {
        let participants = ParticipantIndex::new(&definition);
        Self {
            definition,
            version: 0,
            units: BTreeMap::new(),
            audit: AuditTrail::default(),
            participants,
        }
    }

    /// Validates a definition and starts an event with it.
    pub fn try_new(definition: EventDefinition) -> Result<Self, DomainError> {
        definition.validate()?;
        Ok(Self::new(definition))
    }

    pub fn definition(&self) -> &EventDefinition {
        &self.definition
    }

    /// Event-level version: +1 per applied change. Viewers and caches key on it.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The audit trail, oldest first: every correction and medal change, and the latest routine updates.
    pub fn audit(&self) -> &[AuditEntry] {
        self.audit.as_slice()
    }

    /// Replaces the definition (a schedule change, a late entry). The code cannot change, and every unit
    /// with results must still exist and still fit its format. Nothing changes on error.
    pub fn replace_definition(&mut self, definition: EventDefinition) -> Result<(), DomainError> {
        definition.validate()?;
        if definition.code != self.definition.code {
            return Err(DomainError::invalid(
                "code",
                format!(
                    "this state holds {}, not {}",
                    self.definition.code, definition.code
                ),
            ));
        }
        if definition == self.definition {
            return Ok(());
        }
        let participants = ParticipantIndex::new(&definition);
        let mut units = self.units.clone();
        for unit in units.values_mut() {
            unit.rerank(&definition, &participants).map_err(|error| {
                DomainError::invalid(
                    "phases",
                    format!(
                        "unit {} has results that the new definition rejects: {error}",
                        unit.unit()
                    ),
                )
            })?;
        }
        self.definition = definition;
        self.participants = participants;
        self.units = units;
        self.version += 1;
        Ok(())
    }

    pub fn unit(&self, unit: &UnitCode) -> Option<&UnitResults> {
        self.units.get(unit)
    }

    /// Units with results, in code order.
    pub fn units(&self) -> impl Iterator<Item = &UnitResults> {
        self.units.values()
    }

    /// Encodes the state for storage (MessagePack in a versioned envelope).
    pub fn to_bytes(&self) -> Result<Vec<u8>, DomainError> {
        crate::storage::encode_state(self)
    }

    /// Decodes a stored state, of this or any earlier schema version.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DomainError> {
        crate::storage::decode_state(bytes)
    }

    /// The state without its units' results, for a store that keeps each unit in a row of its own (see
    /// [`crate::storage`]): small, and written on every change.
    pub fn head_bytes(&self) -> Result<Vec<u8>, DomainError> {
        crate::storage::encode_head(self)
    }

    /// One unit's results, as its own row.
    pub fn unit_bytes(unit: &UnitResults) -> Result<Vec<u8>, DomainError> {
        crate::storage::to_msgpack(unit)
    }

    /// The units the last change wrote: only those need their rows written again. (A definition change
    /// writes none: rankings are derived, and the stored results stay as they were.)
    pub fn units_changed_last(&self) -> impl Iterator<Item = &UnitResults> {
        self.units
            .values()
            .filter(|unit| unit.event_version() == self.version)
    }

    /// A state from its head and unit rows, or from a whole state of schema 1 (when `head` is one).
    pub fn from_parts<'a>(
        head: &[u8],
        units: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<Self, DomainError> {
        crate::storage::decode_parts(head, units)
    }

    /// A state from stored fields; the rankings are rebuilt.
    pub(crate) fn from_stored(
        definition: EventDefinition,
        version: u64,
        units: BTreeMap<UnitCode, UnitResults>,
        audit: Vec<AuditEntry>,
    ) -> Self {
        EventStateFields {
            definition,
            version,
            units,
            audit,
        }
        .into()
    }
}
