//! Handing a viewer's WebSocket upgrade to the object that owns the live data, or to one of its relays.
//!
//! The owner (an event object, or the standings object for the medal table) accepts the viewer itself
//! until it holds its limit of direct viewers; then it answers `307` naming a relay shard, and the viewer
//! is connected to that relay object instead (the fan-out tier, see `workers/event-do/src/relay.rs`).

use edge::Problem;
use worker::{Env, Headers, Request, RequestInit, Response, Stub};

use crate::bindings;

/// Connects the viewer to `owner` at `url`, or to the relay of `source` it names.
pub async fn hand_over(
    env: &Env,
    owner: Stub,
    url: &str,
    source: &str,
    query: &str,
) -> Result<Response, Problem> {
    let direct_limit = env
        .var(bindings::LIVE_DIRECT_VIEWERS)
        .map(|v| v.to_string())
        .ok();
    let answer = owner
        .fetch_with_request(upgrade_request(url, direct_limit.as_deref())?)
        .await
        .map_err(unreachable(source))?;
    let Some(shard) = answer
        .headers()
        .get(wire::internal::RELAY_SHARD_HEADER)
        .ok()
        .flatten()
        .filter(|_| answer.status_code() == 307)
    else {
        return Ok(answer);
    };
    let shard: u32 = shard.parse().map_err(|_| {
        worker::console_error!("{source} named a bad relay shard {shard:?}");
        Problem::internal()
    })?;
    let relay = env
        .durable_object(bindings::LIVE_RELAY)
        .and_then(|namespace| namespace.get_by_name(&wire::internal::relay_name(source, shard)))
        .map_err(|err| {
            worker::console_error!("relay stub: {err}");
            Problem::internal()
        })?;
    let url = format!(
        "{}/relays/{source}/{shard}/live{query}",
        wire::internal::EVENT_ROOM_ORIGIN
    );
    relay
        .fetch_with_request(upgrade_request(&url, direct_limit.as_deref())?)
        .await
        .map_err(unreachable(source))
}

fn upgrade_request(url: &str, direct_limit: Option<&str>) -> Result<Request, Problem> {
    let headers = Headers::new();
    headers
        .set("upgrade", "websocket")
        .map_err(|_| Problem::internal())?;
    if let Some(limit) = direct_limit {
        headers
            .set(wire::internal::DIRECT_LIMIT_HEADER, limit)
            .map_err(|_| Problem::internal())?;
    }
    let mut init = RequestInit::new();
    init.with_headers(headers);
    Request::new_with_init(url, &init).map_err(|_| Problem::internal())
}

fn unreachable(source: &str) -> impl Fn(worker::Error) -> Problem + '_ {
    move |err| {
        worker::console_error!("live source {source} failed: {err}");
        Problem::unavailable("the live data could not be reached; retry shortly")
    }
}
