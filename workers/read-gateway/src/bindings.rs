//! The names this Worker knows its bindings and settings by; they must match wrangler/read-gateway.toml.

/// The event Durable Objects (class `EventRoom` of `olympic-event-do`), read-only use.
pub const EVENT_ROOM: &str = "EVENT_ROOM";
/// Requests per client per ten seconds.
pub const VIEWER_RATE_LIMIT: &str = "VIEWER_RATE_LIMIT";
/// Comma-separated origins allowed to read the API from a browser.
pub const ALLOWED_ORIGINS: &str = "ALLOWED_ORIGINS";
/// The standings object (class `Standings` of `olympic-event-do`): events list and medal table.
pub const STANDINGS: &str = "STANDINGS";
/// The relay objects (class `LiveRelay` of `olympic-event-do`) holding a busy event's extra viewers.
pub const LIVE_RELAY: &str = "LIVE_RELAY";
/// Optional: direct viewers per event object before relays take over (default and maximum 30,000).
pub const LIVE_DIRECT_VIEWERS: &str = "LIVE_DIRECT_VIEWERS";
