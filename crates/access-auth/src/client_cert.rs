//! The mutual-TLS decision: whether the client certificate the edge saw satisfies a feed's rule.
//!
//! When the zone asks clients for certificates (API Shield, or Access with mTLS), Cloudflare verifies
//! the certificate against the zone's CA and tells the Worker in `request.cf.tlsClientAuth`. The
//! gateway copies the three fields it needs into [`ClientCert`]; this module decides, so the decision is
//! tested natively from plain data.

/// What the edge reported about the client certificate (`request.cf.tlsClientAuth`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientCert {
    /// `certPresented`: `"1"` when the client sent a certificate.
    pub presented: bool,
    /// `certVerified`: `"SUCCESS"`, `"NONE"`, or `"FAILED:<reason>"`.
    pub verified: String,
    /// `certFingerprintSHA256`: lowercase hex of the certificate's SHA-256.
    pub fingerprint_sha256: String,
}

/// What a feed's configuration asks of its client certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientCertRule {
    /// Any certificate the zone's CA verified.
    AnyVerified,
    /// A verified certificate with one of these SHA-256 fingerprints (lowercase hex, no separators),
    /// so a certificate issued to one feed cannot stand in for another's.
    Fingerprints(Vec<String>),
}

/// Why a client certificate was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum CertRefusal {
    /// No `tlsClientAuth` at all (the zone does not ask for certificates), or none was sent.
    #[error("this feed must present a client certificate")]
    NotPresented,
    #[error("the client certificate was not verified by the zone ({0})")]
    NotVerified(String),
    #[error("the client certificate is not one this feed may use")]
    WrongCertificate,
}

/// The only `certVerified` value that means the zone's CA verified the certificate.
const VERIFIED: &str = "SUCCESS";

impl ClientCertRule {
    /// Decides for `cert` (`None`: the edge reported nothing, as when the zone does not ask).
    pub fn check(&self, cert: Option<&ClientCert>) -> Result<(), CertRefusal> {
        let cert = cert
            .filter(|cert| cert.presented)
            .ok_or(CertRefusal::NotPresented)?;
        if cert.verified != VERIFIED {
            return Err(CertRefusal::NotVerified(short(&cert.verified)));
        }
        match self {
            ClientCertRule::AnyVerified => Ok(()),
            ClientCertRule::Fingerprints(allowed) => {
                let presented = normalise_fingerprint(&cert.fingerprint_sha256);
                if !presented.is_empty() && allowed.contains(&presented) {
                    Ok(())
                } else {
                    Err(CertRefusal::WrongCertificate)
                }
            }
        }
    }
}

/// Fingerprints are written by hand as `AB:CD:…` or `abcd…`; both mean the same certificate.
pub fn normalise_fingerprint(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ':' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The status as reported, bounded: it ends up in a problem's detail.
fn short(status: &str) -> String {
    if status.is_empty() {
        "no status".to_owned()
    } else {
        status.chars().take(64).collect()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{CertRefusal, ClientCert, ClientCertRule, normalise_fingerprint};

    const FINGERPRINT: &str = "3f4a5e8c0d1b2a39485766554433221100ffeeddccbbaa998877665544332211";

    fn cert(presented: bool, verified: &str, fingerprint: &str) -> ClientCert {
        ClientCert {
            presented,
            verified: verified.into(),
            fingerprint_sha256: fingerprint.into(),
        }
    }

    fn check(rule: &ClientCertRule, cert: Option<ClientCert>, expected: Result<(), CertRefusal>) {
        assert_eq!(rule.check(cert.as_ref()), expected, "{rule:?} {cert:?}");
    }

    #[test]
    fn any_verified_certificate_passes_the_any_rule() {
        let any = ClientCertRule::AnyVerified;
        check(&any, Some(cert(true, "SUCCESS", FINGERPRINT)), Ok(()));
        check(&any, Some(cert(true, "SUCCESS", "")), Ok(()));
    }

    #[test]
    fn absent_unverified_or_failed_certificates_are_refused() {
        for rule in [
            ClientCertRule::AnyVerified,
            ClientCertRule::Fingerprints(vec![FINGERPRINT.into()]),
        ] {
            check(&rule, None, Err(CertRefusal::NotPresented));
            check(
                &rule,
                Some(cert(false, "NONE", "")),
                Err(CertRefusal::NotPresented),
            );
            // A certificate the edge says was not sent cannot be verified, whatever else it says.
            check(
                &rule,
                Some(cert(false, "SUCCESS", FINGERPRINT)),
                Err(CertRefusal::NotPresented),
            );
            check(
                &rule,
                Some(cert(true, "FAILED:self signed certificate", FINGERPRINT)),
                Err(CertRefusal::NotVerified(
                    "FAILED:self signed certificate".into(),
                )),
            );
            check(
                &rule,
                Some(cert(true, "success", FINGERPRINT)),
                Err(CertRefusal::NotVerified("success".into())),
            );
            check(
                &rule,
                Some(cert(true, "", FINGERPRINT)),
                Err(CertRefusal::NotVerified("no status".into())),
            );
        }
    }

    #[test]
    fn a_fingerprint_rule_takes_only_its_certificates() {
        let rule = ClientCertRule::Fingerprints(vec![FINGERPRINT.into()]);
        check(&rule, Some(cert(true, "SUCCESS", FINGERPRINT)), Ok(()));
        check(
            &rule,
            Some(cert(true, "SUCCESS", &FINGERPRINT.to_uppercase())),
            Ok(()),
        );
        check(
            &rule,
            Some(cert(true, "SUCCESS", &FINGERPRINT.replace('3', "4"))),
            Err(CertRefusal::WrongCertificate),
        );
        check(
            &rule,
            Some(cert(true, "SUCCESS", "")),
            Err(CertRefusal::WrongCertificate),
        );
        let empty = ClientCertRule::Fingerprints(Vec::new());
        check(
            &empty,
            Some(cert(true, "SUCCESS", FINGERPRINT)),
            Err(CertRefusal::WrongCertificate),
        );
    }

    #[test]
    fn fingerprints_compare_without_case_or_colons() {
        assert_eq!(normalise_fingerprint("AB:cd:0F"), "abcd0f");
        assert_eq!(normalise_fingerprint(" ab cd "), "abcd");
    }
}
