//! Judged and jumped events: park and pipe (best runs count), moguls and aerials (a score), ski jumping
//! (distance, five judges, gate and wind), team jumping and team aerials (the members' points added),
//! figure skating (short and free segments; the team event's placement points), and Nordic combined
//! (a jump whose points become the race's start gaps).

use domain::{
    Advancement, GapRule, Irm, Jump, Mark, ResultEntry, ResultStatus, ScoringFormat, Segment,
};

use crate::SimError;
use crate::draft::{Draft, unit};
use crate::entries::Entry;
use crate::events::{Ctx, session, start_list_time};
use crate::perform::{self, Board, Order, Part, Pass, Performance, Scoring, round2};
use crate::programme::{EventSpec, Hill, JudgedRound, Judging, Pace, Skate};
use crate::race::{self, RaceMark, RaceRules, Starter};
use crate::script::Script;
use rng::Rng;

const MINUTE: u64 = 60_000;

/// Qualification (if any) and a final of judged runs.
pub fn judged(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    judging: Judging,
    qualification: Option<JudgedRound>,
    final_round: JudgedRound,
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let team_size = entries.first().map_or(1, |e| e.members.len().max(1));
    let (format_of, scoring) = match judging {
        Judging::Points { .. } => (
            Box::new(|_: (u8, u8)| ScoringFormat::HighestPoints { decimals: 2 })
                as Box<dyn Fn((u8, u8)) -> ScoringFormat>,
            Scoring::Points,
        ),
        Judging::BestOf { .. } => (
            Box::new(|(runs, counting): (u8, u8)| ScoringFormat::BestOfRuns {
                runs,
                counting,
                decimals: 2,
                tiebreak_next_best: true,
            }) as Box<dyn Fn((u8, u8)) -> ScoringFormat>,
            Scoring::Scores,
        ),
    };
    let (qual_runs, final_runs) = match judging {
        Judging::Points { .. } => ((1, 1), (team_size as u8, team_size as u8)),
        Judging::BestOf { qualification, fin } => (qualification, fin),
    };
    let qual = unit("QUAL")?;
    let fnl = unit("FNL")?;
    let mut draft = Draft::new(spec, format_of(final_runs), entries)?;
    let (qual_start, final_start) = match qualification {
        Some(_) => (Some(session(spec, 0)?), session(spec, 1)?),
        None => (None, session(spec, 0)?),
    };
    if let (Some(round), Some(start)) = (qualification, qual_start) {
        draft.phase(
            "QUAL",
            "Qualification",
            std::slice::from_ref(&qual),
            Some(format_of(qual_runs)),
            Some(Advancement {
                by_rank: round.keep as u32,
                by_mark: 0,
            }),
        )?;
        draft.schedule(&qual, start)?;
    }
    draft.phase("FNL", "Final", std::slice::from_ref(&fnl), None, None)?;
    draft.schedule(&fnl, final_start)?;
    let mut script = Script::new(draft.build(), ctx.published_at)?;
    let mut perform = |rng: &mut Rng, entry: &Entry, _pass: usize| {
        if rng.chance(0.008) {
            return Performance {
                result: Err(Irm::Dns),
                takes_ms: 0,
            };
        }
        let part = match judging {
            Judging::Points { base, range, noise } => {
                let crashed = rng.chance(0.1);
                let score = base + range * entry.skill + noise * rng.normal();
                Part::Points(round2(
                    if crashed { score * 0.6 } else { score }.clamp(1.0, 999.0),
                ))
            }
            Judging::BestOf { .. } => {
                let score = if rng.chance(0.25 - 0.1 * entry.skill) {
                    10.0 + 25.0 * rng.unit()
                } else {
                    36.0 + 50.0 * entry.skill + 4.0 * rng.normal()
                };
                Part::Score(round2(score.clamp(5.0, 98.0)))
            }
        };
        Performance {
            result: Ok(part),
            takes_ms: 55_000,
        }
    };
    let order_by_skill: Vec<usize> = (0..entries.len()).rev().collect();
    let mut finalists: Vec<usize> = order_by_skill.clone();
    if let (Some(round), Some(start)) = (qualification, qual_start) {
        let mut board = Board::new(qual.clone(), entries, &order_by_skill, scoring);
        let passes: Vec<Pass> = (0..qual_runs.0)
            .map(|_| Pass {
                earliest_ms: start,
                interval_ms: u64::from(round.interval_s) * 1000,
                pairs: false,
                order: Order::StartList,
            })
            .collect();
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
        let qualified = race::qualified(&script, &qual)?;
        // The final starts the lowest qualifier first.
        finalists = qualified
            .iter()
            .rev()
            .filter_map(|id| entries.iter().position(|e| &e.id == id))
            .collect();
    }
    let mut board = Board::new(fnl, entries, &finalists, scoring);
    let passes: Vec<Pass> = (0..final_runs.0)
        .map(|_| Pass {
            earliest_ms: final_start,
            interval_ms: u64::from(final_round.interval_s) * 1000,
            pairs: false,
            order: Order::StartList,
        })
        .collect();
    let list_at = start_list_time(final_start).max(script.now() + MINUTE);
    perform::play(
        &mut script,
        &mut board,
        &passes,
        list_at,
        15 * MINUTE,
        rng,
        &mut perform,
        None,
    )?;
    Ok(script)
}

/// One ski jump by a jumper (or team) of `skill` on `hill`.
fn jump(hill: Hill, skill: f64, rng: &mut Rng) -> Jump {
    let k = hill.k_point();
    let distance =
        (k + (skill - 0.55) * 28.0 + 3.5 * rng.normal()).clamp(k - 35.0, hill.hill_size() + 8.0);
    let distance = (distance * 2.0).round() / 2.0;
    let short = if distance < k - 15.0 { 1.0 } else { 0.0 };
    let style = 17.2 + 2.0 * (skill - 0.6) - short;
    let judges = (0..5)
        .map(|_| (((style + 0.4 * rng.normal()) * 2.0).round() / 2.0).clamp(12.0, 20.0))
        .collect();
    let gate_points = if rng.chance(0.15) {
        (rng.range(-8.0, 8.0) * 10.0).round() / 10.0
    } else {
        0.0
    };
    let wind_points = ((3.0 * rng.normal()) * 10.0).round() / 10.0;
    Jump {
        distance_m: distance,
        judges,
        gate_points,
        wind_points,
    }
}

/// A jump's points, as the domain counts them (distance, the middle three judges, gate, wind), to 0.1:
/// team events send their totals.
fn jump_points(hill: Hill, jump: &Jump) -> f64 {
    let mut judges = jump.judges.clone();
    judges.sort_by(f64::total_cmp);
    let style: f64 = judges.iter().skip(1).take(3).sum();
    let distance = 60.0 + (jump.distance_m - hill.k_point()) * hill.meter_value();
    ((distance + style + jump.gate_points + jump.wind_points) * 10.0).round() / 10.0
}

fn ski_jumping_format(hill: Hill, rounds: u8) -> ScoringFormat {
    ScoringFormat::SkiJumping {
        rounds,
        k_point_m: hill.k_point(),
        meter_value: hill.meter_value(),
        base_points: 60.0,
    }
}

fn jumper(hill: Hill) -> impl FnMut(&mut Rng, &Entry, usize) -> Performance {
    move |rng: &mut Rng, entry: &Entry, _pass: usize| {
        if rng.chance(0.005) {
            return Performance {
                result: Err(Irm::Dns),
                takes_ms: 0,
            };
        }
        if rng.chance(0.005) {
            // A suit found irregular at the check before the jump.
            return Performance {
                result: Err(Irm::Dsq),
                takes_ms: 30_000,
            };
        }
        Performance {
            result: Ok(Part::Jump(jump(hill, entry.skill, rng))),
            takes_ms: 45_000,
        }
    }
}

/// Individual ski jumping: two rounds, the best 30 of the first in the final round, in reverse order.
pub fn jumping(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    hill: Hill,
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let fnl = unit("FNL")?;
    let start = session(spec, 0)?;
    let mut draft = Draft::new(spec, ski_jumping_format(hill, 2), entries)?;
    draft.phase("FNL", "Final", std::slice::from_ref(&fnl), None, None)?;
    draft.schedule(&fnl, start)?;
    let mut script = Script::new(draft.build(), ctx.published_at)?;
    // The weakest jump first, the favourites last.
    let order: Vec<usize> = (0..entries.len()).rev().collect();
    let mut board = Board::new(fnl, entries, &order, Scoring::Jumps);
    let passes = [
        Pass {
            earliest_ms: start,
            interval_ms: 80_000,
            pairs: false,
            order: Order::StartList,
        },
        Pass {
            earliest_ms: start,
            interval_ms: 90_000,
            pairs: false,
            order: Order::Reverse {
                top: usize::MAX,
                keep: Some(30),
            },
        },
    ];
    let mut perform = jumper(hill);
    perform::play(
        &mut script,
        &mut board,
        &passes,
        start_list_time(start),
        15 * MINUTE,
        rng,
        &mut perform,
        None,
    )?;
    Ok(script)
}

/// Team ski jumping: every member jumps in each round, the team's points are added; after the first
/// round only the best `cut` teams go on.
pub fn team_jumping(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    hill: Hill,
    rounds: u8,
    cut: Option<u16>,
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let fnl = unit("FNL")?;
    let start = session(spec, 0)?;
    let mut draft = Draft::new(spec, ScoringFormat::HighestPoints { decimals: 1 }, entries)?;
    draft.phase("FNL", "Final", std::slice::from_ref(&fnl), None, None)?;
    draft.schedule(&fnl, start)?;
    let mut script = Script::new(draft.build(), ctx.published_at)?;
    let order: Vec<usize> = (0..entries.len()).rev().collect();
    let mut board = Board::new(fnl, entries, &order, Scoring::Points);
    let crew = entries.first().map_or(1, |e| e.members.len().max(1));
    let passes: Vec<Pass> = (0..usize::from(rounds) * crew)
        .map(|i| Pass {
            earliest_ms: start,
            interval_ms: 75_000,
            pairs: false,
            order: if i < crew {
                Order::StartList
            } else {
                Order::Reverse {
                    top: usize::MAX,
                    keep: cut.map(usize::from),
                }
            },
        })
        .collect();
    let mut perform = |rng: &mut Rng, entry: &Entry, _pass: usize| {
        let jump = jump(hill, entry.skill, rng);
        Performance {
            result: Ok(Part::Points(jump_points(hill, &jump))),
            takes_ms: 45_000,
        }
    };
    perform::play(
        &mut script,
        &mut board,
        &passes,
        start_list_time(start),
        15 * MINUTE,
        rng,
        &mut perform,
        None,
    )?;
    Ok(script)
}

/// A skating segment's score for a competitor of `skill`: (mean, spread) of the technical and component
/// scores, set so that the best totals land near the records (men about 330, women about 240, pairs
/// about 240, ice dance about 230).
fn segment(kind: Skate, women: bool, free: bool, skill: f64, rng: &mut Rng) -> Segment {
    let (tes, pcs) = match (kind, women, free) {
        (Skate::Singles, false, false) => ((30.0 + 35.0 * skill, 5.0), (25.0 + 22.0 * skill, 1.5)),
        (Skate::Singles, false, true) => ((60.0 + 70.0 * skill, 8.0), (55.0 + 42.0 * skill, 3.0)),
        (Skate::Singles, true, false) => ((25.0 + 20.0 * skill, 4.0), (22.0 + 16.0 * skill, 1.5)),
        (Skate::Singles, true, true) => ((45.0 + 45.0 * skill, 7.0), (45.0 + 30.0 * skill, 2.5)),
        (Skate::Pairs, _, false) => ((28.0 + 20.0 * skill, 4.0), (25.0 + 15.0 * skill, 1.5)),
        (Skate::Pairs, _, true) => ((50.0 + 40.0 * skill, 7.0), (50.0 + 30.0 * skill, 2.5)),
        (Skate::Dance, _, false) => ((28.0 + 22.0 * skill, 2.0), (25.0 + 20.0 * skill, 1.0)),
        (Skate::Dance, _, true) => ((45.0 + 30.0 * skill, 3.0), (40.0 + 30.0 * skill, 1.5)),
    };
    let falls = if matches!(kind, Skate::Dance) {
        u32::from(rng.chance(0.03))
    } else {
        (0..2)
            .filter(|_| rng.chance((0.25 - 0.15 * skill).max(0.04)))
            .count() as u32
    };
    Segment {
        technical: round2((tes.0 + tes.1 * rng.normal() - 4.0 * f64::from(falls)).max(5.0)),
        components: round2((pcs.0 + pcs.1 * rng.normal()).max(5.0)),
        deductions: f64::from(falls),
    }
}

/// Figure skating: the short program (rhythm dance), then the free for the best `cut`, in reverse order.
pub fn skating(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    kind: Skate,
    cut: u16,
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let fnl = unit("FNL")?;
    let short = session(spec, 0)?;
    let free = session(spec, 1)?;
    let mut draft = Draft::new(spec, ScoringFormat::Segments { segments: 2 }, entries)?;
    draft.phase("FNL", "Final", std::slice::from_ref(&fnl), None, None)?;
    draft.sessions(&fnl, &[short, free])?;
    let mut script = Script::new(draft.build(), ctx.published_at)?;
    // Drawn in groups of six, the best group last.
    let mut order: Vec<usize> = (0..entries.len()).rev().collect();
    for group in order.chunks_mut(6) {
        rng.shuffle(group);
    }
    let mut board = Board::new(fnl, entries, &order, Scoring::Segments);
    let women = spec.code.get(3..4) == Some("W");
    let passes = [
        Pass {
            earliest_ms: short,
            interval_ms: 7 * MINUTE,
            pairs: false,
            order: Order::StartList,
        },
        Pass {
            earliest_ms: free,
            interval_ms: 8 * MINUTE,
            pairs: false,
            order: Order::Reverse {
                top: usize::MAX,
                keep: Some(usize::from(cut)),
            },
        },
    ];
    let mut perform = |rng: &mut Rng, entry: &Entry, pass: usize| {
        if pass == 0 && rng.chance(0.01) {
            return Performance {
                result: Err(Irm::Wdr),
                takes_ms: 0,
            };
        }
        Performance {
            result: Ok(Part::Segment(segment(
                kind,
                women,
                pass == 1,
                entry.skill,
                rng,
            ))),
            takes_ms: 5 * MINUTE,
        }
    };
    perform::play(
        &mut script,
        &mut board,
        &passes,
        start_list_time(short),
        15 * MINUTE,
        rng,
        &mut perform,
        None,
    )?;
    Ok(script)
}

/// The team event: four short segments for every team (men, women, pairs, rhythm dance), then four free
/// segments for the best five; each segment gives placement points (10 for first, down by one).
pub fn skating_team(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let fnl = unit("FNL")?;
    let days = [session(spec, 0)?, session(spec, 1)?, session(spec, 2)?];
    let mut draft = Draft::new(spec, ScoringFormat::HighestPoints { decimals: 0 }, entries)?;
    draft.phase("FNL", "Final", std::slice::from_ref(&fnl), None, None)?;
    draft.sessions(&fnl, &days)?;
    let mut script = Script::new(draft.build(), ctx.published_at)?;
    let mut points = vec![0u32; entries.len()];
    let lines = |points: &[u32], scored: bool| -> Vec<ResultEntry> {
        entries
            .iter()
            .zip(points)
            .enumerate()
            .map(|(i, (entry, p))| {
                let mut line = entry.line();
                line.start_order = Some(i as u32 + 1);
                if scored {
                    line.mark = Some(Mark::Points {
                        points: f64::from(*p),
                    });
                }
                line
            })
            .collect()
    };
    script.results(
        start_list_time(days[0]),
        &fnl,
        ResultStatus::StartList,
        lines(&points, false),
        None,
    )?;
    let kinds = [Skate::Singles, Skate::Singles, Skate::Pairs, Skate::Dance];
    let mut in_free: Vec<usize> = (0..entries.len()).collect();
    for segment_index in 0..8usize {
        let free = segment_index >= 4;
        if segment_index == 4 {
            let mut ranked: Vec<usize> = (0..entries.len()).collect();
            ranked.sort_by(|a, b| points.get(*b).cmp(&points.get(*a)).then(a.cmp(b)));
            ranked.truncate(5);
            in_free = ranked;
        }
        let day = match segment_index {
            0..=3 => days[0] + segment_index as u64 * 75 * MINUTE,
            4 | 5 => days[1] + (segment_index as u64 - 4) * 90 * MINUTE,
            _ => days[2] + (segment_index as u64 - 6) * 90 * MINUTE,
        };
        let kind = kinds
            .get(segment_index % 4)
            .copied()
            .unwrap_or(Skate::Singles);
        let mut scores: Vec<(f64, usize)> = in_free
            .iter()
            .filter_map(|&i| {
                let entry = entries.get(i)?;
                let seg = segment(kind, segment_index % 2 == 1, free, entry.skill, rng);
                Some((seg.technical + seg.components - seg.deductions, i))
            })
            .collect();
        scores.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (place, (_, i)) in scores.iter().enumerate() {
            if let Some(p) = points.get_mut(*i) {
                *p += 10u32.saturating_sub(place as u32);
            }
        }
        let at = day + in_free.len() as u64 * 7 * MINUTE;
        script.results(at, &fnl, ResultStatus::Live, lines(&points, true), None)?;
    }
    let end = script.now();
    script.results(
        end + 5 * MINUTE,
        &fnl,
        ResultStatus::Unofficial,
        lines(&points, true),
        None,
    )?;
    script.results(
        end + 20 * MINUTE,
        &fnl,
        ResultStatus::Official,
        lines(&points, true),
        None,
    )?;
    Ok(script)
}

/// Nordic combined: the jump (one round; for a team, both members' points added), then the race, started
/// by the domain's gaps from the jump points.
#[allow(clippy::too_many_arguments)]
pub fn gundersen(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    entries: &[Entry],
    hill: Hill,
    pace: Pace,
    ms_per_point: u64,
    rng: &mut Rng,
) -> Result<Script, SimError> {
    let jump_unit = unit("JUMP")?;
    let fnl = unit("FNL")?;
    let jump_start = session(spec, 0)?;
    let race_start = session(spec, 1)?;
    let mut draft = Draft::new(
        spec,
        ScoringFormat::FinishOrder { precision: None },
        entries,
    )?;
    draft.phase(
        "JUMP",
        "Ski Jumping",
        std::slice::from_ref(&jump_unit),
        Some(ski_jumping_format(hill, 1)),
        None,
    )?;
    draft.phase(
        "FNL",
        "Cross-Country",
        std::slice::from_ref(&fnl),
        None,
        None,
    )?;
    draft.schedule(&jump_unit, jump_start)?;
    draft.schedule(&fnl, race_start)?;
    let mut script = Script::new(draft.build(), ctx.published_at)?;
    let order: Vec<usize> = (0..entries.len()).rev().collect();
    let team = entries.first().is_some_and(|e| !e.members.is_empty());
    if team {
        let crew = entries.first().map_or(1, |e| e.members.len());
        let mut board = Board::new(jump_unit.clone(), entries, &order, Scoring::Points);
        let passes: Vec<Pass> = (0..crew)
            .map(|_| Pass {
                earliest_ms: jump_start,
                interval_ms: 75_000,
                pairs: false,
                order: Order::StartList,
            })
            .collect();
        let mut perform = |rng: &mut Rng, entry: &Entry, _pass: usize| {
            let jump = jump(hill, entry.skill, rng);
            Performance {
                result: Ok(Part::Points(jump_points(hill, &jump))),
                takes_ms: 45_000,
            }
        };
        perform::play(
            &mut script,
            &mut board,
            &passes,
            start_list_time(jump_start),
            10 * MINUTE,
            rng,
            &mut perform,
            None,
        )?;
    } else {
        let mut board = Board::new(jump_unit.clone(), entries, &order, Scoring::Jumps);
        let passes = [Pass {
            earliest_ms: jump_start,
            interval_ms: 75_000,
            pairs: false,
            order: Order::StartList,
        }];
        let mut perform = jumper(hill);
        perform::play(
            &mut script,
            &mut board,
            &passes,
            start_list_time(jump_start),
            10 * MINUTE,
            rng,
            &mut perform,
            None,
        )?;
    }
    let gaps = script
        .state()
        .start_gaps(&jump_unit, GapRule::PointsBehind { ms_per_point })
        .map_err(|error| SimError::Rejected {
            event: spec.code.into(),
            what: "start gaps from the jump".into(),
            error,
        })?;
    let starters: Vec<Starter> = gaps
        .iter()
        .filter_map(|gap| {
            let entry = entries.iter().position(|e| e.id == gap.competitor)?;
            Some(Starter {
                entry,
                gap_ms: gap.gap_ms,
            })
        })
        .collect();
    let rules = RaceRules {
        pace,
        mark: RaceMark::Position,
        dnf_rate: 0.02,
        dsq_rate: 0.0,
        lap_behind_ms: None,
        official_after_ms: 20 * MINUTE,
    };
    let list_at = start_list_time(race_start).max(script.now() + MINUTE);
    race::race(
        &mut script,
        &fnl,
        entries,
        &starters,
        race_start,
        list_at,
        rules,
        rng,
    )?;
    Ok(script)
}
