//! The route table: every public path, one named handler each.
//!
//! A public read is turned into a typed route of the object that holds its data (`wire::api`) before
//! anything is asked of that object: the path's codes and every query parameter are checked here, by the
//! same code the object parses with, so a malformed request never reaches (or wakes) an object.

use edge::OrInternal;
use edge::Problem;
use wire::api::{EventRequest, EventRoute, Exposure, Method, Source, StandingsRoute};
use worker::{Env, Request, Response};

use wire::docs::HotDoc;

use crate::{bindings, cache, cors, live, objects, openapi, rate_limit, schedule, site};

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
    let url = req.url().or_internal("read the request URL")?;
    let query = url.query().unwrap_or("");
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    // A hot document, as its object last published it: what the CDN serves in production.
    let hot = HotDoc::of_request(&path, url.query());
    if let Some(doc) = &hot
        && docs_from_bucket(env)
        && let Some(published) = objects::published(env, doc).await
    {
        return cache::conditional(&req, published);
    }
    match segments.as_slice() {
        [""] => site::index(),
        ["embed", "medals"] => site::embed(),
        ["assets", name] => site::asset(name),
        ["sw.js"] => site::service_worker(),
        ["v1", "openapi.json"] => openapi::document(),
        ["v1", "events", code] => {
            let read = event(&format!("/events/{code}/summary"), query)?;
            cache::through_cache(&req, objects::read(env, read.relayed(), hot)).await
        }
        ["v1", "events", code, "leaderboard"] => {
            let read = event(&format!("/events/{code}/leaderboard"), query)?;
            cache::through_cache(&req, objects::read(env, read.relayed(), hot)).await
        }
        ["v1", "events", code, "live"] => {
            edge::websocket::require_upgrade(&req)?;
            let read = event(&format!("/events/{code}/live"), query)?;
            let EventRoute::Live { since } = read.route else {
                return Err(Problem::internal().because("a live path parsed as another route"));
            };
            live::hand_over(env, Source::Event(read.event), since).await
        }
        ["v1", "events"] => standings(&req, env, "/standings/events", query, hot).await,
        ["v1", "medals"] => standings(&req, env, "/standings/medals", query, hot).await,
        ["v1", "medals", "athletes"] => {
            standings(&req, env, "/standings/medals/athletes", query, None).await
        }
        ["v1", "nocs"] => standings(&req, env, "/standings/nocs", query, None).await,
        ["v1", "search"] => standings(&req, env, "/standings/search", query, None).await,
        ["v1", "nocs", noc] => {
            standings(&req, env, &format!("/standings/nocs/{noc}"), query, None).await
        }
        ["v1", "athletes", athlete] => {
            standings(
                &req,
                env,
                &format!("/standings/athletes/{athlete}"),
                query,
                None,
            )
            .await
        }
        ["v1", "schedule"] => cache::through_cache(&req, schedule::schedule(env, query)).await,
        ["v1", "schedule", day] => {
            let day = day
                .parse::<domain::LogicalDay>()
                .map_err(|e| Problem::bad_request("day", e.to_string()))?;
            wire::api::Query::parse(query)?.finish()?;
            let path = format!("/standings/schedule?day={day}");
            standings(&req, env, &path, "", hot).await
        }
        ["v1", "live", "medals"] => {
            edge::websocket::require_upgrade(&req)?;
            let StandingsRoute::Live { since } =
                StandingsRoute::parse(Some(Method::Get), "/standings/live", query)?
            else {
                return Err(Problem::internal().because("a live path parsed as another route"));
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

/// A read of the standings object at `private_path`, with the caller's query, through the caches;
/// `hot` names the document it is, if it is one.
async fn standings(
    req: &Request,
    env: &Env,
    private_path: &str,
    query: &str,
    hot: Option<HotDoc>,
) -> Result<Response, Problem> {
    let (path, path_query) = private_path
        .split_once('?')
        .unwrap_or((private_path, query));
    let route = StandingsRoute::parse(Some(Method::Get), path, path_query)?;
    cache::through_cache(req, objects::read(env, route.relayed(), hot)).await
}

fn docs_from_bucket(env: &Env) -> bool {
    env.var(bindings::DOCS_FROM_BUCKET)
        .is_ok_and(|v| v.to_string() == "1")
}
