//! Finds the JSON path (`entries[2].mark`) of the place serde_json stopped at, because serde_json reports
//! a line and column and a feed operator needs the field.

#[derive(Debug)]
enum Frame {
    /// The key whose value is being read, once its colon is seen.
    Object(Option<String>),
    Array(usize),
}

/// The path of the value serde_json was reading when it stopped at `line`:`column` (1-based, the last
/// character it read). An unknown field is reported right after its key: that key is named.
pub fn path_at(bytes: &[u8], line: usize, column: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut last_string: Option<String> = None;
    let mut string_buf = String::new();
    let (mut in_string, mut escaped) = (false, false);
    let (mut at_line, mut at_column) = (1usize, 0usize);
    for ch in String::from_utf8_lossy(bytes).chars() {
        if ch == '\n' {
            at_line += 1;
            at_column = 0;
        } else {
            at_column += 1;
        }
        if at_line > line || (at_line == line && at_column > column) {
            break;
        }
        if in_string {
            match (escaped, ch) {
                (true, _) => {
                    escaped = false;
                    string_buf.push(ch);
                }
                (false, '\\') => escaped = true,
                (false, '"') => {
                    in_string = false;
                    last_string = Some(std::mem::take(&mut string_buf));
                }
                (false, _) => string_buf.push(ch),
            }
            continue;
        }
        match ch {
            '"' => in_string = true,
            '{' => stack.push(Frame::Object(None)),
            '[' => stack.push(Frame::Array(0)),
            '}' | ']' => {
                stack.pop();
            }
            ':' => {
                if let Some(Frame::Object(key)) = stack.last_mut() {
                    *key = last_string.take();
                }
            }
            ',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object(key)) => *key = None,
                None => {}
            },
            _ => {}
        }
    }
    let mut path = render(&stack);
    if let (Some(Frame::Object(None)), Some(key)) = (stack.last(), last_string) {
        push_key(&mut path, &key);
    }
    if path.is_empty() {
        "body".to_string()
    } else {
        path
    }
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => push_key(&mut path, key),
            Frame::Object(None) => {}
            Frame::Array(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

#[cfg(test)]
mod tests {
    use super::path_at;
    use serde::Deserialize;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

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

    /// Parses `json` as a Message and returns the path the error points at.
    fn check(json: &str, expected: &str) {
        let err = match serde_json::from_str::<Message>(json) {
            Ok(_) => panic!("{json} should not parse"),
            Err(err) => err,
        };
        assert_eq!(
            path_at(json.as_bytes(), err.line(), err.column()),
            expected,
            "{err}"
        );
    }

    #[test]
    fn wrong_type_names_the_nested_field() {
        check(
            r#"{"unit":"FNL","entries":[{"id":"a","time_ms":1},{"id":"b","time_ms":"fast"}]}"#,
            "entries[1].time_ms",
        );
    }

    #[test]
    fn unknown_field_names_the_unknown_key() {
        check(
            r#"{"unit":"FNL","entries":[{"id":"a","time_ms":1,"bonus":5}]}"#,
            "entries[0].bonus",
        );
        check(r#"{"unit":"FNL","extra":true,"entries":[]}"#, "extra");
    }

    #[test]
    fn missing_field_names_the_object_that_lacks_it() {
        check(r#"{"unit":"FNL","entries":[{"id":"a"}]}"#, "entries[0]");
        check(r#"{"entries":[]}"#, "body");
    }

    #[test]
    fn strings_with_brackets_and_escapes_do_not_confuse_the_walk() {
        check(
            "{\"unit\":\"F[N]{L}\\\"\",\n \"entries\":[{\"id\":\"x,y\",\"time_ms\":-1}]}",
            "entries[0].time_ms",
        );
    }
}
