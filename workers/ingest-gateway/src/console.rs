//! The operators' console: one page under `/v1/admin/` that draws `GET /v1/admin/stats` as charts and
//! refreshes them live. It is served by this gateway, behind Access and the operator list, so nothing of
//! it is public; its script and style are files of their own, so its policy needs no `unsafe-inline`.

use edge::{OrInternal, Problem};
use worker::{Headers, Response};

/// One file of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asset {
    content_type: &'static str,
    body: &'static str,
}

const PAGE: Asset = Asset {
    content_type: "text/html; charset=utf-8",
    body: include_str!("../console/index.html"),
};
const SCRIPT: Asset = Asset {
    content_type: "text/javascript; charset=utf-8",
    body: include_str!("../console/console.js"),
};
const STYLE: Asset = Asset {
    content_type: "text/css; charset=utf-8",
    body: include_str!("../console/console.css"),
};

/// The console file at a path under `/v1/admin`, if it is one.
pub fn asset(rest: &str) -> Option<Asset> {
    match rest {
        "" | "/" => Some(PAGE),
        "/console.js" => Some(SCRIPT),
        "/console.css" => Some(STYLE),
        _ => None,
    }
}

pub fn respond(asset: Asset) -> Result<Response, Problem> {
    let headers = Headers::new();
    let built = headers
        .set("content-type", asset.content_type)
        // Operators' data: never kept by a shared cache, and always fresh.
        .and_then(|_| headers.set("cache-control", "private, no-store"))
        .and_then(|_| {
            headers.set(
                "content-security-policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            )
        })
        .and_then(|_| Response::ok(asset.body));
    built
        .map(|r| r.with_headers(headers))
        .or_internal("build the operators' console")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_only_its_own_script_and_style() {
        assert_eq!(asset("/"), Some(PAGE));
        assert_eq!(asset(""), Some(PAGE));
        assert_eq!(asset("/stats"), None);
        assert!(PAGE.body.contains(r#"src="/v1/admin/console.js""#));
        assert!(PAGE.body.contains(r#"href="/v1/admin/console.css""#));
        // No inline script or style: the policy allows neither.
        assert!(!PAGE.body.contains("<script>"));
        assert!(!PAGE.body.contains("style="));
        assert!(!PAGE.body.contains("<style"));
    }
}
