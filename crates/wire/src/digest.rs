//! What an event object tells the standings object about itself: its catalogue listing, its medals and
//! who is entered with where they placed, the body of
//! [`StandingsRoute::Digest`](crate::api::StandingsRoute::Digest).
//!
//! Fields added after the first version are serde-defaulted, so a digest from an event object that does
//! not send them yet still reads (with nothing in them).

use domain::EventMedals;
use domain::{
    CompetitorId, CompetitorKind, DecidedIn, Discipline, EventCode, EventDefinition, EventState,
    Gender, Irm, LeaderboardQuery, LogicalDay, Noc, Qualification, ResultStatus, ScheduledUnit,
    ScoringFormat, Sport, TeamMember, UnitCode, Venue,
};
use serde::{Deserialize, Serialize};

/// Where an event stands, for the events list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// No results yet.
    Scheduled,
    /// Results are coming in; the medal unit is not OFFICIAL.
    Live,
    /// The medal unit is OFFICIAL (a later correction keeps it here).
    Finished,
}

impl Progress {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "scheduled" => Some(Self::Scheduled),
            "live" => Some(Self::Live),
            "finished" => Some(Self::Finished),
            _ => None,
        }
    }
}

/// One line of the events list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventListing {
    pub code: EventCode,
    pub name: String,
    pub sport: Sport,
    pub discipline: Discipline,
    pub gender: Gender,
    pub progress: Progress,
    pub medal_unit: UnitCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<Venue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<ScheduledUnit>,
    pub event_version: u64,
    /// Every unit of the event, in definition order, with what fans call it and its own status.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitLine>,
}

/// One unit as readers see it: its name from the definition, its own status once it has results (a start
/// list included), and for a game its teams (once known: from its result or the bracket) and score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitLine {
    pub unit: UnitCode,
    /// "Final", "Run 2", "Group A · SWE v FIN".
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ResultStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<GameTeam>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub away: Option<GameTeam>,
    /// How a game with a result was decided (`OVERTIME`, `SHOOTOUT`, `EXTRA_END` or `REGULATION`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_in: Option<DecidedIn>,
}

/// A team in a game line; `score` once the game has a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameTeam {
    pub competitor: CompetitorId,
    pub name: String,
    pub noc: Noc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
}

impl UnitLine {
    /// Every unit of `state`'s event, in definition order, each round-robin phase's standings after its
    /// games (named "Group A standings", with the standings' status).
    pub fn all(state: &EventState) -> Vec<UnitLine> {
        let definition = state.definition();
        let bracket = state.bracket();
        let mut lines = Vec::new();
        for phase in &definition.phases {
            for unit in &phase.units {
                lines.push(Self::of_unit(state, unit, &bracket));
            }
            let round_robin = matches!(
                phase.format.as_ref().unwrap_or(&definition.format),
                ScoringFormat::RoundRobin { .. }
            );
            if round_robin {
                let query = LeaderboardQuery {
                    unit: Some(phase.code.clone()),
                    limit: Some(1),
                    ..LeaderboardQuery::default()
                };
                let status = state
                    .leaderboard(&query)
                    .ok()
                    .map(|page| page.status)
                    .filter(|status| *status != ResultStatus::StartList);
                lines.push(UnitLine {
                    unit: phase.code.clone(),
                    name: format!("{} standings", phase.name),
                    status,
                    home: None,
                    away: None,
                    decided_in: None,
                });
            }
        }
        lines
    }

    fn of_unit(state: &EventState, unit: &UnitCode, bracket: &[domain::BracketLine]) -> UnitLine {
        let held = state.unit(unit);
        let game = held.and_then(domain::UnitResults::game);
        let team = |side: &domain::GameSide, score: u32| GameTeam {
            competitor: side.competitor.clone(),
            name: side.name.clone(),
            noc: side.noc.clone(),
            score: Some(score),
        };
        let (home, away) = match (game, bracket.iter().find(|line| &line.unit == unit)) {
            (Some(game), _) => (
                Some(team(&game.home, game.home_score)),
                Some(team(&game.away, game.away_score)),
            ),
            (None, Some(line)) => (decided(&line.home), decided(&line.away)),
            (None, None) => (None, None),
        };
        let nocs = home
            .as_ref()
            .zip(away.as_ref())
            .map(|(h, a)| (&h.noc, &a.noc));
        UnitLine {
            unit: unit.clone(),
            name: domain::unit_name(state.definition(), unit, nocs)
                .unwrap_or_else(|| unit.to_string()),
            status: held.map(domain::UnitResults::status),
            decided_in: game.map(|g| g.decided_in),
            home,
            away,
        }
    }
}

/// A bracket side's team once it is decided.
fn decided(side: &domain::BracketSide) -> Option<GameTeam> {
    Some(GameTeam {
        competitor: side.competitor.clone()?,
        name: side.name.clone()?,
        noc: side.noc.clone()?,
        score: None,
    })
}

impl EventListing {
    pub fn of(state: &EventState) -> Self {
        let definition = state.definition();
        let medal_status = state.unit(&definition.medal_unit).map(|u| u.status());
        let progress = match medal_status {
            Some(ResultStatus::Official) => Progress::Finished,
            _ if state.units().next().is_some() => Progress::Live,
            _ => Progress::Scheduled,
        };
        EventListing {
            code: definition.code.clone(),
            name: definition.name.clone(),
            sport: definition.sport(),
            discipline: definition.discipline(),
            gender: definition.gender(),
            progress,
            medal_unit: definition.medal_unit.clone(),
            venue: definition.venue.clone(),
            schedule: definition.schedule.clone(),
            event_version: state.version(),
            units: UnitLine::all(state),
        }
    }

    pub fn runs_on(&self, day: &LogicalDay) -> bool {
        self.schedule.iter().any(|unit| &unit.day == day)
    }
}

/// The message an event object sends to the standings object when its listing or medals change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDigest {
    pub listing: EventListing,
    pub medals: EventMedals,
    /// Who is entered, and where each placed in every unit they appear in (at most [`MAX_ENTRIES`]
    /// competitors and [`MAX_PLACEMENTS`] placements in all, so a digest stays small).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<Entry>,
}

/// A competitor entered in an event: from the definition's participants, and anyone its results name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub competitor: CompetitorId,
    pub name: String,
    pub noc: Noc,
    #[serde(default)]
    pub kind: CompetitorKind,
    /// A team's athletes, so each athlete's page lists the team's results.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<TeamMember>,
    /// Where the competitor stands in each unit (and round-robin group) they appear in, start lists
    /// included, in definition order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<Placement>,
}

/// A competitor's line in one unit, or in a round-robin phase's standings (`unit` is then the phase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub unit: UnitCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irm: Option<Irm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<Qualification>,
}

/// The most competitors a digest lists: every Winter event's field fits (the largest, about 110).
pub const MAX_ENTRIES: usize = 400;
/// The most placements a digest carries in all; past it, later units are left out.
pub const MAX_PLACEMENTS: usize = 4_000;

impl EventDigest {
    pub fn of(state: &EventState) -> Self {
        EventDigest {
            listing: EventListing::of(state),
            medals: EventMedals {
                event: state.definition().code.clone(),
                event_version: state.version(),
                awards: state.medals(),
            },
            entries: Entry::all(state),
        }
    }
}

impl Entry {
    /// The event's entries, bounded by [`MAX_ENTRIES`] and [`MAX_PLACEMENTS`].
    pub fn all(state: &EventState) -> Vec<Entry> {
        let definition = state.definition();
        let mut entries: Vec<Entry> = definition
            .participants
            .iter()
            .take(MAX_ENTRIES)
            .map(|p| Entry {
                competitor: p.id.clone(),
                name: p.name.clone(),
                noc: p.noc.clone(),
                kind: p.kind,
                members: p.members.clone(),
                results: Vec::new(),
            })
            .collect();
        let mut placements = 0;
        for (unit, rows, games) in ranked_units(state, definition) {
            for row in rows {
                let index = match entries.iter().position(|e| e.competitor == row.competitor) {
                    Some(index) => index,
                    None if entries.len() < MAX_ENTRIES => {
                        entries.push(Entry {
                            competitor: row.competitor.clone(),
                            name: row.name.clone(),
                            noc: row.noc.clone(),
                            // Not in the definition: a side of a game is a team.
                            kind: if games {
                                CompetitorKind::Team
                            } else {
                                CompetitorKind::Athlete
                            },
                            members: Vec::new(),
                            results: Vec::new(),
                        });
                        entries.len() - 1
                    }
                    None => continue,
                };
                if placements >= MAX_PLACEMENTS {
                    return entries;
                }
                placements += 1;
                if let Some(entry) = entries.get_mut(index) {
                    entry.results.push(Placement {
                        unit: unit.clone(),
                        rank: row.rank,
                        mark: row.mark,
                        irm: row.irm,
                        qualification: row.qualification,
                    });
                }
            }
        }
        entries
    }
}

/// Each unit with results and each round-robin phase, in definition order, with its rows and whether
/// they are teams in games.
fn ranked_units(
    state: &EventState,
    definition: &EventDefinition,
) -> Vec<(UnitCode, Vec<domain::LeaderboardRow>, bool)> {
    let mut out = Vec::new();
    for phase in &definition.phases {
        let round_robin = matches!(
            phase.format.as_ref().unwrap_or(&definition.format),
            ScoringFormat::RoundRobin { .. }
        );
        for unit in &phase.units {
            if let Some(held) = state.unit(unit) {
                out.push((
                    unit.clone(),
                    held.rows().cloned().collect(),
                    held.game().is_some(),
                ));
            }
        }
        if round_robin {
            let query = LeaderboardQuery {
                unit: Some(phase.code.clone()),
                limit: Some(500),
                ..LeaderboardQuery::default()
            };
            if let Ok(page) = state.leaderboard(&query)
                && page.status != ResultStatus::StartList
            {
                out.push((phase.code.clone(), page.rows, true));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{ApplyContext, GameResult};

    /// A group of an ice hockey tournament, with one game played in a shoot-out and one to come.
    fn hockey() -> EventState {
        let definition: EventDefinition = serde_json::from_value(serde_json::json!({
            "code": "IHOWTOURNAMENT", "name": "Women's Tournament",
            "format": { "type": "knockout", "sport_rules": "ice_hockey" },
            "phases": [
                { "code": "GRPA", "name": "Group A", "units": ["GRPA-G01", "GRPA-G02"],
                  "format": { "type": "round_robin", "rules": { "sport": "ice_hockey" } } },
                { "code": "GOLD", "name": "Gold Medal Game", "units": ["GOLD-G01"] }
            ],
            "medal_unit": "GOLD-G01"
        }))
        .unwrap();
        let mut state = EventState::try_new(definition).unwrap();
        let game: GameResult = serde_json::from_value(serde_json::json!({
            "message_id": "g1", "unit": "GRPA-G01", "version": 1, "status": "OFFICIAL",
            "home": { "competitor": "CAN", "name": "Canada", "noc": "CAN" },
            "away": { "competitor": "USA", "name": "United States", "noc": "USA" },
            "home_score": 3, "away_score": 2, "decided_in": "SHOOTOUT"
        }))
        .unwrap();
        let ctx = ApplyContext {
            feed: "test".into(),
            received_at_ms: 1,
        };
        state.apply_game(game, &ctx).unwrap();
        state
    }

    #[test]
    fn unit_lines_name_games_by_their_teams_with_score_and_own_status() {
        let lines: Vec<String> = UnitLine::all(&hockey())
            .iter()
            .map(|l| {
                let score = l
                    .home
                    .as_ref()
                    .zip(l.away.as_ref())
                    .map(|(h, a)| format!(" {:?}-{:?}", h.score, a.score))
                    .unwrap_or_default();
                format!(
                    "{}: {}{score} {:?} {:?}",
                    l.unit, l.name, l.status, l.decided_in
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                "GRPA-G01: Group A · CAN v USA Some(3)-Some(2) Some(Official) Some(Shootout)",
                "GRPA-G02: Group A · Game 2 None None",
                "GRPA: Group A standings Some(Intermediate) None",
                "GOLD-G01: Gold Medal Game None None",
            ]
        );
    }

    #[test]
    fn entries_from_games_are_teams_placed_in_the_game_and_the_group() {
        let entries = Entry::all(&hockey());
        let lines: Vec<String> = entries
            .iter()
            .map(|e| {
                let places: Vec<String> = e
                    .results
                    .iter()
                    .map(|p| format!("{}={:?}", p.unit, p.rank))
                    .collect();
                format!("{} {:?} {}", e.competitor, e.kind, places.join(" "))
            })
            .collect();
        assert_eq!(
            lines,
            [
                "CAN Team GRPA-G01=Some(1) GRPA=Some(1)",
                "USA Team GRPA-G01=Some(2) GRPA=Some(2)"
            ]
        );
    }
}
