//! Plays one event from its programme entry: draws its entries, hands it to the module of its format,
//! then adds the scripted incident the event carries, if any.

use std::collections::BTreeMap;

use domain::EventState;

use crate::SimError;
use crate::calendar::Date;
use crate::entries::{self, Entry, IndividualCall, Roster, TeamCall};
use crate::incidents::{self, Feature};
use crate::programme::{EventSpec, Plan, Who};
use crate::timeline::Scheduled;
use crate::{bracket, judged, race, tournament};
use rng::Rng;

const MINUTE: u64 = 60_000;

/// What playing an event needs besides its programme entry.
pub struct Ctx<'a> {
    pub seed: u64,
    pub roster: &'a Roster,
    /// Events already played (a pursuit reads its sprint).
    pub done: &'a BTreeMap<String, EventState>,
    /// When the definitions are sent, before the first competition.
    pub published_at: u64,
}

/// An event, played.
#[derive(Debug)]
pub struct Played {
    pub items: Vec<Scheduled>,
    pub state: EventState,
    pub features: Vec<Feature>,
}

/// The UTC start of a plan's session `k`.
pub fn session(spec: &EventSpec, k: usize) -> Result<u64, SimError> {
    spec.sessions
        .get(k)
        .map(|(day, hour, minute)| Date::feb(*day).at(*hour, *minute))
        .ok_or_else(|| SimError::Missing {
            event: spec.code.into(),
            what: format!("session {k} is not in the programme"),
        })
}

/// Start lists are published half an hour before the start.
pub fn start_list_time(start: u64) -> u64 {
    start.saturating_sub(30 * MINUTE)
}

/// Plays one event.
pub fn play(spec: &EventSpec, ctx: &Ctx<'_>) -> Result<Played, SimError> {
    let mut rng = Rng::stream(ctx.seed, spec.code);
    let discipline = spec.discipline().ok_or_else(|| SimError::Data {
        what: spec.code.into(),
        reason: "no discipline".into(),
    })?;
    let draw = |who: &Who| -> Result<Vec<Entry>, SimError> {
        match *who {
            Who::Individual {
                sex,
                squad,
                family,
                field,
                max_per_noc,
            } => entries::individuals(
                ctx.roster,
                IndividualCall {
                    discipline,
                    sex,
                    squad,
                    family,
                    field,
                    max_per_noc,
                },
            ),
            Who::Team {
                crew,
                squad,
                family,
                field,
                max_per_noc,
                by_members,
            } => {
                let mut teams = entries::teams(
                    ctx.roster,
                    TeamCall {
                        event: spec.code,
                        discipline,
                        squad,
                        family,
                        crew,
                        field,
                        max_per_noc,
                        only: &[],
                    },
                )?;
                if by_members {
                    for team in &mut teams {
                        team.name = couple_name(team);
                    }
                }
                Ok(teams)
            }
        }
    };
    let script = match &spec.plan {
        Plan::Timed {
            who,
            precision,
            pace,
            interval_s,
            pairs,
            penalty_ms,
        } => race::timed(
            spec,
            ctx,
            &draw(who)?,
            *precision,
            *pace,
            *interval_s,
            *pairs,
            *penalty_ms,
            &mut rng,
        )?,
        Plan::Runs {
            who,
            precision,
            paces,
            interval_s,
            cut,
            dnf_rate,
        } => race::runs(
            spec,
            ctx,
            &draw(who)?,
            *precision,
            paces,
            *interval_s,
            *cut,
            *dnf_rate,
            &mut rng,
        )?,
        Plan::FinishOrder { who, pace, chase } => {
            // A pursuit's field is its sprint's: the same athletes, who start if they finished well enough.
            let entries = match chase {
                Some(chase) => chase_entries(spec, ctx, chase.from, &draw(who)?)?,
                None => draw(who)?,
            };
            race::finish_order(spec, ctx, &entries, *pace, *chase, &mut rng)?
        }
        Plan::Bracket {
            who,
            qualification,
            rounds,
            finals,
            race,
            pace,
        } => bracket::play(
            spec,
            ctx,
            &draw(who)?,
            bracket::Shape {
                qualification: *qualification,
                rounds,
                finals: *finals,
                race: *race,
                pace: *pace,
            },
            &mut rng,
        )?,
        Plan::Judged {
            who,
            judging,
            qualification,
            final_round,
        } => judged::judged(
            spec,
            ctx,
            &draw(who)?,
            *judging,
            *qualification,
            *final_round,
            &mut rng,
        )?,
        Plan::Jumping { who, hill } => judged::jumping(spec, ctx, &draw(who)?, *hill, &mut rng)?,
        Plan::TeamJumping {
            who,
            hill,
            rounds,
            cut,
        } => judged::team_jumping(spec, ctx, &draw(who)?, *hill, *rounds, *cut, &mut rng)?,
        Plan::Skating { who, kind, cut } => {
            judged::skating(spec, ctx, &draw(who)?, *kind, *cut, &mut rng)?
        }
        Plan::SkatingTeam { who } => judged::skating_team(spec, ctx, &draw(who)?, &mut rng)?,
        Plan::PointsRace {
            who,
            pace,
            finalists_per_semi,
        } => race::points_race(spec, ctx, &draw(who)?, *pace, *finalists_per_semi, &mut rng)?,
        Plan::Gundersen {
            who,
            hill,
            pace,
            ms_per_point,
        } => judged::gundersen(
            spec,
            ctx,
            &draw(who)?,
            *hill,
            *pace,
            *ms_per_point,
            &mut rng,
        )?,
        Plan::Tournament(shape) => tournament::play(spec, ctx, shape, discipline, &mut rng)?,
    };
    let (script, features) = incidents::apply(spec, script)?;
    let (items, state) = script.finish();
    Ok(Played {
        items,
        state,
        features,
    })
}

/// The entries of a chase: the source event's participants (so ids and NOCs match), with this event's form.
fn chase_entries(
    spec: &EventSpec,
    ctx: &Ctx<'_>,
    from: &str,
    own: &[Entry],
) -> Result<Vec<Entry>, SimError> {
    let source = ctx.done.get(from).ok_or_else(|| SimError::Missing {
        event: spec.code.into(),
        what: format!("{from} must be played before this pursuit"),
    })?;
    Ok(source
        .definition()
        .participants
        .iter()
        .map(|p| Entry {
            id: p.id.clone(),
            name: p.name.clone(),
            noc: p.noc.clone(),
            kind: p.kind,
            members: p.members.clone(),
            skill: own.iter().find(|e| e.id == p.id).map_or(0.4, |e| e.skill),
        })
        .collect())
}

/// Couples and luge doubles are named after their members: `Anna Huber / Lena Moser`.
fn couple_name(team: &Entry) -> String {
    let names: Vec<&str> = team.members.iter().map(|m| m.name.as_str()).collect();
    if names.is_empty() {
        team.name.clone()
    } else {
        names.join(" / ")
    }
}
