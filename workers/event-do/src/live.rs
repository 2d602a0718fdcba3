//! Live viewers of an event: hibernatable WebSockets, so an idle viewer costs nothing while the object
//! sleeps. A viewer gets a snapshot on connect, then the latest state after each change, coalesced to at
//! most one message per [`MIN_BROADCAST_INTERVAL_MS`]: bursts collapse, and the last message a viewer
//! receives is always the latest state. Viewers only listen; anything they send but `ping` closes them.

use domain::{EventState, LeaderboardQuery};
use serde::Serialize;
use wasm_bindgen::JsCast;
use worker::{WebSocket, WebSocketIncomingMessage, WebSocketPair};

/// Every viewer socket carries this tag.
pub const VIEWER_TAG: &str = "viewer";
/// A viewer gets at most twenty messages a second. Decided against issue 5's two asks, which cannot
/// both hold under a continuous stream: "at most a few messages a second" and "p99 ≤ 100 ms from
/// acknowledgement to every viewer". With updates arriving faster than the interval, each one waits
/// up to a whole interval for the next message, so the p99 is about the interval plus delivery; 250 ms
/// gave 272 ms. Freshness is the point of a live page, and real feeds send far fewer than twenty
/// updates a second per event (a run's intermediates and finish, a goal, a score), so in practice a
/// viewer gets one message per change, and the cap only folds bursts (a batch of corrections) together.
pub const MIN_BROADCAST_INTERVAL_MS: u64 = 50;
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
    /// The state after one or more changes.
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
    leaderboard: Option<domain::LeaderboardPage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    medals: Option<Vec<domain::MedalAward>>,
}

/// The message for the state as it is now.
pub fn message(state: &EventState, kind: Kind) -> String {
    let full = !matches!(kind, Kind::Current);
    let query = LeaderboardQuery {
        limit: Some(LIVE_ROWS),
        ..LeaderboardQuery::default()
    };
    let message = LiveMessage {
        kind,
        event: state.definition().code.as_str(),
        version: state.version(),
        leaderboard: if full {
            state.leaderboard(&query).ok()
        } else {
            None
        },
        medals: if full { Some(state.medals()) } else { None },
    };
    serde_json::to_string(&message).unwrap_or_default()
}

/// Opens a viewer socket. `since` is the version a reconnecting viewer holds.
pub fn connect(
    state: &worker::State,
    event: Option<&EventState>,
    since: Option<u64>,
) -> worker::Result<WebSocket> {
    let pair = WebSocketPair::new()?;
    state.accept_websocket_with_tags(&pair.server, &[VIEWER_TAG]);
    if let Some(event) = event {
        let kind = if since == Some(event.version()) {
            Kind::Current
        } else {
            Kind::Snapshot
        };
        pair.server.send_with_str(message(event, kind))?;
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
        Err(err) => worker::console_warn!("live: no ping auto-response: {err:?}"),
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
    worker::console_warn!("{who} socket error: {error}");
    let _ = socket.close(Some(1011), Some("error"));
}
