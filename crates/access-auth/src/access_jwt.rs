//! Verifies a Cloudflare Access JWT: RS256 only, key chosen by `kid`, then time, issuer and audience.

use jwt_simple::JWTError;
use jwt_simple::prelude::{
    Duration, NoCustomClaims, RS256PublicKey, RSAPublicKeyLike, UnixTimeStamp, VerificationOptions,
};

use crate::error::AuthError;
use crate::identity::AccessIdentity;
use crate::jwks::Jwks;
use crate::policy::AccessPolicy;
use crate::token_parts::{self, Claims, Header, MAX_TOKEN_BYTES};

/// The only algorithm Access uses. Anything else is refused before a key is looked up, which rules out
/// `alg: none` and the HS256 key-confusion attack (an HMAC keyed with the public RSA key).
const ACCEPTED_ALGORITHM: &str = "RS256";

/// Reads the `kid` from a token's header without verifying anything.
///
/// Lets the caller refetch the certs document once when a token names a key it does not hold yet:
/// Access rotates keys every six weeks. The result must not be trusted for anything else.
pub fn token_key_id(token: &str) -> Result<String, AuthError> {
    let parts = token_parts::split(token)?;
    let header = Header::decode(parts.header)?;
    header.key_id().map(str::to_owned)
}

/// Verifies the `Cf-Access-Jwt-Assertion` token and returns who it speaks for.
///
/// Checks, in order: size and shape; `alg` is RS256; `kid` is present, not revoked and in `jwks`; the signature;
/// `exp` is present and not past; `nbf` and `iat` (when present) are not in the future; `iss` is the
/// policy's team; `aud` contains the policy's AUD tag; the token names a service token, user or subject.
/// Every time comparison forgives `policy.leeway_seconds` and uses `now_unix` (unix seconds): this
/// function never reads a clock.
pub fn verify_access_jwt(
    token: &str,
    jwks: &Jwks,
    policy: &AccessPolicy,
    now_unix: u64,
) -> Result<AccessIdentity, AuthError> {
    let parts = token_parts::split(token)?;
    let header = Header::decode(parts.header)?;
    if header.algorithm() != ACCEPTED_ALGORITHM {
        return Err(AuthError::UnsupportedAlgorithm(
            header.algorithm().to_owned(),
        ));
    }
    let key_id = header.key_id()?;
    if policy.revokes(key_id) {
        return Err(AuthError::RevokedKeyId(key_id.to_owned()));
    }
    let key = jwks
        .get(key_id)
        .ok_or_else(|| AuthError::UnknownKeyId(key_id.to_owned()))?;
    verify_signature(token, key, key_id, policy.leeway_seconds, now_unix)?;

    let claims = Claims::decode(parts.claims)?;
    let expires_at = check_times(&claims, policy.leeway_seconds, now_unix)?;
    if !claims
        .iss
        .as_deref()
        .is_some_and(|issuer| policy.accepts_issuer(issuer))
    {
        return Err(AuthError::WrongIssuer);
    }
    if !claims
        .aud
        .as_ref()
        .is_some_and(|audience| policy.accepts_audience(audience.iter()))
    {
        return Err(AuthError::WrongAudience);
    }
    identity(claims, key_id, expires_at)
}

/// Checks the RS256 signature with jwt-simple.
///
/// jwt-simple also checks `exp`, so it is handed the caller's clock (its own clock is not available on
/// wasm32-unknown-unknown) with the same leeway; it would otherwise check `iat` and `nbf` too, but those
/// are checked in [`check_times`] with exact integer arithmetic, so `accept_future` turns its versions
/// off. Its timestamps are 32.32 fixed point that saturate after 2106, so `now` is clamped to that range
/// and the leeway to `now`, which keeps its unchecked `now - leeway` from underflowing.
fn verify_signature(
    token: &str,
    key: &RS256PublicKey,
    key_id: &str,
    leeway_seconds: u64,
    now_unix: u64,
) -> Result<(), AuthError> {
    let now = now_unix.min(u64::from(u32::MAX));
    let options = VerificationOptions {
        accept_future: true,
        required_key_id: Some(key_id.to_owned()),
        time_tolerance: Some(Duration::from_secs(leeway_seconds.min(now))),
        max_token_length: Some(MAX_TOKEN_BYTES),
        artificial_time: Some(UnixTimeStamp::from_secs(now)),
        ..VerificationOptions::default()
    };
    match key.verify_token::<NoCustomClaims>(token, Some(options)) {
        Ok(_) => Ok(()),
        Err(error) => Err(match error.downcast_ref::<JWTError>() {
            Some(JWTError::InvalidSignature) => AuthError::BadSignature,
            Some(JWTError::TokenHasExpired) => AuthError::Expired,
            // Anything else (bad signature encoding, `crit`, a non-JWT `typ`, claims jwt-simple cannot
            // parse) means the token is not one Access would send.
            _ => AuthError::Malformed(format!("rejected by the JWT verifier: {error}")),
        }),
    }
}

/// Checks `exp`, `nbf` and `iat` against `now_unix`, each with the leeway; returns `exp`.
fn check_times(claims: &Claims, leeway_seconds: u64, now_unix: u64) -> Result<u64, AuthError> {
    let expires_at = claims.exp.ok_or(AuthError::MissingExpiry)?;
    // Saturating: a far-future `exp` plus leeway must not wrap into the past.
    if now_unix > expires_at.saturating_add(leeway_seconds) {
        return Err(AuthError::Expired);
    }
    let latest_acceptable_start = now_unix.saturating_add(leeway_seconds);
    if claims
        .nbf
        .is_some_and(|not_before| not_before > latest_acceptable_start)
    {
        return Err(AuthError::NotYetValid);
    }
    if claims
        .iat
        .is_some_and(|issued_at| issued_at > latest_acceptable_start)
    {
        return Err(AuthError::IssuedInFuture);
    }
    Ok(expires_at)
}

fn identity(claims: Claims, key_id: &str, expires_at: u64) -> Result<AccessIdentity, AuthError> {
    // Access sends `"sub": ""` for service tokens; an empty value identifies nobody.
    let non_empty = |value: Option<String>| value.filter(|value| !value.is_empty());
    let identity = AccessIdentity {
        subject: non_empty(claims.sub),
        email: non_empty(claims.email),
        common_name: non_empty(claims.common_name),
        key_id: key_id.to_owned(),
        expires_at,
    };
    if identity.subject.is_none() && identity.email.is_none() && identity.common_name.is_none() {
        return Err(AuthError::MissingSubject);
    }
    Ok(identity)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use jwt_simple::prelude::{
        HS256Key, MACLike, PS256KeyPair, RS256KeyPair, RS384KeyPair, RS512KeyPair, RSAKeyPairLike,
    };
    use jwt_simple::reexports::ct_codecs::{Base64UrlSafeNoPadding, Decoder};
    use serde_json::{Value, json};

    use super::{token_key_id, verify_access_jwt};
    use crate::error::AuthError;
    use crate::identity::AccessIdentity;
    use crate::jwks::Jwks;
    use crate::policy::AccessPolicy;
    use crate::test_support::{
        AUD, JWKS_JSON, KEY_1_PEM, KEY_2_PEM, LEEWAY, NOW, SERVICE_CLIENT_ID, TEAM, USER_EMAIL,
        USER_ID, base64url, exact_claims, policy, service_claims, sign, token, unsigned,
        user_claims, with,
    };

    fn jwks() -> Jwks {
        Jwks::from_json(JWKS_JSON).unwrap()
    }

    fn verify_at(
        token: &str,
        policy: &AccessPolicy,
        now: u64,
    ) -> Result<AccessIdentity, AuthError> {
        verify_access_jwt(token, &jwks(), policy, now)
    }

    /// Verifies `token` at `now` under the usual policy; `Ok` carries the expected feed id.
    fn check(token: &str, now: u64, expected: Result<&str, AuthError>) {
        let result = verify_at(token, &policy(), now).map(|identity| identity.feed_id());
        assert_eq!(result.as_deref().map_err(Clone::clone), expected);
    }

    fn check_claims(claims: Value, expected: Result<&str, AuthError>) {
        check(&token(claims), NOW, expected);
    }

    const SERVICE_FEED: Result<&str, AuthError> =
        Ok("service:88bf3b6d86161464f6509f7219099e57.access");

    #[test]
    fn service_token_yields_its_client_id() {
        let identity = verify_at(&token(service_claims()), &policy(), NOW).unwrap();
        assert_eq!(
            identity,
            AccessIdentity {
                subject: None,
                email: None,
                common_name: Some(SERVICE_CLIENT_ID.into()),
                key_id: "test-key-1".into(),
                expires_at: NOW + 86_400,
            }
        );
        assert_eq!(identity.feed_id(), format!("service:{SERVICE_CLIENT_ID}"));
    }

    #[test]
    fn user_token_yields_email_and_subject() {
        let identity = verify_at(&token(user_claims()), &policy(), NOW).unwrap();
        assert_eq!(identity.email.as_deref(), Some(USER_EMAIL));
        assert_eq!(identity.subject.as_deref(), Some(USER_ID));
        assert_eq!(identity.common_name, None);
        assert_eq!(identity.feed_id(), format!("user:{USER_EMAIL}"));

        let subject_only = with(user_claims(), "email", Value::Null);
        check_claims(subject_only, Ok(&format!("sub:{USER_ID}")));
    }

    #[test]
    fn a_token_that_names_nobody_is_refused() {
        let nobody = with(service_claims(), "common_name", Value::Null);
        check_claims(nobody.clone(), Err(AuthError::MissingSubject));
        check_claims(
            with(nobody, "email", json!("")),
            Err(AuthError::MissingSubject),
        );
    }

    #[test]
    fn the_kid_selects_the_key() {
        let by_key_2 = sign(KEY_2_PEM, Some("test-key-2"), service_claims());
        let identity = verify_at(&by_key_2, &policy(), NOW).unwrap();
        assert_eq!(identity.key_id, "test-key-2");

        let key_2_labelled_1 = sign(KEY_2_PEM, Some("test-key-1"), service_claims());
        check(&key_2_labelled_1, NOW, Err(AuthError::BadSignature));
        let key_1_labelled_2 = sign(KEY_1_PEM, Some("test-key-2"), service_claims());
        check(&key_1_labelled_2, NOW, Err(AuthError::BadSignature));
    }

    #[test]
    fn kid_must_be_present_and_known() {
        check(
            &sign(KEY_1_PEM, None, service_claims()),
            NOW,
            Err(AuthError::MissingKeyId),
        );
        check(
            &sign(KEY_1_PEM, Some(""), service_claims()),
            NOW,
            Err(AuthError::MissingKeyId),
        );
        check(
            &sign(KEY_1_PEM, Some("test-key-3"), service_claims()),
            NOW,
            Err(AuthError::UnknownKeyId("test-key-3".into())),
        );
    }

    #[test]
    fn a_revoked_kid_is_refused_although_the_key_set_still_holds_it() {
        // Access keeps a replaced key published for seven days; after a compromise that is too long.
        let revoking_key_2 = policy().revoking("test-key-2");
        let by_key_2 = sign(KEY_2_PEM, Some("test-key-2"), service_claims());
        assert_eq!(
            verify_at(&by_key_2, &revoking_key_2, NOW),
            Err(AuthError::RevokedKeyId("test-key-2".into()))
        );
        // The other key is unaffected.
        assert!(verify_at(&token(service_claims()), &revoking_key_2, NOW).is_ok());
    }

    #[test]
    fn alg_none_is_refused_before_any_key_lookup() {
        for alg in ["none", "None", "NONE", "nOnE"] {
            let header = json!({ "alg": alg, "kid": "test-key-1", "typ": "JWT" });
            check(
                &unsigned(header.clone(), service_claims(), ""),
                NOW,
                Err(AuthError::UnsupportedAlgorithm(alg.into())),
            );
            // Even a signature-looking tail does not help.
            check(
                &unsigned(header, service_claims(), "c2lnbmF0dXJl"),
                NOW,
                Err(AuthError::UnsupportedAlgorithm(alg.into())),
            );
        }
        let no_alg = unsigned(json!({ "kid": "test-key-1" }), service_claims(), "");
        check(
            &no_alg,
            NOW,
            Err(AuthError::UnsupportedAlgorithm(String::new())),
        );
        let null_alg = unsigned(
            json!({ "alg": null, "kid": "test-key-1" }),
            service_claims(),
            "",
        );
        check(
            &null_alg,
            NOW,
            Err(AuthError::UnsupportedAlgorithm(String::new())),
        );
    }

    #[test]
    fn hs256_keyed_with_the_public_key_is_refused() {
        // The key-confusion attack: the RSA public key is public, so anyone can HMAC with it.
        let public_pem = RS256KeyPair::from_pem(KEY_1_PEM)
            .unwrap()
            .public_key()
            .to_pem()
            .unwrap();
        let forged = HS256Key::from_bytes(public_pem.as_bytes())
            .with_key_id("test-key-1")
            .authenticate(exact_claims(service_claims()))
            .unwrap();
        check(
            &forged,
            NOW,
            Err(AuthError::UnsupportedAlgorithm("HS256".into())),
        );

        let public_der = RS256KeyPair::from_pem(KEY_1_PEM)
            .unwrap()
            .public_key()
            .to_der()
            .unwrap();
        let forged_der = HS256Key::from_bytes(&public_der)
            .with_key_id("test-key-1")
            .authenticate(exact_claims(service_claims()))
            .unwrap();
        check(
            &forged_der,
            NOW,
            Err(AuthError::UnsupportedAlgorithm("HS256".into())),
        );

        // The algorithm is judged before the kid, so an unknown or missing kid changes nothing.
        let no_kid = HS256Key::from_bytes(public_pem.as_bytes())
            .authenticate(exact_claims(service_claims()))
            .unwrap();
        check(
            &no_kid,
            NOW,
            Err(AuthError::UnsupportedAlgorithm("HS256".into())),
        );
    }

    #[test]
    fn other_rsa_and_ec_algorithms_are_refused() {
        let rs384 = RS384KeyPair::from_pem(KEY_1_PEM)
            .unwrap()
            .with_key_id("test-key-1")
            .sign(exact_claims(service_claims()))
            .unwrap();
        check(
            &rs384,
            NOW,
            Err(AuthError::UnsupportedAlgorithm("RS384".into())),
        );
        let rs512 = RS512KeyPair::from_pem(KEY_1_PEM)
            .unwrap()
            .with_key_id("test-key-1")
            .sign(exact_claims(service_claims()))
            .unwrap();
        check(
            &rs512,
            NOW,
            Err(AuthError::UnsupportedAlgorithm("RS512".into())),
        );
        let ps256 = PS256KeyPair::from_pem(KEY_1_PEM)
            .unwrap()
            .with_key_id("test-key-1")
            .sign(exact_claims(service_claims()))
            .unwrap();
        check(
            &ps256,
            NOW,
            Err(AuthError::UnsupportedAlgorithm("PS256".into())),
        );

        for alg in [
            "ES256", "ES384", "EdDSA", "HS384", "HS512", "rs256", "RS256 ", " RS256",
        ] {
            let header = json!({ "alg": alg, "kid": "test-key-1" });
            check(
                &unsigned(header, service_claims(), "c2lnbmF0dXJl"),
                NOW,
                Err(AuthError::UnsupportedAlgorithm(alg.into())),
            );
        }
    }

    #[test]
    fn any_change_to_a_signed_token_breaks_the_signature() {
        let genuine = token(service_claims());
        let segments: Vec<&str> = genuine.split('.').collect();
        let (header, claims, signature) = (segments[0], segments[1], segments[2]);

        let promoted = with(
            service_claims(),
            "common_name",
            json!("another-feed.access"),
        );
        let forged_claims = unsigned(json!({}), promoted, "");
        let forged_claims = forged_claims.split('.').nth(1).unwrap();
        check(
            &format!("{header}.{forged_claims}.{signature}"),
            NOW,
            Err(AuthError::BadSignature),
        );

        let extended = unsigned(
            json!({ "alg": "RS256", "kid": "test-key-1", "typ": "JWT", "x": 1 }),
            json!({}),
            "",
        );
        let extended_header = extended.split('.').next().unwrap();
        check(
            &format!("{extended_header}.{claims}.{signature}"),
            NOW,
            Err(AuthError::BadSignature),
        );

        let signature_bytes = Base64UrlSafeNoPadding::decode_to_vec(signature, None).unwrap();
        let mut flipped = signature_bytes.clone();
        flipped[100] ^= 0x01;
        let truncated = &signature_bytes[..signature_bytes.len() - 1];
        let doubled = [signature_bytes.as_slice(), signature_bytes.as_slice()].concat();
        for forged_signature in [&flipped[..], truncated, &doubled, &[], &[0; 256]] {
            let forged_signature = base64url(forged_signature);
            check(
                &format!("{header}.{claims}.{forged_signature}"),
                NOW,
                Err(AuthError::BadSignature),
            );
        }

        // A signature that is not canonical base64url is not a signature at all.
        let not_base64 = &signature[..signature.len() - 1];
        let result = verify_at(&format!("{header}.{claims}.{not_base64}"), &policy(), NOW);
        assert!(matches!(result, Err(AuthError::Malformed(_))), "{result:?}");
    }

    #[test]
    fn exp_is_required_and_checked_with_leeway() {
        check_claims(
            with(service_claims(), "exp", Value::Null),
            Err(AuthError::MissingExpiry),
        );
        check_claims(with(service_claims(), "exp", json!(NOW - 1)), SERVICE_FEED);
        check_claims(
            with(service_claims(), "exp", json!(NOW - LEEWAY)),
            SERVICE_FEED,
        );
        check_claims(
            with(service_claims(), "exp", json!(NOW - LEEWAY - 1)),
            Err(AuthError::Expired),
        );
        check_claims(
            with(service_claims(), "exp", json!(1)),
            Err(AuthError::Expired),
        );
        check_claims(
            with(service_claims(), "exp", json!(0)),
            Err(AuthError::Expired),
        );
    }

    #[test]
    fn nbf_is_checked_with_leeway_when_present() {
        check_claims(with(service_claims(), "nbf", Value::Null), SERVICE_FEED);
        check_claims(
            with(service_claims(), "nbf", json!(NOW + LEEWAY)),
            SERVICE_FEED,
        );
        check_claims(
            with(service_claims(), "nbf", json!(NOW + LEEWAY + 1)),
            Err(AuthError::NotYetValid),
        );
        check_claims(
            with(service_claims(), "nbf", json!(u64::MAX)),
            Err(AuthError::NotYetValid),
        );
    }

    #[test]
    fn iat_is_checked_with_leeway_when_present() {
        check_claims(with(service_claims(), "iat", Value::Null), SERVICE_FEED);
        check_claims(
            with(service_claims(), "iat", json!(NOW + LEEWAY)),
            SERVICE_FEED,
        );
        check_claims(
            with(service_claims(), "iat", json!(NOW + LEEWAY + 1)),
            Err(AuthError::IssuedInFuture),
        );
        check_claims(with(service_claims(), "iat", json!(0)), SERVICE_FEED);
    }

    #[test]
    fn a_token_ages_through_its_validity_window() {
        let claims = with(
            with(service_claims(), "nbf", json!(NOW)),
            "exp",
            json!(NOW + 300),
        );
        let signed = token(claims);
        check(&signed, NOW - LEEWAY - 1, Err(AuthError::NotYetValid));
        check(&signed, NOW - LEEWAY, SERVICE_FEED);
        check(&signed, NOW + 300 + LEEWAY, SERVICE_FEED);
        check(&signed, NOW + 300 + LEEWAY + 1, Err(AuthError::Expired));

        let strict = AccessPolicy {
            leeway_seconds: 0,
            ..policy()
        };
        assert!(verify_at(&signed, &strict, NOW + 300).is_ok());
        assert_eq!(
            verify_at(&signed, &strict, NOW + 301),
            Err(AuthError::Expired)
        );
        assert_eq!(
            verify_at(&signed, &strict, NOW - 1),
            Err(AuthError::NotYetValid)
        );
    }

    #[test]
    fn extreme_clocks_and_leeways_do_not_panic() {
        let far_future = with(service_claims(), "exp", json!(u64::MAX));
        let identity = verify_at(&token(far_future.clone()), &policy(), NOW).unwrap();
        assert_eq!(identity.expires_at, u64::MAX);

        let signed = token(service_claims());
        let signed_far_future = token(far_future);
        for now in [
            0,
            1,
            NOW,
            u64::from(u32::MAX),
            u64::from(u32::MAX) + 1,
            u64::MAX,
        ] {
            for leeway_seconds in [0, 1, LEEWAY, u64::from(u32::MAX), u64::MAX] {
                let policy = AccessPolicy {
                    leeway_seconds,
                    ..policy()
                };
                let _ = verify_at(&signed, &policy, now);
                let _ = verify_at(&signed_far_future, &policy, now);
            }
        }
        let lenient = AccessPolicy {
            leeway_seconds: u64::MAX,
            ..policy()
        };
        assert!(verify_at(&signed, &lenient, u64::MAX).is_ok());
        assert!(verify_at(&signed, &lenient, 0).is_ok());
        assert_eq!(
            verify_at(&signed, &policy(), u64::MAX),
            Err(AuthError::Expired)
        );
        assert_eq!(
            verify_at(&signed, &policy(), 0),
            Err(AuthError::NotYetValid)
        );
    }

    #[test]
    fn the_issuer_must_be_the_team() {
        check_claims(
            with(service_claims(), "iss", json!(format!("{TEAM}/"))),
            SERVICE_FEED,
        );
        for issuer in [
            json!("https://evil.cloudflareaccess.com"),
            json!("https://olympics-test.cloudflareaccess.com.evil.example"),
            json!(""),
            Value::Null,
        ] {
            check_claims(
                with(service_claims(), "iss", issuer),
                Err(AuthError::WrongIssuer),
            );
        }
        let slash_configured = AccessPolicy {
            issuer: format!("{TEAM}/"),
            ..policy()
        };
        assert!(verify_at(&token(service_claims()), &slash_configured, NOW).is_ok());
    }

    #[test]
    fn the_audience_must_contain_the_application_tag() {
        check_claims(with(service_claims(), "aud", json!(AUD)), SERVICE_FEED);
        check_claims(
            with(service_claims(), "aud", json!(["another-app", AUD])),
            SERVICE_FEED,
        );
        for audience in [
            json!("another-app"),
            json!(["another-app"]),
            json!([]),
            json!(""),
            Value::Null,
        ] {
            check_claims(
                with(service_claims(), "aud", audience),
                Err(AuthError::WrongAudience),
            );
        }
        let unconfigured = AccessPolicy {
            audience: String::new(),
            ..policy()
        };
        let empty_aud = token(with(service_claims(), "aud", json!([""])));
        assert_eq!(
            verify_at(&empty_aud, &unconfigured, NOW),
            Err(AuthError::WrongAudience)
        );
    }

    #[test]
    fn claims_of_the_wrong_type_are_malformed_even_when_signed() {
        for (name, value) in [
            ("exp", json!("tomorrow")),
            ("aud", json!(7)),
            ("iss", json!(["a"])),
            ("exp", json!(-5)),
        ] {
            let result = verify_at(&token(with(service_claims(), name, value)), &policy(), NOW);
            assert!(
                matches!(result, Err(AuthError::Malformed(_))),
                "{name}: {result:?}"
            );
        }
    }

    #[test]
    fn garbage_is_malformed_and_never_panics() {
        check("", NOW, Err(AuthError::MissingToken));
        check("   ", NOW, Err(AuthError::MissingToken));
        let garbage = [
            ".".to_owned(),
            "..".to_owned(),
            "...".to_owned(),
            "not a token".to_owned(),
            "a.b.c".to_owned(),
            "🦀.🦀.🦀".to_owned(),
            "\0.\0.\0".to_owned(),
            format!("Bearer {}", token(service_claims())),
            format!("{}\n", token(service_claims())),
            format!("{}.extra", token(service_claims())),
            "eyJ".repeat(3000),
            format!("{}.e30.", "eyJ".repeat(3000)),
        ];
        for token in &garbage {
            let result = verify_at(token, &policy(), NOW);
            assert!(
                matches!(result, Err(AuthError::Malformed(_))),
                "{token:.40}: {result:?}"
            );
        }
    }

    #[test]
    fn a_signed_token_over_the_size_limit_is_refused() {
        let bloated = token(with(
            service_claims(),
            "padding",
            json!("x".repeat(8 * 1024)),
        ));
        let result = verify_at(&bloated, &policy(), NOW);
        assert!(matches!(result, Err(AuthError::Malformed(_))), "{result:?}");
    }

    #[test]
    fn token_key_id_reads_the_header_without_verifying() {
        assert_eq!(
            token_key_id(&token(service_claims())),
            Ok("test-key-1".into())
        );
        assert_eq!(
            token_key_id(&sign(KEY_2_PEM, Some("rotated-key"), service_claims())),
            Ok("rotated-key".into())
        );
        let unsigned_none = unsigned(json!({ "alg": "none", "kid": "k" }), json!({}), "");
        assert_eq!(token_key_id(&unsigned_none), Ok("k".into()));
        assert_eq!(
            token_key_id(&sign(KEY_1_PEM, None, service_claims())),
            Err(AuthError::MissingKeyId)
        );
        assert_eq!(token_key_id(""), Err(AuthError::MissingToken));
        assert!(matches!(
            token_key_id("a.b.c"),
            Err(AuthError::Malformed(_))
        ));
        assert!(matches!(token_key_id("..."), Err(AuthError::Malformed(_))));
    }
}
