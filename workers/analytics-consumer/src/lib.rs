//! The analytics consumer: the operators' memory, in D1.
//!
//! - From the analytics Queue ([`record`]): one row per applied change and the changes per event per
//!   minute; the read gateway's read counts per minute.
//! - From the dead-letters Queue ([`dead_letters`]): messages any consumer gave up on, with why.
//! - Through its service binding, for the ingest gateway's operators' routes ([`service`]): the reports
//!   ([`stats`]), the dead letters and their replay, the refusals the ingest gateway counts, and the
//!   operators' audit trail ([`audit`]).
//!
//! A message it cannot handle is retried with back-off and, past the policy, dead-lettered
//! (`edge::queue`); everything it writes is keyed so that a redelivery adds nothing.

mod audit;
mod bindings;
mod dead_letters;
mod record;
mod service;
mod stats;

use edge::queue::{self, RetryPolicy};
use tracing::Instrument;
use wasm_bindgen::JsCast;
use wire::analytics::AnalyticsMessage;
use worker::{Context, Env, MessageBatch, MessageExt, Request, Response, Result, event};

#[event(queue)]
pub async fn main(batch: MessageBatch<()>, env: Env, _ctx: Context) -> Result<()> {
    edge::log::init("analytics-consumer");
    let queue_name = batch.queue();
    let db = env.d1(bindings::ANALYTICS_DB)?;
    let policy = RetryPolicy::from_setting(
        env.var(bindings::DEAD_LETTER_AFTER_SECONDS)
            .ok()
            .map(|v| v.to_string())
            .as_deref(),
    );
    let now_ms = worker::Date::now().as_millis();
    for message in batch.raw_iter() {
        let Ok(bytes) = message
            .body()
            .dyn_into::<js_sys::Uint8Array>()
            .map(|array| array.to_vec())
        else {
            queue::failed(
                &env,
                bindings::DEAD_LETTERS,
                &policy,
                &queue_name,
                &message,
                Vec::new(),
                "the message body is not bytes",
            )
            .await;
            continue;
        };
        let handled = if queue_name == bindings::DEAD_LETTERS_QUEUE_NAME {
            dead_letters::store(&db, &bytes, now_ms)
                .await
                .map_err(|e| e.to_string())
        } else {
            handle(&env, &db, &bytes, now_ms).await
        };
        match handled {
            Ok(()) => message.ack(),
            // A dead letter that cannot be kept is retried by the Queue alone: past its limit the platform's
            // own dead-letter Queue holds it (a dead letter of a dead letter would loop).
            Err(error) if queue_name == bindings::DEAD_LETTERS_QUEUE_NAME => {
                tracing::error!(error = %error, "dead letter not kept; retried");
                message.retry();
            }
            Err(error) => {
                queue::failed(
                    &env,
                    bindings::DEAD_LETTERS,
                    &policy,
                    &queue_name,
                    &message,
                    bytes,
                    &error,
                )
                .await;
            }
        }
    }
    Ok(())
}

/// Records one analytics message, under the request id of the change it carries.
async fn handle(
    env: &Env,
    db: &worker::D1Database,
    bytes: &[u8],
    now_ms: u64,
) -> std::result::Result<(), String> {
    match AnalyticsMessage::decode(bytes).map_err(|e| e.to_string())? {
        AnalyticsMessage::Change(record) => {
            let span = edge::log::request(&record.request_id);
            async {
                let statements = record::change(db, &record, now_ms).map_err(|e| e.to_string())?;
                db.batch(statements).await.map_err(|e| format!("D1: {e}"))?;
                if let Ok(metrics) = env.analytics_engine(bindings::OPS_METRICS) {
                    metrics.write_data_point(
                        &worker::AnalyticsEngineDataPointBuilder::new()
                            .indexes([record.event.as_str()].as_slice())
                            .add_blob(record.feed.as_str())
                            .add_blob(record.status.as_str())
                            .add_double(record.received_at_ms.saturating_sub(record.sent_at_ms.unwrap_or(record.received_at_ms)) as f64)
                            .build(),
                    ).ok();
                }
                tracing::info!(event = %record.event, event_version = record.event_version, "change recorded");
                Ok(())
            }
            .instrument(span)
            .await
        }
        AnalyticsMessage::Reads(reads) => {
            // A fresh token per delivery: a redelivery carries the same message id, and must add nothing.
            let token = edge::log::new_request_id();
            let statements =
                record::reads(db, &reads, &token, now_ms).map_err(|e| e.to_string())?;
            db.batch(statements).await.map_err(|e| format!("D1: {e}"))?;
            Ok(())
        }
    }
}

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    edge::log::init("analytics-consumer");
    let span = edge::log::request(&edge::log::request_id_from_caller(req.headers()));
    let path = req.path();
    let result = service::handle(req, &env).instrument(span.clone()).await;
    let _in_request = span.enter();
    edge::respond::finish(result, &path)
}
