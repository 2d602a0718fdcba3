//! JSON responses and the headers every response carries.

use serde::Serialize;
use worker::{Headers, Response};

use crate::Problem;
use crate::problem::OrInternal;

/// Headers that make a response safe to render in a browser whatever it contains.
pub fn security_headers(headers: &Headers) -> worker::Result<()> {
    headers.set("x-content-type-options", "nosniff")?;
    headers.set("referrer-policy", "strict-origin-when-cross-origin")?;
    headers.set(
        "strict-transport-security",
        "max-age=63072000; includeSubDomains; preload",
    )?;
    headers.set("x-frame-options", "DENY")?;
    if !headers.has("content-security-policy")? {
        headers.set(
            "content-security-policy",
            "default-src 'none'; frame-ancestors 'none'",
        )?;
    }
    Ok(())
}

/// Serialises `value` as a JSON response with `status`.
pub fn json<T: Serialize>(value: &T, status: u16) -> Result<Response, Problem> {
    let body = serde_json::to_string(value).or_internal("encode a JSON answer")?;
    json_text(body, status)
}

/// A JSON response from text that is already JSON (as a Durable Object returned it).
pub fn json_text(body: String, status: u16) -> Result<Response, Problem> {
    let headers = Headers::new();
    let built = headers
        .set("content-type", "application/json; charset=utf-8")
        .and_then(|_| Response::ok(body));
    built
        .map(|response| response.with_status(status).with_headers(headers))
        .or_internal("build a JSON answer")
}

/// Turns a handler's result into the response to send, logging our own failures (never the client's),
/// with their cause.
pub fn finish(result: Result<Response, Problem>, request_path: &str) -> worker::Result<Response> {
    let response = match result {
        Ok(response) => response,
        Err(problem) => {
            if problem.is_server_error() {
                tracing::error!(
                    status = problem.status,
                    path = request_path,
                    problem = %problem.kind,
                    detail = problem.detail.as_deref().unwrap_or(""),
                    cause = problem.cause.as_deref().unwrap_or("unknown"),
                    "request failed"
                );
            }
            problem.into_response()?
        }
    };
    secured(response)
}

/// The response with the security headers and the request id. One that has them already (an edge-cache
/// hit stored with them, an object's answer) passes through untouched: on the hottest path, every header
/// copy across the wasm boundary counts.
pub fn secured(response: Response) -> worker::Result<Response> {
    if response.headers().has("x-content-type-options")? {
        return Ok(response);
    }
    // Headers of a response fetched from another Worker or object are immutable: copy them first.
    let headers: Headers = response.headers().entries().collect();
    security_headers(&headers)?;
    // The id to quote when reporting a problem: every log line of this request carries it.
    if let Some(id) = crate::log::current_request_id() {
        headers.set(crate::log::REQUEST_ID_HEADER, &id)?;
    }
    Ok(response.with_headers(headers))
}
