//! Scoring formats: the data that says how a phase's marks are compared. New events need data, not code.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, FieldPath, at};

/// How a phase is scored. Chosen per event (and optionally per phase) in the [`EventDefinition`](crate::EventDefinition).
///
/// JSON: internally tagged by `type`, e.g. `{"type":"lowest_time","precision":"hundredths"}`.
/// `FORMATS.md` in this crate lists which format each Olympic event uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScoringFormat {
    /// Lowest time wins (alpine single run, cross-country interval start, speed skating, biathlon sprint).
    /// Marks: `time`.
    LowestTime {
        precision: TimePrecision,
        #[serde(default)]
        rounding: Rounding,
    },
    /// Run times added up (alpine two-run events, bobsleigh, luge, skeleton). Each run is cut to the
    /// precision before adding. While runs are under way, more completed runs rank first. Marks: `runs`.
    SumOfRuns {
        runs: u8,
        precision: TimePrecision,
        #[serde(default)]
        rounding: Rounding,
    },
    /// Judged runs where the best `counting` runs are added (halfpipe, slopestyle: 1 of 2 or 3; big air:
    /// 2 of 3). Ties are broken by the best non-counting run when `tiebreak_next_best`. Marks: `scores`.
    BestOfRuns {
        runs: u8,
        counting: u8,
        decimals: u8,
        #[serde(default)]
        tiebreak_next_best: bool,
    },
    /// Highest points win (moguls, aerials, a judged score or points already totalled by the feed).
    /// Marks: `points`.
    HighestPoints { decimals: u8 },
    /// Time plus a fixed penalty per penalty unit (biathlon individual: one minute per missed shot).
    /// Marks: `time_penalties`.
    TimePlusPenalties {
        precision: TimePrecision,
        #[serde(default)]
        rounding: Rounding,
        penalty_ms: u64,
    },
    /// Ski jumping: per jump, distance points (`base_points` at the K-point, ± `meter_value` per metre),
    /// style (five judges, highest and lowest dropped), gate and wind compensation; rounds added.
    /// Marks: `jumps`, or `points` when the feed sends the total.
    SkiJumping {
        rounds: u8,
        k_point_m: f64,
        meter_value: f64,
        base_points: f64,
    },
    /// Figure skating: segment score = technical + components − deductions; segments added. On equal totals
    /// the last segment (free skating / free dance) decides. Marks: `segments`, or `points`.
    Segments { segments: u8 },
    /// Order of crossing the line (mass start, pursuit, relays, cross events, short track races). Marks:
    /// `position` (with an optional time, shown and used for "q" advancement by time). Times are shown to
    /// `precision`, or, without one, to the precision the discipline's federation publishes
    /// ([`Discipline::time_precision`](crate::Discipline::time_precision)); ranking never cuts them.
    FinishOrder {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<TimePrecision>,
    },
    /// Speed skating mass start (ISU): skaters with sprint points rank first, by points, equal points by
    /// finish order; skaters without points follow in finish order. Marks: `sprint_points`. Times are
    /// shown as in `finish_order`.
    MassStart {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<TimePrecision>,
    },
    /// Group standings from games (ice hockey, curling). Units receive [`GameResult`](crate::GameResult)s; the
    /// phase code names the standings.
    RoundRobin { rules: RoundRobinRules },
    /// Knockout games: the winner of each game ranks 1, the loser 2 (ice hockey and curling play-offs).
    Knockout { sport_rules: GameRules },
}

/// Which game rules a knockout uses (decides which `decided_in` values are allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GameRules {
    /// Overtime and shoot-out; no extra ends.
    IceHockey,
    /// Extra ends; no overtime or shoot-out.
    Curling,
}

/// Round-robin standings rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "sport", rename_all = "snake_case", deny_unknown_fields)]
pub enum RoundRobinRules {
    /// IIHF: points per game (default 3/2/1/0); ties by points among the tied teams, then their goal
    /// difference and goals, then the overall goal difference and goals.
    IceHockey {
        #[serde(default)]
        points: HockeyPoints,
    },
    /// WCF: wins; ties by the games among the tied teams, then the draw-shot challenge (lower is better).
    Curling,
}

impl RoundRobinRules {
    /// The game rules the standings' games follow.
    pub fn game_rules(&self) -> GameRules {
        match self {
            Self::IceHockey { .. } => GameRules::IceHockey,
            Self::Curling => GameRules::Curling,
        }
    }
}

/// Points per game result in ice hockey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HockeyPoints {
    pub regulation_win: u32,
    pub overtime_win: u32,
    pub overtime_loss: u32,
    pub regulation_loss: u32,
}

impl Default for HockeyPoints {
    fn default() -> Self {
        Self {
            regulation_win: 3,
            overtime_win: 2,
            overtime_loss: 1,
            regulation_loss: 0,
        }
    }
}

/// The smallest time unit a sport publishes and compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimePrecision {
    Seconds,
    Tenths,
    Hundredths,
    Thousandths,
}

impl TimePrecision {
    /// Milliseconds per published unit.
    pub fn step_ms(self) -> u64 {
        match self {
            Self::Seconds => 1000,
            Self::Tenths => 100,
            Self::Hundredths => 10,
            Self::Thousandths => 1,
        }
    }

    /// Number of decimals shown.
    pub fn decimals(self) -> usize {
        match self {
            Self::Seconds => 0,
            Self::Tenths => 1,
            Self::Hundredths => 2,
            Self::Thousandths => 3,
        }
    }
}

/// How a raw time is brought to the published precision. Timing rules (FIS, IBU, ISU, IBSF) cut the
/// extra digits off, so `truncate` is the default; `half_up` exists for sources that round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    #[default]
    Truncate,
    HalfUp,
}

/// Brings a raw time in ms to the precision, still in ms.
pub(crate) fn round_time(ms: u64, precision: TimePrecision, rounding: Rounding) -> u64 {
    let step = precision.step_ms();
    match rounding {
        Rounding::Truncate => ms / step * step,
        Rounding::HalfUp => ms.saturating_add(step / 2) / step * step,
    }
}

/// Advancement from a phase to the next: the first `by_rank` of every unit get "Q"; then the `by_mark`
/// best of the rest across the phase's units (by time, or by points) get "q" (short track's best thirds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advancement {
    pub by_rank: u32,
    #[serde(default)]
    pub by_mark: u32,
}

impl ScoringFormat {
    /// The format with the display precision filled in where the definition left it to the discipline
    /// (`finish_order`, `mass_start` without `precision`): what leaderboards format marks with.
    pub fn with_published_precision(&self, discipline: crate::Discipline) -> Self {
        match self {
            Self::FinishOrder { precision: None } => Self::FinishOrder {
                precision: Some(discipline.time_precision()),
            },
            Self::MassStart { precision: None } => Self::MassStart {
                precision: Some(discipline.time_precision()),
            },
            other => other.clone(),
        }
    }

    /// True for formats whose units receive games rather than results lists.
    pub fn is_game_format(&self) -> bool {
        matches!(self, Self::RoundRobin { .. } | Self::Knockout { .. })
    }

    /// A short name for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Self::LowestTime { .. } => "lowest_time",
            Self::SumOfRuns { .. } => "sum_of_runs",
            Self::BestOfRuns { .. } => "best_of_runs",
            Self::HighestPoints { .. } => "highest_points",
            Self::TimePlusPenalties { .. } => "time_plus_penalties",
            Self::SkiJumping { .. } => "ski_jumping",
            Self::Segments { .. } => "segments",
            Self::FinishOrder { .. } => "finish_order",
            Self::MassStart { .. } => "mass_start",
            Self::RoundRobin { .. } => "round_robin",
            Self::Knockout { .. } => "knockout",
        }
    }

    /// Checks the parameters; `path` is where the format sits in the definition.
    pub fn validate(&self, path: &str) -> Result<(), DomainError> {
        let runs_ok = |runs: u8, field: &str| {
            if (1..=8).contains(&runs) {
                Ok(())
            } else {
                Err(DomainError::invalid(
                    at(path, field),
                    "must be between 1 and 8",
                ))
            }
        };
        let decimals_ok = |decimals: u8| {
            if decimals <= 3 {
                Ok(())
            } else {
                Err(DomainError::invalid(
                    at(path, "decimals"),
                    "must be at most 3",
                ))
            }
        };
        match self {
            Self::LowestTime { .. }
            | Self::FinishOrder { .. }
            | Self::MassStart { .. }
            | Self::Knockout { .. } => Ok(()),
            Self::SumOfRuns { runs, .. } => runs_ok(*runs, "runs"),
            Self::BestOfRuns {
                runs,
                counting,
                decimals,
                ..
            } => {
                runs_ok(*runs, "runs")?;
                if *counting == 0 || counting > runs {
                    return Err(DomainError::invalid(
                        at(path, "counting"),
                        "must be between 1 and runs",
                    ));
                }
                decimals_ok(*decimals)
            }
            Self::HighestPoints { decimals } => decimals_ok(*decimals),
            Self::TimePlusPenalties { penalty_ms, .. } => {
                if *penalty_ms > 600_000 {
                    return Err(DomainError::invalid(
                        at(path, "penalty_ms"),
                        "must be at most 10 minutes",
                    ));
                }
                Ok(())
            }
            Self::SkiJumping {
                rounds,
                k_point_m,
                meter_value,
                base_points,
            } => {
                runs_ok(*rounds, "rounds")?;
                finite_in(*k_point_m, 1.0, 300.0, &at(path, "k_point_m"))?;
                finite_in(*meter_value, 0.1, 10.0, &at(path, "meter_value"))?;
                finite_in(*base_points, 0.0, 500.0, &at(path, "base_points"))
            }
            Self::Segments { segments } => runs_ok(*segments, "segments"),
            Self::RoundRobin { rules } => match rules {
                RoundRobinRules::IceHockey { points } => {
                    if points.regulation_win > 10
                        || points.overtime_win > 10
                        || points.overtime_loss > 10
                    {
                        return Err(DomainError::invalid(
                            at(path, "rules.points"),
                            "points per game must be at most 10",
                        ));
                    }
                    Ok(())
                }
                RoundRobinRules::Curling => Ok(()),
            },
        }
    }
}

/// Checks that a float is finite and within `[min, max]`.
pub(crate) fn finite_in<P: FieldPath + ?Sized>(
    value: f64,
    min: f64,
    max: f64,
    path: &P,
) -> Result<(), DomainError> {
    if !value.is_finite() {
        return Err(DomainError::invalid(
            path.render(),
            "must be a finite number",
        ));
    }
    if value < min || value > max {
        return Err(DomainError::invalid(
            path.render(),
            format!("must be between {min} and {max}"),
        ));
    }
    Ok(())
}
