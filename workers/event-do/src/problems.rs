//! The one place where this Worker's errors become HTTP problems.

use domain::DomainError;
use edge::Problem;

pub fn domain(err: DomainError) -> Problem {
    match &err {
        DomainError::Storage { reason } => {
            Problem::internal().because(format!("stored state unreadable: {reason}"))
        }
        DomainError::UnknownUnit { .. } | DomainError::UnknownCompetitor { .. } => {
            let problem = Problem::new(422, "unknown-code", "Code not in the catalogue")
                .detail(err.to_string());
            with_field(problem, &err)
        }
        DomainError::InvalidField { .. } | DomainError::WrongMessageKind { .. } => {
            let problem = Problem::new(
                422,
                "invalid-message",
                "The message breaks the event's rules",
            )
            .detail(err.to_string());
            with_field(problem, &err)
        }
    }
}

fn with_field(problem: Problem, err: &DomainError) -> Problem {
    match err.field_path() {
        Some(path) => problem.field(path),
        None => problem,
    }
}

pub fn unknown_event(code: &str) -> Problem {
    Problem::new(404, "unknown-event", "Unknown event")
        .detail(format!(
            "event {code} has no definition yet; PUT /v1/ingest/events/{code} first"
        ))
        .field("event")
}

pub fn storage(err: worker::Error) -> Problem {
    Problem::unavailable("the event could not store the change; nothing was applied, retry it")
        .because(format!("storage: {err}"))
}

/// A domain error caused by a read's query parameters (a bad cursor, an unknown competitor for
/// `around`): the caller's request is malformed, so it is a 400, not a rule violation.
pub fn query(err: DomainError) -> Problem {
    let problem =
        Problem::new(400, "invalid-request", "The request is invalid").detail(err.to_string());
    match err.field_path() {
        Some(path) => problem.field(path),
        None => problem,
    }
}
