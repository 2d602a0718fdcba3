//! The website: one self-contained page, small enough for a phone on a slow connection.
//!
//! Its one inline script is allowed by its SHA-256 hash in the CSP, not by `'unsafe-inline'`, so an
//! injected script (were any name ever to slip past escaping) would not run. A hash rather than a nonce:
//! the page is static and cached for a minute, and a nonce must differ on every response.

use std::cell::OnceCell;

use edge::OrInternal;
use edge::Problem;
use hmac_sha256::Hash;
use worker::{Headers, Response};

const INDEX_HTML: &str = include_str!("../site/index.html");

thread_local! {
    static CSP: OnceCell<String> = const { OnceCell::new() };
}

pub fn index() -> Result<Response, Problem> {
    let csp = CSP.with(|cell| cell.get_or_init(|| policy(INDEX_HTML)).clone());
    let headers = Headers::new();
    let built = headers
        .set("content-type", "text/html; charset=utf-8")
        .and_then(|_| headers.set("cache-control", "public, max-age=60"))
        .and_then(|_| headers.set("content-security-policy", &csp))
        .and_then(|_| Response::ok(INDEX_HTML));
    built
        .map(|r| r.with_headers(headers))
        .or_internal("build the website")
}

/// The page's CSP: scripts from this origin and the inline scripts of `html`, by hash.
fn policy(html: &str) -> String {
    let hashes: Vec<String> = inline_scripts(html)
        .map(|script| format!("'sha256-{}'", base64(&Hash::hash(script.as_bytes()))))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' {}; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        hashes.join(" ")
    )
}

/// The text of each `<script>` element without attributes: exactly what the browser hashes.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</script>").map(|(script, _)| script))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{INDEX_HTML, base64, inline_scripts, policy};

    #[test]
    fn base64_is_the_standard_alphabet_with_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn the_policy_allows_the_page_script_by_hash_and_no_inline_script_otherwise() {
        assert_eq!(inline_scripts(INDEX_HTML).count(), 1);
        let csp = policy(INDEX_HTML);
        let script_src = csp
            .split(';')
            .find(|d| d.trim_start().starts_with("script-src"))
            .unwrap_or_default();
        assert!(!script_src.contains("unsafe-inline"), "{script_src}");
        assert!(script_src.contains("'sha256-"), "{script_src}");
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
