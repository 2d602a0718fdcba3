//! The route table: every public path, one named handler each.
//!
//! A public read is turned into a typed route of the object that holds its data (`wire::api`) before
//! anything is asked of that object: the path's codes and every query parameter are checked here, by the
//! same code the object parses with, so a malformed request never reaches (or wakes) an object.

use edge::Problem;
use wire::api::{EventRequest, EventRoute, Exposure, Method, Source, StandingsRoute};
use worker::{Env, Request, Response};

use crate::{cache, cors, live, objects, openapi, rate_limit, schedule, site};

pub async fn handle(req: Request, env: &Env) -> Result<Response, Problem> {
    let path = req.path();
    // The raw method: the worker crate reads a method it does not know (PROPFIND, PURGE) as GET.
    match req.inner().method().as_str() {
        "GET" | "HEAD" => {}
        "OPTIONS" => return cors::preflight(&req, env),
        _ => return Err(Problem::method_not_allowed("GET, HEAD, OPTIONS")),
    }
    if path == "/healthz" {
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
    let url = req.url().map_err(|_| Problem::internal())?;
    let query = url.query().unwrap_or("");
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] => site::index(),
        ["v1", "openapi.json"] => openapi::document(),
        ["v1", "events", code] => {
            let read = event(&format!("/events/{code}/summary"), query)?;
            cache::through_cache(&req, objects::read(env, read.relayed())).await
        }
        ["v1", "events", code, "leaderboard"] => {
            let read = event(&format!("/events/{code}/leaderboard"), query)?;
            cache::through_cache(&req, objects::read(env, read.relayed())).await
        }
        ["v1", "events", code, "live"] => {
            edge::websocket::require_upgrade(&req)?;
            let read = event(&format!("/events/{code}/live"), query)?;
            let EventRoute::Live { since } = read.route else {
                return Err(Problem::internal());
            };
            live::hand_over(env, Source::Event(read.event), since).await
        }
        ["v1", "events"] => standings(&req, env, "/standings/events", query).await,
        ["v1", "medals"] => standings(&req, env, "/standings/medals", query).await,
        ["v1", "medals", "athletes"] => {
            standings(&req, env, "/standings/medals/athletes", query).await
        }
        ["v1", "nocs", noc] => standings(&req, env, &format!("/standings/nocs/{noc}"), query).await,
        ["v1", "athletes", athlete] => {
            standings(&req, env, &format!("/standings/athletes/{athlete}"), query).await
        }
        ["v1", "schedule"] => cache::through_cache(&req, schedule::schedule(env, query)).await,
        ["v1", "live", "medals"] => {
            edge::websocket::require_upgrade(&req)?;
            let StandingsRoute::Live { since } =
                StandingsRoute::parse(Some(Method::Get), "/standings/live", query)?
            else {
                return Err(Problem::internal());
            };
            live::hand_over(env, Source::Medals, since).await
        }
        _ => Err(Problem::not_found(format!("no route {path}"))),
    }
}

/// The event object's route at `private_path`, with the caller's query.
fn event(private_path: &str, query: &str) -> Result<EventRequest, Problem> {
    Ok(EventRequest::parse(
        Some(Method::Get),
        private_path,
        query,
        Exposure::Read,
    )?)
}

/// A read of the standings object at `private_path`, with the caller's query, through the caches.
async fn standings(
    req: &Request,
    env: &Env,
    private_path: &str,
    query: &str,
) -> Result<Response, Problem> {
    let route = StandingsRoute::parse(Some(Method::Get), private_path, query)?;
    cache::through_cache(req, objects::read(env, route.relayed())).await
}
