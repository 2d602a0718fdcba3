//! The fan-out tier. One Durable Object can hold at most 32,768 WebSockets, and a popular final draws
//! more viewers than that. Past [`DEFAULT_DIRECT_VIEWERS`] direct viewers (the read gateway may set a
//! lower limit), an event object sends new viewers to relay objects named `{EVENT}#{shard}`; each relay
//! holds its share of viewers with the Hibernation API and hears every update from the event object.
//!
//! A relay registers with its event when it gets its first viewer and leaves when its last one goes.
//! It forwards only newer versions, so viewers' versions only ever rise. Private routes:
//!
//! | method | path                               | action                                   |
//! |--------|------------------------------------|------------------------------------------|
//! | GET    | /relays/{event}/{shard}/live?since= | a viewer's WebSocket                     |
//! | POST   | /relays/{event}/{shard}/publish    | the event object's latest live message   |

use std::cell::{Cell, RefCell};

use domain::EventCode;
use edge::{Problem, body, respond};
use worker::{
    DurableObject, Env, Method, Request, RequestInit, Response, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair, durable_object,
};

use crate::query::Params;
use crate::{bindings, live};

/// Viewers one object keeps before it refuses more: headroom below the 32,768 WebSockets it may hold.
pub const DEFAULT_DIRECT_VIEWERS: usize = 30_000;
/// Relays per event: 16 × 30,000 viewers is enough for any single event of the Games.
pub const SHARDS: u32 = 16;
pub use wire::internal::{
    DIRECT_LIMIT_HEADER, RELAY_SHARD_HEADER as SHARD_HEADER, relay_name as name,
};

#[durable_object]
pub struct LiveRelay {
    state: State,
    env: Env,
    /// The latest live message from the event object and its version; empty after hibernation until the
    /// next publish or connect.
    latest: RefCell<Option<(u64, serde_json::Value)>>,
    registered: Cell<bool>,
    /// The event and shard this relay serves, learnt from the first request after (re)starting.
    home: RefCell<Option<(EventCode, u32)>>,
}

impl DurableObject for LiveRelay {
    fn new(state: State, env: Env) -> Self {
        // Viewers survive hibernation; if any are attached, this relay is registered.
        let registered = live::viewer_count(&state) > 0;
        Self {
            state,
            env,
            latest: RefCell::new(None),
            registered: Cell::new(registered),
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

impl LiveRelay {
    async fn dispatch(&self, req: &mut Request, path: &str) -> Result<Response, Problem> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let ["relays", event, shard, action] = segments.as_slice() else {
            return Err(Problem::not_found(format!("no relay route {path}")));
        };
        let event: EventCode = event
            .parse()
            .map_err(|e| Problem::bad_request("event", format!("{e}")))?;
        let shard: u32 = shard
            .parse()
            .ok()
            .filter(|s| *s < SHARDS)
            .ok_or_else(|| Problem::bad_request("shard", "no such shard"))?;
        *self.home.borrow_mut() = Some((event.clone(), shard));
        match (req.method(), *action) {
            (Method::Get, "live") => self.accept_viewer(req, &event, shard).await,
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
        event: &EventCode,
        shard: u32,
    ) -> Result<Response, Problem> {
        let mut params = Params::of(req)?;
        let since = params.take_parsed::<u64>("since", "since must be an event version")?;
        params.finish()?;
        if !self.registered.get() {
            self.register(event, shard, true).await?;
            self.registered.set(true);
        }
        if self.latest.borrow().is_none() {
            let snapshot = self.fetch_snapshot(event).await?;
            self.remember(snapshot);
        }
        let greeting = {
            let latest = self.latest.borrow();
            let Some((version, message)) = latest.as_ref() else {
                return Err(Problem::internal());
            };
            let mut greeting = message.clone();
            if since == Some(*version) {
                greeting = serde_json::json!({ "type": "current", "event": event.as_str(), "version": version });
            } else if let Some(kind) = greeting.get_mut("type") {
                *kind = serde_json::Value::String("snapshot".into());
            }
            // Says which relay serves the viewer: useful when tracing a viewer's complaint.
            if let Some(fields) = greeting.as_object_mut() {
                fields.insert("relay".into(), shard.into());
            }
            greeting.to_string()
        };
        let pair = WebSocketPair::new().map_err(|_| Problem::internal())?;
        self.state
            .accept_websocket_with_tags(&pair.server, &[live::VIEWER_TAG]);
        pair.server
            .send_with_str(greeting)
            .map_err(|_| Problem::internal())?;
        Response::from_websocket(pair.client).map_err(|_| Problem::internal())
    }

    /// The event object's latest message: kept, and sent on to every viewer if it is newer.
    async fn publish(&self, req: &mut Request) -> Result<Response, Problem> {
        let message: serde_json::Value =
            body::parse_json(&body::read_limited(req, 1024 * 1024).await?)?;
        let newer = self.remember(message);
        if newer && let Some((_, latest)) = self.latest.borrow().as_ref() {
            live::broadcast(&self.state, &latest.to_string());
        }
        respond::json(
            &serde_json::json!({ "viewers": live::viewer_count(&self.state) }),
            200,
        )
    }

    /// Keeps `message` if it is newer than what this relay holds; says whether it was.
    fn remember(&self, message: serde_json::Value) -> bool {
        let version = message
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        let mut latest = self.latest.borrow_mut();
        if latest.as_ref().is_some_and(|(held, _)| *held >= version) {
            return false;
        }
        *latest = Some((version, message));
        true
    }

    async fn fetch_snapshot(&self, event: &EventCode) -> Result<serde_json::Value, Problem> {
        let url = format!(
            "{}/events/{}/snapshot",
            wire::internal::EVENT_ROOM_ORIGIN,
            event.as_str()
        );
        let mut response = self
            .event_stub(event)?
            .fetch_with_str(&url)
            .await
            .map_err(|err| {
                worker::console_error!("relay: snapshot of {} failed: {err}", event.as_str());
                Problem::unavailable("the event could not be reached; retry shortly")
            })?;
        if response.status_code() != 200 {
            return Err(
                Problem::not_found(format!("event {} is not live", event.as_str())).field("event"),
            );
        }
        response.json().await.map_err(|_| Problem::internal())
    }

    async fn register(&self, event: &EventCode, shard: u32, join: bool) -> Result<(), Problem> {
        let url = format!(
            "{}/events/{}/relays?shard={shard}",
            wire::internal::EVENT_ROOM_ORIGIN,
            event.as_str()
        );
        let mut init = RequestInit::new();
        init.with_method(if join { Method::Put } else { Method::Delete });
        let request = Request::new_with_init(&url, &init).map_err(|_| Problem::internal())?;
        let response = self
            .event_stub(event)?
            .fetch_with_request(request)
            .await
            .map_err(|err| {
                worker::console_error!("relay: registration with {} failed: {err}", event.as_str());
                Problem::unavailable("the event could not be reached; retry shortly")
            })?;
        match response.status_code() {
            200..=299 => Ok(()),
            404 => Err(
                Problem::not_found(format!("event {} is not defined", event.as_str()))
                    .field("event"),
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
            let (event, shard) = name.split_once('#')?;
            Some((event.parse::<EventCode>().ok()?, shard.parse::<u32>().ok()?))
        };
        let Some((event, shard)) = self.home.borrow().clone().or_else(from_name) else {
            return;
        };
        if self.register(&event, shard, false).await.is_ok() {
            self.registered.set(false);
            *self.latest.borrow_mut() = None;
        }
    }

    fn event_stub(&self, event: &EventCode) -> Result<worker::Stub, Problem> {
        self.env
            .durable_object(bindings::EVENT_ROOM)
            .and_then(|ns| ns.get_by_name(event.as_str()))
            .map_err(|err| {
                worker::console_error!("relay: event stub: {err}");
                Problem::internal()
            })
    }
}
