//! The fan-out tier. One Durable Object can hold at most 32,768 WebSockets, and a popular final (or the
//! medal table on a busy evening) draws more viewers than that. Past [`DEFAULT_DIRECT_VIEWERS`] direct
//! viewers (the read gateway may set a lower limit), a live source sends new viewers to relay objects
//! named `{source}#{shard}`; each relay holds its share of viewers with the Hibernation API and hears
//! every message from its source. A [`Source`] is an event object (`{source}` is the event code) or the
//! standings object's live medal table (`medals`).
//!
//! A relay registers with its source when it gets its first viewer and leaves when its last one goes.
//! It forwards only newer versions, so viewers' versions only ever rise. Private routes:
//!
//! | method | path                                 | action                                 |
//! |--------|--------------------------------------|----------------------------------------|
//! | GET    | /relays/{source}/{shard}/live?since= | a viewer's WebSocket                   |
//! | POST   | /relays/{source}/{shard}/publish     | the source's latest live message       |
//!
//! The source's half (the same for both kinds): `GET …/snapshot`, `PUT|DELETE …/relays?shard=k`, a `307`
//! naming a shard when full ([`redirect`]), and [`publish`] after each broadcast.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use domain::EventCode;
use edge::{Problem, body, respond};
use worker::{
    DurableObject, Env, Method, Request, RequestInit, Response, State, Stub, WebSocket,
    WebSocketIncomingMessage, WebSocketPair, durable_object,
};

use crate::query::Params;
use crate::{bindings, live};

/// Viewers one object keeps before it refuses more: headroom below the 32,768 WebSockets it may hold.
pub const DEFAULT_DIRECT_VIEWERS: usize = 30_000;
/// Relays per source: 16 × 30,000 viewers is enough for any single event of the Games.
pub use wire::internal::RELAY_SHARDS as SHARDS;
pub use wire::internal::{
    DIRECT_LIMIT_HEADER, MEDALS_RELAY_SOURCE, RELAY_FULL_HEADER,
    RELAY_SHARD_HEADER as SHARD_HEADER, relay_name as name,
};

/// The highest version this relay has handed its viewers, kept across hibernation: a publish that
/// arrives late (publishes run concurrently) must never take a viewer back.
const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS forwarded (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)";

/// Where a relay's messages come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// One event's live leaderboard, from its event object.
    Event(EventCode),
    /// The live medal table, from the standings object.
    Medals,
}

impl Source {
    /// The `{source}` of a relay's name and routes.
    pub fn parse(segment: &str) -> Result<Self, Problem> {
        if segment == MEDALS_RELAY_SOURCE {
            return Ok(Self::Medals);
        }
        segment
            .parse()
            .map(Self::Event)
            .map_err(|e| Problem::bad_request("event", format!("{e}")))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Event(code) => code.as_str(),
            Self::Medals => MEDALS_RELAY_SOURCE,
        }
    }

    /// The URL of the source's private route `action`.
    fn url(&self, action: &str) -> String {
        let origin = wire::internal::EVENT_ROOM_ORIGIN;
        match self {
            Self::Event(code) => format!("{origin}/events/{}/{action}", code.as_str()),
            Self::Medals => format!("{origin}/standings/{action}"),
        }
    }

    fn stub(&self, env: &Env) -> Result<Stub, Problem> {
        let stub = match self {
            Self::Event(code) => env
                .durable_object(bindings::EVENT_ROOM)
                .and_then(|ns| ns.get_by_name(code.as_str())),
            Self::Medals => env
                .durable_object(bindings::STANDINGS)
                .and_then(|ns| ns.get_by_name(crate::standings::GAMES)),
        };
        stub.map_err(|err| {
            worker::console_error!("relay: stub of {}: {err}", self.as_str());
            Problem::internal()
        })
    }
}

/// How many viewers one object (a source, or each of its relays) holds: the read gateway's setting,
/// never above the default.
pub fn direct_limit(req: &Request) -> usize {
    req.headers()
        .get(DIRECT_LIMIT_HEADER)
        .ok()
        .flatten()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(DEFAULT_DIRECT_VIEWERS, |limit| {
            limit.min(DEFAULT_DIRECT_VIEWERS)
        })
}

/// A full source's answer to a new viewer: `307` naming the next relay shard, taken in turn.
pub fn redirect(next_shard: &Cell<u32>) -> Result<Response, Problem> {
    let shard = next_shard.get();
    next_shard.set((shard + 1) % SHARDS);
    let headers = worker::Headers::new();
    headers
        .set(SHARD_HEADER, &shard.to_string())
        .map_err(|_| Problem::internal())?;
    Response::empty()
        .map(|r| r.with_status(307).with_headers(headers))
        .map_err(|_| Problem::internal())
}

/// The shard of a relay joining or leaving its source.
pub fn shard_param(params: &mut Params) -> Result<u32, Problem> {
    params
        .take_parsed::<u32>("shard", "shard must be a relay shard number")?
        .filter(|s| *s < SHARDS)
        .ok_or_else(|| Problem::bad_request("shard", "shard must be a relay shard number"))
}

/// What a source publishes to its relays: its latest message whole (kept for greeting new viewers) and
/// the update its own viewers got (a patch to the previous message, or the same whole message).
pub fn publication(full: &str, update: &str) -> String {
    format!(r#"{{"full":{full},"update":{update}}}"#)
}

/// Hands a source's latest live message to each of its relays, all at once: a relay keeps only newer
/// versions, so the order they arrive in does not matter. False when any of them failed: the source then
/// sends its latest message again shortly.
pub async fn publish(env: &Env, source: &Source, shards: &[u32], text: &str) -> bool {
    let Ok(namespace) = env.durable_object(bindings::LIVE_RELAY) else {
        worker::console_error!("live: relay binding missing");
        return false;
    };
    let sends = shards.iter().map(|&shard| {
        let namespace = &namespace;
        async move {
            let sent = async {
                let mut init = RequestInit::new();
                init.with_method(Method::Post).with_body(Some(text.into()));
                let url = format!(
                    "{}/relays/{}/{shard}/publish",
                    wire::internal::EVENT_ROOM_ORIGIN,
                    source.as_str()
                );
                namespace
                    .get_by_name(&name(source.as_str(), shard))?
                    .fetch_with_request(Request::new_with_init(&url, &init)?)
                    .await
            }
            .await;
            if let Err(err) = &sent {
                worker::console_warn!(
                    "live: publish to relay {} {shard} failed: {err}",
                    source.as_str()
                );
            }
            sent.is_ok()
        }
    });
    futures_util::future::join_all(sends)
        .await
        .into_iter()
        .all(|sent| sent)
}

/// A source's answer to a relay joining (`joined`) or leaving: stored, so the source still publishes to
/// it after a restart, and answered with the relays it now has.
pub fn record_membership(
    state: &State,
    relays: &RefCell<BTreeSet<u32>>,
    shard: u32,
    joined: bool,
) -> Result<Response, Problem> {
    crate::store::set_relay(&state.storage().sql(), shard, joined)
        .map_err(crate::problems::storage)?;
    if joined {
        relays.borrow_mut().insert(shard);
    } else {
        relays.borrow_mut().remove(&shard);
    }
    respond::json(&serde_json::json!({ "relays": *relays.borrow() }), 200)
}

/// After a failed publish: the source's alarm sends its latest message again in a second, so a relay's
/// viewers cannot stay behind after the last change of a burst.
pub async fn retry_soon(state: &State) {
    if let Err(err) = state
        .storage()
        .set_alarm(std::time::Duration::from_millis(1_000))
        .await
    {
        worker::console_error!("live: could not schedule a relay retry: {err}");
    }
}

#[durable_object]
pub struct LiveRelay {
    state: State,
    env: Env,
    /// The latest live message from the event object and its version; empty after hibernation until the
    /// next publish or connect.
    latest: RefCell<Option<(u64, serde_json::Value)>>,
    /// The stored [`SCHEMA`] version, read once after (re)starting.
    forwarded: Cell<Option<u64>>,
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
            forwarded: Cell::new(None),
            registered: Cell::new(registered),
            accepted: Cell::new(0),
            home: RefCell::new(None),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let path = req.path();
        let result = self.dispatch(&mut req, &path).await;
        respond::finish(result, &path)
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
        .map_err(|_| Problem::internal())?;
    let headers: worker::Headers = response.headers().entries().collect();
    headers
        .set(RELAY_FULL_HEADER, "1")
        .map_err(|_| Problem::internal())?;
    Ok(response.with_headers(headers))
}

impl LiveRelay {
    async fn dispatch(&self, req: &mut Request, path: &str) -> Result<Response, Problem> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let ["relays", source, shard, action] = segments.as_slice() else {
            return Err(Problem::not_found(format!("no relay route {path}")));
        };
        let source = Source::parse(source)?;
        let shard: u32 = shard
            .parse()
            .ok()
            .filter(|s| *s < SHARDS)
            .ok_or_else(|| Problem::bad_request("shard", "no such shard"))?;
        *self.home.borrow_mut() = Some((source.clone(), shard));
        match (req.method(), *action) {
            (Method::Get, "live") => self.accept_viewer(req, &source, shard).await,
            (Method::Post, "publish") => self.publish(req).await,
            _ => Err(Problem::not_found(format!(
                "no relay route {} {path}",
                req.method()
            ))),
        }
    }

    async fn accept_viewer(
        &self,
        req: &Request,
        source: &Source,
        shard: u32,
    ) -> Result<Response, Problem> {
        let mut params = Params::of(req)?;
        let since = params.take_parsed::<u64>("since", "since must be a version")?;
        params.finish()?;
        let limit = direct_limit(req);
        if live::viewer_count(&self.state) >= limit {
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
                return Err(Problem::internal());
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
        // Again after the awaits above, during which other viewers may have been accepted: the runtime
        // refusing a socket past its own limit would be a panic in worker-rs.
        if live::viewer_count(&self.state) >= limit {
            return full();
        }
        let pair = WebSocketPair::new().map_err(|_| Problem::internal())?;
        self.state
            .accept_websocket_with_tags(&pair.server, &[live::VIEWER_TAG]);
        self.accepted.set(self.accepted.get() + 1);
        pair.server
            .send_with_str(greeting)
            .map_err(|_| Problem::internal())?;
        Response::from_websocket(pair.client).map_err(|_| Problem::internal())
    }

    /// The source's latest message: kept, and sent on to every viewer if it is newer. The viewers get
    /// the source's update when it patches exactly the message they hold, else the whole message.
    async fn publish(&self, req: &mut Request) -> Result<Response, Problem> {
        let mut publication: serde_json::Value =
            body::parse_json(&body::read_limited(req, 2 * 1024 * 1024).await?)?;
        let (Some(full), Some(update)) = (
            publication.get_mut("full").map(serde_json::Value::take),
            publication.get_mut("update").map(serde_json::Value::take),
        ) else {
            return Err(Problem::bad_request(
                "full",
                "a publication has full and update",
            ));
        };
        let held = self.latest.borrow().as_ref().map(|(version, _)| *version);
        let patches_held = |base: u64| held == Some(base);
        let text = match update
            .get("patch")
            .and_then(|patch| patch.get("base"))
            .and_then(serde_json::Value::as_u64)
        {
            Some(base) if !patches_held(base) => None,
            _ => Some(update.to_string()),
        };
        if self.remember(full) {
            let text = text.or_else(|| {
                self.latest
                    .borrow()
                    .as_ref()
                    .map(|(_, message)| message.to_string())
            });
            if let Some(text) = text {
                live::broadcast(&self.state, &text);
            }
        }
        respond::json(
            &serde_json::json!({ "viewers": live::viewer_count(&self.state) }),
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
        // Equal to what viewers were last handed is fine after a restart (the same state again); older
        // is not.
        let in_memory = self.latest.borrow().as_ref().map(|(held, _)| *held);
        if in_memory.is_some_and(|held| held >= version)
            || self.forwarded_version().is_some_and(|held| held > version)
        {
            return false;
        }
        if let Err(err) = self.store_forwarded(version) {
            // Memory still orders this instance's viewers; only a restart could then repeat a version.
            worker::console_warn!("relay: could not store version {version}: {err}");
        }
        *self.latest.borrow_mut() = Some((version, message));
        true
    }

    fn forwarded_version(&self) -> Option<u64> {
        if let Some(version) = self.forwarded.get() {
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
        self.forwarded.set(Some(stored.unwrap_or(0)));
        stored
    }

    /// Called after [`Self::forwarded_version`], which created the table.
    fn store_forwarded(&self, version: u64) -> worker::Result<()> {
        let sql = self.state.storage().sql();
        sql.exec(
            "INSERT INTO forwarded (id, version) VALUES (1, ?) \
             ON CONFLICT (id) DO UPDATE SET version = excluded.version",
            vec![worker::SqlStorageValue::Integer(
                i64::try_from(version).unwrap_or(i64::MAX),
            )],
        )?;
        self.forwarded.set(Some(version));
        Ok(())
    }

    async fn fetch_snapshot(&self, source: &Source) -> Result<serde_json::Value, Problem> {
        let mut response = source
            .stub(&self.env)?
            .fetch_with_str(&source.url("snapshot"))
            .await
            .map_err(|err| {
                worker::console_error!("relay: snapshot of {} failed: {err}", source.as_str());
                Problem::unavailable("the live data could not be reached; retry shortly")
            })?;
        if response.status_code() != 200 {
            return Err(
                Problem::not_found(format!("{} is not live", source.as_str())).field("event"),
            );
        }
        response.json().await.map_err(|_| Problem::internal())
    }

    async fn register(&self, source: &Source, shard: u32, join: bool) -> Result<(), Problem> {
        let mut init = RequestInit::new();
        init.with_method(if join { Method::Put } else { Method::Delete });
        let url = source.url(&format!("relays?shard={shard}"));
        let request = Request::new_with_init(&url, &init).map_err(|_| Problem::internal())?;
        let response = source
            .stub(&self.env)?
            .fetch_with_request(request)
            .await
            .map_err(|err| {
                worker::console_error!(
                    "relay: registration with {} failed: {err}",
                    source.as_str()
                );
                Problem::unavailable("the live data could not be reached; retry shortly")
            })?;
        match response.status_code() {
            200..=299 => Ok(()),
            404 => Err(
                Problem::not_found(format!("{} is not defined", source.as_str())).field("event"),
            ),
            status => {
                worker::console_error!("relay: registration answered {status}");
                Err(Problem::unavailable(
                    "the event could not be reached; retry shortly",
                ))
            }
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
