//! Event pages, leaderboards and live sockets. The event object is the consistent source: live state is
//! read from it (through the edge cache), never from an eventually consistent store.

use domain::EventCode;
use edge::Problem;
use worker::{Env, Request, Response, Stub};

use crate::bindings;

pub async fn summary(env: &Env, event: &EventCode) -> Result<Response, Problem> {
    ask_event(env, event, "state", "").await
}

pub async fn leaderboard(env: &Env, event: &EventCode, req: &Request) -> Result<Response, Problem> {
    ask_event(env, event, "leaderboard", &query_of(req)?).await
}

/// Hands a viewer's WebSocket upgrade to the event object, which accepts it with the Hibernation API, or,
/// when the event object is full, sends it to one of its relay objects (the fan-out tier).
pub async fn live(env: &Env, event: &EventCode, req: &Request) -> Result<Response, Problem> {
    crate::live::hand_over(
        env,
        req,
        stub(env, event)?,
        &object_url(event, "live", ""),
        event.as_str(),
    )
    .await
}

/// The request's query string with its `?`, or nothing.
pub(crate) fn query_of(req: &Request) -> Result<String, Problem> {
    let url = req.url().map_err(|_| Problem::internal())?;
    Ok(url.query().map(|q| format!("?{q}")).unwrap_or_default())
}

fn object_url(event: &EventCode, action: &str, query: &str) -> String {
    format!(
        "{}/events/{}/{action}{query}",
        wire::internal::EVENT_ROOM_ORIGIN,
        event.as_str()
    )
}

fn stub(env: &Env, event: &EventCode) -> Result<Stub, Problem> {
    env.durable_object(bindings::EVENT_ROOM)
        .and_then(|namespace| namespace.get_by_name(event.as_str()))
        .map_err(|err| {
            worker::console_error!("event object stub: {err}");
            Problem::internal()
        })
}

fn unreachable(event: &EventCode) -> impl Fn(worker::Error) -> Problem + '_ {
    move |err| {
        worker::console_error!("event object {} failed: {err}", event.as_str());
        Problem::unavailable("the event could not be reached; retry shortly")
    }
}

async fn ask_event(
    env: &Env,
    event: &EventCode,
    action: &str,
    query: &str,
) -> Result<Response, Problem> {
    stub(env, event)?
        .fetch_with_str(&object_url(event, action, query))
        .await
        .map_err(unreachable(event))
}
