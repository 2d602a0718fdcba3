//! Hands an authenticated message to its event's Durable Object, which validates and applies it, and
//! brings back its receipt, or the problem naming the bad field.

use domain::EventCode;
use edge::Problem;
use edge::object::Objects;
use wire::api::{EventRequest, Origin};
use wire::{ChangeKind, Outcome, Receipt};
use worker::{Env, Response};

use crate::bindings;

const UNAVAILABLE: &str = "the event could not be reached; the message was not applied, retry it";

/// Applies one message of `kind` (its JSON as the feed sent it) from `feed`.
pub async fn write(
    env: &Env,
    event: &EventCode,
    kind: ChangeKind,
    body: Vec<u8>,
    feed: &str,
) -> Result<Receipt, Problem> {
    let origin = Origin {
        feed: feed.to_string(),
        received_at_ms: worker::Date::now().as_millis(),
    };
    let call = EventRequest::write(event.clone(), kind, body).from_origin(origin);
    bindings::objects(env)
        .call(call)
        .await
        .map_err(|err| err.into_problem(UNAVAILABLE))
}

/// A read of the event object (its definition, its audit trail) or an operator's action, answered as
/// the object answers it.
pub async fn read(env: &Env, request: &EventRequest) -> Result<Response, Problem> {
    Objects::relay(&bindings::objects(env), request.relayed())
        .await
        .map_err(|err| err.into_problem(UNAVAILABLE))
}

/// The receipt as the feed gets it: `201` when the message changed the event, `200` for a no-op.
pub fn receipt_response(receipt: &Receipt) -> Result<Response, Problem> {
    let status = if receipt.outcome == Outcome::Applied {
        201
    } else {
        200
    };
    edge::respond::json(receipt, status)
}
