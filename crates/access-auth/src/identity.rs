//! Who a verified Access token speaks for, and the stable feed id the gateway keys its settings on.

/// The caller behind a verified Access token.
///
/// Empty strings in the token (Access sends `"sub": ""` for service tokens) are stored as `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessIdentity {
    /// `sub`: the Access user id.
    pub subject: Option<String>,
    /// `email`: set for human users.
    pub email: Option<String>,
    /// `common_name`: the service token's client id, set for machine feeds.
    pub common_name: Option<String>,
    /// The `kid` of the key that verified the token, for logs during key rotation.
    pub key_id: String,
    /// `exp` in unix seconds: the gateway must not trust this identity past it.
    pub expires_at: u64,
}

impl AccessIdentity {
    /// A stable id for the feed, prefixed with its kind so a user can never collide with a service token:
    /// `service:<client id>` for service tokens, `user:<email>` for people, else `sub:<sub>`.
    ///
    /// Service tokens come first because machine feeds are the normal case and their client id is what
    /// operators register; an email is friendlier than an opaque `sub` for people.
    pub fn feed_id(&self) -> String {
        if let Some(common_name) = &self.common_name {
            format!("service:{common_name}")
        } else if let Some(email) = &self.email {
            format!("user:{email}")
        } else {
            // Verified identities always have one of the three; a hand-built empty one gets "sub:".
            format!("sub:{}", self.subject.as_deref().unwrap_or_default())
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::AccessIdentity;

    fn check(
        subject: Option<&str>,
        email: Option<&str>,
        common_name: Option<&str>,
        expected: &str,
    ) {
        let identity = AccessIdentity {
            subject: subject.map(str::to_owned),
            email: email.map(str::to_owned),
            common_name: common_name.map(str::to_owned),
            key_id: "test-key-1".into(),
            expires_at: 0,
        };
        assert_eq!(identity.feed_id(), expected);
    }

    #[test]
    fn feed_id_prefers_service_token_then_email_then_sub() {
        check(
            Some("u-1"),
            Some("a@example.com"),
            Some("abc.access"),
            "service:abc.access",
        );
        check(None, None, Some("abc.access"), "service:abc.access");
        check(
            Some("u-1"),
            Some("a@example.com"),
            None,
            "user:a@example.com",
        );
        check(Some("u-1"), None, None, "sub:u-1");
        check(None, None, None, "sub:");
    }
}
