//! The simulator's imperative shell: builds the timeline, checks the progress file, then sends each
//! tick's due messages as one batch, applies what was acknowledged to an in-process replay (to report
//! medals as they are won), saves progress, and prints the summary on exit or on Ctrl-C.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::batch::{self, Prepared};
use crate::calendar::{self, Date};
use crate::clock::{self, Clock, Mode};
use crate::credentials::{CredentialError, Credentials, Signer};
use crate::feeder::{Delivered, FeedError, Feeder};
use crate::outcome::{MedalChange, Outcome, Replay};
use crate::progress::{self, Progress, ProgressError};
use crate::summary::Summary;
use crate::{Profile, SimError, Timeline};

/// Where the feed's Access credentials come from.
#[derive(Debug, Clone)]
pub enum Access {
    /// Mint tokens with the local stand-in's key in `dir` (`private.pem`, `kid`).
    Local {
        dir: PathBuf,
        issuer: String,
        audience: String,
        feed_id: String,
    },
    /// A Cloudflare Access service token.
    ServiceToken {
        client_id: String,
        client_secret: String,
    },
}

/// Everything a run needs, from the flags.
#[derive(Debug, Clone)]
pub struct Options {
    pub ingest_url: String,
    pub seed: u64,
    pub profile: Profile,
    pub speed: Option<f64>,
    pub from: Option<Date>,
    pub progress: Option<PathBuf>,
    pub expect: Option<PathBuf>,
    pub summary_json: Option<PathBuf>,
    pub dry_run: bool,
    pub access: Option<Access>,
    pub signing_key: Option<Vec<u8>>,
    pub tick: Duration,
    pub status_every: Duration,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The last message was acknowledged and nothing was refused.
    Complete,
    /// Complete, but the gateway refused messages (bugs, printed above).
    CompleteWithRefusals,
    /// The progress file says this Games is over already.
    AlreadyOver,
    /// Stopped by a signal; the progress file says where to resume.
    Stopped,
    /// `--dry-run`.
    DryRun,
}

#[derive(Debug, Error)]
pub enum RunError {
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error(transparent)]
    Feed(#[from] FeedError),
    #[error(transparent)]
    Credentials(#[from] CredentialError),
    #[error(transparent)]
    Progress(#[from] ProgressError),
    #[error("{0}")]
    Mismatch(String),
    #[error("{0}")]
    Usage(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Plays (or resumes) a Games. `say` prints a line.
pub fn run(
    options: &Options,
    stop: &AtomicBool,
    say: &mut dyn FnMut(String),
) -> Result<Exit, RunError> {
    let started = Instant::now();
    let timeline = Timeline::build(options.seed, options.profile)?;
    let fingerprint = timeline.fingerprint()?;
    let total = timeline.items.len();
    let events = timeline.finals.len();
    say(format!(
        "Games of seed {} (profile {}, fingerprint {fingerprint}): {events} events, {total} messages, built in {:.1} s",
        options.seed,
        options.profile.name(),
        started.elapsed().as_secs_f64()
    ));
    if let Some(path) = &options.expect {
        let outcome = Outcome::of(&timeline)?;
        write_json(path, &outcome)?;
        say(format!("expected outcome written to {}", path.display()));
    }
    let times: Vec<u64> = timeline.items.iter().map(|i| i.at_ms).collect();
    let auto = clock::auto_speed(&times);
    if options.dry_run {
        say(timeline.stats().to_string());
        let speed = options.speed.unwrap_or(auto);
        let wall = clock::compressed(&times).last().copied().unwrap_or(0) as f64 / speed / 60_000.0;
        say(format!(
            "at speed {speed:.0} (default {auto:.0}), idle stretches shortened: about {wall:.1} minutes of wall time"
        ));
        for feature in &timeline.features.list {
            say(format!(
                "feature: {}",
                serde_json::to_string(feature).unwrap_or_default()
            ));
        }
        let clock = Clock::new(&times, 0, Mode::Compressed { speed });
        let busiest = |window_ms: u64| {
            let due: Vec<u64> = (0..times.len()).map(|i| clock.due(i)).collect();
            let mut most = 0;
            let mut start = 0;
            for (end, d) in due.iter().enumerate() {
                while due.get(start).is_some_and(|s| s + window_ms <= *d) {
                    start += 1;
                }
                most = most.max(end + 1 - start);
            }
            most
        };
        say(format!(
            "{:.1} messages a second on average; the busiest second holds {}, the busiest minute {}",
            total as f64 / (clock.due(total.saturating_sub(1)).max(1) as f64 / 1000.0),
            busiest(1_000),
            busiest(60_000)
        ));
        let mut replay = Replay::new();
        for (i, item) in timeline.items.iter().enumerate() {
            if let Some(change) = replay.apply(item)? {
                say(format!(
                    "first medals ({}) after {:.1} minutes of wall time",
                    change.name,
                    clock.due(i) as f64 / 60_000.0
                ));
                break;
            }
        }
        let outcome = Outcome::of(&timeline)?;
        say(format!(
            "medal table ({} medals):",
            outcome.medal_table.totals.total
        ));
        for row in outcome.medal_table.rows.iter().take(12) {
            say(format!(
                "  {:>2} {}  {:>2} {:>2} {:>2}  {:>3}",
                row.rank,
                row.noc,
                row.counts.gold,
                row.counts.silver,
                row.counts.bronze,
                row.counts.total
            ));
        }
        return Ok(Exit::DryRun);
    }

    // Resume where the progress file says, if it is this Games.
    let saved = match &options.progress {
        Some(path) => progress::load(path)?,
        None => None,
    };
    if let Some(kept) = &saved
        && (kept.seed != options.seed
            || kept.profile != options.profile.name()
            || kept.fingerprint != fingerprint)
    {
        return Err(RunError::Mismatch(format!(
            "the progress file {} belongs to another Games (seed {}, profile {}, fingerprint {}), not this one (seed {}, profile {}, fingerprint {}). \
             The stack it fed still holds that Games: delete .dev/state (with ./scripts/dev), or the progress file and the stack's state, to start a new Games; \
             or run the same seed and profile to continue it.",
            options
                .progress
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            kept.seed,
            kept.profile,
            kept.fingerprint,
            options.seed,
            options.profile.name(),
            fingerprint
        )));
    }
    let start = saved.as_ref().map_or(0, |p| p.next.min(total));
    let mut replay = Replay::new();
    for item in timeline.items.get(..start).unwrap_or(&[]) {
        replay.apply(item)?;
    }
    if start >= total && total > 0 {
        say(format!(
            "This Games (seed {}, profile {}) is over: {} events finished, {} medals awarded. To play a new one, delete .dev/state \
             (./scripts/dev; SIM_SEED=<n> picks another Games), or point --progress at a new file and a fresh stack.",
            options.seed,
            options.profile.name(),
            replay.finished(),
            replay.medals_awarded()
        ));
        return Ok(Exit::AlreadyOver);
    }
    let access = options.access.clone().ok_or_else(|| {
        RunError::Usage("no credentials: pass --access-dir .dev/access (the local stack) or --client-id and --client-secret".into())
    })?;
    let credentials = match access {
        Access::Local {
            dir,
            issuer,
            audience,
            feed_id,
        } => Credentials::local(&dir, &issuer, &audience, &feed_id)?,
        Access::ServiceToken {
            client_id,
            client_secret,
        } => Credentials::ServiceToken {
            client_id,
            client_secret,
        },
    };
    let mut feeder = Feeder::new(
        &options.ingest_url,
        credentials,
        options.signing_key.as_deref().map(Signer::new),
    );
    let mode = match options.from {
        Some(date) => Mode::From {
            from_ms: date.start_ms(),
            speed: options.speed.unwrap_or(1.0),
        },
        None => Mode::Compressed {
            speed: options.speed.unwrap_or(auto),
        },
    };
    let clock = Clock::new(&times, start, mode);
    let speed = match mode {
        Mode::Compressed { speed } | Mode::From { speed, .. } => speed,
    };
    if start > 0 {
        say(format!(
            "resuming at message {start} of {total} ({} venue time)",
            calendar::venue_time(timeline.items.get(start - 1).map_or(0, |i| i.at_ms))
        ));
    }
    say(format!(
        "feeding {} at speed {speed:.0}{}",
        options.ingest_url,
        match options.from {
            Some(date) =>
                format!(", everything before {date} at once, then from its first message"),
            None => format!(
                " (the whole Games in about {:.0} minutes, idle stretches skipped)",
                clock::TARGET_WALL_MS as f64 * auto / speed / 60_000.0
            ),
        }
    ));

    let games_before = saved.as_ref().map(|p| p.counters).unwrap_or_default();
    let mut next = start;
    let play_started = Instant::now();
    let mut last_status = Instant::now();
    let mut stopped = false;
    while next < total {
        if stop.load(Ordering::SeqCst) {
            stopped = true;
            break;
        }
        let elapsed = play_started.elapsed().as_millis() as u64;
        let end = clock.due_until(next, elapsed);
        if end > next {
            let mut prepared = Vec::with_capacity(end - next);
            for (i, item) in timeline.items.iter().enumerate().take(end).skip(next) {
                prepared.push(Prepared::new(i, item).map_err(SimError::from)?);
            }
            let keep: Vec<bool> = batch::coalesce(&prepared)
                .into_iter()
                .zip(&prepared)
                .map(|(k, p)| k || !clock.catching_up(p.index))
                .collect();
            let delivered = feeder.deliver(&prepared, &keep, stop, &mut |line| say(line))?;
            let acknowledged = match delivered {
                Delivered::All => end,
                Delivered::Stopped { next } => next.clamp(start, end),
            };
            for item in timeline.items.iter().take(acknowledged).skip(next) {
                if let Some(change) = replay.apply(item)? {
                    say(medal_line(&change));
                }
            }
            next = acknowledged;
            if let Some(path) = &options.progress {
                let mut counters = games_before;
                counters.add(&feeder.counters);
                let record = Progress {
                    seed: options.seed,
                    profile: options.profile.name().to_owned(),
                    fingerprint: fingerprint.clone(),
                    next,
                    total,
                    sim_ms: timeline
                        .items
                        .get(next.saturating_sub(1))
                        .map_or(0, |i| i.at_ms),
                    counters,
                };
                progress::save(path, &record)?;
            }
            if matches!(delivered, Delivered::Stopped { .. }) {
                stopped = true;
                break;
            }
        }
        if last_status.elapsed() >= options.status_every {
            last_status = Instant::now();
            say(format!(
                "{} venue time: {next}/{total} messages, {} of {events} events finished, {} medals, {} refused",
                calendar::venue_time(
                    timeline
                        .items
                        .get(next.saturating_sub(1))
                        .map_or(0, |i| i.at_ms)
                ),
                replay.finished(),
                replay.medals_awarded(),
                feeder.counters.refused
            ));
        }
        if next < total {
            let wait = clock
                .due(next)
                .saturating_sub(play_started.elapsed().as_millis() as u64);
            std::thread::sleep(Duration::from_millis(wait).min(options.tick));
        }
    }
    let mut games = games_before;
    games.add(&feeder.counters);
    let summary = Summary {
        seed: options.seed,
        profile: options.profile.name().to_owned(),
        finished: next >= total,
        events_total: events,
        events_defined: replay.defined(),
        events_finished: replay.finished(),
        medals_awarded: replay.medals_awarded(),
        messages_done: next,
        messages_total: total,
        sim_time: calendar::venue_time(
            timeline
                .items
                .get(next.saturating_sub(1))
                .map_or(0, |i| i.at_ms),
        ),
        wall_seconds: started.elapsed().as_secs_f64(),
        run: feeder.counters,
        games,
    };
    say(summary.to_string());
    if let Some(path) = &options.summary_json {
        write_json(path, &summary)?;
    }
    Ok(if stopped && next < total {
        Exit::Stopped
    } else if feeder.counters.refused > 0 {
        Exit::CompleteWithRefusals
    } else {
        Exit::Complete
    })
}

/// `medals, Men's Downhill (ALPMDOWNHILL): GOLD Name (SUI), SILVER …`.
fn medal_line(change: &MedalChange) -> String {
    let medals: Vec<String> = change
        .medals
        .iter()
        .map(|m| {
            let word = match m.medal {
                domain::Medal::Gold => "GOLD",
                domain::Medal::Silver => "SILVER",
                domain::Medal::Bronze => "BRONZE",
            };
            format!("{word} {} ({})", m.name, m.noc)
        })
        .collect();
    let what = if change.reallocated {
        "medals revised"
    } else {
        "medals"
    };
    format!(
        "{what}, {} ({}): {}",
        change.name,
        change.event,
        medals.join(", ")
    )
}

fn write_json<T: serde::Serialize>(path: &std::path::Path, value: &T) -> Result<(), RunError> {
    let write_error = |source| RunError::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(write_error)?;
    }
    let text = serde_json::to_string_pretty(value).map_err(SimError::from)?;
    std::fs::write(path, text).map_err(write_error)
}
