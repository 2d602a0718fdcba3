//! How the simulator proves who it is, as a real feed does: a Cloudflare Access token on every request,
//! and an HMAC-SHA256 signature of every body when the feed has a signing key.
//!
//! Locally the Access token is minted here, RS256 with the local stand-in's key (`.dev/access`), and
//! re-minted before it expires; against a real deployment the feed sends its service token
//! (`CF-Access-Client-Id`/`CF-Access-Client-Secret`) and Access adds the token itself.

use std::path::Path;

use jwt_simple::prelude::{Claims, Duration, RS256KeyPair, RSAKeyPairLike};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The local Access stand-in's issuer and audience (scripts/lib/access-keys.mjs).
pub const LOCAL_ISSUER: &str = "https://olympic-live-local.cloudflareaccess.com";
pub const LOCAL_AUDIENCE: &str = "olympic-live-local-ingest";

/// Tokens live ten minutes and are replaced when less than one is left.
const TOKEN_SECONDS: u64 = 600;
const RENEW_BEFORE_SECONDS: u64 = 60;

#[derive(Debug, Error)]
pub enum CredentialError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the Access key in {path} is not a usable RSA private key: {reason}")]
    Key { path: String, reason: String },
    #[error("cannot sign an Access token: {0}")]
    Sign(String),
}

/// Claims the gateway reads besides the registered ones.
#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    /// A service token's client id: the gateway records the feed as `service:<common_name>`.
    common_name: String,
    #[serde(rename = "type")]
    kind: String,
}

/// A feed's Access credentials.
pub enum Credentials {
    /// Mint RS256 tokens with a local key, as the local Access stand-in would.
    Local {
        key: Box<RS256KeyPair>,
        issuer: String,
        audience: String,
        common_name: String,
        token: Option<(String, u64)>,
    },
    /// Send a service token; Access in front of the gateway turns it into a JWT.
    ServiceToken {
        client_id: String,
        client_secret: String,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Local { common_name, .. } => write!(f, "Local({common_name})"),
            Self::ServiceToken { client_id, .. } => write!(f, "ServiceToken({client_id})"),
        }
    }
}

impl Credentials {
    /// Reads `dir/private.pem` and `dir/kid` (written by `scripts/bootstrap`).
    pub fn local(
        dir: &Path,
        issuer: &str,
        audience: &str,
        common_name: &str,
    ) -> Result<Self, CredentialError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| CredentialError::Read {
                path: path.display().to_string(),
                source,
            })
        };
        let pem = read("private.pem")?;
        let kid = read("kid")?;
        let key = RS256KeyPair::from_pem(&pem)
            .map_err(|error| CredentialError::Key {
                path: dir.join("private.pem").display().to_string(),
                reason: error.to_string(),
            })?
            .with_key_id(kid.trim());
        Ok(Self::Local {
            key: Box::new(key),
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            common_name: common_name.to_owned(),
            token: None,
        })
    }

    /// The headers that authenticate one request at `now` (Unix seconds).
    pub fn headers(&mut self, now: u64) -> Result<Vec<(&'static str, String)>, CredentialError> {
        match self {
            Self::ServiceToken {
                client_id,
                client_secret,
            } => Ok(vec![
                ("CF-Access-Client-Id", client_id.clone()),
                ("CF-Access-Client-Secret", client_secret.clone()),
            ]),
            Self::Local {
                key,
                issuer,
                audience,
                common_name,
                token,
            } => {
                let fresh = token
                    .as_ref()
                    .is_some_and(|(_, expires)| *expires > now + RENEW_BEFORE_SECONDS);
                if !fresh {
                    let claims = Claims::with_custom_claims(
                        AccessClaims {
                            common_name: common_name.clone(),
                            kind: "app".into(),
                        },
                        Duration::from_secs(TOKEN_SECONDS),
                    )
                    .with_issuer(issuer.as_str())
                    .with_audience(audience.as_str())
                    .with_subject("");
                    let signed = key
                        .sign(claims)
                        .map_err(|error| CredentialError::Sign(error.to_string()))?;
                    *token = Some((signed, now + TOKEN_SECONDS));
                }
                Ok(token
                    .as_ref()
                    .map(|(t, _)| vec![("Cf-Access-Jwt-Assertion", t.clone())])
                    .unwrap_or_default())
            }
        }
    }
}

/// Signs bodies for a feed that has a key in the gateway's `FEED_SIGNING_KEYS`.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(…)")
    }
}

impl Signer {
    pub fn new(key: &[u8]) -> Self {
        Self { key: key.to_vec() }
    }

    /// `X-Feed-Timestamp` and `X-Feed-Signature: v1=<hex HMAC-SHA256(key, "{timestamp}.{body}")>`.
    pub fn headers(&self, timestamp: u64, body: &[u8]) -> [(&'static str, String); 2] {
        let mut mac = hmac_sha256::HMAC::new(&self.key);
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        let hex: String = mac.finalize().iter().map(|b| format!("{b:02x}")).collect();
        [
            ("X-Feed-Timestamp", timestamp.to_string()),
            ("X-Feed-Signature", format!("v1={hex}")),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_of_timestamp_dot_body() {
        // RFC 4231 test case 2 (key "Jefe"), split as the feed splits it: "what do ya want" "." "…".
        let signer = Signer::new(b"Jefe");
        let [(ts_name, ts), (sig_name, sig)] = signer.headers(1_770_000_000, b"{}");
        assert_eq!((ts_name, ts.as_str()), ("X-Feed-Timestamp", "1770000000"));
        assert_eq!(sig_name, "X-Feed-Signature");
        let expected = hmac_sha256::HMAC::mac(b"1770000000.{}", b"Jefe");
        let hex: String = expected.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(sig, format!("v1={hex}"));
        let rfc = hmac_sha256::HMAC::mac(b"what do ya want for nothing?", b"Jefe");
        assert_eq!(rfc.first().copied(), Some(0x5b));
    }
}
