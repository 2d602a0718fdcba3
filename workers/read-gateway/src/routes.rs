//! The route table: every public path, one named handler each.

use domain::EventCode;
use edge::Problem;
use worker::{Env, Method, Request, Response};

use crate::{cache, cors, events, rate_limit, site};

pub async fn handle(req: Request, env: &Env) -> Result<Response, Problem> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match req.method() {
        Method::Get | Method::Head => {}
        Method::Options => return cors::preflight(&req, env),
        _ => return Err(Problem::method_not_allowed("GET, HEAD, OPTIONS")),
    }
    if segments.as_slice() == ["healthz"] {
        return edge::respond::json(
            &serde_json::json!({"status": "ok", "service": "read-gateway"}),
            200,
        );
    }
    rate_limit::check(&req, env).await?;
    let response = match segments.as_slice() {
        [""] => site::index(),
        ["v1", "events", code] => {
            let event = event_code(code)?;
            cache::through_cache(&req, events::summary(env, &event)).await
        }
        ["v1", "events", code, "leaderboard"] => {
            let event = event_code(code)?;
            cache::through_cache(&req, events::leaderboard(env, &event, &req)).await
        }
        ["v1", "events", code, "live"] => events::live(env, &event_code(code)?, &req).await,
        _ => Err(Problem::not_found(format!("no route {path}"))),
    }?;
    cors::decorate(&req, env, response)
}

fn event_code(code: &str) -> Result<EventCode, Problem> {
    code.parse::<EventCode>().map_err(|err| {
        Problem::new(400, "invalid-event-code", "Invalid event code")
            .field("event")
            .detail(format!("{code:?} is not an event code: {err}"))
    })
}
