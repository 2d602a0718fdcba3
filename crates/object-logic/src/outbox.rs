//! The outbox's decisions. Every applied change is stored with one outbox row per destination in the
//! same atomic write as the change itself; the object then delivers the rows, and a row leaves the
//! outbox only when its destination took it. This module says where rows go, how long to wait after a
//! failure, and what a refusal means:
//!
//! - a destination that fails (unreachable, a Queue error, a 5xx) is retried after one second, then
//!   twice as long each time up to five minutes, for as long as it takes: an acknowledged change
//!   always arrives, and a destination down for hours does not keep the object awake every second;
//! - a destination that refuses a row for good (a 4xx: the row itself is wrong, and sending it again
//!   cannot help) is not retried forever: the row is moved to the object's dead letters, with the
//!   reason, for an operator to inspect and replay.
//!
//! Every destination is idempotent (keyed by event and event version), so a row delivered twice is
//! harmless.

/// Where an outbox row goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Destination {
    /// The archive Queue (R2): the replayable record of every change.
    Archive,
    /// The analytics Queue (D1).
    Analytics,
    /// The standings object: the event's listing and medals.
    Standings,
}

impl Destination {
    /// The change records of every applied change go to these two.
    pub const QUEUES: [Destination; 2] = [Destination::Archive, Destination::Analytics];

    /// As stored in the outbox table.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Archive => "archive",
            Self::Analytics => "analytics",
            Self::Standings => "standings",
        }
    }

    /// A stored destination. One it does not know (nothing has ever stored one) is dead-lettered by the
    /// object rather than retried or dropped.
    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "archive" => Some(Self::Archive),
            "analytics" => Some(Self::Analytics),
            "standings" => Some(Self::Standings),
            _ => None,
        }
    }
}

/// How one delivery attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The destination took the row: delete it.
    Delivered,
    /// It could not take it now: keep the row and retry later.
    Failed,
    /// It refused the row for good: move it to the dead letters with `reason`.
    Refused { reason: String },
}

impl Delivery {
    /// The outcome of a call that answered `status` (`reason` describes a refusal).
    pub fn of_status(status: u16, reason: impl FnOnce() -> String) -> Self {
        match status {
            200..=299 => Self::Delivered,
            400..=499 if status != 408 && status != 429 => Self::Refused { reason: reason() },
            _ => Self::Failed,
        }
    }
}

/// Retries start one second after a failure…
pub const RETRY_FIRST_MS: u64 = 1_000;
/// …and double up to five minutes.
pub const RETRY_MAX_MS: u64 = 5 * 60 * 1_000;
/// The alarm set before a background drain: it finds nothing to do unless that drain was cut short.
pub const SAFETY_NET_MS: u64 = 30_000;
/// Queues take at most 100 messages per batch send.
pub const BATCH: u32 = 100;
/// Below the Queue message limit of 128 KB, with room for the record's other fields. A larger record's
/// body goes to the archive bucket first and the record travels without it.
pub const QUEUE_BODY_LIMIT: usize = 120 * 1024;

/// How long to wait before the next attempt, after the most-tried pending row failed `attempts` times.
pub fn retry_delay_ms(attempts: u32) -> u64 {
    RETRY_FIRST_MS
        .saturating_mul(1u64 << attempts.saturating_sub(1).min(20))
        .min(RETRY_MAX_MS)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn retries_back_off_from_a_second_to_five_minutes() {
        let delays: Vec<u64> = (0..=12).map(retry_delay_ms).collect();
        assert_eq!(
            delays,
            [
                1_000, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000,
                300_000, 300_000, 300_000
            ]
        );
        assert_eq!(retry_delay_ms(u32::MAX), RETRY_MAX_MS);
    }

    #[test]
    fn a_refusal_is_final_but_a_failure_or_a_throttle_is_retried() {
        let check = |status: u16, expected: &str| {
            let outcome = match Delivery::of_status(status, || format!("answered {status}")) {
                Delivery::Delivered => "delivered".to_string(),
                Delivery::Failed => "retry".to_string(),
                Delivery::Refused { reason } => format!("dead letter: {reason}"),
            };
            assert_eq!(outcome, expected, "{status}");
        };
        check(200, "delivered");
        check(204, "delivered");
        check(400, "dead letter: answered 400");
        check(422, "dead letter: answered 422");
        check(408, "retry");
        check(429, "retry");
        check(500, "retry");
        check(503, "retry");
    }

    #[test]
    fn stored_destinations_read_back() {
        for destination in [
            Destination::Archive,
            Destination::Analytics,
            Destination::Standings,
        ] {
            assert_eq!(Destination::parse(destination.as_str()), Some(destination));
        }
        assert_eq!(Destination::parse("elsewhere"), None);
    }
}
