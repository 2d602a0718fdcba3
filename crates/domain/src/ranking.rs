//! Competition ranking (1, 2, 2, 4): valid marks by key, then competitors without a mark, then IRMs in order.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::status::Irm;
use crate::text::order;

/// Where an entry falls in a ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Class<'a> {
    /// A valid mark; lower keys rank higher, compared element by element.
    Valid(Cow<'a, [i64]>),
    /// No mark yet (start list, still to compete), listed by start order.
    Pending(u32),
    /// An irregular result, listed after everything else in the fixed IRM order.
    Irregular(Irm),
}

/// The [`Class::group`] of valid marks.
pub(crate) const VALID_GROUP: u8 = 0;

impl Class<'_> {
    /// Valid marks, then pending, then IRMs.
    pub(crate) fn group(&self) -> u8 {
        match self {
            Self::Valid(_) => VALID_GROUP,
            Self::Pending(_) => 1,
            Self::Irregular(_) => 2,
        }
    }

    /// The first value [`Class::compare`] looks at within a group: the key's first element, the start
    /// order, or the IRM's place in the order. Where `(group, first)` differ, they order two classes as
    /// `compare` does; where they are equal, `compare` decides on the rest of the key.
    pub(crate) fn first(&self) -> i64 {
        match self {
            Self::Valid(key) => key.first().copied().unwrap_or(i64::MIN),
            Self::Pending(order) => i64::from(*order),
            Self::Irregular(irm) => *irm as i64,
        }
    }

    pub(crate) fn compare(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Valid(a), Self::Valid(b)) => a.cmp(b),
            (Self::Pending(a), Self::Pending(b)) => a.cmp(b),
            (Self::Irregular(a), Self::Irregular(b)) => a.cmp(b),
            _ => self.group().cmp(&other.group()),
        }
    }
}

/// One entry to rank. `name` and `id` only order entries that share a class, so that the sort order is
/// unique and does not depend on the input order.
pub(crate) struct RankInput<'a> {
    pub class: Class<'a>,
    pub name: &'a str,
    pub id: &'a str,
}

/// The place of input `index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placed {
    pub index: usize,
    pub rank: Option<u32>,
    pub rank_equal: bool,
    pub sort_order: u32,
}

impl RankInput<'_> {
    /// The sort order: class, then name, then id.
    pub(crate) fn compare(&self, other: &RankInput<'_>) -> Ordering {
        self.class
            .compare(&other.class)
            .then_with(|| order(self.name, other.name))
            .then_with(|| order(self.id, other.id))
    }
}

/// Ranks the inputs; the result is in sort order (sort orders 1, 2, 3…).
pub(crate) fn rank(inputs: &[RankInput<'_>]) -> Vec<Placed> {
    rank_on_prefix(inputs, usize::MAX)
}

/// Ranks the inputs in the order of their whole keys, but shares a rank wherever the first `ranked` key
/// elements are equal: a medal table by total ranks on the total and lists equal totals gold first.
pub(crate) fn rank_on_prefix(inputs: &[RankInput<'_>], ranked: usize) -> Vec<Placed> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by(|&a, &b| match (inputs.get(a), inputs.get(b)) {
        (Some(x), Some(y)) => x.compare(y),
        _ => Ordering::Equal,
    });
    let mut placed = Vec::with_capacity(order.len());
    let mut previous: Option<&[i64]> = None;
    let mut current_rank = 0u32;
    for (position, &index) in order.iter().enumerate() {
        let sort_order = u32::try_from(position + 1).unwrap_or(u32::MAX);
        let rank = match inputs.get(index).map(|input| &input.class) {
            Some(Class::Valid(key)) => {
                let key = key.get(..ranked.min(key.len())).unwrap_or(key);
                if previous != Some(key) {
                    current_rank = sort_order;
                }
                previous = Some(key);
                Some(current_rank)
            }
            _ => None,
        };
        placed.push(Placed {
            index,
            rank,
            rank_equal: false,
            sort_order,
        });
    }
    mark_shared_ranks(&mut placed);
    placed
}

/// Sorts `order`, which is expected to be nearly sorted already (the previous version's order after a
/// few changes): insertion sort costs about one comparison per element plus one per place an element
/// moves. Past a budget of moves it hands over to the standard sort. `cmp` must be a total order in
/// which distinct elements never compare equal, so the result is the same as sorting from any order.
pub(crate) fn sort_nearly_sorted<T>(order: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let budget = 4 * order.len() + 64;
    let mut moves = 0usize;
    for i in 1..order.len() {
        let mut j = i;
        while j > 0 {
            let (Some(before), Some(here)) = (order.get(j - 1), order.get(j)) else {
                break;
            };
            if cmp(before, here) != Ordering::Greater {
                break;
            }
            order.swap(j - 1, j);
            j -= 1;
            moves += 1;
            if moves > budget {
                order.sort_by(|a, b| cmp(a, b));
                return;
            }
        }
    }
}

/// A place in a ranking, for [`mark_shared_ranks`].
pub(crate) trait Ranked {
    fn rank(&self) -> Option<u32>;
    fn set_rank_equal(&mut self, equal: bool);
}

impl Ranked for Placed {
    fn rank(&self) -> Option<u32> {
        self.rank
    }

    fn set_rank_equal(&mut self, equal: bool) {
        self.rank_equal = equal;
    }
}

/// Sets the shared-rank flags of places in sort order: a rank is equal when a neighbour shares it.
pub(crate) fn mark_shared_ranks<T: Ranked>(places: &mut [T]) {
    for i in 0..places.len() {
        let rank_at = |j: Option<usize>| j.and_then(|j| places.get(j)).and_then(Ranked::rank);
        let (before, after) = (rank_at(i.checked_sub(1)), rank_at(Some(i + 1)));
        if let Some(place) = places.get_mut(i)
            && let Some(rank) = place.rank()
        {
            place.set_rank_equal(before == Some(rank) || after == Some(rank));
        }
    }
}
