//! Reads a request body with a size limit and parses it strictly, turning every failure into a 4xx
//! problem that names the field.

use serde::de::DeserializeOwned;
use worker::Request;

use crate::Problem;

/// Reads at most `limit` bytes: `Content-Length` is checked first so an honest oversize body is refused
/// before it is read, and the read length is checked again for a dishonest one.
pub async fn read_limited(req: &mut Request, limit: usize) -> Result<Vec<u8>, Problem> {
    let declared = req
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(Problem::payload_too_large(limit));
    }
    let bytes = req
        .bytes()
        .await
        .map_err(|_| Problem::bad_request("body", "the body could not be read"))?;
    if bytes.len() > limit {
        return Err(Problem::payload_too_large(limit));
    }
    Ok(bytes)
}

/// Requires a JSON content type; browsers' simple requests cannot send one, which keeps CSRF out too.
pub fn require_json(req: &Request) -> Result<(), Problem> {
    let content_type = req
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" {
        Ok(())
    } else {
        Err(Problem::unsupported_media_type())
    }
}

/// Parses JSON into `T`, reporting the path of the first bad field (`entries[2].mark`).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    parse_json_value(bytes)
}

fn parse_json_value<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    serde_json::from_slice::<T>(bytes).map_err(|err| json_problem(bytes, &err))
}

/// serde_json reports a line and column, not a path; re-walking the document to find the path is
/// what makes the error useful to a feed operator.
fn json_problem(bytes: &[u8], err: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    let detail = strip_position(&err.to_string());
    match err.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            Problem::bad_request("body", format!("malformed JSON: {detail}"))
        }
        Category::Data => {
            let path = crate::json_path::path_at(bytes, err.line(), err.column());
            Problem::bad_request(path, detail)
        }
    }
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}
