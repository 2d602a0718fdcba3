//! The website: two pages (the site, and the medal table other sites may frame), its script, stylesheet
//! and theme script as separate files, and the service worker, all compiled into the Worker.
//!
//! No code is inline, so the pages' Content-Security-Policy allows scripts and styles from this origin
//! only (no `'unsafe-inline'`). Asset URLs carry a hash of their content (`/assets/app.1a2b3c4d.js`,
//! written into the pages as they are served), so browsers and caches keep them for a year and a deploy
//! never mixes an old page with new code. Only `/embed/medals` may be framed, by any site; every other
//! answer keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`.

use std::sync::OnceLock;

use edge::OrInternal;
use edge::Problem;
use worker::{Headers, Response};

struct Asset {
    name: &'static str,
    body: &'static str,
    content_type: &'static str,
}

const ASSETS: [Asset; 3] = [
    Asset {
        name: "app.js",
        body: include_str!("../site/app.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        name: "app.css",
        body: include_str!("../site/app.css"),
        content_type: "text/css; charset=utf-8",
    },
    Asset {
        name: "theme.js",
        body: include_str!("../site/theme.js"),
        content_type: "text/javascript; charset=utf-8",
    },
];

const INDEX_HTML: &str = include_str!("../site/index.html");
const EMBED_HTML: &str = include_str!("../site/embed.html");
const SERVICE_WORKER: &str = include_str!("../site/sw.js");

/// The pages' policy: everything from this origin, nothing inline, never framed.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";
/// The embeddable medal table's: the same, but any site may frame it.
const EMBED_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *";
/// Scripts and styles: no policy of their own is needed beyond refusing to be anything else.
const ASSET_CSP: &str = "default-src 'none'; frame-ancestors 'none'";
/// The service worker's own policy governs its fetches: it reads the site and the API from this origin.
const SERVICE_WORKER_CSP: &str = "default-src 'none'; connect-src 'self'; frame-ancestors 'none'";

/// `GET /`: the site.
pub fn index() -> Result<Response, Problem> {
    static PAGE: OnceLock<String> = OnceLock::new();
    let body = PAGE.get_or_init(|| with_asset_urls(INDEX_HTML));
    respond(
        body.clone(),
        "text/html; charset=utf-8",
        "public, max-age=60",
        PAGE_CSP,
        false,
    )
}

/// `GET /embed/medals`: the live medal table alone, for other sites to frame.
pub fn embed() -> Result<Response, Problem> {
    static PAGE: OnceLock<String> = OnceLock::new();
    let body = PAGE.get_or_init(|| with_asset_urls(EMBED_HTML));
    respond(
        body.clone(),
        "text/html; charset=utf-8",
        "public, max-age=60",
        EMBED_CSP,
        true,
    )
}

/// `GET /sw.js`: the service worker, at the root so that it may serve the whole site offline. Never
/// kept without asking again, so a new one is picked up at the next visit.
pub fn service_worker() -> Result<Response, Problem> {
    respond(
        SERVICE_WORKER.to_string(),
        "text/javascript; charset=utf-8",
        "no-cache",
        SERVICE_WORKER_CSP,
        false,
    )
}

/// `GET /assets/{name}`: an asset by its hashed name (kept a year), or by its plain name (asked again
/// every time: for people reading the source). A hash that is not the current one is a 404: the page
/// that asked is older than this deploy, and its service worker holds the asset it wants.
pub fn asset(requested: &str) -> Result<Response, Problem> {
    for asset in &ASSETS {
        let cache = if requested == asset.name {
            "no-cache"
        } else if requested == hashed_name(asset) {
            "public, max-age=31536000, immutable"
        } else {
            continue;
        };
        return respond(
            asset.body.to_string(),
            asset.content_type,
            cache,
            ASSET_CSP,
            false,
        );
    }
    Err(Problem::not_found(format!("no asset {requested}")))
}

/// `app.js` as `app.1a2b3c4d.js`: the name with eight hex digits of its content's hash.
fn hashed_name(asset: &Asset) -> String {
    let (stem, extension) = asset.name.rsplit_once('.').unwrap_or((asset.name, ""));
    format!(
        "{stem}.{:08x}.{extension}",
        fnv1a(asset.body.as_bytes()) as u32
    )
}

/// The page with each `/assets/{name}` replaced by its hashed URL.
fn with_asset_urls(page: &str) -> String {
    ASSETS.iter().fold(page.to_string(), |page, asset| {
        page.replace(
            &format!("\"/assets/{}\"", asset.name),
            &format!("\"/assets/{}\"", hashed_name(asset)),
        )
    })
}

/// FNV-1a, 64 bits: a content fingerprint for cache busting, not a security hash.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A response with its type, caching and policy. A framable one carries every security header itself
/// but `X-Frame-Options`, so `edge::respond::secured` (which adds the headers only to a response that
/// has none) leaves it as it is.
fn respond(
    body: String,
    content_type: &str,
    cache_control: &str,
    csp: &str,
    framable: bool,
) -> Result<Response, Problem> {
    let headers = Headers::new();
    let mut built = headers
        .set("content-type", content_type)
        .and_then(|_| headers.set("cache-control", cache_control))
        .and_then(|_| headers.set("content-security-policy", csp));
    if framable {
        built = built.and_then(|_| {
            let all = Headers::new();
            edge::respond::security_headers(&all)?;
            for (name, value) in all.entries() {
                if name != "x-frame-options" && name != "content-security-policy" {
                    headers.set(&name, &value)?;
                }
            }
            Ok(())
        });
    }
    built
        .and_then(|_| Response::ok(body))
        .map(|response| response.with_headers(headers))
        .or_internal("build a page of the website")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_name_every_asset_by_its_hash_and_hold_no_inline_code() {
        for page in [with_asset_urls(INDEX_HTML), with_asset_urls(EMBED_HTML)] {
            assert!(!page.contains("\"/assets/app.js\""), "{page}");
            assert!(page.contains(&format!("\"/assets/{}\"", hashed_name(&ASSETS[0]))));
            assert!(!page.contains("<style"), "styles are in app.css");
            assert!(
                page.match_indices("<script")
                    .all(|(at, _)| page[at..].starts_with("<script src=")),
                "scripts are files"
            );
            assert!(!page.contains(" style="), "no inline style attributes");
        }
    }

    #[test]
    fn a_hashed_name_changes_with_the_content_and_keeps_the_extension() {
        let name = hashed_name(&ASSETS[1]);
        assert!(
            name.starts_with("app.") && name.ends_with(".css") && name.len() == "app.css".len() + 9
        );
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }

    /// A phone on a slow connection loads all of it once (about 20 KB gzipped at 72 KiB raw), then keeps
    /// it a year by its hashed name.
    #[test]
    fn the_site_stays_small() {
        let size: usize = ASSETS.iter().map(|a| a.body.len()).sum::<usize>() + SERVICE_WORKER.len();
        assert!(size < 72 * 1024, "JS and CSS are {size} bytes");
    }
}
