//! `cost`: the Games' bill from the price list, the traffic profile and the measured ratios.
//! `scripts/cost` runs it to regenerate `docs/COSTS.md`; `--help` lists the flags.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    match native::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cost: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::PathBuf;

    use clap::Parser;
    use cost::doc::{compute, json, markdown};
    use cost::model::dollars;
    use cost::pricing::PriceList;
    use cost::profile::Profile;
    use cost::ratios::Measured;

    #[derive(Parser)]
    #[command(name = "cost", about = "The Games' bill, line by line (scripts/cost)")]
    struct Cli {
        /// The price list.
        #[arg(long, default_value = "crates/cost/pricing.toml")]
        pricing: PathBuf,
        /// The traffic profile and the modelled ratios.
        #[arg(long, default_value = "crates/cost/profile.toml")]
        profile: PathBuf,
        /// The ratios the load generator measured; `none` prices with the modelled ones only.
        #[arg(long, default_value = "crates/cost/measured.json")]
        measured: String,
        /// Write the Markdown here (docs/COSTS.md) instead of to stdout.
        #[arg(long)]
        markdown: Option<PathBuf>,
        /// Also write the bills as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
    }

    fn read(path: &std::path::Path) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn write(path: &std::path::Path, text: &str) -> Result<(), String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn main() -> Result<(), String> {
        let cli = Cli::parse();
        let prices = PriceList::parse(&read(&cli.pricing)?).map_err(|e| e.to_string())?;
        let profile = Profile::parse(&read(&cli.profile)?).map_err(|e| e.to_string())?;
        let measured: Option<Measured> = if cli.measured == "none" {
            None
        } else {
            let text = read(std::path::Path::new(&cli.measured))?;
            Some(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", cli.measured))?)
        };
        let (costs, ratios) =
            compute(&prices, &profile, measured.as_ref()).map_err(|e| e.to_string())?;
        let text = markdown(&costs, &ratios, &prices, &profile, measured.as_ref());
        match &cli.markdown {
            Some(path) => write(path, &text)?,
            None => print!("{text}"),
        }
        if let Some(path) = &cli.json {
            write(path, &json(&costs).map_err(|e| e.to_string())?)?;
        }
        for bill in &costs.bills {
            eprintln!(
                "  {:<45} {:<5} {:>12}",
                bill.design.label(),
                bill.load,
                dollars(bill.total)
            );
        }
        Ok(())
    }
}
