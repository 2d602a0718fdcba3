//! The Games-scale load generator (issue 11): against a running local stack, N viewers on WebSockets
//! spread over the events by a Zipf popularity, M reads a second in a results site's mix, K updates a
//! second from a feed; it reports freshness (acknowledged → every viewer on the new state), messages
//! missed, errors by status, read throughput, and the billable operations per read, per update and per
//! viewer counted from what the system did (`counters`), which it also writes for the cost tool.
//!
//! Phases, each ended by waiting for the stack to come to rest, so every count belongs to one kind of work:
//! 1. setup: define the events, post their first results, open the viewers (per viewer: its connection);
//! 2. reads alone (per read); 3. updates alone (per update, with freshness);
//! 4. everything together (freshness, throughput and errors under the whole load);
//! 5. optionally, the fan-out sweep on an event of its own (`fanout`).
//!
//! Bounded: every phase has a fixed length, every request a timeout, and only loopback URLs are accepted.

pub mod counters;
pub mod fanout;
pub mod feed;
pub mod games;
pub mod mix;
pub mod readers;
pub mod viewers;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use cost::ratios::{Measured, Ops};
use rng::Rng;
use serde::Serialize;

use counters::Snapshot;
use feed::{Ack, Feed, FeedStats};
use mix::Zipf;
use readers::ReadStats;
use viewers::Viewer;

/// Command-line options of `bench loadgen`.
#[derive(Debug, Clone, clap::Args, Serialize)]
pub struct Options {
    /// The read gateway (loopback only).
    #[arg(long)]
    pub read_url: String,
    /// The ingest gateway (loopback only).
    #[arg(long)]
    pub ingest_url: String,
    /// An Access token for the ingest API (scripts/lib/access-keys.mjs signToken).
    #[arg(long, env = "LOADGEN_TOKEN", hide_env_values = true)]
    #[serde(skip)]
    pub token: String,
    /// The counters' collector (crates/bench/js/collector.mjs); without it nothing is counted.
    #[arg(long)]
    pub counters_url: Option<String>,
    #[arg(long, default_value_t = 12)]
    pub events: usize,
    /// How many of the events are in progress (the rest are finished, with medals).
    #[arg(long, default_value_t = 6)]
    pub live: usize,
    #[arg(long, default_value_t = 1000)]
    pub viewers: usize,
    /// The Zipf exponent of the events' popularity.
    #[arg(long, default_value_t = 1.0)]
    pub zipf: f64,
    #[arg(long, default_value_t = 200.0)]
    pub reads_per_s: f64,
    #[arg(long, default_value_t = 20.0)]
    pub updates_per_s: f64,
    /// Length of each measured phase.
    #[arg(long, default_value_t = 20.0)]
    pub phase_seconds: f64,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Viewer counts of the fan-out sweep (e.g. 0,1000,1500,2000,2500); empty: no sweep.
    #[arg(long, value_delimiter = ',')]
    pub fanout_sweep: Vec<usize>,
    /// Broadcasts measured at each step of the sweep.
    #[arg(long, default_value_t = 10)]
    pub fanout_rounds: usize,
    /// Processes whose memory the sweep reads (the workerd running the objects).
    #[arg(long, value_delimiter = ',')]
    pub watch_pids: Vec<u32>,
    /// Write the measured ratios here, for the cost tool (crates/cost/measured.json).
    #[arg(long)]
    pub ratios_out: Option<std::path::PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0} is not a loopback URL: the load generator only loads this machine")]
    NotLoopback(String),
    #[error("setup: {0}")]
    Setup(String),
    #[error("socket: {0}")]
    Socket(String),
    #[error("feed: {0}")]
    Feed(String),
    #[error("reads: {0}")]
    Read(String),
    #[error("counters: {0}")]
    Counters(String),
    #[error("runtime: {0}")]
    Runtime(String),
}

/// Nearest-rank percentiles of a sample, in ms.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Percentiles {
    pub n: usize,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

impl Percentiles {
    pub fn of(mut values: Vec<f64>) -> Self {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let at = |q: f64| {
            if n == 0 {
                f64::NAN
            } else {
                values[((q * n as f64).ceil() as usize).clamp(1, n) - 1]
            }
        };
        Self {
            n,
            p50: at(0.5),
            p99: at(0.99),
            max: values.last().copied().unwrap_or(f64::NAN),
            mean: if n == 0 {
                f64::NAN
            } else {
                values.iter().sum::<f64>() / n as f64
            },
        }
    }
}

/// Freshness of the acknowledged updates of watched events.
#[derive(Debug, Clone, Serialize)]
pub struct Freshness {
    /// Acknowledgement → every viewer of the event holds that version or newer (0 if they held it first).
    pub from_ack_ms: Percentiles,
    /// The same from when the update was sent.
    pub from_send_ms: Percentiles,
    pub held_before_ack: usize,
    /// Updates some viewer of their event never reached (a missed message).
    pub missed: usize,
    /// Updates of events nobody watched.
    pub unwatched: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub name: String,
    pub seconds: f64,
    pub reads: Option<ReadStats>,
    pub updates: Option<FeedStats>,
    pub freshness: Option<Freshness>,
    /// What the system did during the phase (until it came to rest), when counted.
    pub counted: Option<Snapshot>,
    pub settle_seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Setup {
    pub events: Vec<String>,
    pub live: usize,
    pub viewers: usize,
    pub viewers_by_event: Vec<usize>,
    pub open_seconds: f64,
    pub failed_opens: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub options: Options,
    pub hot_share: f64,
    pub setup: Setup,
    pub phases: Vec<Phase>,
    pub viewers_out_of_order: u32,
    pub viewers_closed: BTreeMap<String, usize>,
    pub fanout: Option<fanout::Sweep>,
    pub ratios: Option<Measured>,
}

fn loopback(url: &str) -> Result<(), LoadError> {
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?']).next())
        .unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    if host == "localhost" || host == "[::1]" || host.starts_with("127.") {
        Ok(())
    } else {
        Err(LoadError::NotLoopback(url.to_owned()))
    }
}

pub fn run(options: Options) -> Result<Report, LoadError> {
    for url in [
        Some(&options.read_url),
        Some(&options.ingest_url),
        options.counters_url.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        loopback(url)?;
    }
    // One thread: the client shares two cores with the stack it measures, and must not take both.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LoadError::Runtime(e.to_string()))?;
    runtime.block_on(play(options))
}

/// Freshness of `acks` as seen by `viewers`.
fn freshness(acks: &[Ack], viewers: &[Viewer]) -> Freshness {
    let mut from_ack = Vec::new();
    let mut from_send = Vec::new();
    let (mut held, mut missed, mut unwatched) = (0, 0, 0);
    for ack in acks {
        let watching: Vec<&Viewer> = viewers.iter().filter(|v| v.event == ack.event).collect();
        if watching.is_empty() {
            unwatched += 1;
            continue;
        }
        let reached: Option<Vec<Instant>> =
            watching.iter().map(|v| v.reached(ack.version)).collect();
        let Some(last) = reached.and_then(|r| r.into_iter().max()) else {
            missed += 1;
            continue;
        };
        if last <= ack.acked {
            held += 1;
        }
        from_ack.push(last.saturating_duration_since(ack.acked).as_secs_f64() * 1000.0);
        from_send.push(last.saturating_duration_since(ack.sent).as_secs_f64() * 1000.0);
    }
    Freshness {
        from_ack_ms: Percentiles::of(from_ack),
        from_send_ms: Percentiles::of(from_send),
        held_before_ack: held,
        missed,
        unwatched,
    }
}

async fn ingest(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: String,
) -> Result<(u16, String), LoadError> {
    let response = client
        .request(method, format!("{url}{path}"))
        .header("cf-access-jwt-assertion", token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| LoadError::Setup(format!("{path}: {e}")))?;
    let status = response.status().as_u16();
    Ok((status, response.text().await.unwrap_or_default()))
}

struct Counter<'a> {
    client: &'a reqwest::Client,
    url: Option<&'a str>,
}

impl Counter<'_> {
    /// Waits for rest and reads the counters (none without a collector).
    async fn rest(&self) -> Result<(Option<Snapshot>, f64), LoadError> {
        let started = Instant::now();
        let snapshot = match self.url {
            Some(url) => Some(counters::settled(self.client, url, Duration::from_secs(30)).await?),
            None => {
                tokio::time::sleep(Duration::from_secs(2)).await;
                None
            }
        };
        Ok((snapshot, started.elapsed().as_secs_f64()))
    }
}

async fn play(options: Options) -> Result<Report, LoadError> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .timeout(Duration::from_secs(20))
        .build()
        .map_err(|e| LoadError::Runtime(e.to_string()))?;
    let counter = Counter {
        client: &client,
        url: options.counters_url.as_deref(),
    };
    let mut rng = Rng::new(options.seed);
    let events = games::events(options.events.max(1), options.live.min(options.events));
    let popularity = Zipf::new(events.len(), options.zipf);
    let token = options.token.clone();
    let put = reqwest::Method::PUT;
    let post = reqwest::Method::POST;

    // 1. Setup: every event defined, the finished ones OFFICIAL (medals), the live ones started.
    eprintln!(
        "loadgen: defining {} events ({} live)",
        events.len(),
        options.live
    );
    let mut feed = Feed::new(
        client.clone(),
        &options.ingest_url,
        token.clone(),
        events.len(),
    );
    for event in &events {
        let (status, text) = ingest(
            &client,
            &options.ingest_url,
            &token,
            put.clone(),
            &format!("/v1/ingest/events/{}", event.code),
            games::definition(event).to_string(),
        )
        .await?;
        if status != 201 && status != 200 {
            return Err(LoadError::Setup(format!(
                "defining {}: {status} {text}",
                event.code
            )));
        }
        let first = games::results(event, 1, !event.live);
        let (status, text) = ingest(
            &client,
            &options.ingest_url,
            &token,
            post.clone(),
            &format!("/v1/ingest/events/{}/results", event.code),
            first.to_string(),
        )
        .await?;
        if status != 201 && status != 200 {
            return Err(LoadError::Setup(format!(
                "results of {}: {status} {text}",
                event.code
            )));
        }
    }
    counter.rest().await?;
    let codes: Vec<String> = events.iter().map(|e| e.code.clone()).collect();
    let ws_base = options.read_url.replacen("http", "ws", 1);
    eprintln!(
        "loadgen: opening {} viewers (Zipf {} over the events)",
        options.viewers, options.zipf
    );
    let opened = Instant::now();
    let mut pick_rng = rng.fork();
    let (viewers, failed_opens) = viewers::open_all(
        &ws_base,
        &codes,
        options.viewers,
        || popularity.sample(&mut pick_rng),
        50,
    )
    .await?;
    let open_seconds = opened.elapsed().as_secs_f64();
    let (after_viewers, _) = counter.rest().await?;
    let mut viewers_by_event = vec![0; events.len()];
    for v in &viewers {
        viewers_by_event[v.event] += 1;
    }
    let setup = Setup {
        events: codes.clone(),
        live: options.live,
        viewers: viewers.len(),
        viewers_by_event,
        open_seconds,
        failed_opens,
    };

    let mut phases = Vec::new();
    let seconds = options.phase_seconds;
    // 2. Reads alone.
    eprintln!(
        "loadgen: reads alone, {}/s for {seconds} s",
        options.reads_per_s
    );
    let mut read_rng = rng.fork();
    let reads = readers::run(
        &client,
        &options.read_url,
        &events,
        &popularity,
        &mut read_rng,
        options.reads_per_s,
        seconds,
    )
    .await?;
    let (after_reads, settle) = counter.rest().await?;
    phases.push(Phase {
        name: "reads".into(),
        seconds,
        reads: Some(reads),
        updates: None,
        freshness: None,
        counted: delta(&after_reads, &after_viewers),
        settle_seconds: settle,
    });

    // 3. Updates alone.
    eprintln!(
        "loadgen: updates alone, {}/s for {seconds} s",
        options.updates_per_s
    );
    let (acks, updates) = feed.run(&events, options.updates_per_s, seconds).await?;
    let (after_updates, settle) = counter.rest().await?;
    phases.push(Phase {
        name: "updates".into(),
        seconds,
        reads: None,
        updates: Some(updates),
        freshness: Some(freshness(&acks, &viewers)),
        counted: delta(&after_updates, &after_reads),
        settle_seconds: settle,
    });

    // 4. Everything at once.
    eprintln!("loadgen: reads, updates and viewers together for {seconds} s");
    let mut mixed_rng = rng.fork();
    let (read_result, feed_result) = tokio::join!(
        readers::run(
            &client,
            &options.read_url,
            &events,
            &popularity,
            &mut mixed_rng,
            options.reads_per_s,
            seconds
        ),
        feed.run(&events, options.updates_per_s, seconds),
    );
    let (mixed_acks, mixed_updates) = feed_result?;
    let (after_mixed, settle) = counter.rest().await?;
    phases.push(Phase {
        name: "mixed".into(),
        seconds,
        reads: Some(read_result?),
        updates: Some(mixed_updates),
        freshness: Some(freshness(&mixed_acks, &viewers)),
        counted: delta(&after_mixed, &after_updates),
        settle_seconds: settle,
    });

    let viewers_out_of_order = viewers.iter().map(Viewer::out_of_order).sum();
    let mut viewers_closed = BTreeMap::new();
    for reason in viewers.iter().filter_map(Viewer::closed) {
        *viewers_closed.entry(reason).or_default() += 1;
    }
    let messages: usize = viewers.iter().map(Viewer::messages).sum();
    for viewer in &viewers {
        viewer.close();
    }
    // The viewers' upgrades are traced when their sockets close: count them now.
    let (after_close, _) = counter.rest().await?;
    let upgrades = match (&after_close, &after_viewers) {
        (Some(after), Some(before)) => Some(after.minus(before).upgrades(true)),
        _ => None,
    };

    // 5. The fan-out sweep, on an event of its own that nobody else watches.
    let fanout = if options.fanout_sweep.is_empty() {
        None
    } else {
        let event = games::Event {
            code: "ALPMLOADFANOUT".into(),
            live: true,
            gender: 'M',
        };
        let (status, text) = ingest(
            &client,
            &options.ingest_url,
            &token,
            put,
            &format!("/v1/ingest/events/{}", event.code),
            games::definition(&event).to_string(),
        )
        .await?;
        if status != 201 && status != 200 {
            return Err(LoadError::Setup(format!(
                "defining {}: {status} {text}",
                event.code
            )));
        }
        eprintln!(
            "loadgen: fan-out sweep over {:?} viewers",
            options.fanout_sweep
        );
        Some(
            fanout::run(fanout::Plan {
                client: &client,
                read_url: &options.read_url,
                ingest_url: &options.ingest_url,
                token: &token,
                event: &event,
                steps: &options.fanout_sweep,
                rounds: options.fanout_rounds,
                watch: &options.watch_pids,
            })
            .await?,
        )
    };

    let ratios = ratios(&phases, upgrades.as_ref(), setup.viewers, messages);
    if let (Some(path), Some(ratios)) = (&options.ratios_out, &ratios) {
        let text =
            serde_json::to_string_pretty(ratios).map_err(|e| LoadError::Runtime(e.to_string()))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| LoadError::Runtime(format!("{}: {e}", dir.display())))?;
        }
        std::fs::write(path, text + "\n")
            .map_err(|e| LoadError::Runtime(format!("{}: {e}", path.display())))?;
    }
    Ok(Report {
        options,
        hot_share: mix::hot_share(),
        setup,
        phases,
        viewers_out_of_order,
        viewers_closed,
        fanout,
        ratios,
    })
}

/// What happened between two snapshots, less viewers' upgrades (counted apart, per viewer).
fn delta(after: &Option<Snapshot>, before: &Option<Snapshot>) -> Option<Snapshot> {
    Some(after.as_ref()?.minus(before.as_ref()?).upgrades(false))
}

/// The cost tool's ratios from the counted phases.
fn ratios(
    phases: &[Phase],
    upgrades: Option<&Snapshot>,
    viewers: usize,
    messages: usize,
) -> Option<Measured> {
    let reads_phase = phases.iter().find(|p| p.name == "reads")?;
    let updates_phase = phases.iter().find(|p| p.name == "updates")?;
    let reads = reads_phase.reads.as_ref()?.answered as f64;
    let updates = updates_phase.updates.as_ref()?.applied as f64;
    let read_counts = reads_phase.counted.as_ref()?;
    let per_read = read_counts.per(reads);
    // Each read that misses the read gateway's caches asks exactly one object, so the objects' requests
    // per read give the local hit ratio; a miss and a hit differ by that one object request.
    let local_misses = per_read.do_requests.unwrap_or(0.0).clamp(0.0, 1.0);
    let gateway_sampling = read_counts
        .sampling
        .get("olympic-read-gateway")
        .copied()
        .unwrap_or(1.0);
    let object_sampling = read_counts
        .sampling
        .get("olympic-event-do")
        .copied()
        .unwrap_or(1.0);
    let object_log_bytes = if local_misses > 0.0 {
        read_counts
            .invocations
            .iter()
            .filter(|(k, _)| k.contains("|durableObject|"))
            .map(|(_, b)| b.log_bytes / b.count.max(1.0))
            .sum::<f64>()
    } else {
        0.0
    };
    let gateway_log_bytes =
        per_read.log_bytes.unwrap_or(0.0) - local_misses * object_log_bytes * object_sampling;
    let read_hit = Ops {
        do_requests: Some(0.0),
        do_active_ms: Some(0.0),
        log_events: Some(per_read.worker_requests.unwrap_or(1.0) * gateway_sampling),
        log_bytes: Some(gateway_log_bytes.max(0.0)),
        ..per_read.clone()
    };
    let read_miss = Ops {
        do_requests: Some(1.0),
        do_active_ms: per_read
            .do_active_ms
            .map(|ms| ms / local_misses.max(f64::MIN_POSITIVE)),
        log_events: Some(read_hit.log_events.unwrap_or(0.0) + object_sampling),
        log_bytes: Some(gateway_log_bytes.max(0.0) + object_log_bytes * object_sampling),
        ..per_read.clone()
    };
    let viewer = match upgrades {
        Some(counted) if viewers > 0 => counted.per(viewers as f64),
        _ => Ops::default(),
    };
    let mut notes = BTreeMap::new();
    notes.insert(
        "local cache hits".into(),
        format!(
            "{:.1} % of the reads were answered by the read gateway's caches without an object (locally, one data centre and a few hot URLs); the profile sets the worldwide ratio",
            (1.0 - local_misses) * 100.0
        ),
    );
    notes.insert(
        "modelled".into(),
        "SQLite rows read and written (the objects do not report their cursors' counters yet), R2 Class B, D1 bytes; a read's CPU is the average over hits and misses".into(),
    );
    notes.insert(
        "D1 rows".into(),
        format!(
            "rows inserted, counted in the local table, × {} for the row and its indexes (the migration)",
            read_counts.d1_rows_per_insert
        ),
    );
    notes.insert(
        "viewers".into(),
        format!("{viewers} viewers received {messages} live messages over the run"),
    );
    Some(Measured {
        source: format!(
            "bench loadgen: {} reads, {} updates, {} viewers",
            reads, updates, viewers
        ),
        read_miss,
        read_hit,
        update: updates_phase.counted.as_ref()?.per(updates),
        viewer,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_urls_are_loaded() {
        assert!(loopback("http://127.0.0.1:8787").is_ok());
        assert!(loopback("ws://localhost:1/x").is_ok());
        assert!(loopback("http://[::1]:80/").is_ok());
        assert!(loopback("http://10.0.0.1:8787").is_err());
        assert!(loopback("http://example.org").is_err());
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let p = Percentiles::of((1..=100).map(f64::from).collect());
        assert_eq!((p.n, p.p50, p.p99, p.max), (100, 50.0, 99.0, 100.0));
    }
}
