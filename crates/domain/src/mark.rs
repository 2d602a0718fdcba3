//! Marks (what a competitor achieved) and their evaluation under a scoring format into a comparable key.

use serde::{Deserialize, Serialize};

use crate::display::{format_points, format_time, round_points, to_milli};
use crate::error::{DomainError, FieldPath, Path};
use crate::format::{Rounding, ScoringFormat, TimePrecision, finite_in, round_time};

/// The longest time accepted anywhere (a 50 km race takes about two hours).
const MAX_TIME_MS: u64 = 24 * 3_600_000;
/// The largest absolute number of points accepted.
const MAX_POINTS: f64 = 100_000.0;

/// What a competitor achieved, as the feed reports it. JSON: internally tagged by `kind`.
///
/// | kind | fields | formats |
/// |---|---|---|
/// | `time` | `time_ms` | lowest_time |
/// | `runs` | `runs_ms: [u64]` (completed runs, in order) | sum_of_runs |
/// | `points` | `points` | highest_points, ski_jumping, segments (a total) |
/// | `scores` | `scores: [f64 or null]` (null: run not taken) | best_of_runs |
/// | `time_penalties` | `time_ms`, `penalties` | time_plus_penalties |
/// | `jumps` | `jumps: [{distance_m, judges[5], gate_points, wind_points}]` | ski_jumping |
/// | `segments` | `segments: [{technical, components, deductions}]` | segments |
/// | `position` | `position`, optional `time_ms` | finish_order |
/// | `sprint_points` | `points`, `position`, optional `time_ms` | mass_start |
///
/// Times are integer milliseconds (luge's 1/1000 s is 1 ms); the format cuts them to the sport's precision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Mark {
    Time {
        time_ms: u64,
    },
    Runs {
        runs_ms: Vec<u64>,
    },
    Points {
        points: f64,
    },
    Scores {
        scores: Vec<Option<f64>>,
    },
    TimePenalties {
        time_ms: u64,
        penalties: u32,
    },
    Jumps {
        jumps: Vec<Jump>,
    },
    Segments {
        segments: Vec<Segment>,
    },
    Position {
        position: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_ms: Option<u64>,
    },
    /// Speed skating mass start: sprint points (intermediate and final sprints; 0 for none) and the
    /// order of crossing the line.
    SprintPoints {
        points: u32,
        position: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_ms: Option<u64>,
    },
}

/// One ski jump.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jump {
    pub distance_m: f64,
    /// Five judges' style marks (0–20): the highest and lowest are dropped. Three marks are taken as
    /// already reduced.
    pub judges: Vec<f64>,
    #[serde(default)]
    pub gate_points: f64,
    #[serde(default)]
    pub wind_points: f64,
}

/// One figure skating segment (short program, free skating, rhythm or free dance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub technical: f64,
    pub components: f64,
    #[serde(default)]
    pub deductions: f64,
}

/// A mark evaluated under a format: a key where lower is better, compared element by element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Evaluated {
    pub key: Key,
    /// The mark as shown; empty unless evaluated with [`Text::Yes`].
    pub display: String,
    /// The parts of the mark as shown; `None` unless evaluated with [`Text::Yes`].
    pub detail: Option<String>,
    /// A single number comparable across the units of a phase (lower is better), for "q" advancement;
    /// only set when the mark is complete.
    pub cross_unit: Option<i64>,
    /// The total time in ms (at precision), for gaps to the leader.
    pub total_time_ms: Option<u64>,
}

/// What ranking needs of an evaluated mark (no text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Score {
    pub key: Key,
    pub cross_unit: Option<i64>,
    pub total_time_ms: Option<u64>,
}

impl Evaluated {
    pub(crate) fn into_score(self) -> Score {
        Score {
            key: self.key,
            cross_unit: self.cross_unit,
            total_time_ms: self.total_time_ms,
        }
    }
}

/// Whether [`Mark::evaluate`] formats the mark for display. Validation and ranking need only the key;
/// the text is made for the rows a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text {
    No,
    Yes,
}

/// A ranking key. Most formats need one to three numbers; those stay inline, without an allocation.
#[derive(Debug, Clone)]
pub(crate) enum Key {
    Inline { len: usize, values: [i64; 3] },
    Heap(Vec<i64>),
}

impl Key {
    pub(crate) fn from_slice(values: &[i64]) -> Self {
        match values {
            [a] => Self::Inline {
                len: 1,
                values: [*a, 0, 0],
            },
            [a, b] => Self::Inline {
                len: 2,
                values: [*a, *b, 0],
            },
            [a, b, c] => Self::Inline {
                len: 3,
                values: [*a, *b, *c],
            },
            _ => Self::Heap(values.to_vec()),
        }
    }

    pub(crate) fn as_slice(&self) -> &[i64] {
        match self {
            Self::Inline { len, values } => values.get(..*len).unwrap_or(values),
            Self::Heap(values) => values,
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Key {}

impl Mark {
    /// The `kind` tag as in JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Time { .. } => "time",
            Self::Runs { .. } => "runs",
            Self::Points { .. } => "points",
            Self::Scores { .. } => "scores",
            Self::TimePenalties { .. } => "time_penalties",
            Self::Jumps { .. } => "jumps",
            Self::Segments { .. } => "segments",
            Self::Position { .. } => "position",
            Self::SprintPoints { .. } => "sprint_points",
        }
    }

    /// Validates the mark for `format` and evaluates it; `path` is the mark's field path, formatted only
    /// when the mark is rejected. With [`Text::No`] the display strings are left empty.
    pub(crate) fn evaluate(
        &self,
        format: &ScoringFormat,
        path: &Path<'_>,
        text: Text,
    ) -> Result<Evaluated, DomainError> {
        let text = text == Text::Yes;
        match (format, self) {
            (
                ScoringFormat::LowestTime {
                    precision,
                    rounding,
                },
                Self::Time { time_ms },
            ) => {
                let total = checked_time(*time_ms, *precision, *rounding, &path.field("time_ms"))?;
                Ok(time_result(
                    Key::from_slice(&[total as i64]),
                    total,
                    *precision,
                    None,
                    text,
                ))
            }
            (
                ScoringFormat::SumOfRuns {
                    runs,
                    precision,
                    rounding,
                },
                Self::Runs { runs_ms },
            ) => {
                let runs_path = path.field("runs_ms");
                if runs_ms.is_empty() || runs_ms.len() > usize::from(*runs) {
                    return Err(DomainError::invalid(
                        runs_path.render(),
                        format!("must hold 1 to {runs} runs"),
                    ));
                }
                let mut total = 0u64;
                let mut parts = Vec::with_capacity(if text { runs_ms.len() } else { 0 });
                for (i, run) in runs_ms.iter().enumerate() {
                    let run = checked_time(*run, *precision, *rounding, &runs_path.index(i))?;
                    total = total.saturating_add(run);
                    if text {
                        parts.push(format_time(run, *precision));
                    }
                }
                // More completed runs rank first while a race is under way.
                let done = runs_ms.len() as i64;
                let mut evaluated = time_result(
                    Key::from_slice(&[-done, total as i64]),
                    total,
                    *precision,
                    text.then(|| parts.join(" + ")),
                    text,
                );
                if runs_ms.len() != usize::from(*runs) {
                    evaluated.cross_unit = None;
                }
                Ok(evaluated)
            }
            (
                ScoringFormat::TimePlusPenalties {
                    precision,
                    rounding,
                    penalty_ms,
                },
                Self::TimePenalties { time_ms, penalties },
            ) => {
                if *penalties > 100 {
                    return Err(DomainError::invalid(
                        path.field("penalties").render(),
                        "must be at most 100",
                    ));
                }
                let time = checked_time(*time_ms, *precision, *rounding, &path.field("time_ms"))?;
                let total = time.saturating_add(u64::from(*penalties).saturating_mul(*penalty_ms));
                let detail = text.then(|| {
                    format!(
                        "{penalties} penalt{}",
                        if *penalties == 1 { "y" } else { "ies" }
                    )
                });
                Ok(time_result(
                    Key::from_slice(&[total as i64]),
                    total,
                    *precision,
                    detail,
                    text,
                ))
            }
            (ScoringFormat::HighestPoints { decimals }, Self::Points { points }) => {
                let value =
                    round_points(checked_points(*points, &path.field("points"))?, *decimals);
                Ok(points_result(
                    value,
                    *decimals,
                    None,
                    Key::from_slice(&[-value]),
                    text,
                ))
            }
            (
                ScoringFormat::SkiJumping { .. } | ScoringFormat::Segments { .. },
                Self::Points { points },
            ) => {
                let decimals = if matches!(format, ScoringFormat::SkiJumping { .. }) {
                    1
                } else {
                    2
                };
                let value = round_points(checked_points(*points, &path.field("points"))?, decimals);
                // A bare total counts as complete; there is no last segment to break ties with.
                Ok(points_result(
                    value,
                    decimals,
                    None,
                    Key::from_slice(&[-1, -value, 0]),
                    text,
                ))
            }
            (
                ScoringFormat::BestOfRuns {
                    runs,
                    counting,
                    decimals,
                    tiebreak_next_best,
                },
                Self::Scores { scores },
            ) => best_of_runs(
                scores,
                *runs,
                *counting,
                *decimals,
                *tiebreak_next_best,
                &path.field("scores"),
                text,
            ),
            (
                ScoringFormat::SkiJumping {
                    rounds,
                    k_point_m,
                    meter_value,
                    base_points,
                },
                Self::Jumps { jumps },
            ) => {
                let path = path.field("jumps");
                if jumps.is_empty() || jumps.len() > usize::from(*rounds) {
                    return Err(DomainError::invalid(
                        path.render(),
                        format!("must hold 1 to {rounds} jumps"),
                    ));
                }
                let mut total = 0i64;
                let mut parts = Vec::with_capacity(if text { jumps.len() } else { 0 });
                for (i, jump) in jumps.iter().enumerate() {
                    let points =
                        jump_points(jump, *k_point_m, *meter_value, *base_points, &path.index(i))?;
                    total = total.saturating_add(points);
                    if text {
                        parts.push(format_points(points, 1));
                    }
                }
                let done = jumps.len() as i64;
                let mut evaluated = points_result(
                    total,
                    1,
                    text.then(|| parts.join(" + ")),
                    Key::from_slice(&[-done, -total, 0]),
                    text,
                );
                if jumps.len() != usize::from(*rounds) {
                    evaluated.cross_unit = None;
                }
                Ok(evaluated)
            }
            (ScoringFormat::Segments { segments: expected }, Self::Segments { segments }) => {
                let path = path.field("segments");
                if segments.is_empty() || segments.len() > usize::from(*expected) {
                    return Err(DomainError::invalid(
                        path.render(),
                        format!("must hold 1 to {expected} segments"),
                    ));
                }
                let mut total = 0i64;
                let mut last = 0i64;
                let mut parts = Vec::with_capacity(if text { segments.len() } else { 0 });
                for (i, segment) in segments.iter().enumerate() {
                    let here = path.index(i);
                    let technical = checked_points(segment.technical, &here.field("technical"))?;
                    let components = checked_points(segment.components, &here.field("components"))?;
                    let deductions = checked_points(segment.deductions, &here.field("deductions"))?;
                    if technical < 0 || components < 0 || deductions < 0 {
                        return Err(DomainError::invalid(
                            here.render(),
                            "technical, components and deductions must not be negative",
                        ));
                    }
                    last = round_points(technical + components - deductions, 2);
                    total = total.saturating_add(last);
                    if text {
                        parts.push(format_points(last, 2));
                    }
                }
                let done = segments.len() as i64;
                // ISU: on equal totals the last segment (free skating) ranks higher.
                let mut evaluated = points_result(
                    total,
                    2,
                    text.then(|| parts.join(" + ")),
                    Key::from_slice(&[-done, -total, -last]),
                    text,
                );
                if segments.len() != usize::from(*expected) {
                    evaluated.cross_unit = None;
                }
                Ok(evaluated)
            }
            (ScoringFormat::FinishOrder { precision }, Self::Position { position, time_ms }) => {
                let (position, time) = checked_finish(*position, *time_ms, path)?;
                Ok(Evaluated {
                    key: Key::from_slice(&[i64::from(position)]),
                    display: if text {
                        finish_text(position, time, *precision)
                    } else {
                        String::new()
                    },
                    detail: None,
                    cross_unit: time.map(|ms| ms as i64),
                    total_time_ms: None,
                })
            }
            (
                ScoringFormat::MassStart { precision },
                Self::SprintPoints {
                    points,
                    position,
                    time_ms,
                },
            ) => {
                let (position, time) = checked_finish(*position, *time_ms, path)?;
                if *points > 1_000 {
                    return Err(DomainError::invalid(
                        path.field("points").render(),
                        "must be at most 1000",
                    ));
                }
                // ISU: skaters with sprint points first, by points; equal points and skaters without
                // points by finish order.
                let scored = i64::from(*points > 0);
                Ok(Evaluated {
                    key: Key::from_slice(&[-scored, -i64::from(*points), i64::from(position)]),
                    display: if text {
                        if *points > 0 {
                            points.to_string()
                        } else {
                            finish_text(position, time, *precision)
                        }
                    } else {
                        String::new()
                    },
                    detail: (text && *points > 0).then(|| finish_text(position, time, *precision)),
                    cross_unit: None,
                    total_time_ms: None,
                })
            }
            (format, mark) => Err(DomainError::invalid(
                path.field("kind").render(),
                format!(
                    "a {} mark does not fit the {} format",
                    mark.kind(),
                    format.name()
                ),
            )),
        }
    }
}

/// Checks a finishing position and its optional time (kept to the millisecond: ranking goes by position,
/// and "q" by time compares what the feed sent).
fn checked_finish(
    position: u32,
    time_ms: Option<u64>,
    path: &Path<'_>,
) -> Result<(u32, Option<u64>), DomainError> {
    if position == 0 || position > 10_000 {
        return Err(DomainError::invalid(
            path.field("position").render(),
            "must be between 1 and 10000",
        ));
    }
    let time = match time_ms {
        Some(ms) => Some(checked_time(
            ms,
            TimePrecision::Thousandths,
            Rounding::Truncate,
            &path.field("time_ms"),
        )?),
        None => None,
    };
    Ok((position, time))
}

/// A finish as shown: the time cut to the precision the federation publishes (a definition without one
/// has had its discipline's filled in by [`ScoringFormat::with_published_precision`]), or the position.
fn finish_text(position: u32, time: Option<u64>, precision: Option<TimePrecision>) -> String {
    let precision = precision.unwrap_or(TimePrecision::Hundredths);
    time.map_or_else(
        || format!("#{position}"),
        |ms| format_time(round_time(ms, precision, Rounding::Truncate), precision),
    )
}

fn checked_time(
    ms: u64,
    precision: TimePrecision,
    rounding: Rounding,
    path: &Path<'_>,
) -> Result<u64, DomainError> {
    if ms == 0 || ms > MAX_TIME_MS {
        return Err(DomainError::invalid(
            path.render(),
            "must be between 1 ms and 24 hours",
        ));
    }
    Ok(round_time(ms, precision, rounding))
}

fn checked_points(points: f64, path: &Path<'_>) -> Result<i64, DomainError> {
    finite_in(points, -MAX_POINTS, MAX_POINTS, path)?;
    Ok(to_milli(points))
}

fn time_result(
    key: Key,
    total: u64,
    precision: TimePrecision,
    detail: Option<String>,
    text: bool,
) -> Evaluated {
    Evaluated {
        key,
        display: if text {
            format_time(total, precision)
        } else {
            String::new()
        },
        detail,
        cross_unit: Some(total as i64),
        total_time_ms: Some(total),
    }
}

fn points_result(
    value: i64,
    decimals: u8,
    detail: Option<String>,
    key: Key,
    text: bool,
) -> Evaluated {
    Evaluated {
        key,
        display: if text {
            format_points(value, decimals)
        } else {
            String::new()
        },
        detail,
        cross_unit: Some(-value),
        total_time_ms: None,
    }
}

fn best_of_runs(
    scores: &[Option<f64>],
    runs: u8,
    counting: u8,
    decimals: u8,
    tiebreak_next_best: bool,
    path: &Path<'_>,
    text: bool,
) -> Result<Evaluated, DomainError> {
    if scores.is_empty() || scores.len() > usize::from(runs) {
        return Err(DomainError::invalid(
            path.render(),
            format!("must hold 1 to {runs} run scores"),
        ));
    }
    let mut taken = Vec::with_capacity(scores.len());
    for (i, score) in scores.iter().enumerate() {
        if let Some(score) = score {
            finite_in(*score, 0.0, 1000.0, &path.index(i))?;
            taken.push(round_points(to_milli(*score), decimals));
        }
    }
    if taken.is_empty() {
        return Err(DomainError::invalid(
            path.render(),
            "at least one run needs a score (use an IRM otherwise)",
        ));
    }
    taken.sort_unstable_by(|a, b| b.cmp(a));
    let counted: i64 = taken.iter().take(usize::from(counting)).sum();
    let mut key = vec![-counted];
    if tiebreak_next_best {
        // Pad to a fixed length so keys of athletes with fewer runs compare correctly.
        key.extend(
            (usize::from(counting)..usize::from(runs)).map(|i| -taken.get(i).copied().unwrap_or(0)),
        );
    }
    let detail = text.then(|| {
        scores
            .iter()
            .map(|s| {
                s.map_or_else(
                    || "-".to_owned(),
                    |v| format_points(round_points(to_milli(v), decimals), decimals),
                )
            })
            .collect::<Vec<_>>()
            .join(" | ")
    });
    let key = if key.len() <= 3 {
        Key::from_slice(&key)
    } else {
        Key::Heap(key)
    };
    Ok(points_result(counted, decimals, detail, key, text))
}

fn jump_points(
    jump: &Jump,
    k_point_m: f64,
    meter_value: f64,
    base_points: f64,
    path: &Path<'_>,
) -> Result<i64, DomainError> {
    finite_in(jump.distance_m, 0.0, 300.0, &path.field("distance_m"))?;
    finite_in(jump.gate_points, -100.0, 100.0, &path.field("gate_points"))?;
    finite_in(jump.wind_points, -100.0, 100.0, &path.field("wind_points"))?;
    let judges_path = path.field("judges");
    let mut marks = Vec::with_capacity(jump.judges.len());
    for (i, mark) in jump.judges.iter().enumerate() {
        finite_in(*mark, 0.0, 20.0, &judges_path.index(i))?;
        marks.push(to_milli(*mark));
    }
    marks.sort_unstable();
    let style: i64 = match marks.len() {
        // Drop the highest and the lowest of five.
        5 => marks.iter().skip(1).take(3).sum(),
        3 => marks.iter().sum(),
        _ => {
            return Err(DomainError::invalid(
                judges_path.render(),
                "must hold 5 judges' marks (or the 3 counting ones)",
            ));
        }
    };
    let distance = to_milli(base_points + (jump.distance_m - k_point_m) * meter_value);
    let total = distance + style + to_milli(jump.gate_points) + to_milli(jump.wind_points);
    // Ski jumping publishes points to 0.1 per jump.
    Ok(round_points(total, 1))
}
