//! Event pages and leaderboards. The event object is the consistent source: live state is read from it,
//! never from an eventually consistent store.

use domain::EventCode;
use edge::Problem;
use worker::{Env, Request, Response};

use crate::bindings;

pub async fn summary(env: &Env, event: &EventCode, _req: &Request) -> Result<Response, Problem> {
    ask_event(env, event, "state", "").await
}

pub async fn leaderboard(env: &Env, event: &EventCode, req: &Request) -> Result<Response, Problem> {
    let query = req
        .url()
        .map_err(|_| Problem::internal())?
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    ask_event(env, event, "leaderboard", &query).await
}

async fn ask_event(
    env: &Env,
    event: &EventCode,
    action: &str,
    query: &str,
) -> Result<Response, Problem> {
    let url = format!(
        "{}/events/{}/{action}{query}",
        wire::internal::EVENT_ROOM_ORIGIN,
        event.as_str()
    );
    let stub = env
        .durable_object(bindings::EVENT_ROOM)
        .and_then(|namespace| namespace.get_by_name(event.as_str()))
        .map_err(|err| {
            worker::console_error!("event object stub: {err}");
            Problem::internal()
        })?;
    stub.fetch_with_str(&url).await.map_err(|err| {
        worker::console_error!("event object {} failed: {err}", event.as_str());
        Problem::unavailable("the event could not be reached; retry shortly")
    })
}
