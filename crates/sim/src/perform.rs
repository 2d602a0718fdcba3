//! Units where competitors perform one after another, pass after pass: timed runs, judged runs, jumps,
//! skating segments. After every performance (or pair) the feed sends the whole unit again as `LIVE`;
//! after a pass that is not the last, `INTERMEDIATE`; at the end `UNOFFICIAL`, then `OFFICIAL`.
//!
//! Who starts the next pass, and in which order, is read from the domain's ranking of the unit.

use domain::{Irm, Jump, Mark, ResultEntry, ResultStatus, Segment, UnitCode};

use crate::SimError;
use crate::entries::Entry;
use crate::script::Script;
use rng::Rng;

const MINUTE: u64 = 60_000;

/// How parts add up to a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    Time,
    TimePenalties,
    Runs,
    Scores,
    Jumps,
    Segments,
    /// Points added over passes (a team's jumps, a team's judged members).
    Points,
}

/// What one performance achieved.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Time(u64),
    Penalized { time_ms: u64, penalties: u32 },
    Run(u64),
    Score(f64),
    Jump(Jump),
    Segment(Segment),
    Points(f64),
}

/// A performance: its part (or an irregular result) and how long after its start it is published.
#[derive(Debug, Clone, PartialEq)]
pub struct Performance {
    pub result: Result<Part, Irm>,
    pub takes_ms: u64,
}

/// One competitor's line on the board.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub entry: usize,
    pub start_order: u32,
    pub parts: Vec<Part>,
    pub irm: Option<Irm>,
}

/// A unit's board: every competitor in start order, with what they have done so far.
#[derive(Debug, Clone)]
pub struct Board<'a> {
    pub unit: UnitCode,
    pub entries: &'a [Entry],
    pub lines: Vec<Line>,
    pub scoring: Scoring,
}

impl<'a> Board<'a> {
    /// A board of `entries[order[i]]`, in that start order.
    pub fn new(unit: UnitCode, entries: &'a [Entry], order: &[usize], scoring: Scoring) -> Self {
        Self {
            unit,
            entries,
            lines: order
                .iter()
                .enumerate()
                .map(|(i, &entry)| Line {
                    entry,
                    start_order: i as u32 + 1,
                    parts: Vec::new(),
                    irm: None,
                })
                .collect(),
            scoring,
        }
    }

    /// The unit as a results message lists it now.
    pub fn entries(&self) -> Vec<ResultEntry> {
        self.lines
            .iter()
            .filter_map(|line| {
                let entry = self.entries.get(line.entry)?;
                let mut out = entry.line();
                out.start_order = Some(line.start_order);
                out.mark = mark(self.scoring, &line.parts);
                out.irm = line.irm;
                Some(out)
            })
            .collect()
    }

    /// Sends the board.
    pub fn publish(
        &self,
        script: &mut Script,
        at: u64,
        status: ResultStatus,
        note: Option<String>,
    ) -> Result<(), SimError> {
        script.results(at, &self.unit, status, self.entries(), note)
    }
}

/// The mark of a line's parts under a scoring.
pub fn mark(scoring: Scoring, parts: &[Part]) -> Option<Mark> {
    if parts.is_empty() {
        return None;
    }
    Some(match scoring {
        Scoring::Time => Mark::Time {
            time_ms: parts.iter().rev().find_map(|p| match p {
                Part::Time(ms) => Some(*ms),
                _ => None,
            })?,
        },
        Scoring::TimePenalties => {
            let (time_ms, penalties) = parts.iter().rev().find_map(|p| match p {
                Part::Penalized { time_ms, penalties } => Some((*time_ms, *penalties)),
                _ => None,
            })?;
            Mark::TimePenalties { time_ms, penalties }
        }
        Scoring::Runs => Mark::Runs {
            runs_ms: parts
                .iter()
                .filter_map(|p| match p {
                    Part::Run(ms) => Some(*ms),
                    _ => None,
                })
                .collect(),
        },
        Scoring::Scores => Mark::Scores {
            scores: parts
                .iter()
                .filter_map(|p| match p {
                    Part::Score(s) => Some(Some(*s)),
                    _ => None,
                })
                .collect(),
        },
        Scoring::Jumps => Mark::Jumps {
            jumps: parts
                .iter()
                .filter_map(|p| match p {
                    Part::Jump(j) => Some(j.clone()),
                    _ => None,
                })
                .collect(),
        },
        Scoring::Segments => Mark::Segments {
            segments: parts
                .iter()
                .filter_map(|p| match p {
                    Part::Segment(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
        },
        Scoring::Points => Mark::Points {
            points: round2(
                parts
                    .iter()
                    .filter_map(|p| match p {
                        Part::Points(x) => Some(*x),
                        _ => None,
                    })
                    .sum(),
            ),
        },
    })
}

/// Rounds to hundredths, as scores are published.
pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Who starts a pass, and in which order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The board's start order (the first pass).
    StartList,
    /// By the unit's ranking after the previous pass: the best `top` in reverse order (the leader last),
    /// then the others in ranking order. Only ranked competitors start, and with `keep` only the best
    /// `keep` of them.
    Reverse { top: usize, keep: Option<usize> },
}

/// One pass over the competitors.
#[derive(Debug, Clone, Copy)]
pub struct Pass {
    /// The pass starts no earlier than this (a session), and at least ten minutes after the last one.
    pub earliest_ms: u64,
    pub interval_ms: u64,
    /// Speed skating: two at a time, published together.
    pub pairs: bool,
    pub order: Order,
}

/// A group of performances published together: (time, start slot, (line, performance)…).
type Published = (u64, usize, Vec<(usize, Performance)>);

/// A hook that may change a pass's performances before they are published (a scripted tie).
pub type Adjust<'h> = dyn FnMut(usize, &mut [(usize, Performance)]) + 'h;

/// Plays every pass of a unit and makes it OFFICIAL; returns the time of the OFFICIAL message.
#[allow(clippy::too_many_arguments)]
pub fn play(
    script: &mut Script,
    board: &mut Board<'_>,
    passes: &[Pass],
    start_list_at: u64,
    official_after_ms: u64,
    rng: &mut Rng,
    perform: &mut dyn FnMut(&mut Rng, &Entry, usize) -> Performance,
    adjust: Option<&mut Adjust<'_>>,
) -> Result<u64, SimError> {
    board.publish(script, start_list_at, ResultStatus::StartList, None)?;
    let mut adjust = adjust;
    let last_pass = passes.len().saturating_sub(1);
    let mut last_publish = start_list_at;
    for (p, pass) in passes.iter().enumerate() {
        let starters = starters(script, board, pass.order)?;
        let start = if p == 0 {
            pass.earliest_ms
        } else {
            pass.earliest_ms.max(script.now() + 10 * MINUTE)
        };
        let mut performances: Vec<(usize, Performance)> = Vec::with_capacity(starters.len());
        for &line in &starters {
            let Some(entry) = board
                .lines
                .get(line)
                .and_then(|l| board.entries.get(l.entry))
            else {
                continue;
            };
            performances.push((line, perform(rng, entry, p)));
        }
        if let Some(hook) = adjust.as_deref_mut() {
            hook(p, &mut performances);
        }
        // Publication times: each start slot plus the performance; a pair is published together.
        let mut timed: Vec<Published> = Vec::new();
        let per_slot = if pass.pairs { 2 } else { 1 };
        for (slot, group) in performances.chunks(per_slot).enumerate() {
            let slot_start = start + slot as u64 * pass.interval_ms;
            let at = group
                .iter()
                .map(|(_, perf)| slot_start + perf.takes_ms)
                .max()
                .unwrap_or(slot_start);
            timed.push((at, slot, group.to_vec()));
        }
        timed.sort_by_key(|(at, slot, _)| (*at, *slot));
        for (at, _, group) in timed {
            for (line, perf) in group {
                if let Some(line) = board.lines.get_mut(line) {
                    match perf.result {
                        Ok(part) => line.parts.push(part),
                        Err(irm) => line.irm = Some(irm),
                    }
                }
            }
            board.publish(script, at, ResultStatus::Live, None)?;
            last_publish = at;
        }
        if p < last_pass {
            board.publish(
                script,
                last_publish + 2 * MINUTE,
                ResultStatus::Intermediate,
                None,
            )?;
        }
    }
    board.publish(
        script,
        last_publish + 3 * MINUTE,
        ResultStatus::Unofficial,
        None,
    )?;
    let official = last_publish + 3 * MINUTE + official_after_ms;
    board.publish(script, official, ResultStatus::Official, None)?;
    Ok(official)
}

/// The lines that start a pass, in order.
fn starters(script: &Script, board: &Board<'_>, order: Order) -> Result<Vec<usize>, SimError> {
    match order {
        Order::StartList => Ok((0..board.lines.len()).collect()),
        Order::Reverse { top, keep } => {
            let ranking = script.ranking(&board.unit)?;
            let mut ranked: Vec<usize> = ranking
                .iter()
                .filter(|r| r.rank.is_some())
                .filter_map(|r| {
                    board.lines.iter().position(|line| {
                        line.irm.is_none()
                            && board
                                .entries
                                .get(line.entry)
                                .is_some_and(|e| e.id == r.competitor)
                    })
                })
                .collect();
            if let Some(keep) = keep {
                ranked.truncate(keep);
            }
            let top = top.min(ranked.len());
            ranked[..top].reverse();
            Ok(ranked)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_follow_the_scoring() {
        assert_eq!(mark(Scoring::Runs, &[]), None);
        assert_eq!(
            mark(Scoring::Runs, &[Part::Run(55_120), Part::Run(54_010)]),
            Some(Mark::Runs {
                runs_ms: vec![55_120, 54_010]
            })
        );
        assert_eq!(
            mark(Scoring::Points, &[Part::Points(10.004), Part::Points(20.0)]),
            Some(Mark::Points { points: 30.0 })
        );
        assert_eq!(
            mark(Scoring::Scores, &[Part::Score(80.5)]),
            Some(Mark::Scores {
                scores: vec![Some(80.5)]
            })
        );
        assert_eq!(
            mark(
                Scoring::TimePenalties,
                &[Part::Penalized {
                    time_ms: 1,
                    penalties: 2
                }]
            ),
            Some(Mark::TimePenalties {
                time_ms: 1,
                penalties: 2
            })
        );
    }
}
