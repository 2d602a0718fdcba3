//! The cost tool's arithmetic against lines computed by hand, and `docs/COSTS.md` against the tool.

use cost::doc::{compute, markdown};
use cost::model::{Design, Ratios, bill};
use cost::pricing::PriceList;
use cost::profile::Profile;
use cost::ratios::Measured;

fn inputs() -> (PriceList, Profile) {
    let prices = PriceList::parse(cost::PRICING_TOML).unwrap_or_else(|e| unreachable!("{e}"));
    let profile = Profile::parse(cost::PROFILE_TOML).unwrap_or_else(|e| unreachable!("{e}"));
    (prices, profile)
}

fn line_cost(
    prices: &PriceList,
    profile: &Profile,
    ratios: &Ratios,
    design: Design,
    id: &str,
) -> f64 {
    let bill =
        bill(prices, profile, ratios, design, "peak").unwrap_or_else(|e| unreachable!("{e}"));
    bill.lines
        .iter()
        .find(|l| l.id == id)
        .map_or_else(|| unreachable!("no line {id}"), |l| l.cost)
}

/// Design (a) at peak, Worker requests, with the modelled ratios, by hand:
/// 360 M reads × 17 days = 6,120 M reads, each one Worker request;
/// 20 updates/s × 12 h × 3,600 s × 17 days = 14.688 M updates × 1.2 requests = 17.6256 M;
/// 50,000 viewers × 12 h × 60 min ÷ 20 min × 17 days = 30.6 M sessions × 1 request;
/// (6,120 + 17.6256 + 30.6 − 10 included) M × $0.30 = $1,847.4677.
#[test]
fn worker_requests_of_design_a_at_peak_match_the_hand_computation() {
    let (prices, profile) = inputs();
    let ratios = Ratios::new(&profile, None);
    let by_hand = (6_120.0 + 14.688 * 1.2 + 30.6 - 10.0) * 0.30;
    let tool = line_cost(
        &prices,
        &profile,
        &ratios,
        Design::EveryReadThroughAWorker,
        "worker_requests",
    );
    assert!(
        (tool - by_hand).abs() < 1e-6,
        "tool {tool}, by hand {by_hand}"
    );
}

/// Design (b) at peak, R2 Class A, by hand: archive 14.688 M puts (one per update) plus hot documents:
/// 10 live events at min(20/10, 1) = 1 write/s × 2 keys = 20/s, and digests min(20 × 5 %, 1) = 1/s × 3 keys
/// = 3/s; 23/s × 734,400 busy seconds = 16.8912 M; (14.688 + 16.8912 − 1) M × $4.50 = $137.6064.
#[test]
fn r2_class_a_of_design_b_at_peak_match_the_hand_computation() {
    let (prices, profile) = inputs();
    let ratios = Ratios::new(&profile, None);
    let by_hand = (14.688 + 23.0 * 734_400.0 / 1e6 - 1.0) * 4.50;
    let tool = line_cost(
        &prices,
        &profile,
        &ratios,
        Design::HotDocumentsFromTheCdn,
        "r2_class_a",
    );
    assert!(
        (tool - by_hand).abs() < 1e-6,
        "tool {tool}, by hand {by_hand}"
    );
}

/// A measured ratio replaces the modelled one in the line: Queues at 2.5 messages per update
/// (14.688 M × 2.5 × 3 − 1 M) × $0.40 = $43.664.
#[test]
fn a_measured_ratio_is_used_and_the_line_says_so() {
    let (prices, profile) = inputs();
    let measured = Measured {
        update: cost::ratios::Ops {
            queue_messages: Some(2.5),
            ..Default::default()
        },
        ..Default::default()
    };
    let ratios = Ratios::new(&profile, Some(&measured));
    let tool = line_cost(
        &prices,
        &profile,
        &ratios,
        Design::EveryReadThroughAWorker,
        "queue_ops",
    );
    assert!((tool - (14.688 * 2.5 * 3.0 - 1.0) * 0.40).abs() < 1e-6);
    let bill = bill(
        &prices,
        &profile,
        &ratios,
        Design::EveryReadThroughAWorker,
        "peak",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(
        cost::doc::basis_of(&bill, "queue_ops"),
        Some(cost::model::Basis::Measured)
    );
}

/// After 2026-12-01 Workers Logs are priced per GB; before, per event.
#[test]
fn the_billing_date_picks_the_logs_price() {
    let (prices, mut profile) = inputs();
    let ratios = Ratios::new(&profile, None);
    let ids = |profile: &Profile| {
        bill(
            &prices,
            profile,
            &ratios,
            Design::EveryReadThroughAWorker,
            "peak",
        )
        .unwrap_or_else(|e| unreachable!("{e}"))
        .lines
        .into_iter()
        .map(|l| l.id)
        .filter(|id| id.starts_with("logs_"))
        .collect::<Vec<_>>()
    };
    assert_eq!(ids(&profile), ["logs_volume", "logs_storage"]);
    profile.billing_date = "2026-11-15".into();
    assert_eq!(ids(&profile), ["logs_events"]);
}

/// docs/COSTS.md is what `scripts/cost` writes from the committed inputs: regenerate it after changing them.
#[test]
fn the_committed_costs_document_is_up_to_date() {
    let (prices, profile) = inputs();
    let measured: Measured =
        serde_json::from_str(cost::MEASURED_JSON).unwrap_or_else(|e| unreachable!("{e}"));
    let (costs, ratios) =
        compute(&prices, &profile, Some(&measured)).unwrap_or_else(|e| unreachable!("{e}"));
    let expected = markdown(&costs, &ratios, &prices, &profile, Some(&measured));
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/COSTS.md"))
            .unwrap_or_default();
    assert!(
        committed == expected,
        "docs/COSTS.md is stale: run scripts/cost"
    );
}

/// KV at peak, by hand: a hot-document write every second per key, its snapshot every ten: 23 writes/s ×
/// 734,400 busy seconds × 0.1 = 1.68912 M; (1.68912 − 1 included) M × $5.00 = $3.4456. The same in both
/// designs.
#[test]
fn kv_snapshot_writes_at_peak_match_the_hand_computation() {
    let (prices, profile) = inputs();
    let ratios = Ratios::new(&profile, None);
    let by_hand = (23.0 * 734_400.0 * 0.1 / 1e6 - 1.0) * 5.00;
    for design in [
        Design::EveryReadThroughAWorker,
        Design::HotDocumentsFromTheCdn,
    ] {
        let tool = line_cost(&prices, &profile, &ratios, design, "kv_writes");
        assert!(
            (tool - by_hand).abs() < 1e-6,
            "tool {tool}, by hand {by_hand}"
        );
    }
}
