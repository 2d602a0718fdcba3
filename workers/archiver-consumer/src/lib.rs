//! The archiver: every applied change, as the event Durable Object recorded it, written to R2 under a key
//! per (event, event version). Redelivery overwrites the same key with the same bytes, so at-least-once
//! delivery never duplicates an archive entry.

use tracing::Instrument;
use wasm_bindgen::JsCast;
use worker::{Env, MessageBatch, MessageExt, Result, event};

/// The R2 bucket holding the archive. This Worker's only binding: it can write the archive and nothing else.
const ARCHIVE_BUCKET: &str = "ARCHIVE";

#[event(queue)]
pub async fn main(batch: MessageBatch<()>, env: Env, _ctx: worker::Context) -> Result<()> {
    edge::log::init("archiver-consumer");
    let bucket = env.bucket(ARCHIVE_BUCKET)?;
    for message in batch.raw_iter() {
        let bytes = match message.body().dyn_into::<js_sys::Uint8Array>() {
            Ok(array) => array.to_vec(),
            Err(_) => {
                // Not readable here; retries end in the dead-letter queue, where it is kept, not lost.
                tracing::error!("archive: message body is not bytes; retried");
                message.retry();
                continue;
            }
        };
        let record = match wire::ChangeRecord::from_msgpack(&bytes) {
            Ok(record) => record,
            Err(err) => {
                // A schema this consumer does not know yet (deploy order) or a corrupt record: retry, and
                // let the dead-letter queue keep it if it never becomes readable.
                tracing::error!(cause = %err, "archive: record unreadable; retried");
                message.retry();
                continue;
            }
        };
        let span = edge::log::request(&record.request_id);
        if record.body_in_archive {
            // The producer wrote this body to the archive itself (too large for a Queue message).
            let _in_request = span.enter();
            tracing::info!(key = %record.archive_key(), "change archived by its producer");
            message.ack();
            continue;
        }
        let stored = bucket
            .put(record.archive_key(), record.body_json.clone().into_bytes())
            .custom_metadata(metadata(&record))
            .execute()
            .instrument(span.clone())
            .await;
        let _in_request = span.enter();
        match stored {
            Ok(_) => {
                tracing::info!(key = %record.archive_key(), "change archived");
                message.ack();
            }
            Err(err) => {
                // R2 hiccups are transient; the Queue redelivers with backoff and, after max_retries,
                // parks the message in the dead-letter queue instead of losing it.
                tracing::error!(key = %record.archive_key(), cause = %err, "archive: put failed; retried");
                message.retry();
            }
        }
    }
    Ok(())
}

fn metadata(record: &wire::ChangeRecord) -> std::collections::HashMap<String, String> {
    [
        ("kind", record.kind.as_str().to_string()),
        ("unit", record.unit.clone()),
        ("unit_version", record.unit_version.to_string()),
        ("status", record.status.clone()),
        ("message_id", record.message_id.clone()),
        ("feed", record.feed.clone()),
        ("received_at_ms", record.received_at_ms.to_string()),
        ("request_id", record.request_id.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[cfg(test)]
mod tests {
    use invariants::Kind;

    #[test]
    fn every_binding_is_declared_in_the_config_and_every_declared_one_is_used() {
        let used = [(Kind::R2Bucket, super::ARCHIVE_BUCKET)];
        let checked =
            invariants::check(env!("CARGO_MANIFEST_DIR"), "archiver-consumer", &used, &[]);
        assert_eq!(checked, Ok(()));
    }
}
