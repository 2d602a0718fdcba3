//! A Queue message a consumer gave up on, with why: consumers send it to the dead-letters Queue after
//! retrying with back-off for long enough, and the analytics consumer keeps it in D1, where operators list
//! and replay it (`/v1/admin/dead-letters`). Replaying sends `body` back to `queue` as it was; every
//! consumer is idempotent, so a replay applies a change at most once.

use serde::{Deserialize, Serialize};

use crate::change::DecodeError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The Queue the message was consumed from (`olympic-archive`, `olympic-analytics`).
    pub queue: String,
    /// The last error the consumer met.
    pub error: String,
    /// When the message was first sent, and when the consumer gave up (Unix ms).
    pub sent_at_ms: u64,
    pub failed_at_ms: u64,
    /// The message exactly as it was on its Queue.
    #[serde(with = "serde_bytes")]
    pub body: Vec<u8>,
}

/// Marks a dead-letters Queue message, so a raw message the platform moved there itself (a consumer that
/// crashed before it could report) is told apart.
#[derive(Serialize, Deserialize)]
struct Envelope {
    dead_letter: DeadLetter,
}

impl DeadLetter {
    pub fn to_msgpack(&self) -> Vec<u8> {
        rmp_serde::to_vec_named(&Envelope {
            dead_letter: self.clone(),
        })
        .unwrap_or_default()
    }

    /// A dead letter as sent; `None` for anything else (a raw message the platform moved here).
    pub fn from_msgpack(bytes: &[u8]) -> Result<Option<Self>, DecodeError> {
        match rmp_serde::from_slice::<Envelope>(bytes) {
            Ok(envelope) => Ok(Some(envelope.dead_letter)),
            Err(_) => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_dead_letter_keeps_its_bytes_compactly_and_reads_back() {
        let letter = DeadLetter {
            queue: "olympic-analytics".into(),
            error: "D1: no such table: changes".into(),
            sent_at_ms: 1,
            failed_at_ms: 2,
            body: vec![7; 120 * 1024],
        };
        let bytes = letter.to_msgpack();
        assert!(bytes.len() < 121 * 1024, "{} bytes", bytes.len());
        assert_eq!(DeadLetter::from_msgpack(&bytes), Ok(Some(letter)));
        assert_eq!(DeadLetter::from_msgpack(&[0x90]), Ok(None));
    }
}
