//! What the mapping refuses, always naming the XML element or attribute at fault with an XPath-like path
//! (`OdfBody/Competition/Result[3]/@Rank`), so a provider can find it in the message it sent.

use thiserror::Error;

/// Why an ODF message cannot be taken. Every variant carries the path of the element or attribute.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OdfError {
    /// Not well-formed XML, or not an ODF message (`OdfBody` missing).
    #[error("malformed ODF at {path}: {detail}")]
    Malformed { path: String, detail: String },
    /// A code this system does not know: a discipline, gender, document type, status, IRM, or a unit or
    /// competitor the event's definition does not have.
    #[error("unknown code at {path}: {detail}")]
    UnknownCode { path: String, detail: String },
    /// A value that breaks the rules, or a message that disagrees with the event's definition.
    #[error("invalid ODF at {path}: {detail}")]
    Invalid { path: String, detail: String },
    /// A document type or scoring format this mapping does not take (yet).
    #[error("unsupported ODF at {path}: {detail}")]
    Unsupported { path: String, detail: String },
}

impl OdfError {
    /// The element or attribute at fault.
    pub fn path(&self) -> &str {
        match self {
            Self::Malformed { path, .. }
            | Self::UnknownCode { path, .. }
            | Self::Invalid { path, .. }
            | Self::Unsupported { path, .. } => path,
        }
    }

    /// What is wrong, without the path.
    pub fn detail(&self) -> &str {
        match self {
            Self::Malformed { detail, .. }
            | Self::UnknownCode { detail, .. }
            | Self::Invalid { detail, .. }
            | Self::Unsupported { detail, .. } => detail,
        }
    }

    pub(crate) fn invalid(path: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            detail: detail.into(),
        }
    }

    pub(crate) fn unknown(path: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::UnknownCode {
            path: path.into(),
            detail: detail.into(),
        }
    }

    pub(crate) fn unsupported(path: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::Unsupported {
            path: path.into(),
            detail: detail.into(),
        }
    }
}

/// Element paths: `OdfBody`, `OdfBody/Competition/Result[3]`, `…/@Code`. Indexes count same-named
/// siblings from 1, as XPath does.
pub(crate) mod paths {
    pub const BODY: &str = "OdfBody";
    pub const DOCUMENT_CODE: &str = "OdfBody/@DocumentCode";
    pub const DOCUMENT_TYPE: &str = "OdfBody/@DocumentType";
    pub const VERSION: &str = "OdfBody/@Version";
    pub const STATUS: &str = "OdfBody/@ResultStatus";
    pub const COMPETITION: &str = "OdfBody/Competition";

    /// `OdfBody/Competition/{name}[{index + 1}]`.
    pub fn child(name: &str, index: usize) -> String {
        format!("{COMPETITION}/{name}[{}]", index + 1)
    }

    /// `{element}/@{attribute}`.
    pub fn attr(element: &str, attribute: &str) -> String {
        format!("{element}/@{attribute}")
    }
}
