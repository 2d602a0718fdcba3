//! What a Games should end with, computed in-process: the timeline applied message by message to the
//! domain's [`EventState`]s, their medals gathered in a [`MedalBook`] as the standings object gathers
//! them. `--expect` writes this for the end-to-end test; the feeder keeps one up to date to report
//! medals as they are acknowledged.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use domain::{
    CompetitorId, EventMedals, EventState, FeedMessage, Medal, MedalBook, MedalFilter, MedalOrder,
    MedalTable, Noc, ResultStatus,
};

use crate::SimError;
use crate::incidents::Feature;
use crate::script::context;
use crate::timeline::{Outgoing, Scheduled, Timeline};

/// One medal as the read API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedalLine {
    pub medal: Medal,
    pub competitor: CompetitorId,
    pub name: String,
    pub noc: Noc,
}

/// One event at the end of the Games.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventOutcome {
    pub name: String,
    /// The event version the stack should report: one per applied message.
    pub event_version: u64,
    /// The medal unit is OFFICIAL.
    pub finished: bool,
    pub medals: Vec<MedalLine>,
}

/// The expected end of a Games.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub seed: u64,
    pub profile: String,
    pub fingerprint: String,
    pub messages: usize,
    /// Results and games that change their event when applied in order: every one of them.
    pub applied: usize,
    /// Those that would not (duplicates, stale versions): none in a well-made timeline.
    pub not_applied: usize,
    pub events: BTreeMap<String, EventOutcome>,
    /// The medal table, gold first, as `/v1/medals` serves it.
    pub medal_table: MedalTable,
    pub features: Vec<Feature>,
}

/// A medal change seen while replaying.
#[derive(Debug, Clone, PartialEq)]
pub struct MedalChange {
    pub event: String,
    pub name: String,
    pub medals: Vec<MedalLine>,
    /// True when a medal awarded before was taken away or changed (a correction, a disqualification).
    pub reallocated: bool,
}

/// Applies messages in order, as the stack's event objects and standings object would.
#[derive(Debug, Default)]
pub struct Replay {
    states: BTreeMap<String, EventState>,
    book: MedalBook,
    /// Results and games that changed an event; the others were duplicates or stale.
    pub applied: usize,
    pub not_applied: usize,
}

impl Replay {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies one message; returns the event's new medals when they changed.
    pub fn apply(&mut self, item: &Scheduled) -> Result<Option<MedalChange>, SimError> {
        let code = item.event.to_string();
        let rejected = |what: String, error| SimError::Rejected {
            event: code.clone(),
            what,
            error,
        };
        let message = match &item.message {
            Outgoing::Definition(definition) => {
                match self.states.get_mut(&code) {
                    Some(state) => state
                        .replace_definition(definition.clone())
                        .map_err(|e| rejected("the definition".into(), e))?,
                    None => {
                        let state = EventState::try_new(definition.clone())
                            .map_err(|e| rejected("the definition".into(), e))?;
                        self.states.insert(code.clone(), state);
                    }
                }
                return Ok(None);
            }
            Outgoing::Results(message) => FeedMessage::Results(message.clone()),
            Outgoing::Game(game) => FeedMessage::Game(game.clone()),
        };
        let what = format!(
            "{} v{}",
            item.message.unit().map(|u| u.as_str()).unwrap_or(""),
            item.message.version()
        );
        let state = self
            .states
            .get_mut(&code)
            .ok_or_else(|| SimError::Missing {
                event: code.clone(),
                what: format!("{what} arrived before the definition"),
            })?;
        let outcome = state
            .apply(message, &context(item.at_ms))
            .map_err(|e| rejected(what, e))?;
        let domain::ApplyOutcome::Applied(change) = outcome else {
            self.not_applied += 1;
            return Ok(None);
        };
        self.applied += 1;
        if !change.medals_changed {
            return Ok(None);
        }
        let awards = state.medals();
        // Revised: a medal awarded before is gone or changed (a bronze game before the final only adds).
        let reallocated = self
            .book
            .awards()
            .filter(|a| a.event == item.event)
            .any(|old| {
                !awards
                    .iter()
                    .any(|new| new.medal == old.medal && new.competitor == old.competitor)
            });
        self.book
            .update(EventMedals {
                event: item.event.clone(),
                event_version: change.event_version,
                awards: awards.clone(),
            })
            .map_err(|e| rejected("the medal book".into(), e))?;
        Ok(Some(MedalChange {
            event: code,
            name: state.definition().name.clone(),
            medals: lines(&awards),
            reallocated,
        }))
    }

    /// Medals awarded so far.
    pub fn medals_awarded(&self) -> usize {
        self.book.awards().count()
    }

    /// Events whose medal unit is OFFICIAL.
    pub fn finished(&self) -> usize {
        self.states.values().filter(|s| is_finished(s)).count()
    }

    pub fn defined(&self) -> usize {
        self.states.len()
    }

    pub fn table(&self) -> MedalTable {
        self.book
            .table(&MedalFilter::default(), MedalOrder::GoldFirst)
    }

    pub fn state(&self, event: &str) -> Option<&EventState> {
        self.states.get(event)
    }
}

fn is_finished(state: &EventState) -> bool {
    state
        .unit(&state.definition().medal_unit)
        .is_some_and(|u| u.status() == ResultStatus::Official)
}

fn lines(awards: &[domain::MedalAward]) -> Vec<MedalLine> {
    awards
        .iter()
        .map(|a| MedalLine {
            medal: a.medal,
            competitor: a.competitor.clone(),
            name: a.name.clone(),
            noc: a.noc.clone(),
        })
        .collect()
}

impl Outcome {
    /// Replays the whole timeline.
    pub fn of(timeline: &Timeline) -> Result<Self, SimError> {
        let mut replay = Replay::new();
        for item in &timeline.items {
            replay.apply(item)?;
        }
        let events = replay
            .states
            .iter()
            .map(|(code, state)| {
                (
                    code.clone(),
                    EventOutcome {
                        name: state.definition().name.clone(),
                        event_version: state.version(),
                        finished: is_finished(state),
                        medals: lines(&state.medals()),
                    },
                )
            })
            .collect();
        Ok(Self {
            seed: timeline.seed,
            profile: timeline.profile.name().to_owned(),
            fingerprint: timeline.fingerprint()?,
            messages: timeline.items.len(),
            applied: replay.applied,
            not_applied: replay.not_applied,
            events,
            medal_table: replay.table(),
            features: timeline.features.list.clone(),
        })
    }
}
