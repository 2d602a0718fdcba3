//! The publishing half of the tier, the same for a source (an event object, the standings object's
//! medal table) and for a relay with children: the tier's settings on a viewer's upgrade, the `307` that
//! sends a viewer to a first-level relay, and publishing a message to children, all at once, learning
//! from each answer how full it is. A failed publication is sent again by the publisher's alarm a second
//! later, so no branch of the tree stays behind after the last change of a race.

use edge::object::CallError;
use edge::{OrInternal, Problem};
use object_logic::relays::{self, Tree};
use wire::api::relay::Published;
use wire::api::{
    DIRECT_LIMIT_HEADER, RELAY_FANOUT_HEADER, RELAY_SHARD_HEADER, RelayRequest, Source,
};
use worker::{Env, Request, Response, State};

use crate::bindings;

/// How long a publisher waits before sending its latest message again after a failure.
const RETRY_MS: u64 = 1_000;

/// The read gateway's settings on a viewer's upgrade: how many viewers each object holds, and the tree.
pub fn settings(req: &Request) -> (usize, Tree) {
    let header = |name: &str| req.headers().get(name).ok().flatten();
    (
        relays::direct_limit(header(DIRECT_LIMIT_HEADER).as_deref()),
        Tree::with_fanout(header(RELAY_FANOUT_HEADER).as_deref()),
    )
}

/// A full source's answer to a new viewer: `307` naming the first-level relay that takes it.
pub fn redirect(shard: u32) -> Result<Response, Problem> {
    let headers = worker::Headers::new();
    headers
        .set(RELAY_SHARD_HEADER, &shard.to_string())
        .or_internal("name the relay shard")?;
    Response::empty()
        .map(|r| r.with_status(307).with_headers(headers))
        .or_internal("build the 307")
}

/// A source or relay that can take no viewer and name no one who can (a source always has children;
/// a relay of the last level does not).
pub fn no_room() -> Problem {
    Problem::unavailable("every relay of this live source is full; retry shortly")
}

/// What came of one publication: each child's answer, and whether any could not be reached.
#[derive(Debug, Default)]
pub struct Delivery {
    pub answers: Vec<(u32, Published)>,
    pub failed: bool,
}

/// Hands a publication to each of `shards`, all at once: a relay keeps only newer versions, so the
/// order they arrive in does not matter.
pub async fn publish(env: &Env, source: &Source, shards: &[u32], text: &str) -> Delivery {
    let objects = bindings::objects(env);
    let sends = shards.iter().map(|&shard| {
        let objects = &objects;
        async move {
            let answer = objects
                .call(RelayRequest::publish(source.clone(), shard, text))
                .await;
            (shard, answer)
        }
    });
    let mut delivery = Delivery::default();
    for (shard, answer) in futures_util::future::join_all(sends).await {
        match answer {
            Ok(published) => delivery.answers.push((shard, published)),
            // A relay that refuses (a bad publication) would refuse it again: no retry.
            Err(CallError::Refused { .. }) => {}
            Err(err) => {
                tracing::warn!(shard, cause = %err, "live: publish to a relay failed");
                delivery.failed = true;
            }
        }
    }
    delivery
}

/// After a failed publication: the publisher's alarm sends its latest message again in a second.
pub async fn retry_soon(state: &State) {
    if let Err(err) = state
        .storage()
        .set_alarm(std::time::Duration::from_millis(RETRY_MS))
        .await
    {
        tracing::error!(cause = %err, "live: could not schedule a relay retry");
    }
}
