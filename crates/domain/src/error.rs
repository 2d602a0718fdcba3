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
