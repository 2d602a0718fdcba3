//! What readers ask of an event: its medals, leaderboard pages of a unit's ranking or of a round-robin
//! phase's standings, and who qualified. Only the rows on a page are made.

use std::collections::BTreeMap;

use super::EventState;
use crate::bracket::{BracketLine, BracketSide, Feeder, side_of};
use crate::codes::{CompetitorId, UnitCode};
use crate::error::DomainError;
use crate::format::ScoringFormat;
use crate::game::GameResult;
use crate::leaderboard::{LeaderboardPage, LeaderboardQuery, LeaderboardRow, Qualification};
use crate::medals::{MedalAward, awards};
use crate::paging::window;
use crate::standings::standings;
use crate::status::ResultStatus;
use crate::unit::UnitResults;

impl EventState {
    /// The medals awarded so far: from the medal unit's OFFICIAL ranking only (and the bronze unit's).
    pub fn medals(&self) -> Vec<MedalAward> {
        let bronze = self
            .definition
            .bronze_unit
            .as_ref()
            .and_then(|code| self.units.get(code));
        awards(
            &self.definition,
            &self.participants,
            self.units.get(&self.definition.medal_unit),
            bronze,
        )
    }

    /// The knockout bracket as it stands: for each bracket game, where its teams come from and who they
    /// are once that is decided.
    pub fn bracket(&self) -> Vec<BracketLine> {
        self.definition
            .bracket
            .iter()
            .map(|game| BracketLine {
                unit: game.unit.clone(),
                home: self.bracket_side(&game.home),
                away: self.bracket_side(&game.away),
            })
            .collect()
    }

    /// One side of a bracket game: the winner or loser of a finished game, or the team holding a rank
    /// alone in OFFICIAL standings.
    pub(crate) fn bracket_side(&self, from: &Feeder) -> BracketSide {
        match from {
            Feeder::Winner(unit) | Feeder::Loser(unit) => self
                .units
                .get(unit)
                .and_then(UnitResults::game)
                .and_then(|game| side_of(game, matches!(from, Feeder::Winner(_))))
                .map_or_else(
                    || BracketSide::undecided(from),
                    |side| BracketSide::decided(from, &side.competitor, &side.name, &side.noc),
                ),
            Feeder::Standing { phase, rank } => self
                .standings(phase)
                .filter(|(_, status, _)| *status == ResultStatus::Official)
                .and_then(|(rows, _, _)| {
                    rows.into_iter()
                        .find(|row| row.rank == Some(*rank) && !row.rank_equal)
                })
                .map_or_else(
                    || BracketSide::undecided(from),
                    |row| BracketSide::decided(from, &row.competitor, &row.name, &row.noc),
                ),
        }
    }

    /// The unit a leaderboard shows by default: the medal unit once it has results, else the latest change.
    pub fn default_unit(&self) -> UnitCode {
        if self.units.contains_key(&self.definition.medal_unit) {
            return self.definition.medal_unit.clone();
        }
        self.units
            .values()
            .max_by_key(|u| u.event_version())
            .map_or_else(|| self.definition.medal_unit.clone(), |u| u.unit().clone())
    }

    /// A page of a unit's ranking, or of a round-robin phase's standings.
    pub fn leaderboard(&self, query: &LeaderboardQuery) -> Result<LeaderboardPage, DomainError> {
        if query.final_ranking && query.unit.is_some() {
            return Err(DomainError::invalid(
                "unit",
                "cannot be combined with final_ranking",
            ));
        }
        let unit = query.unit.clone().unwrap_or_else(|| self.default_unit());
        let classification = query.final_ranking.then(|| {
            let medal_unit = self.units.get(&self.definition.medal_unit);
            (
                self.classification(),
                medal_unit.map_or(ResultStatus::StartList, UnitResults::status),
                medal_unit.map_or(0, UnitResults::version),
            )
        });
        let unit = if query.final_ranking {
            self.definition.medal_unit.clone()
        } else {
            unit
        };
        let part = match classification.or_else(|| self.standings(&unit)) {
            Some((rows, status, unit_version)) => {
                let around = match &query.around {
                    Some(competitor) => Some(
                        rows.iter()
                            .position(|r| &r.competitor == competitor)
                            .ok_or_else(|| unknown_around(competitor))?,
                    ),
                    None => None,
                };
                let page = window(rows.len(), query.limit, query.cursor.as_deref(), around)?;
                let total = rows.len();
                PagePart {
                    rows: rows
                        .into_iter()
                        .skip(page.start)
                        .take(page.end - page.start)
                        .collect(),
                    total,
                    next_cursor: page.next_cursor,
                    prev_cursor: page.prev_cursor,
                    status,
                    unit_version,
                }
            }
            None => self.unit_page(&unit, query)?,
        };
        Ok(LeaderboardPage {
            event: self.definition.code.clone(),
            unit,
            status: part.status,
            unit_version: part.unit_version,
            event_version: self.version,
            rows: part.rows,
            next_cursor: part.next_cursor,
            prev_cursor: part.prev_cursor,
            total: part.total,
        })
    }

    /// The standings of a round-robin phase, when `code` names one: every row, the status and a version.
    pub(crate) fn standings(
        &self,
        code: &UnitCode,
    ) -> Option<(Vec<LeaderboardRow>, ResultStatus, u64)> {
        let phase = self.definition.phase(code)?;
        let ScoringFormat::RoundRobin { rules } = self.definition.phase_format(phase) else {
            return None;
        };
        let units: Vec<&UnitResults> = phase
            .units
            .iter()
            .filter_map(|u| self.units.get(u))
            .collect();
        let games: Vec<&GameResult> = units.iter().filter_map(|u| u.game()).collect();
        let status = if units.is_empty() {
            ResultStatus::StartList
        } else if units.len() == phase.units.len()
            && units.iter().all(|u| u.status() == ResultStatus::Official)
        {
            ResultStatus::Official
        } else {
            ResultStatus::Intermediate
        };
        // Game versions only grow, so their sum is a version for the standings.
        let version = units
            .iter()
            .fold(0u64, |sum, u| sum.saturating_add(u.version()));
        Some((
            standings(&games, rules, &self.definition.seeding),
            status,
            version,
        ))
    }

    /// A page of a unit's ranking. Only the rows on the page are made, with medals and qualification
    /// marks filled in; the others stay as places.
    fn unit_page(
        &self,
        code: &UnitCode,
        query: &LeaderboardQuery,
    ) -> Result<PagePart, DomainError> {
        let place = self
            .definition
            .place(code)
            .ok_or_else(|| DomainError::UnknownUnit {
                path: "unit".into(),
                unit: code.to_string(),
            })?;
        let results = self.units.get(code);
        let places = results.map_or(&[][..], UnitResults::places);
        let around = match &query.around {
            Some(competitor) => Some(
                places
                    .iter()
                    .position(|p| {
                        results
                            .and_then(|r| r.holder(p))
                            .is_some_and(|h| h.competitor == competitor)
                    })
                    .ok_or_else(|| unknown_around(competitor))?,
            ),
            None => None,
        };
        let page = window(places.len(), query.limit, query.cursor.as_deref(), around)?;
        let Some(results) = results else {
            return Ok(PagePart {
                rows: Vec::new(),
                total: 0,
                next_cursor: page.next_cursor,
                prev_cursor: page.prev_cursor,
                status: ResultStatus::StartList,
                unit_version: 0,
            });
        };
        let medals = (code == &self.definition.medal_unit
            || self.definition.bronze_unit.as_ref() == Some(code))
        .then(|| self.medals());
        let qualified = place.phase.advancement.map(|advancement| {
            self.qualified(&place.phase.units, advancement.by_rank, advancement.by_mark)
        });
        let on_page = places.get(page.start..page.end).unwrap_or(&[]);
        let mut rows = Vec::with_capacity(on_page.len());
        for place in on_page {
            let Some(mut row) = results.row(place) else {
                continue;
            };
            if let Some(medals) = &medals {
                row.medal = medals
                    .iter()
                    .find(|a| a.competitor == row.competitor)
                    .map(|a| a.medal);
            }
            if let Some(qualified) = &qualified {
                row.qualification = qualified
                    .get(&(code.clone(), row.competitor.clone()))
                    .copied();
            }
            rows.push(row);
        }
        Ok(PagePart {
            rows,
            total: places.len(),
            next_cursor: page.next_cursor,
            prev_cursor: page.prev_cursor,
            status: results.status(),
            unit_version: results.version(),
        })
    }

    /// Q for the first `by_rank` of each unit; q for the `by_mark` best marks among the rest of the phase
    /// (everyone equal to the last q-mark is in too).
    fn qualified(
        &self,
        units: &[UnitCode],
        by_rank: u32,
        by_mark: u32,
    ) -> BTreeMap<(UnitCode, CompetitorId), Qualification> {
        let mut out = BTreeMap::new();
        let mut rest: Vec<(i64, UnitCode, CompetitorId)> = Vec::new();
        for code in units {
            let Some(unit) = self.units.get(code) else {
                continue;
            };
            for place in unit.places() {
                let Some(holder) = unit.holder(place) else {
                    continue;
                };
                match place.rank {
                    Some(rank) if rank <= by_rank => {
                        out.insert(
                            (code.clone(), holder.competitor.clone()),
                            Qualification::ByRank,
                        );
                    }
                    Some(_) => {
                        if let Some(mark) = place.cross_unit {
                            rest.push((mark, code.clone(), holder.competitor.clone()));
                        }
                    }
                    None => {}
                }
            }
        }
        rest.sort();
        let cutoff = usize::try_from(by_mark)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| rest.get(i))
            .map(|r| r.0);
        if let Some(cutoff) = cutoff {
            for (mark, unit, competitor) in rest {
                if mark <= cutoff {
                    out.insert((unit, competitor), Qualification::ByMark);
                }
            }
        }
        out
    }
}

/// What a leaderboard page holds besides the event's own fields.
struct PagePart {
    rows: Vec<LeaderboardRow>,
    total: usize,
    next_cursor: Option<String>,
    prev_cursor: Option<String>,
    status: ResultStatus,
    unit_version: u64,
}

fn unknown_around(competitor: &CompetitorId) -> DomainError {
    DomainError::UnknownCompetitor {
        path: "around".into(),
        competitor: competitor.to_string(),
    }
}
