//! Fixtures and token builders for the tests. The keys are test-only (see tests/fixtures/README.md).

use jwt_simple::prelude::{JWTClaims, RS256KeyPair, RSAKeyPairLike};
use jwt_simple::reexports::ct_codecs::{Base64UrlSafeNoPadding, Encoder};
use serde_json::{Value, json};

use crate::policy::AccessPolicy;

pub(crate) const JWKS_JSON: &str = include_str!("../tests/fixtures/jwks.json");
pub(crate) const JWKS_MIXED_JSON: &str = include_str!("../tests/fixtures/jwks-mixed.json");
pub(crate) const KEY_1_PEM: &str = include_str!("../tests/fixtures/test-key-1.pem");
pub(crate) const KEY_2_PEM: &str = include_str!("../tests/fixtures/test-key-2.pem");

pub(crate) const TEAM: &str = "https://olympics-test.cloudflareaccess.com";
pub(crate) const AUD: &str = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";
pub(crate) const NOW: u64 = 1_722_000_000;
pub(crate) const LEEWAY: u64 = 60;
pub(crate) const SERVICE_CLIENT_ID: &str = "88bf3b6d86161464f6509f7219099e57.access";
pub(crate) const USER_EMAIL: &str = "timing@olympics.example";
pub(crate) const USER_ID: &str = "0f6b2ac4-1b5e-5d8a-9b1e-6a3c1f2e4d5c";

/// The `n`th key (1-based) of `jwks.json`, as JSON to edit.
pub(crate) fn jwk(n: usize) -> Value {
    let document: Value = serde_json::from_str(JWKS_JSON).unwrap();
    document["keys"][n - 1].clone()
}

pub(crate) fn policy() -> AccessPolicy {
    AccessPolicy {
        issuer: TEAM.into(),
        audience: AUD.into(),
        leeway_seconds: LEEWAY,
        revoked_key_ids: Vec::new(),
    }
}

/// Claims shaped like the ones Access forwards for a service token: empty `sub`, client id in `common_name`.
pub(crate) fn service_claims() -> Value {
    json!({
        "type": "app",
        "aud": [AUD],
        "exp": NOW + 86_400,
        "iat": NOW - 10,
        "nbf": NOW - 10,
        "iss": TEAM,
        "common_name": SERVICE_CLIENT_ID,
        "sub": "",
        "identity_nonce": "",
    })
}

/// Claims shaped like the ones Access forwards for a person who logged in through an identity provider.
pub(crate) fn user_claims() -> Value {
    json!({
        "type": "app",
        "aud": [AUD],
        "email": USER_EMAIL,
        "exp": NOW + 86_400,
        "iat": NOW - 10,
        "nbf": NOW - 10,
        "iss": TEAM,
        "sub": USER_ID,
        "identity_nonce": "6ei69kawdKzMIAPF",
        "country": "FR",
    })
}

/// `claims` with `name` set to `value`, or removed when `value` is null.
pub(crate) fn with(mut claims: Value, name: &str, value: Value) -> Value {
    let object = claims.as_object_mut().unwrap();
    if value.is_null() {
        object.remove(name);
    } else {
        object.insert(name.to_owned(), value);
    }
    claims
}

/// RS256-signs exactly `claims` (no claim is added) with a fixture key, labelled with `kid` if any.
pub(crate) fn sign(key_pem: &str, kid: Option<&str>, claims: Value) -> String {
    let mut key = RS256KeyPair::from_pem(key_pem).unwrap();
    if let Some(kid) = kid {
        key = key.with_key_id(kid);
    }
    key.sign(exact_claims(claims)).unwrap()
}

/// Signs with key 1 as `test-key-1`, the usual valid case.
pub(crate) fn token(claims: Value) -> String {
    sign(KEY_1_PEM, Some("test-key-1"), claims)
}

/// jwt-simple's claims with every standard field empty, so the payload is exactly `claims`.
pub(crate) fn exact_claims(claims: Value) -> JWTClaims<Value> {
    JWTClaims {
        issued_at: None,
        expires_at: None,
        invalid_before: None,
        issuer: None,
        subject: None,
        audiences: None,
        jwt_id: None,
        nonce: None,
        custom: claims,
    }
}

/// A token assembled by hand, for headers no honest signer would produce.
pub(crate) fn unsigned(header: Value, claims: Value, signature: &str) -> String {
    format!(
        "{}.{}.{signature}",
        base64url(header.to_string().as_bytes()),
        base64url(claims.to_string().as_bytes())
    )
}

pub(crate) fn base64url(bytes: &[u8]) -> String {
    Base64UrlSafeNoPadding::encode_to_string(bytes).unwrap()
}
