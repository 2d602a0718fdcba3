//! Sends batches to `POST /v1/ingest/batch` with the feed's credentials and signature, and reads every
//! slot of the answer. Transient failures (no connection, a 5xx, a 503 in a slot) are retried with
//! exponential backoff and jitter, which is safe because a message sent twice is a duplicate. Every 4xx
//! is a refusal: a bug of the simulator, printed with the problem's status, type, field and detail.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use thiserror::Error;

use crate::batch::{self, LIMITS, Prepared};
use crate::credentials::{CredentialError, Credentials, Signer};
use crate::summary::Counters;
use rng::Rng;

#[derive(Debug, Error)]
pub enum FeedError {
    #[error(transparent)]
    Credentials(#[from] CredentialError),
    #[error("cannot build a batch body: {0}")]
    Json(#[from] serde_json::Error),
}

/// How a delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    /// Every message was acknowledged or refused.
    All,
    /// Stopped (Ctrl-C) while waiting to retry: `next` is the first timeline index not acknowledged.
    Stopped { next: usize },
}

#[derive(Debug, Deserialize)]
struct Answer {
    results: Vec<Slot>,
}

#[derive(Debug, Deserialize)]
struct Slot {
    index: usize,
    status: u16,
    #[serde(default)]
    body: serde_json::Value,
}

/// The HTTP side of the feed.
pub struct Feeder {
    agent: ureq::Agent,
    batch_url: String,
    credentials: Credentials,
    signer: Option<Signer>,
    jitter: Rng,
    pub counters: Counters,
}

enum Attempt {
    /// The whole batch failed in a way worth retrying.
    Transient(String),
    Answered(u16, String),
}

impl Feeder {
    pub fn new(ingest_url: &str, credentials: Credentials, signer: Option<Signer>) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        // Jitter only spreads retries; it need not be reproducible.
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        Self {
            agent,
            batch_url: format!("{}/v1/ingest/batch", ingest_url.trim_end_matches('/')),
            credentials,
            signer,
            jitter: Rng::new(seed),
            counters: Counters::default(),
        }
    }

    /// Delivers `items` (those whose `keep` flag is false are counted as sent and coalesced).
    pub fn deliver(
        &mut self,
        items: &[Prepared],
        keep: &[bool],
        stop: &AtomicBool,
        out: &mut dyn FnMut(String),
    ) -> Result<Delivered, FeedError> {
        let to_send: Vec<&Prepared> = items
            .iter()
            .zip(keep.iter().chain(std::iter::repeat(&true)))
            .filter(|(_, k)| **k)
            .map(|(p, _)| p)
            .collect();
        self.counters.coalesced += (items.len() - to_send.len()) as u64;
        // Messages before the first one not acknowledged count as sent (the coalesced ones included).
        let count_sent = |counters: &mut Counters, next: usize| {
            counters.sent += items.iter().filter(|p| p.index < next).count() as u64;
        };
        let chunks = batch::split(&to_send, LIMITS);
        for (n, range) in chunks.iter().enumerate() {
            if n > 0 && stop.load(Ordering::SeqCst) {
                let next = to_send.get(range.start).map_or(usize::MAX, |p| p.index);
                count_sent(&mut self.counters, next);
                return Ok(Delivered::Stopped { next });
            }
            let mut pending: Vec<&Prepared> =
                to_send.get(range.clone()).unwrap_or_default().to_vec();
            let mut attempt = 0u32;
            while !pending.is_empty() {
                if attempt > 0 {
                    if !self.back_off(attempt, stop) {
                        let next = pending.first().map_or(usize::MAX, |p| p.index);
                        count_sent(&mut self.counters, next);
                        return Ok(Delivered::Stopped { next });
                    }
                    self.counters.retries += 1;
                }
                attempt += 1;
                match self.post(&pending)? {
                    Attempt::Transient(why) => {
                        out(format!(
                            "batch of {} not delivered ({why}); retrying (attempt {attempt})",
                            pending.len()
                        ));
                    }
                    Attempt::Answered(200, text) => {
                        self.counters.batches += 1;
                        pending = self.read_slots(&pending, &text, out);
                    }
                    Attempt::Answered(status, text) => {
                        self.counters.batches += 1;
                        self.counters.refused += pending.len() as u64;
                        out(format!(
                            "REFUSED: the whole batch of {} messages ({} … {}): {}",
                            pending.len(),
                            pending.first().map(|p| p.label()).unwrap_or_default(),
                            pending.last().map(|p| p.label()).unwrap_or_default(),
                            problem(
                                status,
                                &serde_json::from_str(&text)
                                    .unwrap_or(serde_json::Value::String(text.clone()))
                            )
                        ));
                        pending.clear();
                    }
                }
            }
        }
        count_sent(&mut self.counters, usize::MAX);
        Ok(Delivered::All)
    }

    /// Counts each slot's answer; returns the messages to send again.
    fn read_slots<'a>(
        &mut self,
        sent: &[&'a Prepared],
        text: &str,
        out: &mut dyn FnMut(String),
    ) -> Vec<&'a Prepared> {
        let answer: Answer = match serde_json::from_str(text) {
            Ok(answer) => answer,
            Err(error) => {
                self.counters.refused += sent.len() as u64;
                out(format!(
                    "REFUSED: an unreadable batch answer ({error}) for {} messages",
                    sent.len()
                ));
                return Vec::new();
            }
        };
        let mut again = Vec::new();
        for slot in answer.results {
            let Some(item) = sent.get(slot.index).copied() else {
                continue;
            };
            match slot.status {
                200 | 201 => match slot.body.get("outcome").and_then(|o| o.as_str()) {
                    Some("applied") => self.counters.applied += 1,
                    Some("duplicate") => self.counters.duplicate += 1,
                    Some("stale") => self.counters.stale += 1,
                    _ => {
                        self.counters.refused += 1;
                        out(format!(
                            "REFUSED? {}: a {} without an outcome: {}",
                            item.label(),
                            slot.status,
                            slot.body
                        ));
                    }
                },
                429 | 500..=599 => again.push(item),
                status => {
                    self.counters.refused += 1;
                    out(format!(
                        "REFUSED {}: {}",
                        item.label(),
                        problem(status, &slot.body)
                    ));
                }
            }
        }
        again
    }

    fn post(&mut self, items: &[&Prepared]) -> Result<Attempt, FeedError> {
        let body = batch::body(items)?;
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let now = since_epoch.as_secs();
        // When the feed sent it, to the millisecond: the operators' stats measure lateness from it.
        let mut request = self
            .agent
            .post(&self.batch_url)
            .header("Content-Type", "application/json")
            .header("X-Feed-Sent-At", since_epoch.as_millis().to_string());
        for (name, value) in self.credentials.headers(now)? {
            request = request.header(name, value);
        }
        if let Some(signer) = &self.signer {
            for (name, value) in signer.headers(now, &body) {
                request = request.header(name, value);
            }
        }
        let mut response = match request.send(&body[..]) {
            Ok(response) => response,
            Err(error) => return Ok(Attempt::Transient(error.to_string())),
        };
        let status = response.status().as_u16();
        let text = match response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
        {
            Ok(text) => text,
            Err(error) => return Ok(Attempt::Transient(format!("reading the answer: {error}"))),
        };
        if status == 429 || status >= 500 {
            return Ok(Attempt::Transient(format!("HTTP {status}")));
        }
        Ok(Attempt::Answered(status, text))
    }

    /// Waits 0.2 s × 2^attempt (at most 10 s), ±50 %; false when asked to stop meanwhile.
    fn back_off(&mut self, attempt: u32, stop: &AtomicBool) -> bool {
        let base = (200u64 << attempt.min(6)).min(10_000);
        let wait = (base as f64 * self.jitter.range(0.5, 1.5)) as u64;
        let deadline = std::time::Instant::now() + Duration::from_millis(wait);
        while std::time::Instant::now() < deadline {
            if stop.load(Ordering::SeqCst) {
                return false;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        !stop.load(Ordering::SeqCst)
    }
}

/// `422 invalid-message field=note: a change to an OFFICIAL result must carry a note`.
fn problem(status: u16, body: &serde_json::Value) -> String {
    let text = |key: &str| body.get(key).and_then(|v| v.as_str()).unwrap_or("");
    let slug = text("type").rsplit('/').next().unwrap_or("");
    if slug.is_empty() && text("detail").is_empty() {
        return format!("{status} {body}");
    }
    format!(
        "{status} {slug} field={}: {}",
        text("field"),
        text("detail")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_print_status_type_field_and_detail() {
        let body = serde_json::json!({
            "type": "https://olympic-live.dev/problems/invalid-message",
            "title": "The message breaks the event's rules",
            "status": 422,
            "detail": "a change to an OFFICIAL result must carry a note",
            "field": "messages[3].message.note"
        });
        assert_eq!(
            problem(422, &body),
            "422 invalid-message field=messages[3].message.note: a change to an OFFICIAL result must carry a note"
        );
        assert_eq!(problem(400, &serde_json::json!("plain")), "400 \"plain\"");
    }
}
