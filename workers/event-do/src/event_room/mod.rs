//! The event Durable Object: one per event, named by event code. It is the single writer of its event:
//! it validates and applies messages with `domain`, stores them, queues them for the archive, analytics
//! and the standings, pushes them to live viewers, and answers reads from memory.
//!
//! Its routes are `wire::api::EventRoute`; `fetch` parses one and calls one method, in
//! - [`writes`]: definitions, results and games: apply, store atomically with the outbox, acknowledge;
//! - [`reads`]: definition, audit, summary, leaderboards, snapshots, viewers' sockets, relay membership;
//! - [`broadcast`]: after a change, the viewers' update (coalesced) and the outbox's delivery.

mod broadcast;
mod reads;
mod writes;

use std::cell::{Cell, RefCell};

use domain::EventState;
use edge::{Problem, respond};
use object_logic::coalesce::Coalescer;
use object_logic::relays::RelaySet;
use wire::api::{EventRequest, EventRoute, Exposure, Method};
use worker::{
    DurableObject, Env, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    durable_object,
};

use crate::{live, outbox, store};

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
    /// The version viewers last received, and when.
    coalescer: Cell<Coalescer>,
    /// The frame viewers hold (the last one sent), while there are viewers to hold it: the base of the
    /// next patch and the greeting of new viewers. None after a restart or while nobody watches.
    sent: RefCell<Option<live::Frame>>,
    /// Relay shards holding a share of the viewers; each hears every broadcast.
    relays: RefCell<RelaySet>,
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
            coalescer: Cell::new(Coalescer::default()),
            sent: RefCell::new(None),
            relays: RefCell::new(RelaySet::new(relays)),
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
        let url = req.url().map_err(|_| Problem::internal())?;
        let method = Method::parse(&req.inner().method());
        let request =
            EventRequest::parse(method, path, url.query().unwrap_or(""), Exposure::Private)?;
        let code = request.event.as_str();
        match request.route {
            EventRoute::Write(kind) => self.write(req, code, kind).await,
            EventRoute::Definition => self.definition(code),
            EventRoute::Audit(query) => self.audit(code, query),
            EventRoute::Summary => self.summary(code),
            EventRoute::Leaderboard(query) => self.leaderboard(code, &query),
            EventRoute::Live { since } => self.open_live(req, since),
            EventRoute::Snapshot => self.snapshot(code),
            EventRoute::Relays { shard, join } => self.set_relay(code, shard, join),
        }
    }
}
