//! Splits a compact JWT and decodes its header and claims. Nothing decoded here is trusted until the
//! signature has been checked; the header is only read to choose the algorithm and the key.

use jwt_simple::reexports::ct_codecs::{Base64UrlSafeNoPadding, Decoder};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

use crate::error::AuthError;

/// Longest token accepted. Access tokens are about 1 KiB; refusing anything much larger before
/// decoding bounds the work an unauthenticated request can cause.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Longest `alg` or `kid` accepted, so errors that echo them stay short enough to log.
const MAX_HEADER_VALUE_BYTES: usize = 256;

/// The three base64url segments of a compact JWT, still encoded.
pub(crate) struct TokenParts<'a> {
    pub(crate) header: &'a str,
    pub(crate) claims: &'a str,
}

pub(crate) fn split(token: &str) -> Result<TokenParts<'_>, AuthError> {
    if token.trim().is_empty() {
        return Err(AuthError::MissingToken);
    }
    if token.len() > MAX_TOKEN_BYTES {
        return Err(AuthError::Malformed(format!(
            "token is longer than {MAX_TOKEN_BYTES} bytes"
        )));
    }
    let mut segments = token.split('.');
    match (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) {
        (Some(header), Some(claims), Some(_signature), None)
            if !header.is_empty() && !claims.is_empty() =>
        {
            Ok(TokenParts { header, claims })
        }
        _ => Err(AuthError::Malformed(
            "expected three dot-separated base64url segments".into(),
        )),
    }
}

/// The only header fields this crate reads; jwt-simple re-reads the header and rejects `crit` and odd `typ`.
#[derive(Deserialize)]
pub(crate) struct Header {
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    kid: Option<String>,
}

impl Header {
    pub(crate) fn decode(segment: &str) -> Result<Header, AuthError> {
        let header: Header = decode_json_object(segment, "header")?;
        let too_long = |value: &Option<String>| {
            value
                .as_ref()
                .is_some_and(|value| value.len() > MAX_HEADER_VALUE_BYTES)
        };
        if too_long(&header.alg) || too_long(&header.kid) {
            return Err(AuthError::Malformed(format!(
                "header alg or kid is longer than {MAX_HEADER_VALUE_BYTES} bytes"
            )));
        }
        Ok(header)
    }

    /// The algorithm named in the header; a missing `alg` reads as the empty name, which no rule accepts.
    pub(crate) fn algorithm(&self) -> &str {
        self.alg.as_deref().unwrap_or_default()
    }

    pub(crate) fn key_id(&self) -> Result<&str, AuthError> {
        match self.kid.as_deref() {
            Some(kid) if !kid.is_empty() => Ok(kid),
            _ => Err(AuthError::MissingKeyId),
        }
    }
}

/// The claims Cloudflare Access sets that this crate checks or reports.
#[derive(Deserialize)]
pub(crate) struct Claims {
    #[serde(default, deserialize_with = "numeric_date")]
    pub(crate) exp: Option<u64>,
    #[serde(default, deserialize_with = "numeric_date")]
    pub(crate) nbf: Option<u64>,
    #[serde(default, deserialize_with = "numeric_date")]
    pub(crate) iat: Option<u64>,
    #[serde(default)]
    pub(crate) iss: Option<String>,
    #[serde(default)]
    pub(crate) aud: Option<Audience>,
    #[serde(default)]
    pub(crate) sub: Option<String>,
    #[serde(default)]
    pub(crate) email: Option<String>,
    #[serde(default)]
    pub(crate) common_name: Option<String>,
}

impl Claims {
    pub(crate) fn decode(segment: &str) -> Result<Claims, AuthError> {
        decode_json_object(segment, "claims")
    }
}

/// Access sends `aud` as an array; RFC 7519 also allows a single string.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        let all: &[String] = match self {
            Audience::One(audience) => std::slice::from_ref(audience),
            Audience::Many(audiences) => audiences,
        };
        all.iter().map(String::as_str)
    }
}

/// Decodes a base64url JSON object into `T`, refusing duplicate members.
///
/// serde would also fill a struct from a JSON array, position by position; jwt-simple reads the same
/// bytes with a different field order, so only objects are accepted to keep both readings identical.
fn decode_json_object<T: DeserializeOwned>(segment: &str, name: &str) -> Result<T, AuthError> {
    let json = Base64UrlSafeNoPadding::decode_to_vec(segment, None)
        .map_err(|_| AuthError::Malformed(format!("{name} is not base64url without padding")))?;
    if json.trim_ascii_start().first() != Some(&b'{') {
        return Err(AuthError::Malformed(format!("{name} is not a JSON object")));
    }
    serde_json::from_slice(&json)
        .map_err(|error| AuthError::Malformed(format!("{name} is not valid: {error}")))
}

/// RFC 7519 NumericDate: seconds since the epoch, possibly fractional; fractions are dropped.
fn numeric_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else {
        return Ok(None);
    };
    if let Some(seconds) = number.as_u64() {
        return Ok(Some(seconds));
    }
    match number.as_f64() {
        // `as` saturates, so a fractional date beyond u64 becomes u64::MAX rather than wrapping.
        Some(seconds) if seconds.is_finite() && seconds >= 0.0 => Ok(Some(seconds as u64)),
        _ => Err(D::Error::custom(
            "a date must be a non-negative number of seconds",
        )),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use jwt_simple::reexports::ct_codecs::{Base64UrlSafeNoPadding, Encoder};

    use super::{Claims, Header, MAX_TOKEN_BYTES, split};
    use crate::error::AuthError;

    fn encode(json: &str) -> String {
        Base64UrlSafeNoPadding::encode_to_string(json).unwrap()
    }

    fn malformed(result: Result<impl Sized, AuthError>) -> bool {
        matches!(result, Err(AuthError::Malformed(_)))
    }

    #[test]
    fn split_refuses_anything_but_three_segments() {
        assert!(matches!(split(""), Err(AuthError::MissingToken)));
        assert!(matches!(split(" \t"), Err(AuthError::MissingToken)));
        for token in [
            ".", "..", "...", "a", "a.b", "a..c", ".b.c", "a.b.c.d", "a.b.c.",
        ] {
            assert!(malformed(split(token)), "{token:?}");
        }
        assert!(split("a.b.").is_ok());
        assert!(split("a.b.c").is_ok());
    }

    #[test]
    fn split_refuses_oversized_tokens_before_looking_inside() {
        let at_limit = format!("a.b.{}", "c".repeat(MAX_TOKEN_BYTES - 4));
        assert!(split(&at_limit).is_ok());
        let over = format!("{at_limit}c");
        assert!(malformed(split(&over)));
    }

    #[test]
    fn header_reads_alg_and_kid_and_ignores_the_rest() {
        let header =
            Header::decode(&encode(r#"{"alg":"RS256","kid":"k1","typ":"JWT","x":[1]}"#)).unwrap();
        assert_eq!(header.algorithm(), "RS256");
        assert_eq!(header.key_id(), Ok("k1"));

        let bare = Header::decode(&encode("{}")).unwrap();
        assert_eq!(bare.algorithm(), "");
        assert_eq!(bare.key_id(), Err(AuthError::MissingKeyId));
        let empty_kid = Header::decode(&encode(r#"{"alg":"RS256","kid":""}"#)).unwrap();
        assert_eq!(empty_kid.key_id(), Err(AuthError::MissingKeyId));
    }

    #[test]
    fn header_refuses_bad_encoding_json_types_and_duplicates() {
        for segment in [
            "!!!".to_owned(),
            format!("{}=", encode(r#"{"alg":"RS256"}"#)),
            encode("not json"),
            encode("[]"),
            encode(r#"["RS256","test-key-1"]"#),
            encode(r#" "RS256""#),
            encode(r#"{"alg":256}"#),
            encode(r#"{"alg":"RS256","kid":{"a":1}}"#),
            encode(r#"{"alg":"RS256","alg":"none"}"#),
            encode(&format!(r#"{{"alg":"RS256","kid":"{}"}}"#, "k".repeat(300))),
        ] {
            assert!(malformed(Header::decode(&segment)), "{segment:?}");
        }
    }

    #[test]
    fn claims_accept_access_shapes() {
        let claims = Claims::decode(&encode(
            r#"{"aud":["tag"],"email":"a@example.com","exp":1700000300,"iat":1700000000,
                "nbf":1700000000.9,"iss":"https://t.cloudflareaccess.com","type":"app",
                "identity_nonce":"n","sub":"","country":"FR"}"#,
        ))
        .unwrap();
        assert_eq!(claims.exp, Some(1_700_000_300));
        assert_eq!(claims.nbf, Some(1_700_000_000));
        assert_eq!(claims.iat, Some(1_700_000_000));
        assert_eq!(claims.sub.as_deref(), Some(""));
        assert_eq!(claims.aud.unwrap().iter().collect::<Vec<_>>(), ["tag"]);

        let single = Claims::decode(&encode(r#"{"aud":"tag","exp":null}"#)).unwrap();
        assert_eq!(single.aud.unwrap().iter().collect::<Vec<_>>(), ["tag"]);
        assert_eq!(single.exp, None);
        let huge = Claims::decode(&encode(r#"{"exp":1e300}"#)).unwrap();
        assert_eq!(huge.exp, Some(u64::MAX));
    }

    #[test]
    fn claims_refuse_wrong_types() {
        for json in [
            r#"{"exp":-1}"#,
            r#"{"exp":"1700000000"}"#,
            r#"{"aud":[1]}"#,
            r#"{"aud":{"tag":true}}"#,
            r#"{"iss":7}"#,
            r#"{"exp":1,"exp":2}"#,
            r#"[1700000000]"#,
            "null",
        ] {
            assert!(malformed(Claims::decode(&encode(json))), "{json}");
        }
    }
}
