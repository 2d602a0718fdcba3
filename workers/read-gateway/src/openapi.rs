//! The OpenAPI 3.1 description of the public read API, served at `/v1/openapi.json`.

use edge::OrInternal;
use edge::Problem;
use worker::Response;

const DOCUMENT: &str = include_str!("../site/openapi.json");

pub fn document() -> Result<Response, Problem> {
    let response = edge::respond::json_text(DOCUMENT.to_string(), 200)?;
    let headers: worker::Headers = response.headers().entries().collect();
    headers
        .set("cache-control", "public, max-age=3600")
        .or_internal("set the cache header")?;
    Ok(response.with_headers(headers))
}
