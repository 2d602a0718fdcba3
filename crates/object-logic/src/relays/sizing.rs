//! How big the fan-out tier is, derived from one measurement, one target and one audience, so that
//! changing any of them derives every limit again (and the tests say whether the tree still reaches its
//! audience in time).
//!
//! **The measurement.** An object sends a message to its sockets one after another, inside one
//! request, and nothing else runs on it meanwhile. The fan-out sweep measured about 66 µs per socket
//! (the slope of a broadcast's acknowledgement over 1,000 to 2,500 sockets on one object,
//! `docs/PERFORMANCE.md`; an upper bound, since the viewers' client reads on the same cores; the stack
//! benchmark's 53 µs of server CPU per delivered message agrees). A publication to a child relay is
//! counted as one more send: it is one request carrying text already built.
//!
//! **The target.** One broadcast reaches every viewer within 50 ms: issue 11's target for the local
//! benchmark, and half of production's p99 ≤ 100 ms from acknowledgement to every viewer (issue 5),
//! leaving the other half to the networks. Each hop from an object to a relay is budgeted 5 ms (a
//! request between objects, and the relay reading the publication).
//!
//! **The audience.** The most popular event of the Games is the men's ice-hockey final, on the last
//! day, when little else is live: the expected audience is the whole live audience of the traffic
//! profile's peak, 50,000 viewers (`docs/SCALING.md`, `crates/cost/profile.toml`), and the tier is sized
//! for ten times that, 500,000 viewers of one event.
//!
//! **The derivation** ([`size`]). With `L` relay levels below the source, a message passes `L + 1`
//! objects and `L` hops, so each object may spend `(50 ms − L × 5 ms) / (L + 1)` sending: `S` sends.
//! Each object holds `V` viewers and publishes to `F` child relays, with `V + F ≤ S`, and the tree holds
//! `V × (1 + F + … + F^L)` viewers. The fewest levels that reach the audience win, then the fewest
//! children (fewer relays, fewer requests per broadcast):
//!
//! - `L = 1`: 22.5 ms per object, 340 sends; the best split, 170 viewers and 170 children, holds
//!   29,070 viewers: not enough.
//! - `L = 2`: 13.3 ms per object, 202 sends; `F = 59` children leave `V = 143` viewers per object, and
//!   `143 × (1 + 59 + 59²) = 506,363` viewers over `59 + 59² = 3,540` relays. The deepest viewer has its
//!   message after `3 × 202 × 66 µs + 2 × 5 ms = 50.0 ms`.
//!
//! So [`DIRECT_VIEWERS`] is 143 (it was 30,000: a broadcast that held the object two seconds),
//! [`FANOUT`] 59 and [`LEVELS`] 2.

/// What one socket send costs an object, in microseconds: measured (see the module header).
pub const SOCKET_SEND_US: u64 = 66;
/// How long one broadcast may take to reach every viewer, in microseconds.
pub const BROADCAST_BUDGET_US: u64 = 50_000;
/// Budgeted for one hop from an object to a relay, in microseconds.
pub const RELAY_HOP_US: u64 = 5_000;
/// The expected audience of the most popular event (the men's ice-hockey final).
pub const EXPECTED_AUDIENCE: u64 = 50_000;
/// The audience the tier is sized for: ten times the expected one.
pub const SIZED_AUDIENCE: u64 = 10 * EXPECTED_AUDIENCE;

/// The deepest tree [`size`] considers: each level adds a hop and shares the budget once more.
const MAX_LEVELS: u32 = 4;

/// The tier as derived from the constants above.
pub const SIZING: Sizing = size(
    SOCKET_SEND_US,
    BROADCAST_BUDGET_US,
    RELAY_HOP_US,
    SIZED_AUDIENCE,
);
/// Relay levels below a source.
pub const LEVELS: u32 = SIZING.levels;
/// Sockets plus child relays one object sends each message to, at most.
pub const SENDS_PER_OBJECT: u64 = SIZING.sends;
/// Child relays per object (the source, and each relay above the last level).
pub const FANOUT: u32 = SIZING.fanout;
/// Viewers one object (the source, or a relay) holds by default.
pub const DIRECT_VIEWERS: usize = SIZING.viewers as usize;
/// Relays of one source: `FANOUT + FANOUT²` for two levels.
pub const RELAYS: u32 = relays_below(FANOUT, LEVELS);

// The derivation must find a tree; and the routes (`wire`, which cannot depend on this crate) accept
// exactly the shards the sized tree has. A change to either side that breaks this fails the build.
const _: () = assert!(
    SIZING.fits,
    "no relay tree reaches the sized audience in time"
);
const _: () = assert!(wire::api::RELAY_FANOUT == FANOUT && wire::api::RELAY_SHARDS == RELAYS);

/// One derivation: how deep the tree is, how many sends each object makes, how they split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizing {
    pub levels: u32,
    pub sends: u64,
    pub fanout: u32,
    pub viewers: u64,
    /// False when no tree up to [`MAX_LEVELS`] reaches the audience (the last one tried is kept).
    pub fits: bool,
}

/// The fewest relay levels, and then the fewest children per object, with which a broadcast reaches
/// `audience` viewers within `budget_us`, each send costing `send_us` and each hop `hop_us`.
pub const fn size(send_us: u64, budget_us: u64, hop_us: u64, audience: u64) -> Sizing {
    let mut last = Sizing {
        levels: 0,
        sends: 0,
        fanout: 0,
        viewers: 0,
        fits: false,
    };
    let mut levels = 1;
    while levels <= MAX_LEVELS {
        let sends = sends_per_object(send_us, budget_us, hop_us, levels);
        // Every object keeps at least one viewer: a relay exists to hold viewers.
        let mut fanout: u64 = 1;
        while fanout < sends {
            let viewers = sends - fanout;
            last = Sizing {
                levels,
                sends,
                fanout: fanout as u32,
                viewers,
                fits: false,
            };
            if viewers.saturating_mul(objects(fanout, levels)) >= audience {
                last.fits = true;
                return last;
            }
            fanout += 1;
        }
        levels += 1;
    }
    last
}

/// Sends one object may make when a message passes `levels + 1` objects and `levels` hops.
pub const fn sends_per_object(send_us: u64, budget_us: u64, hop_us: u64, levels: u32) -> u64 {
    let spare = budget_us.saturating_sub(hop_us.saturating_mul(levels as u64));
    spare / (levels as u64 + 1) / send_us
}

/// Objects in a tree of `levels` relay levels below its source: `1 + F + … + F^levels`.
pub const fn objects(fanout: u64, levels: u32) -> u64 {
    let mut total: u64 = 1;
    let mut width: u64 = 1;
    let mut level = 0;
    while level < levels {
        width = width.saturating_mul(fanout);
        total = total.saturating_add(width);
        level += 1;
    }
    total
}

/// Relays below a source: `F + … + F^levels`.
pub const fn relays_below(fanout: u32, levels: u32) -> u32 {
    let all = objects(fanout as u64, levels) - 1;
    if all > u32::MAX as u64 {
        u32::MAX
    } else {
        all as u32
    }
}

/// How long the deepest viewer waits for a message, in microseconds: every object on its path sends to
/// all its sockets and children first, and each hop adds its budget.
pub fn deepest_wait_us(viewers: u64, fanout: u32, levels: u32) -> u64 {
    let per_object = (viewers + u64::from(fanout)) * SOCKET_SEND_US;
    per_object * (u64::from(levels) + 1) + RELAY_HOP_US * u64::from(levels)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_sized_tree_is_the_one_the_documentation_derives() {
        assert_eq!(
            SIZING,
            Sizing {
                levels: 2,
                sends: 202,
                fanout: 59,
                viewers: 143,
                fits: true
            }
        );
        assert_eq!(
            (DIRECT_VIEWERS, FANOUT, LEVELS, RELAYS),
            (143, 59, 2, 3_540)
        );
        assert_eq!(objects(59, 2) * 143, 506_363);
    }

    #[test]
    fn every_level_is_reached_within_the_budget_and_the_levels_hold_the_audience() {
        let mut holds = 0;
        for level in 0..=LEVELS {
            holds += u64::from(FANOUT).pow(level) * DIRECT_VIEWERS as u64;
            let wait = deepest_wait_us(DIRECT_VIEWERS as u64, FANOUT, level);
            assert!(
                wait <= BROADCAST_BUDGET_US,
                "level {level}: {wait} µs > {BROADCAST_BUDGET_US} µs"
            );
        }
        assert!(DIRECT_VIEWERS as u64 + u64::from(FANOUT) <= SENDS_PER_OBJECT);
        assert!(holds >= SIZED_AUDIENCE, "{holds} < {SIZED_AUDIENCE}");
    }

    #[test]
    fn the_derivation_follows_its_inputs() {
        let check = |send_us, budget_us, hop_us, audience, expected: (u32, u64, u32, u64, bool)| {
            let got = size(send_us, budget_us, hop_us, audience);
            assert_eq!(
                (got.levels, got.sends, got.fanout, got.viewers, got.fits),
                expected,
                "{send_us} µs a send, {budget_us} µs, {hop_us} µs a hop, {audience} viewers"
            );
        };
        // Today's inputs.
        check(66, 50_000, 5_000, 500_000, (2, 202, 59, 143, true));
        // The expected audience alone already needs two levels; a tenth of it fits one.
        check(66, 50_000, 5_000, 50_000, (2, 202, 16, 186, true));
        check(66, 50_000, 5_000, 5_000, (1, 340, 15, 325, true));
        // Production's whole 100 ms for the fan-out: one level still cannot hold 500,000.
        check(66, 100_000, 5_000, 500_000, (2, 454, 34, 420, true));
        // Sends twice as dear: a third level.
        check(132, 50_000, 5_000, 500_000, (3, 66, 23, 43, true));
        // A budget the hops nearly spend: nothing fits, and the build refuses such constants.
        check(66, 20_000, 5_000, 500_000, (3, 18, 17, 1, false));
    }

    #[test]
    fn one_level_of_relays_cannot_hold_the_sized_audience() {
        let sends = sends_per_object(SOCKET_SEND_US, BROADCAST_BUDGET_US, RELAY_HOP_US, 1);
        assert_eq!(sends, 340);
        let best = (1..sends)
            .map(|fanout| (sends - fanout) * objects(fanout, 1))
            .max();
        assert_eq!(best, Some(29_070));
    }
}
