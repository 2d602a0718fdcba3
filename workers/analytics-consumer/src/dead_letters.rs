//! Dead letters: messages a consumer gave up on, kept in D1 with why until an operator replays them.
//! A replay sends the message's bytes back to the Queue it came from and marks it replayed; consumers are
//! idempotent, so replaying twice, or replaying what already got through, applies nothing twice. A message
//! that fails again after a replay comes back here as pending (same queue, event and version).

use serde::Deserialize;
use wasm_bindgen::JsValue;
use wire::ChangeRecord;
use wire::api::analytics::{DeadLetterRow, ReplayAnswer, ReplayRequest};
use wire::dead_letter::DeadLetter;
use worker::{D1Database, Env, QueueContentType, RawMessageBuilder, Result};

use crate::bindings;

const STORE: &str = "INSERT INTO dead_letters \
    (queue, event, event_version, request_id, error, sent_at_ms, failed_at_ms, body, replayed_at_ms) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL) \
    ON CONFLICT (queue, event, event_version) DO UPDATE SET error = excluded.error, \
      failed_at_ms = excluded.failed_at_ms, body = excluded.body, replayed_at_ms = NULL";

/// Keeps a dead letter. A raw message the platform moved here itself (its consumer could not report)
/// is kept with that as its error.
pub async fn store(db: &D1Database, bytes: &[u8], now_ms: u64) -> Result<()> {
    let letter = DeadLetter::from_msgpack(bytes)
        .ok()
        .flatten()
        .unwrap_or_else(|| DeadLetter {
            queue: "unknown".into(),
            error: "moved here by the platform: its consumer gave no reason".into(),
            sent_at_ms: now_ms,
            failed_at_ms: now_ms,
            body: bytes.to_vec(),
        });
    let record = ChangeRecord::from_msgpack(&letter.body).ok();
    let text = |value: Option<&str>| value.map_or(JsValue::NULL, JsValue::from_str);
    db.prepare(STORE)
        .bind(&[
            JsValue::from_str(&letter.queue),
            text(record.as_ref().map(|r| r.event.as_str())),
            record
                .as_ref()
                .map_or(JsValue::NULL, |r| JsValue::from_f64(r.event_version as f64)),
            text(record.as_ref().map(|r| r.request_id.as_str())),
            JsValue::from_str(&letter.error),
            JsValue::from_f64(letter.sent_at_ms as f64),
            JsValue::from_f64(letter.failed_at_ms as f64),
            js_sys::Uint8Array::from(letter.body.as_slice()).into(),
        ])?
        .run()
        .await?;
    tracing::error!(
        queue = %letter.queue,
        error = %letter.error,
        event = record.as_ref().map_or("", |r| r.event.as_str()),
        request_id = record.as_ref().map_or("", |r| r.request_id.as_str()),
        "dead letter kept"
    );
    Ok(())
}

#[derive(Deserialize)]
struct Row {
    id: f64,
    queue: String,
    event: Option<String>,
    event_version: Option<f64>,
    request_id: Option<String>,
    error: String,
    sent_at_ms: f64,
    failed_at_ms: f64,
    replayed_at_ms: Option<f64>,
}

impl From<Row> for DeadLetterRow {
    fn from(row: Row) -> Self {
        DeadLetterRow {
            id: row.id as i64,
            queue: row.queue,
            event: row.event,
            event_version: row.event_version.map(|v| v as u64),
            request_id: row.request_id.filter(|r| !r.is_empty()),
            error: row.error,
            sent_at_ms: row.sent_at_ms as u64,
            failed_at_ms: row.failed_at_ms as u64,
            replayed_at_ms: row.replayed_at_ms.map(|v| v as u64),
        }
    }
}

/// The newest dead letters, pending and replayed.
pub async fn list(db: &D1Database, limit: u32) -> Result<Vec<DeadLetterRow>> {
    let rows: Vec<Row> = db
        .prepare(
            "SELECT id, queue, event, event_version, request_id, error, sent_at_ms, failed_at_ms, \
             replayed_at_ms FROM dead_letters ORDER BY failed_at_ms DESC, id DESC LIMIT ?1",
        )
        .bind(&[JsValue::from_f64(f64::from(limit))])?
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(DeadLetterRow::from).collect())
}

#[derive(Deserialize)]
struct Pending {
    id: f64,
    queue: String,
    body: Vec<u8>,
}

/// Sends the chosen dead letters (every pending one when `ids` is empty) back to their Queues.
pub async fn replay(
    env: &Env,
    db: &D1Database,
    request: &ReplayRequest,
    now_ms: u64,
) -> Result<ReplayAnswer> {
    let pending: Vec<Pending> = db
        .prepare(
            "SELECT id, queue, body FROM dead_letters WHERE replayed_at_ms IS NULL ORDER BY id",
        )
        .all()
        .await?
        .results()?;
    let mut replayed = Vec::new();
    for letter in pending {
        let id = letter.id as i64;
        if !request.ids.is_empty() && !request.ids.contains(&id) {
            continue;
        }
        let binding = match letter.queue.as_str() {
            bindings::ARCHIVE_QUEUE_NAME => bindings::ARCHIVE_QUEUE,
            bindings::ANALYTICS_QUEUE_NAME => bindings::ANALYTICS_QUEUE,
            other => {
                tracing::warn!(
                    id,
                    queue = other,
                    "dead letter of an unknown queue: not replayed"
                );
                continue;
            }
        };
        let message: JsValue = js_sys::Uint8Array::from(letter.body.as_slice()).into();
        env.queue(binding)?
            .send_raw(RawMessageBuilder::new(message).build_with_content_type(QueueContentType::V8))
            .await?;
        db.prepare("UPDATE dead_letters SET replayed_at_ms = ?1 WHERE id = ?2")
            .bind(&[
                JsValue::from_f64(now_ms as f64),
                JsValue::from_f64(letter.id),
            ])?
            .run()
            .await?;
        replayed.push(id);
    }
    tracing::warn!(count = replayed.len(), "dead letters replayed");
    Ok(ReplayAnswer { replayed })
}
