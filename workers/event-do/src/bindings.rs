//! The names this Worker knows its bindings by; they must match wrangler/event-do.toml.

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
