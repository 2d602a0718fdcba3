//! At-least-once delivery of applied changes to the Queues.
//!
//! A change and its Queue messages are stored together (see [`crate::store::record_change`]); only then
//! are the messages sent. A message leaves the outbox when its Queue accepts it. If a send fails, the
//! rows stay and an alarm retries them with backoff, so an acknowledged change always reaches the
//! archive and analytics eventually. Consumers are idempotent, so a message sent twice is harmless.

use std::collections::BTreeMap;

use wasm_bindgen::JsValue;
use worker::{Env, QueueContentType, RawMessageBuilder, SendMessage, State};

use crate::store;

/// Queues take at most 100 messages per batch send.
const BATCH: u32 = 100;
const RETRY_DELAY_MS: u64 = 1_000;

/// Sends everything pending. Returns true when the outbox is empty afterwards.
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
        let mut by_queue: BTreeMap<String, Vec<store::Pending>> = BTreeMap::new();
        for row in pending {
            by_queue.entry(row.queue.clone()).or_default().push(row);
        }
        let mut all_sent = true;
        for (queue_name, rows) in by_queue {
            let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
            let sent = match env.queue(&queue_name) {
                Ok(queue) => {
                    let messages: Vec<SendMessage<JsValue>> = rows
                        .iter()
                        .map(|r| {
                            RawMessageBuilder::new(
                                js_sys::Uint8Array::from(r.body.as_slice()).into(),
                            )
                            .build_with_content_type(QueueContentType::V8)
                        })
                        .collect();
                    queue.send_raw_batch(messages).await
                }
                Err(err) => Err(err),
            };
            let recorded = match sent {
                Ok(()) => store::delivered(&sql, &seqs),
                Err(err) => {
                    worker::console_error!("outbox: send to {queue_name} failed: {err}");
                    all_sent = false;
                    store::failed(&sql, &seqs)
                }
            };
            if let Err(err) = recorded {
                worker::console_error!("outbox: bookkeeping failed: {err}");
                all_sent = false;
            }
        }
        if !all_sent {
            return false;
        }
    }
}

/// Drains the outbox, and if anything is left, asks for an alarm to try again.
pub async fn drain_or_schedule(state: &State, env: &Env) {
    if !drain(state, env).await {
        schedule_retry(state).await;
    }
}

pub async fn schedule_retry(state: &State) {
    let storage = state.storage();
    // An earlier alarm already pending will retry everything; don't push it later.
    if let Ok(Some(_)) = storage.get_alarm().await {
        return;
    }
    // set_alarm takes an offset from now.
    if let Err(err) = storage
        .set_alarm(std::time::Duration::from_millis(RETRY_DELAY_MS))
        .await
    {
        worker::console_error!("outbox: could not schedule a retry: {err}");
    }
}
