//! Why an Access token was refused, and which header field or claim to blame in the HTTP problem.

/// Every way [`crate::verify_access_jwt`], [`crate::token_key_id`] and [`crate::Jwks::from_json`] can fail.
///
/// Messages never include the token itself; at most they echo a short `alg` or `kid` from its header.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum AuthError {
    /// The request carried no token, or only whitespace.
    #[error("no Access token was presented")]
    MissingToken,
    /// The token is not a well-formed compact JWT, or its header or claims do not decode.
    #[error("malformed Access token: {0}")]
    Malformed(String),
    /// The header names an algorithm other than RS256 (including `none` and every HMAC algorithm).
    #[error("unsupported JWT algorithm {0:?}: only RS256 is accepted")]
    UnsupportedAlgorithm(String),
    /// The header has no `kid`, so no key can be chosen.
    #[error("the token header has no key id (kid)")]
    MissingKeyId,
    /// The `kid` is not in the key set: the key set may be stale (keys rotate), or the token is forged.
    #[error("no key with id {0:?} in the Access key set")]
    UnknownKeyId(String),
    /// The `kid` names a key the operators revoked (`ACCESS_REVOKED_KIDS`), even if Access still
    /// publishes it: Access keeps a replaced key for seven days, too long after a compromise.
    #[error("the key {0:?} that signed this token has been revoked")]
    RevokedKeyId(String),
    /// The RS256 signature does not verify with the key the `kid` names.
    #[error("the token signature does not verify")]
    BadSignature,
    /// `exp` is in the past, beyond the leeway.
    #[error("the token has expired")]
    Expired,
    /// `nbf` is in the future, beyond the leeway.
    #[error("the token is not valid yet")]
    NotYetValid,
    /// `iat` is in the future, beyond the leeway.
    #[error("the token was issued in the future")]
    IssuedInFuture,
    /// The token has no `exp`: Access always sets one, and a token that never expires is refused.
    #[error("the token has no expiry (exp)")]
    MissingExpiry,
    /// `iss` is absent or is not the configured Access team domain.
    #[error("the token was not issued by the expected Access team")]
    WrongIssuer,
    /// `aud` is absent or does not contain the configured application AUD tag.
    #[error("the token is not meant for this Access application")]
    WrongAudience,
    /// The token names nobody: no `common_name`, `email` or non-empty `sub`.
    #[error("the token identifies no user or service token")]
    MissingSubject,
    /// The certs document could not be used.
    #[error("unusable Access key set: {0}")]
    BadJwks(String),
}

impl AuthError {
    /// The JWT header field or claim at fault, for the HTTP layer to name in an RFC 9457 problem.
    ///
    /// `None` when no single field is to blame (no token, undecodable token, bad key set).
    pub fn claim(&self) -> Option<&'static str> {
        match self {
            AuthError::MissingToken | AuthError::Malformed(_) | AuthError::BadJwks(_) => None,
            AuthError::UnsupportedAlgorithm(_) => Some("alg"),
            AuthError::MissingKeyId | AuthError::UnknownKeyId(_) | AuthError::RevokedKeyId(_) => {
                Some("kid")
            }
            AuthError::BadSignature => Some("signature"),
            AuthError::Expired | AuthError::MissingExpiry => Some("exp"),
            AuthError::NotYetValid => Some("nbf"),
            AuthError::IssuedInFuture => Some("iat"),
            AuthError::WrongIssuer => Some("iss"),
            AuthError::WrongAudience => Some("aud"),
            AuthError::MissingSubject => Some("sub"),
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::AuthError;

    fn check(error: AuthError, expected_claim: Option<&str>) {
        assert_eq!(error.claim(), expected_claim, "{error:?}");
    }

    #[test]
    fn each_error_names_the_field_at_fault() {
        check(AuthError::MissingToken, None);
        check(AuthError::Malformed("x".into()), None);
        check(AuthError::BadJwks("x".into()), None);
        check(AuthError::UnsupportedAlgorithm("HS256".into()), Some("alg"));
        check(AuthError::MissingKeyId, Some("kid"));
        check(AuthError::UnknownKeyId("k".into()), Some("kid"));
        check(AuthError::RevokedKeyId("k".into()), Some("kid"));
        check(AuthError::BadSignature, Some("signature"));
        check(AuthError::Expired, Some("exp"));
        check(AuthError::MissingExpiry, Some("exp"));
        check(AuthError::NotYetValid, Some("nbf"));
        check(AuthError::IssuedInFuture, Some("iat"));
        check(AuthError::WrongIssuer, Some("iss"));
        check(AuthError::WrongAudience, Some("aud"));
        check(AuthError::MissingSubject, Some("sub"));
    }

    #[test]
    fn messages_do_not_panic_and_quote_header_values() {
        let message = AuthError::UnsupportedAlgorithm("none".into()).to_string();
        assert_eq!(
            message,
            "unsupported JWT algorithm \"none\": only RS256 is accepted"
        );
    }
}
