//! What a Queue consumer does with a message it could not handle: retry it later, with a delay that
//! grows with the message's age, until it has failed for long enough; then hand it to the dead-letters
//! Queue with its error, and acknowledge it, so the rest flows on. Operators list and replay dead letters
//! (`/v1/admin/dead-letters`); every consumer is idempotent, so a replay applies a change at most once.
//!
//! The age, not an attempt count, decides: the message's own send time survives redeliveries, and an
//! outage of N minutes costs the same number of tries whatever the batch sizes were.

use wasm_bindgen::JsValue;
use wire::dead_letter::DeadLetter;
use worker::{
    Env, MessageExt, QueueContentType, QueueRetryOptionsBuilder, RawMessage, RawMessageBuilder,
};

/// How long a consumer keeps trying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// A message failing for this long is dead-lettered.
    pub give_up_after_ms: u64,
    pub first_delay_s: u32,
    pub max_delay_s: u32,
}

impl RetryPolicy {
    /// Half an hour of retries, a second apart at first and at most five minutes apart: an outage of
    /// the database or bucket is ridden out, a message that cannot succeed is set aside.
    pub const DEFAULT: RetryPolicy = RetryPolicy {
        give_up_after_ms: 30 * 60 * 1000,
        first_delay_s: 1,
        max_delay_s: 300,
    };

    /// The default, or `give_up_after_seconds` from a setting (the local stack shortens it).
    pub fn from_setting(give_up_after_seconds: Option<&str>) -> Self {
        match give_up_after_seconds.and_then(|s| s.parse::<u64>().ok()) {
            Some(seconds) if seconds > 0 => RetryPolicy {
                give_up_after_ms: seconds * 1000,
                ..Self::DEFAULT
            },
            _ => Self::DEFAULT,
        }
    }
}

/// What to do with a failed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Retry { delay_seconds: u32 },
    DeadLetter,
}

/// A message first sent at `sent_at_ms` failed at `now_ms`. The delay is half its age (so tries thin out
/// roughly as a doubling back-off would), within the policy's bounds.
pub fn verdict(policy: &RetryPolicy, sent_at_ms: u64, now_ms: u64) -> Verdict {
    let age_ms = now_ms.saturating_sub(sent_at_ms);
    if age_ms >= policy.give_up_after_ms {
        return Verdict::DeadLetter;
    }
    let half_age_s = u32::try_from(age_ms / 2000).unwrap_or(u32::MAX);
    Verdict::Retry {
        delay_seconds: half_age_s.clamp(policy.first_delay_s, policy.max_delay_s),
    }
}

/// Retries `message` or, past the policy, sends it to the dead-letters Queue (binding `dead_letters`) with
/// `error` and acknowledges it. `body` is the message's bytes as they were on `queue`.
pub async fn failed(
    env: &Env,
    dead_letters: &str,
    policy: &RetryPolicy,
    queue: &str,
    message: &RawMessage,
    body: Vec<u8>,
    error: &str,
) {
    let sent_at_ms = message.timestamp().as_millis();
    let now_ms = worker::Date::now().as_millis();
    match verdict(policy, sent_at_ms, now_ms) {
        Verdict::Retry { delay_seconds } => {
            tracing::warn!(queue, error, delay_seconds, "message failed; retried");
            message.retry_with_options(
                &QueueRetryOptionsBuilder::new()
                    .with_delay_seconds(delay_seconds)
                    .build(),
            );
        }
        Verdict::DeadLetter => {
            let letter = DeadLetter {
                queue: queue.to_string(),
                error: error.to_string(),
                sent_at_ms,
                failed_at_ms: now_ms,
                body,
            };
            let bytes = letter.to_msgpack();
            let sent = match env.queue(dead_letters) {
                Ok(binding) => {
                    let raw: JsValue = js_sys::Uint8Array::from(bytes.as_slice()).into();
                    binding
                        .send_raw(
                            RawMessageBuilder::new(raw)
                                .build_with_content_type(QueueContentType::V8),
                        )
                        .await
                }
                Err(err) => Err(err),
            };
            match sent {
                Ok(()) => {
                    tracing::error!(queue, error, "message dead-lettered after retrying");
                    message.ack();
                }
                Err(err) => {
                    // Retried again; past the Queue's own limit the platform's dead-letter Queue keeps it.
                    tracing::error!(queue, error, cause = %err, "dead letter not sent; retried");
                    message.retry();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn retries_thin_out_with_age_then_give_up() {
        let policy = RetryPolicy::DEFAULT;
        let at = |age_s: u64| verdict(&policy, 1_000_000, 1_000_000 + age_s * 1000);
        assert_eq!(at(0), Verdict::Retry { delay_seconds: 1 });
        assert_eq!(at(10), Verdict::Retry { delay_seconds: 5 });
        assert_eq!(at(100), Verdict::Retry { delay_seconds: 50 });
        assert_eq!(at(1_000), Verdict::Retry { delay_seconds: 300 });
        assert_eq!(at(1_799), Verdict::Retry { delay_seconds: 300 });
        assert_eq!(at(1_800), Verdict::DeadLetter);
        // A clock behind the send time is age zero, not a panic.
        assert_eq!(verdict(&policy, 5, 1), Verdict::Retry { delay_seconds: 1 });
    }

    #[test]
    fn the_setting_only_shortens_or_lengthens_the_horizon() {
        assert_eq!(RetryPolicy::from_setting(None), RetryPolicy::DEFAULT);
        assert_eq!(RetryPolicy::from_setting(Some("x")), RetryPolicy::DEFAULT);
        assert_eq!(RetryPolicy::from_setting(Some("0")), RetryPolicy::DEFAULT);
        let short = RetryPolicy::from_setting(Some("8"));
        assert_eq!(short.give_up_after_ms, 8_000);
        assert_eq!(short.max_delay_s, 300);
    }
}
