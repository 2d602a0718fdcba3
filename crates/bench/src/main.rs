//! The native benchmark runner that `scripts/bench` drives:
//!
//! - `bench plan [--quick] [--only ID]`: the plan as JSON (the wasm runner takes it from here);
//! - `bench domain [--quick] [--only ID]`: the domain benchmarks, natively, report as JSON on stdout;
//! - `bench redis --port N [--quick] [--only ID]`: the Redis peer on `127.0.0.1:N`, JSON on stdout;
//! - `bench report --native F [--wasm F] [--redis F] --out FILE [--meta key=value]…`: writes the table
//!   into FILE between the domain-bench markers.
//!
//! On wasm32 this binary is empty (the wasm benchmarks are the `wasm_bench` example).

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(error) = native::main() {
        eprintln!("bench: {error}");
        std::process::exit(1);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use bench::NativeClock;
    use bench::cases::{Plan, Report, run};
    use bench::peer::PeerReport;
    use bench::report::{Meta, duration, section, splice};
    use bench::stats::Budget;

    /// Command-line arguments: a verb, then `--flag [value]` pairs.
    struct Args {
        verb: String,
        rest: Vec<String>,
    }

    impl Args {
        fn flag(&self, name: &str) -> bool {
            self.rest.iter().any(|a| a == name)
        }

        fn values(&self, name: &str) -> Vec<&str> {
            self.rest
                .windows(2)
                .filter(|pair| pair[0] == name)
                .map(|pair| pair[1].as_str())
                .collect()
        }

        fn value(&self, name: &str) -> Option<&str> {
            self.values(name).last().copied()
        }

        fn plan(&self) -> Plan {
            Plan {
                budget: if self.flag("--quick") {
                    Budget::quick()
                } else {
                    Budget::standard()
                },
                only: self.value("--only").map(str::to_owned),
            }
        }
    }

    fn json<T: serde::Serialize>(value: &T) -> Result<String, String> {
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())
    }

    fn load<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
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
        let mut argv = std::env::args().skip(1);
        let args = Args {
            verb: argv.next().unwrap_or_default(),
            rest: argv.collect(),
        };
        match args.verb.as_str() {
            "plan" => println!("{}", json(&args.plan())?),
            "domain" => {
                let report = run("native", &NativeClock::new(), &args.plan())?;
                progress("native", &report);
                println!("{}", json(&report)?);
            }
            "redis" => {
                let port: u16 = args
                    .value("--port")
                    .and_then(|p| p.parse().ok())
                    .ok_or("redis needs --port N")?;
                let report = bench::peer::run(port, &NativeClock::new(), &args.plan())?;
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
            "report" => {
                let native: Report = load(args.value("--native").ok_or("report needs --native")?)?;
                let wasm: Option<Report> = args.value("--wasm").map(load).transpose()?;
                let peer: Option<PeerReport> = args.value("--redis").map(load).transpose()?;
                let out = args.value("--out").ok_or("report needs --out FILE")?;
                let mut meta = Meta {
                    cpus: std::thread::available_parallelism()
                        .map_or_else(|_| "?".into(), |n| n.to_string()),
                    cpu_model: cpu_model(),
                    ..Meta::default()
                };
                for pair in args.values("--meta") {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    let value = value.to_owned();
                    match key {
                        "date" => meta.date = value,
                        "commit" => meta.commit = value,
                        "rustc" => meta.rustc = value,
                        "node" => meta.node = value,
                        "load" => meta.load = value,
                        "wasm" => meta.wasm = value,
                        "peer" => meta.peer = value,
                        _ => return Err(format!("unknown --meta key {key:?}")),
                    }
                }
                let text = section(&meta, &native, wasm.as_ref(), peer.as_ref());
                let document = std::fs::read_to_string(out).unwrap_or_default();
                std::fs::write(out, splice(&document, &text)).map_err(|e| format!("{out}: {e}"))?;
                println!("{text}");
            }
            other => {
                return Err(format!(
                    "unknown command {other:?}: use plan, domain, redis or report"
                ));
            }
        }
        Ok(())
    }

    fn cpu_model() -> String {
        std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|text| {
                text.lines()
                    .find_map(|line| line.strip_prefix("model name"))
                    .and_then(|rest| rest.split_once(':'))
                    .map(|(_, model)| model.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown CPU".into())
    }
}
