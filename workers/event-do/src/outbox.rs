//! At-least-once delivery of applied changes: to the archive and analytics Queues, and to the standings
//! object.
//!
//! A change and its outbox rows are stored together (see [`crate::store::record_change`]); only then are
//! the rows delivered. A row leaves the outbox when its destination accepts it. If a delivery fails, the
//! rows stay and an alarm retries them, after one second and then twice as long each time up to five
//! minutes, for as long as it takes: an acknowledged change always reaches every destination, and a
//! destination that is down for hours does not keep the object awake every second. Every destination
//! is idempotent, so a row delivered twice is harmless.
//!
//! A Queue message may be at most 128 KB. A change record too large for that (a 1,000-competitor results
//! message) has its body written to the archive bucket first, under the key the archiver would use, and
//! travels without it.

use std::collections::BTreeMap;

use wasm_bindgen::JsValue;
use worker::{Env, QueueContentType, RawMessageBuilder, SendMessage, State};

use crate::digest::EventDigest;
use crate::{bindings, standings, store};

/// Queues take at most 100 messages per batch send.
const BATCH: u32 = 100;
const RETRY_FIRST_MS: u64 = 1_000;
/// The alarm set before a background drain: it finds nothing to do unless that drain was cut short.
pub const SAFETY_NET_MS: u64 = 30_000;
const RETRY_MAX_MS: u64 = 5 * 60 * 1_000;
/// Below the Queue message limit of 128 KB, with room for the record's other fields.
const QUEUE_BODY_LIMIT: usize = 120 * 1024;

/// The outbox rows of one change record: one per Queue.
pub fn rows_for(record: &wire::ChangeRecord) -> Vec<(&'static str, Vec<u8>)> {
    let bytes = record.to_msgpack();
    vec![
        (bindings::ARCHIVE_QUEUE, bytes.clone()),
        (bindings::ANALYTICS_QUEUE, bytes),
    ]
}

/// The outbox row that tells the standings object about an event's listing and medals.
pub fn standings_row(digest: &EventDigest) -> (&'static str, Vec<u8>) {
    (
        bindings::STANDINGS,
        serde_json::to_vec(digest).unwrap_or_default(),
    )
}

/// Delivers everything pending. Returns true when the outbox is empty afterwards.
pub async fn drain(state: &State, env: &Env) -> bool {
    let sql = state.storage().sql();
    loop {
        let pending = match store::pending(&sql, BATCH) {
            Ok(rows) => rows,
            Err(err) => {
                worker::console_error!("outbox: read failed: {err}");
                return false;
            }
        };
        if pending.is_empty() {
            return true;
        }
        let mut by_destination: BTreeMap<String, Vec<store::Pending>> = BTreeMap::new();
        for row in pending {
            by_destination
                .entry(row.queue.clone())
                .or_default()
                .push(row);
        }
        let mut all_delivered = true;
        for (destination, rows) in by_destination {
            let (delivered, failed) = if destination == bindings::STANDINGS {
                deliver_to_standings(env, rows).await
            } else {
                deliver_to_queue(env, &destination, rows).await
            };
            all_delivered &= failed.is_empty();
            if let Err(err) =
                store::delivered(&sql, &delivered).and_then(|_| store::failed(&sql, &failed))
            {
                worker::console_error!("outbox: bookkeeping failed: {err}");
                all_delivered = false;
            }
        }
        if !all_delivered {
            return false;
        }
    }
}

/// Sends rows to a Queue in one batch; returns (delivered, failed) row numbers.
async fn deliver_to_queue(
    env: &Env,
    queue_name: &str,
    rows: Vec<store::Pending>,
) -> (Vec<i64>, Vec<i64>) {
    let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
    let mut messages: Vec<SendMessage<JsValue>> = Vec::with_capacity(rows.len());
    for row in &rows {
        match fit_for_queue(env, queue_name, &row.body).await {
            Ok(bytes) => messages.push(
                RawMessageBuilder::new(js_sys::Uint8Array::from(bytes.as_slice()).into())
                    .build_with_content_type(QueueContentType::V8),
            ),
            Err(err) => {
                worker::console_error!(
                    "outbox: could not prepare a record for {queue_name}: {err}"
                );
                return (Vec::new(), seqs);
            }
        }
    }
    let sent = match env.queue(queue_name) {
        Ok(queue) => queue.send_raw_batch(messages).await,
        Err(err) => Err(err),
    };
    match sent {
        Ok(()) => (seqs, Vec::new()),
        Err(err) => {
            worker::console_error!("outbox: send to {queue_name} failed: {err}");
            (Vec::new(), seqs)
        }
    }
}

/// Returns the bytes to enqueue: the row itself, or, when it is too large for a Queue message, the record
/// without its body once the body is safely in the archive bucket.
async fn fit_for_queue(env: &Env, queue_name: &str, bytes: &[u8]) -> worker::Result<Vec<u8>> {
    if bytes.len() <= QUEUE_BODY_LIMIT {
        return Ok(bytes.to_vec());
    }
    let mut record = wire::ChangeRecord::from_msgpack(bytes)
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
    if queue_name == bindings::ARCHIVE_QUEUE {
        env.bucket(bindings::ARCHIVE)?
            .put(record.archive_key(), record.body_json.clone().into_bytes())
            .execute()
            .await?;
    }
    record.body_json = String::new();
    record.body_in_archive = true;
    Ok(record.to_msgpack())
}

/// Hands digests to the standings object one by one; returns (delivered, failed) row numbers.
async fn deliver_to_standings(env: &Env, rows: Vec<store::Pending>) -> (Vec<i64>, Vec<i64>) {
    let stub = match env
        .durable_object(bindings::STANDINGS)
        .and_then(|ns| ns.get_by_name(standings::GAMES))
    {
        Ok(stub) => stub,
        Err(err) => {
            worker::console_error!("outbox: standings stub: {err}");
            return (Vec::new(), rows.iter().map(|r| r.seq).collect());
        }
    };
    let (mut delivered, mut failed) = (Vec::new(), Vec::new());
    for row in rows {
        let ok = async {
            let headers = worker::Headers::new();
            headers.set("content-type", "application/json")?;
            let mut init = worker::RequestInit::new();
            init.with_method(worker::Method::Put)
                .with_headers(headers)
                .with_body(Some(js_sys::Uint8Array::from(row.body.as_slice()).into()));
            let url = format!(
                "{}/standings/events/digest",
                wire::internal::EVENT_ROOM_ORIGIN
            );
            let response = stub
                .fetch_with_request(worker::Request::new_with_init(&url, &init)?)
                .await?;
            Ok::<bool, worker::Error>(response.status_code() < 300)
        }
        .await;
        match ok {
            Ok(true) => delivered.push(row.seq),
            Ok(false) => {
                worker::console_error!("outbox: the standings refused a digest");
                failed.push(row.seq);
            }
            Err(err) => {
                worker::console_error!("outbox: standings delivery failed: {err}");
                failed.push(row.seq);
            }
        }
    }
    (delivered, failed)
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
    let delay = RETRY_FIRST_MS
        .saturating_mul(1u64 << attempts.saturating_sub(1).min(20))
        .min(RETRY_MAX_MS);
    // set_alarm takes an offset from now.
    if let Err(err) = storage
        .set_alarm(std::time::Duration::from_millis(delay))
        .await
    {
        worker::console_error!("outbox: could not schedule a retry: {err}");
    }
}
