//! The batch form: many messages in one request, answered message by message.
//!
//! Messages for one event are applied in the order given (a feed's version order matters); different
//! events proceed concurrently. One bad message gets its own problem and does not block the others.

use std::collections::BTreeMap;

use edge::Problem;
use futures_util::future::join_all;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use worker::{Env, Response};

use crate::forward::{self, Target};

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
    kind: Kind,
    message: Box<RawValue>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Definition,
    Results,
    Game,
}

#[derive(Serialize)]
struct ItemAnswer {
    index: usize,
    status: u16,
    /// The receipt on success, the problem otherwise: exactly what the single-message route answers.
    body: serde_json::Value,
}

pub async fn handle(env: &Env, feed: &str, bytes: &[u8]) -> Result<Response, Problem> {
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
        .map(|items| run_lane(env, feed, items));
    let mut answers: Vec<ItemAnswer> = join_all(lanes).await.into_iter().flatten().collect();
    answers.sort_by_key(|a| a.index);
    edge::respond::json(&serde_json::json!({ "results": answers }), 200)
}

async fn run_lane(env: &Env, feed: &str, items: Vec<(usize, BatchItem)>) -> Vec<ItemAnswer> {
    let mut answers = Vec::with_capacity(items.len());
    for (index, item) in items {
        let (status, body) = match apply_one(env, feed, index, &item).await {
            Ok(answer) => answer,
            Err(problem) => (
                problem.status,
                serde_json::to_value(&problem).unwrap_or_default(),
            ),
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
    feed: &str,
    index: usize,
    item: &BatchItem,
) -> Result<(u16, serde_json::Value), Problem> {
    let event = crate::routes::event_code(&item.event)
        .map_err(|p| p.field(format!("messages[{index}].event")))?;
    let target = match item.kind {
        Kind::Definition => Target::PutDefinition,
        Kind::Results => Target::PostResults,
        Kind::Game => Target::PostGame,
    };
    let bytes = item.message.get().as_bytes().to_vec();
    if bytes.len() > crate::routes::MESSAGE_LIMIT_BYTES {
        return Err(
            Problem::payload_too_large(crate::routes::MESSAGE_LIMIT_BYTES)
                .field(format!("messages[{index}].message")),
        );
    }
    let mut response = forward::send(env, &event, target, Some(bytes), "", feed).await?;
    let status = response.status_code();
    let text = response.text().await.map_err(|_| Problem::internal())?;
    let mut body = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
    if status >= 400
        && let Some(field) = body.get_mut("field")
    {
        let inner = field.as_str().unwrap_or("body");
        *field = serde_json::Value::String(if inner == "body" {
            format!("messages[{index}].message")
        } else {
            format!("messages[{index}].message.{inner}")
        });
    }
    Ok((status, body))
}
