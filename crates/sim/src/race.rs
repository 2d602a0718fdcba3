//! Races: timed runs one after another (alpine, interval starts, sliding, speed skating in pairs), and
//! races ranked by the order of crossing the line (mass starts, pursuits from another event's gaps,
//! relays, heats), plus speed skating's points race. Times come from a competitor's form and a little luck.

use domain::{
    GapRule, Irm, Mark, ResultEntry, ResultStatus, ScoringFormat, TimePrecision, UnitCode,
};

use crate::SimError;
use crate::draft::{Draft, unit};
use crate::entries::Entry;
use crate::events::{Ctx, session, start_list_time};
use crate::incidents;
use crate::perform::{self, Board, Order, Part, Pass, Performance, Scoring};
use crate::programme::{Chase, EventSpec, Pace};
use crate::script::Script;
use rng::Rng;

const MINUTE: u64 = 60_000;

/// A race time for a competitor of `skill`: the pace's base for form 1, slower below, with some luck.
pub fn race_time(pace: Pace, skill: f64, rng: &mut Rng) -> u64 {
    let form = (1.0 - skill).clamp(-0.2, 1.0);
    let seconds = pace.base_s * (1.0 + pace.spread * form) * (1.0 + 0.004 * rng.normal());
    (seconds * 1000.0).max(1_000.0) as u64
}

/// The start order of an individual race: the best thirty drawn among themselves (bibs 1–30), then the
/// others strongest first; entries are already strongest first.
fn draw_order(entries: &[Entry], rng: &mut Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    let top = order.len().min(30);
    rng.shuffle(&mut order[..top]);
    order
}

/// One run each, `interval_s` apart (or two by two), lowest time (plus penalties) wins.
#[allow(clippy::too_many_arguments)]
pub fn timed(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    precision: TimePrecision,
    pace: Pace,
    interval_s: u32,
    pairs: bool,
    penalty_ms: Option<u64>,
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let format = match penalty_ms {
        Some(penalty_ms) => ScoringFormat::TimePlusPenalties {
            precision,
            rounding: Default::default(),
            penalty_ms,
        },
        None => ScoringFormat::LowestTime {
            precision,
            rounding: Default::default(),
        },
    };
    let fnl = unit("FNL")?;
    let start = session(spec, 0)?;
    let mut draft = Draft::new(spec, format, entries)?;
    draft.phase("FNL", "Final", std::slice::from_ref(&fnl), None, None)?;
    draft.schedule(&fnl, start)?;
    let mut script = Script::new(draft.build(), ctx.published_at)?;
    let order: Vec<usize> = if pairs {
        // Long track: the weakest skate first, the favourites in the last pairs.
        (0..entries.len()).rev().collect()
    } else {
        draw_order(entries, rng)
    };
    let scoring = if penalty_ms.is_some() {
        Scoring::TimePenalties
    } else {
        Scoring::Time
    };
    let mut board = Board::new(fnl, entries, &order, scoring);
    let alpine = spec.code.starts_with("ALP");
    let dnf_rate = if alpine { 0.06 } else { 0.01 };
    let shots = if spec.code.contains("INDIVIDUAL") {
        20
    } else if spec.code.contains("SPRINT") {
        10
    } else {
        0
    };
    let mut perform = |rng: &mut Rng, entry: &Entry, _pass: usize| {
        let mut time = race_time(pace, entry.skill, rng);
        if rng.chance(0.012) {
            return Performance {
                result: Err(Irm::Dns),
                takes_ms: 0,
            };
        }
        if rng.chance(dnf_rate) {
            return Performance {
                result: Err(Irm::Dnf),
                takes_ms: time / 2,
            };
        }
        let misses = (0..shots)
            .filter(|_| rng.chance((0.2 - 0.14 * entry.skill).max(0.03)))
            .count() as u32;
        let part = match penalty_ms {
            Some(_) => Part::Penalized {
                time_ms: time,
                penalties: misses,
            },
            None => {
                // Sprint misses cost a 150 m penalty loop, already in the time.
                time += u64::from(misses) * 24_000;
                Part::Time(time)
            }
        };
        Performance {
            result: Ok(part),
            takes_ms: time,
        }
    };
    let pass = Pass {
        earliest_ms: start,
        interval_ms: u64::from(interval_s) * 1000,
        pairs,
        order: Order::StartList,
    };
    let mut tie = incidents::tie_hook(spec.code);
    perform::play(
        &mut script,
        &mut board,
        &[pass],
        start_list_time(start),
        15 * MINUTE,
        rng,
        &mut perform,
        tie.as_deref_mut(),
    )?;
    Ok(script)
}

/// Runs added up, with a cut before the last run where the sport has one.
#[allow(clippy::too_many_arguments)]
pub fn runs(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    precision: TimePrecision,
    paces: &[Pace],
    interval_s: u32,
    cut: Option<(u8, u16)>,
    dnf_rate: f64,
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let run_count = paces.len() as u8;
    let format = ScoringFormat::SumOfRuns {
        runs: run_count,
        precision,
        rounding: Default::default(),
    };
    let fnl = unit("FNL")?;
    let mut starts = Vec::new();
    for k in 0..paces.len() {
        if let Some((day, hour, minute)) = spec.sessions.get(k) {
            starts.push(crate::calendar::Date::feb(*day).at(*hour, *minute));
        }
    }
    let first = starts.first().copied().ok_or_else(|| SimError::Missing {
        event: spec.code.into(),
        what: "no session for the first run".into(),
    })?;
    let mut draft = Draft::new(spec, format, entries)?;
    draft.phase("FNL", "Final", std::slice::from_ref(&fnl), None, None)?;
    draft.sessions(&fnl, &starts)?;
    let mut script = Script::new(draft.build(), ctx.published_at)?;
    let order = draw_order(entries, rng);
    let mut board = Board::new(fnl, entries, &order, Scoring::Runs);
    // Alpine's second run starts the best thirty in reverse; sliding runs start by reverse standing.
    let top = if spec.code.starts_with("ALP") {
        30
    } else {
        usize::MAX
    };
    let passes: Vec<Pass> = (0..paces.len())
        .map(|k| Pass {
            earliest_ms: starts.get(k).copied().unwrap_or(first),
            interval_ms: u64::from(interval_s) * 1000,
            pairs: false,
            order: if k == 0 {
                Order::StartList
            } else {
                Order::Reverse {
                    top,
                    keep: cut
                        .filter(|(after, _)| usize::from(*after) == k)
                        .map(|(_, keep)| usize::from(keep)),
                }
            },
        })
        .collect();
    let mut perform = |rng: &mut Rng, entry: &Entry, pass: usize| {
        let pace = paces.get(pass).copied().unwrap_or(Pace {
            base_s: 60.0,
            spread: 0.05,
        });
        let time = race_time(pace, entry.skill, rng);
        if pass == 0 && rng.chance(0.01) {
            return Performance {
                result: Err(Irm::Dns),
                takes_ms: 0,
            };
        }
        if rng.chance(dnf_rate) {
            return Performance {
                result: Err(Irm::Dnf),
                takes_ms: time / 2,
            };
        }
        Performance {
            result: Ok(Part::Run(time)),
            takes_ms: time,
        }
    };
    perform::play(
        &mut script,
        &mut board,
        &passes,
        start_list_time(first),
        20 * MINUTE,
        rng,
        &mut perform,
        None,
    )?;
    Ok(script)
}

/// A starter of a race ranked by finish order: an entry and its start gap.
#[derive(Debug, Clone, Copy)]
pub struct Starter {
    pub entry: usize,
    pub gap_ms: u64,
}

/// How a race's finishers are marked.
#[derive(Debug, Clone, Copy)]
pub enum RaceMark {
    Position,
    Time,
}

/// The rules of one race.
#[derive(Debug, Clone, Copy)]
pub struct RaceRules {
    pub pace: Pace,
    pub mark: RaceMark,
    pub dnf_rate: f64,
    /// A penalty decided by the jury, announced with the unofficial result (short track, cross).
    pub dsq_rate: f64,
    /// Pulled out when this far behind the leader (biathlon pursuit).
    pub lap_behind_ms: Option<u64>,
    pub official_after_ms: u64,
}

/// Runs one race of `starters`: a start list, a `LIVE` message as each one crosses the line, then
/// `UNOFFICIAL` (with the jury's penalties) and `OFFICIAL`. Returns the time of the OFFICIAL message.
#[allow(clippy::too_many_arguments)]
pub fn race(
    script: &mut Script,
    unit: &UnitCode,
    entries: &[Entry],
    starters: &[Starter],
    start_ms: u64,
    start_list_at: u64,
    rules: RaceRules,
    rng: &mut Rng,
) -> Result<u64, SimError> {
    struct Runner {
        total: u64,
        outcome: Option<Irm>,
    }
    let mut runners: Vec<Runner> = starters
        .iter()
        .filter_map(|s| {
            let entry = entries.get(s.entry)?;
            let outcome = if rng.chance(rules.dnf_rate) {
                Some(Irm::Dnf)
            } else {
                None
            };
            Some(Runner {
                total: s.gap_ms + race_time(rules.pace, entry.skill, rng),
                outcome,
            })
        })
        .collect();
    let leader = runners
        .iter()
        .filter(|r| r.outcome.is_none())
        .map(|r| r.total)
        .min()
        .unwrap_or(0);
    if let Some(lap) = rules.lap_behind_ms {
        for runner in runners.iter_mut().filter(|r| r.outcome.is_none()) {
            if runner.total > leader + lap {
                runner.outcome = Some(Irm::Lap);
            }
        }
    }
    let mut lines: Vec<ResultEntry> = starters
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let mut line = entries.get(s.entry)?.line();
            line.start_order = Some(i as u32 + 1);
            Some(line)
        })
        .collect();
    script.results(
        start_list_at,
        unit,
        ResultStatus::StartList,
        lines.clone(),
        None,
    )?;
    let mut finish: Vec<usize> = (0..runners.len()).collect();
    finish.sort_by_key(|&i| runners.get(i).map_or(u64::MAX, |r| r.total));
    let mut position = 0u32;
    let mut last = start_ms;
    for &i in &finish {
        let Some(runner) = runners.get(i) else {
            continue;
        };
        let at = start_ms + runner.total;
        let Some(line) = lines.get_mut(i) else {
            continue;
        };
        match runner.outcome {
            Some(Irm::Dnf) => {
                line.irm = Some(Irm::Dnf);
                script.results(
                    start_ms + runner.total / 2,
                    unit,
                    ResultStatus::Live,
                    lines.clone(),
                    None,
                )?;
                continue;
            }
            Some(irm) => {
                // Lapped athletes leave the course as the leader passes them.
                line.irm = Some(irm);
            }
            None => {
                position += 1;
                line.mark = Some(match rules.mark {
                    RaceMark::Position => Mark::Position {
                        position,
                        time_ms: Some(runner.total),
                    },
                    RaceMark::Time => Mark::Time {
                        time_ms: runner.total,
                    },
                });
            }
        }
        last = last.max(at);
        script.results(
            at.max(script.now()),
            unit,
            ResultStatus::Live,
            lines.clone(),
            None,
        )?;
    }
    // The jury's decisions come with the unofficial result.
    for line in lines.iter_mut() {
        if line.mark.is_some() && line.irm.is_none() && rng.chance(rules.dsq_rate) {
            line.irm = Some(Irm::Dsq);
            line.mark = None;
        }
    }
    let unofficial = last.max(script.now()) + 2 * MINUTE;
    script.results(
        unofficial,
        unit,
        ResultStatus::Unofficial,
        lines.clone(),
        None,
    )?;
    let official = unofficial + rules.official_after_ms;
    script.results(official, unit, ResultStatus::Official, lines, None)?;
    Ok(official)
}

/// A mass start, a relay, or a pursuit that starts from another event's gaps.
pub fn finish_order(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    pace: Pace,
    chase: Option<Chase>,
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let fnl = unit("FNL")?;
    let start = session(spec, 0)?;
    let mut draft = Draft::new(
        spec,
        ScoringFormat::FinishOrder { precision: None },
        entries,
    )?;
    draft.phase("FNL", "Final", std::slice::from_ref(&fnl), None, None)?;
    draft.schedule(&fnl, start)?;
    let mut script = Script::new(draft.build(), ctx.published_at)?;
    let starters: Vec<Starter> = match chase {
        Some(chase) => {
            let source = ctx.done.get(chase.from).ok_or_else(|| SimError::Missing {
                event: spec.code.into(),
                what: format!("the pursuit needs {} to be played first", chase.from),
            })?;
            let medal_unit = source.definition().medal_unit.clone();
            let gaps = source
                .start_gaps(&medal_unit, GapRule::TimeBehind)
                .map_err(|error| SimError::Rejected {
                    event: spec.code.into(),
                    what: format!("start gaps from {}", chase.from),
                    error,
                })?;
            gaps.iter()
                .filter_map(|gap| {
                    let entry = entries.iter().position(|e| e.id == gap.competitor)?;
                    Some(Starter {
                        entry,
                        gap_ms: gap.gap_ms,
                    })
                })
                .take(chase.starters)
                .collect()
        }
        None => (0..entries.len())
            .map(|entry| Starter { entry, gap_ms: 0 })
            .collect(),
    };
    let rules = RaceRules {
        pace,
        mark: RaceMark::Position,
        dnf_rate: 0.03,
        dsq_rate: 0.0,
        lap_behind_ms: chase.map(|_| 4 * MINUTE),
        official_after_ms: 20 * MINUTE,
    };
    race(
        &mut script,
        &fnl,
        entries,
        &starters,
        start,
        start_list_time(start),
        rules,
        rng,
    )?;
    Ok(script)
}

/// Speed skating's mass start: two semi-finals (the best `finalists_per_semi` of each go through) and a
/// final, ranked by the points of three intermediate sprints and the final sprint.
pub fn points_race(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    pace: Pace,
    finalists_per_semi: u32,
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let semis = [unit("SFNL-R01")?, unit("SFNL-R02")?];
    let fnl = unit("FNL")?;
    let semi_start = session(spec, 0)?;
    let final_start = session(spec, 1)?;
    let format = ScoringFormat::HighestPoints { decimals: 0 };
    let mut draft = Draft::new(spec, format, entries)?;
    draft.phase(
        "SFNL",
        "Semifinals",
        &semis,
        None,
        Some(domain::Advancement {
            by_rank: finalists_per_semi,
            by_mark: 0,
        }),
    )?;
    draft.phase("FNL", "Final", std::slice::from_ref(&fnl), None, None)?;
    draft.schedule(&semis[0], semi_start)?;
    draft.schedule(&semis[1], semi_start + 12 * MINUTE)?;
    draft.schedule(&fnl, final_start)?;
    let mut script = Script::new(draft.build(), ctx.published_at)?;
    let mut finalists = Vec::new();
    for (k, semi) in semis.iter().enumerate() {
        let field: Vec<usize> = (0..entries.len())
            .filter(|i| (i / 2 + i) % 2 == k)
            .collect();
        let start = semi_start + k as u64 * 12 * MINUTE;
        sprint_race(
            &mut script,
            semi,
            entries,
            &field,
            start,
            &[10, 8, 6, 5, 4, 3, 2, 1],
            pace,
            rng,
        )?;
        let qualified = qualified(&script, semi)?;
        finalists.extend(
            qualified
                .iter()
                .filter_map(|id| entries.iter().position(|e| &e.id == id)),
        );
    }
    sprint_race(
        &mut script,
        &fnl,
        entries,
        &finalists,
        final_start,
        &[60, 40, 20, 10, 6, 3],
        pace,
        rng,
    )?;
    Ok(script)
}

/// The competitors the domain marks Q or q in a unit, in ranking order.
pub fn qualified(script: &Script, unit: &UnitCode) -> Result<Vec<domain::CompetitorId>, SimError> {
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
    Ok(page
        .rows
        .into_iter()
        .filter(|row| row.qualification.is_some())
        .map(|row| row.competitor)
        .collect())
}

/// One points race: intermediate sprints at laps 4, 8 and 12 (3, 2, 1 points) and the final sprint.
#[allow(clippy::too_many_arguments)]
fn sprint_race(
    script: &mut Script,
    unit: &UnitCode,
    entries: &[Entry],
    field: &[usize],
    start: u64,
    final_points: &[u32],
    pace: Pace,
    rng: &mut Rng,
) -> Result<(), SimError> {
    let mut points = vec![0u32; field.len()];
    let out: Vec<Option<Irm>> = field
        .iter()
        .map(|_| {
            if rng.chance(0.03) {
                Some(Irm::Dnf)
            } else {
                None
            }
        })
        .collect();
    let lines = |points: &[u32], out: &[Option<Irm>], done: bool| -> Vec<ResultEntry> {
        field
            .iter()
            .enumerate()
            .filter_map(|(i, &e)| {
                let mut line = entries.get(e)?.line();
                line.start_order = Some(i as u32 + 1);
                line.irm = out.get(i).copied().flatten();
                let scored = points.get(i).copied().unwrap_or(0);
                if line.irm.is_none() && (done || scored > 0) {
                    line.mark = Some(Mark::Points {
                        points: f64::from(scored),
                    });
                }
                Some(line)
            })
            .collect()
    };
    script.results(
        start.saturating_sub(20 * MINUTE),
        unit,
        ResultStatus::StartList,
        lines(&points, &out, false),
        None,
    )?;
    let lap_ms = pace.base_s as u64 * 1000 / 16;
    let skill = |i: usize| {
        field
            .get(i)
            .and_then(|&e| entries.get(e))
            .map_or(0.0, |e| e.skill)
    };
    for lap in [4u64, 8, 12] {
        // The strongest tend to take the sprint points, but the bunch is unpredictable.
        let mut keyed: Vec<(f64, usize)> = (0..field.len())
            .filter(|&i| out.get(i).copied().flatten().is_none())
            .map(|i| (skill(i) + 0.3 * rng.unit(), i))
            .collect();
        keyed.sort_by(|a, b| b.0.total_cmp(&a.0));
        for ((_, i), award) in keyed.iter().zip([3u32, 2, 1]) {
            if let Some(p) = points.get_mut(*i) {
                *p += award;
            }
        }
        script.results(
            start + lap * lap_ms,
            unit,
            ResultStatus::Live,
            lines(&points, &out, false),
            None,
        )?;
    }
    let mut finish: Vec<(u64, usize)> = (0..field.len())
        .filter(|&i| out.get(i).copied().flatten().is_none())
        .filter_map(|i| Some((race_time(pace, entries.get(*field.get(i)?)?.skill, rng), i)))
        .collect();
    finish.sort_unstable();
    for ((_, i), award) in finish.iter().zip(final_points) {
        if let Some(p) = points.get_mut(*i) {
            *p += award;
        }
    }
    let finished = start + finish.first().map_or(pace.base_s as u64 * 1000, |f| f.0);
    script.results(
        finished,
        unit,
        ResultStatus::Live,
        lines(&points, &out, true),
        None,
    )?;
    script.results(
        finished + 2 * MINUTE,
        unit,
        ResultStatus::Unofficial,
        lines(&points, &out, true),
        None,
    )?;
    script.results(
        finished + 10 * MINUTE,
        unit,
        ResultStatus::Official,
        lines(&points, &out, true),
        None,
    )?;
    Ok(())
}
