//! Competition ranking (1, 2, 2, 4): valid marks by key, then competitors without a mark, then IRMs in order.

use std::cmp::Ordering;

use crate::status::Irm;

/// Where an entry falls in a ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Class {
    /// A valid mark; lower keys rank higher, compared element by element.
    Valid(Vec<i64>),
    /// No mark yet (start list, still to compete), listed by start order.
    Pending(u32),
    /// An irregular result, listed after everything else in the fixed IRM order.
    Irregular(Irm),
}

impl Class {
    fn group(&self) -> u8 {
        match self {
            Self::Valid(_) => 0,
            Self::Pending(_) => 1,
            Self::Irregular(_) => 2,
        }
    }

    fn compare(&self, other: &Self) -> Ordering {
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
    pub class: Class,
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

/// Ranks the inputs; the result is in sort order (sort orders 1, 2, 3…).
pub(crate) fn rank(inputs: &[RankInput<'_>]) -> Vec<Placed> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by(|&a, &b| match (inputs.get(a), inputs.get(b)) {
        (Some(x), Some(y)) => x
            .class
            .compare(&y.class)
            .then_with(|| x.name.cmp(y.name))
            .then_with(|| x.id.cmp(y.id)),
        _ => Ordering::Equal,
    });
    let mut placed = Vec::with_capacity(order.len());
    let mut previous: Option<&Vec<i64>> = None;
    let mut current_rank = 0u32;
    for (position, &index) in order.iter().enumerate() {
        let sort_order = u32::try_from(position + 1).unwrap_or(u32::MAX);
        let rank = match inputs.get(index).map(|input| &input.class) {
            Some(Class::Valid(key)) => {
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
    // A rank is equal when a neighbour in sort order shares it.
    let ranks: Vec<Option<u32>> = placed.iter().map(|p| p.rank).collect();
    for (i, entry) in placed.iter_mut().enumerate() {
        if entry.rank.is_some() {
            let before = i
                .checked_sub(1)
                .and_then(|j| ranks.get(j))
                .copied()
                .flatten();
            let after = ranks.get(i + 1).copied().flatten();
            entry.rank_equal = before == entry.rank || after == entry.rank;
        }
    }
    placed
}
