//! Which Access team and application a token must come from, and how much clock skew to forgive.

/// What a token must say to be accepted, besides a valid signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessPolicy {
    /// The team domain, `https://<team>.cloudflareaccess.com`, compared exactly except for a trailing `/`.
    pub issuer: String,
    /// The Access application's AUD tag; the token's `aud` must contain it.
    pub audience: String,
    /// Clock skew forgiven on `exp`, `nbf` and `iat`, in seconds.
    pub leeway_seconds: u64,
    /// Key ids refused even while the key set still holds them (an emergency rotation).
    pub revoked_key_ids: Vec<String>,
}

impl AccessPolicy {
    /// One minute absorbs the skew between Access and a Worker's clock without keeping
    /// an expired token alive for long.
    pub const DEFAULT_LEEWAY_SECONDS: u64 = 60;

    /// A policy with [`Self::DEFAULT_LEEWAY_SECONDS`].
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> AccessPolicy {
        AccessPolicy {
            issuer: issuer.into(),
            audience: audience.into(),
            leeway_seconds: Self::DEFAULT_LEEWAY_SECONDS,
            revoked_key_ids: Vec::new(),
        }
    }

    /// The same policy, also refusing tokens signed by the keys in `revoked` (comma-separated kids, as
    /// the `ACCESS_REVOKED_KIDS` setting holds them; blanks ignored).
    pub fn revoking(mut self, revoked: &str) -> AccessPolicy {
        self.revoked_key_ids = revoked
            .split(',')
            .map(str::trim)
            .filter(|kid| !kid.is_empty())
            .map(str::to_owned)
            .collect();
        self
    }

    pub(crate) fn revokes(&self, key_id: &str) -> bool {
        self.revoked_key_ids.iter().any(|revoked| revoked == key_id)
    }

    /// Configuration is typed by hand, so `https://team.cloudflareaccess.com/` must still match.
    /// An empty configured issuer matches nothing, so a missing setting fails closed.
    pub(crate) fn accepts_issuer(&self, issuer: &str) -> bool {
        let expected = without_trailing_slash(&self.issuer);
        !expected.is_empty() && expected == without_trailing_slash(issuer)
    }

    /// An empty configured audience matches nothing, so a missing setting fails closed.
    pub(crate) fn accepts_audience<'a>(
        &self,
        mut audiences: impl Iterator<Item = &'a str>,
    ) -> bool {
        !self.audience.is_empty() && audiences.any(|audience| audience == self.audience)
    }
}

fn without_trailing_slash(url: &str) -> &str {
    url.strip_suffix('/').unwrap_or(url)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::AccessPolicy;

    fn policy(issuer: &str, audience: &str) -> AccessPolicy {
        AccessPolicy::new(issuer, audience)
    }

    #[test]
    fn issuer_matches_exactly_up_to_one_trailing_slash() {
        let check = |configured: &str, presented: &str, expected: bool| {
            assert_eq!(
                policy(configured, "aud").accepts_issuer(presented),
                expected,
                "{configured:?} vs {presented:?}"
            );
        };
        let team = "https://olympics.cloudflareaccess.com";
        check(team, team, true);
        check(team, "https://olympics.cloudflareaccess.com/", true);
        check("https://olympics.cloudflareaccess.com/", team, true);
        check(team, "https://olympics.cloudflareaccess.com//", false);
        check(team, "https://OLYMPICS.cloudflareaccess.com", false);
        check(team, "https://evil.cloudflareaccess.com", false);
        check(
            team,
            "https://olympics.cloudflareaccess.com.evil.example",
            false,
        );
        check(team, "http://olympics.cloudflareaccess.com", false);
        check(team, "", false);
        check("", "", false);
        check("/", "", false);
    }

    #[test]
    fn audience_must_be_one_of_the_tokens_audiences() {
        let check = |configured: &str, presented: &[&str], expected: bool| {
            let accepted = policy("https://t.cloudflareaccess.com", configured)
                .accepts_audience(presented.iter().copied());
            assert_eq!(accepted, expected, "{configured:?} vs {presented:?}");
        };
        check("tag", &["tag"], true);
        check("tag", &["other", "tag"], true);
        check("tag", &["other"], false);
        check("tag", &["TAG"], false);
        check("tag", &[], false);
        check("", &[""], false);
    }

    #[test]
    fn revoked_key_ids_are_a_comma_separated_list() {
        let revoking = policy("i", "a").revoking(" k1, ,k2 ");
        assert_eq!(revoking.revoked_key_ids, ["k1", "k2"]);
        assert!(revoking.revokes("k1") && revoking.revokes("k2"));
        assert!(!revoking.revokes("k3") && !revoking.revokes(""));
        assert!(policy("i", "a").revoking("").revoked_key_ids.is_empty());
    }

    #[test]
    fn new_uses_the_default_leeway() {
        assert_eq!(
            policy("i", "a").leeway_seconds,
            AccessPolicy::DEFAULT_LEEWAY_SECONDS
        );
    }
}
