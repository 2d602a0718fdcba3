//! The event Durable Object: one per event, named by event code. It is the single writer of its event:
//! it validates and applies messages with `domain`, stores them, queues them for the archive, analytics
//! and the standings, pushes them to live viewers, and answers reads from memory.
//!
//! Its routes are `wire::api::EventRoute`; `fetch` parses one and calls one method, in
//! - [`writes`]: definitions, results and games: apply, store atomically with the outbox, acknowledge;
//! - [`reads`]: definition, audit, summary, leaderboards, snapshots, viewers' sockets, relay membership;
//! - [`broadcast`]: after a change, the viewers' update (coalesced) and the outbox's delivery;
//! - [`publish`]: the event's hot documents, for the CDN and for reads that survive a failing object;
//! - [`rebuild`]: the event rebuilt from the archive alone.

mod broadcast;
mod publish;
mod reads;
mod rebuild;
mod writes;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use domain::EventState;
use edge::OrInternal;
use edge::{Problem, respond};
use object_logic::coalesce::{self, Coalescer};
use object_logic::relays::RelaySet;
use tracing::Instrument;
use wire::api::{EventRequest, EventRoute, Exposure, MaintenanceAnswer, Method};
use worker::{
    DurableObject, Env, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    durable_object,
};

use crate::{live, outbox, problems, store};

/// The name of the maintenance switch among the object's settings.
const MAINTENANCE: &str = "maintenance";

#[durable_object]
pub struct EventRoom {
    state: State,
    env: Env,
    /// The event as stored; `None` until it is defined. Loaded once per object instance.
    event: RefCell<Option<EventState>>,
    /// Set when the stored state could not be read: the object then refuses work instead of guessing.
    broken: RefCell<Option<String>>,
    /// Operators took the object out of service: every route but the switch answers 503.
    maintenance: Cell<bool>,
    /// Whether this instance made sure the tables exist (`CREATE TABLE IF NOT EXISTS`, once per instance,
    /// so an object stored by an older build gains the tables added since). Done at the first write, so
    /// a read of an event that was never defined leaves no storage behind.
    migrated: Cell<bool>,
    /// The version viewers last received, and when.
    coalescer: Cell<Coalescer>,
    /// The frame viewers hold (the last one sent), while there are viewers to hold it: the base of the
    /// next patch and the greeting of new viewers. None after a restart or while nobody watches.
    sent: RefCell<Option<live::Frame>>,
    /// Relay shards holding a share of the viewers; each hears every broadcast.
    relays: RefCell<RelaySet>,
    /// The version last published as hot documents, and when (shared with the background write, which
    /// forgets it when the write fails).
    publisher: Rc<Cell<Coalescer>>,
    /// The KV snapshots of the same documents, written less often (`coalesce::SNAPSHOT_INTERVAL_MS`).
    snapshots: Rc<Cell<Coalescer>>,
}

impl DurableObject for EventRoom {
    fn new(state: State, env: Env) -> Self {
        let sql = state.storage().sql();
        live::answer_pings_without_waking(&state);
        let (event, broken) = match store::load(&sql) {
            Ok(event) => (event, None),
            Err(err) => {
                tracing::error!(cause = %err, "event object failed to load its state");
                (None, Some(err.to_string()))
            }
        };
        let relays = store::relays(&sql).unwrap_or_default();
        let maintenance = store::setting(&sql, MAINTENANCE).ok().flatten().as_deref() == Some("on");
        Self {
            state,
            env,
            event: RefCell::new(event),
            broken: RefCell::new(broken),
            maintenance: Cell::new(maintenance),
            migrated: Cell::new(false),
            coalescer: Cell::new(Coalescer::every(coalesce::LIVE_INTERVAL_MS)),
            sent: RefCell::new(None),
            relays: RefCell::new(RelaySet::new(relays)),
            publisher: Rc::new(Cell::new(Coalescer::every(coalesce::PUBLISH_INTERVAL_MS))),
            snapshots: Rc::new(Cell::new(Coalescer::every(coalesce::SNAPSHOT_INTERVAL_MS))),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        edge::log::init(crate::WORKER);
        let span = edge::log::request(&edge::log::request_id_from_caller(req.headers()));
        async {
            let path = req.path();
            let result = self.dispatch(&mut req, &path).await;
            respond::finish(result, &path)
        }
        .instrument(span)
        .await
    }

    /// One alarm serves two jobs: a coalesced live update that was held back, and outbox retries.
    async fn alarm(&self) -> worker::Result<Response> {
        edge::log::init(crate::WORKER);
        let work = async {
            self.broadcast_now().await;
            let now = worker::Date::now().as_millis();
            if let Some(due_ms) = self.publish_step(now, false).await {
                self.alarm_at(due_ms, now).await;
            }
            if self.event.borrow().is_some()
                && let Err(problem) = self.ensure_migrated()
            {
                tracing::error!(
                    cause = problem.cause.as_deref().unwrap_or(""),
                    "alarm: migrate failed"
                );
                return;
            }
            outbox::drain_or_schedule(&self.state, &self.env).await;
        };
        work.instrument(edge::log::request(&edge::log::new_request_id()))
            .await;
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
        let url = req.url().or_internal("read the request URL")?;
        let method = Method::parse(&req.inner().method());
        let request =
            EventRequest::parse(method, path, url.query().unwrap_or(""), Exposure::Private)?;
        let code = request.event.as_str();
        if self.maintenance.get()
            && !matches!(
                request.route,
                EventRoute::Maintenance { .. } | EventRoute::Rebuild
            )
        {
            return Err(Problem::unavailable(
                "this event is under maintenance; retry shortly",
            ));
        }
        match request.route {
            EventRoute::Write(kind) => self.write(req, code, kind).await,
            EventRoute::Definition => self.definition(code),
            EventRoute::Audit(query) => self.audit(code, query),
            EventRoute::Summary => self.summary(code),
            EventRoute::Leaderboard(query) => self.leaderboard(code, &query),
            EventRoute::Live { since } => self.open_live(req, since),
            EventRoute::Snapshot => self.snapshot(code),
            EventRoute::Relays { shard, join } => self.set_relay(code, shard, join),
            EventRoute::Maintenance { on } => self.set_maintenance(code, on),
            EventRoute::Rebuild => self.rebuild(code).await,
        }
    }

    /// Operators' switch: stored, so it survives a restart.
    fn set_maintenance(&self, code: &str, on: bool) -> Result<Response, Problem> {
        if self.event.borrow().is_none() {
            return Err(problems::unknown_event(code));
        }
        self.ensure_migrated()?;
        store::set_setting(
            &self.state.storage().sql(),
            MAINTENANCE,
            if on { "on" } else { "off" },
        )
        .map_err(problems::storage)?;
        self.maintenance.set(on);
        tracing::warn!(event = code, on, "maintenance switched");
        respond::json(&MaintenanceAnswer { maintenance: on }, 200)
    }
}
