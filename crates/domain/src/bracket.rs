//! Knockout brackets: a game says where its teams come from (the winner or loser of an earlier game, or
//! a place in a round-robin group), so who plays is derived from results rather than configured, a posted
//! game is checked against it, and readers can be shown the bracket as it stands.

use serde::{Deserialize, Serialize};

use crate::catalog::EventDefinition;
use crate::codes::{CompetitorId, Noc, UnitCode};
use crate::error::{DomainError, at, idx};
use crate::format::ScoringFormat;
use crate::game::{GameResult, GameSide, Outcome};

/// One knockout game of the bracket and where its two teams come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BracketGame {
    /// A knockout game unit.
    pub unit: UnitCode,
    pub home: Feeder,
    pub away: Feeder,
}

/// Where a team in a bracket game comes from. JSON: `{"winner":"QFNL-G01"}`, `{"loser":"SFNL-G02"}`,
/// `{"standing":{"phase":"GRPA","rank":1}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Feeder {
    /// The winner of an earlier game (the winner moves on).
    Winner(UnitCode),
    /// The loser of an earlier game (a bronze-medal game).
    Loser(UnitCode),
    /// The team at `rank` in a round-robin phase's final standings.
    Standing { phase: UnitCode, rank: u32 },
}

/// A bracket game as it stands: each side's origin and, once decided, its team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BracketLine {
    pub unit: UnitCode,
    pub home: BracketSide,
    pub away: BracketSide,
}

/// One side of a [`BracketLine`]; `competitor` is `None` until the game or standings it comes from are
/// decided (a finished game; OFFICIAL standings without a shared rank there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BracketSide {
    pub from: Feeder,
    pub competitor: Option<CompetitorId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noc: Option<Noc>,
}

impl BracketSide {
    pub(crate) fn undecided(from: &Feeder) -> Self {
        Self {
            from: from.clone(),
            competitor: None,
            name: None,
            noc: None,
        }
    }

    pub(crate) fn decided(from: &Feeder, competitor: &CompetitorId, name: &str, noc: &Noc) -> Self {
        Self {
            from: from.clone(),
            competitor: Some(competitor.clone()),
            name: Some(name.to_owned()),
            noc: Some(noc.clone()),
        }
    }
}

impl Feeder {
    /// The origin in words, for error messages: `winner of QFNL-G01`.
    pub fn describe(&self) -> String {
        match self {
            Self::Winner(unit) => format!("winner of {unit}"),
            Self::Loser(unit) => format!("loser of {unit}"),
            Self::Standing { phase, rank } => format!("rank {rank} of {phase}"),
        }
    }
}

/// The winner (`true`) or loser of a finished game.
pub(crate) fn side_of(game: &GameResult, winner: bool) -> Option<&GameSide> {
    if !game.counts() {
        return None;
    }
    match (game.outcome(), winner) {
        (Outcome::HomeWin, true) | (Outcome::AwayWin, false) => Some(&game.home),
        (Outcome::AwayWin, true) | (Outcome::HomeWin, false) => Some(&game.away),
        (Outcome::Level, _) => None,
    }
}

/// Checks the bracket against the phases: knockout units, each once; feeders that are game units other
/// than the game itself, or round-robin phases and a rank from 1.
pub(crate) fn validate(definition: &EventDefinition) -> Result<(), DomainError> {
    let mut seen = std::collections::BTreeSet::new();
    for (g, game) in definition.bracket.iter().enumerate() {
        let path = idx("bracket", g);
        let format = definition.place(&game.unit).map(|place| place.format);
        if !matches!(format, Some(ScoringFormat::Knockout { .. })) {
            return Err(DomainError::invalid(
                at(&path, "unit"),
                format!("{} is not a knockout game unit of this event", game.unit),
            ));
        }
        if !seen.insert(&game.unit) {
            return Err(DomainError::invalid(
                at(&path, "unit"),
                format!("{} is in the bracket twice", game.unit),
            ));
        }
        for (side, feeder) in [("home", &game.home), ("away", &game.away)] {
            let side = at(&path, side);
            match feeder {
                Feeder::Winner(unit) | Feeder::Loser(unit) => {
                    let field = at(
                        &side,
                        if matches!(feeder, Feeder::Winner(_)) {
                            "winner"
                        } else {
                            "loser"
                        },
                    );
                    let is_game = definition
                        .place(unit)
                        .is_some_and(|place| place.format.is_game_format());
                    if !is_game || unit == &game.unit {
                        return Err(DomainError::invalid(
                            field,
                            format!("{unit} is not another game unit of this event"),
                        ));
                    }
                }
                Feeder::Standing { phase, rank } => {
                    let round_robin = definition.phase(phase).is_some_and(|p| {
                        matches!(definition.phase_format(p), ScoringFormat::RoundRobin { .. })
                    });
                    if !round_robin {
                        return Err(DomainError::invalid(
                            at(&at(&side, "standing"), "phase"),
                            format!("{phase} is not a round-robin phase of this event"),
                        ));
                    }
                    if !(1..=100).contains(rank) {
                        return Err(DomainError::invalid(
                            at(&at(&side, "standing"), "rank"),
                            "must be between 1 and 100",
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
