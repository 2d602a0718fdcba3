//! The names this Worker knows its bindings by; they must match wrangler/event-do.toml.

use edge::object::Objects;
use object_logic::outbox::Destination;
use wire::api::Class;
use worker::Env;

/// Every applied change, for the archiver (R2).
pub const ARCHIVE_QUEUE: &str = "ARCHIVE_QUEUE";
/// Every applied change, for the analytics consumer (D1).
pub const ANALYTICS_QUEUE: &str = "ANALYTICS_QUEUE";
/// The archive bucket, written here only for change bodies too large for a Queue message.
pub const ARCHIVE: &str = "ARCHIVE";
/// The standings object (class `Standings`, one instance for the Games). Also an outbox destination.
pub const STANDINGS: &str = "STANDINGS";
/// The relay objects (class `LiveRelay`) that hold a share of a busy event's viewers.
pub const LIVE_RELAY: &str = "LIVE_RELAY";
/// The event objects, as relays reach them to register and fetch snapshots.
pub const EVENT_ROOM: &str = "EVENT_ROOM";
/// The public bucket of hot documents, which the CDN serves (written here, at most once a second a key).
pub const PUBLIC_DOCS: &str = "PUBLIC_DOCS";
/// The same documents in KV, which the read gateway answers from while their object fails.
pub const SNAPSHOTS: &str = "SNAPSHOTS";

/// The objects of this Worker, as its objects call one another.
pub fn objects(env: &Env) -> Objects<'_> {
    Objects::new(env, |class| match class {
        Class::EventRoom => Some(EVENT_ROOM),
        Class::Standings => Some(STANDINGS),
        Class::LiveRelay => Some(LIVE_RELAY),
        Class::Analytics => None,
    })
}

/// The Queue binding of an outbox destination, if it is a Queue (the standings object is called).
pub fn queue(destination: Destination) -> Option<&'static str> {
    match destination {
        Destination::Archive => Some(ARCHIVE_QUEUE),
        Destination::Analytics => Some(ANALYTICS_QUEUE),
        Destination::Standings => None,
    }
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
            (Kind::QueueProducer, super::ARCHIVE_QUEUE),
            (Kind::QueueProducer, super::ANALYTICS_QUEUE),
            (Kind::R2Bucket, super::ARCHIVE),
            (Kind::R2Bucket, super::PUBLIC_DOCS),
            (Kind::KvNamespace, super::SNAPSHOTS),
        ];
        let checked = invariants::check(env!("CARGO_MANIFEST_DIR"), "event-do", &used, &[]);
        assert_eq!(checked, Ok(()));
    }

    /// Only this Worker owns Durable Object classes: only its config migrates them, and every other
    /// config binds them from here by `script_name`.
    #[test]
    fn only_the_event_worker_declares_durable_object_migrations() {
        let configs = invariants::all(env!("CARGO_MANIFEST_DIR")).unwrap_or_default();
        assert_eq!(configs.len(), 5, "five Workers, five configs");
        for (worker, config) in &configs {
            let migrates = config.contains_key("migrations");
            assert_eq!(migrates, worker == "event-do", "{worker} migrations");
            let foreign = config
                .get("durable_objects")
                .and_then(|d| d.get("bindings"))
                .and_then(|b| b.as_array())
                .into_iter()
                .flatten()
                .filter(|b| b.get("script_name").is_some())
                .count();
            if worker == "event-do" {
                assert_eq!(foreign, 0, "the event Worker binds its own classes");
            }
        }
    }
}
