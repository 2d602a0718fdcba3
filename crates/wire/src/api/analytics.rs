//! The analytics Worker's private routes: the operators' reports and dead letters, kept in D1. Only the
//! ingest gateway reaches them, through its service binding, for identities in `ADMIN_IDENTITIES`.
//!
//! | method | path                              | route              | body              | answer                |
//! |--------|-----------------------------------|--------------------|-------------------|-----------------------|
//! | GET    | /analytics/stats?minutes=N        | `Stats`            | —                 | [`StatsAnswer`]       |
//! | GET    | /analytics/dead-letters?limit=N   | `DeadLetters`      | —                 | [`DeadLettersAnswer`] |
//! | POST   | /analytics/dead-letters/replay    | `Replay`           | [`ReplayRequest`] | [`ReplayAnswer`]      |
//! | POST   | /analytics/refusals               | `Refusals`         | [`RefusalReport`] | [`Recorded`]          |
//! | GET    | /analytics/audit?limit=N          | `AuditLog`         | —                 | [`AuditAnswer`]       |
//! | POST   | /analytics/audit                  | `Audit`            | [`AuditRecord`]   | [`Recorded`]          |

use serde::{Deserialize, Serialize};

use super::{Call, Class, Method, Query, QueryWriter, RouteError, Target, segments};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalyticsRoute {
    /// Reports over the last `minutes` (1–1440, default 60).
    Stats {
        minutes: Option<u32>,
    },
    /// Dead letters, newest first (`limit` 1–500, default 100).
    DeadLetters {
        limit: Option<u32>,
    },
    Replay,
    Refusals,
    /// The operators' audit trail, newest first (`limit` 1–500, default 100).
    AuditLog {
        limit: Option<u32>,
    },
    Audit,
}

impl AnalyticsRoute {
    pub fn parse(method: Option<Method>, path: &str, query: &str) -> Result<Self, RouteError> {
        let mut query = Query::parse(query)?;
        let route = match (method, segments(path).as_slice()) {
            (Some(Method::Get), ["analytics", "stats"]) => Self::Stats {
                minutes: bounded(&mut query, "minutes", 1440)?,
            },
            (Some(Method::Get), ["analytics", "dead-letters"]) => Self::DeadLetters {
                limit: bounded(&mut query, "limit", 500)?,
            },
            (Some(Method::Post), ["analytics", "dead-letters", "replay"]) => Self::Replay,
            (Some(Method::Post), ["analytics", "refusals"]) => Self::Refusals,
            (Some(Method::Get), ["analytics", "audit"]) => Self::AuditLog {
                limit: bounded(&mut query, "limit", 500)?,
            },
            (Some(Method::Post), ["analytics", "audit"]) => Self::Audit,
            _ => return Err(RouteError::no_route(path)),
        };
        query.finish()?;
        Ok(route)
    }

    pub fn method(&self) -> Method {
        match self {
            Self::Stats { .. } | Self::DeadLetters { .. } | Self::AuditLog { .. } => Method::Get,
            Self::Replay | Self::Refusals | Self::Audit => Method::Post,
        }
    }

    pub fn path(&self) -> String {
        match self {
            Self::Stats { minutes } => QueryWriter::new()
                .put("minutes", *minutes)
                .after("/analytics/stats".into()),
            Self::DeadLetters { limit } => QueryWriter::new()
                .put("limit", *limit)
                .after("/analytics/dead-letters".into()),
            Self::Replay => "/analytics/dead-letters/replay".into(),
            Self::Refusals => "/analytics/refusals".into(),
            Self::AuditLog { limit } => QueryWriter::new()
                .put("limit", *limit)
                .after("/analytics/audit".into()),
            Self::Audit => "/analytics/audit".into(),
        }
    }

    fn call<A>(&self) -> Call<A> {
        let target = Target {
            class: Class::Analytics,
            name: "analytics".into(),
        };
        Call::new(target, self.method(), self.path())
    }

    pub fn stats(minutes: Option<u32>) -> Call<StatsAnswer> {
        Self::Stats { minutes }.call()
    }

    pub fn dead_letters(limit: Option<u32>) -> Call<DeadLettersAnswer> {
        Self::DeadLetters { limit }.call()
    }

    pub fn replay(request: &ReplayRequest) -> Call<ReplayAnswer> {
        Self::Replay
            .call()
            .with_body(serde_json::to_vec(request).unwrap_or_default())
    }

    pub fn refusals(report: &RefusalReport) -> Call<Recorded> {
        Self::Refusals
            .call()
            .with_body(serde_json::to_vec(report).unwrap_or_default())
    }
}

impl AnalyticsRoute {
    pub fn audit_log(limit: Option<u32>) -> Call<AuditAnswer> {
        Self::AuditLog { limit }.call()
    }

    pub fn audit(record: &AuditRecord) -> Call<Recorded> {
        Self::Audit
            .call()
            .with_body(serde_json::to_vec(record).unwrap_or_default())
    }
}

fn bounded(query: &mut Query, name: &str, max: u32) -> Result<Option<u32>, RouteError> {
    let expected = format!("{name} must be an integer from 1 to {max}");
    let value = query.take_parsed::<u32>(name, &expected)?;
    if value.is_some_and(|v| v == 0 || v > max) {
        return Err(RouteError::bad_parameter(name, expected));
    }
    Ok(value)
}

/// The operators' reports over a window of minutes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatsAnswer {
    pub minutes: u32,
    pub to_ms: u64,
    /// Applied changes per event per minute (`minute_ms`: the minute's start).
    pub updates: Vec<MinuteCount>,
    /// From a feed's own send time to the change being applied, per feed.
    pub lateness: Vec<Lateness>,
    /// Per feed: changes applied, and refusals by problem type.
    pub feeds: Vec<FeedHealth>,
    /// Reads by route, status and where the answer came from.
    pub reads: Vec<ReadTotal>,
    pub dead_letters: DeadLetterTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinuteCount {
    pub event: String,
    pub minute_ms: u64,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lateness {
    pub feed: String,
    pub count: u64,
    pub p50_ms: u64,
    pub p95_ms: u64,
    pub p99_ms: u64,
    pub max_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedHealth {
    pub feed: String,
    pub applied: u64,
    /// When the feed's last change was applied (Unix ms), if one was in the window.
    pub last_applied_ms: Option<u64>,
    pub refused: Vec<RefusalCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalCount {
    pub problem: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadTotal {
    pub route: String,
    pub status: u16,
    pub cache: String,
    pub count: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetterTotals {
    pub pending: u64,
    pub replayed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLettersAnswer {
    pub dead_letters: Vec<DeadLetterRow>,
}

/// One dead letter as operators see it (its bytes stay in D1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetterRow {
    pub id: i64,
    pub queue: String,
    /// The change it carries, when it is a readable change record.
    pub event: Option<String>,
    pub event_version: Option<u64>,
    pub request_id: Option<String>,
    pub error: String,
    pub sent_at_ms: u64,
    pub failed_at_ms: u64,
    pub replayed_at_ms: Option<u64>,
}

/// Which dead letters to replay: these ids, or every one not replayed yet when `ids` is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplayRequest {
    #[serde(default)]
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplayAnswer {
    pub replayed: Vec<i64>,
}

/// The ingest gateway's refusals over a stretch of time, aggregated per isolate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalReport {
    /// Unique per report, so one sent twice is counted once.
    pub id: String,
    pub from_ms: u64,
    pub to_ms: u64,
    pub counts: Vec<FeedRefusal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedRefusal {
    /// The feed, or `unauthenticated` when no token passed.
    pub feed: String,
    pub problem: String,
    pub count: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub recorded: bool,
}

/// One admin action: who (the Access identity), what, on what, when, and how it ended. Refused attempts
/// by authenticated identities are recorded too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditRecord {
    pub at_ms: u64,
    pub operator: String,
    /// Method and public path, e.g. `PUT /v1/admin/events/ALPMDOWNHILL/maintenance`.
    pub action: String,
    /// The event acted on, when there is one.
    pub event: Option<String>,
    /// The answer's status.
    pub status: u16,
    pub request_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditAnswer {
    pub entries: Vec<AuditRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn analytics_routes_parse_back_from_their_paths() {
        for route in [
            AnalyticsRoute::Stats { minutes: None },
            AnalyticsRoute::Stats { minutes: Some(15) },
            AnalyticsRoute::DeadLetters { limit: Some(20) },
            AnalyticsRoute::Replay,
            AnalyticsRoute::Refusals,
            AnalyticsRoute::AuditLog { limit: Some(5) },
            AnalyticsRoute::Audit,
        ] {
            let path = route.path();
            let (path_only, query) = path.split_once('?').unwrap_or((&path, ""));
            assert_eq!(
                AnalyticsRoute::parse(Some(route.method()), path_only, query),
                Ok(route.clone()),
                "{path}"
            );
        }
        assert_eq!(
            AnalyticsRoute::parse(Some(Method::Get), "/analytics/stats", "minutes=0"),
            Err(RouteError::bad_parameter(
                "minutes",
                "minutes must be an integer from 1 to 1440"
            ))
        );
    }
}
