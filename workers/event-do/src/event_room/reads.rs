//! The reads an event object answers from memory (or, for the audit trail, its log), and the live side:
//! viewers' sockets (past its limit, a `307` down the relay tree), snapshots for relays, and
//! first-level relays joining and leaving.

use domain::{EventDefinition, EventState, LeaderboardQuery, ResultStatus};
use edge::{OrInternal, Problem, respond};
use object_logic::relays::{Admission, Node};
use serde::Serialize;
use wire::api::{AuditQuery, DefinitionAnswer, RelayMembers};
use worker::{Request, Response};

use super::EventRoom;
use crate::caching::{cacheable, max_age};
use crate::{live, problems, relay, store};

impl EventRoom {
    pub(super) fn definition(&self, code: &str) -> Result<Response, Problem> {
        let slot = self.event.borrow();
        let state = slot.as_ref().ok_or_else(|| problems::unknown_event(code))?;
        respond::json(
            &DefinitionAnswer {
                version: state.version(),
                definition: state.definition().clone(),
            },
            200,
        )
    }

    pub(super) fn audit(&self, code: &str, query: AuditQuery) -> Result<Response, Problem> {
        if self.event.borrow().is_none() {
            return Err(problems::unknown_event(code));
        }
        let entries = store::audit(
            &self.state.storage().sql(),
            query.limit.unwrap_or(100),
            query.before,
        )
        .map_err(problems::storage)?;
        respond::json(&serde_json::json!({ "entries": entries }), 200)
    }

    pub(super) fn summary(&self, code: &str) -> Result<Response, Problem> {
        let slot = self.event.borrow();
        let state = slot.as_ref().ok_or_else(|| problems::unknown_event(code))?;
        let summary = EventSummary::of(state);
        cacheable(
            respond::json(&summary, 200)?,
            state.version(),
            max_age(summary.settled()),
        )
    }

    pub(super) fn leaderboard(
        &self,
        code: &str,
        query: &LeaderboardQuery,
    ) -> Result<Response, Problem> {
        let slot = self.event.borrow();
        let state = slot.as_ref().ok_or_else(|| problems::unknown_event(code))?;
        let page = state.leaderboard(query).map_err(problems::query)?;
        let settled = page.status == ResultStatus::Official;
        cacheable(
            respond::json(&page, 200)?,
            state.version(),
            max_age(settled),
        )
    }

    pub(super) fn snapshot(&self, code: &str) -> Result<Response, Problem> {
        let snapshot = self
            .with_greeting(|greeting| greeting.map(|frame| frame.message(live::Kind::Snapshot)))
            .ok_or_else(|| problems::unknown_event(code))?;
        respond::json_text(snapshot, 200)
    }

    pub(super) fn set_relay(
        &self,
        code: &str,
        shard: u32,
        join: bool,
    ) -> Result<Response, Problem> {
        if self.event.borrow().is_none() {
            return Err(problems::unknown_event(code));
        }
        store::set_relay(&self.state.storage().sql(), shard, join).map_err(problems::storage)?;
        let mut relays = self.relays.borrow_mut();
        relays.set(shard, join);
        respond::json(
            &RelayMembers {
                relays: relays.shards(),
            },
            200,
        )
    }

    pub(super) fn open_live(&self, req: &Request, since: Option<u64>) -> Result<Response, Problem> {
        edge::websocket::require_upgrade(req)?;
        let client = live::client_tag(req);
        live::check_client_cap(&self.state, client.as_deref())?;
        if self.event.borrow().is_some() {
            // Past its limit the event object sends the viewer down its relay tree.
            let (limit, tree) = relay::settings(req);
            let viewers = live::viewer_count(&self.state);
            let children = tree.children(Node::Source);
            match self.relays.borrow_mut().admit(viewers, limit, children) {
                Admission::Direct => {}
                Admission::Relay { shard } => return relay::redirect(shard),
                Admission::Full => return Err(relay::no_room()),
            }
        }
        if self.sent.borrow().is_none()
            && live::viewer_count(&self.state) == 0
            && self.relays.borrow().is_empty()
        {
            // The first viewer holds exactly its greeting, so the next update can patch it.
            let now = self.event.borrow().as_ref().map(live::Frame::of);
            *self.sent.borrow_mut() = now;
        }
        let client = self
            .with_greeting(|greeting| {
                live::connect(&self.state, greeting, since, client.as_deref())
            })
            .or_internal("accept a viewer's socket")?;
        Response::from_websocket(client).or_internal("answer with the viewer's socket")
    }

    /// Calls `greet` with what a new viewer (or relay) starts from: the frame the viewers hold, so that
    /// the next patch applies to it; the state as it is when nobody holds one. Borrowed, not copied:
    /// every viewer's connect passes here.
    fn with_greeting<T>(&self, greet: impl FnOnce(Option<&live::Frame>) -> T) -> T {
        if let Some(sent) = self.sent.borrow().as_ref() {
            return greet(Some(sent));
        }
        let now = self.event.borrow().as_ref().map(live::Frame::of);
        greet(now.as_ref())
    }
}

/// The read model of an event: enough for an event page without its leaderboards.
#[derive(Serialize)]
pub(super) struct EventSummary<'a> {
    event: &'a str,
    version: u64,
    definition: &'a EventDefinition,
    units: Vec<UnitSummary>,
    medals: Vec<domain::MedalAward>,
    /// The knockout bracket as it stands (who plays each game, once decided); absent without one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    bracket: Vec<domain::BracketLine>,
    /// Every unit (and round-robin standings) as readers name it, with its own status and a game's
    /// teams and score: what an event page shows without reading each unit.
    unit_lines: Vec<wire::digest::UnitLine>,
}

#[derive(Serialize)]
struct UnitSummary {
    unit: String,
    version: u64,
    status: ResultStatus,
}

impl<'a> EventSummary<'a> {
    /// Every unit with results is OFFICIAL: the page may be cached longer.
    pub(super) fn settled(&self) -> bool {
        !self.units.is_empty()
            && self
                .units
                .iter()
                .all(|u| u.status == ResultStatus::Official)
    }

    pub(super) fn of(state: &'a EventState) -> Self {
        EventSummary {
            event: state.definition().code.as_str(),
            version: state.version(),
            definition: state.definition(),
            units: state
                .units()
                .map(|u| UnitSummary {
                    unit: u.unit().to_string(),
                    version: u.version(),
                    status: u.status(),
                })
                .collect(),
            medals: state.medals(),
            bracket: state.bracket(),
            unit_lines: wire::digest::UnitLine::all(state),
        }
    }
}
