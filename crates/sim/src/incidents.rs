//! The incidents every simulated Games contains, so that every consumer path is exercised on each run:
//! a tie at a medal position, a correction of an OFFICIAL result with a note, and a disqualification
//! after OFFICIAL that moves the medals. Which events carry them is in
//! [`programme::incidents`](crate::programme::incidents). Tournaments report their bracket too, so tests can
//! follow the semi-final winners into the gold medal game.

use serde::{Deserialize, Serialize};

use domain::{CompetitorId, Irm, Mark, Medal, ResultStatus, UnitCode};

use crate::SimError;
use crate::perform::{Adjust, Part, Performance};
use crate::programme::{EventSpec, Plan, incidents};
use crate::script::Script;

const HOUR: u64 = 3_600_000;

/// Something a test can look for in a played Games.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Feature {
    /// Competitors sharing a medal (and the medal below it not awarded).
    TieAtMedal {
        event: String,
        unit: UnitCode,
        medal: Medal,
        competitors: Vec<CompetitorId>,
    },
    /// An OFFICIAL result corrected with a note.
    Correction {
        event: String,
        unit: UnitCode,
        competitor: CompetitorId,
        note: String,
    },
    /// A medallist disqualified after OFFICIAL.
    LateDisqualification {
        event: String,
        unit: UnitCode,
        competitor: CompetitorId,
        note: String,
        /// (medal, competitor) before and after.
        before: Vec<(Medal, CompetitorId)>,
        after: Vec<(Medal, CompetitorId)>,
    },
    /// A tournament's play-off games.
    Bracket {
        event: String,
        semifinals: Vec<UnitCode>,
        gold: UnitCode,
        bronze: UnitCode,
    },
}

/// The hook that makes the third-fastest time equal to the second: two silvers, no bronze.
pub fn tie_hook(code: &str) -> Option<Box<Adjust<'static>>> {
    if code != incidents::TIE_AT_SILVER {
        return None;
    }
    Some(Box::new(
        |pass: usize, performances: &mut [(usize, Performance)]| {
            if pass != 0 {
                return;
            }
            // A downhill always has a racer who did not start and one who did not finish, so every Games
            // shows both IRMs: the last starters, who are not among the favourites.
            let count = performances.len();
            for (offset, irm) in [(1, Irm::Dns), (2, Irm::Dnf)] {
                if !performances.iter().any(|(_, p)| p.result == Err(irm))
                    && let Some((_, perf)) = count
                        .checked_sub(offset)
                        .and_then(|i| performances.get_mut(i))
                {
                    perf.result = Err(irm);
                }
            }
            let mut times: Vec<(u64, usize)> = performances
                .iter()
                .enumerate()
                .filter_map(|(i, (_, perf))| match perf.result {
                    Ok(Part::Time(ms)) => Some((ms, i)),
                    _ => None,
                })
                .collect();
            times.sort_unstable();
            let (Some(&(best, first)), Some(&(second_time, _)), Some(&(_, third))) =
                (times.first(), times.get(1), times.get(2))
            else {
                return;
            };
            // Published to the hundredth: the same time to the millisecond is a tie; the winner stays clear.
            let second_time = second_time / 10 * 10;
            if let Some((_, perf)) = performances.get_mut(third) {
                perf.result = Ok(Part::Time(second_time));
                perf.takes_ms = second_time;
            }
            if best / 10 * 10 >= second_time
                && let Some((_, perf)) = performances.get_mut(first)
            {
                perf.result = Ok(Part::Time(second_time.saturating_sub(120)));
            }
            let second = times.get(1).map(|t| t.1);
            if let Some((_, perf)) = second.and_then(|i| performances.get_mut(i)) {
                perf.result = Ok(Part::Time(second_time));
            }
        },
    ))
}

/// Adds the event's scripted incident after it has been played, and reports what tests look for.
pub fn apply(spec: &EventSpec, mut script: Script) -> Result<(Script, Vec<Feature>), SimError> {
    let mut features = Vec::new();
    let definition = script.state().definition().clone();
    let medal_unit = definition.medal_unit.clone();
    let missing = |what: &str| SimError::Missing {
        event: spec.code.into(),
        what: what.into(),
    };
    match spec.code {
        incidents::TIE_AT_SILVER => {
            let tied: Vec<CompetitorId> = script
                .ranking(&medal_unit)?
                .into_iter()
                .filter(|r| r.rank == Some(2))
                .map(|r| r.competitor)
                .collect();
            if tied.len() < 2 {
                return Err(missing("the scripted tie for silver did not happen"));
            }
            features.push(Feature::TieAtMedal {
                event: spec.code.into(),
                unit: medal_unit.clone(),
                medal: Medal::Silver,
                competitors: tied,
            });
        }
        incidents::CORRECTION => {
            let (competitor, note) = correct_a_penalty(&mut script, &medal_unit)?;
            features.push(Feature::Correction {
                event: spec.code.into(),
                unit: medal_unit.clone(),
                competitor,
                note,
            });
        }
        incidents::LATE_DISQUALIFICATION => {
            let before = medal_list(&script);
            let gold = script
                .state()
                .medals()
                .into_iter()
                .find(|m| m.medal == Medal::Gold)
                .ok_or_else(|| missing("no gold medallist to disqualify"))?;
            let note = format!(
                "Equipment control after the competition: {} ({}) disqualified for a suit that did not meet the specifications; results and medals revised.",
                gold.name, gold.noc
            );
            let mut entries = unit_entries(&script, &medal_unit)?;
            for entry in entries
                .iter_mut()
                .filter(|e| e.competitor == gold.competitor)
            {
                entry.irm = Some(Irm::Dsq);
            }
            let at = script.now() + 3 * HOUR;
            script.results(
                at,
                &medal_unit,
                ResultStatus::Official,
                entries,
                Some(note.clone()),
            )?;
            let after = medal_list(&script);
            if after == before {
                return Err(missing("the late disqualification did not move the medals"));
            }
            features.push(Feature::LateDisqualification {
                event: spec.code.into(),
                unit: medal_unit.clone(),
                competitor: gold.competitor,
                note,
                before,
                after,
            });
        }
        _ => {}
    }
    if let Plan::Tournament(_) = spec.plan {
        let semifinals = definition
            .phases
            .iter()
            .find(|p| p.code.as_str() == "SFNL")
            .map(|p| p.units.clone())
            .ok_or_else(|| missing("a tournament without semi-finals"))?;
        features.push(Feature::Bracket {
            event: spec.code.into(),
            semifinals,
            gold: medal_unit,
            bronze: definition
                .bronze_unit
                .clone()
                .ok_or_else(|| missing("a tournament without a bronze game"))?,
        });
    }
    Ok((script, features))
}

fn medal_list(script: &Script) -> Vec<(Medal, CompetitorId)> {
    script
        .state()
        .medals()
        .into_iter()
        .map(|m| (m.medal, m.competitor))
        .collect()
}

fn unit_entries(script: &Script, unit: &UnitCode) -> Result<Vec<domain::ResultEntry>, SimError> {
    Ok(script
        .state()
        .unit(unit)
        .ok_or_else(|| SimError::Missing {
            event: script.code().to_string(),
            what: format!("{unit} has no results to correct"),
        })?
        .entries()
        .to_vec())
}

/// A target re-check credits one more hit to a competitor outside the medals, who stays outside them:
/// a correction of an OFFICIAL result that needs a note but moves no medal.
fn correct_a_penalty(
    script: &mut Script,
    unit: &UnitCode,
) -> Result<(CompetitorId, String), SimError> {
    let entries = unit_entries(script, unit)?;
    let ranking = script.ranking(unit)?;
    let total = |id: &CompetitorId| {
        entries
            .iter()
            .find(|e| &e.competitor == id)
            .and_then(|e| match &e.mark {
                Some(Mark::TimePenalties { time_ms, penalties }) if e.irm.is_none() => Some((
                    time_ms / 100 * 100 + u64::from(*penalties) * 60_000,
                    *penalties,
                )),
                _ => None,
            })
    };
    let bronze = ranking
        .iter()
        .find(|r| r.rank == Some(3))
        .and_then(|r| total(&r.competitor))
        .map(|t| t.0)
        .ok_or_else(|| SimError::Missing {
            event: script.code().to_string(),
            what: "no bronze medallist in the individual".into(),
        })?;
    let chosen = ranking
        .iter()
        .filter(|r| r.rank.is_some_and(|rank| rank >= 6))
        .find(|r| total(&r.competitor).is_some_and(|(t, p)| p >= 1 && t - 60_000 > bronze))
        .map(|r| r.competitor.clone())
        .ok_or_else(|| SimError::Missing {
            event: script.code().to_string(),
            what: "nobody to correct in the individual".into(),
        })?;
    let mut corrected = entries;
    let mut note = String::new();
    for entry in corrected.iter_mut().filter(|e| e.competitor == chosen) {
        if let Some(Mark::TimePenalties { penalties, .. }) = &mut entry.mark {
            note = format!(
                "Jury decision after a target re-check at the second prone stage: {} ({}) is credited with one more hit; penalties {} -> {}.",
                entry.name,
                entry.noc,
                *penalties,
                *penalties - 1
            );
            *penalties -= 1;
        }
    }
    let at = script.now() + 2 * HOUR;
    script.results(
        at,
        unit,
        ResultStatus::Official,
        corrected,
        Some(note.clone()),
    )?;
    Ok((chosen, note))
}
