//! Olympic Data Feed (ODF) messages, the XML that timing and scoring providers send, mapped onto this
//! system's messages: XML → typed ODF structs ([`document`], read by quick-xml) → [`domain`] messages
//! ([`Mapped`]). Pure: no `worker`, no I/O; the ingest gateway fetches definitions and sends what this
//! crate maps.
//!
//! - [`parse`]: the XML, checked well-formed, as an [`OdfBody`]; [`Document`] says what kind it is.
//! - [`results`]: DT_RESULT (start lists and results) → a results message or a game.
//! - [`definitions`]: DT_SCHEDULE and DT_PARTIC → the event definitions with their schedule and
//!   participants updated.
//! - [`medals`]: DT_MEDALS → a cross-check of the medals an event has awarded.
//! - [`rsc`]: ODF's results system codes → event and unit codes.
//! - [`OdfError`]: every refusal, naming the element or attribute (`OdfBody/Competition/Result[3]/@Rank`).

pub mod definitions;
pub mod document;
pub mod error;
pub mod mapped;
pub mod medals;
pub mod results;
pub mod rsc;
pub mod values;
mod xml;

pub use document::OdfBody;
pub use error::OdfError;
pub use mapped::{Mapped, Message};
pub use xml::parse;

use domain::EventCode;

/// The ODF document types this system takes, and what each is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// DT_RESULT: one unit's start list or results, for `event`.
    Result { event: EventCode },
    /// DT_SCHEDULE: units' start times, for a discipline's events.
    Schedule,
    /// DT_PARTIC: athletes and the events they are entered in.
    Participants,
    /// DT_MEDALS: one event's medal standings, to check against its awarded medals.
    Medals { event: EventCode },
}

impl Document {
    /// What `body` is, from `@DocumentType` (and, for results and medals, the event of `@DocumentCode`).
    pub fn of(body: &OdfBody) -> Result<Self, OdfError> {
        let kind = values::required(body.document_type.as_ref(), error::paths::DOCUMENT_TYPE)?;
        let event = || -> Result<EventCode, OdfError> {
            let code = values::required(body.document_code.as_ref(), error::paths::DOCUMENT_CODE)?;
            Ok(rsc::parse(code, error::paths::DOCUMENT_CODE)?.event)
        };
        match kind {
            "DT_RESULT" => Ok(Self::Result { event: event()? }),
            "DT_SCHEDULE" | "DT_SCHEDULE_UPDATE" => Ok(Self::Schedule),
            "DT_PARTIC" | "DT_PARTIC_UPDATE" => Ok(Self::Participants),
            "DT_MEDALS" => Ok(Self::Medals { event: event()? }),
            other => Err(OdfError::unsupported(
                error::paths::DOCUMENT_TYPE,
                format!(
                    "{other} is not taken here; send DT_RESULT, DT_SCHEDULE(_UPDATE), DT_PARTIC(_UPDATE) or DT_MEDALS"
                ),
            )),
        }
    }
}
