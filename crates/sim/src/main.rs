//! `olympic-sim`: plays a whole simulated Winter Games through the ingest API. This file only reads the
//! flags; `sim::runner` does the work. Run `olympic-sim --help` for the flags.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::PathBuf;
    use std::process::ExitCode;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use sim::calendar::Date;
    use sim::credentials::{LOCAL_AUDIENCE, LOCAL_ISSUER};
    use sim::runner::{self, Access, Exit, Options};
    use sim::{FEED_ID, Profile};

    const HELP: &str = "\
olympic-sim: plays a whole simulated Winter Games (Milano Cortina 2026) through the ingest API.

USAGE: olympic-sim [FLAGS]

  --ingest-url URL       ingest API (default http://127.0.0.1:8788)
  --seed N               which Games (default 2026); the same seed is the same Games
  --profile full|short   all 116 events (default), or a few of every format
  --speed N              simulated seconds per wall second (default: the Games in about 20 minutes,
                         nights and breaks skipped)
  --from YYYY-MM-DD      send everything before that day at once, then play in real time (speed 1
                         unless --speed)
  --progress PATH        resume file: a restart with the same seed and profile continues from it
  --expect PATH          write the expected medals and medal table (JSON) and go on
  --summary-json PATH    write the final summary as JSON
  --dry-run              print the programme and timeline statistics; send nothing
  --access-dir DIR       mint Access tokens with DIR/private.pem and DIR/kid (the local stack: .dev/access)
  --access-issuer URL    token issuer (default the local stand-in's)
  --access-audience AUD  token audience (default the local stand-in's)
  --feed-id ID           the feed's Access client id / common_name (default sim-feed.access)
  --client-id ID         a Cloudflare Access service token instead (with --client-secret, or the
  --client-secret S      SIM_CLIENT_SECRET environment variable)
  --signing-key-env VAR  read the feed's signing key from VAR (default SIM_SIGNING_KEY; unset: no signature)
  --tick-ms N            how often due messages are sent as one batch (default 250)
  --status-every-s N     progress line interval (default 15)
  --help

Exit status: 0 complete (or already over), 130 stopped by a signal (resume with the same flags),
2 bad flags or another Games in the progress file, 3 complete but some messages were refused, 1 other errors.";

    fn parse(args: &[String]) -> Result<Option<Options>, String> {
        let mut options = Options {
            ingest_url: "http://127.0.0.1:8788".into(),
            seed: 2026,
            profile: Profile::Full,
            speed: None,
            from: None,
            progress: None,
            expect: None,
            summary_json: None,
            dry_run: false,
            access: None,
            signing_key: None,
            tick: Duration::from_millis(250),
            status_every: Duration::from_secs(15),
        };
        let mut access_dir: Option<PathBuf> = None;
        let mut issuer = LOCAL_ISSUER.to_owned();
        let mut audience = LOCAL_AUDIENCE.to_owned();
        let mut feed_id = FEED_ID.to_owned();
        let mut client_id: Option<String> = None;
        let mut client_secret: Option<String> = std::env::var("SIM_CLIENT_SECRET")
            .ok()
            .filter(|s| !s.is_empty());
        let mut signing_env = "SIM_SIGNING_KEY".to_owned();
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            if flag == "--help" || flag == "-h" {
                return Ok(None);
            }
            if flag == "--dry-run" {
                options.dry_run = true;
                continue;
            }
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = |what: &str| {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("{flag}: {what} expected, not {value:?}"))
            };
            match flag.as_str() {
                "--ingest-url" => options.ingest_url = value.clone(),
                "--seed" => options.seed = number("a whole number")?,
                "--profile" => {
                    options.profile = Profile::parse(value)
                        .ok_or_else(|| format!("--profile: full or short, not {value:?}"))?
                }
                "--speed" => {
                    let speed: f64 = value
                        .parse()
                        .map_err(|_| format!("--speed: a number expected, not {value:?}"))?;
                    if !(speed.is_finite() && speed > 0.0) {
                        return Err("--speed must be a positive number".into());
                    }
                    options.speed = Some(speed);
                }
                "--from" => {
                    options.from = Some(Date::parse(value).ok_or_else(|| {
                        format!("--from: a date YYYY-MM-DD expected, not {value:?}")
                    })?)
                }
                "--progress" => options.progress = Some(PathBuf::from(value)),
                "--expect" => options.expect = Some(PathBuf::from(value)),
                "--summary-json" => options.summary_json = Some(PathBuf::from(value)),
                "--access-dir" => access_dir = Some(PathBuf::from(value)),
                "--access-issuer" => issuer = value.clone(),
                "--access-audience" => audience = value.clone(),
                "--feed-id" => feed_id = value.clone(),
                "--client-id" => client_id = Some(value.clone()),
                "--client-secret" => client_secret = Some(value.clone()),
                "--signing-key-env" => signing_env = value.clone(),
                "--tick-ms" => {
                    options.tick = Duration::from_millis(number("milliseconds")?.max(10))
                }
                "--status-every-s" => {
                    options.status_every = Duration::from_secs(number("seconds")?)
                }
                other => return Err(format!("unknown flag {other} (see --help)")),
            }
        }
        options.access = match (client_id, access_dir) {
            (Some(client_id), _) => Some(Access::ServiceToken {
                client_id,
                client_secret: client_secret
                    .ok_or("--client-id needs --client-secret or SIM_CLIENT_SECRET")?,
            }),
            (None, Some(dir)) => Some(Access::Local {
                dir,
                issuer,
                audience,
                feed_id,
            }),
            (None, None) => None,
        };
        options.signing_key = std::env::var(&signing_env)
            .ok()
            .filter(|k| !k.is_empty())
            .map(String::into_bytes);
        Ok(Some(options))
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let options = match parse(&args) {
            Ok(Some(options)) => options,
            Ok(None) => {
                println!("{HELP}");
                return ExitCode::SUCCESS;
            }
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
