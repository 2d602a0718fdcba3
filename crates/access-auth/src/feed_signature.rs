//! Optional per-feed HMAC-SHA256 over the request body, so a feed whose Access credentials leak still
//! cannot forge results without its own signing secret.
//!
//! The feed sends `X-Feed-Timestamp: <unix seconds>` and `X-Feed-Signature: v1=<hex>`, where the hex is
//! HMAC-SHA256(secret, `"<timestamp>.<body>"`). The timestamp is signed so a captured request cannot be
//! replayed once it falls outside the allowed skew.

use hmac_sha256::HMAC;
use jwt_simple::reexports::ct_codecs::{Decoder, Hex};

/// Header carrying the unix time the feed signed at.
pub const TIMESTAMP_HEADER: &str = "X-Feed-Timestamp";
/// Header carrying `v1=<hex>`; the version prefix leaves room to change the scheme later.
pub const SIGNATURE_HEADER: &str = "X-Feed-Signature";

const SIGNATURE_VERSION_PREFIX: &str = "v1=";
const MAC_BYTES: usize = 32;

/// Why a feed request's signature was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum SignatureError {
    /// No timestamp header, or an empty one.
    #[error("the {TIMESTAMP_HEADER} header is missing")]
    MissingTimestamp,
    /// The timestamp is not a plain decimal number of unix seconds.
    #[error("the {TIMESTAMP_HEADER} header is not unix seconds")]
    BadTimestamp,
    /// The timestamp is further from now than allowed, in either direction.
    #[error("the {TIMESTAMP_HEADER} header is {skew_seconds} s away from the gateway's clock")]
    StaleTimestamp {
        /// How far the timestamp is from `now`, in seconds.
        skew_seconds: u64,
    },
    /// No signature header, or an empty one.
    #[error("the {SIGNATURE_HEADER} header is missing")]
    MissingSignature,
    /// The signature is not 64 hex digits, with or without `v1=`.
    #[error("the {SIGNATURE_HEADER} header is not v1=<64 hex digits>")]
    MalformedSignature,
    /// The signature does not match the body, the timestamp and the feed's secret.
    #[error("the {SIGNATURE_HEADER} header does not match the body")]
    Mismatch,
    /// The feed must sign, but no key is configured for it, so nothing it sends can be verified.
    #[error("this feed must sign its bodies, but no signing key is configured for it")]
    NoKeyConfigured,
}

impl SignatureError {
    /// The header at fault, for the HTTP layer to name in an RFC 9457 problem.
    pub fn header(&self) -> &'static str {
        match self {
            SignatureError::MissingTimestamp
            | SignatureError::BadTimestamp
            | SignatureError::StaleTimestamp { .. } => TIMESTAMP_HEADER,
            SignatureError::MissingSignature
            | SignatureError::MalformedSignature
            | SignatureError::Mismatch
            | SignatureError::NoKeyConfigured => SIGNATURE_HEADER,
        }
    }
}

/// The signature a feed sends for `body` at `timestamp_unix`: lowercase hex of
/// HMAC-SHA256(secret, "{timestamp}.{body}"), without the `v1=` prefix.
pub fn sign_feed_body(secret: &[u8], timestamp_unix: u64, body: &[u8]) -> String {
    mac(secret, timestamp_unix, body)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Checks a feed request's timestamp and signature headers against its body.
///
/// The timestamp must be within `max_skew_seconds` of `now_unix`, either way. The signature is
/// `v1=<hex>` or bare hex, compared in constant time. An empty `secret` verifies nothing: a missing
/// secret in configuration must not turn into a key everyone knows.
pub fn verify_feed_signature(
    secret: &[u8],
    timestamp_header: &str,
    signature_header: &str,
    body: &[u8],
    now_unix: u64,
    max_skew_seconds: u64,
) -> Result<(), SignatureError> {
    let timestamp = parse_timestamp(timestamp_header)?;
    let skew_seconds = now_unix.abs_diff(timestamp);
    if skew_seconds > max_skew_seconds {
        return Err(SignatureError::StaleTimestamp { skew_seconds });
    }
    let presented = parse_signature(signature_header)?;
    if secret.is_empty() {
        return Err(SignatureError::Mismatch);
    }
    let mut hmac = HMAC::new(secret);
    absorb(&mut hmac, timestamp, body);
    if hmac.finalize_verify(&presented) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn mac(secret: &[u8], timestamp_unix: u64, body: &[u8]) -> [u8; MAC_BYTES] {
    let mut hmac = HMAC::new(secret);
    absorb(&mut hmac, timestamp_unix, body);
    hmac.finalize()
}

/// Signs the canonical decimal form, so signer and verifier agree however the header spelled it.
fn absorb(hmac: &mut HMAC, timestamp_unix: u64, body: &[u8]) {
    hmac.update(timestamp_unix.to_string());
    hmac.update(b".");
    hmac.update(body);
}

fn parse_timestamp(header: &str) -> Result<u64, SignatureError> {
    let header = header.trim();
    if header.is_empty() {
        return Err(SignatureError::MissingTimestamp);
    }
    // `u64::from_str` would also take "+123"; only plain digits are a timestamp.
    if !header.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(SignatureError::BadTimestamp);
    }
    header.parse().map_err(|_| SignatureError::BadTimestamp)
}

fn parse_signature(header: &str) -> Result<[u8; MAC_BYTES], SignatureError> {
    let header = header.trim();
    if header.is_empty() {
        return Err(SignatureError::MissingSignature);
    }
    let hex = header
        .strip_prefix(SIGNATURE_VERSION_PREFIX)
        .unwrap_or(header);
    if hex.len() != MAC_BYTES * 2 {
        return Err(SignatureError::MalformedSignature);
    }
    let mut signature = [0u8; MAC_BYTES];
    let decoded_len = Hex::decode(&mut signature, hex, None)
        .map_err(|_| SignatureError::MalformedSignature)?
        .len();
    if decoded_len != MAC_BYTES {
        return Err(SignatureError::MalformedSignature);
    }
    Ok(signature)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{
        SIGNATURE_HEADER, SignatureError, TIMESTAMP_HEADER, sign_feed_body, verify_feed_signature,
    };

    const SECRET: &[u8] = b"feed-42-signing-secret-for-tests-only";
    const NOW: u64 = 1_722_000_000;
    const MAX_SKEW: u64 = 300;
    const BODY: &[u8] = br#"{"event":"100m-final","lane":4,"time_ms":9790}"#;

    fn check(timestamp: &str, signature: &str, body: &[u8], expected: Result<(), SignatureError>) {
        let result = verify_feed_signature(SECRET, timestamp, signature, body, NOW, MAX_SKEW);
        assert_eq!(
            result, expected,
            "timestamp {timestamp:?}, signature {signature:?}"
        );
    }

    fn signed(timestamp: u64) -> String {
        format!("v1={}", sign_feed_body(SECRET, timestamp, BODY))
    }

    #[test]
    fn signature_is_lowercase_hex_of_hmac_sha256_over_timestamp_dot_body() {
        // Computed independently (Python's hmac module), so feeds written in any language can check
        // their signer against it.
        assert_eq!(
            sign_feed_body(SECRET, NOW, BODY),
            "a8e811a56cf2f99a9fdc987d54d2cbc297e5d890a4dfef7cab9c512685715899"
        );
        // RFC 4231 test case 2 pins the primitive itself.
        let rfc_4231: String = hmac_sha256::HMAC::mac(b"what do ya want for nothing?", b"Jefe")
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(
            rfc_4231,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn valid_signatures_pass_with_or_without_prefix() {
        let timestamp = NOW.to_string();
        check(&timestamp, &signed(NOW), BODY, Ok(()));
        check(&timestamp, &sign_feed_body(SECRET, NOW, BODY), BODY, Ok(()));
        check(
            &timestamp,
            &signed(NOW).to_uppercase().replace("V1=", "v1="),
            BODY,
            Ok(()),
        );
        check(
            &format!(" {timestamp} "),
            &format!(" {} ", signed(NOW)),
            BODY,
            Ok(()),
        );
        check(&format!("0{timestamp}"), &signed(NOW), BODY, Ok(()));
        check(
            &NOW.to_string(),
            &format!("v1={}", sign_feed_body(SECRET, NOW, b"")),
            b"",
            Ok(()),
        );
    }

    #[test]
    fn tampering_is_a_mismatch() {
        let timestamp = NOW.to_string();
        check(
            &timestamp,
            &signed(NOW),
            b"{\"event\":\"100m-final\",\"lane\":4,\"time_ms\":9780}",
            Err(SignatureError::Mismatch),
        );
        check(&timestamp, &signed(NOW), b"", Err(SignatureError::Mismatch));
        check(
            &(NOW - 1).to_string(),
            &signed(NOW),
            BODY,
            Err(SignatureError::Mismatch),
        );
        let other_secret = format!("v1={}", sign_feed_body(b"another feed's secret", NOW, BODY));
        check(
            &timestamp,
            &other_secret,
            BODY,
            Err(SignatureError::Mismatch),
        );
        let mut flipped = signed(NOW).into_bytes();
        let last = flipped.len() - 1;
        flipped[last] = if flipped[last] == b'0' { b'1' } else { b'0' };
        check(
            &timestamp,
            &String::from_utf8(flipped).unwrap(),
            BODY,
            Err(SignatureError::Mismatch),
        );
    }

    #[test]
    fn an_empty_secret_verifies_nothing() {
        let signature = format!("v1={}", sign_feed_body(b"", NOW, BODY));
        let result = verify_feed_signature(b"", &NOW.to_string(), &signature, BODY, NOW, MAX_SKEW);
        assert_eq!(result, Err(SignatureError::Mismatch));
    }

    #[test]
    fn timestamps_beyond_the_skew_are_stale_either_way() {
        let past = NOW - MAX_SKEW;
        check(&past.to_string(), &signed(past), BODY, Ok(()));
        let future = NOW + MAX_SKEW;
        check(&future.to_string(), &signed(future), BODY, Ok(()));
        let too_old = past - 1;
        check(
            &too_old.to_string(),
            &signed(too_old),
            BODY,
            Err(SignatureError::StaleTimestamp {
                skew_seconds: MAX_SKEW + 1,
            }),
        );
        let too_new = future + 1;
        check(
            &too_new.to_string(),
            &signed(too_new),
            BODY,
            Err(SignatureError::StaleTimestamp {
                skew_seconds: MAX_SKEW + 1,
            }),
        );
        check(
            "0",
            &signed(0),
            BODY,
            Err(SignatureError::StaleTimestamp { skew_seconds: NOW }),
        );
        check(
            &u64::MAX.to_string(),
            &signed(u64::MAX),
            BODY,
            Err(SignatureError::StaleTimestamp {
                skew_seconds: u64::MAX - NOW,
            }),
        );
    }

    #[test]
    fn malformed_timestamps_are_refused() {
        let signature = signed(NOW);
        check("", &signature, BODY, Err(SignatureError::MissingTimestamp));
        check(
            "  ",
            &signature,
            BODY,
            Err(SignatureError::MissingTimestamp),
        );
        for timestamp in [
            "+1722000000",
            "-1",
            "1722000000.5",
            "1.7e9",
            "abc",
            "1722000000s",
            "18446744073709551616",
            "１２",
        ] {
            check(
                timestamp,
                &signature,
                BODY,
                Err(SignatureError::BadTimestamp),
            );
        }
    }

    #[test]
    fn malformed_signatures_are_refused() {
        let timestamp = NOW.to_string();
        check(&timestamp, "", BODY, Err(SignatureError::MissingSignature));
        check(&timestamp, " ", BODY, Err(SignatureError::MissingSignature));
        let good = sign_feed_body(SECRET, NOW, BODY);
        for signature in [
            "v1=".to_owned(),
            "v1=abc".to_owned(),
            format!("v1={}", &good[..62]),
            format!("v1={good}00"),
            format!("v2={good}"),
            format!("v1=v1={good}"),
            format!("sha256={good}"),
            format!("v1={}zz", &good[..62]),
            format!("v1={}é", &good[..62]),
            "v1=".to_owned() + &"g".repeat(64),
        ] {
            check(
                &timestamp,
                &signature,
                BODY,
                Err(SignatureError::MalformedSignature),
            );
        }
    }

    #[test]
    fn each_error_names_its_header() {
        assert_eq!(SignatureError::MissingTimestamp.header(), TIMESTAMP_HEADER);
        assert_eq!(SignatureError::BadTimestamp.header(), TIMESTAMP_HEADER);
        assert_eq!(
            SignatureError::StaleTimestamp { skew_seconds: 1 }.header(),
            TIMESTAMP_HEADER
        );
        assert_eq!(SignatureError::MissingSignature.header(), SIGNATURE_HEADER);
        assert_eq!(
            SignatureError::MalformedSignature.header(),
            SIGNATURE_HEADER
        );
        assert_eq!(SignatureError::Mismatch.header(), SIGNATURE_HEADER);
        assert_eq!(SignatureError::NoKeyConfigured.header(), SIGNATURE_HEADER);
        assert_eq!(TIMESTAMP_HEADER, "X-Feed-Timestamp");
        assert_eq!(SIGNATURE_HEADER, "X-Feed-Signature");
    }
}
