//! The event object's routes: one object per event, named by its event code.
//!
//! | method     | path                      | route                        | body              | answer              |
//! |------------|---------------------------|------------------------------|-------------------|---------------------|
//! | PUT        | /events/{e}               | `Write(Definition)`          | `EventDefinition` | [`Receipt`]         |
//! | POST       | /events/{e}/results       | `Write(Results)`             | `ResultsMessage`  | [`Receipt`]         |
//! | POST       | /events/{e}/games         | `Write(Game)`                | `GameResult`      | [`Receipt`]         |
//! | GET        | /events/{e}               | `Definition`                 | —                 | [`DefinitionAnswer`]|
//! | GET        | /events/{e}/audit         | `Audit(limit, before)`       | —                 | relayed             |
//! | GET        | /events/{e}/summary       | `Summary`                    | —                 | relayed, cacheable  |
//! | GET        | /events/{e}/leaderboard   | `Leaderboard(query)`         | —                 | relayed, cacheable  |
//! | GET        | /events/{e}/live          | `Live { since }`             | WebSocket upgrade | relayed (101, 307)  |
//! | GET        | /events/{e}/snapshot      | `Snapshot`                   | —                 | the live message    |
//! | PUT/DELETE | /events/{e}/relays        | `Relays { shard, join }`     | —                 | [`RelayMembers`]    |
//! | PUT/DELETE | /events/{e}/maintenance   | `Maintenance { on }`         | —                 | [`MaintenanceAnswer`] |
//! | POST       | /events/{e}/rebuild       | `Rebuild`                    | —                 | [`RebuildAnswer`]   |
//!
//! The write routes, the definition and the audit are also the ingest API's: `/v1/ingest` followed by the
//! same path, so the ingest gateway needs no table of its own ([`EventRoute::allow`]); likewise the
//! operators' routes behind `/v1/admin`.

use domain::{CompetitorId, EventCode, EventDefinition, LeaderboardQuery, UnitCode};
use serde::{Deserialize, Serialize};

use super::relay::{RelayMembers, shard_param};
use super::{Call, Class, Method, Query, QueryWriter, Relayed, RouteError, Target, segments};
use crate::{ChangeKind, Receipt};

/// What a caller asks of an event object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventRoute {
    /// Create or replace the definition, apply a results message, or apply a game.
    Write(ChangeKind),
    /// The definition and the event version.
    Definition,
    /// The audit trail, newest first.
    Audit(AuditQuery),
    /// The event's read model: definition, units and medals.
    Summary,
    /// A page of a unit's ranking or a phase's standings.
    Leaderboard(LeaderboardQuery),
    /// A viewer's WebSocket; `since` is the version a reconnecting viewer holds.
    Live { since: Option<u64> },
    /// The live message a new relay viewer starts from.
    Snapshot,
    /// A relay shard joins (`join`) or leaves the event's fan-out tier.
    Relays { shard: u32, join: bool },
    /// Operators take the object out of service (`on`: every other route answers 503, and the read
    /// gateway answers from the snapshot) or put it back.
    Maintenance { on: bool },
    /// Operators rebuild the event from the archive alone, replacing what the object stores.
    Rebuild,
}

/// The answer to [`EventRoute::Rebuild`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RebuildAnswer {
    pub event: String,
    pub event_version: u64,
    pub changes: usize,
}

/// The answer to [`EventRoute::Maintenance`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceAnswer {
    pub maintenance: bool,
}

/// `GET …/audit`: at most `limit` entries (1–1000, default 100), only those below event version `before`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub limit: Option<u32>,
    pub before: Option<u64>,
}

/// The answer to [`EventRoute::Definition`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefinitionAnswer {
    pub version: u64,
    pub definition: EventDefinition,
}

/// Who may reach a route: its gateway, or only other objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposure {
    /// Published by the ingest gateway under `/v1/ingest`.
    Ingest,
    /// Reached through the read gateway (under public paths of its own).
    Read,
    /// Published by the ingest gateway under `/v1/admin`, to operators only.
    Admin,
    /// Only objects call it.
    Private,
}

/// The one table of actions: the path segment after the event code, the methods it takes, its
/// `Allow` header and who may reach it.
const ACTIONS: &[(Option<&str>, &[Method], &str, Exposure)] = &[
    (
        None,
        &[Method::Get, Method::Put],
        "GET, PUT",
        Exposure::Ingest,
    ),
    (Some("results"), &[Method::Post], "POST", Exposure::Ingest),
    (Some("games"), &[Method::Post], "POST", Exposure::Ingest),
    (Some("audit"), &[Method::Get], "GET", Exposure::Ingest),
    (Some("summary"), &[Method::Get], "GET", Exposure::Read),
    (Some("leaderboard"), &[Method::Get], "GET", Exposure::Read),
    (Some("live"), &[Method::Get], "GET", Exposure::Read),
    (Some("snapshot"), &[Method::Get], "GET", Exposure::Private),
    (
        Some("relays"),
        &[Method::Put, Method::Delete],
        "PUT, DELETE",
        Exposure::Private,
    ),
    (
        Some("maintenance"),
        &[Method::Put, Method::Delete],
        "PUT, DELETE",
        Exposure::Admin,
    ),
    (Some("rebuild"), &[Method::Post], "POST", Exposure::Admin),
];

impl EventRoute {
    /// Whether `method` may reach the event path `path` for a caller of `exposure`: `Ok(())`, or the
    /// error to answer (no such route, or the methods it takes). The event code is not checked here.
    pub fn allow(method: Option<Method>, path: &str, exposure: Exposure) -> Result<(), RouteError> {
        let action = match segments(path).as_slice() {
            ["events", _] => None,
            ["events", _, action] => Some(*action),
            _ => return Err(RouteError::no_route(path)),
        };
        let (_, methods, allow, _) = ACTIONS
            .iter()
            .find(|(a, _, _, reach)| *a == action && reachable(*reach, exposure))
            .ok_or_else(|| RouteError::no_route(path))?;
        match method {
            Some(method) if methods.contains(&method) => Ok(()),
            _ => Err(RouteError::WrongMethod { allow }),
        }
    }

    pub fn method(&self) -> Method {
        match self {
            Self::Write(ChangeKind::Definition) => Method::Put,
            Self::Write(_) | Self::Rebuild => Method::Post,
            Self::Relays { join: true, .. } | Self::Maintenance { on: true } => Method::Put,
            Self::Relays { join: false, .. } | Self::Maintenance { on: false } => Method::Delete,
            _ => Method::Get,
        }
    }

    fn action(&self) -> Option<&'static str> {
        match self {
            Self::Write(ChangeKind::Definition) | Self::Definition => None,
            Self::Write(ChangeKind::Results) => Some("results"),
            Self::Write(ChangeKind::Game) => Some("games"),
            Self::Audit(_) => Some("audit"),
            Self::Summary => Some("summary"),
            Self::Leaderboard(_) => Some("leaderboard"),
            Self::Live { .. } => Some("live"),
            Self::Snapshot => Some("snapshot"),
            Self::Relays { .. } => Some("relays"),
            Self::Maintenance { .. } => Some("maintenance"),
            Self::Rebuild => Some("rebuild"),
        }
    }

    fn write_query(&self) -> QueryWriter {
        let query = QueryWriter::new();
        match self {
            Self::Audit(audit) => query.put("limit", audit.limit).put("before", audit.before),
            Self::Leaderboard(q) => query
                .put("unit", q.unit.as_ref())
                .put("limit", q.limit)
                .put("cursor", q.cursor.as_ref())
                .put("around", q.around.as_ref())
                .put("final_ranking", q.final_ranking.then_some("true")),
            Self::Live { since } => query.put("since", *since),
            Self::Relays { shard, .. } => query.put("shard", Some(shard)),
            _ => query,
        }
    }

    /// The route of `method` on `action` with its query, checked strictly.
    fn parse(method: Method, action: Option<&str>, mut query: Query) -> Result<Self, RouteError> {
        let route = match (method, action) {
            (Method::Put, None) => Self::Write(ChangeKind::Definition),
            (Method::Post, Some("results")) => Self::Write(ChangeKind::Results),
            (Method::Post, Some("games")) => Self::Write(ChangeKind::Game),
            (Method::Get, None) => Self::Definition,
            (Method::Get, Some("audit")) => Self::Audit(AuditQuery::take(&mut query)?),
            (Method::Get, Some("summary")) => Self::Summary,
            (Method::Get, Some("leaderboard")) => Self::Leaderboard(leaderboard_query(&mut query)?),
            (Method::Get, Some("live")) => Self::Live {
                since: query.take_parsed("since", "since must be an event version")?,
            },
            (Method::Get, Some("snapshot")) => Self::Snapshot,
            (Method::Put | Method::Delete, Some("relays")) => Self::Relays {
                shard: shard_param(&mut query)?,
                join: method == Method::Put,
            },
            (Method::Put | Method::Delete, Some("maintenance")) => Self::Maintenance {
                on: method == Method::Put,
            },
            (Method::Post, Some("rebuild")) => Self::Rebuild,
            _ => {
                return Err(RouteError::no_route(&format!(
                    "{} {}",
                    method.as_str(),
                    action.unwrap_or("")
                )));
            }
        };
        query.finish()?;
        Ok(route)
    }
}

fn reachable(route: Exposure, caller: Exposure) -> bool {
    match caller {
        // Objects reach everything; a gateway only what it publishes.
        Exposure::Private => true,
        caller => route == caller,
    }
}

impl AuditQuery {
    fn take(query: &mut Query) -> Result<Self, RouteError> {
        let limit = query.take_parsed::<u32>("limit", "limit must be an integer from 1 to 1000")?;
        if limit.is_some_and(|l| !(1..=1000).contains(&l)) {
            return Err(RouteError::bad_parameter(
                "limit",
                "limit must be an integer from 1 to 1000",
            ));
        }
        let before = query.take_parsed::<u64>("before", "before must be an event version")?;
        Ok(Self { limit, before })
    }
}

/// `unit`, `limit`, `cursor`, `around` and `final_ranking`, as the leaderboard takes them.
fn leaderboard_query(query: &mut Query) -> Result<LeaderboardQuery, RouteError> {
    Ok(LeaderboardQuery {
        unit: query.take_code::<UnitCode>("unit")?,
        limit: query.take_parsed("limit", "limit must be an integer from 1 to 500")?,
        cursor: query.take("cursor"),
        around: query.take_code::<CompetitorId>("around")?,
        final_ranking: query
            .take_parsed::<bool>("final_ranking", "final_ranking must be true or false")?
            .unwrap_or(false),
    })
}

/// A route of one event's object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRequest {
    pub event: EventCode,
    pub route: EventRoute,
}

impl EventRequest {
    pub fn new(event: EventCode, route: EventRoute) -> Self {
        Self { event, route }
    }

    /// Parses a request to an event object (or, for the ingest gateway, the part of its path after
    /// `/v1/ingest`): path shape and method first, then the event code, then the query.
    pub fn parse(
        method: Option<Method>,
        path: &str,
        query: &str,
        exposure: Exposure,
    ) -> Result<Self, RouteError> {
        EventRoute::allow(method, path, exposure)?;
        let parts = segments(path);
        let (code, action) = match parts.as_slice() {
            ["events", code] => (*code, None),
            ["events", code, action] => (*code, Some(*action)),
            _ => return Err(RouteError::no_route(path)),
        };
        let event = parse_event(code)?;
        let method = method.ok_or_else(|| RouteError::no_route(path))?;
        let route = EventRoute::parse(method, action, Query::parse(query)?)?;
        Ok(Self { event, route })
    }

    /// Path and query, as [`EventRequest::parse`] reads them.
    pub fn path(&self) -> String {
        let base = match self.route.action() {
            Some(action) => format!("/events/{}/{action}", self.event.as_str()),
            None => format!("/events/{}", self.event.as_str()),
        };
        self.route.write_query().after(base)
    }

    pub fn target(&self) -> Target {
        Target {
            class: Class::EventRoom,
            name: self.event.as_str().to_string(),
        }
    }

    fn call<A>(&self) -> Call<A> {
        Call::new(self.target(), self.route.method(), self.path())
    }

    /// A feed's message of `kind` (its JSON exactly as the feed sent it) from `origin`.
    pub fn write(event: EventCode, kind: ChangeKind, body: Vec<u8>) -> Call<Receipt> {
        Self::new(event, EventRoute::Write(kind))
            .call()
            .with_body(body)
    }

    /// A read whose answer the caller hands on as it is.
    pub fn relayed(&self) -> Call<Relayed> {
        self.call()
    }

    pub fn snapshot(event: EventCode) -> Call<serde_json::Value> {
        Self::new(event, EventRoute::Snapshot).call()
    }

    pub fn relays(event: EventCode, shard: u32, join: bool) -> Call<RelayMembers> {
        Self::new(event, EventRoute::Relays { shard, join }).call()
    }

    pub fn maintenance(event: EventCode, on: bool) -> Call<MaintenanceAnswer> {
        Self::new(event, EventRoute::Maintenance { on }).call()
    }

    pub fn rebuild(event: EventCode) -> Call<RebuildAnswer> {
        Self::new(event, EventRoute::Rebuild).call()
    }
}

/// An event code from a path.
pub fn parse_event(code: &str) -> Result<EventCode, RouteError> {
    code.parse::<EventCode>()
        .map_err(|err| RouteError::BadEventCode {
            code: code.to_string(),
            reason: err.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn event() -> EventCode {
        "ALPMDOWNHILL".parse().unwrap_or_else(|_| unreachable!())
    }

    /// Every route survives the trip through its path: what a caller builds is what the object reads.
    #[test]
    fn every_route_parses_back_from_its_path() {
        let routes = [
            EventRoute::Write(ChangeKind::Definition),
            EventRoute::Write(ChangeKind::Results),
            EventRoute::Write(ChangeKind::Game),
            EventRoute::Definition,
            EventRoute::Audit(AuditQuery::default()),
            EventRoute::Audit(AuditQuery {
                limit: Some(5),
                before: Some(9),
            }),
            EventRoute::Summary,
            EventRoute::Leaderboard(LeaderboardQuery::default()),
            EventRoute::Leaderboard(LeaderboardQuery {
                unit: Some("QUAL-H01".parse().unwrap_or_else(|_| unreachable!())),
                limit: Some(20),
                cursor: Some("a b&c=d".into()),
                around: Some("ODERMATT".parse().unwrap_or_else(|_| unreachable!())),
                final_ranking: false,
            }),
            EventRoute::Leaderboard(LeaderboardQuery {
                final_ranking: true,
                limit: Some(10),
                ..LeaderboardQuery::default()
            }),
            EventRoute::Live { since: None },
            EventRoute::Live { since: Some(42) },
            EventRoute::Snapshot,
            EventRoute::Relays {
                shard: 3,
                join: true,
            },
            EventRoute::Relays {
                shard: 58,
                join: false,
            },
            EventRoute::Maintenance { on: true },
            EventRoute::Maintenance { on: false },
            EventRoute::Rebuild,
        ];
        for route in routes {
            let request = EventRequest::new(event(), route);
            let path = request.path();
            let (path_only, query) = path.split_once('?').unwrap_or((&path, ""));
            let parsed = EventRequest::parse(
                Some(request.route.method()),
                path_only,
                query,
                Exposure::Private,
            );
            assert_eq!(parsed.as_ref(), Ok(&request), "{path}");
        }
    }

    fn check(method: &str, path: &str, query: &str, exposure: Exposure, expected: &str) {
        let actual = match EventRequest::parse(Method::parse(method), path, query, exposure) {
            Ok(request) => format!("{:?}", request.route),
            Err(err) => format!("{err:?}"),
        };
        assert_eq!(actual, expected, "{method} {path}?{query}");
    }

    #[test]
    fn routes_are_checked_shape_then_method_then_code_then_query() {
        use Exposure::*;
        check(
            "GET",
            "/events/ALPMDOWNHILL/audit",
            "limit=5",
            Ingest,
            "Audit(AuditQuery { limit: Some(5), before: None })",
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/nope",
            "",
            Ingest,
            r#"NoRoute { path: "/events/ALPMDOWNHILL/nope" }"#,
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/summary",
            "",
            Ingest,
            r#"NoRoute { path: "/events/ALPMDOWNHILL/summary" }"#,
        );
        check(
            "DELETE",
            "/events/bad",
            "",
            Ingest,
            r#"WrongMethod { allow: "GET, PUT" }"#,
        );
        check(
            "PATCH",
            "/events/ALPMDOWNHILL/results",
            "",
            Ingest,
            r#"WrongMethod { allow: "POST" }"#,
        );
        check(
            "POST",
            "/events/bad/results",
            "x=1",
            Ingest,
            r#"BadEventCode { code: "bad", reason: "invalid EventCode: must be 5 to 22 characters: discipline (3), gender (1), event name (1 to 18)" }"#,
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/audit",
            "limit=0",
            Ingest,
            r#"BadParameter { field: "limit", detail: "limit must be an integer from 1 to 1000" }"#,
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/audit",
            "limit=1&limit=2",
            Ingest,
            r#"BadParameter { field: "limit", detail: "parameter given more than once" }"#,
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/audit",
            "before=x",
            Ingest,
            r#"BadParameter { field: "before", detail: "before must be an event version" }"#,
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/leaderboard",
            "unit=FNL&x=1",
            Read,
            r#"BadParameter { field: "x", detail: "unknown query parameter" }"#,
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/leaderboard",
            "unit=fnl",
            Read,
            r#"BadParameter { field: "unit", detail: "invalid UnitCode: only uppercase letters, digits and '-' are allowed" }"#,
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/summary",
            "x=1",
            Read,
            r#"BadParameter { field: "x", detail: "unknown query parameter" }"#,
        );
        check(
            "PUT",
            "/events/ALPMDOWNHILL/relays",
            "shard=59",
            Private,
            r#"BadParameter { field: "shard", detail: "shard must be a first-level relay shard number" }"#,
        );
        check(
            "PUT",
            "/events/ALPMDOWNHILL/relays",
            "shard=2",
            Read,
            r#"NoRoute { path: "/events/ALPMDOWNHILL/relays" }"#,
        );
        check("HEAD", "/events/ALPMDOWNHILL", "", Ingest, "Definition");
        check(
            "PUT",
            "/events/ALPMDOWNHILL/maintenance",
            "",
            Admin,
            "Maintenance { on: true }",
        );
        check(
            "PUT",
            "/events/ALPMDOWNHILL/maintenance",
            "",
            Ingest,
            r#"NoRoute { path: "/events/ALPMDOWNHILL/maintenance" }"#,
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/results",
            "",
            Admin,
            r#"NoRoute { path: "/events/ALPMDOWNHILL/results" }"#,
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/leaderboard",
            "final_ranking=yes",
            Read,
            r#"BadParameter { field: "final_ranking", detail: "final_ranking must be true or false" }"#,
        );
        check(
            "GET",
            "/events/ALPMDOWNHILL/leaderboard",
            "final_ranking=true",
            Read,
            "Leaderboard(LeaderboardQuery { unit: None, limit: None, cursor: None, around: None, final_ranking: true })",
        );
    }
}
