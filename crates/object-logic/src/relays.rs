//! The fan-out tier's decisions. One Durable Object holds at most 32,768 WebSockets; past its limit of
//! direct viewers, a live source (an event object, or the standings object's medal table) sends new
//! viewers to relay objects, which hold their share with the Hibernation API and hear every message
//! from the source.
//!
//! - [`RelaySet`]: the shards a source publishes to, and where its next overflowing viewer goes.
//! - [`relay_has_room`]: whether a relay takes one more viewer (a full one answers 503, and the gateway
//!   tries the next).
//! - [`Forwarded`]: a relay forwards only versions newer than any it handed out, even across a restart,
//!   so a late publication (they run concurrently) never takes a viewer back.
//! - [`forward`]: whether a relay's viewers can take the source's patch, or need the whole message.

use std::collections::BTreeSet;

use wire::api::RELAY_SHARDS;

/// Viewers one object keeps before it refuses more: headroom below the 32,768 WebSockets it may hold.
pub const DEFAULT_DIRECT_VIEWERS: usize = 30_000;

/// How many viewers one object (a source, or each of its relays) holds: the read gateway's setting
/// (its header), never above the default.
pub fn direct_limit(header: Option<&str>) -> usize {
    header
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(DEFAULT_DIRECT_VIEWERS, |limit| {
            limit.min(DEFAULT_DIRECT_VIEWERS)
        })
}

/// Where a new viewer of a source goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// The source takes the viewer itself.
    Direct,
    /// The source is full: the viewer goes to this relay shard (`307`).
    Relay { shard: u32 },
}

/// The relays a source publishes to (stored, so they survive a restart) and the turn of the next
/// overflowing viewer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelaySet {
    members: BTreeSet<u32>,
    next: u32,
}

impl RelaySet {
    pub fn new(stored: impl IntoIterator<Item = u32>) -> Self {
        Self {
            members: stored.into_iter().filter(|s| *s < RELAY_SHARDS).collect(),
            next: 0,
        }
    }

    /// A relay joins (`true`) or leaves.
    pub fn set(&mut self, shard: u32, joined: bool) {
        if joined {
            self.members.insert(shard);
        } else {
            self.members.remove(&shard);
        }
    }

    pub fn shards(&self) -> Vec<u32> {
        self.members.iter().copied().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Where a new viewer goes when the source holds `viewers` and may hold `limit`: shards are named
    /// in turn, so overflowing viewers spread over the relays.
    pub fn admit(&mut self, viewers: usize, limit: usize) -> Admission {
        if viewers < limit {
            return Admission::Direct;
        }
        let shard = self.next;
        self.next = (shard + 1) % RELAY_SHARDS;
        Admission::Relay { shard }
    }
}

/// Whether a relay holding `viewers` takes one more under `limit`. Checked again after every await
/// before a socket is accepted: the runtime refusing a socket past its own limit is a panic in
/// worker-rs.
pub fn relay_has_room(viewers: usize, limit: usize) -> bool {
    viewers < limit
}

/// The highest version a relay has handed its viewers: in memory, and as stored (read lazily after a
/// restart).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forwarded {
    pub in_memory: Option<u64>,
    pub stored: Option<u64>,
}

impl Forwarded {
    /// Whether a message at `version` may go to the viewers. Equal to what this instance holds is a
    /// repeat; equal to what was stored before a restart is the same state again, which is harmless;
    /// older is never forwarded.
    pub fn accepts(&self, version: u64) -> bool {
        !(self.in_memory.is_some_and(|held| held >= version)
            || self.stored.is_some_and(|held| held > version))
    }
}

/// What a relay forwards of a publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forward {
    /// The source's own update: its patch applies to what the viewers hold (or it is whole anyway).
    Update,
    /// The whole message: the patch was made for a version these viewers do not hold.
    Whole,
}

/// `held` is the version the relay's viewers hold; `patch_base` the version the source's update
/// patches, if it is a patch.
pub fn forward(held: Option<u64>, patch_base: Option<u64>) -> Forward {
    match patch_base {
        Some(base) if held != Some(base) => Forward::Whole,
        _ => Forward::Update,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_gateway_may_only_lower_the_limit() {
        assert_eq!(direct_limit(None), DEFAULT_DIRECT_VIEWERS);
        assert_eq!(direct_limit(Some("10")), 10);
        assert_eq!(direct_limit(Some("99999")), DEFAULT_DIRECT_VIEWERS);
        assert_eq!(direct_limit(Some("ten")), DEFAULT_DIRECT_VIEWERS);
    }

    #[test]
    fn a_full_source_names_the_shards_in_turn() {
        let mut relays = RelaySet::default();
        assert_eq!(relays.admit(9, 10), Admission::Direct);
        let shards: Vec<Admission> = (0..18).map(|_| relays.admit(10, 10)).collect();
        let expected: Vec<Admission> = (0..18)
            .map(|i| Admission::Relay {
                shard: i % RELAY_SHARDS,
            })
            .collect();
        assert_eq!(shards, expected);
    }

    #[test]
    fn members_join_and_leave_and_bad_stored_shards_are_dropped() {
        let mut relays = RelaySet::new([3, 1, 99]);
        assert_eq!(relays.shards(), [1, 3]);
        relays.set(2, true);
        relays.set(3, false);
        relays.set(2, true);
        assert_eq!(relays.shards(), [1, 2]);
        relays.set(1, false);
        relays.set(2, false);
        assert!(relays.is_empty());
    }

    #[test]
    fn a_relay_never_hands_a_viewer_an_older_version() {
        let check = |in_memory, stored, version, expected: bool| {
            let forwarded = Forwarded { in_memory, stored };
            assert_eq!(
                forwarded.accepts(version),
                expected,
                "{forwarded:?} v{version}"
            );
        };
        check(None, None, 1, true);
        check(Some(5), None, 6, true);
        check(Some(5), None, 5, false);
        check(Some(5), None, 4, false);
        check(None, Some(5), 5, true);
        check(None, Some(5), 4, false);
        check(Some(7), Some(5), 6, false);
    }

    #[test]
    fn a_patch_goes_on_only_to_viewers_holding_its_base() {
        assert_eq!(forward(Some(4), Some(4)), Forward::Update);
        assert_eq!(forward(Some(3), Some(4)), Forward::Whole);
        assert_eq!(forward(None, Some(4)), Forward::Whole);
        assert_eq!(forward(Some(3), None), Forward::Update);
        assert!(relay_has_room(9, 10));
        assert!(!relay_has_room(10, 10));
    }
}
