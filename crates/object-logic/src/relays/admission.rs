//! Where a new viewer goes, decided by each object of the tree for itself: it keeps the viewer while it
//! holds fewer than its limit, else it names one of its children. A source answers `307` naming it; a
//! full relay answers `503` marked full, naming it (the gateway's [`Walk`](super::Walk) follows).
//!
//! Each object knows of its children what they told it when it last published to them (how many
//! viewers they hold, whether their own children have room), plus the viewers it sent them since. It
//! names, in turn, a child with room of its own first, then one with room below it, then any: so level 1
//! fills before level 2, and a departure from a relay is refilled from the top once its parent hears of
//! it. What it knows is a hint, never a promise: a full child says so, and the walk goes on.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use wire::api::RELAY_SHARDS;
use wire::api::relay::Published;

use super::sizing::DIRECT_VIEWERS;

/// The most viewers the gateway's setting may give one object: headroom below the 32,768 WebSockets it
/// can hold. Raising the limit above [`DIRECT_VIEWERS`] trades freshness for fewer relays; benchmarks do
/// it to measure one object alone.
pub const MAX_DIRECT_VIEWERS: usize = 30_000;

/// How many viewers one object (a source, or each of its relays) holds: the read gateway's setting (its
/// header), else the sized default.
pub fn direct_limit(setting: Option<&str>) -> usize {
    setting
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map_or(DIRECT_VIEWERS, |limit| limit.min(MAX_DIRECT_VIEWERS))
}

/// Whether an object holding `viewers` takes one more under `limit`. A relay checks again after every
/// await before it accepts a socket: the runtime refusing a socket past its own limit is a panic in
/// worker-rs.
pub fn has_room(viewers: usize, limit: usize) -> bool {
    viewers < limit
}

/// Where a new viewer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// This object takes the viewer itself.
    Direct,
    /// This object is full: the viewer goes to this child relay.
    Relay { shard: u32 },
    /// This object is full and has no children (the last level of the tree).
    Full,
}

/// What an object believes of one child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Occupancy {
    viewers: usize,
    room_below: bool,
}

impl Default for Occupancy {
    /// A child never heard from is empty, and so is everything below it.
    fn default() -> Self {
        Self {
            viewers: 0,
            room_below: true,
        }
    }
}

/// An object's children: those that joined (stored, so they survive a restart; each hears every
/// message), what it believes of each, and whose turn is next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelaySet {
    members: BTreeSet<u32>,
    known: BTreeMap<u32, Occupancy>,
    turn: u32,
}

impl RelaySet {
    pub fn new(stored: impl IntoIterator<Item = u32>) -> Self {
        Self {
            members: stored.into_iter().filter(|s| *s < RELAY_SHARDS).collect(),
            ..Self::default()
        }
    }

    /// A child joins (`true`) or leaves. One that left holds no one: what was believed of it is forgotten.
    pub fn set(&mut self, shard: u32, joined: bool) {
        if joined {
            self.members.insert(shard);
        } else {
            self.members.remove(&shard);
            self.known.remove(&shard);
        }
    }

    pub fn shards(&self) -> Vec<u32> {
        self.members.iter().copied().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// A child's answer to a publication: what it holds now.
    pub fn reported(&mut self, shard: u32, answer: &Published) {
        self.known.insert(
            shard,
            Occupancy {
                viewers: answer.viewers,
                room_below: answer.room_below,
            },
        );
    }

    /// Where a new viewer goes when this object holds `viewers` and may hold `limit`, its children being
    /// `children` (see the module header for the order).
    pub fn admit(&mut self, viewers: usize, limit: usize, children: Range<u32>) -> Admission {
        if has_room(viewers, limit) {
            return Admission::Direct;
        }
        let width = children.end.saturating_sub(children.start);
        if width == 0 {
            return Admission::Full;
        }
        let in_turn: Vec<u32> = (0..width)
            .map(|step| children.start + (self.turn + step) % width)
            .collect();
        let occupancy = |shard: &u32| self.known.get(shard).copied().unwrap_or_default();
        let chosen = in_turn
            .iter()
            .find(|s| has_room(occupancy(s).viewers, limit))
            .or_else(|| in_turn.iter().find(|s| occupancy(s).room_below))
            .or(in_turn.first())
            .copied()
            .unwrap_or(children.start);
        self.turn = (chosen - children.start + 1) % width;
        self.known.entry(chosen).or_default().viewers += 1;
        Admission::Relay { shard: chosen }
    }

    /// Whether, as far as this object knows, one of `children` or a relay below them has room: what it
    /// tells its parent, which then prefers it over a sibling that is full all the way down.
    pub fn room_below(&self, limit: usize, children: Range<u32>) -> bool {
        children.into_iter().any(|shard| {
            let occupancy = self.known.get(&shard).copied().unwrap_or_default();
            has_room(occupancy.viewers, limit) || occupancy.room_below
        })
    }
}

/// Whether a relay leaves its parent: it joined, and once the viewer or child going now is gone nobody
/// is left for it to serve (a relay whose viewers all left keeps forwarding to its children).
pub fn should_leave(joined: bool, viewers_left: usize, children: usize) -> bool {
    joined && viewers_left == 0 && children == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn report(viewers: usize, room_below: bool) -> Published {
        Published {
            viewers,
            room_below,
        }
    }

    #[test]
    fn the_limit_is_the_sized_one_unless_the_gateway_says_otherwise() {
        assert_eq!(direct_limit(None), 143);
        assert_eq!(direct_limit(Some("10")), 10);
        assert_eq!(direct_limit(Some("2500")), 2_500);
        assert_eq!(direct_limit(Some("99999")), MAX_DIRECT_VIEWERS);
        assert_eq!(direct_limit(Some("ten")), 143);
        assert!(has_room(9, 10));
        assert!(!has_room(10, 10));
    }

    /// Admits `n` viewers to an object holding `viewers` under `limit`: where each went.
    fn admit_many(
        set: &mut RelaySet,
        n: usize,
        viewers: usize,
        limit: usize,
        children: Range<u32>,
    ) -> Vec<Admission> {
        (0..n)
            .map(|_| set.admit(viewers, limit, children.clone()))
            .collect()
    }

    fn relays(shards: &[u32]) -> Vec<Admission> {
        shards
            .iter()
            .map(|&shard| Admission::Relay { shard })
            .collect()
    }

    #[test]
    fn a_full_object_names_its_children_in_turn_until_each_is_believed_full() {
        let mut set = RelaySet::default();
        assert_eq!(set.admit(9, 10, 0..4), Admission::Direct);
        // Two each, in turn: level 1 fills evenly.
        assert_eq!(
            admit_many(&mut set, 8, 10, 2, 0..4),
            relays(&[0, 1, 2, 3, 0, 1, 2, 3])
        );
        // All believed full, with room below them as far as anyone knows: still in turn.
        assert_eq!(
            admit_many(&mut set, 5, 10, 2, 0..4),
            relays(&[0, 1, 2, 3, 0])
        );
    }

    #[test]
    fn room_of_its_own_comes_before_room_below_and_a_full_subtree_comes_last() {
        let mut set = RelaySet::new([0, 1, 2, 3]);
        set.reported(0, &report(10, true));
        set.reported(1, &report(10, false));
        set.reported(2, &report(7, false));
        set.reported(3, &report(10, false));
        // Shard 2 has room of its own: it takes viewers until it is believed full.
        assert_eq!(admit_many(&mut set, 3, 10, 10, 0..4), relays(&[2, 2, 2]));
        // Then shard 0, full but with room below it; never 1 or 3, full all the way down.
        assert_eq!(admit_many(&mut set, 2, 10, 10, 0..4), relays(&[0, 0]));
        set.reported(0, &report(10, false));
        // Nothing has room anywhere, as far as the object knows: in turn, and the walk finds out.
        assert_eq!(admit_many(&mut set, 4, 10, 10, 0..4), relays(&[1, 2, 3, 0]));
    }

    #[test]
    fn the_last_level_has_no_one_to_pass_a_viewer_to() {
        let mut set = RelaySet::default();
        assert_eq!(set.admit(10, 10, 0..0), Admission::Full);
        assert_eq!(set.admit(3, 10, 0..0), Admission::Direct);
        assert!(!set.room_below(10, 0..0));
    }

    #[test]
    fn a_child_that_leaves_is_empty_again() {
        let mut set = RelaySet::new([3, 1, 99_999]);
        assert_eq!(set.shards(), [1, 3]);
        set.reported(1, &report(10, false));
        assert!(!set.room_below(10, 1..2));
        set.set(1, false);
        assert!(set.room_below(10, 1..2));
        set.set(2, true);
        set.set(2, true);
        assert_eq!((set.shards(), set.len()), (vec![2, 3], 2));
        set.set(2, false);
        set.set(3, false);
        assert!(set.is_empty());
    }

    #[test]
    fn a_relay_leaves_only_when_it_serves_no_one() {
        let check = |joined, viewers_left, children, expected| {
            assert_eq!(
                should_leave(joined, viewers_left, children),
                expected,
                "joined {joined}, {viewers_left} viewers left, {children} children"
            );
        };
        check(true, 0, 0, true);
        check(true, 1, 0, false);
        check(true, 0, 2, false);
        check(false, 0, 0, false);
    }
}
