//! The private hop from a gateway to a Durable Object. Durable Objects have no public route: only
//! Workers holding the binding can call them, so these headers are trusted on arrival.

/// The authenticated feed identity, set by the ingest gateway after verifying the Access JWT.
pub const FEED_HEADER: &str = "x-olympic-feed";
/// When the gateway accepted the request, in Unix milliseconds: one clock for the whole path.
pub const RECEIVED_AT_HEADER: &str = "x-olympic-received-at";
/// The read gateway's limit on an event object's direct viewers (it may only lower the default).
pub const DIRECT_LIMIT_HEADER: &str = "x-olympic-direct-viewers";
/// In a live source's 307 answer (an event object or the standings object when full): the relay shard
/// that takes the viewer instead.
pub const RELAY_SHARD_HEADER: &str = "x-olympic-relay-shard";
/// How many relay objects each live source has.
pub const RELAY_SHARDS: u32 = 16;
/// On a relay's 503: it is full (not unreachable), so the gateway may try the source's other relays.
pub const RELAY_FULL_HEADER: &str = "x-olympic-relay-full";
/// The relay source of the live medal table; every other source is an event code, which is upper case.
pub const MEDALS_RELAY_SOURCE: &str = "medals";

/// The name of the relay object serving one shard of a source's viewers (`source`: an event code or
/// [`MEDALS_RELAY_SOURCE`]).
pub fn relay_name(source: &str, shard: u32) -> String {
    format!("{source}#{shard}")
}

/// The host part of URLs sent to Durable Object stubs; never resolved, only parsed.
pub const EVENT_ROOM_ORIGIN: &str = "https://event-room.internal";
