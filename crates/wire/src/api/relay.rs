//! The relay objects' routes, and the live sources they serve.
//!
//! A relay is named `{source}#{shard}` ([`relay_name`]); `{source}` is an event code or `medals` (the
//! live medal table of the standings object). Relays of one source form a tree (shapes and limits:
//! `object_logic::relays`): the source publishes to its first-level relays, and each relay forwards to
//! its viewers and to its own child relays, which join it as it joined its parent.
//!
//! | method | path                                                   | route                     | body            | answer           |
//! |--------|--------------------------------------------------------|---------------------------|-----------------|------------------|
//! | GET    | /relays/{source}/{shard}/live?since=                   | `Live { since }`          | upgrade         | relayed          |
//! | POST   | /relays/{source}/{shard}/publish                       | `Publish`                 | [`publication`] | [`Published`]    |
//! | PUT    | /relays/{source}/{shard}/children?child=k&fanout=f     | `Join { child, fanout }`  | —               | [`RelayMembers`] |
//! | DELETE | /relays/{source}/{shard}/children?child=k              | `Leave { child }`         | —               | [`RelayMembers`] |
//!
//! A source's own half is on its object: `GET …/snapshot` and `PUT|DELETE …/relays?shard=k` for its
//! first-level relays ([`Source::snapshot`], [`Source::membership`]).

use domain::EventCode;
use serde::{Deserialize, Serialize};

use super::event_room::{EventRequest, EventRoute};
use super::standings::StandingsRoute;
use super::{
    Call, Class, Method, Query, QueryWriter, RELAY_FANOUT, RELAY_SHARDS, RouteError, Target,
    segments,
};

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

    /// A first-level relay joining (`join`) or leaving the source's fan-out tier.
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

/// An object's answer to a child relay joining or leaving: the children it now publishes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayMembers {
    pub relays: Vec<u32>,
}

/// A relay's answer to a publication: how many viewers it holds, and whether, as far as it knows, one of
/// the relays below it has room (its parent then prefers it when a viewer must go down the tree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub viewers: usize,
    #[serde(default)]
    pub room_below: bool,
}

/// What a relay is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayRoute {
    /// A viewer's WebSocket.
    Live { since: Option<u64> },
    /// The source's latest live message, from the relay's parent.
    Publish,
    /// A child relay joins: it hears every publication from now on. `fanout` is the tree's, which the
    /// relay needs to find its own parent if it has not joined one yet.
    Join { child: u32, fanout: u32 },
    /// A child relay leaves.
    Leave { child: u32 },
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
            (Some(Method::Put), "children") => RelayRoute::Join {
                child: child_param(&mut query)?,
                fanout: query
                    .take_parsed::<u32>("fanout", "fanout must be a relay fan-out")?
                    .filter(|f| (1..=RELAY_FANOUT).contains(f))
                    .ok_or_else(|| {
                        RouteError::bad_parameter("fanout", "fanout must be a relay fan-out")
                    })?,
            },
            (Some(Method::Delete), "children") => RelayRoute::Leave {
                child: child_param(&mut query)?,
            },
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
            RelayRoute::Join { child, fanout } => QueryWriter::new()
                .put("child", Some(child))
                .put("fanout", Some(fanout))
                .after(base("children")),
            RelayRoute::Leave { child } => QueryWriter::new()
                .put("child", Some(child))
                .after(base("children")),
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
            RelayRoute::Join { .. } => Method::Put,
            RelayRoute::Leave { .. } => Method::Delete,
        }
    }

    fn call<A>(self) -> Call<A> {
        Call::new(self.target(), self.method(), self.path())
    }

    /// A viewer's upgrade, handed to this relay.
    pub fn live(source: Source, shard: u32, since: Option<u64>) -> Call<super::Relayed> {
        Self::new(source, shard, RelayRoute::Live { since }).call()
    }

    /// A source's latest message for this relay (see [`publication`]).
    pub fn publish(source: Source, shard: u32, publication: &str) -> Call<Published> {
        Self::new(source, shard, RelayRoute::Publish)
            .call()
            .with_body(publication.as_bytes().to_vec())
    }

    /// Relay `child` joining (with the tree's fan-out) or, without one, leaving its parent `shard`.
    pub fn children(
        source: Source,
        shard: u32,
        child: u32,
        join: Option<u32>,
    ) -> Call<RelayMembers> {
        let route = match join {
            Some(fanout) => RelayRoute::Join { child, fanout },
            None => RelayRoute::Leave { child },
        };
        Self::new(source, shard, route).call()
    }
}

/// What a source publishes to its relays: its latest message whole (kept for greeting new viewers) and
/// the update its own viewers got (a patch to the previous message, or the same whole message). Both are
/// JSON already; they are joined as text, not parsed and written again, and a relay hands the same text
/// on to its children.
pub fn publication(full: &str, update: &str) -> String {
    format!(r#"{{"full":{full},"update":{update}}}"#)
}

/// A [`publication`] as a relay reads it. The update stays the text the source wrote: a relay hands the
/// same bytes to its viewers (written again, its fields would come out in another order and cost a parse
/// and a write per relay), and reads of it only the patch's base ([`Publication::patch_base`]).
#[derive(Debug, Deserialize)]
pub struct Publication {
    pub full: serde_json::Value,
    pub update: Box<serde_json::value::RawValue>,
}

impl Publication {
    /// The version the update patches, if it is a patch.
    pub fn patch_base(&self) -> Option<u64> {
        #[derive(Deserialize)]
        struct Head {
            patch: Option<Base>,
        }
        #[derive(Deserialize)]
        struct Base {
            base: Option<u64>,
        }
        serde_json::from_str::<Head>(self.update.get())
            .ok()?
            .patch?
            .base
    }
}

/// The shard of a first-level relay joining or leaving its source.
pub(crate) fn shard_param(query: &mut Query) -> Result<u32, RouteError> {
    const EXPECTED: &str = "shard must be a first-level relay shard number";
    query
        .take_parsed::<u32>("shard", EXPECTED)?
        .filter(|s| *s < RELAY_FANOUT)
        .ok_or_else(|| RouteError::bad_parameter("shard", EXPECTED))
}

/// The shard of a relay joining or leaving its parent relay.
fn child_param(query: &mut Query) -> Result<u32, RouteError> {
    const EXPECTED: &str = "child must be a relay shard number";
    query
        .take_parsed::<u32>("child", EXPECTED)?
        .filter(|s| *s < RELAY_SHARDS)
        .ok_or_else(|| RouteError::bad_parameter("child", EXPECTED))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn event() -> Source {
        Source::Event("SSKWTEAMPURSUIT".parse().unwrap_or_else(|_| unreachable!()))
    }

    #[test]
    fn relay_routes_parse_back_from_their_paths() {
        for request in [
            RelayRequest::new(event(), 0, RelayRoute::Live { since: None }),
            RelayRequest::new(event(), 3_539, RelayRoute::Live { since: Some(7) }),
            RelayRequest::new(Source::Medals, 3, RelayRoute::Publish),
            RelayRequest::new(
                event(),
                2,
                RelayRoute::Join {
                    child: 177,
                    fanout: 59,
                },
            ),
            RelayRequest::new(
                Source::Medals,
                0,
                RelayRoute::Join {
                    child: 4,
                    fanout: 4,
                },
            ),
            RelayRequest::new(event(), 58, RelayRoute::Leave { child: 3_539 }),
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
            RelayRequest::children(event(), 1, 118, Some(59)).path,
            "/relays/SSKWTEAMPURSUIT/1/children?child=118&fanout=59"
        );
        assert_eq!(
            RelayRequest::children(event(), 1, 118, None).path,
            "/relays/SSKWTEAMPURSUIT/1/children?child=118"
        );
        assert_eq!(relay_name("medals", 4), "medals#4");
    }

    #[test]
    fn bad_relay_requests_name_what_is_wrong() {
        let check = |method: Method, path: &str, query: &str, expected: &str| {
            let got = RelayRequest::parse(Some(method), path, query);
            assert_eq!(format!("{got:?}"), expected, "{method:?} {path}?{query}");
        };
        check(
            Method::Get,
            "/relays/medals/3540/live",
            "",
            r#"Err(BadParameter { field: "shard", detail: "no such shard" })"#,
        );
        check(
            Method::Put,
            "/relays/medals/0/children",
            "child=3540&fanout=4",
            r#"Err(BadParameter { field: "child", detail: "child must be a relay shard number" })"#,
        );
        check(
            Method::Put,
            "/relays/medals/0/children",
            "child=4",
            r#"Err(BadParameter { field: "fanout", detail: "fanout must be a relay fan-out" })"#,
        );
        check(
            Method::Put,
            "/relays/medals/0/children",
            "child=4&fanout=60",
            r#"Err(BadParameter { field: "fanout", detail: "fanout must be a relay fan-out" })"#,
        );
        check(
            Method::Delete,
            "/relays/medals/0/children",
            "child=4&fanout=4",
            r#"Err(BadParameter { field: "fanout", detail: "unknown query parameter" })"#,
        );
        check(
            Method::Post,
            "/relays/medals/0/children",
            "child=4",
            r#"Err(NoRoute { path: "/relays/medals/0/children" })"#,
        );
    }

    #[test]
    fn a_publication_is_the_two_messages_joined() {
        let text = publication(r#"{"version":3}"#, r#"{"patch":{"base":2}}"#);
        let read: Publication = serde_json::from_str(&text).unwrap_or_else(|_| unreachable!());
        assert_eq!(read.full["version"], 3);
        assert_eq!(read.patch_base(), Some(2));
        assert_eq!(read.update.get(), r#"{"patch":{"base":2}}"#);
        let whole: Publication = serde_json::from_str(&publication(
            r#"{"version":3}"#,
            r#"{"version":3,"table":{}}"#,
        ))
        .unwrap_or_else(|_| unreachable!());
        assert_eq!(whole.patch_base(), None);
        assert_eq!(whole.update.get(), r#"{"version":3,"table":{}}"#);
    }

    #[test]
    fn a_relay_that_says_nothing_of_below_has_no_room_there() {
        let old: Published =
            serde_json::from_str(r#"{"viewers":3}"#).unwrap_or_else(|_| unreachable!());
        assert_eq!(
            old,
            Published {
                viewers: 3,
                room_below: false
            }
        );
    }
}
