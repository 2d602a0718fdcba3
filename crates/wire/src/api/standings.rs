//! The standings object's routes: one object for the whole Games, named [`GAMES`](super::GAMES).
//!
//! | method     | path                        | route                     | body          | answer          |
//! |------------|-----------------------------|---------------------------|---------------|-----------------|
//! | PUT        | /standings/digest           | `Digest`                  | [`EventDigest`](crate::digest::EventDigest) | [`DigestOutcome`] |
//! | GET        | /standings/events           | `Events(query)`           | —             | relayed, cacheable |
//! | GET        | /standings/medals           | `Medals(query)`           | —             | relayed, cacheable |
//! | GET        | /standings/medals/athletes  | `MedalAthletes(query)`    | —             | relayed, cacheable |
//! | GET        | /standings/nocs             | `Nocs`                    | —             | relayed, cacheable |
//! | GET        | /standings/nocs/{noc}       | `Noc(noc)`                | —             | relayed, cacheable |
//! | GET        | /standings/athletes/{id}    | `Athlete(id)`             | —             | relayed, cacheable |
//! | GET        | /standings/search?q=        | `Search { q }`            | —             | relayed, cacheable |
//! | GET        | /standings/schedule         | `Schedule { day }`        | —             | [`ScheduleAnswer`] |
//! | GET        | /standings/live             | `Live { since }`          | upgrade       | relayed (101, 307) |
//! | GET        | /standings/snapshot         | `Snapshot`                | —             | the live message |
//! | PUT/DELETE | /standings/relays           | `Relays { shard, join }`  | —             | [`RelayMembers`](super::RelayMembers) |
//! | POST       | /standings/rebuild          | `Rebuild`                 | —             | [`RebuildAllAnswer`] |
//!
//! `Rebuild` is the operators' (the ingest gateway publishes it as `POST /v1/admin/rebuild`): the
//! standings forget everything, every event in the archive is rebuilt, and their digests refill them.

use domain::{CompetitorId, LogicalDay, MedalFilter, MedalOrder, Noc};
use serde::{Deserialize, Serialize};

use super::relay::shard_param;
use super::{
    Call, Class, GAMES, Method, Query, QueryWriter, Relayed, RouteError, Target, json_name,
    segments,
};
use crate::digest::Progress;

/// What a caller asks of the standings object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StandingsRoute {
    /// An event's listing and medals, from its object's outbox.
    Digest,
    Events(EventsQuery),
    Medals(MedalsQuery<Noc>),
    MedalAthletes(MedalsQuery<CompetitorId>),
    /// Every NOC taking part, with its name, flag, entries and medals.
    Nocs,
    Noc(Noc),
    Athlete(CompetitorId),
    /// Athletes, NOCs and events whose name or code matches `q` (see [`SearchText`]).
    Search {
        q: SearchText,
    },
    Schedule {
        day: Option<LogicalDay>,
    },
    Live {
        since: Option<u64>,
    },
    Snapshot,
    Relays {
        shard: u32,
        join: bool,
    },
    Rebuild,
}

/// The answer to [`StandingsRoute::Rebuild`]: each event rebuilt, or why it was not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RebuildAllAnswer {
    pub rebuilt: Vec<super::event_room::RebuildAnswer>,
    pub failed: Vec<RebuildFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RebuildFailure {
    pub event: String,
    pub reason: String,
}

/// `GET /standings/events`: the medal filters but `noc`, and a progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventsQuery {
    pub filter: MedalFilter,
    pub status: Option<Progress>,
}

/// A medal table's filters, order and page; `around` is a NOC or an athlete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MedalsQuery<Around> {
    pub filter: MedalFilter,
    pub order: MedalOrder,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub around: Option<Around>,
}

impl<Around> Default for MedalsQuery<Around> {
    fn default() -> Self {
        Self {
            filter: MedalFilter::default(),
            order: MedalOrder::GoldFirst,
            limit: None,
            cursor: None,
            around: None,
        }
    }
}

/// A search's text: 2 to 50 characters once trimmed, none of them a control character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText(String);

impl SearchText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for SearchText {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        let text = value.trim();
        let chars = text.chars().count();
        if !(2..=50).contains(&chars) {
            return Err("q must be 2 to 50 characters".into());
        }
        if text.chars().any(char::is_control) {
            return Err("q must not contain control characters".into());
        }
        Ok(Self(text.to_owned()))
    }
}

impl std::fmt::Display for SearchText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The standings' answer to a digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum DigestOutcome {
    Applied,
    /// The standings already held this event version or a newer one.
    Stale,
}

/// The schedule as the standings object answers it; the read gateway adds the caller's local times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleAnswer {
    pub units: Vec<serde_json::Map<String, serde_json::Value>>,
}

impl StandingsRoute {
    pub fn parse(method: Option<Method>, path: &str, query: &str) -> Result<Self, RouteError> {
        let mut query = Query::parse(query)?;
        let route = match (method, segments(path).as_slice()) {
            (Some(Method::Put), ["standings", "digest"]) => Self::Digest,
            (Some(Method::Get), ["standings", "events"]) => Self::Events(events_query(&mut query)?),
            (Some(Method::Get), ["standings", "medals"]) => Self::Medals(medals_query(&mut query)?),
            (Some(Method::Get), ["standings", "medals", "athletes"]) => {
                Self::MedalAthletes(medals_query(&mut query)?)
            }
            (Some(Method::Get), ["standings", "nocs"]) => Self::Nocs,
            (Some(Method::Get), ["standings", "search"]) => Self::Search {
                q: query
                    .take_code("q")?
                    .ok_or_else(|| RouteError::bad_parameter("q", "q is required"))?,
            },
            (Some(Method::Get), ["standings", "nocs", noc]) => Self::Noc(
                noc.parse()
                    .map_err(|e| RouteError::bad_parameter("noc", format!("{e}")))?,
            ),
            (Some(Method::Get), ["standings", "athletes", id]) => Self::Athlete(
                id.parse()
                    .map_err(|e| RouteError::bad_parameter("athlete", format!("{e}")))?,
            ),
            (Some(Method::Get), ["standings", "schedule"]) => Self::Schedule {
                day: query.take_code("day")?,
            },
            (Some(Method::Get), ["standings", "live"]) => Self::Live {
                since: query.take_parsed("since", "since must be a medal table version")?,
            },
            (Some(Method::Get), ["standings", "snapshot"]) => Self::Snapshot,
            (Some(Method::Post), ["standings", "rebuild"]) => Self::Rebuild,
            (Some(method @ (Method::Put | Method::Delete)), ["standings", "relays"]) => {
                Self::Relays {
                    shard: shard_param(&mut query)?,
                    join: method == Method::Put,
                }
            }
            _ => return Err(RouteError::no_route(path)),
        };
        query.finish()?;
        Ok(route)
    }

    pub fn method(&self) -> Method {
        match self {
            Self::Digest | Self::Relays { join: true, .. } => Method::Put,
            Self::Relays { join: false, .. } => Method::Delete,
            Self::Rebuild => Method::Post,
            _ => Method::Get,
        }
    }

    pub fn path(&self) -> String {
        let query = QueryWriter::new();
        match self {
            Self::Digest => "/standings/digest".into(),
            Self::Events(q) => filter_query(query, &q.filter)
                .put("status", q.status.and_then(|s| json_name(&s)))
                .after("/standings/events".into()),
            Self::Medals(q) => medals_path(query, q, "/standings/medals"),
            Self::MedalAthletes(q) => medals_path(query, q, "/standings/medals/athletes"),
            Self::Nocs => "/standings/nocs".into(),
            Self::Search { q } => query.put("q", Some(q)).after("/standings/search".into()),
            Self::Noc(noc) => format!("/standings/nocs/{noc}"),
            Self::Athlete(id) => format!("/standings/athletes/{id}"),
            Self::Schedule { day } => query
                .put("day", day.as_ref())
                .after("/standings/schedule".into()),
            Self::Live { since } => query.put("since", *since).after("/standings/live".into()),
            Self::Snapshot => "/standings/snapshot".into(),
            Self::Rebuild => "/standings/rebuild".into(),
            Self::Relays { shard, .. } => query
                .put("shard", Some(shard))
                .after("/standings/relays".into()),
        }
    }

    pub fn target() -> Target {
        Target {
            class: Class::Standings,
            name: GAMES.to_string(),
        }
    }

    pub(crate) fn call<A>(&self) -> Call<A> {
        Call::new(Self::target(), self.method(), self.path())
    }

    /// A read whose answer the caller hands on as it is.
    pub fn relayed(&self) -> Call<Relayed> {
        self.call()
    }

    pub fn rebuild() -> Call<RebuildAllAnswer> {
        Self::Rebuild.call()
    }

    /// An event object's digest for the standings: the JSON of an [`EventDigest`], as its outbox
    /// stored it.
    pub fn digest(body: Vec<u8>) -> Call<DigestOutcome> {
        Self::Digest.call().with_body(body)
    }
}

fn events_query(query: &mut Query) -> Result<EventsQuery, RouteError> {
    let filter = query.medal_filter()?;
    if filter.noc.is_some() {
        return Err(RouteError::bad_parameter(
            "noc",
            "the events list has no NOC filter; see /v1/nocs/{noc}",
        ));
    }
    let status = query
        .take("status")
        .map(|v| {
            Progress::parse(&v).ok_or_else(|| {
                RouteError::bad_parameter("status", "status must be scheduled, live or finished")
            })
        })
        .transpose()?;
    Ok(EventsQuery { filter, status })
}

fn medals_query<Around>(query: &mut Query) -> Result<MedalsQuery<Around>, RouteError>
where
    Around: std::str::FromStr,
    Around::Err: std::fmt::Display,
{
    Ok(MedalsQuery {
        filter: query.medal_filter()?,
        order: query.order()?,
        limit: query.take_parsed("limit", "limit must be an integer from 1 to 500")?,
        cursor: query.take("cursor"),
        around: query.take_code("around")?,
    })
}

fn filter_query(query: QueryWriter, filter: &MedalFilter) -> QueryWriter {
    query
        .put("sport", filter.sport.and_then(|s| json_name(&s)))
        .put("discipline", filter.discipline.and_then(|d| json_name(&d)))
        .put("gender", filter.gender.and_then(|g| json_name(&g)))
        .put("day", filter.day.as_ref())
        .put("noc", filter.noc.as_ref())
}

fn medals_path<Around: std::fmt::Display>(
    query: QueryWriter,
    q: &MedalsQuery<Around>,
    path: &str,
) -> String {
    let order = match q.order {
        MedalOrder::GoldFirst => None,
        MedalOrder::Total => Some("total"),
    };
    filter_query(query, &q.filter)
        .put("order", order)
        .put("limit", q.limit)
        .put("cursor", q.cursor.as_ref())
        .put("around", q.around.as_ref())
        .after(path.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Discipline, Gender, Sport};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn code<T: std::str::FromStr>(text: &str) -> T {
        text.parse().unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn every_route_parses_back_from_its_path() {
        let filter = MedalFilter {
            sport: Some(Sport::Skiing),
            discipline: Some(Discipline::AlpineSkiing),
            gender: Some(Gender::Women),
            day: Some(code("2026-02-12")),
            noc: None,
        };
        let routes = [
            StandingsRoute::Digest,
            StandingsRoute::Events(EventsQuery::default()),
            StandingsRoute::Events(EventsQuery {
                filter: filter.clone(),
                status: Some(Progress::Live),
            }),
            StandingsRoute::Medals(MedalsQuery::default()),
            StandingsRoute::Medals(MedalsQuery {
                filter: MedalFilter {
                    noc: Some(code("ITA")),
                    ..filter.clone()
                },
                order: MedalOrder::Total,
                limit: Some(10),
                cursor: Some("c/1+2".into()),
                around: Some(code("NOR")),
            }),
            StandingsRoute::MedalAthletes(MedalsQuery {
                around: Some(code("ODERMATT")),
                ..MedalsQuery::default()
            }),
            StandingsRoute::Nocs,
            StandingsRoute::Search {
                q: "Odermatt".parse().unwrap(),
            },
            StandingsRoute::Search {
                q: "Kilde & co/ß+é?".parse().unwrap(),
            },
            StandingsRoute::Noc(code("SUI")),
            StandingsRoute::Athlete(code("BRIGNONE")),
            StandingsRoute::Schedule { day: None },
            StandingsRoute::Schedule {
                day: Some(code("2026-02-07")),
            },
            StandingsRoute::Live { since: Some(3) },
            StandingsRoute::Snapshot,
            StandingsRoute::Relays {
                shard: 1,
                join: false,
            },
            StandingsRoute::Rebuild,
        ];
        for route in routes {
            let path = route.path();
            let (path_only, query) = path.split_once('?').unwrap_or((&path, ""));
            assert_eq!(
                StandingsRoute::parse(Some(route.method()), path_only, query),
                Ok(route.clone()),
                "{path}"
            );
        }
    }

    #[test]
    fn bad_parameters_are_named() {
        let check = |path: &str, query: &str, field: &str| match StandingsRoute::parse(
            Some(Method::Get),
            path,
            query,
        ) {
            Err(RouteError::BadParameter { field: f, .. }) => assert_eq!(f, field, "{query}"),
            other => panic!("{path}?{query}: {other:?}"),
        };
        check("/standings/events", "noc=ITA", "noc");
        check("/standings/events", "status=over", "status");
        check("/standings/medals", "order=silver", "order");
        check("/standings/medals", "sport=CHESS", "sport");
        check("/standings/medals", "day=2026-02-30", "day");
        check("/standings/medals/athletes", "around=a%20b", "around");
        check("/standings/nocs/ita", "", "noc");
        check("/standings/schedule", "day=1&day=2", "day");
        check("/standings/search", "", "q");
        check("/standings/search", "q=a", "q");
        check("/standings/search", "q=%20%20a%20", "q");
        check("/standings/search", "q=ab%0Acd", "q");
        check("/standings/search", &format!("q={}", "x".repeat(51)), "q");
    }
}
