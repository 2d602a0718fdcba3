//! The one place where this Worker's typed errors become HTTP problems.

use access_auth::AuthError;
use edge::Problem;

/// 401 for every authentication failure, naming the JWT field at fault. The detail explains what was
/// wrong without echoing the token.
pub fn auth(err: AuthError) -> Problem {
    let field = match err.claim() {
        Some(claim) => format!("{}.{claim}", crate::access::ACCESS_HEADER),
        None => crate::access::ACCESS_HEADER.to_string(),
    };
    match err {
        AuthError::BadJwks(_) => {
            Problem::unavailable("the Access signing keys are unusable; retry shortly")
        }
        other => Problem::new(401, "unauthenticated", "Authentication failed")
            .detail(other.to_string())
            .field(field),
    }
}
