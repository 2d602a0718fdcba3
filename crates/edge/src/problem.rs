//! RFC 9457 problem details. Every error a client can see is one of these, built in one place per Worker
//! from that Worker's typed errors; `field` names the JSON path or parameter at fault.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use worker::{Headers, Response};

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
const TYPE_BASE: &str = "https://olympic-live.dev/problems/";

/// Deserialisable too: a Worker reads the problem another Worker's object answered (`edge::object`) and
/// hands it on, its `field` made absolute where needed, instead of passing text along.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// The stable slug of the problem kind; serialised as the full `type` URI.
    #[serde(
        rename = "type",
        serialize_with = "type_uri",
        deserialize_with = "type_slug"
    )]
    pub kind: Cow<'static, str>,
    pub title: Cow<'static, str>,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request field at fault: a JSON path (`entries[2].mark`), a header or a query parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For 405: the methods the resource allows, sent as the `Allow` header.
    #[serde(skip)]
    pub allow: Option<&'static str>,
    /// Why a server error happened: logged with the request id, never sent to the client.
    #[serde(skip)]
    pub cause: Option<String>,
    /// For 429 and 503: seconds until a retry may succeed, sent as `Retry-After` (RFC 9110 §10.2.3).
    #[serde(skip)]
    pub retry_after: Option<u64>,
    /// For 401: the challenge, sent as `WWW-Authenticate`; RFC 9110 §11.6.1 requires one on every 401.
    #[serde(skip)]
    pub challenge: Option<&'static str>,
}

fn type_uri<S: serde::Serializer>(kind: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&format_args!("{TYPE_BASE}{kind}"))
}

fn type_slug<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Cow<'static, str>, D::Error> {
    let uri = String::deserialize(deserializer)?;
    Ok(Cow::Owned(
        uri.strip_prefix(TYPE_BASE)
            .map(str::to_owned)
            .unwrap_or(uri),
    ))
}

impl Problem {
    /// `slug` is the stable, documented identifier of the problem kind (see docs/API.md).
    pub fn new(status: u16, kind: &'static str, title: &'static str) -> Self {
        Problem {
            kind: Cow::Borrowed(kind),
            title: Cow::Borrowed(title),
            status,
            detail: None,
            field: None,
            allow: None,
            cause: None,
            retry_after: None,
            challenge: None,
        }
    }

    /// Tells the client how many seconds to wait (`Retry-After`); at least one.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    /// The `WWW-Authenticate` challenge of a 401.
    pub fn challenge(mut self, challenge: &'static str) -> Self {
        self.challenge = Some(challenge);
        self
    }

    /// Keeps the cause of a server error for the log.
    pub fn because(mut self, cause: impl std::fmt::Display) -> Self {
        self.cause = Some(cause.to_string());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn bad_request(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem::new(400, "invalid-request", "The request is invalid")
            .field(field)
            .detail(detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Problem::new(404, "not-found", "Not found").detail(detail)
    }

    pub fn method_not_allowed(allowed: &'static str) -> Self {
        let mut problem = Problem::new(405, "method-not-allowed", "Method not allowed")
            .detail(format!("this resource allows {allowed}"));
        problem.allow = Some(allowed);
        problem
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Problem::new(413, "payload-too-large", "Request body too large")
            .detail(format!("the body may be at most {limit} bytes"))
            .field("body")
    }

    pub fn unsupported_media_type() -> Self {
        Problem::new(415, "unsupported-media-type", "Unsupported media type")
            .detail("send Content-Type: application/json")
            .field("content-type")
    }

    /// For failures that are ours, not the caller's. The detail stays generic: internals are logged,
    /// never shown.
    pub fn internal() -> Self {
        Problem::new(500, "internal", "Internal error")
            .detail("the request could not be completed; it is safe to retry")
    }

    pub fn unavailable(detail: impl Into<String>) -> Self {
        Problem::new(503, "unavailable", "Temporarily unavailable").detail(detail)
    }

    pub fn is_server_error(&self) -> bool {
        self.status >= 500
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            format!(r#"{{"type":"{TYPE_BASE}internal","title":"Internal error","status":500}}"#)
        })
    }

    pub fn into_response(self) -> worker::Result<Response> {
        let headers = Headers::new();
        headers.set("content-type", PROBLEM_CONTENT_TYPE)?;
        headers.set("cache-control", "no-store")?;
        if let Some(allow) = self.allow {
            headers.set("allow", allow)?;
        }
        if let Some(seconds) = self.retry_after {
            headers.set("retry-after", &seconds.to_string())?;
        }
        if let Some(challenge) = self.challenge {
            headers.set("www-authenticate", challenge)?;
        }
        Ok(Response::ok(self.to_json())?
            .with_status(self.status)
            .with_headers(headers))
    }
}

/// Turns any failure of ours into a 500 that keeps its cause for the log.
pub trait OrInternal<T> {
    /// `what` says what was being done, e.g. `"read the request URL"`.
    fn or_internal(self, what: &str) -> Result<T, Problem>;
}

impl<T, E: std::fmt::Display> OrInternal<T> for Result<T, E> {
    fn or_internal(self, what: &str) -> Result<T, Problem> {
        self.map_err(|err| Problem::internal().because(format!("{what}: {err}")))
    }
}

/// A request the private API's route table refused, as the problem its client reads.
impl From<wire::api::RouteError> for Problem {
    fn from(err: wire::api::RouteError) -> Self {
        use wire::api::RouteError;
        match err {
            RouteError::BadParameter { field, detail } => Problem::bad_request(field, detail),
            RouteError::BadEventCode { .. } => {
                Problem::new(400, "invalid-event-code", "Invalid event code")
                    .field("event")
                    .detail(err.to_string())
            }
            RouteError::NoRoute { path } => Problem::not_found(format!("no route {path}")),
            RouteError::WrongMethod { allow } => Problem::method_not_allowed(allow),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn problem_json_follows_rfc_9457_and_names_the_field() {
        let json: serde_json::Value = serde_json::from_str(
            &Problem::bad_request("entries[2].mark", "must be positive").to_json(),
        )
        .unwrap_or_default();
        assert_eq!(
            json["type"],
            "https://olympic-live.dev/problems/invalid-request"
        );
        assert_eq!(json["status"], 400);
        assert_eq!(json["field"], "entries[2].mark");
        assert_eq!(json["detail"], "must be positive");
        assert!(json.get("instance").is_none());
    }

    #[test]
    fn a_problem_reads_back_as_it_was_written() {
        let problem = Problem::new(422, "unknown-code", "Code not in the catalogue")
            .detail("unit QUAL is not a unit of ALPMDOWNHILL")
            .field("unit");
        let back: Problem = serde_json::from_str(&problem.to_json()).unwrap();
        assert_eq!(back, problem);
    }
}
