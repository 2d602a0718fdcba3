//! Handing a viewer's WebSocket upgrade to the object that owns the live data, or to a relay of its tree.
//!
//! The owner (an event object, or the standings object for the medal table) accepts the viewer itself
//! until it holds its limit of direct viewers; then it answers `307` naming a first-level relay, and the
//! viewer goes down the owner's relay tree (see `workers/event-do/src/relay/mod.rs`). A full relay answers
//! `503` marked `x-olympic-relay-full`, naming one of its children when it has some; the gateway follows
//! `object_logic::relays::Walk` (the named child, else the next relay of the same level) for at most a
//! few tries, and only then refuses the viewer.
//!
//! The gateway's two settings travel with every upgrade: `LIVE_DIRECT_VIEWERS` (viewers per object) and
//! `LIVE_RELAY_FANOUT` (children per object, only lower than sized), both optional. The tests lower them
//! so that a few dozen viewers make a two-level tree.

use edge::OrInternal;
use edge::Problem;
use object_logic::relays::{Tree, Walk};
use wire::api::{RELAY_FULL_HEADER, RELAY_SHARD_HEADER, RelayRequest, Source, Upgrade};
use worker::{Env, Headers, Response};

use crate::bindings;

const UNAVAILABLE: &str = "the live data could not be reached; retry shortly";

/// Connects a viewer of `source` (holding version `since`, if reconnecting) to the source's object, or
/// to a relay of its tree. `client` (an IPv4 address or IPv6 /64) lets each object cap one client's
/// sockets.
pub async fn hand_over(
    env: &Env,
    source: Source,
    since: Option<u64>,
    client: Option<String>,
) -> Result<Response, Problem> {
    let setting = |name: &str| env.var(name).ok().map(|v| v.to_string());
    let fanout_setting = setting(bindings::LIVE_RELAY_FANOUT);
    let tree = Tree::with_fanout(fanout_setting.as_deref());
    let upgrade = Upgrade {
        direct_limit: setting(bindings::LIVE_DIRECT_VIEWERS).and_then(|v| v.parse::<u32>().ok()),
        fanout: fanout_setting.map(|_| tree.fanout()),
        client,
    };
    let objects = bindings::objects(env);
    let answer = objects
        .relay(source.live(since).upgrading(upgrade.clone()))
        .await
        .map_err(|err| err.into_problem(UNAVAILABLE))?;
    if answer.status_code() != 307 {
        return Ok(answer);
    }
    let first = shard_named(&answer).filter(|shard| tree.level(*shard) == Some(1));
    let Some(mut walk) = first.and_then(|first| Walk::start(tree, first)) else {
        return Err(Problem::internal().because(format!(
            "{} named no first-level relay of {tree:?}",
            source.as_str()
        )));
    };
    loop {
        let call =
            RelayRequest::live(source.clone(), walk.current(), since).upgrading(upgrade.clone());
        let answer = objects
            .relay(call)
            .await
            .map_err(|err| err.into_problem(UNAVAILABLE))?;
        let full =
            answer.status_code() == 503 && answer.headers().has(RELAY_FULL_HEADER).unwrap_or(false);
        if !full {
            return Ok(answer);
        }
        if walk.next(shard_named(&answer)).is_none() {
            return refuse(answer);
        }
    }
}

/// The shard a source's `307` or a full relay's `503` names.
fn shard_named(answer: &Response) -> Option<u32> {
    answer
        .headers()
        .get(RELAY_SHARD_HEADER)
        .ok()
        .flatten()
        .and_then(|shard| shard.parse().ok())
}

/// The last full relay's problem, without the markers that are between the relays and this gateway.
fn refuse(answer: Response) -> Result<Response, Problem> {
    let headers: Headers = answer.headers().entries().collect();
    for marker in [RELAY_FULL_HEADER, RELAY_SHARD_HEADER] {
        headers
            .delete(marker)
            .or_internal("drop the relay markers")?;
    }
    Ok(answer.with_headers(headers))
}
