//! The audit trail of admin actions: every request under `/v1/admin` that changes something, and every
//! admin request refused to an authenticated identity that is not an operator, is recorded with who
//! (the Access identity), what (method and path), on which event, when and how it ended, in the
//! analytics Worker's D1 (`GET /v1/admin/audit` reads it back). The record is written before the answer
//! goes out, so an action an operator saw answered is in the trail.

use wire::api::Method;
use wire::api::analytics::{AnalyticsRoute, AuditRecord};
use worker::Env;

use crate::bindings;

/// What an admin request turned out to be, filled in as it is handled.
#[derive(Debug, Default)]
pub struct Attempt {
    /// The authenticated identity, once the token passed.
    pub identity: Option<String>,
    pub event: Option<String>,
}

/// Whether a request is worth a line in the trail: an action, or a refusal of someone who holds a token.
pub fn worth_recording(method: Option<Method>, status: u16) -> bool {
    method != Some(Method::Get) || status == 403
}

pub async fn record(env: &Env, attempt: Attempt, method: &str, path: &str, status: u16) {
    let Some(operator) = attempt.identity else {
        return;
    };
    let entry = AuditRecord {
        at_ms: worker::Date::now().as_millis(),
        operator,
        action: format!("{method} {path}"),
        event: attempt.event,
        status,
        request_id: edge::log::current_request_id().unwrap_or_default(),
    };
    if let Err(error) = bindings::objects(env)
        .call(AnalyticsRoute::audit(&entry))
        .await
    {
        // The action stands; the trail missing it is an operators' alert, with everything it would hold.
        tracing::error!(error = %error, operator = %entry.operator, action = %entry.action, status, "admin action not audited");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_and_refusals_are_recorded_reads_are_not() {
        assert!(worth_recording(Some(Method::Post), 200));
        assert!(worth_recording(Some(Method::Put), 404));
        assert!(worth_recording(Some(Method::Get), 403));
        assert!(!worth_recording(Some(Method::Get), 200));
    }
}
