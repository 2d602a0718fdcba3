//! Why a private request could not be routed. The Workers turn these into HTTP problems in one place
//! each; the messages are the ones clients read, so they say what to fix.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RouteError {
    /// A query parameter (or a code in the path) is malformed, repeated or unknown: a 400 naming it.
    #[error("{detail}")]
    BadParameter { field: String, detail: String },
    /// The path names an event code that is not one: a 400 `invalid-event-code`.
    #[error("{code:?} is not an event code: {reason}")]
    BadEventCode { code: String, reason: String },
    /// No route has this path: a 404.
    #[error("no route {path}")]
    NoRoute { path: String },
    /// The path exists, but not for this method: a 405 with `Allow`.
    #[error("this resource allows {allow}")]
    WrongMethod { allow: &'static str },
}

impl RouteError {
    pub fn bad_parameter(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::BadParameter {
            field: field.into(),
            detail: detail.into(),
        }
    }

    pub(crate) fn no_route(path: &str) -> Self {
        Self::NoRoute {
            path: path.to_string(),
        }
    }
}
