#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

//! The absences the architecture keeps (docs/ARCHITECTURE.md, "Invariants"), each checked here against the
//! repository as it is, so a change that breaks one fails the build instead of drifting from the doc.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn deps(krate: &str) -> std::collections::BTreeSet<String> {
    invariants::dependencies(&root().join(krate)).unwrap_or_else(|e| panic!("{e}"))
}

/// The runtime and its JavaScript bridge: what a pure crate must not know.
const RUNTIME: [&str; 5] = [
    "worker",
    "js-sys",
    "wasm-bindgen",
    "wasm-bindgen-futures",
    "web-sys",
];

#[test]
fn the_functional_core_knows_nothing_about_the_runtime() {
    for krate in [
        "crates/domain",
        "crates/wire",
        "crates/object-logic",
        "crates/access-auth",
    ] {
        let deps = deps(krate);
        for runtime in RUNTIME {
            assert!(!deps.contains(runtime), "{krate} depends on {runtime}");
        }
    }
}

#[test]
fn domain_depends_on_serialisation_and_errors_only() {
    let deps: Vec<String> = deps("crates/domain").into_iter().collect();
    assert_eq!(deps, ["rmp-serde", "serde", "serde_json", "thiserror"]);
}

#[test]
fn no_crate_names_a_binding() {
    let bindings = [
        "EVENT_ROOM",
        "STANDINGS",
        "LIVE_RELAY",
        "ARCHIVE_QUEUE",
        "ANALYTICS_QUEUE",
        "ANALYTICS_DB",
        "VIEWER_RATE_LIMIT",
    ];
    let mut offenders = Vec::new();
    for krate in ["domain", "wire", "edge", "object-logic", "access-auth"] {
        visit(
            &root().join("crates").join(krate).join("src"),
            &mut |path, text| {
                for name in bindings {
                    if text.contains(&format!("\"{name}\"")) {
                        offenders.push(format!("{} names {name}", path.display()));
                    }
                }
            },
        );
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn the_read_gateway_holds_no_database_and_only_public_data() {
    let config = invariants::read(env!("CARGO_MANIFEST_DIR"), "read-gateway").unwrap();
    // It may send its read counts to the analytics Queue, and consume nothing.
    let queues = config.get("queues").and_then(toml::Value::as_table);
    assert!(
        queues.is_none_or(|q| !q.contains_key("consumers")),
        "read-gateway consumes a queue"
    );
    let producers: Vec<&str> = queues
        .and_then(|q| q.get("producers"))
        .and_then(toml::Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|p| p.get("queue").and_then(toml::Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        producers.iter().all(|q| *q == "olympic-analytics"),
        "{producers:?}"
    );
    for key in ["d1_databases", "services", "analytics_engine_datasets"] {
        assert!(!config.contains_key(key), "read-gateway declares {key}");
    }
    // The only stores it binds hold what is public anyway: the published hot documents.
    let stores: Vec<(invariants::Kind, String)> = invariants::declared(&config)
        .into_iter()
        .filter(|(kind, _)| {
            matches!(
                kind,
                invariants::Kind::R2Bucket | invariants::Kind::KvNamespace
            )
        })
        .collect();
    assert_eq!(
        stores,
        [
            (invariants::Kind::R2Bucket, "PUBLIC_DOCS".to_string()),
            (invariants::Kind::KvNamespace, "SNAPSHOTS".to_string()),
        ]
    );
    let bucket = config["r2_buckets"][0]["bucket_name"].as_str();
    assert_eq!(bucket, Some("olympic-public"));
}

#[test]
fn the_ingest_gateway_reaches_the_objects_and_nothing_else() {
    let config = invariants::read(env!("CARGO_MANIFEST_DIR"), "ingest-gateway").unwrap();
    let declared: Vec<String> = invariants::declared(&config)
        .into_iter()
        .filter(|(kind, _)| *kind != invariants::Kind::Var)
        .map(|(_, name)| name)
        .collect();
    // Event objects for feeds; the standings for operators' rebuilds; the analytics Worker's private routes
    // for operators' reports and dead letters. No queue, bucket or database of its own.
    assert_eq!(declared, ["EVENT_ROOM", "STANDINGS", "ANALYTICS"]);
}

#[test]
fn no_worker_is_reachable_on_workers_dev() {
    for (worker, config) in invariants::all(env!("CARGO_MANIFEST_DIR")).unwrap() {
        assert_eq!(
            config.get("workers_dev").and_then(toml::Value::as_bool),
            Some(false),
            "{worker}"
        );
    }
}

fn visit(dir: &Path, on_file: &mut dyn FnMut(&Path, &str)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            visit(&path, on_file);
        } else if path.extension().is_some_and(|e| e == "rs")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            on_file(&path, &text);
        }
    }
}
