//! The website: one self-contained page, small enough for a phone on a slow connection.

use edge::OrInternal;
use edge::Problem;
use worker::{Headers, Response};

const INDEX_HTML: &str = include_str!("../site/index.html");

pub fn index() -> Result<Response, Problem> {
    let headers = Headers::new();
    let built = headers
        .set("content-type", "text/html; charset=utf-8")
        .and_then(|_| headers.set("cache-control", "public, max-age=60"))
        .and_then(|_| {
            headers.set(
                "content-security-policy",
                "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
            )
        })
        .and_then(|_| Response::ok(INDEX_HTML));
    built
        .map(|r| r.with_headers(headers))
        .or_internal("build the website")
}
