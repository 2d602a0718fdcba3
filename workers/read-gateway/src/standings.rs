//! The Games-wide views: events list, medal tables, NOCs, athletes, schedule and live medals, all kept by
//! the one standings object.

use edge::Problem;
use worker::{Env, Request, Response, Stub};

use crate::bindings;

/// The name of the one standings object (see workers/event-do/src/standings.rs).
const GAMES: &str = "games";

fn stub(env: &Env) -> Result<Stub, Problem> {
    env.durable_object(bindings::STANDINGS)
        .and_then(|namespace| namespace.get_by_name(GAMES))
        .map_err(|err| {
            worker::console_error!("standings stub: {err}");
            Problem::internal()
        })
}

fn url(path: &str, req: &Request) -> Result<String, Problem> {
    let query = req
        .url()
        .map_err(|_| Problem::internal())?
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    Ok(format!(
        "{}/standings/{path}{query}",
        wire::internal::EVENT_ROOM_ORIGIN
    ))
}

/// Asks the standings object for `path` with the caller's query parameters, which it validates.
pub async fn ask(env: &Env, path: &str, req: &Request) -> Result<Response, Problem> {
    stub(env)?
        .fetch_with_str(&url(path, req)?)
        .await
        .map_err(|err| {
            worker::console_error!("standings failed: {err}");
            Problem::unavailable("the standings could not be reached; retry shortly")
        })
}

/// Asks the standings object for `path_and_query` as given (already validated by the caller).
pub async fn ask_path(env: &Env, path_and_query: &str) -> Result<Response, Problem> {
    let url = format!(
        "{}/standings/{path_and_query}",
        wire::internal::EVENT_ROOM_ORIGIN
    );
    stub(env)?.fetch_with_str(&url).await.map_err(|err| {
        worker::console_error!("standings failed: {err}");
        Problem::unavailable("the standings could not be reached; retry shortly")
    })
}

/// Hands a medal-table viewer's WebSocket upgrade to the standings object, or, when it is full, to one
/// of its relays.
pub async fn live(env: &Env, req: &Request) -> Result<Response, Problem> {
    crate::live::hand_over(
        env,
        req,
        stub(env)?,
        &format!("{}/standings/live", wire::internal::EVENT_ROOM_ORIGIN),
        wire::internal::MEDALS_RELAY_SOURCE,
    )
    .await
}
