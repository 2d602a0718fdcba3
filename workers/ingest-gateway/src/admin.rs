//! The operators' API under `/v1/admin`: the event objects' admin routes (`wire::api`, exposure
//! `Admin`: maintenance, rebuild) and the rebuild of everything (`POST /v1/admin/rebuild`, the standings
//! object's), the reports and dead letters ([`operations`]) and the operators' console page
//! ([`console`]), reached only by identities listed in `ADMIN_IDENTITIES` after the same Access verification
//! as any feed. Every admin action is logged at `warn` with who did it, whatever its outcome.

use edge::Problem;
use wire::api::{EventRequest, EventRoute, Exposure, Method, StandingsRoute};
use worker::{Env, Request, Response};

use crate::{access, bindings, console, objects, operations};

pub async fn handle(
    req: &mut Request,
    env: &Env,
    method: Option<Method>,
    rest: &str,
    path: &str,
) -> Result<Response, Problem> {
    if rest == "/rebuild" {
        return rebuild_all(req, env, method).await;
    }
    if let Some(asset) = console::asset(rest) {
        if method != Some(Method::Get) {
            return Err(Problem::method_not_allowed("GET, HEAD"));
        }
        let identity = access::authenticate(req, env).await?;
        require_operator(env, &access::feed_label(&identity))?;
        return console::respond(asset);
    }
    if operations::owns(rest) {
        let url = req.url().map_err(|e| Problem::internal().because(e))?;
        let route = operations::route(method, rest, url.query().unwrap_or(""))?;
        let identity = access::authenticate(req, env).await?;
        let operator = access::feed_label(&identity);
        require_operator(env, &operator)?;
        return operations::handle(req, env, route, &operator).await;
    }
    // The route and method first, so a wrong one is a 404 or 405 with or without credentials.
    EventRoute::allow(method, rest, Exposure::Admin)
        .map_err(|err| crate::routes::not_found_here(err, path))?;
    let identity = access::authenticate(req, env).await?;
    let operator = access::feed_label(&identity);
    require_operator(env, &operator)?;
    let url = req.url().map_err(|e| Problem::internal().because(e))?;
    let request = EventRequest::parse(method, rest, url.query().unwrap_or(""), Exposure::Admin)
        .map_err(|err| crate::routes::not_found_here(err, path))?;
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
) -> Result<Response, Problem> {
    if method != Some(Method::Post) {
        return Err(Problem::method_not_allowed("POST"));
    }
    let identity = access::authenticate(req, env).await?;
    let operator = access::feed_label(&identity);
    require_operator(env, &operator)?;
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
