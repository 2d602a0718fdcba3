//! One unit's stored results (entries or a game), its notes, and its ranking computed when it changes.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::{EventDefinition, ParticipantIndex, TeamMember};
use crate::codes::{CompetitorId, Noc, UnitCode};
use crate::display::format_gap;
use crate::error::{DomainError, Path};
use crate::format::{ScoringFormat, TimePrecision};
use crate::game::GameResult;
use crate::leaderboard::LeaderboardRow;
use crate::mark::{Score, Text};
use crate::ranking::{
    Class, RankInput, Ranked, VALID_GROUP, mark_shared_ranks, rank, sort_nearly_sorted,
};
use crate::results::{CheckedEntry, Prior, ResultEntry, check_results};
use crate::status::ResultStatus;
use crate::text::order;

/// What a unit holds: a ranked list of entries, or one game.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UnitContent {
    Results { entries: Vec<ResultEntry> },
    Game { game: Box<GameResult> },
}

/// A note kept with a unit; notes accumulate across versions (ODF).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitNote {
    pub unit_version: u64,
    pub status: ResultStatus,
    pub text: String,
}

/// A competitor's place in a unit's ranking. The display row is made from it and the unit's content
/// only when a page (or [`UnitResults::rows`]) shows it, so an update formats nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    /// The entry (or game side: 0 home, 1 away) at this place.
    pub index: usize,
    pub rank: Option<u32>,
    pub rank_equal: bool,
    pub sort_order: u32,
    /// Comparable across the units of a phase (lower is better), for "q" advancement.
    pub cross_unit: Option<i64>,
    /// Time behind the leader in ms, at the format's precision, for timed formats.
    pub behind_ms: Option<u64>,
}

/// A unit's ranking, derived from its content and the event definition.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ranking {
    /// In sort order.
    places: Vec<Place>,
    /// The format that scored a results unit, to format its marks; `None` for a game.
    format: Option<ScoringFormat>,
    /// True when the content passed the check under the current definition (a stored unit that no
    /// longer does keeps an empty ranking with this false).
    checked: bool,
    /// Every row, made on the first call to [`UnitResults::rows`].
    rows: OnceLock<Vec<LeaderboardRow>>,
}

/// Who holds a place: an entry of a results unit or a side of a game.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Holder<'a> {
    pub competitor: &'a CompetitorId,
    pub name: &'a str,
    pub noc: &'a Noc,
    /// A team's athletes as the entry lists them (empty for a game side).
    pub members: &'a [TeamMember],
}

/// The current results of one unit. Its ranking is derived from the content and the event definition:
/// [`EventState`](crate::EventState) rebuilds it on load, so a `UnitResults` decoded on its own has no rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitResults {
    unit: UnitCode,
    version: u64,
    status: ResultStatus,
    message_id: String,
    /// The event version at which this unit last changed.
    event_version: u64,
    content: UnitContent,
    #[serde(default)]
    notes: Vec<UnitNote>,
    /// Derived from `content` and the definition; rebuilt after loading, never stored.
    #[serde(skip)]
    ranking: Ranking,
}

/// Equality of the stored data; the derived ranking follows from it.
impl PartialEq for UnitResults {
    fn eq(&self, other: &Self) -> bool {
        self.unit == other.unit
            && self.version == other.version
            && self.status == other.status
            && self.message_id == other.message_id
            && self.event_version == other.event_version
            && self.content == other.content
            && self.notes == other.notes
    }
}

impl UnitResults {
    pub(crate) fn new(
        unit: UnitCode,
        version: u64,
        status: ResultStatus,
        message_id: String,
        event_version: u64,
        content: UnitContent,
        notes: Vec<UnitNote>,
    ) -> Self {
        Self {
            unit,
            version,
            status,
            message_id,
            event_version,
            content,
            notes,
            ranking: Ranking::default(),
        }
    }

    pub fn unit(&self) -> &UnitCode {
        &self.unit
    }

    /// The feed's version of this unit's results.
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn status(&self) -> ResultStatus {
        self.status
    }

    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    /// The event version at which this unit last changed.
    pub fn event_version(&self) -> u64 {
        self.event_version
    }

    pub fn content(&self) -> &UnitContent {
        &self.content
    }

    /// The entries of a results unit (empty for a game).
    pub fn entries(&self) -> &[ResultEntry] {
        match &self.content {
            UnitContent::Results { entries } => entries,
            UnitContent::Game { .. } => &[],
        }
    }

    /// The game of a game unit.
    pub fn game(&self) -> Option<&GameResult> {
        match &self.content {
            UnitContent::Game { game } => Some(game),
            UnitContent::Results { .. } => None,
        }
    }

    /// Notes of every version so far, oldest first.
    pub fn notes(&self) -> &[UnitNote] {
        &self.notes
    }

    /// The ranked rows, in sort order, without medals or qualification marks. The rows are made on the
    /// first call; leaderboards make only the rows of their page.
    pub fn rows(&self) -> impl Iterator<Item = &LeaderboardRow> {
        self.ranking
            .rows
            .get_or_init(|| {
                self.ranking
                    .places
                    .iter()
                    .filter_map(|place| self.row(place))
                    .collect()
            })
            .iter()
    }

    /// The places, in sort order.
    pub(crate) fn places(&self) -> &[Place] {
        &self.ranking.places
    }

    pub(crate) fn set_ranking(&mut self, ranking: Ranking) {
        self.ranking = ranking;
    }

    /// Replaces this unit's version in place (the unit code stays), dropping the previous content.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn replace(
        &mut self,
        version: u64,
        status: ResultStatus,
        message_id: String,
        event_version: u64,
        content: UnitContent,
        notes: Vec<UnitNote>,
        ranking: Ranking,
    ) {
        self.version = version;
        self.status = status;
        self.message_id = message_id;
        self.event_version = event_version;
        self.content = content;
        self.notes = notes;
        self.ranking = ranking;
    }

    /// Takes the notes out, for the next version to keep them.
    pub(crate) fn take_notes(&mut self) -> Vec<UnitNote> {
        std::mem::take(&mut self.notes)
    }

    /// Who holds a place.
    pub(crate) fn holder(&self, place: &Place) -> Option<Holder<'_>> {
        match &self.content {
            UnitContent::Results { entries } => entries.get(place.index).map(|entry| Holder {
                competitor: &entry.competitor,
                name: &entry.name,
                noc: &entry.noc,
                members: &entry.members,
            }),
            UnitContent::Game { game } => {
                let side = match place.index {
                    0 => &game.home,
                    1 => &game.away,
                    _ => return None,
                };
                Some(Holder {
                    competitor: &side.competitor,
                    name: &side.name,
                    noc: &side.noc,
                    members: &[],
                })
            }
        }
    }

    /// The display row of a place, without medal or qualification mark.
    pub(crate) fn row(&self, place: &Place) -> Option<LeaderboardRow> {
        let (holder, mark, detail, behind) = match &self.content {
            UnitContent::Results { entries } => {
                let entry = entries.get(place.index)?;
                let format = self.ranking.format.as_ref();
                let evaluated = match (&entry.mark, format) {
                    // Checked when applied, so this succeeds; it is evaluated again for the text only.
                    (Some(mark), Some(format)) => {
                        mark.evaluate(format, &Path::Root("mark"), Text::Yes).ok()
                    }
                    _ => None,
                };
                let behind = place
                    .behind_ms
                    .zip(format.and_then(time_precision))
                    .map(|(ms, precision)| format_gap(ms, precision));
                let (mark, detail) = match evaluated {
                    Some(evaluated) => (Some(evaluated.display), evaluated.detail),
                    None => (None, None),
                };
                (self.holder(place)?, mark, detail, behind)
            }
            UnitContent::Game { game } => {
                let score = match place.index {
                    0 => game.home_score,
                    1 => game.away_score,
                    _ => return None,
                };
                let played = game.status != ResultStatus::StartList;
                (
                    self.holder(place)?,
                    played.then(|| score.to_string()),
                    played.then(|| game.score_text()),
                    None,
                )
            }
        };
        Some(LeaderboardRow {
            rank: place.rank,
            rank_equal: place.rank_equal,
            sort_order: place.sort_order,
            competitor: holder.competitor.clone(),
            name: holder.name.to_owned(),
            noc: holder.noc.clone(),
            mark,
            detail,
            behind,
            irm: match &self.content {
                UnitContent::Results { entries } => entries.get(place.index).and_then(|e| e.irm),
                UnitContent::Game { .. } => None,
            },
            medal: None,
            qualification: None,
            record: None,
        })
    }

    /// This version's entries, when they passed the check under the current definition.
    pub(crate) fn prior(&self) -> Option<Prior<'_>> {
        match &self.content {
            UnitContent::Results { entries } if self.ranking.checked => Some(Prior::new(entries)),
            _ => None,
        }
    }

    /// The places of this version when it passed the check, to start the next ranking's sort from.
    pub(crate) fn checked_places(&self) -> Option<&[Place]> {
        self.ranking
            .checked
            .then_some(self.ranking.places.as_slice())
    }

    /// The rank of a competitor, if ranked.
    pub fn rank_of(&self, competitor: &CompetitorId) -> Option<u32> {
        self.ranking
            .places
            .iter()
            .find(|place| {
                self.holder(place)
                    .is_some_and(|h| h.competitor == competitor)
            })
            .and_then(|place| place.rank)
    }

    /// Recomputes the ranking from the content (after loading, or after the definition changed).
    /// `participants` is the index of `definition`.
    pub(crate) fn rerank(
        &mut self,
        definition: &EventDefinition,
        participants: &ParticipantIndex,
    ) -> Result<(), DomainError> {
        self.ranking = match &self.content {
            UnitContent::Results { entries } => {
                let format = definition
                    .place(&self.unit)
                    .map(|place| place.format)
                    .ok_or_else(|| DomainError::UnknownUnit {
                        path: "unit".into(),
                        unit: self.unit.to_string(),
                    })?;
                let checked = check_results(
                    definition,
                    participants,
                    &self.message_id,
                    &self.unit,
                    self.version,
                    self.status,
                    None,
                    entries,
                    None,
                )?;
                rank_entries(
                    entries,
                    &checked.entries,
                    &format.with_published_precision(definition.discipline()),
                    None,
                )
            }
            UnitContent::Game { game } => {
                game.check(definition, participants)?;
                rank_game(game)
            }
        };
        Ok(())
    }
}

/// Ranks validated entries under a format. `hint` is the previous version's places when its entries
/// list the same competitors in the same order: the sort starts from that order, so an update that
/// moves a few competitors costs about one comparison per entry.
pub(crate) fn rank_entries(
    entries: &[ResultEntry],
    checked: &[CheckedEntry],
    format: &ScoringFormat,
    hint: Option<&[Place]>,
) -> Ranking {
    let count = entries.len().min(checked.len());
    let score_of = |index: usize| checked.get(index).and_then(|c| c.score.as_ref());
    let class = |index: usize| {
        let entry = entries.get(index)?;
        Some(match (&entry.irm, score_of(index)) {
            (Some(irm), _) => Class::Irregular(*irm),
            (None, Some(score)) => Class::Valid(Cow::Borrowed(score.key.as_slice())),
            (None, None) => Class::Pending(entry.start_order.unwrap_or(u32::MAX)),
        })
    };
    // The order is `RankInput::compare`'s: class, then name, then id. Each entry is sorted with its
    // class's group and first value inline (see `Class::first`); only when those are equal does the
    // comparison read the rest of the key, the name and the id.
    let item = |index: usize| -> SortItem {
        let (group, first) = class(index).map_or((u8::MAX, 0), |c| (c.group(), c.first()));
        SortItem {
            group,
            first,
            index,
        }
    };
    let cmp = |a: &SortItem, b: &SortItem| {
        (a.group, a.first).cmp(&(b.group, b.first)).then_with(|| {
            let classes = match (class(a.index), class(b.index)) {
                (Some(x), Some(y)) => x.compare(&y),
                _ => Ordering::Equal,
            };
            classes.then_with(|| match (entries.get(a.index), entries.get(b.index)) {
                (Some(x), Some(y)) => order(&x.name, &y.name)
                    .then_with(|| order(x.competitor.as_str(), y.competitor.as_str())),
                _ => Ordering::Equal,
            })
        })
    };
    let order: Vec<SortItem> = match hint {
        Some(previous) if previous.len() == count => {
            let mut order: Vec<SortItem> = previous.iter().map(|p| item(p.index)).collect();
            sort_nearly_sorted(&mut order, cmp);
            order
        }
        _ => {
            let mut order: Vec<SortItem> = (0..count).map(item).collect();
            order.sort_by(cmp);
            order
        }
    };
    let precision = time_precision(format);
    // Gaps are to the leader's time, and only compare like with like: for runs, the same number of
    // completed runs (the key's first element).
    let leader = order
        .first()
        .filter(|item| item.group == VALID_GROUP)
        .and_then(|item| score_of(item.index));
    let leader_time = leader.and_then(|e| e.total_time_ms);
    let leader_shape = leader.map(shape);
    // Competition ranks, as `ranking::rank` gives them: a valid mark ranks at its sort order unless its
    // key equals the previous one's.
    let mut places = Vec::with_capacity(order.len());
    let mut previous: Option<(i64, &[i64])> = None;
    let mut current_rank = 0u32;
    for (position, item) in order.iter().enumerate() {
        let sort_order = u32::try_from(position + 1).unwrap_or(u32::MAX);
        let score = if item.group == VALID_GROUP {
            score_of(item.index)
        } else {
            None
        };
        let rank = score.map(|score| {
            let key = score.key.as_slice();
            let tied = previous.is_some_and(|(first, before)| {
                first == item.first && before.len() == key.len() && before.iter().eq(key)
            });
            if !tied {
                current_rank = sort_order;
            }
            previous = Some((item.first, key));
            current_rank
        });
        let behind_ms = match (
            rank,
            precision,
            leader_time,
            score.and_then(|s| s.total_time_ms),
        ) {
            (Some(rank), Some(_), Some(leader), Some(own))
                if rank > 1 && score.map(shape) == leader_shape && own >= leader =>
            {
                Some(own - leader)
            }
            _ => None,
        };
        places.push(Place {
            index: item.index,
            rank,
            rank_equal: false,
            sort_order,
            cross_unit: score.and_then(|s| s.cross_unit),
            behind_ms,
        });
    }
    mark_shared_ranks(&mut places);
    Ranking {
        places,
        format: Some(format.clone()),
        checked: true,
        rows: OnceLock::new(),
    }
}

/// An entry in the sort: its class group and first comparison value inline, so that most comparisons
/// look at nothing else.
#[derive(Debug, Clone, Copy)]
struct SortItem {
    group: u8,
    first: i64,
    index: usize,
}

impl Ranked for Place {
    fn rank(&self) -> Option<u32> {
        self.rank
    }

    fn set_rank_equal(&mut self, equal: bool) {
        self.rank_equal = equal;
    }
}

/// Marks with more than one key element lead with the number of completed runs; gaps need the same number.
fn shape(score: &Score) -> (usize, Option<i64>) {
    let key = score.key.as_slice();
    let runs = if key.len() > 1 {
        key.first().copied()
    } else {
        None
    };
    (key.len(), runs)
}

fn time_precision(format: &ScoringFormat) -> Option<TimePrecision> {
    match format {
        ScoringFormat::LowestTime { precision, .. }
        | ScoringFormat::SumOfRuns { precision, .. }
        | ScoringFormat::TimePlusPenalties { precision, .. } => Some(*precision),
        _ => None,
    }
}

/// Ranks the two sides of a game: the side ahead ranks first; a level or unplayed game ranks them equal.
pub(crate) fn rank_game(game: &GameResult) -> Ranking {
    let sides = [(&game.home, game.home_score), (&game.away, game.away_score)];
    let inputs: Vec<RankInput<'_>> = sides
        .iter()
        .map(|(side, score)| RankInput {
            class: if game.status == ResultStatus::StartList {
                Class::Pending(0)
            } else {
                Class::Valid(Cow::Owned(vec![-i64::from(*score)]))
            },
            name: &side.name,
            id: side.competitor.as_str(),
        })
        .collect();
    let places = rank(&inputs)
        .iter()
        .filter(|p| p.index < sides.len())
        .map(|p| Place {
            index: p.index,
            rank: p.rank,
            rank_equal: p.rank_equal,
            sort_order: p.sort_order,
            cross_unit: None,
            behind_ms: None,
        })
        .collect();
    Ranking {
        places,
        format: None,
        checked: true,
        rows: OnceLock::new(),
    }
}
