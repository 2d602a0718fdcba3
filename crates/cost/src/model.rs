//! The bill of one design at one load: every line a quantity × a list price, with the arithmetic shown.
//!
//! Quantities come from the work the Games do (reads, updates, live viewers' sessions and pings) times the
//! operations each unit of work causes ([`crate::ratios`]). Two designs:
//! - (a) every read through a Worker (the read gateway), which asks an object when its caches miss;
//! - (b) hot documents served by the CDN from R2 with no Worker, the other reads as in (a).
//!
//! In both, the objects publish each changed hot document to R2 (and a snapshot of it to KV) at most
//! once a second per key, as the code does.

use serde::Serialize;

use crate::CostError;
use crate::pricing::{Price, PriceList};
use crate::profile::{Load, Profile};
use crate::ratios::{Effective, Ops};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Design {
    /// (a) every read through a Worker.
    #[serde(rename = "a")]
    EveryReadThroughAWorker,
    /// (b) hot documents from the CDN, no Worker.
    #[serde(rename = "b")]
    HotDocumentsFromTheCdn,
}

impl Design {
    pub fn label(self) -> &'static str {
        match self {
            Self::EveryReadThroughAWorker => "(a) every read through a Worker",
            Self::HotDocumentsFromTheCdn => "(b) hot documents from the CDN, no Worker",
        }
    }
}

/// Whether a line's quantity rests on measured ratios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Measured,
    PartlyMeasured,
    Modelled,
    /// A fixed fee, or a product the system does not use.
    Fixed,
}

impl Basis {
    pub fn label(self) -> &'static str {
        match self {
            Self::Measured => "measured",
            Self::PartlyMeasured => "partly measured",
            Self::Modelled => "modelled",
            Self::Fixed => "—",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub id: String,
    pub product: String,
    pub unit: String,
    pub quantity: f64,
    pub included: f64,
    pub rate: String,
    pub cost: f64,
    /// The arithmetic, for a reader with a calculator.
    pub calculation: String,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bill {
    pub design: Design,
    pub load: String,
    pub lines: Vec<Line>,
    pub total: f64,
}

/// The ratios in use, one set per kind of work.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratios {
    pub read_miss: Effective,
    pub read_hit: Effective,
    pub update: Effective,
    pub viewer: Effective,
}

impl Ratios {
    pub fn new(profile: &Profile, measured: Option<&crate::ratios::Measured>) -> Self {
        let m = |pick: fn(&crate::ratios::Measured) -> &Ops| {
            measured.map(pick).cloned().unwrap_or_default()
        };
        Self {
            read_miss: Effective::new(profile.modelled.read_miss.clone(), m(|x| &x.read_miss)),
            read_hit: Effective::new(profile.modelled.read_hit.clone(), m(|x| &x.read_hit)),
            update: Effective::new(profile.modelled.update.clone(), m(|x| &x.update)),
            viewer: Effective::new(profile.modelled.viewer.clone(), m(|x| &x.viewer)),
        }
    }
}

/// The work of the Games at one load, in units the ratios apply to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Work {
    pub reads: f64,
    /// Reads through a Worker that ask an object.
    pub worker_reads_miss: f64,
    /// Reads through a Worker answered from its caches.
    pub worker_reads_hit: f64,
    /// (b) reads of hot documents served by the CDN, and those of them that go to R2.
    pub cdn_reads: f64,
    pub cdn_misses: f64,
    pub updates: f64,
    pub viewer_sessions: f64,
    pub viewer_pings: f64,
    /// (b) hot documents written to R2, and the alarms that flush them.
    pub hot_writes: f64,
    pub publish_alarms: f64,
}

impl Work {
    pub fn of(profile: &Profile, load: &Load, design: Design) -> Self {
        let reads = load.reads_per_day * profile.days;
        let updates = load.updates_per_s * profile.busy_seconds();
        let busy_minutes = profile.busy_seconds() / 60.0;
        let viewer_sessions = load.viewers * busy_minutes / profile.viewers.session_minutes;
        let viewer_pings = load.viewers * busy_minutes * profile.viewers.pings_per_minute;
        // The objects publish hot documents in both designs (the code does): each live event's documents
        // change at its share of the update rate, capped per key; the standings' on status and medal
        // changes (digests), capped likewise.
        let hot = profile.hot_documents;
        let cap = hot.max_writes_per_key_per_s;
        let live = profile.objects.live_concurrent.max(1.0);
        let per_event = (load.updates_per_s / live).min(cap);
        let digests_per_s = (load.updates_per_s * hot.digest_share).min(cap);
        let writes_per_s =
            live * per_event * hot.keys_per_update + digests_per_s * hot.standings_keys;
        let seconds = profile.busy_seconds();
        let hot_writes = writes_per_s * seconds;
        // One flush (an alarm) per object per publishing second.
        let publish_alarms = (live * per_event + digests_per_s) * seconds;
        let (worker_reads, cdn_reads) = match design {
            Design::EveryReadThroughAWorker => (reads, 0.0),
            Design::HotDocumentsFromTheCdn => (
                reads * (1.0 - profile.reads.hot_share),
                reads * profile.reads.hot_share,
            ),
        };
        Self {
            reads,
            worker_reads_miss: worker_reads * (1.0 - profile.reads.edge_hit_ratio),
            worker_reads_hit: worker_reads * profile.reads.edge_hit_ratio,
            cdn_reads,
            cdn_misses: cdn_reads * (1.0 - profile.reads.cdn_hit_ratio),
            updates,
            viewer_sessions,
            viewer_pings,
            hot_writes,
            publish_alarms,
        }
    }
}

/// One term of a quantity: `count` units of work × `ratio` operations each.
struct Term {
    label: &'static str,
    count: f64,
    ratio: f64,
    measured: Option<bool>,
}

impl Term {
    fn of(label: &'static str, count: f64, ratios: &Effective, field: &str) -> Self {
        let r = ratios.ratio(field);
        Self {
            label,
            count,
            ratio: r.value,
            measured: Some(r.measured),
        }
    }

    fn fixed(label: &'static str, count: f64, ratio: f64) -> Self {
        Self {
            label,
            count,
            ratio,
            measured: None,
        }
    }

    fn value(&self) -> f64 {
        self.count * self.ratio
    }
}

/// `6,120 M`, `14.69 M`, `612 k`, `58.3`.
pub fn quantity(x: f64) -> String {
    let a = x.abs();
    if a >= 1e9 {
        format!("{} M", thousands(x / 1e6, 0))
    } else if a >= 1e8 {
        format!("{} M", thousands(x / 1e6, 1))
    } else if a >= 1e6 {
        let text = format!("{:.3}", x / 1e6);
        format!("{} M", text.trim_end_matches('0').trim_end_matches('.'))
    } else if a >= 1e4 {
        let text = format!("{:.1}", x / 1e3);
        format!("{} k", text.trim_end_matches('0').trim_end_matches('.'))
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else {
        let text = format!("{x:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// `1,234,567.8` with `digits` decimals.
pub fn thousands(x: f64, digits: usize) -> String {
    let text = format!("{:.*}", digits, x.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

pub fn dollars(x: f64) -> String {
    format!("${}", thousands(x, 2))
}

fn basis(terms: &[Term]) -> Basis {
    let used: Vec<bool> = terms
        .iter()
        .filter(|t| t.value() != 0.0)
        .filter_map(|t| t.measured)
        .collect();
    match (used.iter().all(|m| *m), used.iter().any(|m| *m)) {
        _ if used.is_empty() => Basis::Modelled,
        (true, _) => Basis::Measured,
        (false, true) => Basis::PartlyMeasured,
        (false, false) => Basis::Modelled,
    }
}

/// A line from terms: (Σ count × ratio × scale − allowance) × price.
fn line(price: &Price, terms: &[Term], scale: f64, scale_text: &str) -> Line {
    let shown: Vec<&Term> = terms.iter().filter(|t| t.value() != 0.0).collect();
    let quantity_value = terms.iter().map(Term::value).sum::<f64>() * scale;
    let sum = shown
        .iter()
        .map(|t| {
            if t.ratio == 1.0 {
                format!("{} {}", self::quantity(t.count), t.label)
            } else {
                format!(
                    "{} {} × {}",
                    self::quantity(t.count),
                    t.label,
                    self::quantity(t.ratio)
                )
            }
        })
        .collect::<Vec<_>>()
        .join(" + ");
    let sum = if sum.is_empty() { "0".to_owned() } else { sum };
    let total = if shown.len() > 1 || shown.iter().any(|t| t.ratio != 1.0) || !scale_text.is_empty()
    {
        format!("({sum}){scale_text} = {}", self::quantity(quantity_value))
    } else {
        sum
    };
    let calculation = if price.included > 0.0 {
        format!(
            "({total} − {} included) × {}",
            self::quantity(price.included),
            price.rate_text()
        )
    } else {
        format!("{total} × {}", price.rate_text())
    };
    Line {
        id: price.id.clone(),
        product: price.product.clone(),
        unit: price.unit.clone(),
        quantity: quantity_value,
        included: price.included,
        rate: price.rate_text(),
        cost: price.charge(quantity_value),
        calculation,
        basis: basis(terms),
    }
}

/// The bill of `design` at the load named `load_name` (`peak` or `half`).
pub fn bill(
    prices: &PriceList,
    profile: &Profile,
    ratios: &Ratios,
    design: Design,
    load_name: &str,
) -> Result<Bill, CostError> {
    let load = profile
        .load
        .get(load_name)
        .ok_or_else(|| CostError::Parse("profile", format!("no load {load_name}")))?;
    let work = Work::of(profile, load, design);
    let date = profile.billing_date.as_str();
    let price = |id: &str| prices.require(id, date);
    // Σ over the kinds of work of count × ratio, for one field.
    let terms = |field: &str| {
        vec![
            Term::of(
                "reads asking an object",
                work.worker_reads_miss,
                &ratios.read_miss,
                field,
            ),
            Term::of(
                "reads from the Worker's caches",
                work.worker_reads_hit,
                &ratios.read_hit,
                field,
            ),
            Term::of("updates", work.updates, &ratios.update, field),
            Term::of(
                "viewer sessions",
                work.viewer_sessions,
                &ratios.viewer,
                field,
            ),
        ]
    };
    let mut lines = Vec::new();
    let base = price("workers_base")?;
    lines.push(Line {
        calculation: format!("1 month × {}", base.rate_text()),
        basis: Basis::Fixed,
        ..line(base, &[Term::fixed("month", 1.0, 1.0)], 1.0, "")
    });
    lines.push(line(
        price("worker_requests")?,
        &terms("worker_requests"),
        1.0,
        "",
    ));
    lines.push(line(price("worker_cpu")?, &terms("worker_cpu_ms"), 1.0, ""));
    let mut do_requests = terms("do_requests");
    do_requests.push(Term::fixed(
        "viewer pings (20 count as one)",
        work.viewer_pings,
        0.05,
    ));
    do_requests.push(Term::fixed("publishing alarms", work.publish_alarms, 1.0));
    lines.push(line(price("do_requests")?, &do_requests, 1.0, ""));
    let mut active = terms("do_active_ms");
    active.push(Term::fixed(
        "hot-document publishes",
        work.hot_writes,
        profile.hot_documents.publish_ms,
    ));
    let gb = profile.objects.billed_gb;
    lines.push(line(
        price("do_duration")?,
        &active,
        gb / 1000.0,
        &format!(" ms × {gb} GB ÷ 1,000"),
    ));
    lines.push(line(
        price("do_rows_read")?,
        &terms("do_rows_read"),
        1.0,
        "",
    ));
    lines.push(line(
        price("do_rows_written")?,
        &terms("do_rows_written"),
        1.0,
        "",
    ));
    lines.push(line(
        price("do_storage")?,
        &[Term::fixed(
            "updates",
            work.updates,
            profile.objects.bytes_per_update,
        )],
        1e-9,
        " ÷ 10⁹ GB, one month",
    ));
    lines.push(line(price("kv_reads")?, &terms("kv_reads"), 1.0, ""));
    let mut kv_writes = terms("kv_writes");
    kv_writes.push(Term::fixed(
        "hot-document snapshots",
        work.hot_writes,
        profile.hot_documents.kv_snapshots_per_document,
    ));
    lines.push(line(price("kv_writes")?, &kv_writes, 1.0, ""));
    let mut class_a = terms("r2_class_a");
    class_a.push(Term::fixed("hot documents", work.hot_writes, 1.0));
    lines.push(line(price("r2_class_a")?, &class_a, 1.0, ""));
    let mut class_b = terms("r2_class_b");
    class_b.push(Term::fixed("CDN misses", work.cdn_misses, 1.0));
    lines.push(line(price("r2_class_b")?, &class_b, 1.0, ""));
    lines.push(line(
        price("r2_storage")?,
        &terms("r2_bytes"),
        1e-9,
        " ÷ 10⁹ GB, one month",
    ));
    lines.push(line(
        price("queue_ops")?,
        &terms("queue_messages"),
        3.0,
        " × 3",
    ));
    lines.push(line(
        price("d1_rows_written")?,
        &terms("d1_rows_written"),
        1.0,
        "",
    ));
    lines.push(line(
        price("d1_storage")?,
        &terms("d1_bytes"),
        1e-9,
        " ÷ 10⁹ GB, one month",
    ));
    lines.push(Line {
        calculation: "no Analytics Engine binding in wrangler/*.toml".into(),
        basis: Basis::Fixed,
        ..line(price("analytics_engine_points")?, &[], 1.0, "")
    });
    // Workers Logs: per event before 2026-12-01, per GB (and GB-month stored) from then on.
    if let Some(per_event) = prices.get("logs_events", date) {
        lines.push(line(per_event, &terms("log_events"), 1.0, ""));
    } else {
        lines.push(line(
            price("logs_volume")?,
            &terms("log_bytes"),
            1e-9,
            " ÷ 10⁹ GB",
        ));
        // Kept `retention_days`: the daily volume (bytes ÷ days) × days kept is stored, for the Games' days
        // of a 30-day month: bytes × days kept ÷ 30 GB-months.
        let kept = profile.logs.retention_days.min(profile.days);
        lines.push(line(
            price("logs_storage")?,
            &terms("log_bytes"),
            1e-9 * kept / 30.0,
            &format!(" ÷ 10⁹ GB × {kept} days kept ÷ 30"),
        ));
    }
    let seats = price("access_seats")?;
    lines.push(Line {
        basis: Basis::Fixed,
        ..line(
            seats,
            &[Term::fixed(
                "operators × 1 month",
                profile.access.operators,
                1.0,
            )],
            1.0,
            "",
        )
    });
    let total = lines.iter().map(|l| l.cost).sum();
    Ok(Bill {
        design,
        load: load_name.to_owned(),
        lines,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_read_as_a_person_writes_them() {
        assert_eq!(quantity(6_120e6), "6,120 M");
        assert_eq!(quantity(146.88e6), "146.9 M");
        assert_eq!(quantity(14.688e6), "14.688 M");
        assert_eq!(quantity(0.11), "0.11");
        assert_eq!(thousands(1_837.847, 2), "1,837.85");
        assert_eq!(dollars(5.0), "$5.00");
    }
}
