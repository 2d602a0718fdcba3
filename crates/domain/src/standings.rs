//! Round-robin standings: ice hockey (3/2/1/0 and the IIHF tie-breaks) and curling (wins, head-to-head, DSC).
//!
//! IIHF (Sports Regulations, ranking of teams in a group), for teams equal on points: (1) points, (2) goal
//! difference, (3) goals scored in the games among the tied teams; (4) the same three against the
//! best-placed team outside the tied group, (5) then against the next best-placed, and so on; (6) the
//! seeding (IIHF World Ranking) the event definition gives. Whenever a step separates some teams, the teams
//! still tied start again at step 1 among themselves; two teams still tied are so decided by the game
//! between them. "Best-placed" outside the tie is read from points, then overall goal difference and goals.

use std::collections::BTreeMap;

use crate::codes::{CompetitorId, Noc};
use crate::format::{HockeyPoints, RoundRobinRules};
use crate::game::{DecidedIn, GameResult};
use crate::leaderboard::{LeaderboardRow, TeamRecord};
use crate::ranking::{Class, RankInput, rank};

/// A team as the standings know it.
#[derive(Debug, Clone)]
struct Team {
    name: String,
    noc: Noc,
    record: TeamRecord,
}

/// The standings of the given games (finished games count; the others only list their teams).
/// `seeding` lists teams best first (IIHF's last tie-break); teams not in it come after those in it.
pub(crate) fn standings(
    games: &[&GameResult],
    rules: &RoundRobinRules,
    seeding: &[CompetitorId],
) -> Vec<LeaderboardRow> {
    let mut teams: BTreeMap<&CompetitorId, Team> = BTreeMap::new();
    for game in games {
        for side in [&game.home, &game.away] {
            let team = teams.entry(&side.competitor).or_insert_with(|| Team {
                name: side.name.clone(),
                noc: side.noc.clone(),
                record: TeamRecord::default(),
            });
            // The latest applied game carries the current DSC.
            if side.dsc_cm.is_some() {
                team.record.dsc_cm = side.dsc_cm;
            }
        }
    }
    let counted: Vec<&GameResult> = games.iter().copied().filter(|g| g.counts()).collect();
    let points = match rules {
        RoundRobinRules::IceHockey { points } => *points,
        RoundRobinRules::Curling => HockeyPoints {
            regulation_win: 1,
            overtime_win: 1,
            overtime_loss: 0,
            regulation_loss: 0,
        },
    };
    for game in &counted {
        for (side, scored, conceded) in [
            (&game.home, game.home_score, game.away_score),
            (&game.away, game.away_score, game.home_score),
        ] {
            if let Some(team) = teams.get_mut(&side.competitor) {
                apply_game(&mut team.record, game, scored, conceded, &points);
            }
        }
    }
    let ids: Vec<&CompetitorId> = teams.keys().copied().collect();
    let context = Context {
        games: &counted,
        teams: &teams,
        rules,
        points: &points,
        placed: placed_first(&ids, &teams),
        seeding,
    };
    let groups = order(&ids, &context);
    let mut position_of: BTreeMap<&CompetitorId, i64> = BTreeMap::new();
    for (position, group) in groups.iter().enumerate() {
        for id in group {
            position_of.insert(id, position as i64);
        }
    }
    let inputs: Vec<RankInput<'_>> = ids
        .iter()
        .map(|id| RankInput {
            class: Class::Valid(vec![position_of.get(id).copied().unwrap_or(i64::MAX)].into()),
            name: teams.get(id).map_or("", |t| t.name.as_str()),
            id: id.as_str(),
        })
        .collect();
    rank(&inputs)
        .iter()
        .filter_map(|p| {
            let id = *ids.get(p.index)?;
            let team = teams.get(id)?;
            let record = &team.record;
            let mark = match rules {
                RoundRobinRules::IceHockey { .. } => format!("{} pts", record.points),
                RoundRobinRules::Curling => format!("{}–{}", record.wins, record.losses),
            };
            Some(LeaderboardRow {
                rank: p.rank,
                rank_equal: p.rank_equal,
                sort_order: p.sort_order,
                competitor: id.clone(),
                name: team.name.clone(),
                noc: team.noc.clone(),
                mark: Some(mark),
                detail: Some(format!("{}:{}", record.goals_for, record.goals_against)),
                behind: None,
                irm: None,
                medal: None,
                qualification: None,
                record: Some(record.clone()),
            })
        })
        .collect()
}

fn apply_game(
    record: &mut TeamRecord,
    game: &GameResult,
    scored: u32,
    conceded: u32,
    points: &HockeyPoints,
) {
    let extra = matches!(game.decided_in, DecidedIn::Overtime | DecidedIn::Shootout);
    record.played += 1;
    record.goals_for += scored;
    record.goals_against += conceded;
    if scored > conceded {
        if extra {
            record.overtime_wins += 1;
            record.points += points.overtime_win;
        } else {
            record.wins += 1;
            record.points += points.regulation_win;
        }
    } else if extra {
        record.overtime_losses += 1;
        record.points += points.overtime_loss;
    } else {
        record.losses += 1;
        record.points += points.regulation_loss;
    }
}

/// Per-team totals over a set of games, for the main table and for mini-tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Tally {
    points: u32,
    goal_difference: i64,
    goals_for: u32,
}

fn tally(
    team: &CompetitorId,
    games: &[&GameResult],
    among: &[&CompetitorId],
    points: &HockeyPoints,
) -> Tally {
    let mut out = Tally::default();
    for game in games {
        let (other, scored, conceded) = if &game.home.competitor == team {
            (&game.away, game.home_score, game.away_score)
        } else if &game.away.competitor == team {
            (&game.home, game.away_score, game.home_score)
        } else {
            continue;
        };
        if !among.contains(&&other.competitor) {
            continue;
        }
        let mut record = TeamRecord::default();
        apply_game(&mut record, game, scored, conceded, points);
        out.points += record.points;
        out.goal_difference += i64::from(scored) - i64::from(conceded);
        out.goals_for += scored;
    }
    out
}

/// What breaking ties needs besides the tied teams.
struct Context<'a, 'g> {
    games: &'a [&'g GameResult],
    teams: &'a BTreeMap<&'g CompetitorId, Team>,
    rules: &'a RoundRobinRules,
    points: &'a HockeyPoints,
    /// Every team, best-placed first (points, overall goal difference, goals): whom steps 4 and 5 ask
    /// about first.
    placed: Vec<&'g CompetitorId>,
    seeding: &'a [CompetitorId],
}

/// Every team, best-placed first by points, then overall goal difference and goals, then code.
fn placed_first<'g>(
    ids: &[&'g CompetitorId],
    teams: &BTreeMap<&'g CompetitorId, Team>,
) -> Vec<&'g CompetitorId> {
    let mut placed = ids.to_vec();
    placed.sort_by_key(|id| {
        let record = teams.get(id).map(|t| &t.record);
        let (points, goals_for, goals_against) =
            record.map_or((0, 0, 0), |r| (r.points, r.goals_for, r.goals_against));
        (
            std::cmp::Reverse(points),
            std::cmp::Reverse(i64::from(goals_for) - i64::from(goals_against)),
            std::cmp::Reverse(goals_for),
            *id,
        )
    });
    placed
}

/// Orders the teams into groups that are still tied after every tie-break (best group first).
fn order<'g>(ids: &[&'g CompetitorId], context: &Context<'_, 'g>) -> Vec<Vec<&'g CompetitorId>> {
    // The main table: points (hockey) or wins (curling, one point per win).
    let main = split_by(ids, |id| {
        -context
            .teams
            .get(id)
            .map_or(0, |t| i64::from(t.record.points))
    });
    let mut out = Vec::new();
    for group in main {
        out.extend(resolve(group, context));
    }
    out
}

/// Breaks a tie among `group` (equal on points): the mini-table among them, re-applied to any smaller
/// tie; when it separates nobody, the rule's next steps decide.
fn resolve<'g>(
    group: Vec<&'g CompetitorId>,
    context: &Context<'_, 'g>,
) -> Vec<Vec<&'g CompetitorId>> {
    if group.len() < 2 {
        return vec![group];
    }
    let mini = |id: &&CompetitorId| -> Vec<i64> {
        let t = tally(id, context.games, &group, context.points);
        match context.rules {
            // IIHF steps 1–3: points, goal difference, then goals in the games among the tied teams.
            RoundRobinRules::IceHockey { .. } => vec![
                -i64::from(t.points),
                -t.goal_difference,
                -i64::from(t.goals_for),
            ],
            // WCF: the record in the games among the tied teams.
            RoundRobinRules::Curling => vec![-i64::from(t.points)],
        }
    };
    if let Some(split) = separated(&group, mini, context) {
        return split;
    }
    match context.rules {
        RoundRobinRules::IceHockey { .. } => {
            // Steps 4 and 5: the results against each team outside the tie, best-placed first.
            for outside in context.placed.iter().filter(|id| !group.contains(id)) {
                let against = |id: &&CompetitorId| -> Vec<i64> {
                    let t = tally(id, context.games, &[*outside], context.points);
                    vec![
                        -i64::from(t.points),
                        -t.goal_difference,
                        -i64::from(t.goals_for),
                    ]
                };
                if let Some(split) = separated(&group, against, context) {
                    return split;
                }
            }
            // Step 6: the seeding; unseeded teams after the seeded ones, and tied among themselves.
            split_by(&group, |id| {
                context
                    .seeding
                    .iter()
                    .position(|seeded| seeded == *id)
                    .unwrap_or(usize::MAX)
            })
        }
        // Draw-shot challenge, lower is better; a team without one ranks after those with one.
        RoundRobinRules::Curling => split_by(&group, |id| {
            let dsc = context.teams.get(id).and_then(|t| t.record.dsc_cm);
            dsc.map_or(i64::MAX, |cm| (cm * 100.0).round() as i64)
        }),
    }
}

/// When `key` separates some of `group`, the resolved order of its parts (each still-tied part starting
/// again at step 1); `None` when everyone is still equal.
fn separated<'g, K: Ord>(
    group: &[&'g CompetitorId],
    key: impl Fn(&&'g CompetitorId) -> K,
    context: &Context<'_, 'g>,
) -> Option<Vec<Vec<&'g CompetitorId>>> {
    let parts = split_by(group, key);
    (parts.len() > 1).then(|| {
        parts
            .into_iter()
            .flat_map(|part| resolve(part, context))
            .collect()
    })
}

/// Splits ids into groups of equal key, best (lowest) key first.
fn split_by<'a, K: Ord>(
    ids: &[&'a CompetitorId],
    key: impl Fn(&&'a CompetitorId) -> K,
) -> Vec<Vec<&'a CompetitorId>> {
    let mut keyed: Vec<(K, &'a CompetitorId)> = ids.iter().map(|id| (key(id), *id)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let mut groups: Vec<Vec<&'a CompetitorId>> = Vec::new();
    let mut last: Option<K> = None;
    for (k, id) in keyed {
        match (&last, groups.last_mut()) {
            (Some(previous), Some(group)) if *previous == k => group.push(id),
            _ => groups.push(vec![id]),
        }
        last = Some(k);
    }
    groups
}
