//! The names this Worker knows its bindings by; they must match wrangler/event-do.toml.

/// Every applied change, for the archiver (R2).
pub const ARCHIVE_QUEUE: &str = "ARCHIVE_QUEUE";
/// Every applied change, for the analytics consumer (D1).
pub const ANALYTICS_QUEUE: &str = "ANALYTICS_QUEUE";
/// The archive bucket, written here only for change bodies too large for a Queue message.
pub const ARCHIVE: &str = "ARCHIVE";
/// The standings object (class `Standings`, one instance for the Games). Also an outbox destination.
pub const STANDINGS: &str = "STANDINGS";
