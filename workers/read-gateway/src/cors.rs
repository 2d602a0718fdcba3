//! CORS: only the allow-listed origins (the official site and its embeds) may read the API from a
//! browser. Everything else still works server-to-server; browsers just refuse to share the answer.

use edge::OrInternal;
use edge::Problem;
use worker::worker_sys::web_sys;
use worker::{Env, Headers, Request, Response};

use crate::bindings;

/// The caller's `Origin`, when it is on the allow-list.
pub fn allowed_origin(headers: &Headers, env: &Env) -> Option<String> {
    let origin = headers.get("origin").ok().flatten()?;
    let list = env
        .var(bindings::ALLOWED_ORIGINS)
        .map(|v| v.to_string())
        .unwrap_or_default();
    list.split(',')
        .map(str::trim)
        .any(|allowed| !allowed.is_empty() && allowed == origin)
        .then_some(origin)
}

/// The answer to a preflight request.
pub fn preflight(req: &Request, env: &Env) -> Result<Response, Problem> {
    let headers = Headers::new();
    let set = |name: &str, value: &str| {
        headers
            .set(name, value)
            .or_internal("set a preflight header")
    };
    if let Some(origin) = allowed_origin(req.headers(), env) {
        set("access-control-allow-origin", &origin)?;
        set("access-control-allow-methods", "GET, HEAD, OPTIONS")?;
        set("access-control-allow-headers", "if-none-match")?;
        set("access-control-max-age", "86400")?;
    }
    set("vary", "origin")?;
    Response::empty()
        .map(|r| r.with_status(204).with_headers(headers))
        .or_internal("build the preflight answer")
}

/// Adds the CORS headers for an allowed origin to a response (any response: errors included).
pub fn decorate(origin: Option<&str>, response: Response) -> Response {
    let varies = response
        .headers()
        .get("vary")
        .ok()
        .flatten()
        .is_some_and(|v| v.contains("origin"));
    if origin.is_none() && varies {
        // The common case (same-origin pages, servers, cache hits): nothing to add, nothing to copy.
        return response;
    }
    let headers: Headers = response.headers().entries().collect();
    if let Some(origin) = origin {
        let _ = allow(&headers.0, origin);
    }
    if !varies {
        let _ = headers.append("vary", "origin");
    }
    response.with_headers(headers)
}

/// A copy of `headers` that lets `origin` read the response.
pub fn with_origin(headers: &web_sys::Headers, origin: &str) -> worker::Result<web_sys::Headers> {
    let copy = web_sys::Headers::new_with_headers(headers)?;
    allow(&copy, origin)?;
    Ok(copy)
}

fn allow(headers: &web_sys::Headers, origin: &str) -> worker::Result<()> {
    headers.set("access-control-allow-origin", origin)?;
    headers.set("access-control-expose-headers", "etag, retry-after")?;
    Ok(())
}
