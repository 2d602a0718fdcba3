//! Which events exist, before any event object is asked: a read, a live socket or a relay hand-over for
//! an event that was never defined answers 404 here and wakes (and bills) no object. An event object
//! lists its event in the snapshots namespace when it is defined (`wire::docs::catalogue_key`).
//!
//! Events are never undefined, so a code found once is remembered for the isolate's life; a code not
//! found is looked up again on the next request. In production a Workers KV miss can be cached at a
//! data centre for up to a minute, so a page read in the minute before its event is defined may go on
//! answering 404 for that minute (docs/SECURITY.md).

use std::cell::RefCell;
use std::collections::HashSet;

use edge::Problem;
use worker::Env;

use crate::bindings;

/// Codes remembered per isolate: every event of the Games fits many times over.
const REMEMBERED: usize = 4096;

thread_local! {
    static KNOWN: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// `Ok` when `code` names a defined event; a 404 problem (as the object would answer) otherwise.
pub async fn require_event(env: &Env, code: &str) -> Result<(), Problem> {
    if KNOWN.with(|known| known.borrow().contains(code)) {
        return Ok(());
    }
    let snapshots = env
        .kv(bindings::SNAPSHOTS)
        .map_err(|err| Problem::internal().because(format!("snapshots binding: {err}")))?;
    let has = |key: String| {
        let get = snapshots.get(&key);
        async move {
            get.text().await.map(|v| v.is_some()).map_err(|err| {
                Problem::unavailable("the event catalogue could not be read; retry shortly")
                    .because(err)
            })
        }
    };
    // Events defined before the catalogue existed are known by their published summary.
    let listed =
        has(wire::docs::catalogue_key(code)).await? || has(format!("v1/events/{code}")).await?;
    if !listed {
        return Err(unknown_event(code));
    }
    KNOWN.with(|known| {
        let mut known = known.borrow_mut();
        if known.len() < REMEMBERED {
            known.insert(code.to_owned());
        }
    });
    Ok(())
}

/// The same problem the event object answers for an event it does not hold.
fn unknown_event(code: &str) -> Problem {
    Problem::new(404, "unknown-event", "Unknown event")
        .detail(format!("event {code} has no definition yet"))
        .field("event")
}
