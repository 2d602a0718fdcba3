//! The private hop from a gateway to a Durable Object. Durable Objects have no public route: only
//! Workers holding the binding can call them, so these headers are trusted on arrival.

/// The authenticated feed identity, set by the ingest gateway after verifying the Access JWT.
pub const FEED_HEADER: &str = "x-olympic-feed";
/// When the gateway accepted the request, in Unix milliseconds: one clock for the whole path.
pub const RECEIVED_AT_HEADER: &str = "x-olympic-received-at";
/// The last event version a reconnecting viewer holds.
pub const SINCE_VERSION_PARAM: &str = "since";

/// The host part of URLs sent to Durable Object stubs; never resolved, only parsed.
pub const EVENT_ROOM_ORIGIN: &str = "https://event-room.internal";
