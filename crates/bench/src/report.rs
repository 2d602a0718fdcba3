//! The results table written into `docs/PERFORMANCE.md`, between markers so other benchmarks can share
//! the file.

use std::fmt::Write as _;

use crate::cases::{Measurement, Report};
use crate::peer::PeerReport;

pub const START: &str = "<!-- domain-bench:start -->";
pub const END: &str = "<!-- domain-bench:end -->";
/// The section the lead fills in; it stays last in the file.
const LAST_SECTION: &str = "## Worker sizes";

/// A target from issue 3, in nanoseconds per operation.
struct Target {
    native_ns: Option<f64>,
    wasm_ns: Option<f64>,
    text: &'static str,
}

fn target(id: &str) -> Option<Target> {
    match id {
        "leaderboard/100" => Some(Target {
            native_ns: Some(5_000.0),
            wasm_ns: Some(15_000.0),
            text: "≤ 5 µs native, ≤ 15 µs wasm (3×)",
        }),
        "medal-table/games" | "medal-book/games" => Some(Target {
            native_ns: Some(100_000.0),
            wasm_ns: Some(100_000.0),
            text: "≤ 100 µs (native and wasm)",
        }),
        _ => None,
    }
}

/// `1.23 µs`, `45.6 µs`, `789 µs`, `1.23 ms`.
pub fn duration(ns: f64) -> String {
    let us = ns / 1_000.0;
    if us < 10.0 {
        format!("{us:.2} µs")
    } else if us < 100.0 {
        format!("{us:.1} µs")
    } else if us < 1_000.0 {
        format!("{us:.0} µs")
    } else {
        format!("{:.2} ms", us / 1_000.0)
    }
}

fn ratio(peer_ns: f64, ours_ns: f64) -> String {
    if ours_ns <= 0.0 {
        return "—".into();
    }
    let r = peer_ns / ours_ns;
    if r >= 10.0 {
        format!("{r:.0}×")
    } else if r >= 1.0 {
        format!("{r:.1}×")
    } else if r >= 0.1 {
        format!("{r:.2}×")
    } else {
        format!("{r:.3}×")
    }
}

fn verdict(platform: &str, measured: Option<f64>, limit: Option<f64>) -> Option<String> {
    let (measured, limit) = (measured?, limit?);
    Some(if measured <= limit {
        format!("{platform} ✅")
    } else {
        format!("{platform} ❌ ({:.1}× over)", measured / limit)
    })
}

/// Facts about the run, shown above the table.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub date: String,
    pub commit: String,
    pub cpus: String,
    pub cpu_model: String,
    pub rustc: String,
    pub node: String,
    /// The load average when the run started: other work on the machine skews every number.
    pub load: String,
    /// How the wasm was built (wasm-bindgen, wasm-opt).
    pub wasm: String,
    /// Where Redis and its client ran (CPU pinning).
    pub peer: String,
}

/// The Markdown between the markers (markers included).
pub fn section(
    meta: &Meta,
    native: &Report,
    wasm: Option<&Report>,
    peer: Option<&PeerReport>,
) -> String {
    let find = |list: &[Measurement], id: &str| list.iter().find(|m| m.id == id).cloned();
    let mut out = String::new();
    let _ = writeln!(out, "{START}");
    let _ = writeln!(
        out,
        "_Written by `scripts/bench` on {} at commit `{}`: {} × {} (load average at start {}); {}; \
         Node {}; wasm {}; Redis {} ({}). Times per operation; lower is better._\n",
        meta.date,
        meta.commit,
        meta.cpus,
        meta.cpu_model,
        meta.load,
        meta.rustc,
        meta.node,
        meta.wasm,
        peer.map_or("not run", |p| p.redis_version.as_str()),
        meta.peer,
    );
    out.push_str(
        "| operation | size | ours native median | ours native p99 | ours wasm median | Redis median | Redis p99 | Redis pipelined median | Redis ÷ ours, native / wasm (> 1: we are faster) | target | met |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n",
    );
    for ours in &native.results {
        let in_wasm = wasm.and_then(|w| find(&w.results, &ours.id));
        // The variants are compared with the same Redis operation as the plain update.
        let peer_id = ours
            .id
            .replace("leaderboard-json/", "leaderboard/")
            .replace("leaderboard-open/", "leaderboard/");
        let sequential = peer.and_then(|p| find(&p.sequential, &peer_id));
        let pipelined = peer.and_then(|p| find(&p.pipelined, &peer_id));
        let dash = || "—".to_owned();
        let ratios = match &sequential {
            Some(redis) => format!(
                "{} / {}",
                ratio(redis.summary.median_ns, ours.summary.median_ns),
                in_wasm.as_ref().map_or_else(dash, |w| ratio(
                    redis.summary.median_ns,
                    w.summary.median_ns
                ))
            ),
            None => dash(),
        };
        let goal = target(&ours.id);
        let met = goal
            .as_ref()
            .map(|t| {
                [
                    verdict("native", Some(ours.summary.median_ns), t.native_ns),
                    verdict(
                        "wasm",
                        in_wasm.as_ref().map(|w| w.summary.median_ns),
                        t.wasm_ns,
                    ),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
            })
            .unwrap_or_else(dash);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            ours.operation,
            ours.size,
            duration(ours.summary.median_ns),
            duration(ours.summary.p99_ns),
            in_wasm
                .as_ref()
                .map_or_else(dash, |w| duration(w.summary.median_ns)),
            sequential
                .as_ref()
                .map_or_else(dash, |r| duration(r.summary.median_ns)),
            sequential
                .as_ref()
                .map_or_else(dash, |r| duration(r.summary.p99_ns)),
            pipelined
                .as_ref()
                .map_or_else(dash, |r| duration(r.summary.median_ns)),
            ratios,
            goal.map_or("—", |t| t.text),
            met,
        );
    }
    out.push_str("\nDetails of the run:\n\n");
    let mut detail = |platform: &str, m: &Measurement| {
        let _ = writeln!(
            out,
            "- {platform} `{}`: {} samples, min {}, mean {}, p99 {}; {}",
            m.id,
            m.summary.samples,
            duration(m.summary.min_ns),
            duration(m.summary.mean_ns),
            duration(m.summary.p99_ns),
            if m.detail.is_empty() {
                "—"
            } else {
                &m.detail
            },
        );
    };
    for m in &native.results {
        detail("native", m);
    }
    if let Some(wasm) = wasm {
        for m in &wasm.results {
            detail("wasm", m);
        }
    }
    if let Some(peer) = peer {
        for m in &peer.sequential {
            detail("redis", m);
        }
        for m in &peer.pipelined {
            detail("redis pipelined", m);
        }
        detail("redis", &peer.ping);
    }
    let _ = writeln!(
        out,
        "- clock overhead (two consecutive readings, median): native {}, wasm {}",
        duration(native.clock_overhead_ns),
        wasm.map_or_else(|| "—".into(), |w| duration(w.clock_overhead_ns)),
    );
    let _ = writeln!(out, "{END}");
    out
}

/// Puts `section` into the document: replaces what is between the markers, or, the first time, inserts
/// it before the "Worker sizes" section (or at the end).
pub fn splice(document: &str, section: &str) -> String {
    if let (Some(start), Some(end)) = (document.find(START), document.find(END))
        && start < end
    {
        let after = end + END.len();
        let rest = document[after..]
            .strip_prefix('\n')
            .unwrap_or(&document[after..]);
        return format!("{}{section}{rest}", &document[..start]);
    }
    match document.find(LAST_SECTION) {
        Some(at) => format!("{}{section}\n{}", &document[..at], &document[at..]),
        None if document.is_empty() => {
            format!("# Performance\n\n## Domain\n\n{section}\n{LAST_SECTION}\n")
        }
        None => format!(
            "{}\n{section}",
            document.trim_end_matches('\n').to_owned() + "\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_replaces_only_between_the_markers() {
        let doc = format!("# P\n\nintro\n{START}\nold\n{END}\nafter\n\n## Worker sizes\n");
        let new = format!("{START}\nnew\n{END}\n");
        assert_eq!(
            splice(&doc, &new),
            format!("# P\n\nintro\n{START}\nnew\n{END}\nafter\n\n## Worker sizes\n")
        );
        let without = "# P\n\n## Worker sizes\n";
        assert_eq!(
            splice(without, &new),
            format!("# P\n\n{START}\nnew\n{END}\n\n## Worker sizes\n")
        );
    }

    #[test]
    fn durations_keep_three_significant_digits() {
        assert_eq!(duration(1_234.0), "1.23 µs");
        assert_eq!(duration(45_600.0), "45.6 µs");
        assert_eq!(duration(789_000.0), "789 µs");
        assert_eq!(duration(1_230_000.0), "1.23 ms");
    }
}
