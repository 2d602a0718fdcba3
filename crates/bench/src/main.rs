//! The native benchmark tool that `scripts/bench` drives. Every command prints JSON on stdout and
//! progress on stderr; `crates/bench/js/report.mjs` turns the JSON into `docs/PERFORMANCE.md`.
//!
//! - `bench plan [--quick] [--only ID]`: the domain plan (the wasm runner takes it from here);
//! - `bench domain [--quick] [--only ID]`: the domain benchmarks, natively;
//! - `bench redis --port N [--quick] [--only ID]`: the Redis peer on `127.0.0.1:N`;
//! - `bench loadgen …`: the Games-scale load generator against a running local stack (`--help`).
//!
//! On wasm32 this binary is empty (the wasm benchmarks are the `wasm_bench` example).

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    match native::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use bench::NativeClock;
    use bench::cases::{Plan, Report, run};
    use bench::stats::{Budget, duration};
    use clap::{Args, Parser, Subcommand};

    #[derive(Parser)]
    #[command(
        name = "bench",
        about = "Olympic Live's benchmarks (scripts/bench drives them)"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Print the domain plan as JSON (the wasm runner reads it).
        Plan(PlanArgs),
        /// Run the domain benchmarks natively; the report is JSON on stdout.
        Domain(PlanArgs),
        /// Run the Redis peer against a server on 127.0.0.1.
        Redis {
            #[arg(long)]
            port: u16,
            #[command(flatten)]
            plan: PlanArgs,
        },
        /// Load a running local stack as the Games would, and count what it did.
        Loadgen(Box<bench::loadgen::Options>),
    }

    #[derive(Args)]
    struct PlanArgs {
        /// A smoke run: a few samples per case, to check that everything works.
        #[arg(long)]
        quick: bool,
        /// Only the cases whose id contains this text (`leaderboard/100`, `medal-table`…).
        #[arg(long)]
        only: Option<String>,
    }

    impl PlanArgs {
        fn plan(&self) -> Plan {
            Plan {
                budget: if self.quick {
                    Budget::quick()
                } else {
                    Budget::standard()
                },
                only: self.only.clone(),
            }
        }
    }

    fn json<T: serde::Serialize>(value: &T) -> Result<String, String> {
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())
    }

    fn progress(platform: &str, report: &Report) {
        for m in &report.results {
            eprintln!(
                "  {platform:<6} {:<24} median {:>10}  p99 {:>10}  ({} samples)",
                m.id,
                duration(m.summary.median_ns),
                duration(m.summary.p99_ns),
                m.summary.samples
            );
        }
    }

    pub fn main() -> Result<(), String> {
        match Cli::parse().command {
            Command::Plan(args) => println!("{}", json(&args.plan())?),
            Command::Domain(args) => {
                let report = run("native", &NativeClock::new(), &args.plan())?;
                progress("native", &report);
                println!("{}", json(&report)?);
            }
            Command::Redis { port, plan } => {
                let report = bench::peer::run(port, &NativeClock::new(), &plan.plan())?;
                for m in report.sequential.iter().chain(&report.pipelined) {
                    eprintln!(
                        "  redis  {:<24} median {:>10}  p99 {:>10}  {}",
                        m.id,
                        duration(m.summary.median_ns),
                        duration(m.summary.p99_ns),
                        m.operation
                    );
                }
                println!("{}", json(&report)?);
            }
            Command::Loadgen(options) => {
                let report = bench::loadgen::run(*options).map_err(|e| e.to_string())?;
                println!("{}", json(&report)?);
            }
        }
        Ok(())
    }
}
