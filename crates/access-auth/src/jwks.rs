//! The team's RS256 signing keys, parsed from Access's certs document and looked up by `kid`.

use std::collections::BTreeMap;

use jwt_simple::prelude::RS256PublicKey;
use jwt_simple::reexports::ct_codecs::{Base64UrlSafeNoPadding, Decoder};
use serde::Deserialize;

use crate::error::AuthError;

/// Access signs with 2048-bit keys; anything weaker is refused outright.
const MIN_MODULUS_BYTES: usize = 2048 / 8;
/// The RSA backend refuses larger keys too; checking here gives the error a clear reason.
const MAX_MODULUS_BYTES: usize = 4096 / 8;

/// RSA public keys by `kid`, from `https://<team>.cloudflareaccess.com/cdn-cgi/access/certs`.
///
/// Holds every usable RS256 signing key of the document (Access lists the current and the previous one).
#[derive(Debug, Clone)]
pub struct Jwks {
    keys: BTreeMap<String, RS256PublicKey>,
}

/// Only `keys` matters; `public_cert` and `public_certs` carry the same keys as PEM certificates.
#[derive(Deserialize)]
struct CertsDocument {
    keys: Vec<serde_json::Value>,
}

impl Jwks {
    /// Parses Access's certs document.
    ///
    /// Keys that are not RS256 signing keys (other `kty`, `use` other than `sig`, another `alg`) and keys
    /// without a `kid` are skipped, since no Access token can name them. A key that claims to be an RS256
    /// signing key but cannot be used, a repeated `kid`, or a document with no usable key at all is an
    /// error: the caller should keep its previous key set rather than cache a broken one.
    pub fn from_json(json: &str) -> Result<Jwks, AuthError> {
        let document: CertsDocument = serde_json::from_str(json)
            .map_err(|error| AuthError::BadJwks(format!("not a certs document: {error}")))?;
        let mut keys = BTreeMap::new();
        for jwk in &document.keys {
            let Some(kid) = rs256_signing_key_id(jwk) else {
                continue;
            };
            let key = rs256_public_key(jwk)
                .map_err(|reason| AuthError::BadJwks(format!("key {kid:?}: {reason}")))?;
            if keys.insert(kid.to_owned(), key).is_some() {
                return Err(AuthError::BadJwks(format!("key id {kid:?} appears twice")));
            }
        }
        if keys.is_empty() {
            return Err(AuthError::BadJwks("no RS256 signing key with a kid".into()));
        }
        Ok(Jwks { keys })
    }

    /// How many keys are held.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no key is held; never true for a set built by [`Jwks::from_json`].
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Whether a token naming `kid` can be checked with this set, or the caller should refetch it.
    pub fn contains(&self, kid: &str) -> bool {
        self.keys.contains_key(kid)
    }

    /// The key ids held, in order, for logs around key rotation.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    pub(crate) fn get(&self, kid: &str) -> Option<&RS256PublicKey> {
        self.keys.get(kid)
    }
}

/// The `kid` of a JWK that an RS256 token could name, or `None` for keys to skip.
fn rs256_signing_key_id(jwk: &serde_json::Value) -> Option<&str> {
    let field = |name: &str| jwk.get(name).and_then(serde_json::Value::as_str);
    let is_rsa = field("kty") == Some("RSA");
    let is_for_signing = jwk.get("use").is_none() || field("use") == Some("sig");
    let is_rs256 = jwk.get("alg").is_none() || field("alg") == Some("RS256");
    let kid = field("kid").filter(|kid| !kid.is_empty());
    kid.filter(|_| is_rsa && is_for_signing && is_rs256)
}

fn rs256_public_key(jwk: &serde_json::Value) -> Result<RS256PublicKey, String> {
    let modulus = decode_component(jwk, "n")?;
    let exponent = decode_component(jwk, "e")?;
    let significant_modulus_bytes = modulus.iter().skip_while(|byte| **byte == 0).count();
    if !(MIN_MODULUS_BYTES..=MAX_MODULUS_BYTES).contains(&significant_modulus_bytes) {
        return Err(format!(
            "modulus is {} bits; expected 2048 to 4096",
            significant_modulus_bytes * 8
        ));
    }
    RS256PublicKey::from_components(&modulus, &exponent)
        .map_err(|error| format!("not an RSA public key: {error}"))
}

fn decode_component(jwk: &serde_json::Value, name: &str) -> Result<Vec<u8>, String> {
    let encoded = jwk
        .get(name)
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| format!("{name} is missing"))?;
    // Some publishers pad base64url; the padding carries no information, so tolerate it.
    let unpadded = encoded.trim_end_matches('=');
    let decoded = Base64UrlSafeNoPadding::decode_to_vec(unpadded, None)
        .map_err(|_| format!("{name} is not base64url"))?;
    if decoded.is_empty() {
        return Err(format!("{name} is empty"));
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use serde_json::json;

    use super::Jwks;
    use crate::error::AuthError;
    use crate::test_support::{JWKS_JSON, JWKS_MIXED_JSON, base64url, jwk};

    fn bad_jwks(json: &str) -> String {
        match Jwks::from_json(json) {
            Err(AuthError::BadJwks(reason)) => reason,
            other => panic!("expected BadJwks for {json}, got {other:?}"),
        }
    }

    #[test]
    fn parses_the_access_certs_document() {
        let jwks = Jwks::from_json(JWKS_JSON).unwrap();
        assert_eq!(jwks.len(), 2);
        assert!(!jwks.is_empty());
        assert!(jwks.contains("test-key-1"));
        assert!(jwks.contains("test-key-2"));
        assert!(!jwks.contains("test-key-3"));
        assert!(!jwks.contains(""));
        assert_eq!(
            jwks.key_ids().collect::<Vec<_>>(),
            ["test-key-1", "test-key-2"]
        );
    }

    #[test]
    fn skips_keys_no_rs256_token_can_name() {
        let jwks = Jwks::from_json(JWKS_MIXED_JSON).unwrap();
        assert_eq!(jwks.key_ids().collect::<Vec<_>>(), ["test-key-1"]);
    }

    #[test]
    fn use_and_alg_may_be_absent() {
        let mut key = jwk(1);
        key.as_object_mut().unwrap().remove("use");
        key.as_object_mut().unwrap().remove("alg");
        let jwks = Jwks::from_json(&json!({ "keys": [key] }).to_string()).unwrap();
        assert!(jwks.contains("test-key-1"));
    }

    #[test]
    fn padded_components_are_tolerated() {
        let mut key = jwk(1);
        let n = format!("{}==", key["n"].as_str().unwrap());
        key["n"] = json!(n);
        let jwks = Jwks::from_json(&json!({ "keys": [key] }).to_string()).unwrap();
        assert!(jwks.contains("test-key-1"));
    }

    #[test]
    fn refuses_documents_that_are_not_certs_documents() {
        for json in [
            "",
            "not json",
            "[]",
            "{}",
            r#"{"keys":{}}"#,
            r#"{"keys":null}"#,
            "null",
        ] {
            bad_jwks(json);
        }
    }

    #[test]
    fn refuses_a_document_without_usable_keys() {
        bad_jwks(r#"{"keys":[]}"#);
        bad_jwks(
            r#"{"keys":[{"kty":"EC","kid":"ec","crv":"P-256","x":"AA","y":"AA"}, 7, null, "x"]}"#,
        );
    }

    #[test]
    fn refuses_broken_rs256_keys_instead_of_skipping_them() {
        let mut short = jwk(1);
        short["n"] = json!("AQAB");
        assert!(bad_jwks(&json!({ "keys": [short] }).to_string()).contains("modulus"));

        let mut oversized = jwk(1);
        oversized["n"] = json!(base64url(&[0xff; 4096 / 8 + 1]));
        assert!(bad_jwks(&json!({ "keys": [oversized] }).to_string()).contains("modulus"));

        let mut not_base64 = jwk(1);
        not_base64["n"] = json!("not base64url!");
        bad_jwks(&json!({ "keys": [not_base64] }).to_string());

        let mut missing_exponent = jwk(1);
        missing_exponent.as_object_mut().unwrap().remove("e");
        bad_jwks(&json!({ "keys": [missing_exponent] }).to_string());

        let mut empty_exponent = jwk(1);
        empty_exponent["e"] = json!("");
        bad_jwks(&json!({ "keys": [empty_exponent] }).to_string());

        let mut numeric_modulus = jwk(1);
        numeric_modulus["n"] = json!(12345);
        bad_jwks(&json!({ "keys": [numeric_modulus] }).to_string());
    }

    #[test]
    fn refuses_a_repeated_key_id() {
        let reason = bad_jwks(&json!({ "keys": [jwk(1), jwk(1)] }).to_string());
        assert!(reason.contains("twice"), "{reason}");
    }
}
