//! How the peak totals move when one assumption moves: cache hit ratios, the update rate, log sampling,
//! the viewers on sockets and the hot share. Each row changes one thing in a copy of the profile (or of
//! the ratios) and prices both designs again.

use serde::Serialize;

use crate::CostError;
use crate::model::{Design, Ratios, bill};
use crate::pricing::PriceList;
use crate::profile::Profile;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub assumption: String,
    pub value: String,
    pub total_a: f64,
    pub total_b: f64,
    /// The row that matches the profile as written.
    pub baseline: bool,
}

type Change = Box<dyn Fn(&mut Profile, &mut Ratios)>;

fn scale_logs(ratios: &mut Ratios, factor: f64) {
    for kind in [
        &mut ratios.read_miss,
        &mut ratios.read_hit,
        &mut ratios.update,
        &mut ratios.viewer,
    ] {
        for ops in [&mut kind.modelled, &mut kind.measured] {
            ops.log_events = ops.log_events.map(|v| v * factor);
            ops.log_bytes = ops.log_bytes.map(|v| v * factor);
        }
    }
}

pub fn table(
    prices: &PriceList,
    profile: &Profile,
    ratios: &Ratios,
) -> Result<Vec<Row>, CostError> {
    let peak = profile.load.get("peak").copied();
    let base_updates = peak.map_or(20.0, |l| l.updates_per_s);
    let base_viewers = peak.map_or(0.0, |l| l.viewers);
    let mut rows: Vec<(String, String, bool, Change)> = Vec::new();
    let mut add = |assumption: &str, value: String, baseline: bool, change: Change| {
        rows.push((assumption.to_owned(), value, baseline, change));
    };
    for hit in [0.95, 0.99, 0.999] {
        add(
            "(b) CDN hit ratio on hot documents",
            format!("{} %", hit * 100.0),
            hit == profile.reads.cdn_hit_ratio,
            Box::new(move |p, _| p.reads.cdn_hit_ratio = hit),
        );
    }
    for hit in [0.0, 0.5, 0.9] {
        add(
            "reads through a Worker answered by its caches",
            format!("{} %", hit * 100.0),
            hit == profile.reads.edge_hit_ratio,
            Box::new(move |p, _| p.reads.edge_hit_ratio = hit),
        );
    }
    for share in [0.90, 0.95, 0.98] {
        add(
            "(b) hot share of reads",
            format!("{} %", share * 100.0),
            share == profile.reads.hot_share,
            Box::new(move |p, _| p.reads.hot_share = share),
        );
    }
    for factor in [0.5, 1.0, 2.0, 5.0] {
        let rate = base_updates * factor;
        add(
            "updates a second at peak",
            format!("{rate}/s"),
            factor == 1.0,
            Box::new(move |p, _| {
                if let Some(l) = p.load.get_mut("peak") {
                    l.updates_per_s = rate;
                }
            }),
        );
    }
    let snapshots = profile.hot_documents.kv_snapshots_per_document;
    for ratio in [1.0, 0.1, 0.0] {
        add(
            "KV snapshot writes per hot-document write",
            format!("{ratio}"),
            ratio == snapshots,
            Box::new(move |p, _| p.hot_documents.kv_snapshots_per_document = ratio),
        );
    }
    add(
        "log sampling",
        "as configured (wrangler/*.toml)".into(),
        true,
        Box::new(|_, _| {}),
    );
    add(
        "log sampling",
        "every invocation logged (×10 on average)".into(),
        false,
        Box::new(|_, r| scale_logs(r, 10.0)),
    );
    for viewers in [0.0, base_viewers, 500_000.0, 2_000_000.0] {
        add(
            "live viewers on sockets at peak",
            crate::model::thousands(viewers, 0),
            viewers == base_viewers,
            Box::new(move |p, _| {
                if let Some(l) = p.load.get_mut("peak") {
                    l.viewers = viewers;
                }
            }),
        );
    }
    let mut out = Vec::new();
    for (assumption, value, baseline, change) in rows {
        let mut p = profile.clone();
        let mut r = ratios.clone();
        change(&mut p, &mut r);
        let a = bill(prices, &p, &r, Design::EveryReadThroughAWorker, "peak")?;
        let b = bill(prices, &p, &r, Design::HotDocumentsFromTheCdn, "peak")?;
        out.push(Row {
            assumption,
            value,
            total_a: a.total,
            total_b: b.total,
            baseline,
        });
    }
    Ok(out)
}
