//! Live viewers: one WebSocket each on `/v1/events/{event}/live`, recording when each version arrived.
//! A viewer reads only the `"version":N` near the start of each message, the same cheap work whatever
//! the message holds, so the client measures the server rather than itself.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

use super::LoadError;

/// The `version` of a live message, from its first bytes; `None` when there is none.
pub fn version_of(text: &str) -> Option<u64> {
    let head = &text.as_bytes()[..text.len().min(256)];
    let key = b"\"version\":";
    let at = head.windows(key.len()).position(|w| w == key)? + key.len();
    let digits: Vec<u8> = head[at..]
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// What one viewer saw.
#[derive(Debug, Default)]
pub struct Log {
    /// (version, arrival), in arrival order.
    pub arrivals: Vec<(u64, Instant)>,
    pub highest: u64,
    pub out_of_order: u32,
    pub closed: Option<String>,
}

pub struct Viewer {
    pub event: usize,
    pub log: Arc<Mutex<Log>>,
    task: JoinHandle<()>,
}

fn lock(log: &Mutex<Log>) -> std::sync::MutexGuard<'_, Log> {
    log.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Viewer {
    pub async fn open(url: String, event: usize) -> Result<Self, LoadError> {
        let (mut socket, _) = tokio::time::timeout(
            Duration::from_secs(15),
            tokio_tungstenite::connect_async(url.as_str()),
        )
        .await
        .map_err(|_| LoadError::Socket(format!("{url}: no upgrade within 15 s")))?
        .map_err(|e| LoadError::Socket(format!("{url}: {e}")))?;
        let log = Arc::new(Mutex::new(Log::default()));
        let shared = Arc::clone(&log);
        let task = tokio::spawn(async move {
            while let Some(message) = socket.next().await {
                let text = match message {
                    Ok(Message::Text(text)) => text,
                    Ok(Message::Close(frame)) => {
                        lock(&shared).closed = Some(frame.map_or_else(
                            || "close frame".to_owned(),
                            |f| format!("{} {}", f.code, f.reason),
                        ));
                        return;
                    }
                    Ok(_) => continue,
                    Err(error) => {
                        lock(&shared).closed = Some(error.to_string());
                        return;
                    }
                };
                let at = Instant::now();
                if let Some(version) = version_of(text.as_str()) {
                    let mut log = lock(&shared);
                    if version < log.highest {
                        log.out_of_order += 1;
                    }
                    log.highest = log.highest.max(version);
                    log.arrivals.push((version, at));
                }
            }
            lock(&shared).closed = Some("TCP close".to_owned());
        });
        Ok(Self { event, log, task })
    }

    /// When this viewer first held `version` or a newer one.
    pub fn reached(&self, version: u64) -> Option<Instant> {
        lock(&self.log)
            .arrivals
            .iter()
            .find(|(v, _)| *v >= version)
            .map(|(_, at)| *at)
    }

    pub fn highest(&self) -> u64 {
        lock(&self.log).highest
    }

    pub fn messages(&self) -> usize {
        lock(&self.log).arrivals.len()
    }

    pub fn out_of_order(&self) -> u32 {
        lock(&self.log).out_of_order
    }

    pub fn closed(&self) -> Option<String> {
        lock(&self.log).closed.clone()
    }

    pub fn close(&self) {
        self.task.abort();
    }
}

/// Opens `events.len()` groups of viewers: `count` sockets spread as `pick` says, `batch` at a time (the
/// local runtime accepts tens to a hundred sockets a second). Returns the viewers and the failed opens.
pub async fn open_all(
    base: &str,
    codes: &[String],
    count: usize,
    mut pick: impl FnMut() -> usize,
    batch: usize,
) -> Result<(Vec<Viewer>, usize), LoadError> {
    let mut viewers = Vec::with_capacity(count);
    let mut failures = 0usize;
    while viewers.len() < count {
        let n = batch.min(count - viewers.len());
        let opening: Vec<_> = (0..n)
            .map(|_| {
                let event = pick();
                let url = format!("{base}/v1/events/{}/live", codes[event]);
                tokio::spawn(Viewer::open(url, event))
            })
            .collect();
        for handle in opening {
            match handle.await {
                Ok(Ok(viewer)) => viewers.push(viewer),
                Ok(Err(error)) => {
                    failures += 1;
                    if failures > 50 {
                        return Err(error);
                    }
                }
                Err(error) => return Err(LoadError::Socket(error.to_string())),
            }
        }
    }
    Ok((viewers, failures))
}

/// Waits until every viewer of `event` holds `version` or newer, at most `timeout`.
pub async fn wait_for(viewers: &[Viewer], event: usize, version: u64, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if viewers
            .iter()
            .filter(|v| v.event == event)
            .all(|v| v.highest() >= version)
        {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_version_near_the_start() {
        assert_eq!(
            version_of(r#"{"type":"update","event":"X","version":42,"patch":{}}"#),
            Some(42)
        );
        assert_eq!(version_of("pong"), None);
    }
}
