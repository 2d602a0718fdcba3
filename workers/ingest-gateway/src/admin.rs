//! The operators' API under `/v1/admin`: the event objects' admin routes (`wire::api`, exposure
//! `Admin`), reached only by identities listed in `ADMIN_IDENTITIES` after the same Access verification
//! as any feed. Every admin action is logged at `warn` with who did it, whatever its outcome.

use edge::Problem;
use wire::api::{EventRequest, EventRoute, Exposure, Method};
use worker::{Env, Request, Response};

use crate::{access, bindings, objects};

pub async fn handle(
    req: &Request,
    env: &Env,
    method: Option<Method>,
    rest: &str,
    path: &str,
) -> Result<Response, Problem> {
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
