//! One event's messages as they are written: each is numbered (unit versions 1, 2, 3…), applied at
//! once to the event's [`EventState`] (a refusal is a bug and stops the Games), and recorded with its
//! simulated time. The formats read qualifiers, gaps and standings back from that state.

use std::collections::BTreeMap;

use domain::{
    ApplyContext, DecidedIn, EventCode, EventDefinition, EventState, GameResult, GameSide,
    ResultEntry, ResultStatus, ResultsMessage, UnitCode,
};

use crate::SimError;
use crate::timeline::{Outgoing, Scheduled};

/// The feed label the in-process state records (the ingest gateway records `service:<client id>`).
const FEED_LABEL: &str = "service:sim-feed.access";

/// An event being played.
#[derive(Debug)]
pub struct Script {
    code: EventCode,
    state: EventState,
    versions: BTreeMap<UnitCode, u64>,
    items: Vec<Scheduled>,
    /// The latest time written: an event's messages never go back in time.
    now: u64,
}

/// A game's score as a feed reports it.
#[derive(Debug, Clone)]
pub struct Score {
    pub home: GameSide,
    pub away: GameSide,
    pub home_score: u32,
    pub away_score: u32,
    pub decided_in: DecidedIn,
}

impl Script {
    /// Starts the event: its definition is the first message, at `at`.
    pub fn new(definition: EventDefinition, at: u64) -> Result<Self, SimError> {
        let code = definition.code.clone();
        let state =
            EventState::try_new(definition.clone()).map_err(|error| SimError::Rejected {
                event: code.to_string(),
                what: "the definition".into(),
                error,
            })?;
        Ok(Self {
            items: vec![Scheduled {
                at_ms: at,
                event: code.clone(),
                message: Outgoing::Definition(definition),
            }],
            code,
            state,
            versions: BTreeMap::new(),
            now: at,
        })
    }

    pub fn code(&self) -> &EventCode {
        &self.code
    }

    pub fn state(&self) -> &EventState {
        &self.state
    }

    /// The time of the latest message.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// The next version of a unit.
    fn next_version(&mut self, unit: &UnitCode) -> u64 {
        let version = self.versions.entry(unit.clone()).or_insert(0);
        *version += 1;
        *version
    }

    fn stamp(&mut self, at: u64) -> u64 {
        self.now = self.now.max(at);
        self.now
    }

    fn message_id(&self, unit: &UnitCode, version: u64) -> String {
        format!("{}-{unit}-v{version}", self.code)
    }

    /// Writes a results message for `unit` (a full replacement of its entries).
    pub fn results(
        &mut self,
        at: u64,
        unit: &UnitCode,
        status: ResultStatus,
        entries: Vec<ResultEntry>,
        note: Option<String>,
    ) -> Result<(), SimError> {
        let at = self.stamp(at);
        let version = self.next_version(unit);
        let message = ResultsMessage {
            message_id: self.message_id(unit, version),
            unit: unit.clone(),
            version,
            status,
            entries,
            note,
        };
        self.state
            .apply_results(message.clone(), &context(at))
            .map_err(|error| SimError::Rejected {
                event: self.code.to_string(),
                what: format!("{unit} v{version} {}", status.as_str()),
                error,
            })?;
        self.items.push(Scheduled {
            at_ms: at,
            event: self.code.clone(),
            message: Outgoing::Results(message),
        });
        Ok(())
    }

    /// Writes a game result for `unit`.
    pub fn game(
        &mut self,
        at: u64,
        unit: &UnitCode,
        status: ResultStatus,
        score: &Score,
        note: Option<String>,
    ) -> Result<(), SimError> {
        let at = self.stamp(at);
        let version = self.next_version(unit);
        let game = GameResult {
            message_id: self.message_id(unit, version),
            unit: unit.clone(),
            version,
            status,
            home: score.home.clone(),
            away: score.away.clone(),
            home_score: score.home_score,
            away_score: score.away_score,
            decided_in: score.decided_in,
            note,
        };
        self.state
            .apply_game(game.clone(), &context(at))
            .map_err(|error| SimError::Rejected {
                event: self.code.to_string(),
                what: format!("game {unit} v{version} {}", status.as_str()),
                error,
            })?;
        self.items.push(Scheduled {
            at_ms: at,
            event: self.code.clone(),
            message: Outgoing::Game(game),
        });
        Ok(())
    }

    /// A unit's ranked competitors (ids in sort order, with rank), as the domain ranks them now.
    pub fn ranking(&self, unit: &UnitCode) -> Result<Vec<Ranked>, SimError> {
        let results = self.state.unit(unit).ok_or_else(|| SimError::Missing {
            event: self.code.to_string(),
            what: format!("unit {unit} has no results yet"),
        })?;
        Ok(results
            .rows()
            .map(|row| Ranked {
                competitor: row.competitor.clone(),
                rank: row.rank,
            })
            .collect())
    }

    /// The messages written so far, and the final state.
    pub fn finish(self) -> (Vec<Scheduled>, EventState) {
        (self.items, self.state)
    }
}

/// A competitor's place in a ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub competitor: domain::CompetitorId,
    pub rank: Option<u32>,
}

/// The context a message is applied with in-process.
pub fn context(at: u64) -> ApplyContext {
    ApplyContext {
        feed: FEED_LABEL.to_owned(),
        received_at_ms: at,
    }
}
