//! Versioned MessagePack envelopes for stored state: every schema ever written keeps a decoder here.
//!
//! Schema 1 stores a whole event in one blob ([`EventState::to_bytes`]). Schema 2 splits it, so that a
//! change writes only what changed: a head (definition, version, audit trail and the list of units) and
//! one row per unit ([`EventState::head_bytes`], [`EventState::unit_bytes`],
//! [`EventState::from_parts`]). A store may hold either; both load.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::audit::AuditEntry;
use crate::catalog::EventDefinition;
use crate::codes::UnitCode;
use crate::error::DomainError;
use crate::state::EventState;
use crate::unit::UnitResults;

/// The whole-state schema. Bump it when a change cannot be read by `#[serde(default)]` alone, and add
/// a decoder (and a committed fixture) for the old one.
pub const STATE_SCHEMA: u32 = 1;
/// The head of a state stored in parts.
pub const HEAD_SCHEMA: u32 = 2;

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    schema: u32,
    state: &'a EventState,
}

/// Reads only the schema number, ignoring the rest.
#[derive(Deserialize)]
struct Header {
    schema: u32,
}

#[derive(Deserialize)]
struct EnvelopeV1 {
    state: EventState,
}

/// Encodes with field names (`to_vec_named`), so fields can be added later with defaults.
pub(crate) fn encode_state(state: &EventState) -> Result<Vec<u8>, DomainError> {
    rmp_serde::to_vec_named(&EnvelopeOut {
        schema: STATE_SCHEMA,
        state,
    })
    .map_err(|error| DomainError::Storage {
        reason: format!("encode: {error}"),
    })
}

pub(crate) fn decode_state(bytes: &[u8]) -> Result<EventState, DomainError> {
    let header: Header = rmp_serde::from_slice(bytes).map_err(|error| DomainError::Storage {
        reason: format!("not a stored event state: {error}"),
    })?;
    match header.schema {
        1 => rmp_serde::from_slice::<EnvelopeV1>(bytes)
            .map(|envelope| envelope.state)
            .map_err(|error| DomainError::Storage {
                reason: format!("schema 1: {error}"),
            }),
        other => Err(DomainError::Storage {
            reason: format!("unknown schema {other} (this build reads 1 to {STATE_SCHEMA})"),
        }),
    }
}

#[derive(Serialize)]
struct HeadOut<'a> {
    schema: u32,
    definition: &'a EventDefinition,
    version: u64,
    audit: &'a [AuditEntry],
    units: Vec<&'a UnitCode>,
}

#[derive(Deserialize)]
struct HeadV2 {
    definition: EventDefinition,
    version: u64,
    #[serde(default)]
    audit: Vec<AuditEntry>,
    units: Vec<UnitCode>,
}

pub(crate) fn encode_head(state: &EventState) -> Result<Vec<u8>, DomainError> {
    to_msgpack(&HeadOut {
        schema: HEAD_SCHEMA,
        definition: state.definition(),
        version: state.version(),
        audit: state.audit(),
        units: state.units().map(UnitResults::unit).collect(),
    })
}

/// A state from its stored parts: a head of schema 2 and its unit rows, or a whole state of schema 1
/// (whose unit rows, if any, are ignored). Every unit the head lists must be among the rows, exactly once.
pub(crate) fn decode_parts<'a>(
    head: &[u8],
    units: impl IntoIterator<Item = &'a [u8]>,
) -> Result<EventState, DomainError> {
    let header: Header = rmp_serde::from_slice(head).map_err(|error| DomainError::Storage {
        reason: format!("not a stored event head: {error}"),
    })?;
    if header.schema != HEAD_SCHEMA {
        return decode_state(head);
    }
    let head: HeadV2 = rmp_serde::from_slice(head).map_err(|error| DomainError::Storage {
        reason: format!("schema 2 head: {error}"),
    })?;
    let mut rows = BTreeMap::new();
    for bytes in units {
        let unit: UnitResults = from_msgpack(bytes)?;
        rows.insert(unit.unit().clone(), unit);
    }
    let listed: BTreeSet<&UnitCode> = head.units.iter().collect();
    if listed.len() != head.units.len() || rows.keys().collect::<BTreeSet<_>>() != listed {
        return Err(DomainError::Storage {
            reason: format!(
                "the head lists units {:?} but the rows hold {:?}",
                head.units,
                rows.keys().collect::<Vec<_>>()
            ),
        });
    }
    Ok(EventState::from_stored(
        head.definition,
        head.version,
        rows,
        head.audit,
    ))
}

/// Reads the schema number of stored bytes.
pub fn stored_schema(bytes: &[u8]) -> Result<u32, DomainError> {
    rmp_serde::from_slice::<Header>(bytes)
        .map(|header| header.schema)
        .map_err(|error| DomainError::Storage {
            reason: format!("not a stored event state: {error}"),
        })
}

/// Encodes any boundary value as named MessagePack (for Queue messages).
pub fn to_msgpack<T: Serialize>(value: &T) -> Result<Vec<u8>, DomainError> {
    rmp_serde::to_vec_named(value).map_err(|error| DomainError::Storage {
        reason: format!("encode: {error}"),
    })
}

/// Decodes a boundary value from MessagePack.
pub fn from_msgpack<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, DomainError> {
    rmp_serde::from_slice(bytes).map_err(|error| DomainError::Storage {
        reason: format!("decode: {error}"),
    })
}
