//! The event Durable Object: one per event, named by event code. It is the single writer of its event:
//! it validates and applies messages with `domain`, stores them, queues them for the archive, analytics
//! and the standings, pushes them to live viewers, and answers reads from memory.
//!
//! `fetch` only dispatches; each action is one method below. The object's paths are private (only
//! Workers holding the `EVENT_ROOM` binding can call it):
//!
//! | method | path                          | action                                     |
//! |--------|-------------------------------|--------------------------------------------|
//! | PUT    | /events/{code}/definition     | create or update the event                 |
//! | GET    | /events/{code}/definition     | the definition and version                 |
//! | POST   | /events/{code}/results        | apply a results message                    |
//! | POST   | /events/{code}/games          | apply a game result                        |
//! | GET    | /events/{code}/audit          | the audit trail, newest first              |
//! | GET    | /events/{code}/state          | summary: version, units, medals            |
//! | GET    | /events/{code}/leaderboard    | a page of a unit's ranking or standings    |
//! | GET    | /events/{code}/live?since=N   | a viewer's WebSocket (see [`crate::live`]) |
//! | GET    | /events/{code}/snapshot       | the live snapshot message, for relays      |
//! | PUT    | /events/{code}/relays?shard=k | a relay joins (see [`crate::relay`])       |
//! | DELETE | /events/{code}/relays?shard=k | a relay leaves                             |

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use domain::{
    ApplyContext, ApplyOutcome, DomainError, EventDefinition, EventState, GameResult,
    LeaderboardQuery, ResultStatus, ResultsMessage,
};
use edge::{Problem, body, respond};
use serde::Serialize;
use wire::{ChangeKind, ChangeRecord, Outcome, Receipt};
use worker::{
    DurableObject, Env, Method, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    durable_object,
};

use wasm_bindgen::JsCast;

use crate::digest::EventDigest;
use crate::query::{Params, cacheable};
use crate::{live, outbox, problems, relay, store};

#[durable_object]
pub struct EventRoom {
    state: State,
    env: Env,
    /// The event as stored; `None` until it is defined. Loaded once per object instance.
    event: RefCell<Option<EventState>>,
    /// Set when the stored state could not be read: the object then refuses work instead of guessing.
    broken: RefCell<Option<String>>,
    /// Whether this instance made sure the tables exist (`CREATE TABLE IF NOT EXISTS`, once per instance,
    /// so an object stored by an older build gains the tables added since). Done at the first write, so
    /// a read of an event that was never defined leaves no storage behind.
    migrated: Cell<bool>,
    /// The version viewers last received, and when: the coalescing of live updates keys on these.
    broadcast_version: Cell<Option<u64>>,
    broadcast_at_ms: Cell<u64>,
    /// The frame viewers hold (the last one sent), while there are viewers to hold it: the base of the
    /// next patch and the greeting of new viewers. None after a restart or while nobody watches.
    sent: RefCell<Option<live::Frame>>,
    /// Relay shards holding a share of the viewers; each hears every broadcast.
    relays: RefCell<BTreeSet<u32>>,
    /// The shard the next overflowing viewer goes to (round robin).
    next_shard: Cell<u32>,
}

impl DurableObject for EventRoom {
    fn new(state: State, env: Env) -> Self {
        let sql = state.storage().sql();
        live::answer_pings_without_waking(&state);
        let (event, broken) = match store::load(&sql) {
            Ok(event) => (event, None),
            Err(err) => {
                worker::console_error!("event object failed to load its state: {err}");
                (None, Some(err.to_string()))
            }
        };
        let relays = store::relays(&sql).unwrap_or_default();
        Self {
            state,
            env,
            event: RefCell::new(event),
            broken: RefCell::new(broken),
            migrated: Cell::new(false),
            broadcast_version: Cell::new(None),
            broadcast_at_ms: Cell::new(0),
            sent: RefCell::new(None),
            relays: RefCell::new(relays.into_iter().collect()),
            next_shard: Cell::new(0),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let path = req.path();
        let result = self.dispatch(&mut req, &path).await;
        respond::finish(result, &path)
    }

    /// One alarm serves two jobs: a coalesced live update that was held back, and outbox retries.
    async fn alarm(&self) -> worker::Result<Response> {
        self.broadcast_now().await;
        outbox::drain_or_schedule(&self.state, &self.env).await;
        Response::empty()
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        live::on_message(&ws, message)
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        _reason: String,
        _clean: bool,
    ) -> worker::Result<()> {
        live::finish_close(&ws, code);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, error: worker::Error) -> worker::Result<()> {
        live::on_error(&ws, &error, "viewer");
        Ok(())
    }
}

impl EventRoom {
    async fn dispatch(&self, req: &mut Request, path: &str) -> Result<Response, Problem> {
        if self.broken.borrow().is_some() {
            return Err(Problem::unavailable(
                "this event's storage is unreadable; operators have been alerted",
            ));
        }
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let ["events", code, action] = segments.as_slice() else {
            return Err(Problem::not_found(format!("no event object route {path}")));
        };
        let params = Params::of(req)?;
        match (req.method(), *action) {
            (Method::Put, "definition") => self.put_definition(req, code, params).await,
            (Method::Get, "definition") => self.get_definition(code, params),
            (Method::Post, "results") => self.post::<ResultsMessage>(req, code, params).await,
            (Method::Post, "games") => self.post::<GameResult>(req, code, params).await,
            (Method::Get, "audit") => self.get_audit(code, params),
            (Method::Get, "state") => self.get_state(code, params),
            (Method::Get, "leaderboard") => self.get_leaderboard(code, params),
            (Method::Get, "live") => self.open_live(req, params),
            (Method::Get, "snapshot") => self.get_snapshot(code, params),
            (Method::Put, "relays") => self.set_relay(code, params, true),
            (Method::Delete, "relays") => self.set_relay(code, params, false),
            _ => Err(Problem::not_found(format!(
                "no event object route {} {path}",
                req.method()
            ))),
        }
    }

    async fn put_definition(
        &self,
        req: &mut Request,
        code: &str,
        params: Params,
    ) -> Result<Response, Problem> {
        params.finish()?;
        let definition: EventDefinition = body::parse_json(&read_body(req).await?)?;
        if definition.code.as_str() != code {
            return Err(Problem::bad_request(
                "code",
                format!(
                    "the body defines {}, but the path names {code}",
                    definition.code
                ),
            ));
        }
        let ctx = context(req)?;
        let message_id = format!("definition-{}", ctx.received_at_ms);
        let receipt = {
            let mut slot = self.event.borrow_mut();
            let before = slot.as_ref().map(EventState::version);
            match slot.as_mut() {
                Some(state) => state
                    .replace_definition(definition)
                    .map_err(problems::domain)?,
                None => *slot = Some(EventState::try_new(definition).map_err(problems::domain)?),
            }
            let Some(state) = slot.as_ref() else {
                return Err(Problem::internal());
            };
            let changed = before != Some(state.version()) || before.is_none();
            let receipt = Receipt {
                event: code.to_string(),
                message_id: message_id.clone(),
                outcome: if changed {
                    Outcome::Applied
                } else {
                    Outcome::Duplicate
                },
                event_version: state.version(),
                unit: None,
                unit_version: None,
            };
            if changed {
                let audit = serde_json::json!({
                    "event_version": state.version(), "kind": "definition", "feed": ctx.feed,
                    "received_at_ms": ctx.received_at_ms, "summary": "event definition stored",
                });
                let line = store::LogLine {
                    kind: ChangeKind::Definition,
                    message_id: &message_id,
                    unit: "",
                    unit_version: 0,
                    feed: &ctx.feed,
                    received_at_ms: ctx.received_at_ms,
                    audit_json: audit.to_string(),
                };
                let body_json = serde_json::to_string(state.definition()).unwrap_or_default();
                let record =
                    change_record(state, ChangeKind::Definition, &line, "", false, body_json);
                if let Err(problem) = self.persist(state, &line, &record, true) {
                    drop(slot);
                    self.reload();
                    return Err(problem);
                }
            }
            receipt
        };
        if receipt.outcome == Outcome::Applied {
            self.after_change().await;
        }
        receipt_response(&receipt)
    }

    fn get_definition(&self, code: &str, params: Params) -> Result<Response, Problem> {
        params.finish()?;
        let slot = self.event.borrow();
        let state = slot.as_ref().ok_or_else(|| problems::unknown_event(code))?;
        respond::json(
            &serde_json::json!({ "version": state.version(), "definition": state.definition() }),
            200,
        )
    }

    /// Parses a feed message of kind `M` strictly, then applies it.
    async fn post<M: FeedMessage>(
        &self,
        req: &mut Request,
        code: &str,
        params: Params,
    ) -> Result<Response, Problem> {
        params.finish()?;
        let message: M = body::parse_json(&read_body(req).await?)?;
        let ctx = context(req)?;
        let body_json = serde_json::to_string(&message).unwrap_or_default();
        let (message_id, unit) = message.ids();
        self.apply(
            code,
            M::KIND,
            &ctx,
            &message_id,
            &unit,
            body_json,
            |state, ctx| message.apply_to(state, ctx),
        )
        .await
    }

    /// Applies a message with `domain`, stores the change with its outbox rows, then delivers them.
    /// A rejected message changes nothing; a duplicate or stale one is acknowledged as a no-op.
    #[allow(clippy::too_many_arguments)]
    async fn apply(
        &self,
        code: &str,
        kind: ChangeKind,
        ctx: &ApplyContext,
        message_id: &str,
        unit: &str,
        body_json: String,
        apply: impl FnOnce(&mut EventState, &ApplyContext) -> Result<ApplyOutcome, DomainError>,
    ) -> Result<Response, Problem> {
        let receipt = {
            let mut slot = self.event.borrow_mut();
            let state = slot.as_mut().ok_or_else(|| problems::unknown_event(code))?;
            let status_before = unit
                .parse()
                .ok()
                .and_then(|u| state.unit(&u))
                .map(|u| u.status());
            let outcome = apply(state, ctx).map_err(problems::domain)?;
            let mut receipt = Receipt {
                event: code.to_string(),
                message_id: message_id.to_string(),
                outcome: Outcome::Applied,
                event_version: state.version(),
                unit: Some(unit.to_string()),
                unit_version: None,
            };
            match outcome {
                ApplyOutcome::Applied(change) => {
                    receipt.unit_version = Some(change.unit_version);
                    let line = store::LogLine {
                        kind,
                        message_id,
                        unit,
                        unit_version: change.unit_version,
                        feed: &ctx.feed,
                        received_at_ms: ctx.received_at_ms,
                        audit_json: store::audit_json(&change.audit),
                    };
                    let record = change_record(
                        state,
                        kind,
                        &line,
                        change.status.as_str(),
                        change.medals_changed,
                        body_json,
                    );
                    // The standings hear of a change only when the events list or the medal table can
                    // differ: a new status or new medals, not every split time.
                    let tell_standings =
                        change.medals_changed || status_before != Some(change.status);
                    if let Err(problem) = self.persist(state, &line, &record, tell_standings) {
                        // Memory is ahead of storage now: reload so the object never serves a change
                        // that was not stored.
                        drop(slot);
                        self.reload();
                        return Err(problem);
                    }
                }
                ApplyOutcome::Duplicate { unit_version } => {
                    receipt.outcome = Outcome::Duplicate;
                    receipt.unit_version = Some(unit_version);
                }
                ApplyOutcome::Stale { current_version } => {
                    receipt.outcome = Outcome::Stale;
                    receipt.unit_version = Some(current_version);
                }
            }
            receipt
        };
        if receipt.outcome == Outcome::Applied {
            self.after_change().await;
        }
        receipt_response(&receipt)
    }

    /// Stores the new state with its log line and outbox rows in one atomic stretch.
    fn persist(
        &self,
        state: &EventState,
        line: &store::LogLine<'_>,
        record: &ChangeRecord,
        tell_standings: bool,
    ) -> Result<(), Problem> {
        let sql = self.state.storage().sql();
        if !self.migrated.get() {
            store::migrate(&sql).map_err(problems::storage)?;
            self.migrated.set(true);
        }
        let mut rows = outbox::rows_for(record);
        if tell_standings {
            rows.push(outbox::standings_row(&EventDigest::of(state)));
        }
        store::record_change(&sql, state, line, &rows).map_err(problems::storage)
    }

    fn reload(&self) {
        match store::load(&self.state.storage().sql()) {
            Ok(event) => *self.event.borrow_mut() = event,
            Err(err) => *self.broken.borrow_mut() = Some(err.to_string()),
        }
    }

    /// Pushes the change to viewers (coalesced) and delivers its outbox rows.
    async fn after_change(&self) {
        let now = worker::Date::now().as_millis();
        if now.saturating_sub(self.broadcast_at_ms.get()) >= live::MIN_BROADCAST_INTERVAL_MS {
            self.broadcast_now().await;
        } else if live::viewer_count(&self.state) > 0 || !self.relays.borrow().is_empty() {
            // Too soon after the last message: the alarm sends the latest state when the interval ends.
            let due = self.broadcast_at_ms.get() + live::MIN_BROADCAST_INTERVAL_MS;
            let storage = self.state.storage();
            let earlier = match storage.get_alarm().await {
                Ok(Some(at)) => (due as i64) < at,
                _ => true,
            };
            // set_alarm takes an offset from now; get_alarm answers an absolute time.
            let wait = std::time::Duration::from_millis(due.saturating_sub(now));
            if earlier && let Err(err) = storage.set_alarm(wait).await {
                worker::console_error!("live: could not schedule a coalesced update: {err}");
            }
        }
        self.drain_outbox_in_background().await;
    }

    /// Delivers the outbox after the response is sent, so a feed's acknowledgement does not wait for the
    /// Queues. The rows are already stored; an alarm (set first, if none is pending) is the safety net
    /// that drains them should this instance go away before the background work finishes.
    async fn drain_outbox_in_background(&self) {
        let storage = self.state.storage();
        if let Ok(None) = storage.get_alarm().await
            && let Err(err) = storage
                .set_alarm(std::time::Duration::from_millis(outbox::SAFETY_NET_MS))
                .await
        {
            worker::console_error!("outbox: could not set the safety-net alarm: {err}");
        }
        // State is not Clone; a second handle on the same runtime object is.
        let raw: &wasm_bindgen::JsValue = self.state.as_raw().as_ref();
        let state = State::from(
            raw.clone()
                .unchecked_into::<worker::worker_sys::DurableObjectState>(),
        );
        let env = self.env.clone();
        self.state
            .wait_until(async move { outbox::drain_or_schedule(&state, &env).await });
    }

    /// Sends the current state to every viewer, direct and through relays, unless they already have it.
    async fn broadcast_now(&self) {
        let (update, full) = {
            let slot = self.event.borrow();
            let Some(state) = slot.as_ref() else { return };
            if self.broadcast_version.get() == Some(state.version()) {
                return;
            }
            self.broadcast_version.set(Some(state.version()));
            self.broadcast_at_ms.set(worker::Date::now().as_millis());
            let has_viewers =
                live::viewer_count(&self.state) > 0 || !self.relays.borrow().is_empty();
            if !has_viewers {
                // Nobody holds what was sent last: the next viewer is greeted with the state as it is.
                *self.sent.borrow_mut() = None;
                return;
            }
            let frame = live::Frame::of(state);
            let update = frame.update_after(self.sent.borrow().as_ref());
            let full = frame.message(live::Kind::Update);
            *self.sent.borrow_mut() = Some(frame);
            (update, full)
        };
        live::broadcast(&self.state, &update);
        self.publish_to_relays(&full, &update).await;
    }

    /// Hands the latest message to every relay. If one fails, the latest state goes out again shortly, so
    /// the relay's viewers cannot stay behind after the last change of a race (direct viewers may get that
    /// version twice; versions never go back).
    async fn publish_to_relays(&self, full: &str, update: &str) {
        let shards: Vec<u32> = self.relays.borrow().iter().copied().collect();
        if shards.is_empty() {
            return;
        }
        let Some(code) = self
            .event
            .borrow()
            .as_ref()
            .map(|s| s.definition().code.clone())
        else {
            return;
        };
        let text = relay::publication(full, update);
        if relay::publish(&self.env, &relay::Source::Event(code), &shards, &text).await {
            return;
        }
        self.broadcast_version.set(None);
        relay::retry_soon(&self.state).await;
    }

    fn get_snapshot(&self, code: &str, params: Params) -> Result<Response, Problem> {
        params.finish()?;
        let snapshot = self
            .with_greeting(|greeting| greeting.map(|frame| frame.message(live::Kind::Snapshot)))
            .ok_or_else(|| problems::unknown_event(code))?;
        respond::json_text(snapshot, 200)
    }

    fn set_relay(
        &self,
        code: &str,
        mut params: Params,
        registered: bool,
    ) -> Result<Response, Problem> {
        let shard = relay::shard_param(&mut params)?;
        params.finish()?;
        if self.event.borrow().is_none() {
            return Err(problems::unknown_event(code));
        }
        relay::record_membership(&self.state, &self.relays, shard, registered)
    }

    fn open_live(&self, req: &Request, mut params: Params) -> Result<Response, Problem> {
        edge::websocket::require_upgrade(req)?;
        let since = params.take_parsed::<u64>("since", "since must be an event version")?;
        params.finish()?;
        if self.event.borrow().is_some()
            && live::viewer_count(&self.state) >= relay::direct_limit(req)
        {
            return relay::redirect(&self.next_shard);
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
            .with_greeting(|greeting| live::connect(&self.state, greeting, since))
            .map_err(|err| {
                worker::console_error!("live: accept failed: {err}");
                Problem::internal()
            })?;
        Response::from_websocket(client).map_err(|_| Problem::internal())
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

    fn get_audit(&self, code: &str, mut params: Params) -> Result<Response, Problem> {
        let limit = params
            .take_parsed::<u32>("limit", "limit must be an integer from 1 to 1000")?
            .unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            return Err(Problem::bad_request(
                "limit",
                "limit must be an integer from 1 to 1000",
            ));
        }
        let before = params.take_parsed::<u64>("before", "before must be an event version")?;
        params.finish()?;
        if self.event.borrow().is_none() {
            return Err(problems::unknown_event(code));
        }
        let entries =
            store::audit(&self.state.storage().sql(), limit, before).map_err(problems::storage)?;
        respond::json(&serde_json::json!({ "entries": entries }), 200)
    }

    fn get_state(&self, code: &str, params: Params) -> Result<Response, Problem> {
        params.finish()?;
        let slot = self.event.borrow();
        let state = slot.as_ref().ok_or_else(|| problems::unknown_event(code))?;
        let settled = state.units().next().is_some()
            && state.units().all(|u| u.status() == ResultStatus::Official);
        cacheable(
            respond::json(&EventSummary::of(state), 200)?,
            state.version(),
            max_age(settled),
        )
    }

    fn get_leaderboard(&self, code: &str, mut params: Params) -> Result<Response, Problem> {
        let query = LeaderboardQuery {
            unit: params.take_code("unit")?,
            limit: params.take_parsed("limit", "limit must be an integer from 1 to 500")?,
            cursor: params.take("cursor")?,
            around: params.take_code("around")?,
        };
        params.finish()?;
        let slot = self.event.borrow();
        let state = slot.as_ref().ok_or_else(|| problems::unknown_event(code))?;
        let page = state.leaderboard(&query).map_err(problems::query)?;
        let settled = page.status == ResultStatus::Official;
        cacheable(
            respond::json(&page, 200)?,
            state.version(),
            max_age(settled),
        )
    }
}

/// What feeds post to an event: results of a unit, or a game. Both are applied the same way.
trait FeedMessage: serde::de::DeserializeOwned + Serialize {
    const KIND: ChangeKind;
    /// The message id and the unit it is for.
    fn ids(&self) -> (String, String);
    fn apply_to(
        self,
        state: &mut EventState,
        ctx: &ApplyContext,
    ) -> Result<ApplyOutcome, DomainError>;
}

impl FeedMessage for ResultsMessage {
    const KIND: ChangeKind = ChangeKind::Results;
    fn ids(&self) -> (String, String) {
        (self.message_id.clone(), self.unit.to_string())
    }
    fn apply_to(
        self,
        state: &mut EventState,
        ctx: &ApplyContext,
    ) -> Result<ApplyOutcome, DomainError> {
        state.apply_results(self, ctx)
    }
}

impl FeedMessage for GameResult {
    const KIND: ChangeKind = ChangeKind::Game;
    fn ids(&self) -> (String, String) {
        (self.message_id.clone(), self.unit.to_string())
    }
    fn apply_to(
        self,
        state: &mut EventState,
        ctx: &ApplyContext,
    ) -> Result<ApplyOutcome, DomainError> {
        state.apply_game(self, ctx)
    }
}

/// Live data may be cached for a second. Official data for half a minute, not longer: an OFFICIAL result
/// can still be corrected, and a correction must reach viewers quickly.
fn max_age(settled: bool) -> u32 {
    if settled { 30 } else { 1 }
}

fn receipt_response(receipt: &Receipt) -> Result<Response, Problem> {
    respond::json(
        receipt,
        if receipt.outcome == Outcome::Applied {
            201
        } else {
            200
        },
    )
}

/// The read model of an event: enough for an event page without its leaderboards.
#[derive(Serialize)]
struct EventSummary<'a> {
    event: &'a str,
    version: u64,
    definition: &'a EventDefinition,
    units: Vec<UnitSummary>,
    medals: Vec<domain::MedalAward>,
}

#[derive(Serialize)]
struct UnitSummary {
    unit: String,
    version: u64,
    status: ResultStatus,
}

impl<'a> EventSummary<'a> {
    fn of(state: &'a EventState) -> Self {
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
        }
    }
}

async fn read_body(req: &mut Request) -> Result<Vec<u8>, Problem> {
    // The gateway already enforced its limits; this is a second fence for any other caller.
    body::read_limited(req, 1024 * 1024).await
}

/// Who sent the request and when, as the gateway established them.
fn context(req: &Request) -> Result<ApplyContext, Problem> {
    let header = |name: &str| req.headers().get(name).ok().flatten();
    let feed = header(wire::internal::FEED_HEADER)
        .filter(|f| !f.is_empty())
        .ok_or_else(|| {
            worker::console_error!("request without a feed identity reached the event object");
            Problem::internal()
        })?;
    let received_at_ms = header(wire::internal::RECEIVED_AT_HEADER)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| worker::Date::now().as_millis());
    Ok(ApplyContext {
        feed,
        received_at_ms,
    })
}

fn change_record(
    state: &EventState,
    kind: ChangeKind,
    line: &store::LogLine<'_>,
    status: &str,
    medals_changed: bool,
    body_json: String,
) -> ChangeRecord {
    ChangeRecord {
        schema: wire::change::CHANGE_SCHEMA,
        event: state.definition().code.to_string(),
        event_version: state.version(),
        kind,
        unit: line.unit.to_string(),
        unit_version: line.unit_version,
        status: status.to_string(),
        message_id: line.message_id.to_string(),
        feed: line.feed.to_string(),
        received_at_ms: line.received_at_ms,
        medals_changed,
        body_json,
        body_in_archive: false,
    }
}
