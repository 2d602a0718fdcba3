//! The archiver: every applied change, as the event Durable Object recorded it, written to R2 under a key
//! per (event, event version), its body the applied message and its metadata the rest of the record, so
//! the archive alone can rebuild an event. Redelivery overwrites the same key with the same bytes, so
//! at-least-once delivery never duplicates an archive entry. A message it cannot archive is retried with
//! back-off and, past the policy, dead-lettered with its error (`edge::queue`).

use std::collections::HashMap;

use edge::queue::{self, RetryPolicy};
use tracing::Instrument;
use wasm_bindgen::JsCast;
use worker::{Env, MessageBatch, MessageExt, Result, event};

/// The R2 bucket holding the archive: the one store this Worker can write.
const ARCHIVE_BUCKET: &str = "ARCHIVE";
/// Where messages it gives up on go, with why.
const DEAD_LETTERS: &str = "DEAD_LETTERS";
/// Optional: seconds a failing message is retried before it is dead-lettered (default 1800).
const DEAD_LETTER_AFTER_SECONDS: &str = "DEAD_LETTER_AFTER_SECONDS";

#[event(queue)]
pub async fn main(batch: MessageBatch<()>, env: Env, _ctx: worker::Context) -> Result<()> {
    edge::log::init("archiver-consumer");
    let queue_name = batch.queue();
    let bucket = env.bucket(ARCHIVE_BUCKET)?;
    let policy = RetryPolicy::from_setting(
        env.var(DEAD_LETTER_AFTER_SECONDS)
            .ok()
            .map(|v| v.to_string())
            .as_deref(),
    );
    for message in batch.raw_iter() {
        let Ok(bytes) = message
            .body()
            .dyn_into::<js_sys::Uint8Array>()
            .map(|array| array.to_vec())
        else {
            queue::failed(
                &env,
                DEAD_LETTERS,
                &policy,
                &queue_name,
                &message,
                Vec::new(),
                "the message body is not bytes",
            )
            .await;
            continue;
        };
        let record = match wire::ChangeRecord::from_msgpack(&bytes) {
            Ok(record) => record,
            Err(err) => {
                // A schema this consumer does not know yet (deploy order) or a corrupt record.
                queue::failed(
                    &env,
                    DEAD_LETTERS,
                    &policy,
                    &queue_name,
                    &message,
                    bytes,
                    &err.to_string(),
                )
                .await;
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
            .custom_metadata(
                record
                    .archive_metadata()
                    .into_iter()
                    .collect::<HashMap<_, _>>(),
            )
            .execute()
            .instrument(span.clone())
            .await;
        match stored {
            Ok(_) => {
                let _in_request = span.enter();
                tracing::info!(key = %record.archive_key(), "change archived");
                message.ack();
            }
            Err(err) => {
                let error = format!("R2 put {}: {err}", record.archive_key());
                queue::failed(
                    &env,
                    DEAD_LETTERS,
                    &policy,
                    &queue_name,
                    &message,
                    bytes,
                    &error,
                )
                .instrument(span)
                .await;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use invariants::Kind;

    #[test]
    fn every_binding_is_declared_in_the_config_and_every_declared_one_is_used() {
        let used = [
            (Kind::R2Bucket, super::ARCHIVE_BUCKET),
            (Kind::QueueProducer, super::DEAD_LETTERS),
            (Kind::Var, super::DEAD_LETTER_AFTER_SECONDS),
        ];
        let checked = invariants::check(
            env!("CARGO_MANIFEST_DIR"),
            "archiver-consumer",
            &used,
            &[super::DEAD_LETTER_AFTER_SECONDS],
        );
        assert_eq!(checked, Ok(()));
    }
}
