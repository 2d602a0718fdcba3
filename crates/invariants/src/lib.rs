//! The architecture invariants that the code alone cannot show, read from the repository for tests:
//!
//! - each Worker's bindings ([`check`]): every binding name its Rust uses is declared in its own
//!   `wrangler/<worker>.toml` with the right kind, and every binding the config declares is used (least
//!   privilege: a binding nobody uses is a door left open). Each Worker's `bindings.rs` runs it.
//! - what the crates may depend on and what the configs may hold: `tests/invariants.rs`.
//!
//! Only tests use this crate; Workers never read their config at run time.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What a binding gives access to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    DurableObject,
    QueueProducer,
    R2Bucket,
    D1Database,
    KvNamespace,
    RateLimit,
    AnalyticsEngine,
    /// A service binding: another Worker's `fetch`, reachable by nothing else.
    Service,
    Var,
    /// Set with `wrangler secret put`; never in a config file.
    Secret,
}

/// A binding: its kind and the name the Worker uses.
pub type Binding = (Kind, String);

/// The folder holding the configs, found from a crate's manifest folder.
pub fn config_dir(manifest_dir: &str) -> PathBuf {
    Path::new(manifest_dir).join("../../wrangler")
}

/// The names of the `[dependencies]` (not dev-dependencies) of the crate at `crate_dir`.
pub fn dependencies(crate_dir: &Path) -> Result<BTreeSet<String>, String> {
    let path = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let manifest = text
        .parse::<toml::Table>()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(manifest
        .get("dependencies")
        .and_then(toml::Value::as_table)
        .map(|deps| deps.keys().cloned().collect())
        .unwrap_or_default())
}

/// Reads `wrangler/<worker>.toml`.
pub fn read(manifest_dir: &str, worker: &str) -> Result<toml::Table, String> {
    let path = config_dir(manifest_dir).join(format!("{worker}.toml"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.parse::<toml::Table>()
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The bindings a config declares (secrets are not in configs, so never among them).
pub fn declared(config: &toml::Table) -> BTreeSet<Binding> {
    let mut out = BTreeSet::new();
    let mut take = |path: &[&str], field: &str, kind: Kind| {
        let mut value = Some(toml::Value::Table(config.clone()));
        for key in path {
            value = value.and_then(|v| v.get(*key).cloned());
        }
        if let Some(toml::Value::Array(items)) = value {
            for item in items {
                if let Some(name) = item.get(field).and_then(toml::Value::as_str) {
                    out.insert((kind, name.to_string()));
                }
            }
        }
    };
    take(
        &["durable_objects", "bindings"],
        "name",
        Kind::DurableObject,
    );
    take(&["queues", "producers"], "binding", Kind::QueueProducer);
    take(&["r2_buckets"], "binding", Kind::R2Bucket);
    take(&["d1_databases"], "binding", Kind::D1Database);
    take(&["kv_namespaces"], "binding", Kind::KvNamespace);
    take(&["ratelimits"], "name", Kind::RateLimit);
    take(&["services"], "binding", Kind::Service);
    take(
        &["analytics_engine_datasets"],
        "binding",
        Kind::AnalyticsEngine,
    );
    if let Some(vars) = config.get("vars").and_then(toml::Value::as_table) {
        for name in vars.keys() {
            out.insert((Kind::Var, name.clone()));
        }
    }
    out
}

/// Compares what a Worker's Rust uses with what its config declares; `Err` lists every difference.
/// A `Var` the Rust treats as optional may be missing from the config (it is set per environment).
pub fn check(
    manifest_dir: &str,
    worker: &str,
    used: &[(Kind, &str)],
    optional_vars: &[&str],
) -> Result<(), String> {
    let config = read(manifest_dir, worker)?;
    let declared = declared(&config);
    let used: BTreeSet<Binding> = used
        .iter()
        .map(|(kind, name)| (*kind, (*name).to_string()))
        .collect();
    let mut problems = Vec::new();
    for binding in &used {
        let optional = binding.0 == Kind::Var && optional_vars.contains(&binding.1.as_str());
        if binding.0 != Kind::Secret && !optional && !declared.contains(binding) {
            problems.push(format!(
                "{binding:?} is used in Rust but not declared in {worker}.toml"
            ));
        }
    }
    for binding in &declared {
        if !used.contains(binding) {
            problems.push(format!(
                "{binding:?} is declared in {worker}.toml but never used"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Every config in the folder, by file stem.
pub fn all(manifest_dir: &str) -> Result<Vec<(String, toml::Table)>, String> {
    let dir = config_dir(manifest_dir);
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "toml")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        {
            out.push((stem.to_string(), read(manifest_dir, stem)?));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
