//! The public catalogue of events: one key per defined event in the snapshots namespace
//! (`wire::docs::catalogue_key`). The read gateway reads it to answer 404 for an event that was never
//! defined without waking (and billing) an event object for it.

use worker::Env;

use crate::bindings;

/// Lists `code` as defined. Idempotent.
pub async fn enlist(env: &Env, code: &str) -> Result<(), String> {
    let key = wire::docs::catalogue_key(code);
    env.kv(bindings::SNAPSHOTS)
        .map_err(|e| format!("snapshots namespace: {e}"))?
        .put(&key, "1")
        .map_err(|e| format!("put {key}: {e}"))?
        .execute()
        .await
        .map_err(|e| format!("put {key}: {e}"))
}
