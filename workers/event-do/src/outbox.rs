//! Delivery of the outbox: the rows stored with each applied change go to the archive and analytics
//! Queues and to the standings object. What to do after each attempt (delete, retry with back-off,
//! dead-letter a refusal) is `object_logic::outbox`'s decision; this module does the sending.
//!
//! A Queue message may be at most 128 KB. A change record too large for that (a 1,000-competitor results
//! message) has its body written to the archive bucket first, under the key the archiver would use, and
//! travels without it.

use std::collections::BTreeMap;

use object_logic::outbox::{self, BATCH, Delivery, Destination, QUEUE_BODY_LIMIT};
use tracing::Instrument;
use wasm_bindgen::JsValue;
use wire::api::StandingsRoute;
use wire::digest::EventDigest;
use worker::{Env, QueueContentType, RawMessageBuilder, SendMessage, State};

use crate::{bindings, store};

/// The outbox row that tells the standings object about an event's listing and medals.
pub fn standings_row(digest: &EventDigest) -> (Destination, Vec<u8>) {
    (
        Destination::Standings,
        serde_json::to_vec(digest).unwrap_or_default(),
    )
}

/// Delivers everything pending. Returns true when nothing is left to retry.
pub async fn drain(state: &State, env: &Env) -> bool {
    let sql = state.storage().sql();
    loop {
        let pending = match store::pending(&sql, BATCH) {
            Ok(rows) => rows,
            Err(err) => {
                tracing::error!(cause = %err, "outbox: read failed");
                return false;
            }
        };
        if pending.is_empty() {
            return true;
        }
        let mut by_destination: BTreeMap<Option<Destination>, Vec<store::Pending>> =
            BTreeMap::new();
        for row in pending {
            by_destination
                .entry(Destination::parse(&row.destination))
                .or_default()
                .push(row);
        }
        let mut outcomes: Vec<(i64, Delivery)> = Vec::new();
        for (destination, rows) in by_destination {
            match destination {
                Some(Destination::Standings) => {
                    outcomes.extend(deliver_to_standings(env, rows).await);
                }
                Some(queue) => outcomes.extend(deliver_to_queue(env, queue, rows).await),
                None => outcomes.extend(rows.into_iter().map(|row| {
                    let reason = format!("unknown destination {:?}", row.destination);
                    (row.seq, Delivery::Refused { reason })
                })),
            }
        }
        let retry = outcomes
            .iter()
            .any(|(_, outcome)| *outcome == Delivery::Failed);
        if let Err(err) = store::settle(&sql, &outcomes, worker::Date::now().as_millis()) {
            tracing::error!(cause = %err, "outbox: bookkeeping failed");
            return false;
        }
        if retry {
            return false;
        }
    }
}

/// Sends rows to a Queue in one batch: all delivered, or all to retry.
async fn deliver_to_queue(
    env: &Env,
    queue: Destination,
    rows: Vec<store::Pending>,
) -> Vec<(i64, Delivery)> {
    let all = |outcome: Delivery| -> Vec<(i64, Delivery)> {
        rows.iter().map(|r| (r.seq, outcome.clone())).collect()
    };
    let mut messages: Vec<SendMessage<JsValue>> = Vec::with_capacity(rows.len());
    for row in &rows {
        match fit_for_queue(env, queue, &row.body).await {
            Ok(bytes) => messages.push(
                RawMessageBuilder::new(js_sys::Uint8Array::from(bytes.as_slice()).into())
                    .build_with_content_type(QueueContentType::V8),
            ),
            Err(err) => {
                tracing::error!(
                    destination = queue.as_str(),
                    cause = %err,
                    "outbox: could not prepare a record; retried"
                );
                return all(Delivery::Failed);
            }
        }
    }
    let binding = bindings::queue(queue)
        .ok_or_else(|| worker::Error::RustError(format!("{} is not a Queue", queue.as_str())))
        .and_then(|name| env.queue(name));
    let sent = match binding {
        Ok(binding) => binding.send_raw_batch(messages).await,
        Err(err) => Err(err),
    };
    match sent {
        Ok(()) => all(Delivery::Delivered),
        Err(err) => {
            tracing::error!(destination = queue.as_str(), cause = %err, "outbox: send failed; retried");
            all(Delivery::Failed)
        }
    }
}

/// Returns the bytes to enqueue: the row itself, or, when it is too large for a Queue message, the record
/// without its body once the body is safely in the archive bucket.
async fn fit_for_queue(env: &Env, queue: Destination, bytes: &[u8]) -> worker::Result<Vec<u8>> {
    if bytes.len() <= QUEUE_BODY_LIMIT {
        return Ok(bytes.to_vec());
    }
    let mut record = wire::ChangeRecord::from_msgpack(bytes)
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
    if queue == Destination::Archive {
        env.bucket(bindings::ARCHIVE)?
            .put(record.archive_key(), record.body_json.clone().into_bytes())
            .execute()
            .await?;
    }
    record.body_json = String::new();
    record.body_in_archive = true;
    Ok(record.to_msgpack())
}

/// Hands digests to the standings object one by one.
async fn deliver_to_standings(env: &Env, rows: Vec<store::Pending>) -> Vec<(i64, Delivery)> {
    let objects = bindings::objects(env);
    let mut outcomes = Vec::with_capacity(rows.len());
    for row in rows {
        // Under the id of the request that made the change, so the standings' lines join it.
        let span = edge::log::request(&row.request_id);
        let outcome = match objects
            .call(StandingsRoute::digest(row.body))
            .instrument(span)
            .await
        {
            Ok(_) => Delivery::Delivered,
            Err(edge::object::CallError::Refused { problem, .. }) => {
                Delivery::of_status(problem.status, || {
                    format!(
                        "the standings refused the digest: {} {}",
                        problem.status,
                        problem.detail.clone().unwrap_or_default()
                    )
                })
            }
            Err(err) => {
                tracing::error!(cause = %err, "outbox: standings delivery failed; retried");
                Delivery::Failed
            }
        };
        if let Delivery::Refused { reason } = &outcome {
            tracing::error!(cause = %reason, "outbox: dead letter");
        }
        outcomes.push((row.seq, outcome));
    }
    outcomes
}

/// Drains the outbox, and if anything is left, asks for an alarm to try again.
pub async fn drain_or_schedule(state: &State, env: &Env) {
    if !drain(state, env).await {
        schedule_retry(state).await;
    }
}

pub async fn schedule_retry(state: &State) {
    let storage = state.storage();
    // An alarm already pending will drain everything; don't push it later.
    if let Ok(Some(_)) = storage.get_alarm().await {
        return;
    }
    let attempts = store::max_attempts(&state.storage().sql()).unwrap_or(0);
    let delay = outbox::retry_delay_ms(attempts);
    // set_alarm takes an offset from now.
    if let Err(err) = storage
        .set_alarm(std::time::Duration::from_millis(delay))
        .await
    {
        tracing::error!(cause = %err, "outbox: could not schedule a retry");
    }
}
