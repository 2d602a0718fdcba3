//! The names this Worker knows its bindings and settings by; they must match wrangler/ingest-gateway.toml.

/// The event Durable Objects (class `EventRoom` of `olympic-event-do`).
pub const EVENT_ROOM: &str = "EVENT_ROOM";
/// `https://<team>.cloudflareaccess.com`: the only accepted `iss`.
pub const ACCESS_ISSUER: &str = "ACCESS_ISSUER";
/// The Access application's AUD tag: `aud` must contain it.
pub const ACCESS_AUD: &str = "ACCESS_AUD";
/// Where Access publishes its signing keys.
pub const ACCESS_CERTS_URL: &str = "ACCESS_CERTS_URL";
/// Secret: `feed-id=key,…` HMAC keys of the feeds that must sign their bodies.
pub const FEED_SIGNING_KEYS: &str = "FEED_SIGNING_KEYS";
