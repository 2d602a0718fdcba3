//! The relay tree's shape: which relay hears whom, and the order a viewer's upgrade walks it.
//!
//! Relays of one source are numbered breadth first, as a heap: the source's children are shards
//! `0..F`, and the children of shard `s` are `(s + 1) × F .. (s + 1) × F + F`, so level 1 is `0..F`,
//! level 2 is `F..F + F²`, and a relay's parent is `s / F − 1` (the source below `F`). The shape needs
//! no table: every object and the gateway compute it from a shard number and the fan-out.
//!
//! [`Walk`] is the read gateway's side of admission: the source names a first-level relay; a full relay
//! names one of its children; a full relay that names none (the last level) passes the viewer to the next
//! relay of its level. Each step is one request, so the walk is bounded ([`MAX_TRIES`]).

use std::ops::Range;

use super::sizing::{FANOUT, LEVELS};

/// Relays a viewer's upgrade may try before it is refused: enough to go down the tree and along a
/// level past a few full relays, few enough that a full tier answers in a handful of requests.
pub const MAX_TRIES: usize = 16;

/// An object of the tree: the source itself, or one of its relays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    Source,
    Relay(u32),
}

/// One source's relay tree: `levels` levels of relays, each object with `fanout` children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tree {
    fanout: u32,
    levels: u32,
}

impl Tree {
    /// The tree as sized (`sizing`): 59 children per object, two levels.
    pub const SIZED: Tree = Tree {
        fanout: FANOUT,
        levels: LEVELS,
    };

    /// The sized tree with the read gateway's fan-out setting, which may only lower it (the routes
    /// accept the sized tree's shards and no more); at least one child each.
    pub fn with_fanout(setting: Option<&str>) -> Self {
        setting
            .and_then(|v| v.trim().parse::<u32>().ok())
            .map_or(Self::SIZED, Self::of)
    }

    /// The sized tree with `fanout` children per object, within `1..=FANOUT`.
    pub fn of(fanout: u32) -> Self {
        Self {
            fanout: fanout.clamp(1, FANOUT),
            levels: LEVELS,
        }
    }

    pub fn fanout(&self) -> u32 {
        self.fanout
    }

    pub fn levels(&self) -> u32 {
        self.levels
    }

    /// How many relays the tree has.
    pub fn relays(&self) -> u32 {
        (1..=self.levels).map(|level| self.width(level)).sum()
    }

    /// The shards of one level (1 is the source's children); empty outside the tree.
    pub fn level_shards(&self, level: u32) -> Range<u32> {
        if level == 0 || level > self.levels {
            return 0..0;
        }
        let start: u32 = (1..level).map(|l| self.width(l)).sum();
        start..start + self.width(level)
    }

    /// The level of a relay (1 for the source's children), or `None` for a shard outside the tree.
    pub fn level(&self, shard: u32) -> Option<u32> {
        (1..=self.levels).find(|&level| self.level_shards(level).contains(&shard))
    }

    /// Whom a relay joins and hears from.
    pub fn parent(&self, shard: u32) -> Option<Node> {
        self.level(shard)?;
        Some(match shard / self.fanout {
            0 => Node::Source,
            n => Node::Relay(n - 1),
        })
    }

    /// The relays an object publishes to; empty for the last level and outside the tree.
    pub fn children(&self, node: Node) -> Range<u32> {
        let first = match node {
            Node::Source => 0,
            Node::Relay(shard) => match self.level(shard) {
                Some(level) if level < self.levels => (shard + 1) * self.fanout,
                _ => return 0..0,
            },
        };
        first..first + self.fanout
    }

    fn width(&self, level: u32) -> u32 {
        self.fanout.saturating_pow(level)
    }
}

/// A viewer's upgrade going from relay to relay until one takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    tree: Tree,
    tried: Vec<u32>,
}

impl Walk {
    /// Starts at the relay the source named; `None` if that shard is not in the tree.
    pub fn start(tree: Tree, first: u32) -> Option<Self> {
        tree.level(first)?;
        Some(Self {
            tree,
            tried: vec![first],
        })
    }

    /// The relay being tried.
    pub fn current(&self) -> u32 {
        self.tried.last().copied().unwrap_or(0)
    }

    /// After the current relay answered that it is full, naming `hint` (one of its children) or not:
    /// the next relay to try, or `None` when the viewer is to be refused. A named child comes first; else
    /// the next relay of the same level, in turn; never one twice.
    pub fn next(&mut self, hint: Option<u32>) -> Option<u32> {
        if self.tried.len() >= MAX_TRIES {
            return None;
        }
        let current = self.current();
        let children = self.tree.children(Node::Relay(current));
        let next = hint
            .filter(|child| children.contains(child) && !self.tried.contains(child))
            .or_else(|| {
                let level = self.tree.level_shards(self.tree.level(current)?);
                let width = level.end - level.start;
                (1..width)
                    .map(|step| level.start + (current - level.start + step) % width)
                    .find(|shard| !self.tried.contains(shard))
            })?;
        self.tried.push(next);
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const SMALL: Tree = Tree {
        fanout: 4,
        levels: 2,
    };

    #[test]
    fn shards_are_numbered_level_by_level_as_a_heap() {
        let check = |tree: Tree, shard: u32, expected: (Option<u32>, Option<Node>, Range<u32>)| {
            let got = (
                tree.level(shard),
                tree.parent(shard),
                tree.children(Node::Relay(shard)),
            );
            assert_eq!(got, expected, "{tree:?} shard {shard}");
        };
        check(SMALL, 0, (Some(1), Some(Node::Source), 4..8));
        check(SMALL, 3, (Some(1), Some(Node::Source), 16..20));
        check(SMALL, 4, (Some(2), Some(Node::Relay(0)), 0..0));
        check(SMALL, 7, (Some(2), Some(Node::Relay(0)), 0..0));
        check(SMALL, 8, (Some(2), Some(Node::Relay(1)), 0..0));
        check(SMALL, 19, (Some(2), Some(Node::Relay(3)), 0..0));
        check(SMALL, 20, (None, None, 0..0));
        check(Tree::SIZED, 58, (Some(1), Some(Node::Source), 3_481..3_540));
        check(Tree::SIZED, 59, (Some(2), Some(Node::Relay(0)), 0..0));
        check(Tree::SIZED, 3_539, (Some(2), Some(Node::Relay(58)), 0..0));
        check(Tree::SIZED, 3_540, (None, None, 0..0));
        assert_eq!(SMALL.children(Node::Source), 0..4);
        assert_eq!((SMALL.relays(), Tree::SIZED.relays()), (20, 3_540));
        assert_eq!(
            (
                SMALL.level_shards(1),
                SMALL.level_shards(2),
                SMALL.level_shards(3)
            ),
            (0..4, 4..20, 0..0)
        );
    }

    #[test]
    fn every_relay_is_the_child_of_its_parent() {
        for tree in [SMALL, Tree::SIZED] {
            for shard in 0..tree.relays() {
                let parent = tree.parent(shard);
                assert!(
                    parent.is_some_and(|p| tree.children(p).contains(&shard)),
                    "{tree:?}: shard {shard}, parent {parent:?}"
                );
            }
        }
    }

    #[test]
    fn the_gateway_may_only_lower_the_fan_out() {
        let fanout = |setting| Tree::with_fanout(setting).fanout();
        assert_eq!(fanout(None), 59);
        assert_eq!(fanout(Some("4")), 4);
        assert_eq!(fanout(Some("100")), 59);
        assert_eq!(fanout(Some("0")), 1);
        assert_eq!(fanout(Some("four")), 59);
        assert_eq!(Tree::with_fanout(Some("4")), SMALL);
    }

    #[test]
    fn a_walk_goes_down_to_a_named_child_and_along_a_level_when_none_is_named() {
        // Each step: the hint the full relay gave, and the relay tried next.
        let check = |first: u32, steps: &[(Option<u32>, Option<u32>)]| {
            let mut walk = Walk::start(SMALL, first).unwrap();
            for (i, &(hint, expected)) in steps.iter().enumerate() {
                assert_eq!(walk.next(hint), expected, "step {i} from {first}: {walk:?}");
            }
        };
        // Down the named child, then along level 2 from there, wrapping round.
        check(
            2,
            &[(Some(12), Some(12)), (None, Some(13)), (None, Some(14))],
        );
        check(3, &[(Some(19), Some(19)), (None, Some(4)), (None, Some(5))]);
        // A first-level relay naming no child: its neighbours, then back round.
        check(
            2,
            &[
                (None, Some(3)),
                (None, Some(0)),
                (None, Some(1)),
                (None, None),
            ],
        );
        // A hint that is not a child of the full relay, or already tried, is ignored.
        check(
            1,
            &[
                (Some(4), Some(2)),
                (Some(12), Some(12)),
                (Some(12), Some(13)),
            ],
        );
        assert_eq!(Walk::start(SMALL, 20), None);
    }

    #[test]
    fn a_walk_is_bounded() {
        let mut walk = Walk::start(Tree::SIZED, 0).unwrap();
        let mut tried = 1;
        while walk.next(None).is_some() {
            tried += 1;
        }
        assert_eq!(tried, MAX_TRIES);
        // Level 2 of the small tree has 16 relays: from one full leaf the walk reaches all the others
        // only if the bound allows it, and it stops at the bound.
        let mut walk = Walk::start(SMALL, 0).unwrap();
        let mut tried = vec![0, walk.next(Some(4)).unwrap()];
        while let Some(next) = walk.next(None) {
            tried.push(next);
        }
        assert_eq!(tried.len(), MAX_TRIES);
        assert_eq!(&tried[..4], &[0, 4, 5, 6]);
    }
}
