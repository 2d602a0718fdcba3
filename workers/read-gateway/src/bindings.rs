//! The names this Worker knows its bindings by; they must match wrangler/read-gateway.toml.

/// The event Durable Objects (class `EventRoom` of `olympic-event-do`), read-only use.
pub const EVENT_ROOM: &str = "EVENT_ROOM";
