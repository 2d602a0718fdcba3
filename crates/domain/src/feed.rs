//! One tagged type for everything a feed sends, so a queue or an ingest route can carry either message.

use serde::{Deserialize, Serialize};

use crate::audit::{ApplyContext, ApplyOutcome};
use crate::codes::UnitCode;
use crate::error::DomainError;
use crate::game::GameResult;
use crate::results::ResultsMessage;
use crate::state::EventState;

/// A results message or a game result. JSON: `{"type":"results",…}` or `{"type":"game",…}` with the
/// message's own fields alongside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FeedMessage {
    Results(ResultsMessage),
    Game(GameResult),
}

impl FeedMessage {
    pub fn unit(&self) -> &UnitCode {
        match self {
            Self::Results(message) => &message.unit,
            Self::Game(game) => &game.unit,
        }
    }

    pub fn version(&self) -> u64 {
        match self {
            Self::Results(message) => message.version,
            Self::Game(game) => game.version,
        }
    }
}

impl EventState {
    /// Applies either kind of message.
    pub fn apply(
        &mut self,
        message: FeedMessage,
        ctx: &ApplyContext,
    ) -> Result<ApplyOutcome, DomainError> {
        match message {
            FeedMessage::Results(message) => self.apply_results(message, ctx),
            FeedMessage::Game(game) => self.apply_game(game, ctx),
        }
    }
}
