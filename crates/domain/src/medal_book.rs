//! The Games-wide collection of medal awards kept by the standings Durable Object, one entry per event.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codes::EventCode;
use crate::error::{DomainError, idx};
use crate::medal_table::{
    AthleteMedalRow, Breakdown, BreakdownRow, MedalFilter, MedalOrder, MedalTable, athletes,
    breakdown,
};
use crate::medals::MedalAward;

/// An event's medals at an event version: the message the event object sends when its medals change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventMedals {
    pub event: EventCode,
    pub event_version: u64,
    pub awards: Vec<MedalAward>,
}

/// Every event's latest medals. Updates carry the event version, so a late or repeated message is ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedalBook {
    events: BTreeMap<EventCode, EventMedals>,
}

/// The stored schema of a [`MedalBook`].
const BOOK_SCHEMA: u32 = 1;

#[derive(Serialize)]
struct BookOut<'a> {
    schema: u32,
    book: &'a MedalBook,
}

#[derive(Deserialize)]
struct BookIn {
    schema: u32,
    book: MedalBook,
}

impl MedalBook {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores an event's medals unless a newer (or the same) event version is already stored.
    /// Returns whether anything changed.
    pub fn update(&mut self, medals: EventMedals) -> Result<bool, DomainError> {
        for (i, award) in medals.awards.iter().enumerate() {
            if award.event != medals.event {
                return Err(DomainError::invalid(
                    format!("{}.event", idx("awards", i)),
                    format!("award of {} in an update for {}", award.event, medals.event),
                ));
            }
        }
        if let Some(current) = self.events.get(&medals.event)
            && current.event_version >= medals.event_version
        {
            return Ok(false);
        }
        // An event heard of for the first time without medals changes no table: its viewers would
        // otherwise get the same table again for every event defined.
        let changed = self
            .events
            .get(&medals.event)
            .map_or(&[][..], |current| current.awards.as_slice())
            != medals.awards.as_slice();
        self.events.insert(medals.event.clone(), medals);
        Ok(changed)
    }

    /// All awards, by event code then medal.
    pub fn awards(&self) -> impl Iterator<Item = &MedalAward> {
        self.events.values().flat_map(|e| e.awards.iter())
    }

    /// The event version last stored for an event.
    pub fn event_version(&self, event: &EventCode) -> Option<u64> {
        self.events.get(event).map(|e| e.event_version)
    }

    pub fn table(&self, filter: &MedalFilter, order: MedalOrder) -> MedalTable {
        MedalTable::build(self.awards(), filter, order)
    }

    pub fn athletes(&self, filter: &MedalFilter, order: MedalOrder) -> Vec<AthleteMedalRow> {
        athletes(self.awards(), filter, order)
    }

    pub fn breakdown(&self, filter: &MedalFilter, by: Breakdown) -> Vec<BreakdownRow> {
        breakdown(self.awards(), filter, by)
    }

    /// Encodes for storage (named MessagePack in a versioned envelope).
    pub fn to_bytes(&self) -> Result<Vec<u8>, DomainError> {
        rmp_serde::to_vec_named(&BookOut {
            schema: BOOK_SCHEMA,
            book: self,
        })
        .map_err(|error| DomainError::Storage {
            reason: format!("encode: {error}"),
        })
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DomainError> {
        let stored: BookIn =
            rmp_serde::from_slice(bytes).map_err(|error| DomainError::Storage {
                reason: format!("not a stored medal book: {error}"),
            })?;
        if stored.schema != BOOK_SCHEMA {
            return Err(DomainError::Storage {
                reason: format!("unknown medal book schema {}", stored.schema),
            });
        }
        Ok(stored.book)
    }
}
