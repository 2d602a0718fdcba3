//! Hands an authenticated message to its event's Durable Object, which validates and applies it, and
//! brings back its receipt, or the problem naming the bad field.

use domain::EventCode;
use edge::Problem;
use edge::object::Objects;
use wire::api::{EventRequest, Origin};
use wire::{ChangeKind, Outcome, Receipt};
use worker::{Env, Request, Response};

use crate::bindings;

const UNAVAILABLE: &str = "the event could not be reached; the message was not applied, retry it";

/// Who sent a write: the verified feed, and when it says it sent it (for the operators' lateness).
pub struct Sender {
    pub feed: String,
    pub sent_at_ms: Option<u64>,
}

impl Sender {
    /// The feed's own send time: `X-Feed-Sent-At` (Unix ms) when it gives one, else its signature's
    /// `X-Feed-Timestamp` (Unix seconds).
    pub fn of(req: &Request, feed: String) -> Self {
        let header = |name: &str| req.headers().get(name).ok().flatten();
        let sent_at_ms = header("x-feed-sent-at")
            .and_then(|v| v.parse::<u64>().ok())
            .or_else(|| {
                header(access_auth::feed_signature::TIMESTAMP_HEADER)
                    .and_then(|v| v.parse::<u64>().ok())
                    .map(|seconds| seconds.saturating_mul(1000))
            });
        Self { feed, sent_at_ms }
    }
}

/// Applies one message of `kind` (its JSON as the feed sent it) from `sender`.
pub async fn write(
    env: &Env,
    event: &EventCode,
    kind: ChangeKind,
    body: Vec<u8>,
    sender: &Sender,
) -> Result<Receipt, Problem> {
    let origin = Origin {
        feed: sender.feed.clone(),
        received_at_ms: worker::Date::now().as_millis(),
        sent_at_ms: sender.sent_at_ms,
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
