//! Handing a viewer's WebSocket upgrade to the object that owns the live data, or to one of its relays.
//!
//! The owner (an event object, or the standings object for the medal table) accepts the viewer itself
//! until it holds its limit of direct viewers; then it answers `307` naming a relay shard, and the viewer
//! is connected to that relay object instead (the fan-out tier, see `workers/event-do/src/relay.rs`).

use edge::OrInternal;
use edge::Problem;
use wire::api::{RELAY_FULL_HEADER, RELAY_SHARD_HEADER, RELAY_SHARDS, RelayRequest, Source};
use worker::{Env, Headers, Response};

use crate::bindings;

const UNAVAILABLE: &str = "the live data could not be reached; retry shortly";

/// Connects a viewer of `source` (holding version `since`, if reconnecting) to the source's object, or
/// to the relay it names. `client` (an IPv4 address or IPv6 /64) lets the source cap one client's sockets.
pub async fn hand_over(
    env: &Env,
    source: Source,
    since: Option<u64>,
    client: Option<String>,
) -> Result<Response, Problem> {
    let direct_limit = env
        .var(bindings::LIVE_DIRECT_VIEWERS)
        .ok()
        .and_then(|v| v.to_string().parse::<u32>().ok());
    let objects = bindings::objects(env);
    let answer = objects
        .relay(
            source
                .live(since)
                .upgrading(direct_limit)
                .for_client(client.clone()),
        )
        .await
        .map_err(|err| err.into_problem(UNAVAILABLE))?;
    let Some(shard) = answer
        .headers()
        .get(RELAY_SHARD_HEADER)
        .ok()
        .flatten()
        .filter(|_| answer.status_code() == 307)
    else {
        return Ok(answer);
    };
    let first: u32 = shard.parse().map_err(|_| {
        Problem::internal().because(format!(
            "{} named a bad relay shard {shard:?}",
            source.as_str()
        ))
    })?;
    // The source names shards in turn, but viewers leave unevenly (and the turn restarts with the
    // source), so a full relay sends the viewer on to the next one; only when all are full is it refused.
    let mut refused = None;
    for step in 0..RELAY_SHARDS {
        let shard = (first + step) % RELAY_SHARDS;
        let call = RelayRequest::live(source.clone(), shard, since)
            .upgrading(direct_limit)
            .for_client(client.clone());
        let answer = objects
            .relay(call)
            .await
            .map_err(|err| err.into_problem(UNAVAILABLE))?;
        let full =
            answer.status_code() == 503 && answer.headers().has(RELAY_FULL_HEADER).unwrap_or(false);
        if !full {
            return Ok(answer);
        }
        refused = Some(answer);
    }
    let Some(refused) = refused else {
        return Err(Problem::internal().because("no relay shard was tried"));
    };
    // The marker is between the relay and this gateway; the viewer gets the problem alone.
    let headers: Headers = refused.headers().entries().collect();
    headers
        .delete(RELAY_FULL_HEADER)
        .or_internal("drop the relay-full marker")?;
    Ok(refused.with_headers(headers))
}
