//! The batch form: many messages in one request, answered message by message.
//!
//! Messages for one event are applied in the order given (a feed's version order matters); different
//! events proceed concurrently. One bad message gets its own problem and does not block the others.

use std::collections::BTreeMap;

use edge::Problem;
use futures_util::future::join_all;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use wire::api::event_room::parse_event;
use wire::{ChangeKind, Receipt};
use worker::{Env, Response};

use crate::objects::{self, Sender};
use crate::routes::MESSAGE_LIMIT_BYTES;

pub const MAX_BATCH_MESSAGES: usize = 500;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch {
    messages: Vec<BatchItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchItem {
    event: String,
    /// `definition`, `results` or `game`: the route the message would take on its own.
    kind: ChangeKind,
    message: Box<RawValue>,
}

#[derive(Serialize)]
struct ItemAnswer {
    index: usize,
    status: u16,
    /// Exactly what the single-message route answers.
    body: ItemBody,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ItemBody {
    Receipt(Receipt),
    Problem(Problem),
}

pub async fn handle(env: &Env, sender: &Sender, bytes: &[u8]) -> Result<Response, Problem> {
    let batch: Batch = edge::body::parse_json(bytes)?;
    if batch.messages.is_empty() {
        return Err(Problem::bad_request(
            "messages",
            "a batch needs at least one message",
        ));
    }
    if batch.messages.len() > MAX_BATCH_MESSAGES {
        return Err(Problem::bad_request(
            "messages",
            format!(
                "a batch may hold at most {MAX_BATCH_MESSAGES} messages, this one has {}",
                batch.messages.len()
            ),
        ));
    }
    let mut by_event: BTreeMap<String, Vec<(usize, BatchItem)>> = BTreeMap::new();
    for (index, item) in batch.messages.into_iter().enumerate() {
        by_event
            .entry(item.event.clone())
            .or_default()
            .push((index, item));
    }
    let lanes = by_event
        .into_values()
        .map(|items| run_lane(env, sender, items));
    let mut answers: Vec<ItemAnswer> = join_all(lanes).await.into_iter().flatten().collect();
    answers.sort_by_key(|a| a.index);
    edge::respond::json(&serde_json::json!({ "results": answers }), 200)
}

async fn run_lane(env: &Env, sender: &Sender, items: Vec<(usize, BatchItem)>) -> Vec<ItemAnswer> {
    let mut answers = Vec::with_capacity(items.len());
    for (index, item) in items {
        let (status, body) = match apply_one(env, sender, index, item).await {
            Ok(receipt) => (
                if receipt.outcome == wire::Outcome::Applied {
                    201
                } else {
                    200
                },
                ItemBody::Receipt(receipt),
            ),
            Err(problem) => (problem.status, ItemBody::Problem(problem)),
        };
        answers.push(ItemAnswer {
            index,
            status,
            body,
        });
    }
    answers
}

/// Applies one message; problem fields are made absolute (`messages[3].message.entries[0].noc`) so the
/// feed can find the culprit in what it sent.
async fn apply_one(
    env: &Env,
    sender: &Sender,
    index: usize,
    item: BatchItem,
) -> Result<Receipt, Problem> {
    let event = parse_event(&item.event)
        .map_err(|err| Problem::from(err).field(format!("messages[{index}].event")))?;
    let bytes = item.message.get().as_bytes().to_vec();
    if bytes.len() > MESSAGE_LIMIT_BYTES {
        return Err(Problem::payload_too_large(MESSAGE_LIMIT_BYTES)
            .field(format!("messages[{index}].message")));
    }
    objects::write(env, &event, item.kind, bytes, sender)
        .await
        .map_err(|mut problem| {
            problem.field = problem.field.take().map(|inner| {
                if inner == "body" {
                    format!("messages[{index}].message")
                } else {
                    format!("messages[{index}].message.{inner}")
                }
            });
            problem
        })
}
