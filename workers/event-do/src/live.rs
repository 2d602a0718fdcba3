//! Live viewers of an event: hibernatable WebSockets, so an idle viewer costs nothing while the object
//! sleeps. A viewer gets a snapshot on connect, then the latest state after each change, coalesced to at
//! most one message per 50 ms (`object_logic::coalesce`): bursts collapse, and the last message a viewer
//! receives is always the latest state. An update is a patch to the previous message's page (a
//! [`domain::LeaderboardPatch`]: new places, and only the rows that changed), a tenth of the page for a
//! typical finish. Viewers only listen; anything they send but `ping` closes them.

use domain::{EventState, LeaderboardPage, LeaderboardPatch, LeaderboardQuery, MedalAward};
use serde::Serialize;
use wasm_bindgen::JsCast;
use worker::{WebSocket, WebSocketIncomingMessage, WebSocketPair};

/// Every viewer socket carries this tag.
pub const VIEWER_TAG: &str = "viewer";
/// How many leaderboard rows a live message carries; a viewer pages the rest through the read API.
const LIVE_ROWS: u32 = 100;
/// A viewer's message larger than this is a protocol violation.
const MAX_VIEWER_MESSAGE_BYTES: usize = 64;

/// Close codes (RFC 6455): policy violation, and message too big.
const CLOSE_POLICY: u16 = 1008;
const CLOSE_TOO_BIG: u16 = 1009;

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The whole current state: on connect, or on reconnect when the viewer's version is behind.
    Snapshot,
    /// The state after one or more changes: whole, or as a patch to the previous message.
    Update,
    /// On reconnect when the viewer already holds the latest version.
    Current,
}

#[derive(Serialize)]
struct LiveMessage<'a> {
    #[serde(rename = "type")]
    kind: Kind,
    event: &'a str,
    version: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    leaderboard: Option<&'a LeaderboardPage>,
    /// Instead of `leaderboard`: the change from the page of the previous message.
    #[serde(skip_serializing_if = "Option::is_none")]
    patch: Option<LeaderboardPatch>,
    /// Left out of a patch message when they did not change.
    #[serde(skip_serializing_if = "Option::is_none")]
    medals: Option<&'a [MedalAward]>,
}

/// What viewers hold after a message: the first page of the leaderboard and the medals at one version.
/// The frame last sent is the base of the next patch, and what a new viewer is greeted with, so every
/// viewer holds exactly a frame that was sent and the next patch applies to it.
#[derive(Debug, PartialEq)]
pub struct Frame {
    event: String,
    pub version: u64,
    page: Option<LeaderboardPage>,
    medals: Vec<MedalAward>,
}

impl Frame {
    /// The frame for the state as it is now.
    pub fn of(state: &EventState) -> Self {
        let query = LeaderboardQuery {
            limit: Some(LIVE_ROWS),
            ..LeaderboardQuery::default()
        };
        Self {
            event: state.definition().code.to_string(),
            version: state.version(),
            page: state.leaderboard(&query).ok(),
            medals: state.medals(),
        }
    }

    /// The whole frame as a message of `kind` (`current` carries only the version).
    pub fn message(&self, kind: Kind) -> String {
        let full = !matches!(kind, Kind::Current);
        let message = LiveMessage {
            kind,
            event: &self.event,
            version: self.version,
            leaderboard: self.page.as_ref().filter(|_| full),
            patch: None,
            medals: full.then_some(self.medals.as_slice()),
        };
        serde_json::to_string(&message).unwrap_or_default()
    }

    /// The update that takes a viewer holding `previous` to this frame: a patch when both have a page,
    /// else the whole frame.
    pub fn update_after(&self, previous: Option<&Frame>) -> String {
        let Some((before, now, previous)) = previous
            .and_then(|previous| Some((previous.page.as_ref()?, self.page.as_ref()?, previous)))
        else {
            return self.message(Kind::Update);
        };
        let message = LiveMessage {
            kind: Kind::Update,
            event: &self.event,
            version: self.version,
            leaderboard: None,
            patch: Some(LeaderboardPatch::between(before, now)),
            medals: (previous.medals != self.medals).then_some(self.medals.as_slice()),
        };
        serde_json::to_string(&message).unwrap_or_default()
    }
}

/// Opens a viewer socket, greeted with `greeting` (the frame viewers hold). `since` is the version a
/// reconnecting viewer holds.
/// Sockets one client (the read gateway's key: an IPv4 address or an IPv6 /64) may hold on one live
/// source (an event object, a relay, the standings). A page needs one or two; a client holding hundreds
/// is hoarding memory and a share of every broadcast.
pub const MAX_SOCKETS_PER_CLIENT: usize = 20;

/// The tag of the sockets of the client the gateway named on `req`, if it named one.
pub fn client_tag(req: &worker::Request) -> Option<String> {
    req.headers()
        .get(wire::api::CLIENT_HEADER)
        .ok()
        .flatten()
        .filter(|client| !client.is_empty() && client.len() <= 64)
        .map(|client| format!("client:{client}"))
}

/// Refuses a client that already holds its share of this source's sockets.
pub fn check_client_cap(state: &worker::State, tag: Option<&str>) -> Result<(), edge::Problem> {
    let Some(tag) = tag else {
        return Ok(());
    };
    if state.get_websockets_with_tag(tag).len() >= MAX_SOCKETS_PER_CLIENT {
        return Err(edge::Problem::new(429, "too-many-sockets", "Too many live connections")
            .detail(format!(
                "this client already holds {MAX_SOCKETS_PER_CLIENT} live connections here; close one first"
            ))
            .retry_after(60));
    }
    Ok(())
}

/// The tags of a viewer's socket: the viewers' tag, and its client's when the gateway named one.
pub fn viewer_tags<'a>(viewer_tag: &'a str, client: Option<&'a str>) -> Vec<&'a str> {
    std::iter::once(viewer_tag).chain(client).collect()
}

pub fn connect(
    state: &worker::State,
    greeting: Option<&Frame>,
    since: Option<u64>,
    client: Option<&str>,
) -> worker::Result<WebSocket> {
    let pair = WebSocketPair::new()?;
    state.accept_websocket_with_tags(&pair.server, &viewer_tags(VIEWER_TAG, client));
    if let Some(frame) = greeting {
        let kind = if since == Some(frame.version) {
            Kind::Current
        } else {
            Kind::Snapshot
        };
        pair.server.send_with_str(frame.message(kind))?;
    }
    Ok(pair.client)
}

/// Sends `text` to every viewer. A socket that fails to take it is closed; its viewer reconnects.
pub fn broadcast(state: &worker::State, text: &str) -> usize {
    broadcast_to(state, VIEWER_TAG, text)
}

/// Sends `text` to every socket with `tag`. The text crosses into JavaScript once, not once per socket.
pub fn broadcast_to(state: &worker::State, tag: &str, text: &str) -> usize {
    let viewers = state.get_websockets_with_tag(tag);
    let message = js_sys::JsString::from(text);
    for socket in &viewers {
        let raw: &worker::worker_sys::web_sys::WebSocket = socket.as_ref();
        if raw.unchecked_ref::<Sendable>().send(&message).is_err() {
            let _ = socket.close(Some(1011), Some("send failed"));
        }
    }
    viewers.len()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A WebSocket seen only as something to `send` a JavaScript string to: web-sys's `send_with_str`
    /// takes a `&str`, which it would decode into a new JavaScript string on every call.
    type Sendable;
    #[wasm_bindgen(catch, method)]
    fn send(this: &Sendable, data: &js_sys::JsString) -> Result<(), wasm_bindgen::JsValue>;
}

pub fn viewer_count(state: &worker::State) -> usize {
    state.get_websockets_with_tag(VIEWER_TAG).len()
}

/// Lets the runtime answer a viewer's `ping` with `pong` itself, without waking the object: keep-alive
/// pings from idle viewers then cost nothing, and a client flooding pings never reaches our code.
/// Called when an object starts; the setting lasts as long as the object.
pub fn answer_pings_without_waking(state: &worker::State) {
    match worker::worker_sys::WebSocketRequestResponsePair::new("ping", "pong") {
        Ok(pair) => state.set_websocket_auto_response(&pair),
        Err(err) => tracing::warn!(cause = ?err, "live: no ping auto-response"),
    }
}

/// What a viewer may send: `ping` (answered `pong`, normally by the runtime before it gets here), nothing
/// else.
pub fn on_message(socket: &WebSocket, message: WebSocketIncomingMessage) -> worker::Result<()> {
    match message {
        WebSocketIncomingMessage::String(text) if text == "ping" => socket.send_with_str("pong"),
        WebSocketIncomingMessage::String(text) if text.len() > MAX_VIEWER_MESSAGE_BYTES => {
            socket.close(Some(CLOSE_TOO_BIG), Some("viewers only listen"))
        }
        WebSocketIncomingMessage::Binary(bytes) if bytes.len() > MAX_VIEWER_MESSAGE_BYTES => {
            socket.close(Some(CLOSE_TOO_BIG), Some("viewers only listen"))
        }
        _ => socket.close(Some(CLOSE_POLICY), Some("viewers only listen")),
    }
}

/// Completes a closing handshake the viewer started; 1005 and 1006 are reserved and may not be sent.
pub fn finish_close(socket: &WebSocket, code: usize) {
    let code = u16::try_from(code)
        .ok()
        .filter(|c| !matches!(c, 1005 | 1006))
        .unwrap_or(1000);
    let _ = socket.close(Some(code), Some("bye"));
}

/// A socket error: logged (it is ours or the network's, never the viewer's input) and the socket closed,
/// so the viewer reconnects.
pub fn on_error(socket: &WebSocket, error: &worker::Error, who: &str) {
    tracing::warn!(socket = who, cause = %error, "socket error");
    let _ = socket.close(Some(1011), Some("error"));
}
