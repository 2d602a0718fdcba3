//! Offset pagination shared by every leaderboard: limit, opaque cursor, and "around this row".

use crate::error::DomainError;

/// Rows per page when the query does not say.
pub const DEFAULT_LIMIT: u32 = 50;
/// The most rows one page may hold.
pub const MAX_LIMIT: u32 = 500;

/// The window of a page over `total` rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
    pub next_cursor: Option<String>,
    pub prev_cursor: Option<String>,
}

/// Works out a page. `around` is the index of the row to centre on (already looked up by the caller).
pub fn window(
    total: usize,
    limit: Option<u32>,
    cursor: Option<&str>,
    around: Option<usize>,
) -> Result<Window, DomainError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(DomainError::invalid(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let limit = limit as usize;
    let start = match (cursor, around) {
        (Some(_), Some(_)) => {
            return Err(DomainError::invalid(
                "cursor",
                "cannot be combined with around",
            ));
        }
        (Some(cursor), None) => cursor
            .parse::<usize>()
            .map_err(|_| DomainError::invalid("cursor", "not a cursor this API returned"))?
            .min(total),
        // Centre the row, but keep the page full near the end.
        (None, Some(index)) => index
            .saturating_sub(limit / 2)
            .min(total.saturating_sub(limit)),
        (None, None) => 0,
    };
    let end = start.saturating_add(limit).min(total);
    Ok(Window {
        start,
        end,
        next_cursor: (end < total).then(|| end.to_string()),
        prev_cursor: (start > 0).then(|| start.saturating_sub(limit).to_string()),
    })
}

/// One page of any table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next_cursor: Option<String>,
    pub prev_cursor: Option<String>,
    pub total: usize,
}

impl<T: Clone> Page<T> {
    /// Cuts a window out of all rows.
    pub fn of(rows: &[T], window: Window) -> Result<Self, DomainError> {
        let slice = rows.get(window.start..window.end).unwrap_or(&[]);
        Ok(Self {
            rows: slice.to_vec(),
            next_cursor: window.next_cursor,
            prev_cursor: window.prev_cursor,
            total: rows.len(),
        })
    }
}
