//! The event's final classification: one ranking of everyone entered, across the final units and the
//! rounds that eliminated the rest (ODF's "Event Final Ranking").
//!
//! Stages, best first: the medal unit's phase (its units as blocks: the medal unit, then the bronze unit,
//! then the phase's other units, such as Final B, in order), then every other phase from the last to the
//! first, where each competitor is classified in the latest stage they reached. Within an elimination
//! stage: by rank in their unit, then by mark across the units (short track's heats: place, then time),
//! or by mark alone in a phase of several units without advancement (team pursuit quarter-finals); knockout
//! losers of one round by their round-robin rank; round-robin phases together, by group rank, then points,
//! goal difference and goals. Equal keys share a rank. Competitors without a rank where they stopped (an
//! IRM, or no mark yet) follow everyone ranked.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::EventState;
use crate::codes::{CompetitorId, UnitCode};
use crate::format::ScoringFormat;
use crate::leaderboard::LeaderboardRow;
use crate::ranking::{Class, RankInput, rank};
use crate::unit::UnitResults;

/// One competitor's line before ranking: where they stopped, and the key that orders them there.
struct Line {
    row: LeaderboardRow,
    key: Vec<i64>,
    /// Not ranked where they stopped: listed after the ranked, by stage.
    unranked: bool,
}

impl EventState {
    /// Every competitor classified once, in final order, with medals; ranks are competition ranks.
    pub(crate) fn classification(&self) -> Vec<LeaderboardRow> {
        let mut seen: BTreeSet<CompetitorId> = BTreeSet::new();
        let mut lines: Vec<Line> = Vec::new();
        let medal_phase = self
            .definition
            .place(&self.definition.medal_unit)
            .map(|p| p.phase.code.clone());
        // Stage 0: the final units, block by block.
        let mut finals: Vec<UnitCode> = vec![self.definition.medal_unit.clone()];
        finals.extend(self.definition.bronze_unit.clone());
        if let Some(phase) = medal_phase
            .as_ref()
            .and_then(|code| self.definition.phase(code))
        {
            finals.extend(
                phase
                    .units
                    .iter()
                    .filter(|u| !finals.contains(u))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
        for (block, unit) in finals.iter().enumerate() {
            self.classify_unit(
                unit,
                &[0, block as i64],
                KeyKind::Rank,
                &mut seen,
                &mut lines,
            );
        }
        // Then the other phases, the last first; consecutive round-robin phases form one stage.
        let mut stage = 0i64;
        let mut previous_round_robin = false;
        for phase in self.definition.phases.iter().rev() {
            if Some(&phase.code) == medal_phase.as_ref() {
                continue;
            }
            let format = self.definition.phase_format(phase);
            let round_robin = matches!(format, ScoringFormat::RoundRobin { .. });
            if !(round_robin && previous_round_robin) {
                stage += 1;
            }
            previous_round_robin = round_robin;
            if round_robin {
                self.classify_standings(&phase.code, stage, &mut seen, &mut lines);
                continue;
            }
            let kind = if format.is_game_format() {
                KeyKind::Knockout
            } else if phase.advancement.is_some() || phase.units.len() == 1 {
                KeyKind::RankThenMark
            } else {
                KeyKind::Mark
            };
            for unit in &phase.units {
                self.classify_unit(unit, &[stage], kind, &mut seen, &mut lines);
            }
        }
        let inputs: Vec<RankInput<'_>> = lines
            .iter()
            .map(|line| RankInput {
                class: if line.unranked {
                    match line.row.irm {
                        Some(irm) => Class::Irregular(irm),
                        None => Class::Pending(
                            u32::try_from(line.key.first().copied().unwrap_or(0))
                                .unwrap_or(u32::MAX),
                        ),
                    }
                } else {
                    Class::Valid(Cow::Borrowed(line.key.as_slice()))
                },
                name: &line.row.name,
                id: line.row.competitor.as_str(),
            })
            .collect();
        let medals = self.medals();
        rank(&inputs)
            .iter()
            .filter_map(|placed| {
                let mut row = lines.get(placed.index)?.row.clone();
                row.rank = placed.rank;
                row.rank_equal = placed.rank_equal;
                row.sort_order = placed.sort_order;
                row.qualification = None;
                row.medal = medals
                    .iter()
                    .find(|award| award.competitor == row.competitor)
                    .map(|award| award.medal);
                Some(row)
            })
            .collect()
    }

    /// Classifies the competitors of one unit not yet classified, under `prefix` and the key `kind`.
    fn classify_unit(
        &self,
        code: &UnitCode,
        prefix: &[i64],
        kind: KeyKind,
        seen: &mut BTreeSet<CompetitorId>,
        lines: &mut Vec<Line>,
    ) {
        let Some(unit) = self.units.get(code) else {
            return;
        };
        for place in unit.places() {
            let Some(row) = unit.row(place) else {
                continue;
            };
            if !seen.insert(row.competitor.clone()) {
                continue;
            }
            let mark = place.cross_unit.unwrap_or(i64::MAX);
            let mut key = prefix.to_vec();
            match (kind, place.rank) {
                (_, None) => {}
                (KeyKind::Rank, Some(rank)) => key.push(i64::from(rank)),
                (KeyKind::RankThenMark, Some(rank)) => key.extend([i64::from(rank), mark]),
                (KeyKind::Mark, Some(_)) => key.push(mark),
                (KeyKind::Knockout, Some(rank)) => {
                    key.extend([i64::from(rank), self.group_rank(&row.competitor)]);
                }
            }
            lines.push(Line {
                unranked: place.rank.is_none() || unit_has_no_result(unit),
                row,
                key,
            });
        }
    }

    /// Classifies the teams of a round-robin phase not yet classified: group rank, points, goal
    /// difference, goals.
    fn classify_standings(
        &self,
        phase: &UnitCode,
        stage: i64,
        seen: &mut BTreeSet<CompetitorId>,
        lines: &mut Vec<Line>,
    ) {
        let Some((rows, _, _)) = self.standings(phase) else {
            return;
        };
        for row in rows {
            if !seen.insert(row.competitor.clone()) {
                continue;
            }
            let record = row.record.clone().unwrap_or_default();
            let key = vec![
                stage,
                row.rank.map_or(i64::MAX, i64::from),
                -i64::from(record.points),
                -(i64::from(record.goals_for) - i64::from(record.goals_against)),
                -i64::from(record.goals_for),
            ];
            lines.push(Line {
                unranked: row.rank.is_none(),
                row,
                key,
            });
        }
    }

    /// A team's best rank in any round-robin standings (to order knockout losers of one round).
    fn group_rank(&self, team: &CompetitorId) -> i64 {
        self.definition
            .phases
            .iter()
            .filter_map(|phase| self.standings(&phase.code))
            .filter_map(|(rows, _, _)| {
                rows.iter()
                    .find(|row| &row.competitor == team)
                    .and_then(|row| row.rank)
            })
            .min()
            .map_or(i64::MAX, i64::from)
    }
}

/// How a stage orders the competitors it classifies.
#[derive(Debug, Clone, Copy)]
enum KeyKind {
    /// By rank in the unit (final blocks).
    Rank,
    /// By rank in the unit, then by mark across the units (heats with advancement).
    RankThenMark,
    /// By mark across the units (several units ranked as one, without advancement).
    Mark,
    /// Knockout losers: by rank in the game, then by round-robin rank.
    Knockout,
}

/// A game not yet played ranks nobody.
fn unit_has_no_result(unit: &UnitResults) -> bool {
    unit.game().is_some_and(|game| !game.counts())
}
