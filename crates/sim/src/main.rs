//! `olympic-sim`: plays a whole simulated Winter Games through the ingest API. This file only reads the
//! flags; `sim::runner` does the work. Run `olympic-sim --help` for the flags.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::PathBuf;

    use clap::Parser;
    use std::process::ExitCode;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use sim::calendar::Date;
    use sim::credentials::{LOCAL_AUDIENCE, LOCAL_ISSUER};
    use sim::runner::{self, Access, Exit, Options};
    use sim::{FEED_ID, Profile};

    /// Plays a whole simulated Winter Games (Milano Cortina 2026) through the ingest API.
    ///
    /// Exit status: 0 complete (or already over), 130 stopped by a signal (resume with the same flags),
    /// 2 bad flags or another Games in the progress file, 3 complete but some messages were refused,
    /// 1 other errors.
    #[derive(Debug, Parser)]
    #[command(name = "olympic-sim", about, long_about)]
    struct Flags {
        /// Ingest API.
        #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8788")]
        ingest_url: String,
        /// Which Games; the same seed is the same Games.
        #[arg(long, value_name = "N", default_value_t = 2026)]
        seed: u64,
        /// All 116 events (full), or a few of every format (short).
        #[arg(long, value_name = "full|short", default_value = "full", value_parser = profile)]
        profile: Profile,
        /// Simulated seconds per wall second (default: the Games in about 20 minutes, nights and breaks
        /// skipped).
        #[arg(long, value_name = "N", value_parser = speed)]
        speed: Option<f64>,
        /// Send everything before that day at once, then play in real time (speed 1 unless --speed).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        from: Option<Date>,
        /// Resume file: a restart with the same seed and profile continues from it.
        #[arg(long, value_name = "PATH")]
        progress: Option<PathBuf>,
        /// Write the expected medals and medal table (JSON) and go on.
        #[arg(long, value_name = "PATH")]
        expect: Option<PathBuf>,
        /// Write the final summary as JSON.
        #[arg(long, value_name = "PATH")]
        summary_json: Option<PathBuf>,
        /// Print the programme and timeline statistics; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Mint Access tokens with DIR/private.pem and DIR/kid (the local stack: .dev/access).
        #[arg(long, value_name = "DIR")]
        access_dir: Option<PathBuf>,
        /// Token issuer.
        #[arg(long, value_name = "URL", default_value = LOCAL_ISSUER)]
        access_issuer: String,
        /// Token audience.
        #[arg(long, value_name = "AUD", default_value = LOCAL_AUDIENCE)]
        access_audience: String,
        /// The feed's Access client id / common_name.
        #[arg(long, value_name = "ID", default_value = FEED_ID)]
        feed_id: String,
        /// A Cloudflare Access service token instead (with --client-secret or SIM_CLIENT_SECRET).
        #[arg(long, value_name = "ID")]
        client_id: Option<String>,
        /// The service token's secret.
        #[arg(
            long,
            value_name = "S",
            env = "SIM_CLIENT_SECRET",
            hide_env_values = true
        )]
        client_secret: Option<String>,
        /// Read the feed's signing key from this environment variable (unset: no signature).
        #[arg(long, value_name = "VAR", default_value = "SIM_SIGNING_KEY")]
        signing_key_env: String,
        /// How often due messages are sent as one batch, in ms (at least 10).
        #[arg(long, value_name = "N", default_value_t = 250)]
        tick_ms: u64,
        /// Progress line interval, in seconds.
        #[arg(long, value_name = "N", default_value_t = 15)]
        status_every_s: u64,
    }

    fn profile(value: &str) -> Result<Profile, String> {
        Profile::parse(value).ok_or_else(|| format!("full or short, not {value:?}"))
    }

    fn speed(value: &str) -> Result<f64, String> {
        match value.parse::<f64>() {
            Ok(speed) if speed.is_finite() && speed > 0.0 => Ok(speed),
            _ => Err(format!("a positive number, not {value:?}")),
        }
    }

    fn date(value: &str) -> Result<Date, String> {
        Date::parse(value).ok_or_else(|| format!("a date YYYY-MM-DD, not {value:?}"))
    }

    fn options(flags: Flags) -> Result<Options, String> {
        let access = match (flags.client_id, flags.access_dir) {
            (Some(client_id), _) => Some(Access::ServiceToken {
                client_id,
                client_secret: flags
                    .client_secret
                    .filter(|s| !s.is_empty())
                    .ok_or("--client-id needs --client-secret or SIM_CLIENT_SECRET")?,
            }),
            (None, Some(dir)) => Some(Access::Local {
                dir,
                issuer: flags.access_issuer,
                audience: flags.access_audience,
                feed_id: flags.feed_id,
            }),
            (None, None) => None,
        };
        Ok(Options {
            ingest_url: flags.ingest_url,
            seed: flags.seed,
            profile: flags.profile,
            speed: flags.speed,
            from: flags.from,
            progress: flags.progress,
            expect: flags.expect,
            summary_json: flags.summary_json,
            dry_run: flags.dry_run,
            access,
            signing_key: std::env::var(&flags.signing_key_env)
                .ok()
                .filter(|k| !k.is_empty())
                .map(String::into_bytes),
            tick: Duration::from_millis(flags.tick_ms.max(10)),
            status_every: Duration::from_secs(flags.status_every_s),
        })
    }

    pub fn main() -> ExitCode {
        // clap answers --help and bad flags itself (exit status 2).
        let options = match options(Flags::parse()) {
            Ok(options) => options,
            Err(message) => {
                eprintln!("olympic-sim: {message}");
                return ExitCode::from(2);
            }
        };
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        // Ctrl-C and SIGTERM finish the batch in flight, save progress and print the summary.
        if let Err(error) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
            eprintln!(
                "olympic-sim: cannot catch Ctrl-C ({error}); stopping will not save progress"
            );
        }
        // A closed stdout (a parent that stopped reading) must not stop the Games half-way.
        let mut say = |line: String| {
            use std::io::Write;
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        };
        match runner::run(&options, &stop, &mut say) {
            Ok(Exit::Complete | Exit::AlreadyOver | Exit::DryRun) => ExitCode::SUCCESS,
            Ok(Exit::Stopped) => ExitCode::from(130),
            Ok(Exit::CompleteWithRefusals) => ExitCode::from(3),
            Err(runner::RunError::Mismatch(message) | runner::RunError::Usage(message)) => {
                eprintln!("olympic-sim: {message}");
                ExitCode::from(2)
            }
            Err(error) => {
                eprintln!("olympic-sim: {error}");
                ExitCode::FAILURE
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

/// The simulator needs sockets, a clock and signals; in wasm32 there is nothing to run.
#[cfg(target_arch = "wasm32")]
fn main() {}
