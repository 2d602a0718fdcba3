//! The crate's one error type: every rejected input names the field path and the reason.

use thiserror::Error;

/// Why an input was rejected. Nothing in this crate panics on bad input; it returns one of these.
///
/// Field paths use the JSON shape of the input, e.g. `entries[3].mark.time_ms` or `phases[1].units[0]`,
/// so an API can echo them to the sender unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A field has a value the rules do not allow.
    #[error("invalid {path}: {reason}")]
    InvalidField { path: String, reason: String },
    /// The unit is not part of the event definition.
    #[error("unknown unit {unit} (field {path})")]
    UnknownUnit { path: String, unit: String },
    /// The competitor is not among the event's participants (or not in the ranking asked about).
    #[error("unknown competitor {competitor} (field {path})")]
    UnknownCompetitor { path: String, competitor: String },
    /// A results message was sent to a game unit, or a game to a unit ranked by marks.
    #[error("wrong message kind for unit {unit}: {reason}")]
    WrongMessageKind { unit: String, reason: String },
    /// A stored state could not be encoded or decoded.
    #[error("storage: {reason}")]
    Storage { reason: String },
}

impl DomainError {
    /// Shorthand for [`DomainError::InvalidField`].
    pub fn invalid(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidField {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// The path of the offending field, when the error is about one.
    pub fn field_path(&self) -> Option<&str> {
        match self {
            Self::InvalidField { path, .. }
            | Self::UnknownUnit { path, .. }
            | Self::UnknownCompetitor { path, .. } => Some(path),
            Self::WrongMessageKind { .. } => Some("unit"),
            Self::Storage { .. } => None,
        }
    }
}

/// Builds field paths without allocating on the happy path's hot loop more than needed.
pub(crate) fn at(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}

/// `prefix[index]`.
pub(crate) fn idx(prefix: &str, index: usize) -> String {
    format!("{prefix}[{index}]")
}

/// A field path built on the stack and formatted only when an error names it: the hot validation loops
/// pass these down instead of formatting `entries[3].mark.time_ms` for every field that turns out fine.
/// It renders exactly as [`at`] and [`idx`] would.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'a> {
    Root(&'a str),
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// `self.field` (just `field` when `self` is the empty root).
    pub(crate) fn field(&'a self, field: &'a str) -> Path<'a> {
        Path::Field(self, field)
    }

    /// `self[index]`.
    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    fn render_into(&self, out: &mut String) {
        match self {
            Path::Root(root) => out.push_str(root),
            Path::Field(parent, field) => {
                parent.render_into(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(field);
            }
            Path::Index(parent, index) => {
                parent.render_into(out);
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
}

/// Anything that names a field in an error: a ready string, or a [`Path`] formatted on demand.
pub(crate) trait FieldPath {
    fn render(&self) -> String;
}

impl FieldPath for str {
    fn render(&self) -> String {
        self.to_owned()
    }
}

impl FieldPath for String {
    fn render(&self) -> String {
        self.clone()
    }
}

impl FieldPath for Path<'_> {
    fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }
}
