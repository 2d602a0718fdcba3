//! The names this Worker knows its bindings and settings by; they must match wrangler/read-gateway.toml.

use edge::object::Objects;
use wire::api::Class;
use worker::Env;

/// The event Durable Objects (class `EventRoom` of `olympic-event-do`), read-only use.
pub const EVENT_ROOM: &str = "EVENT_ROOM";
/// Requests per client per ten seconds.
pub const VIEWER_RATE_LIMIT: &str = "VIEWER_RATE_LIMIT";
/// Secret: partners' URL-signing keys and the path prefix each is scoped to (JSON, see `partner_url.rs`).
pub const PARTNER_KEYS: &str = "PARTNER_KEYS";
/// Live sockets opened per client per minute.
pub const SOCKET_RATE_LIMIT: &str = "SOCKET_RATE_LIMIT";
/// Comma-separated origins allowed to read the API from a browser.
pub const ALLOWED_ORIGINS: &str = "ALLOWED_ORIGINS";
/// The standings object (class `Standings` of `olympic-event-do`): events list and medal table.
pub const STANDINGS: &str = "STANDINGS";
/// The relay objects (class `LiveRelay` of `olympic-event-do`) holding a busy event's extra viewers.
pub const LIVE_RELAY: &str = "LIVE_RELAY";
/// Optional: viewers per live object (a source, and each relay of its tree); default the sized 143,
/// at most 30,000 (`object_logic::relays`).
pub const LIVE_DIRECT_VIEWERS: &str = "LIVE_DIRECT_VIEWERS";
/// Optional: child relays per object of a live source's relay tree; default and maximum the sized 59.
pub const LIVE_RELAY_FANOUT: &str = "LIVE_RELAY_FANOUT";
/// The hot documents in KV: answered, marked stale, while their object fails.
pub const SNAPSHOTS: &str = "SNAPSHOTS";
/// The public bucket of hot documents, read where [`DOCS_FROM_BUCKET`] is `1`.
pub const PUBLIC_DOCS: &str = "PUBLIC_DOCS";
/// Optional: `1` to serve hot documents from the public bucket, as the CDN does in production (the local
/// stack sets it, so the site and tests read what the objects published).
pub const DOCS_FROM_BUCKET: &str = "DOCS_FROM_BUCKET";

/// Send only: the operators' read counts, one tally per isolate every few seconds (`traffic`).
pub const ANALYTICS_QUEUE: &str = "ANALYTICS_QUEUE";

/// The objects this Worker may call: all three classes, for reads and viewers only.
pub fn objects(env: &Env) -> Objects<'_> {
    Objects::new(env, |class| match class {
        Class::EventRoom => Some(EVENT_ROOM),
        Class::Standings => Some(STANDINGS),
        Class::LiveRelay => Some(LIVE_RELAY),
        Class::Analytics => None,
    })
}

#[cfg(test)]
mod tests {
    use invariants::Kind;

    #[test]
    fn every_binding_is_declared_in_the_config_and_every_declared_one_is_used() {
        let used = [
            (Kind::DurableObject, super::EVENT_ROOM),
            (Kind::DurableObject, super::STANDINGS),
            (Kind::DurableObject, super::LIVE_RELAY),
            (Kind::RateLimit, super::VIEWER_RATE_LIMIT),
            (Kind::RateLimit, super::SOCKET_RATE_LIMIT),
            (Kind::Secret, super::PARTNER_KEYS),
            (Kind::Var, super::ALLOWED_ORIGINS),
            (Kind::Var, super::LIVE_DIRECT_VIEWERS),
            (Kind::Var, super::LIVE_RELAY_FANOUT),
            (Kind::KvNamespace, super::SNAPSHOTS),
            (Kind::QueueProducer, super::ANALYTICS_QUEUE),
            (Kind::R2Bucket, super::PUBLIC_DOCS),
            (Kind::Var, super::DOCS_FROM_BUCKET),
        ];
        let checked = invariants::check(
            env!("CARGO_MANIFEST_DIR"),
            "read-gateway",
            &used,
            &[
                super::LIVE_DIRECT_VIEWERS,
                super::LIVE_RELAY_FANOUT,
                super::DOCS_FROM_BUCKET,
            ],
        );
        assert_eq!(checked, Ok(()));
    }
}
