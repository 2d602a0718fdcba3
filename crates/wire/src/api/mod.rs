//! The private API between Workers and Durable Objects: every route of every object, typed.
//!
//! Durable Objects have no public route; only Workers holding a binding can call them. Each object has
//! one route enum here, which knows its method, path, query, body and answer:
//!
//! - [`event_room`]: [`EventRoute`], one object per event (named by its code);
//! - [`standings`]: [`StandingsRoute`], the one object for the Games (named [`GAMES`]);
//! - [`relay`]: [`RelayRoute`], the fan-out tier's relay tree (relays named `{source}#{shard}`) and the
//!   [`Source`]s they serve;
//! - [`analytics`]: [`AnalyticsRoute`], the analytics Worker's reports and dead letters, reached by a
//!   service binding rather than as an object.
//!
//! A caller builds a [`Call`] from a route (`EventRequest::call`, …): the target object, method, path and
//! query, the body, and the answer type `A` it decodes. The callee parses the same path back with the
//! route's `parse`, so both ends share one table and neither builds a URL by hand. Workers send a call
//! with `edge::object`; only they know which binding reaches which [`Class`].

pub mod analytics;
pub mod error;
pub mod event_room;
pub mod query;
pub mod relay;
pub mod standings;

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

pub use analytics::AnalyticsRoute;
pub use error::RouteError;
pub use event_room::{
    AuditQuery, DefinitionAnswer, EventRequest, EventRoute, Exposure, MaintenanceAnswer,
    RebuildAnswer,
};
pub use query::{Query, QueryWriter};
pub use relay::{RelayMembers, RelayRequest, RelayRoute, Source, relay_name};
pub use standings::{
    DigestOutcome, EventsQuery, MedalsQuery, RebuildAllAnswer, RebuildFailure, SearchText,
    StandingsRoute,
};

/// The host part of the URLs sent to object stubs; never resolved, only parsed by the object.
pub const ORIGIN: &str = "https://objects.internal";
/// The name of the one standings object.
pub const GAMES: &str = "games";

/// The authenticated feed identity, set by the ingest gateway after verifying the Access JWT.
pub const FEED_HEADER: &str = "x-olympic-feed";
/// When the gateway accepted the request, in Unix milliseconds: one clock for the whole path.
pub const RECEIVED_AT_HEADER: &str = "x-olympic-received-at";
/// The read gateway's setting for the viewers one live object (a source or a relay) holds.
pub const DIRECT_LIMIT_HEADER: &str = "x-olympic-direct-viewers";
/// The read gateway's key for a live viewer's client (IPv4 address or IPv6 /64), so a live source can cap
/// the sockets one client holds.
pub const CLIENT_HEADER: &str = "x-olympic-client";
/// The read gateway's setting for the child relays of each object of the tree (it may only lower it).
pub const RELAY_FANOUT_HEADER: &str = "x-olympic-relay-fanout";
/// In a full source's 307 answer, the relay shard that takes the viewer instead; on a full relay's 503,
/// the child relay to try next.
pub const RELAY_SHARD_HEADER: &str = "x-olympic-relay-shard";
/// On a relay's 503: it is full (not unreachable), so the gateway may try the source's other relays.
pub const RELAY_FULL_HEADER: &str = "x-olympic-relay-full";
/// Child relays of a source (its first level of relays), as sized by `object_logic::relays::sizing`
/// (which checks at compile time that these two figures are the ones it derives).
pub const RELAY_FANOUT: u32 = 59;
/// Every relay shard of one source's tree (`59 + 59²`, two levels): the shards a relay route accepts.
pub const RELAY_SHARDS: u32 = 3_540;

/// The HTTP methods the private API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
    }

    /// `HEAD` is read as `GET`; anything else unknown is `None`.
    pub fn parse(method: &str) -> Option<Self> {
        match method {
            "GET" | "HEAD" => Some(Self::Get),
            "PUT" => Some(Self::Put),
            "POST" => Some(Self::Post),
            "DELETE" => Some(Self::Delete),
            _ => None,
        }
    }
}

/// What a call reaches: a Durable Object class, or a Worker behind a service binding. Each Worker maps
/// a class to the binding that reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    EventRoom,
    Standings,
    LiveRelay,
    /// The analytics Worker (a service binding, not an object).
    Analytics,
}

impl Class {
    /// True for a Worker reached through a service binding.
    pub fn is_service(self) -> bool {
        matches!(self, Self::Analytics)
    }
}

/// One object: its class and the name it is addressed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub class: Class,
    pub name: String,
}

/// Who sent a write and when the gateway took it: the only request metadata an object trusts, because
/// only a gateway holding the binding can reach it. `sent_at_ms` is when the feed says it sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub feed: String,
    pub received_at_ms: u64,
    pub sent_at_ms: Option<u64>,
}

/// When the feed says it sent a write (Unix ms), passed on to the object.
pub const SENT_AT_HEADER: &str = "x-olympic-sent-at";

/// An answer the caller hands on as it came (a read the edge cache keeps, a WebSocket upgrade).
#[derive(Debug)]
pub struct Relayed;

/// A request to an object, ready to send, whose answer decodes as `A`.
#[derive(Debug)]
pub struct Call<A> {
    pub target: Target,
    pub method: Method,
    /// Path and query, e.g. `/events/ALPMDOWNHILL/leaderboard?unit=FNL`.
    pub path: String,
    /// JSON (or, for a relay publication, the exact text to forward).
    pub body: Option<Vec<u8>>,
    pub origin: Option<Origin>,
    /// A WebSocket upgrade, with the read gateway's direct-viewer limit when it has one.
    pub upgrade: Option<Upgrade>,
    answer: PhantomData<fn() -> A>,
}

/// How a live viewer's upgrade travels to its object, with the read gateway's settings of the tier and
/// the viewer's client (so a live source can cap the sockets one client holds).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Upgrade {
    pub direct_limit: Option<u32>,
    pub fanout: Option<u32>,
    pub client: Option<String>,
}

impl<A> Call<A> {
    pub(crate) fn new(target: Target, method: Method, path: String) -> Self {
        Self {
            target,
            method,
            path,
            body: None,
            origin: None,
            upgrade: None,
            answer: PhantomData,
        }
    }

    pub(crate) fn with_body(mut self, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self
    }

    /// The full URL to hand a stub.
    pub fn url(&self) -> String {
        format!("{ORIGIN}{}", self.path)
    }

    /// Adds the feed identity and arrival time of a write.
    pub fn from_origin(mut self, origin: Origin) -> Self {
        self.origin = Some(origin);
        self
    }

    /// Marks the call as a viewer's WebSocket upgrade.
    pub fn upgrading(mut self, upgrade: Upgrade) -> Self {
        self.upgrade = Some(upgrade);
        self
    }

    /// Names the viewer's client on an upgrade, so the source can cap its sockets.
    pub fn for_client(mut self, client: Option<String>) -> Self {
        if let Some(upgrade) = &mut self.upgrade {
            upgrade.client = client;
        }
        self
    }
}

/// The segments of a private path, without empty ones.
pub(crate) fn segments(path: &str) -> Vec<&str> {
    path.trim_matches('/').split('/').collect()
}

/// How serde spells a value (`"ALP"`, `"SKIING"`), for writing filters back into a query.
pub(crate) fn json_name<T: Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Some(text),
        _ => None,
    }
}
