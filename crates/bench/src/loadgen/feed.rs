//! The feed: K results updates a second to the live events, round robin, through
//! `POST /v1/ingest/batch` with an Access token, one batch every 100 ms (a feed sends what it has). Each
//! message's acknowledgement is the batch's answer; the receipt gives the event version viewers must reach.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Semaphore;

use super::LoadError;
use super::games::{Event, results};

/// One applied update: the event (its index), the version viewers must reach, when it was sent and when
/// its acknowledgement arrived.
#[derive(Debug, Clone, Copy)]
pub struct Ack {
    pub event: usize,
    pub version: u64,
    pub sent: Instant,
    pub acked: Instant,
}

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct FeedStats {
    pub offered: usize,
    pub applied: usize,
    pub batches: usize,
    /// Messages not applied, by the status their slot answered (or `network` / `skipped`).
    pub errors: BTreeMap<String, usize>,
}

pub struct Feed {
    pub client: reqwest::Client,
    pub url: String,
    pub token: String,
    /// The next version of each live event's final.
    pub versions: Vec<u64>,
    next: usize,
}

impl Feed {
    pub fn new(client: reqwest::Client, ingest_url: &str, token: String, events: usize) -> Self {
        Self {
            client,
            url: format!("{ingest_url}/v1/ingest/batch"),
            token,
            versions: vec![2; events],
            next: 0,
        }
    }

    /// The next `n` messages, round robin over the live events.
    fn messages(&mut self, events: &[Event], n: usize) -> Vec<(usize, Value)> {
        let live: Vec<usize> = (0..events.len()).filter(|&i| events[i].live).collect();
        (0..n)
            .filter_map(|_| {
                let event = *live.get(self.next % live.len().max(1))?;
                self.next += 1;
                let version = self.versions[event];
                self.versions[event] += 1;
                Some((event, results(&events[event], version, false)))
            })
            .collect()
    }

    /// Sends updates at `per_s` for `seconds`; returns the acknowledgements and the counts.
    pub async fn run(
        &mut self,
        events: &[Event],
        per_s: f64,
        seconds: f64,
    ) -> Result<(Vec<Ack>, FeedStats), LoadError> {
        let tick = Duration::from_millis(100);
        let ticks = (seconds * 10.0).round() as u64;
        let in_flight = Arc::new(Semaphore::new(8));
        let mut stats = FeedStats::default();
        let mut pending = Vec::new();
        let mut owed = 0.0;
        let start = tokio::time::Instant::now();
        for k in 0..ticks {
            tokio::time::sleep_until(start + tick * u32::try_from(k).unwrap_or(u32::MAX)).await;
            owed += per_s / 10.0;
            let n = owed.floor() as usize;
            owed -= n as f64;
            if n == 0 {
                continue;
            }
            let batch = self.messages(events, n);
            stats.offered += batch.len();
            let Ok(permit) = Arc::clone(&in_flight).try_acquire_owned() else {
                *stats.errors.entry("skipped".into()).or_default() += batch.len();
                continue;
            };
            stats.batches += 1;
            let body = json!({ "messages": batch.iter().map(|(event, message)| json!({
                "event": events[*event].code, "kind": "results", "message": message,
            })).collect::<Vec<_>>() })
            .to_string();
            let request = self
                .client
                .post(&self.url)
                .header("cf-access-jwt-assertion", &self.token)
                .header("content-type", "application/json")
                .body(body);
            let slots: Vec<usize> = batch.iter().map(|(event, _)| *event).collect();
            pending.push(tokio::spawn(async move {
                let sent = Instant::now();
                let answer = request.send().await;
                let answer = match answer {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let text = response.text().await.unwrap_or_default();
                        Ok((status, text))
                    }
                    Err(error) => Err(error.to_string()),
                };
                drop(permit);
                (slots, sent, Instant::now(), answer)
            }));
        }
        let mut acks = Vec::new();
        for handle in pending {
            let (slots, sent, acked, answer) =
                handle.await.map_err(|e| LoadError::Feed(e.to_string()))?;
            match answer {
                Ok((200, text)) => {
                    let body: Value = serde_json::from_str(&text)
                        .map_err(|e| LoadError::Feed(format!("batch answer: {e}")))?;
                    let results = body["results"].as_array().cloned().unwrap_or_default();
                    for (slot, result) in results.iter().enumerate() {
                        let status = result["status"].as_u64().unwrap_or(0);
                        let version = result["body"]["event_version"].as_u64();
                        match (status, version, slots.get(slot)) {
                            (201, Some(version), Some(&event)) => {
                                stats.applied += 1;
                                acks.push(Ack {
                                    event,
                                    version,
                                    sent,
                                    acked,
                                });
                            }
                            _ => *stats.errors.entry(status.to_string()).or_default() += 1,
                        }
                    }
                }
                Ok((status, _)) => {
                    *stats.errors.entry(status.to_string()).or_default() += slots.len();
                }
                Err(_) => *stats.errors.entry("network".into()).or_default() += slots.len(),
            }
        }
        Ok((acks, stats))
    }
}
