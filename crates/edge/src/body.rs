//! Reads a request body with a size limit and parses it strictly, turning every failure into a 4xx
//! problem that names the field.

use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use worker::Request;

use crate::Problem;

/// Reads at most `limit` bytes: `Content-Length` is checked first so an honest oversize body is refused
/// before it is read, and the body is counted chunk by chunk as it streams in, so a chunked body (no
/// `Content-Length`) or a dishonest one is refused as soon as it passes the limit, never buffered whole.
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
    let unreadable = || Problem::bad_request("body", "the body could not be read");
    let mut stream = match req.stream() {
        Ok(stream) => stream,
        Err(worker::Error::BodyUsed) => return Err(unreadable()),
        // A request without a body has no stream.
        Err(_) => return Ok(Vec::new()),
    };
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| unreadable())?;
        if bytes.len().saturating_add(chunk.len()) > limit {
            return Err(Problem::payload_too_large(limit));
        }
        bytes.extend_from_slice(&chunk);
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

/// Parses JSON into `T` strictly, reporting the path of the bad field (`entries[2].mark`).
///
/// serde_json alone reports a line and column; serde_path_to_error tracks the path through the
/// deserializer, which is what a feed operator needs to find the culprit.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        json_problem(&path, err.inner())
    })?;
    deserializer.end().map_err(|err| json_problem(".", &err))?;
    Ok(value)
}

fn json_problem(path: &str, err: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    let detail = strip_position(&err.to_string());
    match err.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            Problem::bad_request("body", format!("malformed JSON: {detail}"))
        }
        Category::Data => Problem::bad_request(field_path(path), detail),
    }
}

/// The root object's path `.` becomes `body`; an unknown field's path already ends in its key.
fn field_path(path: &str) -> String {
    if path == "." {
        "body".to_string()
    } else {
        path.to_string()
    }
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_json;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Entry {
        id: String,
        time_ms: u64,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Message {
        unit: String,
        entries: Vec<Entry>,
    }

    /// Parses `json` as a Message and checks the problem's status and field.
    fn check(json: &str, status: u16, field: &str) {
        match parse_json::<Message>(json.as_bytes()) {
            Ok(parsed) => panic!("{json} should not parse: {parsed:?}"),
            Err(problem) => {
                assert_eq!(
                    (problem.status, problem.field.as_deref()),
                    (status, Some(field)),
                    "{problem:?}"
                )
            }
        }
    }

    #[test]
    fn wrong_type_names_the_nested_field() {
        check(
            r#"{"unit":"FNL","entries":[{"id":"a","time_ms":1},{"id":"b","time_ms":"fast"}]}"#,
            400,
            "entries[1].time_ms",
        );
    }

    #[test]
    fn unknown_field_names_the_unknown_key() {
        check(
            r#"{"unit":"FNL","entries":[{"id":"a","time_ms":1,"bonus":5}]}"#,
            400,
            "entries[0].bonus",
        );
        check(r#"{"unit":"FNL","extra":true,"entries":[]}"#, 400, "extra");
    }

    #[test]
    fn missing_field_names_the_object_that_lacks_it() {
        check(
            r#"{"unit":"FNL","entries":[{"id":"a"}]}"#,
            400,
            "entries[0]",
        );
        check(r#"{"entries":[]}"#, 400, "body");
    }

    #[test]
    fn malformed_json_and_trailing_garbage_blame_the_body() {
        check(r#"{"unit":"FNL","entries":["#, 400, "body");
        check(r#"{"unit":"FNL","entries":[]} {}"#, 400, "body");
        check("", 400, "body");
    }
}
