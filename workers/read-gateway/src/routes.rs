//! The route table: every public path, one named handler each.

use domain::EventCode;
use edge::Problem;
use worker::{Env, Method, Request, Response};

use crate::{events, site};

pub async fn handle(req: Request, env: &Env) -> Result<Response, Problem> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    if !matches!(method, Method::Get | Method::Head) {
        return Err(Problem::method_not_allowed("GET, HEAD"));
    }
    match segments.as_slice() {
        ["healthz"] => edge::respond::json(
            &serde_json::json!({"status": "ok", "service": "read-gateway"}),
            200,
        ),
        [""] => site::index(),
        ["v1", "events", code] => events::summary(env, &event_code(code)?, &req).await,
        ["v1", "events", code, "leaderboard"] => {
            events::leaderboard(env, &event_code(code)?, &req).await
        }
        _ => Err(Problem::not_found(format!("no route {path}"))),
    }
}

fn event_code(code: &str) -> Result<EventCode, Problem> {
    code.parse::<EventCode>().map_err(|err| {
        Problem::new(400, "invalid-event-code", "Invalid event code")
            .field("event")
            .detail(format!("{code:?} is not an event code: {err}"))
    })
}
