//! The analytics consumer: one D1 row per applied change, written in one batch per Queue batch.
//! `INSERT OR IGNORE` on the change's identity makes redelivery harmless.

use wasm_bindgen::{JsCast, JsValue};
use worker::{Date, Env, MessageBatch, MessageExt, Result, event};

/// The D1 database of changes. This Worker's only binding.
const ANALYTICS_DB: &str = "ANALYTICS_DB";

const INSERT: &str = "INSERT OR IGNORE INTO changes \
    (event, event_version, kind, unit, unit_version, status, message_id, feed, received_at_ms, medals_changed, recorded_at_ms) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

#[event(queue)]
pub async fn main(batch: MessageBatch<()>, env: Env, _ctx: worker::Context) -> Result<()> {
    edge::log::init("analytics-consumer");
    let db = env.d1(ANALYTICS_DB)?;
    let now = Date::now().as_millis() as f64;
    let mut statements = Vec::new();
    let mut pending = Vec::new();
    for message in batch.raw_iter() {
        let decoded = message
            .body()
            .dyn_into::<js_sys::Uint8Array>()
            .map_err(|_| "message body is not bytes".to_string())
            .and_then(|bytes| {
                wire::ChangeRecord::from_msgpack(&bytes.to_vec()).map_err(|e| e.to_string())
            });
        match decoded {
            Ok(record) => {
                statements.push(db.prepare(INSERT).bind(&row(&record, now))?);
                pending.push((message, record));
            }
            Err(reason) => {
                // Retries end in the dead-letter queue, which keeps what this version cannot read.
                tracing::error!(cause = %reason, "analytics: record unreadable, retried");
                message.retry();
            }
        }
    }
    if statements.is_empty() {
        return Ok(());
    }
    // One D1 batch is one transaction: either every row of this delivery lands or none does.
    match db.batch(statements).await {
        Ok(_) => {
            for (message, record) in &pending {
                let _in_request = edge::log::request(&record.request_id).entered();
                tracing::info!(
                    event = %record.event,
                    event_version = record.event_version,
                    "change recorded"
                );
                message.ack();
            }
        }
        Err(err) => {
            tracing::error!(cause = %err, "analytics: batch insert failed, retried");
            pending.iter().for_each(|(message, _)| message.retry());
        }
    }
    Ok(())
}

fn row(record: &wire::ChangeRecord, now_ms: f64) -> Vec<JsValue> {
    vec![
        JsValue::from_str(&record.event),
        JsValue::from_f64(record.event_version as f64),
        JsValue::from_str(record.kind.as_str()),
        JsValue::from_str(&record.unit),
        JsValue::from_f64(record.unit_version as f64),
        JsValue::from_str(&record.status),
        JsValue::from_str(&record.message_id),
        JsValue::from_str(&record.feed),
        JsValue::from_f64(record.received_at_ms as f64),
        JsValue::from_f64(if record.medals_changed { 1.0 } else { 0.0 }),
        JsValue::from_f64(now_ms),
    ]
}

#[cfg(test)]
mod tests {
    use invariants::Kind;

    #[test]
    fn every_binding_is_declared_in_the_config_and_every_declared_one_is_used() {
        let used = [(Kind::D1Database, super::ANALYTICS_DB)];
        let checked =
            invariants::check(env!("CARGO_MANIFEST_DIR"), "analytics-consumer", &used, &[]);
        assert_eq!(checked, Ok(()));
    }
}
