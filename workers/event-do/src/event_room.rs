//! The event Durable Object: one per event, named by event code. It is the single writer of its event:
//! it validates and applies messages with `domain`, stores them, queues them for the archive and
//! analytics, and answers reads from memory.
//!
//! `fetch` only dispatches; each action is one method below. The object's paths are private (only
//! Workers holding the `EVENT_ROOM` binding can call it):
//!
//! | method | path                          | action                                   |
//! |--------|-------------------------------|------------------------------------------|
//! | PUT    | /events/{code}/definition     | create or update the event               |
//! | GET    | /events/{code}/definition     | the definition and version               |
//! | POST   | /events/{code}/results        | apply a results message                  |
//! | POST   | /events/{code}/games          | apply a game result                      |
//! | GET    | /events/{code}/audit          | the audit trail, newest first            |
//! | GET    | /events/{code}/state          | summary: version, units, medals          |
//! | GET    | /events/{code}/leaderboard    | a page of a unit's ranking or standings  |
//! | GET    | /events/{code}/live?since=N   | a viewer's WebSocket (see [`crate::live`]) |

use std::cell::{Cell, RefCell};

use domain::{
    ApplyContext, ApplyOutcome, EventDefinition, EventState, GameResult, LeaderboardQuery,
    ResultsMessage,
};
use edge::{Problem, body, respond};
use serde::Serialize;
use wire::{ChangeKind, ChangeRecord, Outcome, Receipt};
use worker::{
    DurableObject, Env, Method, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    durable_object,
};

use crate::{bindings, live, outbox, problems, store};

#[durable_object]
pub struct EventRoom {
    state: State,
    env: Env,
    /// The event as stored; `None` until it is defined. Loaded once per object instance.
    event: RefCell<Option<EventState>>,
    /// Set when the stored state could not be read: the object then refuses work instead of guessing.
    broken: RefCell<Option<String>>,
    /// The version viewers last received, and when: the coalescing of live updates keys on these.
    broadcast_version: Cell<Option<u64>>,
    broadcast_at_ms: Cell<u64>,
}

impl DurableObject for EventRoom {
    fn new(state: State, env: Env) -> Self {
        let sql = state.storage().sql();
        let loaded = store::migrate(&sql).and_then(|_| store::load(&sql));
        let (event, broken) = match loaded {
            Ok(event) => (event, None),
            Err(err) => {
                worker::console_error!("event object failed to load its state: {err}");
                (None, Some(err.to_string()))
            }
        };
        Self {
            state,
            env,
            event: RefCell::new(event),
            broken: RefCell::new(broken),
            broadcast_version: Cell::new(None),
            broadcast_at_ms: Cell::new(0),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let path = req.path();
        let result = self.dispatch(&mut req, &path).await;
        respond::finish(result, &path)
    }

    /// One alarm serves two jobs: a coalesced live update that was held back, and outbox retries.
    async fn alarm(&self) -> worker::Result<Response> {
        self.broadcast_now();
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
        _was_clean: bool,
    ) -> worker::Result<()> {
        // Complete the closing handshake; 1005/1006 are reserved and may not be sent back.
        let code = u16::try_from(code)
            .ok()
            .filter(|c| !matches!(c, 1005 | 1006))
            .unwrap_or(1000);
        let _ = ws.close(Some(code), Some("bye"));
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, error: worker::Error) -> worker::Result<()> {
        worker::console_warn!("viewer socket error: {error}");
        let _ = ws.close(Some(1011), Some("error"));
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
        let (code, action) = match segments.as_slice() {
            ["events", code, action] => (*code, *action),
            _ => return Err(Problem::not_found(format!("no event object route {path}"))),
        };
        match (req.method(), action) {
            (Method::Put, "definition") => self.put_definition(req, code).await,
            (Method::Get, "definition") => self.get_definition(code),
            (Method::Post, "results") => self.post_results(req, code).await,
            (Method::Post, "games") => self.post_game(req, code).await,
            (Method::Get, "audit") => self.get_audit(req),
            (Method::Get, "state") => self.get_state(code),
            (Method::Get, "leaderboard") => self.get_leaderboard(req, code),
            (Method::Get, "live") => self.open_live(req),
            _ => Err(Problem::not_found(format!(
                "no event object route {} {path}",
                req.method()
            ))),
        }
    }

    async fn put_definition(&self, req: &mut Request, code: &str) -> Result<Response, Problem> {
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
        let (receipt, changed) = {
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
                let line = store::LogLine {
                    kind: ChangeKind::Definition,
                    message_id: &message_id,
                    unit: "",
                    unit_version: 0,
                    feed: &ctx.feed,
                    received_at_ms: ctx.received_at_ms,
                    audit_json: serde_json::json!({
                        "event_version": state.version(), "kind": "definition", "feed": ctx.feed,
                        "received_at_ms": ctx.received_at_ms, "summary": "event definition stored",
                    })
                    .to_string(),
                };
                let body_json = serde_json::to_string(state.definition()).unwrap_or_default();
                let record =
                    change_record(state, ChangeKind::Definition, &line, "", false, body_json);
                self.persist(state, &line, &record)?;
            }
            (receipt, changed)
        };
        if changed {
            self.after_change().await;
        }
        respond::json(
            &receipt,
            if receipt.outcome == Outcome::Applied {
                201
            } else {
                200
            },
        )
    }

    fn get_definition(&self, code: &str) -> Result<Response, Problem> {
        let slot = self.event.borrow();
        let state = slot.as_ref().ok_or_else(|| problems::unknown_event(code))?;
        respond::json(
            &serde_json::json!({ "version": state.version(), "definition": state.definition() }),
            200,
        )
    }

    async fn post_results(&self, req: &mut Request, code: &str) -> Result<Response, Problem> {
        let message: ResultsMessage = body::parse_json(&read_body(req).await?)?;
        let ctx = context(req)?;
        let body_json = serde_json::to_string(&message).unwrap_or_default();
        let message_id = message.message_id.clone();
        let unit = message.unit.to_string();
        self.apply(
            code,
            ChangeKind::Results,
            &ctx,
            &message_id,
            &unit,
            body_json,
            |state, ctx| state.apply_results(message, ctx),
        )
        .await
    }

    async fn post_game(&self, req: &mut Request, code: &str) -> Result<Response, Problem> {
        let game: GameResult = body::parse_json(&read_body(req).await?)?;
        let ctx = context(req)?;
        let body_json = serde_json::to_string(&game).unwrap_or_default();
        let message_id = game.message_id.clone();
        let unit = game.unit.to_string();
        self.apply(
            code,
            ChangeKind::Game,
            &ctx,
            &message_id,
            &unit,
            body_json,
            |state, ctx| state.apply_game(game, ctx),
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
        apply: impl FnOnce(&mut EventState, &ApplyContext) -> Result<ApplyOutcome, domain::DomainError>,
    ) -> Result<Response, Problem> {
        let receipt = {
            let mut slot = self.event.borrow_mut();
            let state = slot.as_mut().ok_or_else(|| problems::unknown_event(code))?;
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
                    if let Err(problem) = self.persist(state, &line, &record) {
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
        respond::json(
            &receipt,
            if receipt.outcome == Outcome::Applied {
                201
            } else {
                200
            },
        )
    }

    /// Pushes the change to viewers (coalesced) and delivers its outbox rows.
    async fn after_change(&self) {
        let now = worker::Date::now().as_millis();
        if now.saturating_sub(self.broadcast_at_ms.get()) >= live::MIN_BROADCAST_INTERVAL_MS {
            self.broadcast_now();
        } else if live::viewer_count(&self.state) > 0 {
            // Too soon after the last message: the alarm sends the latest state when the interval ends.
            let due = self.broadcast_at_ms.get() + live::MIN_BROADCAST_INTERVAL_MS;
            let storage = self.state.storage();
            let earlier = match storage.get_alarm().await {
                Ok(Some(at)) => (due as i64) < at,
                _ => true,
            };
            // set_alarm takes an offset from now, get_alarm answers an absolute time.
            let wait = std::time::Duration::from_millis(due.saturating_sub(now));
            if earlier && let Err(err) = storage.set_alarm(wait).await {
                worker::console_error!("live: could not schedule a coalesced update: {err}");
            }
        }
        outbox::drain_or_schedule(&self.state, &self.env).await;
    }

    /// Sends the current state to every viewer unless they already have it.
    fn broadcast_now(&self) {
        let slot = self.event.borrow();
        let Some(state) = slot.as_ref() else { return };
        if self.broadcast_version.get() == Some(state.version()) {
            return;
        }
        if live::viewer_count(&self.state) > 0 {
            live::broadcast(&self.state, &live::message(state, live::Kind::Update));
        }
        self.broadcast_version.set(Some(state.version()));
        self.broadcast_at_ms.set(worker::Date::now().as_millis());
    }

    fn open_live(&self, req: &Request) -> Result<Response, Problem> {
        let upgrade = req
            .headers()
            .get("upgrade")
            .ok()
            .flatten()
            .unwrap_or_default();
        if !upgrade.eq_ignore_ascii_case("websocket") {
            return Err(Problem::new(426, "upgrade-required", "Upgrade required")
                .detail("connect with a WebSocket"));
        }
        let url = req.url().map_err(|_| Problem::internal())?;
        let mut since = None;
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "since" => {
                    since = Some(value.parse::<u64>().map_err(|_| {
                        Problem::bad_request("since", "since must be an event version")
                    })?)
                }
                other => {
                    return Err(Problem::bad_request(
                        other.to_string(),
                        "unknown query parameter",
                    ));
                }
            }
        }
        let slot = self.event.borrow();
        let client = live::connect(&self.state, slot.as_ref(), since).map_err(|err| {
            worker::console_error!("live: accept failed: {err}");
            Problem::internal()
        })?;
        Response::from_websocket(client).map_err(|_| Problem::internal())
    }

    fn persist(
        &self,
        state: &EventState,
        line: &store::LogLine<'_>,
        record: &ChangeRecord,
    ) -> Result<(), Problem> {
        let bytes = record.to_msgpack();
        let outbox = [
            (bindings::ARCHIVE_QUEUE, bytes.clone()),
            (bindings::ANALYTICS_QUEUE, bytes),
        ];
        store::record_change(&self.state.storage().sql(), state, line, &outbox)
            .map_err(problems::storage)
    }

    fn reload(&self) {
        match store::load(&self.state.storage().sql()) {
            Ok(event) => *self.event.borrow_mut() = event,
            Err(err) => *self.broken.borrow_mut() = Some(err.to_string()),
        }
    }

    fn get_audit(&self, req: &Request) -> Result<Response, Problem> {
        let url = req.url().map_err(|_| Problem::internal())?;
        let mut limit = 100u32;
        let mut before = None;
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "limit" => {
                    limit = value
                        .parse()
                        .ok()
                        .filter(|l| (1..=1000).contains(l))
                        .ok_or_else(|| {
                            Problem::bad_request("limit", "limit must be an integer from 1 to 1000")
                        })?;
                }
                "before" => {
                    before = Some(value.parse::<u64>().map_err(|_| {
                        Problem::bad_request("before", "before must be an event version")
                    })?);
                }
                other => {
                    return Err(Problem::bad_request(
                        other.to_string(),
                        "unknown query parameter",
                    ));
                }
            }
        }
        let entries =
            store::audit(&self.state.storage().sql(), limit, before).map_err(problems::storage)?;
        respond::json(&serde_json::json!({ "entries": entries }), 200)
    }

    fn get_state(&self, code: &str) -> Result<Response, Problem> {
        let slot = self.event.borrow();
        let state = slot.as_ref().ok_or_else(|| problems::unknown_event(code))?;
        let settled = state
            .units()
            .all(|u| u.status() == domain::ResultStatus::Official);
        cacheable(
            respond::json(&EventSummary::of(state), 200)?,
            state.version(),
            settled,
        )
    }

    fn get_leaderboard(&self, req: &Request, code: &str) -> Result<Response, Problem> {
        let url = req.url().map_err(|_| Problem::internal())?;
        let query = leaderboard_query(&url)?;
        let slot = self.event.borrow();
        let state = slot.as_ref().ok_or_else(|| problems::unknown_event(code))?;
        let page = state.leaderboard(&query).map_err(problems::domain)?;
        let settled = page.status == domain::ResultStatus::Official;
        cacheable(respond::json(&page, 200)?, state.version(), settled)
    }
}

/// Live data may be cached for a second; official data for half a minute, because an OFFICIAL result can
/// still be corrected and a correction must reach viewers quickly. The event version is the validator:
/// under one URL, one version always renders the same bytes.
fn cacheable(response: Response, version: u64, settled: bool) -> Result<Response, Problem> {
    let cache_control = if settled {
        "public, max-age=30, stale-while-revalidate=300"
    } else {
        "public, max-age=1, stale-while-revalidate=2"
    };
    let headers: worker::Headers = response.headers().entries().collect();
    headers
        .set("cache-control", cache_control)
        .and_then(|_| headers.set("etag", &format!("\"v{version}\"")))
        .map_err(|_| Problem::internal())?;
    Ok(response.with_headers(headers))
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
    status: domain::ResultStatus,
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

/// Parses the leaderboard query parameters strictly: an unknown or malformed parameter is a 400.
pub fn leaderboard_query(url: &worker::Url) -> Result<LeaderboardQuery, Problem> {
    let mut query = LeaderboardQuery::default();
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "unit" => {
                query.unit = Some(
                    value
                        .parse()
                        .map_err(|e| Problem::bad_request("unit", format!("{e}")))?,
                )
            }
            "limit" => {
                query.limit = Some(value.parse().map_err(|_| {
                    Problem::bad_request("limit", "limit must be an integer from 1 to 500")
                })?)
            }
            "cursor" => query.cursor = Some(value.to_string()),
            "around" => {
                query.around = Some(
                    value
                        .parse()
                        .map_err(|e| Problem::bad_request("around", format!("{e}")))?,
                )
            }
            other => {
                return Err(Problem::bad_request(
                    other.to_string(),
                    "unknown query parameter",
                ));
            }
        }
    }
    Ok(query)
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
    }
}
