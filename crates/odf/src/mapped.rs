//! A mapped message: what an ODF message becomes in this system, and where each of its fields came from,
//! so that a refusal by the domain (`entries[2].noc`) names the XML instead
//! (`OdfBody/Competition/Result[3]/Competitor/@Organisation`).

use domain::{
    ApplyContext, DomainError, EventCode, EventDefinition, EventState, GameResult, ResultsMessage,
};

use crate::error::{OdfError, paths};

/// One of this system's messages, as a JSON route takes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Results(ResultsMessage),
    Game(GameResult),
    Definition(Box<EventDefinition>),
}

impl Message {
    /// The route's kind: `results`, `game` or `definition` (as `POST /v1/ingest/batch` names them).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Results(_) => "results",
            Self::Game(_) => "game",
            Self::Definition(_) => "definition",
        }
    }

    /// The message as the JSON route takes it.
    pub fn to_json(&self) -> Vec<u8> {
        let json = match self {
            Self::Results(message) => serde_json::to_vec(message),
            Self::Game(game) => serde_json::to_vec(game),
            Self::Definition(definition) => serde_json::to_vec(definition),
        };
        // Serialising plain serde structs into a Vec cannot fail; an empty body would be refused.
        json.unwrap_or_default()
    }
}

/// A message for one event, with the XML source of its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub event: EventCode,
    pub message: Message,
    /// `(field path prefix, element path)`, e.g. `("entries[0].noc", "…/Competitor/@Organisation")`.
    sources: Vec<(String, String)>,
}

impl Mapped {
    pub(crate) fn new(event: EventCode, message: Message) -> Self {
        Self {
            event,
            message,
            sources: Vec::new(),
        }
    }

    /// Records that the field `field` (and what lies under it) came from `element`.
    pub(crate) fn source(&mut self, field: impl Into<String>, element: impl Into<String>) {
        self.sources.push((field.into(), element.into()));
    }

    /// The element a field path of this message came from: the longest recorded prefix's, else
    /// `OdfBody`.
    pub fn element_of(&self, field: &str) -> String {
        self.sources
            .iter()
            .filter(|(prefix, _)| {
                field == prefix
                    || field
                        .strip_prefix(prefix.as_str())
                        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
            })
            .max_by_key(|(prefix, _)| prefix.len())
            .map_or_else(|| paths::BODY.to_owned(), |(_, element)| element.clone())
    }

    /// Checks the message against the event's definition with the domain's own rules, as the event will
    /// on applying it, so that a message that disagrees is refused naming its element before anything is
    /// sent. (What needs the event's stored results, such as a duplicate, is the event's to answer.)
    pub fn check(&self, definition: &EventDefinition) -> Result<(), OdfError> {
        let context = ApplyContext {
            feed: "odf-check".into(),
            received_at_ms: 0,
        };
        let result = match &self.message {
            Message::Definition(definition) => definition.validate(),
            Message::Results(message) => EventState::try_new(definition.clone())
                .and_then(|mut state| state.apply_results(message.clone(), &context))
                .map(|_| ()),
            // The bracket needs the results of earlier games: the event checks that.
            Message::Game(game) => EventState::try_new(definition.clone())
                .and_then(|mut state| state.apply_game(game.clone(), &context))
                .map(|_| ()),
        };
        result.map_err(|error| self.refusal(&error))
    }

    /// A domain refusal of this message, naming the element at fault.
    pub fn refusal(&self, error: &DomainError) -> OdfError {
        let path = self.element_of(error.field_path().unwrap_or(""));
        let detail = error.to_string();
        match error {
            DomainError::UnknownUnit { .. } | DomainError::UnknownCompetitor { .. } => {
                OdfError::UnknownCode { path, detail }
            }
            _ => OdfError::Invalid { path, detail },
        }
    }
}
