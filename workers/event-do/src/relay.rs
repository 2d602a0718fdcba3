//! The fan-out tier. One Durable Object can hold at most 32,768 WebSockets, and a popular final (or the
//! medal table on a busy evening) draws more viewers than that. Past its direct-viewer limit
//! (`object_logic::relays`), a live source sends new viewers to relay objects named `{source}#{shard}`;
//! each relay holds its share of viewers with the Hibernation API and hears every message from its
//! source. A source is an event object or the standings object's live medal table
//! (`wire::api::Source`); the routes are `wire::api::RelayRoute`.
//!
//! A relay registers with its source when it gets its first viewer and leaves when its last one goes.
//! It forwards only newer versions, so viewers' versions only ever rise.
//!
//! The source's half (the same for both kinds): `GET …/snapshot`, `PUT|DELETE …/relays?shard=k`, a `307`
//! naming a shard when full ([`redirect`]), and [`publish`] after each broadcast.

use std::cell::{Cell, RefCell};

use edge::OrInternal;
use edge::object::CallError;
use edge::{Problem, body, respond};
use object_logic::relays::{self, Forward, Forwarded};
use tracing::Instrument;
use wire::api::relay::{Publication, Published};
use wire::api::{
    DIRECT_LIMIT_HEADER, Method, RELAY_FULL_HEADER, RELAY_SHARD_HEADER, RelayRequest, RelayRoute,
    Source,
};
use worker::{
    DurableObject, Env, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    WebSocketPair, durable_object,
};

use crate::{bindings, live};

/// The highest version this relay has handed its viewers, kept across hibernation: a publish that
/// arrives late (publishes run concurrently) must never take a viewer back.
const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS forwarded (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)";

/// A full source's answer to a new viewer: `307` naming the relay shard that takes it.
pub fn redirect(shard: u32) -> Result<Response, Problem> {
    let headers = worker::Headers::new();
    headers
        .set(RELAY_SHARD_HEADER, &shard.to_string())
        .or_internal("name the relay shard")?;
    Response::empty()
        .map(|r| r.with_status(307).with_headers(headers))
        .or_internal("build the 307")
}

/// Hands a source's latest live message to each of its relays, all at once: a relay keeps only newer
/// versions, so the order they arrive in does not matter. False when any of them could not be reached:
/// the source then sends its latest message again shortly.
pub async fn publish(env: &Env, source: &Source, shards: &[u32], text: &str) -> bool {
    let objects = bindings::objects(env);
    let sends = shards.iter().map(|&shard| {
        let objects = &objects;
        async move {
            match objects
                .call(RelayRequest::publish(source.clone(), shard, text))
                .await
            {
                Ok(Published { .. }) | Err(CallError::Refused { .. }) => true,
                Err(err) => {
                    tracing::warn!(shard, cause = %err, "live: publish to a relay failed");
                    false
                }
            }
        }
    });
    futures_util::future::join_all(sends)
        .await
        .into_iter()
        .all(|sent| sent)
}

/// After a failed publish: the source's alarm sends its latest message again in a second, so a relay's
/// viewers cannot stay behind after the last change of a burst.
pub async fn retry_soon(state: &State) {
    if let Err(err) = state
        .storage()
        .set_alarm(std::time::Duration::from_millis(1_000))
        .await
    {
        tracing::error!(cause = %err, "live: could not schedule a relay retry");
    }
}

/// The viewer limit the read gateway set on this request.
pub fn direct_limit(req: &Request) -> usize {
    relays::direct_limit(
        req.headers()
            .get(DIRECT_LIMIT_HEADER)
            .ok()
            .flatten()
            .as_deref(),
    )
}

#[durable_object]
pub struct LiveRelay {
    state: State,
    env: Env,
    /// The latest live message from the source and its version; empty after hibernation until the
    /// next publish or connect.
    latest: RefCell<Option<(u64, serde_json::Value)>>,
    /// The stored [`SCHEMA`] version, read once after (re)starting.
    stored: Cell<Option<u64>>,
    registered: Cell<bool>,
    /// Viewers accepted since this instance started: tells a leave that a viewer came in meanwhile.
    accepted: Cell<u64>,
    /// The source and shard this relay serves, learnt from the first request after (re)starting.
    home: RefCell<Option<(Source, u32)>>,
}

impl DurableObject for LiveRelay {
    fn new(state: State, env: Env) -> Self {
        live::answer_pings_without_waking(&state);
        // Viewers survive hibernation; if any are attached, this relay is registered.
        let registered = live::viewer_count(&state) > 0;
        Self {
            state,
            env,
            latest: RefCell::new(None),
            stored: Cell::new(None),
            registered: Cell::new(registered),
            accepted: Cell::new(0),
            home: RefCell::new(None),
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
        self.leave_if_empty().await;
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, error: worker::Error) -> worker::Result<()> {
        live::on_error(&ws, &error, "relay viewer");
        self.leave_if_empty().await;
        Ok(())
    }
}

/// A full relay's answer: 503, marked so the read gateway tries the source's other relays first.
fn full() -> Result<Response, Problem> {
    let response = Problem::unavailable("every relay of this live source is full; retry shortly")
        .into_response()
        .or_internal("build the full answer")?;
    let headers: worker::Headers = response.headers().entries().collect();
    headers
        .set(RELAY_FULL_HEADER, "1")
        .or_internal("mark the relay full")?;
    Ok(response.with_headers(headers))
}

impl LiveRelay {
    async fn dispatch(&self, req: &mut Request, path: &str) -> Result<Response, Problem> {
        let url = req.url().or_internal("read the request URL")?;
        let method = Method::parse(&req.inner().method());
        let request = RelayRequest::parse(method, path, url.query().unwrap_or(""))?;
        *self.home.borrow_mut() = Some((request.source.clone(), request.shard));
        match request.route {
            RelayRoute::Live { since } => {
                self.accept_viewer(req, &request.source, request.shard, since)
                    .await
            }
            RelayRoute::Publish => self.publish(req).await,
        }
    }

    async fn accept_viewer(
        &self,
        req: &Request,
        source: &Source,
        shard: u32,
        since: Option<u64>,
    ) -> Result<Response, Problem> {
        let limit = direct_limit(req);
        if !relays::relay_has_room(live::viewer_count(&self.state), limit) {
            return full();
        }
        if !self.registered.get() {
            self.register(source, shard, true).await?;
            self.registered.set(true);
        }
        if self.latest.borrow().is_none() {
            let snapshot = self.fetch_snapshot(source).await?;
            self.remember(snapshot);
        }
        let greeting = {
            let latest = self.latest.borrow();
            let Some((version, message)) = latest.as_ref() else {
                return Err(
                    Problem::internal().because("the relay holds no message after a snapshot")
                );
            };
            let mut greeting = message.clone();
            if since == Some(*version) {
                // As the source says it: the event's names the event, the medal table's has no table.
                greeting = match source {
                    Source::Event(code) => serde_json::json!({
                        "type": "current", "event": code.as_str(), "version": version
                    }),
                    Source::Medals => serde_json::json!({
                        "type": "current", "version": version, "table": null
                    }),
                };
            } else if let Some(kind) = greeting.get_mut("type") {
                *kind = serde_json::Value::String("snapshot".into());
            }
            // Says which relay serves the viewer: useful when tracing a viewer's complaint.
            if let Some(fields) = greeting.as_object_mut() {
                fields.insert("relay".into(), shard.into());
            }
            greeting.to_string()
        };
        // Again after the awaits above, during which other viewers may have been accepted.
        if !relays::relay_has_room(live::viewer_count(&self.state), limit) {
            return full();
        }
        let client = live::client_tag(req);
        live::check_client_cap(&self.state, client.as_deref())?;
        let pair = WebSocketPair::new().or_internal("open a socket pair")?;
        self.state.accept_websocket_with_tags(
            &pair.server,
            &live::viewer_tags(live::VIEWER_TAG, client.as_deref()),
        );
        self.accepted.set(self.accepted.get() + 1);
        pair.server
            .send_with_str(greeting)
            .or_internal("greet a relay viewer")?;
        Response::from_websocket(pair.client).or_internal("answer with a socket")
    }

    /// The source's latest message: kept, and sent on to every viewer if it is newer. The viewers get
    /// the source's update when it patches exactly the message they hold, else the whole message.
    async fn publish(&self, req: &mut Request) -> Result<Response, Problem> {
        let publication: Publication =
            body::parse_json(&body::read_limited(req, 2 * 1024 * 1024).await?)?;
        let held = self.latest.borrow().as_ref().map(|(version, _)| *version);
        let base = publication
            .update
            .get("patch")
            .and_then(|patch| patch.get("base"))
            .and_then(serde_json::Value::as_u64);
        let choice = relays::forward(held, base);
        let update = publication.update;
        if self.remember(publication.full) {
            let text = match choice {
                Forward::Update => Some(update.to_string()),
                Forward::Whole => self
                    .latest
                    .borrow()
                    .as_ref()
                    .map(|(_, message)| message.to_string()),
            };
            if let Some(text) = text {
                live::broadcast(&self.state, &text);
            }
        }
        respond::json(
            &Published {
                viewers: live::viewer_count(&self.state),
            },
            200,
        )
    }

    /// Keeps `message` if it is newer than anything this relay has handed out (before hibernating too);
    /// says whether it was.
    fn remember(&self, message: serde_json::Value) -> bool {
        let version = message
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        let forwarded = Forwarded {
            in_memory: self.latest.borrow().as_ref().map(|(held, _)| *held),
            stored: self.stored_version(),
        };
        if !forwarded.accepts(version) {
            return false;
        }
        if let Err(err) = self.store_forwarded(version) {
            // Memory still orders this instance's viewers; only a restart could then repeat a version.
            tracing::warn!(version, cause = %err, "relay: could not store the version it forwarded");
        }
        *self.latest.borrow_mut() = Some((version, message));
        true
    }

    fn stored_version(&self) -> Option<u64> {
        if let Some(version) = self.stored.get() {
            return Some(version);
        }
        let sql = self.state.storage().sql();
        let stored = sql
            .exec(SCHEMA, None)
            .and_then(|_| sql.exec("SELECT version FROM forwarded WHERE id = 1", None))
            .and_then(|rows| rows.raw().next().transpose())
            .ok()
            .flatten()
            .and_then(|row| match row.into_iter().next() {
                Some(worker::SqlStorageValue::Integer(v)) => u64::try_from(v).ok(),
                _ => None,
            });
        self.stored.set(Some(stored.unwrap_or(0)));
        stored
    }

    /// Called after [`Self::stored_version`], which created the table.
    fn store_forwarded(&self, version: u64) -> worker::Result<()> {
        let sql = self.state.storage().sql();
        sql.exec(
            "INSERT INTO forwarded (id, version) VALUES (1, ?) \
             ON CONFLICT (id) DO UPDATE SET version = excluded.version",
            vec![worker::SqlStorageValue::Integer(
                i64::try_from(version).unwrap_or(i64::MAX),
            )],
        )?;
        self.stored.set(Some(version));
        Ok(())
    }

    async fn fetch_snapshot(&self, source: &Source) -> Result<serde_json::Value, Problem> {
        bindings::objects(&self.env)
            .call(source.snapshot())
            .await
            .map_err(|err| match err {
                CallError::Refused { .. } => {
                    Problem::not_found(format!("{} is not live", source.as_str())).field("event")
                }
                other => other.into_problem("the live data could not be reached; retry shortly"),
            })
    }

    async fn register(&self, source: &Source, shard: u32, join: bool) -> Result<(), Problem> {
        match bindings::objects(&self.env)
            .call(source.membership(shard, join))
            .await
        {
            Ok(_) => Ok(()),
            Err(CallError::Refused { problem, .. }) if problem.status == 404 => Err(
                Problem::not_found(format!("{} is not defined", source.as_str())).field("event"),
            ),
            Err(err) => Err(
                Problem::unavailable("the event could not be reached; retry shortly").because(
                    format!("relay registration with {}: {err}", source.as_str()),
                ),
            ),
        }
    }

    async fn leave_if_empty(&self) {
        // The closing socket is still counted while its handler runs.
        if live::viewer_count(&self.state) > 1 || !self.registered.get() {
            return;
        }
        let from_name = || {
            let name = self.state.id().name()?;
            let (source, shard) = name.split_once('#')?;
            Some((Source::parse(source).ok()?, shard.parse::<u32>().ok()?))
        };
        let Some((source, shard)) = self.home.borrow().clone().or_else(from_name) else {
            return;
        };
        let accepted_before = self.accepted.get();
        if self.register(&source, shard, false).await.is_err() {
            return;
        }
        if self.accepted.get() != accepted_before {
            // A viewer came in while the source was forgetting this relay (it saw `registered` and did
            // not register): join again, or that viewer would hear nothing.
            if self.register(&source, shard, true).await.is_err() {
                self.registered.set(false);
            }
            return;
        }
        self.registered.set(false);
        *self.latest.borrow_mut() = None;
    }
}
