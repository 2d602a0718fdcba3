//! The operators' reports and dead letters under `/v1/admin`: the analytics Worker keeps them in D1 and
//! answers through this gateway's service binding, so they stand behind the same Access verification
//! and operator list as every other admin route.
//!
//! | method | path                             | analytics route |
//! |--------|----------------------------------|-----------------|
//! | GET    | /v1/admin/stats?minutes=N        | `Stats`         |
//! | GET    | /v1/admin/dead-letters?limit=N   | `DeadLetters`   |
//! | POST   | /v1/admin/dead-letters/replay    | `Replay`        |
//! | GET    | /v1/admin/audit?limit=N          | `AuditLog`      |

use edge::{Problem, body};
use wire::api::Method;
use wire::api::analytics::{AnalyticsRoute, ReplayRequest};
use worker::{Env, Request, Response};

use crate::bindings;

/// The paths under `/v1/admin` this module answers.
pub fn owns(rest: &str) -> bool {
    matches!(
        rest,
        "/stats" | "/dead-letters" | "/dead-letters/replay" | "/audit"
    )
}

/// The analytics route for an admin path, checked (method, query) before anything is read.
pub fn route(method: Option<Method>, rest: &str, query: &str) -> Result<AnalyticsRoute, Problem> {
    let path = format!("/analytics{rest}");
    match AnalyticsRoute::parse(method, &path, query) {
        Ok(route) => Ok(route),
        // The path is ours (`owns`), so a route that does not parse is the wrong method.
        Err(wire::api::RouteError::NoRoute { .. }) => Err(Problem::method_not_allowed(
            if rest == "/dead-letters/replay" {
                "POST"
            } else {
                "GET, HEAD"
            },
        )),
        Err(other) => Err(other.into()),
    }
}

/// Answers an operator's request; `operator` is who, for the audit line of a replay.
pub async fn handle(
    req: &mut Request,
    env: &Env,
    route: AnalyticsRoute,
    operator: &str,
) -> Result<Response, Problem> {
    let analytics = bindings::objects(env);
    let unavailable = "the analytics store could not be reached; nothing was changed";
    match route {
        AnalyticsRoute::Stats { minutes } => {
            let answer = analytics
                .call(AnalyticsRoute::stats(minutes))
                .await
                .map_err(|e| e.into_problem(unavailable))?;
            edge::respond::json(&answer, 200)
        }
        AnalyticsRoute::DeadLetters { limit } => {
            let answer = analytics
                .call(AnalyticsRoute::dead_letters(limit))
                .await
                .map_err(|e| e.into_problem(unavailable))?;
            edge::respond::json(&answer, 200)
        }
        AnalyticsRoute::Replay => {
            body::require_json(req)?;
            let bytes = body::read_limited(req, 64 * 1024).await?;
            let request: ReplayRequest = body::parse_json(&bytes)?;
            let answer = analytics
                .call(AnalyticsRoute::replay(&request))
                .await
                .map_err(|e| e.into_problem(unavailable));
            tracing::warn!(
                operator = %operator,
                action = "replay dead letters",
                asked = ?request.ids,
                replayed = ?answer.as_ref().map(|a| a.replayed.clone()).unwrap_or_default(),
                ok = answer.is_ok(),
                "admin action"
            );
            edge::respond::json(&answer?, 200)
        }
        AnalyticsRoute::AuditLog { limit } => {
            let answer = analytics
                .call(AnalyticsRoute::audit_log(limit))
                .await
                .map_err(|e| e.into_problem(unavailable))?;
            edge::respond::json(&answer, 200)
        }
        AnalyticsRoute::Audit | AnalyticsRoute::Refusals => Err(Problem::not_found(
            "no admin route /v1/admin/refusals".to_string(),
        )),
    }
}
