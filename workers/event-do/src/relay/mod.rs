//! The fan-out tier. An object sends a message to its sockets one after another and does nothing else
//! meanwhile, about 66 µs a socket, so an object holds only as many viewers as it can reach within the
//! freshness budget (`object_logic::relays::sizing`: 143). Past that, a live source (an event object, or
//! the standings object's live medal table, `wire::api::Source`) sends new viewers down a tree of relay
//! objects named `{source}#{shard}`: the source publishes each message to its first-level relays, and
//! each relay forwards it to its own viewers and to its child relays, so no object sends to more than its
//! budget of sockets plus children. The routes are `wire::api::RelayRoute`; the shape and every decision
//! are `object_logic::relays`.
//!
//! - [`source`]: the publishing half, the same for a source and for a relay with children.
//! - [`viewers`]: a viewer's upgrade: taken, or refused as full naming a child to try instead.
//! - [`forwarding`]: a publication kept, sent to the viewers and handed on to the children.
//! - [`membership`]: a relay joins its parent on its first viewer or child, and leaves on its last.
//! - [`store`]: what a relay keeps across hibernation.
//!
//! Invariants: versions only rise on a socket (each relay stores the highest version it handed on);
//! viewers only listen; a patch reaches only viewers holding its base; a full relay answers `503` marked
//! `x-olympic-relay-full`, and the read gateway tries another.

mod forwarding;
mod membership;
pub mod source;
mod store;
mod viewers;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use edge::{OrInternal, Problem, respond};
use object_logic::relays::{DIRECT_VIEWERS, RelaySet};
use tracing::Instrument;
use wasm_bindgen::JsCast;
use wire::api::{Method, RelayRequest, RelayRoute, Source};
use worker::{
    DurableObject, Env, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    durable_object,
};

pub use source::{no_room, publish, redirect, retry_soon, settings};

use crate::live;

#[durable_object]
pub struct LiveRelay {
    state: State,
    env: Env,
    /// The latest live message from the source and its version; empty after hibernation until the
    /// next publish or connect.
    latest: RefCell<Option<(u64, serde_json::Value)>>,
    /// The stored version it handed on, read once after (re)starting.
    stored: Cell<Option<u64>>,
    /// Where this relay joined, as stored; `None` while it has not joined (or has left).
    home: Cell<Option<store::Home>>,
    /// The relays that joined this one (stored), and how full each is believed to be (shared with the
    /// background publication, which learns it from their answers).
    children: Rc<RefCell<RelaySet>>,
    /// The viewer limit of the gateway's last upgrade: what "room" means when telling the parent.
    limit: Cell<usize>,
    /// Viewers and children accepted since this instance started: tells a leave that one came in meanwhile.
    accepted: Cell<u64>,
    /// The source and shard this relay serves, learnt from the first request after (re)starting.
    identity: RefCell<Option<(Source, u32)>>,
}

impl DurableObject for LiveRelay {
    fn new(state: State, env: Env) -> Self {
        live::answer_pings_without_waking(&state);
        let sql = state.storage().sql();
        let (home, children) = match store::prepare(&sql) {
            Ok(()) => (
                store::home(&sql).ok().flatten(),
                store::children(&sql).unwrap_or_default(),
            ),
            Err(err) => {
                tracing::error!(cause = %err, "relay: could not prepare its storage");
                (None, Vec::new())
            }
        };
        // One line per start: a relay woken after eviction must find its parent and children in storage,
        // and the tests tell a restart from this line.
        edge::log::init(crate::WORKER);
        tracing::info!(
            relay = state.id().name().unwrap_or_default(),
            joined = home.is_some(),
            children = children.len(),
            "relay: started"
        );
        Self {
            state,
            env,
            latest: RefCell::new(None),
            stored: Cell::new(None),
            home: Cell::new(home),
            children: Rc::new(RefCell::new(RelaySet::new(children))),
            limit: Cell::new(DIRECT_VIEWERS),
            accepted: Cell::new(0),
            identity: RefCell::new(None),
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

    /// A publication to a child failed a second ago: the latest message goes to every child again.
    async fn alarm(&self) -> worker::Result<Response> {
        edge::log::init(crate::WORKER);
        self.republish()
            .instrument(edge::log::request(&edge::log::new_request_id()))
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
        self.viewer_gone().await;
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, error: worker::Error) -> worker::Result<()> {
        live::on_error(&ws, &error, "relay viewer");
        self.viewer_gone().await;
        Ok(())
    }
}

impl LiveRelay {
    async fn dispatch(&self, req: &mut Request, path: &str) -> Result<Response, Problem> {
        let url = req.url().or_internal("read the request URL")?;
        let method = Method::parse(&req.inner().method());
        let request = RelayRequest::parse(method, path, url.query().unwrap_or(""))?;
        let (source, shard) = (request.source, request.shard);
        *self.identity.borrow_mut() = Some((source.clone(), shard));
        match request.route {
            RelayRoute::Live { since } => self.accept_viewer(req, &source, shard, since).await,
            RelayRoute::Publish => self.publish(req, &source).await,
            RelayRoute::Join { child, fanout } => {
                self.child_joins(&source, shard, child, fanout).await
            }
            RelayRoute::Leave { child } => self.child_leaves(child).await,
        }
    }

    /// The source and shard this relay serves: from a request since it started, else from its name.
    fn identity(&self) -> Option<(Source, u32)> {
        let from_name = || {
            let name = self.state.id().name()?;
            let (source, shard) = name.split_once('#')?;
            Some((Source::parse(source).ok()?, shard.parse::<u32>().ok()?))
        };
        self.identity.borrow().clone().or_else(from_name)
    }

    /// A second handle on this object's state, for work that outlives the request (State is not Clone).
    fn handle(&self) -> State {
        let raw: &wasm_bindgen::JsValue = self.state.as_raw().as_ref();
        State::from(
            raw.clone()
                .unchecked_into::<worker::worker_sys::DurableObjectState>(),
        )
    }
}
