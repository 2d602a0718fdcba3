//! Versioned MessagePack envelope for stored state: every schema ever written keeps a decoder here.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::state::EventState;

/// The schema written today. Bump it when a change cannot be read by `#[serde(default)]` alone, and add
/// a decoder (and a committed fixture) for the old one.
pub const STATE_SCHEMA: u32 = 1;

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
