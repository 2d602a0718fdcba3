//! The relay objects' routes, and the live sources they serve.
//!
//! A relay is named `{source}#{shard}` ([`relay_name`]); `{source}` is an event code or `medals` (the
//! live medal table of the standings object). Relays take a busy source's viewers past one object's
//! WebSocket limit.
//!
//! | method | path                                 | route                | body            | answer      |
//! |--------|--------------------------------------|----------------------|-----------------|-------------|
//! | GET    | /relays/{source}/{shard}/live        | `Live { since }`     | upgrade         | relayed     |
//! | POST   | /relays/{source}/{shard}/publish     | `Publish`            | [`publication`] | [`Published`] |
//!
//! A source's own half is on its object: `GET …/snapshot` and `PUT|DELETE …/relays?shard=k`
//! ([`Source::snapshot`], [`Source::membership`]).

use domain::EventCode;
use serde::{Deserialize, Serialize};

use super::event_room::{EventRequest, EventRoute};
use super::standings::StandingsRoute;
use super::{Call, Class, Method, Query, QueryWriter, RELAY_SHARDS, RouteError, Target, segments};

/// The relay source of the live medal table; every other source is an event code, which is upper case.
pub const MEDALS_SOURCE: &str = "medals";

/// Where a relay's messages come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// One event's live leaderboard, from its event object.
    Event(EventCode),
    /// The live medal table, from the standings object.
    Medals,
}

impl Source {
    /// The `{source}` of a relay's name and routes.
    pub fn parse(segment: &str) -> Result<Self, RouteError> {
        if segment == MEDALS_SOURCE {
            return Ok(Self::Medals);
        }
        segment
            .parse()
            .map(Self::Event)
            .map_err(|e| RouteError::bad_parameter("event", e.to_string()))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Event(code) => code.as_str(),
            Self::Medals => MEDALS_SOURCE,
        }
    }

    /// A viewer's upgrade, to the source itself (which may answer `307` naming a relay).
    pub fn live(&self, since: Option<u64>) -> Call<super::Relayed> {
        match self {
            Self::Event(code) => {
                EventRequest::new(code.clone(), EventRoute::Live { since }).relayed()
            }
            Self::Medals => StandingsRoute::Live { since }.relayed(),
        }
    }

    /// The message a relay greets its first viewers with.
    pub fn snapshot(&self) -> Call<serde_json::Value> {
        match self {
            Self::Event(code) => EventRequest::snapshot(code.clone()),
            Self::Medals => StandingsRoute::Snapshot.call(),
        }
    }

    /// A relay joining (`join`) or leaving the source's fan-out tier.
    pub fn membership(&self, shard: u32, join: bool) -> Call<RelayMembers> {
        match self {
            Self::Event(code) => EventRequest::relays(code.clone(), shard, join),
            Self::Medals => StandingsRoute::Relays { shard, join }.call(),
        }
    }
}

/// The name of the relay object serving one shard of a source's viewers.
pub fn relay_name(source: &str, shard: u32) -> String {
    format!("{source}#{shard}")
}

/// A source's answer to a relay joining or leaving: the shards it now publishes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayMembers {
    pub relays: Vec<u32>,
}

/// A relay's answer to a publication: how many viewers it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub viewers: usize,
}

/// What a relay is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayRoute {
    /// A viewer's WebSocket.
    Live { since: Option<u64> },
    /// The source's latest live message.
    Publish,
}

/// A route of one relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayRequest {
    pub source: Source,
    pub shard: u32,
    pub route: RelayRoute,
}

impl RelayRequest {
    pub fn new(source: Source, shard: u32, route: RelayRoute) -> Self {
        Self {
            source,
            shard,
            route,
        }
    }

    pub fn parse(method: Option<Method>, path: &str, query: &str) -> Result<Self, RouteError> {
        let parts = segments(path);
        let ["relays", source, shard, action] = parts.as_slice() else {
            return Err(RouteError::no_route(path));
        };
        let source = Source::parse(source)?;
        let shard = shard
            .parse::<u32>()
            .ok()
            .filter(|s| *s < RELAY_SHARDS)
            .ok_or_else(|| RouteError::bad_parameter("shard", "no such shard"))?;
        let mut query = Query::parse(query)?;
        let route = match (method, *action) {
            (Some(Method::Get), "live") => RelayRoute::Live {
                since: query.take_parsed("since", "since must be a version")?,
            },
            (Some(Method::Post), "publish") => RelayRoute::Publish,
            _ => return Err(RouteError::no_route(path)),
        };
        query.finish()?;
        Ok(Self::new(source, shard, route))
    }

    pub fn path(&self) -> String {
        let base =
            |action: &str| format!("/relays/{}/{}/{action}", self.source.as_str(), self.shard);
        match &self.route {
            RelayRoute::Live { since } => {
                QueryWriter::new().put("since", *since).after(base("live"))
            }
            RelayRoute::Publish => base("publish"),
        }
    }

    pub fn target(&self) -> Target {
        Target {
            class: Class::LiveRelay,
            name: relay_name(self.source.as_str(), self.shard),
        }
    }

    pub fn method(&self) -> Method {
        match self.route {
            RelayRoute::Live { .. } => Method::Get,
            RelayRoute::Publish => Method::Post,
        }
    }

    /// A viewer's upgrade, handed to this relay.
    pub fn live(source: Source, shard: u32, since: Option<u64>) -> Call<super::Relayed> {
        let request = Self::new(source, shard, RelayRoute::Live { since });
        Call::new(request.target(), request.method(), request.path())
    }

    /// A source's latest message for this relay (see [`publication`]).
    pub fn publish(source: Source, shard: u32, publication: &str) -> Call<Published> {
        let request = Self::new(source, shard, RelayRoute::Publish);
        Call::new(request.target(), request.method(), request.path())
            .with_body(publication.as_bytes().to_vec())
    }
}

/// What a source publishes to its relays: its latest message whole (kept for greeting new viewers) and
/// the update its own viewers got (a patch to the previous message, or the same whole message). Both are
/// JSON already; they are joined as text, not parsed and written again.
pub fn publication(full: &str, update: &str) -> String {
    format!(r#"{{"full":{full},"update":{update}}}"#)
}

/// A [`publication`] as a relay reads it.
#[derive(Debug, Deserialize)]
pub struct Publication {
    pub full: serde_json::Value,
    pub update: serde_json::Value,
}

/// The shard of a relay joining or leaving its source.
pub(crate) fn shard_param(query: &mut Query) -> Result<u32, RouteError> {
    query
        .take_parsed::<u32>("shard", "shard must be a relay shard number")?
        .filter(|s| *s < RELAY_SHARDS)
        .ok_or_else(|| RouteError::bad_parameter("shard", "shard must be a relay shard number"))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn relay_routes_parse_back_from_their_paths() {
        let event = Source::Event("SSKWTEAMPURSUIT".parse().unwrap_or_else(|_| unreachable!()));
        for request in [
            RelayRequest::new(event.clone(), 0, RelayRoute::Live { since: None }),
            RelayRequest::new(event, 15, RelayRoute::Live { since: Some(7) }),
            RelayRequest::new(Source::Medals, 3, RelayRoute::Publish),
        ] {
            let path = request.path();
            let (path_only, query) = path.split_once('?').unwrap_or((&path, ""));
            assert_eq!(
                RelayRequest::parse(Some(request.method()), path_only, query),
                Ok(request.clone()),
                "{path}"
            );
        }
        assert_eq!(
            RelayRequest::parse(Some(Method::Get), "/relays/medals/16/live", ""),
            Err(RouteError::bad_parameter("shard", "no such shard"))
        );
        assert_eq!(relay_name("medals", 4), "medals#4");
    }

    #[test]
    fn a_publication_is_the_two_messages_joined() {
        let text = publication(r#"{"version":3}"#, r#"{"patch":{"base":2}}"#);
        let read: Publication = serde_json::from_str(&text).unwrap_or_else(|_| unreachable!());
        assert_eq!(read.full["version"], 3);
        assert_eq!(read.update["patch"]["base"], 2);
    }
}
