//! `docs/COSTS.md`, generated whole from the bills (`scripts/cost`), and the same numbers as JSON.
//!
//! The prose lives here beside the tables it explains, so the document cannot drift from the arithmetic:
//! a test regenerates it and compares it with the committed file.

use std::fmt::Write as _;

use serde::Serialize;

use crate::CostError;
use crate::model::{Basis, Bill, Design, Ratios, bill, dollars, quantity};
use crate::pricing::PriceList;
use crate::profile::Profile;
use crate::ratios::{FIELDS, Measured};
use crate::sensitivity::{self, Row};

/// Design (b)'s target at peak (issue 11).
pub const TARGET_B_PEAK: f64 = 500.0;

/// Everything the tool computes.
#[derive(Debug, Clone, Serialize)]
pub struct Costs {
    pub billing_date: String,
    pub bills: Vec<Bill>,
    pub sensitivity: Vec<Row>,
    pub measured_source: String,
}

pub fn compute(
    prices: &PriceList,
    profile: &Profile,
    measured: Option<&Measured>,
) -> Result<(Costs, Ratios), CostError> {
    let ratios = Ratios::new(profile, measured);
    let mut bills = Vec::new();
    for design in [
        Design::EveryReadThroughAWorker,
        Design::HotDocumentsFromTheCdn,
    ] {
        for load in ["peak", "half"] {
            bills.push(bill(prices, profile, &ratios, design, load)?);
        }
    }
    let sensitivity = sensitivity::table(prices, profile, &ratios)?;
    Ok((
        Costs {
            billing_date: profile.billing_date.clone(),
            bills,
            sensitivity,
            measured_source: measured.map(|m| m.source.clone()).unwrap_or_default(),
        },
        ratios,
    ))
}

fn find<'a>(costs: &'a Costs, design: Design, load: &str) -> Option<&'a Bill> {
    costs
        .bills
        .iter()
        .find(|b| b.design == design && b.load == load)
}

fn line_cost(bill: Option<&Bill>, id: &str) -> f64 {
    bill.map_or(0.0, |b| {
        b.lines
            .iter()
            .filter(|l| l.id == id || (id == "logs" && l.id.starts_with("logs_")))
            .map(|l| l.cost)
            .sum()
    })
}

fn total(bill: Option<&Bill>) -> f64 {
    bill.map_or(0.0, |b| b.total)
}

const INTRO: &str = "# Costs

What Olympic Live costs to run on Cloudflare through the Games: 17 days at the seed's peak load of 360
million reads a day and 20 updates a second (12 hours a day), and at half that. **This file is generated**
by `scripts/cost` (`crates/cost`) from three inputs: the price list `crates/cost/pricing.toml` (each price
with its source and the date it was read), the traffic profile `crates/cost/profile.toml` (the seed's load
and every assumption beyond it), and the operations per read, per update and per viewer that the load
generator measured on the local stack, `crates/cost/measured.json` (written by `scripts/bench`; see
[PERFORMANCE.md](PERFORMANCE.md#games-scale-load)). Edit those, not this file.

Two read designs are priced:

- **(a) every read through a Worker.** The code today: each read is a read-gateway request, which asks an
  event object or the standings object when its caches (isolate memory, the data centre's cache) hold no
  fresh copy. The profile prices every such read as a miss (the upper bound); the sensitivity table gives
  the totals when the caches answer half or 90 % of them.
- **(b) hot documents from the CDN, with no Worker.** The documents that make up nearly all reads (an
  event's page and first leaderboard page, the medal table, the events list, the day's schedule) are
  served from the public bucket's custom domain through the CDN; a CDN hit runs nothing and costs
  nothing, a miss is an R2 Class B read. The other reads go through the read gateway as in (a).

In both designs the objects publish each changed hot document (`workers/event-do/src/publish.rs`) to the
public bucket and a snapshot of it to KV, at most once a second per key: that is what the code does. Their
writes are modelled from that rule (one R2 Class A write and one KV write per changed key per second at
most, one flush per object per publishing second), because they grow with the number of live events, not
with the updates; the load generator's count of them per live event checks the rule
([PERFORMANCE.md](PERFORMANCE.md#games-scale-load)).

Every line is a quantity × a list price, the monthly allowance subtracted once (the 17 days are assumed to
fall in one billing month), with its arithmetic shown. Each line says whether its quantity rests on
**measured** ratios (counted on the local stack), **modelled** ones (from the code and the profile), or
both.
";

const NOT_PRICED: &str = "## Not priced, and why

- **CDN bandwidth.** 6.12 B reads of about 20 KB are about 122 TB; Cloudflare's list prices have no per-GB
  fee for the CDN, Workers or R2 egress. Whether an Enterprise contract is wanted for support, limits or an
  SLA is a question for a quote, not a line here.
- **The Cache API and the rate-limiting binding** have no separate list price.
- **Relay objects** (past 30,000 viewers of one event, up to 16 per event) add one object request per joined
  relay per broadcast, and their own requests when a viewer joins; at the profile's 50,000 viewers spread
  over the live events no event reaches 30,000, so none is counted. With one event at 300,000 viewers,
  9 relays × 20 broadcasts a second at most × 12 h × 17 days is 132 M requests: $20.
- **Durable Object duration** is billed only while an object handles something (a hibernating object with
  only hibernatable sockets and no timer is not billed): the line is the measured time objects spent on
  each request, not objects × hours. An alarm for a held-back broadcast keeps its object awake at most
  50 ms; outbox retries add alarms only while a delivery fails.
";

fn ratio_cell(ratios: &Ratios, kind: &str, field: &str) -> String {
    let effective = match kind {
        "read_miss" => &ratios.read_miss,
        "read_hit" => &ratios.read_hit,
        "update" => &ratios.update,
        _ => &ratios.viewer,
    };
    let r = effective.ratio(field);
    if r.measured {
        format!("**{}**", quantity(r.value))
    } else {
        quantity(r.value)
    }
}

fn bill_table(out: &mut String, costs: &Costs, design: Design) {
    let (Some(peak), Some(half)) = (find(costs, design, "peak"), find(costs, design, "half"))
    else {
        return;
    };
    let _ = writeln!(
        out,
        "| line | basis | peak: calculation | peak | half: calculation | half |\n|---|---|---|---:|---|---:|"
    );
    for (p, h) in peak.lines.iter().zip(&half.lines) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            p.product,
            p.basis.label(),
            p.calculation,
            dollars(p.cost),
            h.calculation,
            dollars(h.cost)
        );
    }
    let _ = writeln!(
        out,
        "| **total** | | | **{}** | | **{}** |\n",
        dollars(peak.total),
        dollars(half.total)
    );
}

/// The whole of `docs/COSTS.md`.
pub fn markdown(
    costs: &Costs,
    ratios: &Ratios,
    prices: &PriceList,
    profile: &Profile,
    measured: Option<&Measured>,
) -> String {
    let mut out = String::from(INTRO);
    let a_peak = find(costs, Design::EveryReadThroughAWorker, "peak");
    let a_half = find(costs, Design::EveryReadThroughAWorker, "half");
    let b_peak = find(costs, Design::HotDocumentsFromTheCdn, "peak");
    let b_half = find(costs, Design::HotDocumentsFromTheCdn, "half");

    let _ = writeln!(
        out,
        "\n## Summary (usage fees, 17 days, billed on {})\n",
        costs.billing_date
    );
    let _ = writeln!(
        out,
        "| design | peak (360 M reads/day) | half (180 M reads/day) |\n|---|---:|---:|"
    );
    let _ = writeln!(
        out,
        "| {} | **{}** | **{}** |",
        Design::EveryReadThroughAWorker.label(),
        dollars(total(a_peak)),
        dollars(total(a_half))
    );
    let _ = writeln!(
        out,
        "| {} | **{}** | **{}** |\n",
        Design::HotDocumentsFromTheCdn.label(),
        dollars(total(b_peak)),
        dollars(total(b_half))
    );
    let met = total(b_peak) <= TARGET_B_PEAK;
    let _ = writeln!(
        out,
        "Target (issue 11): design (b) at peak at or below {} with every product the system uses priced: {} ({}).\n\
         Usage fees are {:.2} % (a) and {:.2} % (b) of the $1,000,000 budget at peak.\n",
        dollars(TARGET_B_PEAK),
        if met { "**met**" } else { "**not met**" },
        dollars(total(b_peak)),
        total(a_peak) / 10_000.0,
        total(b_peak) / 10_000.0,
    );

    if !met {
        let fewer = costs
            .sensitivity
            .iter()
            .find(|r| r.assumption.starts_with("KV snapshot") && r.value == "0.1");
        if let Some(row) = fewer {
            let _ = writeln!(
                out,
                "What takes it over: the KV snapshot of every hot-document write ({} at peak), a fallback read only\n\
                 while an object fails. Written once every 10 s per key instead (0.1 in the sensitivity table),\n\
                 design (b) costs {} at peak.\n",
                dollars(line_cost(b_peak, "kv_writes")),
                dollars(row.total_b)
            );
        }
    }

    // The seed's table, line by line.
    let _ = writeln!(
        out,
        "## Beside the seed's table\n\nThe seed's cost section (`shared/seed/system-design.md`) next to this bill, line by line; the lines it\nleft out follow.\n"
    );
    let _ = writeln!(
        out,
        "| line | seed peak | (a) peak | (b) peak | seed half | (a) half | (b) half | why they differ |\n|---|---:|---:|---:|---:|---:|---:|---|"
    );
    let seed: [(&str, &str, f64, f64, &str); 7] = [
        (
            "Workers requests",
            "worker_requests",
            6.24,
            3.12,
            "the seed billed only the 0.1 % of reads that miss the CDN; every request that reaches a Worker is billed, a cache hit included, so (a) pays for every read; (b) for the cold reads only",
        ),
        (
            "Durable Objects requests",
            "do_requests",
            2.20,
            1.10,
            "the seed counted writes only; reads that miss a Worker's caches, digests, alarms and viewers' connections and pings are object requests too",
        ),
        (
            "KV reads",
            "kv_reads",
            3.06,
            1.53,
            "no KV: fresh reads come from the objects, live viewers are pushed each change (KV takes up to 60 s to show a change)",
        ),
        ("KV writes", "kv_writes", 36.72, 18.36, "no KV"),
        (
            "Queues operations",
            "queue_ops",
            11.75,
            5.88,
            "3 operations per message (write, read, delete), and each change goes to two queues",
        ),
        (
            "R2 storage",
            "r2_storage",
            0.45,
            0.23,
            "each archived change is the unit's whole result list, several KB, not 2 KB",
        ),
        (
            "CDN egress",
            "",
            0.0,
            0.0,
            "no per-GB fee on the list prices",
        ),
    ];
    for (name, id, sp, sh, why) in seed {
        let cell = |bill| {
            if id.is_empty() {
                "—".to_owned()
            } else {
                dollars(line_cost(bill, id))
            }
        };
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {} | {why} |",
            if id.is_empty() {
                "“included in Enterprise”".to_owned()
            } else {
                dollars(sp)
            },
            cell(a_peak),
            cell(b_peak),
            if id.is_empty() {
                "—".to_owned()
            } else {
                dollars(sh)
            },
            cell(a_half),
            cell(b_half),
        );
    }
    let left_out: [(&str, &str); 11] = [
        ("Workers Paid base fee", "workers_base"),
        ("Worker CPU time", "worker_cpu"),
        ("Durable Object duration", "do_duration"),
        ("Durable Object SQLite rows written", "do_rows_written"),
        (
            "Durable Object SQLite rows read and storage",
            "do_rows_read",
        ),
        ("R2 Class A (archive; (b): hot documents)", "r2_class_a"),
        ("R2 Class B ((b): CDN misses)", "r2_class_b"),
        ("D1 rows written and storage", "d1_rows_written"),
        ("Workers Logs", "logs"),
        ("Access seats", "access_seats"),
        ("Analytics Engine", "analytics_engine_points"),
    ];
    for (name, id) in left_out {
        let extra = |bill: Option<&Bill>| match id {
            "do_rows_read" => line_cost(bill, "do_rows_read") + line_cost(bill, "do_storage"),
            "d1_rows_written" => line_cost(bill, "d1_rows_written") + line_cost(bill, "d1_storage"),
            _ => line_cost(bill, id),
        };
        let _ = writeln!(
            out,
            "| {name} | — | {} | {} | — | {} | {} | left out by the seed |",
            dollars(extra(a_peak)),
            dollars(extra(b_peak)),
            dollars(extra(a_half)),
            dollars(extra(b_half)),
        );
    }
    let _ = writeln!(
        out,
        "| **total** | **$60.42** | **{}** | **{}** | **$30.22** | **{}** | **{}** | |\n",
        dollars(total(a_peak)),
        dollars(total(b_peak)),
        dollars(total(a_half)),
        dollars(total(b_half)),
    );

    for design in [
        Design::EveryReadThroughAWorker,
        Design::HotDocumentsFromTheCdn,
    ] {
        let _ = writeln!(out, "## Design {}\n", design.label());
        bill_table(&mut out, costs, design);
    }

    // Ratios.
    let _ = writeln!(
        out,
        "## Operations per unit of work\n\nWhat each unit of work costs in billable operations. **Bold** values were measured by the load\ngenerator (`{}`); the others are modelled in `crates/cost/profile.toml`.\n",
        if costs.measured_source.is_empty() {
            "no measurement yet"
        } else {
            costs.measured_source.as_str()
        }
    );
    let _ = writeln!(
        out,
        "| operation | per read asking an object | per read from a Worker's caches | per update | per viewer session |\n|---|---:|---:|---:|---:|"
    );
    for field in FIELDS {
        let _ = writeln!(
            out,
            "| `{field}` | {} | {} | {} | {} |",
            ratio_cell(ratios, "read_miss", field),
            ratio_cell(ratios, "read_hit", field),
            ratio_cell(ratios, "update", field),
            ratio_cell(ratios, "viewer", field),
        );
    }
    if let Some(m) = measured.filter(|m| !m.notes.is_empty()) {
        let _ = writeln!(out);
        for (key, note) in &m.notes {
            let _ = writeln!(out, "- {key}: {note}");
        }
    }
    let _ = writeln!(out);

    // Sensitivity.
    let _ = writeln!(
        out,
        "## Sensitivity (peak)\n\nEach row changes one assumption of the profile and prices both designs again; the row in bold is the\nprofile as written.\n\n| assumption | value | (a) total | (b) total |\n|---|---|---:|---:|"
    );
    for row in &costs.sensitivity {
        let (a, b) = (dollars(row.total_a), dollars(row.total_b));
        if row.baseline {
            let _ = writeln!(
                out,
                "| {} | **{}** | **{a}** | **{b}** |",
                row.assumption, row.value
            );
        } else {
            let _ = writeln!(out, "| {} | {} | {a} | {b} |", row.assumption, row.value);
        }
    }
    let _ = writeln!(out);

    // Profile.
    let peak = profile.load.get("peak");
    let half = profile.load.get("half");
    let _ = writeln!(
        out,
        "## Profile\n\n| quantity | peak | half | why |\n|---|---:|---:|---|\n\
         | reads | {} a day × {} days | {} a day × {} days | the seed |\n\
         | updates | {}/s × {} h a day | {}/s × {} h a day | the seed's assumption, kept for comparison |\n\
         | live viewers on sockets during the busy hours | {} | {} | assumed; sessions of {} min, a `ping` a minute |\n\
         | share of reads that are hot documents | {} % | same | the load generator's read mix |\n\
         | (b) CDN hit ratio on hot documents | {} % | same | assumed; 1 s cache while live, 30 s once official |\n\
         | reads through a Worker answered by its caches | {} % | same | the upper bound: every such read asks an object |\n\
         | event objects updated at once | {} | same | their hot documents are rewritten at most once a second per key |\n\
         | Access operators | {} | same | feeds use service tokens, which are not seats |\n",
        quantity(peak.map_or(0.0, |l| l.reads_per_day)),
        profile.days,
        quantity(half.map_or(0.0, |l| l.reads_per_day)),
        profile.days,
        peak.map_or(0.0, |l| l.updates_per_s),
        profile.busy_hours_per_day,
        half.map_or(0.0, |l| l.updates_per_s),
        profile.busy_hours_per_day,
        quantity(peak.map_or(0.0, |l| l.viewers)),
        quantity(half.map_or(0.0, |l| l.viewers)),
        profile.viewers.session_minutes,
        profile.reads.hot_share * 100.0,
        profile.reads.cdn_hit_ratio * 100.0,
        profile.reads.edge_hit_ratio * 100.0,
        profile.objects.live_concurrent,
        profile.access.operators,
    );

    // Prices.
    let _ = writeln!(
        out,
        "## Prices\n\nFrom `crates/cost/pricing.toml`; the bill uses those in force on {}.\n\n| product | included a month | price | in force | source | read |\n|---|---:|---|---|---|---|",
        costs.billing_date
    );
    for p in prices.all() {
        let window = match (&p.from, &p.until) {
            (Some(f), Some(u)) => format!("{f} to {u}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(u)) => format!("until {u}"),
            (None, None) => "—".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} {} | {} | {} | <{}> | {} |",
            p.product,
            quantity(p.included),
            p.unit,
            p.rate_text(),
            window,
            p.source,
            p.read
        );
    }
    let _ = writeln!(out);
    out.push_str(NOT_PRICED);
    out
}

/// The JSON output: the bills and the sensitivity table.
pub fn json(costs: &Costs) -> Result<String, CostError> {
    serde_json::to_string_pretty(costs).map_err(|e| CostError::Parse("output", e.to_string()))
}

/// A line's basis, for tests.
pub fn basis_of(bill: &Bill, id: &str) -> Option<Basis> {
    bill.lines.iter().find(|l| l.id == id).map(|l| l.basis)
}
