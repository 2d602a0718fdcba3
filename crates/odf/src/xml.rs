//! Reading the XML: quick-xml's pull reader first checks that the message is well-formed and, when it is
//! not, says in which element; then its serde support reads the typed [`OdfBody`].

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::document::OdfBody;
use crate::error::OdfError;

/// Parses an ODF message. A message that is not well-formed XML is refused naming the innermost element
/// open where reading stopped; one whose root is not `OdfBody` is refused naming the root.
pub fn parse(xml: &str) -> Result<OdfBody, OdfError> {
    let root = check_well_formed(xml)?;
    if root != "OdfBody" {
        return Err(OdfError::Malformed {
            path: root,
            detail: "an ODF message's root element is OdfBody".into(),
        });
    }
    quick_xml::de::from_str::<OdfBody>(xml).map_err(|error| OdfError::Malformed {
        path: "OdfBody".into(),
        detail: error.to_string(),
    })
}

/// Reads every event once, tracking the open elements and how many same-named siblings came before each;
/// returns the root's name.
fn check_well_formed(xml: &str) -> Result<String, OdfError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    // The open elements, each with the counts of its children seen so far by name.
    let mut open: Vec<(String, Vec<(String, usize)>)> = Vec::new();
    let mut root: Option<String> = None;
    let path_of = |open: &[(String, Vec<(String, usize)>)]| -> String {
        open.last()
            .map_or_else(|| "body".to_owned(), |(path, _)| path.clone())
    };
    loop {
        let event = reader.read_event().map_err(|error| OdfError::Malformed {
            path: path_of(&open),
            detail: format!(
                "not well-formed XML at byte {}: {error}",
                reader.error_position()
            ),
        })?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() && open.is_empty() => {
                let name = start.name().into_inner().to_owned();
                return Err(OdfError::Malformed {
                    path: name,
                    detail: "a second root element".into(),
                });
            }
            Event::Start(start) => {
                let name = start.name().into_inner().to_owned();
                let step = step(&mut open, &name);
                root.get_or_insert_with(|| name.clone());
                open.push((step, Vec::new()));
            }
            Event::Empty(start) => {
                let name = start.name().into_inner().to_owned();
                step(&mut open, &name);
                root.get_or_insert(name);
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some((step, _)) = open.last() {
        return Err(OdfError::Malformed {
            path: step.clone(),
            detail: "the message ends before this element is closed".into(),
        });
    }
    root.ok_or_else(|| OdfError::Malformed {
        path: "body".into(),
        detail: "no XML element".into(),
    })
}

/// Elements that repeat in ODF messages: their paths always carry an index, as the mapping's do.
const REPEATED: &[&str] = &[
    "Result",
    "Unit",
    "Participant",
    "ExtendedResult",
    "ExtendedInfo",
    "Extension",
    "MedalNOC",
    "MedalNumber",
    "Discipline",
    "RegisteredEvent",
];

/// The path of a new child `name` of the innermost open element (`OdfBody/Competition/Result[3]`), or the
/// bare name for the root. Counts it among its siblings.
fn step(open: &mut [(String, Vec<(String, usize)>)], name: &str) -> String {
    let Some((parent, siblings)) = open.last_mut() else {
        return name.to_owned();
    };
    let count = match siblings.iter_mut().find(|(sibling, _)| sibling == name) {
        Some((_, count)) => {
            *count += 1;
            *count
        }
        None => {
            siblings.push((name.to_owned(), 1));
            1
        }
    };
    let step = if count == 1 && !REPEATED.contains(&name) {
        name.to_owned()
    } else {
        format!("{name}[{count}]")
    };
    format!("{parent}/{step}")
}
