//! The operators' API under `/v1/admin`: the event objects' admin routes (`wire::api`, exposure
//! `Admin`: maintenance, rebuild) and the rebuild of everything (`POST /v1/admin/rebuild`, the standings
//! object's), the reports and dead letters ([`operations`]) and the operators' console page
//! ([`console`]), reached only by identities listed in `ADMIN_IDENTITIES` after the same Access verification
//! as any feed. Every admin action is logged at `warn` with who did it, whatever its outcome, and recorded
//! in the audit trail ([`audit`]).

use edge::Problem;
use wire::api::{EventRequest, EventRoute, Exposure, Method, StandingsRoute};
use worker::{Env, Request, Response};

use crate::audit::{self, Attempt};
use crate::{access, bindings, console, objects, operations};

pub async fn handle(
    req: &mut Request,
    env: &Env,
    method: Option<Method>,
    rest: &str,
    path: &str,
) -> Result<Response, Problem> {
    let mut attempt = Attempt::default();
    let result = route(req, env, method, rest, path, &mut attempt).await;
    let status = result
        .as_ref()
        .map_or_else(|p| p.status, |r| r.status_code());
    if audit::worth_recording(method, status) {
        audit::record(env, attempt, &req.inner().method(), path, status).await;
    }
    result
}

async fn route(
    req: &mut Request,
    env: &Env,
    method: Option<Method>,
    rest: &str,
    path: &str,
    attempt: &mut Attempt,
) -> Result<Response, Problem> {
    if rest == "/rebuild" {
        return rebuild_all(req, env, method, attempt).await;
    }
    if let Some(asset) = console::asset(rest) {
        if method != Some(Method::Get) {
            return Err(Problem::method_not_allowed("GET, HEAD"));
        }
        operator(req, env, attempt).await?;
        return console::respond(asset);
    }
    if operations::owns(rest) {
        let url = req.url().map_err(|e| Problem::internal().because(e))?;
        let route = operations::route(method, rest, url.query().unwrap_or(""))?;
        let operator = operator(req, env, attempt).await?;
        return operations::handle(req, env, route, &operator).await;
    }
    // The route and method first, so a wrong one is a 404 or 405 with or without credentials.
    EventRoute::allow(method, rest, Exposure::Admin)
        .map_err(|err| crate::routes::not_found_here(err, path))?;
    let operator = operator(req, env, attempt).await?;
    let url = req.url().map_err(|e| Problem::internal().because(e))?;
    let request = EventRequest::parse(method, rest, url.query().unwrap_or(""), Exposure::Admin)
        .map_err(|err| crate::routes::not_found_here(err, path))?;
    attempt.event = Some(request.event.as_str().to_string());
    let answer = objects::read(env, &request).await;
    tracing::warn!(
        operator = %operator,
        event = request.event.as_str(),
        action = ?request.route,
        status = answer.as_ref().map_or_else(|p| p.status, |r| r.status_code()),
        "admin action"
    );
    answer
}

/// Every event rebuilt from the archive, and the standings with them.
async fn rebuild_all(
    req: &Request,
    env: &Env,
    method: Option<Method>,
    attempt: &mut Attempt,
) -> Result<Response, Problem> {
    if method != Some(Method::Post) {
        return Err(Problem::method_not_allowed("POST"));
    }
    let operator = operator(req, env, attempt).await?;
    let answer = bindings::objects(env)
        .call(StandingsRoute::rebuild())
        .await
        .map_err(|err| err.into_problem("the standings could not be reached; nothing was changed"));
    tracing::warn!(
        operator = %operator,
        action = "rebuild everything",
        rebuilt = answer.as_ref().map_or(0, |a| a.rebuilt.len()),
        failed = answer.as_ref().map_or(0, |a| a.failed.len()),
        "admin action"
    );
    edge::respond::json(&answer?, 200)
}

/// The request's operator: its token verified (the identity noted for the audit trail), and listed.
async fn operator(req: &Request, env: &Env, attempt: &mut Attempt) -> Result<String, Problem> {
    let identity = access::authenticate(req, env).await?;
    let operator = access::feed_label(&identity);
    attempt.identity = Some(operator.clone());
    require_operator(env, &operator)?;
    Ok(operator)
}

/// Only listed identities may act as operators; an empty list admits nobody.
fn require_operator(env: &Env, operator: &str) -> Result<(), Problem> {
    let listed = env
        .var(bindings::ADMIN_IDENTITIES)
        .map(|v| v.to_string())
        .unwrap_or_default();
    if listed
        .split(',')
        .map(str::trim)
        .any(|id| !id.is_empty() && id == operator)
    {
        return Ok(());
    }
    Err(Problem::new(403, "forbidden", "Forbidden")
        .detail(format!("{operator} is not an operator"))
        .field(access::ACCESS_HEADER))
}
