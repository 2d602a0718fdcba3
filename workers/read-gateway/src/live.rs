//! Handing a viewer's WebSocket upgrade to the object that owns the live data, or to one of its relays.
//!
//! The owner (an event object, or the standings object for the medal table) accepts the viewer itself
//! until it holds its limit of direct viewers; then it answers `307` naming a relay shard, and the viewer
//! is connected to that relay object instead (the fan-out tier, see `workers/event-do/src/relay.rs`).

use edge::Problem;
use worker::{Env, Headers, Request, RequestInit, Response, Stub};

use crate::bindings;

/// Connects the viewer of `req` to `owner` at `url` (its query is added), or to the relay of `source`
/// the owner names.
pub async fn hand_over(
    env: &Env,
    req: &Request,
    owner: Stub,
    url: &str,
    source: &str,
) -> Result<Response, Problem> {
    edge::websocket::require_upgrade(req)?;
    let query = crate::events::query_of(req)?;
    let direct_limit = env
        .var(bindings::LIVE_DIRECT_VIEWERS)
        .map(|v| v.to_string())
        .ok();
    let answer = owner
        .fetch_with_request(upgrade_request(
            &format!("{url}{query}"),
            direct_limit.as_deref(),
        )?)
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
    let first: u32 = shard.parse().map_err(|_| {
        worker::console_error!("{source} named a bad relay shard {shard:?}");
        Problem::internal()
    })?;
    let namespace = env.durable_object(bindings::LIVE_RELAY).map_err(|err| {
        worker::console_error!("relay binding: {err}");
        Problem::internal()
    })?;
    // The source names shards in turn, but viewers leave unevenly (and the turn restarts with the
    // source), so a full relay sends the viewer on to the next one; only when all are full is it refused.
    let mut refused = None;
    for step in 0..wire::internal::RELAY_SHARDS {
        let shard = (first + step) % wire::internal::RELAY_SHARDS;
        let url = format!(
            "{}/relays/{source}/{shard}/live{query}",
            wire::internal::EVENT_ROOM_ORIGIN
        );
        let answer = namespace
            .get_by_name(&wire::internal::relay_name(source, shard))
            .map_err(|err| {
                worker::console_error!("relay stub: {err}");
                Problem::internal()
            })?
            .fetch_with_request(upgrade_request(&url, direct_limit.as_deref())?)
            .await
            .map_err(unreachable(source))?;
        let full = answer.status_code() == 503
            && answer
                .headers()
                .has(wire::internal::RELAY_FULL_HEADER)
                .unwrap_or(false);
        if !full {
            return Ok(answer);
        }
        refused = Some(answer);
    }
    let Some(refused) = refused else {
        return Err(Problem::internal());
    };
    // The marker is between the relay and this gateway; the viewer gets the problem alone.
    let headers: Headers = refused.headers().entries().collect();
    headers
        .delete(wire::internal::RELAY_FULL_HEADER)
        .map_err(|_| Problem::internal())?;
    Ok(refused.with_headers(headers))
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
