//! Heats with advancement: an optional qualification (a timed run, or parallel slalom's two runs), rounds
//! of heats where the first `by_rank` of each heat (Q) and the `by_mark` fastest of the rest (q) go on,
//! and finals. Who advanced is the domain's answer (the Q and q of each heat's leaderboard); the next
//! round's start lists are sent once they are known.

use domain::{Advancement, CompetitorId, Mark, Qualification, ScoringFormat, UnitCode};

use crate::SimError;
use crate::draft::{Draft, unit};
use crate::entries::Entry;
use crate::events::{Ctx, session, start_list_time};
use crate::perform::{self, Board, Order, Part, Pass, Performance, Scoring};
use crate::programme::{self, EventSpec, Finals, Pace, Race, Round};
use crate::race::{self, RaceMark, RaceRules, Starter, race_time};
use crate::script::Script;
use rng::Rng;

const MINUTE: u64 = 60_000;

/// The bracket of an event.
#[derive(Debug, Clone, Copy)]
pub struct Shape<'a> {
    pub qualification: Option<programme::Qualification>,
    pub rounds: &'a [Round],
    pub finals: Finals,
    pub race: Race,
    pub pace: Pace,
}

/// A round's units and start times, fixed when the event is defined.
struct Planned {
    units: Vec<UnitCode>,
    starts: Vec<u64>,
}

/// Plays qualification, rounds and finals.
pub fn play(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    shape: Shape<'_>,
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let race_format = match shape.race {
        Race::FinishOrder => ScoringFormat::FinishOrder { precision: None },
        Race::Time(precision) => ScoringFormat::LowestTime {
            precision,
            rounding: Default::default(),
        },
    };
    let heat_gap =
        ((shape.pace.base_s * 1.15) as u64 * 1000 + 150_000).max(4 * MINUTE) / MINUTE * MINUTE;
    let mut draft = Draft::new(spec, race_format, entries)?;
    let mut stage = 0usize;
    let stage_start = |stage: usize, after: u64| -> u64 {
        spec.sessions.get(stage).map_or(after, |(d, h, m)| {
            crate::calendar::Date::feb(*d).at(*h, *m).max(after)
        })
    };
    // Qualification.
    let qual = unit("QUAL")?;
    let mut clock = session(spec, 0)?;
    let mut qual_start = None;
    if let Some(q) = shape.qualification {
        let (format, keep, takes) = match q {
            programme::Qualification::Time {
                precision,
                pace,
                interval_s,
                keep,
            } => (
                ScoringFormat::LowestTime {
                    precision,
                    rounding: Default::default(),
                },
                keep,
                entries.len() as u64 * u64::from(interval_s) * 1000 + (pace.base_s * 1000.0) as u64,
            ),
            programme::Qualification::TwoRuns {
                precision,
                pace,
                keep,
            } => (
                ScoringFormat::SumOfRuns {
                    runs: 2,
                    precision,
                    rounding: Default::default(),
                },
                keep,
                2 * entries.len() as u64 * 40_000 + 2 * (pace.base_s * 1000.0) as u64 + 10 * MINUTE,
            ),
        };
        draft.phase(
            "QUAL",
            "Qualification",
            std::slice::from_ref(&qual),
            Some(format),
            Some(Advancement {
                by_rank: keep as u32,
                by_mark: 0,
            }),
        )?;
        draft.schedule(&qual, clock)?;
        qual_start = Some(clock);
        clock += takes + 30 * MINUTE;
        stage += 1;
    }
    // Rounds of heats.
    let mut planned = Vec::new();
    for round in shape.rounds {
        let start = stage_start(stage, clock);
        let units: Vec<UnitCode> = (1..=round.heats)
            .map(|h| unit(&format!("{}-H{h:02}", round.code)))
            .collect::<Result<_, _>>()?;
        let starts: Vec<u64> = (0..round.heats)
            .map(|h| start + h as u64 * heat_gap)
            .collect();
        draft.phase(
            round.code,
            round.name,
            &units,
            None,
            Some(Advancement {
                by_rank: round.by_rank,
                by_mark: round.by_mark,
            }),
        )?;
        for (u, s) in units.iter().zip(&starts) {
            draft.schedule(u, *s)?;
        }
        clock = start + round.heats as u64 * heat_gap + 15 * MINUTE;
        planned.push(Planned { units, starts });
        stage += 1;
    }
    // Finals: B (or the small final) first, then A.
    let finals_start = stage_start(stage, clock);
    let fnl = unit("FNL")?;
    let fnl_b = unit("FNL-B")?;
    match shape.finals {
        Finals::Single => {
            draft.phase("FNL", "Final", std::slice::from_ref(&fnl), None, None)?;
            draft.schedule(&fnl, finals_start)?;
        }
        Finals::AandB { a, b } | Finals::Duel { a, b } => {
            draft.phase("FNLB", b, std::slice::from_ref(&fnl_b), None, None)?;
            draft.phase("FNLA", a, std::slice::from_ref(&fnl), None, None)?;
            draft.schedule(&fnl_b, finals_start)?;
            draft.schedule(&fnl, finals_start + heat_gap)?;
            if matches!(shape.finals, Finals::Duel { .. }) {
                draft.bronze_unit(&fnl_b);
            }
        }
    }
    draft.medal_unit(&fnl);
    let mut script = Script::new(draft.build(), ctx.published_at)?;

    // Seeds for the first round: the qualification's ranking, or the entries' order (world ranking).
    let mut seeds: Vec<usize> = (0..entries.len()).collect();
    if let (Some(q), Some(start)) = (shape.qualification, qual_start) {
        let order: Vec<usize> = (0..entries.len()).rev().collect();
        let (scoring, passes, pace, interval) = match q {
            programme::Qualification::Time {
                pace, interval_s, ..
            } => (Scoring::Time, 1, pace, u64::from(interval_s) * 1000),
            programme::Qualification::TwoRuns { pace, .. } => (Scoring::Runs, 2, pace, 40_000),
        };
        let mut board = Board::new(qual.clone(), entries, &order, scoring);
        let passes: Vec<Pass> = (0..passes)
            .map(|k| Pass {
                earliest_ms: start,
                interval_ms: interval,
                pairs: false,
                order: if k == 0 {
                    Order::StartList
                } else {
                    Order::Reverse { top: 0, keep: None }
                },
            })
            .collect();
        let mut perform = |rng: &mut Rng, entry: &Entry, _pass: usize| {
            if rng.chance(0.01) {
                return Performance {
                    result: Err(domain::Irm::Dnf),
                    takes_ms: 30_000,
                };
            }
            let time = race_time(pace, entry.skill, rng);
            let part = if scoring == Scoring::Runs {
                Part::Run(time)
            } else {
                Part::Time(time)
            };
            Performance {
                result: Ok(part),
                takes_ms: time,
            }
        };
        perform::play(
            &mut script,
            &mut board,
            &passes,
            start_list_time(start),
            10 * MINUTE,
            rng,
            &mut perform,
            None,
        )?;
        seeds = race::qualified(&script, &qual)?
            .iter()
            .filter_map(|id| entries.iter().position(|e| &e.id == id))
            .collect();
    }

    let rules = RaceRules {
        pace: shape.pace,
        mark: match shape.race {
            Race::FinishOrder => RaceMark::Position,
            Race::Time(_) => RaceMark::Time,
        },
        dnf_rate: 0.025,
        dsq_rate: if spec.code.starts_with("STK") {
            0.06
        } else {
            0.015
        },
        lap_behind_ms: None,
        official_after_ms: 3 * MINUTE,
    };
    let mut others: Vec<usize> = Vec::new();
    for (round, plan) in shape.rounds.iter().zip(&planned) {
        let heats = serpentine(&seeds, round.heats);
        let known = script.now() + MINUTE;
        for ((heat, unit), start) in heats.iter().zip(&plan.units).zip(&plan.starts) {
            let starters: Vec<Starter> = heat
                .iter()
                .map(|&entry| Starter { entry, gap_ms: 0 })
                .collect();
            let list_at = known.max(start.saturating_sub(10 * MINUTE));
            race::race(
                &mut script,
                unit,
                entries,
                &starters,
                (*start).max(list_at + MINUTE),
                list_at,
                rules,
                rng,
            )?;
        }
        let (advanced, rest) = advancement(&script, &plan.units, round.by_rank)?;
        seeds = advanced
            .iter()
            .filter_map(|id| entries.iter().position(|e| &e.id == id))
            .collect();
        others = rest
            .iter()
            .filter_map(|id| entries.iter().position(|e| &e.id == id))
            .collect();
    }

    let known = script.now() + MINUTE;
    let starters = |field: &[usize]| -> Vec<Starter> {
        field
            .iter()
            .map(|&entry| Starter { entry, gap_ms: 0 })
            .collect()
    };
    let finals_at = finals_start.max(known + 10 * MINUTE);
    // A racer who falls in a final is still ranked in reality; the domain ranks no IRM, so in the
    // simulation nobody fails to finish a final, and a two-racer final has no penalties either.
    let duel = matches!(shape.finals, Finals::Duel { .. });
    let final_rules = RaceRules {
        official_after_ms: 10 * MINUTE,
        dnf_rate: 0.0,
        dsq_rate: if duel { 0.0 } else { rules.dsq_rate / 2.0 },
        ..rules
    };
    match shape.finals {
        Finals::Single => {
            race::race(
                &mut script,
                &fnl,
                entries,
                &starters(&seeds),
                finals_at,
                known,
                final_rules,
                rng,
            )?;
        }
        Finals::AandB { .. } | Finals::Duel { .. } => {
            race::race(
                &mut script,
                &fnl_b,
                entries,
                &starters(&others),
                finals_at,
                known,
                final_rules,
                rng,
            )?;
            race::race(
                &mut script,
                &fnl,
                entries,
                &starters(&seeds),
                finals_at + heat_gap,
                known,
                final_rules,
                rng,
            )?;
        }
    }
    Ok(script)
}

/// Deals seeds into heats in serpentine order (1-2-3-3-2-1…), so heats are balanced.
fn serpentine(seeds: &[usize], heats: usize) -> Vec<Vec<usize>> {
    let heats = heats.max(1);
    let mut out = vec![Vec::new(); heats];
    for (i, &seed) in seeds.iter().enumerate() {
        let row = i / heats;
        let pos = i % heats;
        let heat = if row.is_multiple_of(2) {
            pos
        } else {
            heats - 1 - pos
        };
        if let Some(h) = out.get_mut(heat) {
            h.push(seed);
        }
    }
    out
}

/// Who the domain says advanced from a round (Q by place first, then q by time), and the next best of the
/// rest: those placed just behind the qualifying places, for a B final.
fn advancement(
    script: &Script,
    units: &[UnitCode],
    by_rank: u32,
) -> Result<(Vec<CompetitorId>, Vec<CompetitorId>), SimError> {
    let mut advanced: Vec<(u8, u32, u64, usize, CompetitorId)> = Vec::new();
    let mut rest: Vec<(u32, u64, usize, CompetitorId)> = Vec::new();
    for (h, unit) in units.iter().enumerate() {
        let page = script
            .state()
            .leaderboard(&domain::LeaderboardQuery {
                unit: Some(unit.clone()),
                limit: Some(500),
                ..Default::default()
            })
            .map_err(|error| SimError::Rejected {
                event: script.code().to_string(),
                what: format!("the leaderboard of {unit}"),
                error,
            })?;
        let time_of = |id: &CompetitorId| -> u64 {
            script
                .state()
                .unit(unit)
                .and_then(|u| u.entries().iter().find(|e| &e.competitor == id).cloned())
                .and_then(|e| match e.mark {
                    Some(Mark::Position { time_ms, .. }) => time_ms,
                    Some(Mark::Time { time_ms }) => Some(time_ms),
                    _ => None,
                })
                .unwrap_or(u64::MAX)
        };
        for row in page.rows {
            let Some(rank) = row.rank else { continue };
            let time = time_of(&row.competitor);
            match row.qualification {
                Some(Qualification::ByRank) => advanced.push((0, rank, time, h, row.competitor)),
                Some(Qualification::ByMark) => advanced.push((1, 0, time, h, row.competitor)),
                None if rank <= by_rank.max(1) + 2 => rest.push((rank, time, h, row.competitor)),
                None => {}
            }
        }
    }
    advanced.sort();
    rest.sort();
    Ok((
        advanced.into_iter().map(|a| a.4).collect(),
        rest.into_iter().map(|r| r.3).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serpentine_balances_heats() {
        assert_eq!(
            serpentine(&[0, 1, 2, 3, 4, 5, 6, 7], 4),
            vec![vec![0, 7], vec![1, 6], vec![2, 5], vec![3, 4]]
        );
        assert_eq!(serpentine(&[0, 1, 2], 2), vec![vec![0], vec![1, 2]]);
    }
}
