//! The route table: every public path, one named handler each.

use domain::EventCode;
use edge::Problem;
use worker::{Env, Method, Request, Response};

use crate::{cache, cors, events, openapi, rate_limit, schedule, site, standings};

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
    rate_limit::check(req.headers(), env).await?;
    route(req, env).await
}

/// The routes behind the rate limit, for a `GET` or `HEAD` already counted against its client.
pub async fn route(req: Request, env: &Env) -> Result<Response, Problem> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] => site::index(),
        ["v1", "openapi.json"] => openapi::document(),
        ["v1", "events"] => cache::through_cache(&req, standings::ask(env, "events", &req)).await,
        ["v1", "events", code] => {
            let event = event_code(code)?;
            cache::through_cache(&req, events::summary(env, &event)).await
        }
        ["v1", "events", code, "leaderboard"] => {
            let event = event_code(code)?;
            cache::through_cache(&req, events::leaderboard(env, &event, &req)).await
        }
        ["v1", "events", code, "live"] => events::live(env, &event_code(code)?, &req).await,
        ["v1", "medals"] => cache::through_cache(&req, standings::ask(env, "medals", &req)).await,
        ["v1", "medals", "athletes"] => {
            cache::through_cache(&req, standings::ask(env, "medals/athletes", &req)).await
        }
        ["v1", "nocs", noc] => {
            let noc = code::<domain::Noc>(noc, "noc")?;
            cache::through_cache(&req, standings::ask(env, &format!("nocs/{noc}"), &req)).await
        }
        ["v1", "athletes", athlete] => {
            let athlete = code::<domain::CompetitorId>(athlete, "athlete")?;
            cache::through_cache(
                &req,
                standings::ask(env, &format!("athletes/{athlete}"), &req),
            )
            .await
        }
        ["v1", "schedule"] => cache::through_cache(&req, schedule::schedule(env, &req)).await,
        ["v1", "live", "medals"] => standings::live(env, &req).await,
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

/// A code in the path, checked before it is sent anywhere.
fn code<T>(value: &str, field: &str) -> Result<T, Problem>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    value
        .parse::<T>()
        .map_err(|err| Problem::bad_request(field.to_string(), format!("{value:?}: {err}")))
}
