//! The names this Worker knows its bindings and settings by; they must match wrangler/ingest-gateway.toml.

use edge::object::Objects;
use wire::api::Class;
use worker::Env;

/// The event Durable Objects (class `EventRoom` of `olympic-event-do`).
pub const EVENT_ROOM: &str = "EVENT_ROOM";
/// The analytics Worker (service binding): the operators' reports and dead letters, and the refusals
/// this gateway reports.
pub const ANALYTICS: &str = "ANALYTICS";
/// The standings object (class `Standings` of `olympic-event-do`), for operators' rebuilds only.
pub const STANDINGS: &str = "STANDINGS";
/// `https://<team>.cloudflareaccess.com`: the only accepted `iss`.
pub const ACCESS_ISSUER: &str = "ACCESS_ISSUER";
/// The Access application's AUD tag: `aud` must contain it.
pub const ACCESS_AUD: &str = "ACCESS_AUD";
/// Where Access publishes its signing keys.
pub const ACCESS_CERTS_URL: &str = "ACCESS_CERTS_URL";
/// Secret: `feed-id=key,…` HMAC keys of the feeds that must sign their bodies.
pub const FEED_SIGNING_KEYS: &str = "FEED_SIGNING_KEYS";
/// The identities (`service:<client id>`, `user:<email>`) that may use `/v1/admin`, comma-separated.
pub const ADMIN_IDENTITIES: &str = "ADMIN_IDENTITIES";

/// The objects this Worker may call: event objects, and the standings for an operator's rebuild.
pub fn objects(env: &Env) -> Objects<'_> {
    Objects::new(env, |class| match class {
        Class::EventRoom => Some(EVENT_ROOM),
        Class::Standings => Some(STANDINGS),
        Class::LiveRelay => None,
        Class::Analytics => Some(ANALYTICS),
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
            (Kind::Service, super::ANALYTICS),
            (Kind::Var, super::ACCESS_ISSUER),
            (Kind::Var, super::ACCESS_AUD),
            (Kind::Var, super::ACCESS_CERTS_URL),
            (Kind::Var, super::ADMIN_IDENTITIES),
            (Kind::Secret, super::FEED_SIGNING_KEYS),
        ];
        let checked = invariants::check(env!("CARGO_MANIFEST_DIR"), "ingest-gateway", &used, &[]);
        assert_eq!(checked, Ok(()));
    }
}
