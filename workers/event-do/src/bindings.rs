//! The names this Worker knows its bindings by; they must match wrangler/event-do.toml.

/// Every applied change, for the archiver (R2).
pub const ARCHIVE_QUEUE: &str = "ARCHIVE_QUEUE";
/// Every applied change, for the analytics consumer (D1).
pub const ANALYTICS_QUEUE: &str = "ANALYTICS_QUEUE";
