//! Game results (ice hockey, curling): one message per game unit, for round robins and knockouts.

use serde::{Deserialize, Serialize};

use crate::catalog::{EventDefinition, ParticipantIndex, check_text};
use crate::codes::{CompetitorId, Noc, UnitCode};
use crate::error::{DomainError, Path, at};
use crate::format::{GameRules, ScoringFormat};
use crate::results::{check_competitor, check_envelope};
use crate::status::ResultStatus;

/// The result of one game. Each version replaces the previous one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GameResult {
    pub message_id: String,
    pub unit: UnitCode,
    pub version: u64,
    pub status: ResultStatus,
    pub home: GameSide,
    pub away: GameSide,
    pub home_score: u32,
    pub away_score: u32,
    pub decided_in: DecidedIn,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A team in a game.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GameSide {
    pub competitor: CompetitorId,
    pub name: String,
    pub noc: Noc,
    /// Curling: the team's draw-shot challenge distance so far, in centimetres (lower is better). The value
    /// from the latest applied game counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dsc_cm: Option<f64>,
}

/// How a game was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DecidedIn {
    Regulation,
    Overtime,
    Shootout,
    /// Curling: decided in an extra end (still a plain win).
    ExtraEnd,
}

/// Who won a finished (or provisionally finished) game.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    HomeWin,
    AwayWin,
    Level,
}

impl GameResult {
    pub(crate) fn outcome(&self) -> Outcome {
        match self.home_score.cmp(&self.away_score) {
            std::cmp::Ordering::Greater => Outcome::HomeWin,
            std::cmp::Ordering::Less => Outcome::AwayWin,
            std::cmp::Ordering::Equal => Outcome::Level,
        }
    }

    /// True once the game counts in standings (a live score does not).
    pub(crate) fn counts(&self) -> bool {
        self.status.is_final()
    }

    /// The score as shown, e.g. `3–2 OT`.
    pub(crate) fn score_text(&self) -> String {
        let suffix = match self.decided_in {
            DecidedIn::Regulation => "",
            DecidedIn::Overtime => " OT",
            DecidedIn::Shootout => " SO",
            DecidedIn::ExtraEnd => " EE",
        };
        format!("{}–{}{suffix}", self.home_score, self.away_score)
    }

    /// Validates the game against the definition.
    pub(crate) fn check(
        &self,
        definition: &EventDefinition,
        participants: &ParticipantIndex,
    ) -> Result<(), DomainError> {
        check_envelope(&self.message_id, self.version, self.note.as_deref())?;
        let place = definition
            .place(&self.unit)
            .ok_or_else(|| DomainError::UnknownUnit {
                path: "unit".into(),
                unit: self.unit.to_string(),
            })?;
        let rules = match place.format {
            ScoringFormat::RoundRobin { rules } => rules.game_rules(),
            ScoringFormat::Knockout { sport_rules } => *sport_rules,
            other => {
                return Err(DomainError::WrongMessageKind {
                    unit: self.unit.to_string(),
                    reason: format!(
                        "unit is scored by {} and takes results messages",
                        other.name()
                    ),
                });
            }
        };
        for (side, path) in [(&self.home, "home"), (&self.away, "away")] {
            check_text(&side.name, &at(path, "name"), 200)?;
            check_competitor(
                definition,
                participants,
                &side.competitor,
                &side.noc,
                &Path::Root(path),
            )?;
            if let Some(dsc) = side.dsc_cm {
                if rules != GameRules::Curling {
                    return Err(DomainError::invalid(
                        at(path, "dsc_cm"),
                        "only curling has a draw-shot challenge",
                    ));
                }
                crate::format::finite_in(dsc, 0.0, 1000.0, &at(path, "dsc_cm"))?;
            }
        }
        if self.home.competitor == self.away.competitor {
            return Err(DomainError::invalid(
                "away.competitor",
                "a team cannot play itself",
            ));
        }
        for (score, path) in [
            (self.home_score, "home_score"),
            (self.away_score, "away_score"),
        ] {
            if score > 99 {
                return Err(DomainError::invalid(path, "must be at most 99"));
            }
        }
        match (rules, self.decided_in) {
            (GameRules::IceHockey, DecidedIn::ExtraEnd) => {
                return Err(DomainError::invalid(
                    "decided_in",
                    "ice hockey has no extra ends",
                ));
            }
            (GameRules::Curling, DecidedIn::Overtime | DecidedIn::Shootout) => {
                return Err(DomainError::invalid(
                    "decided_in",
                    "curling has no overtime or shoot-out",
                ));
            }
            _ => {}
        }
        if self.status.is_final() {
            if self.outcome() == Outcome::Level {
                return Err(DomainError::invalid(
                    "away_score",
                    "a finished game cannot end level",
                ));
            }
            // The overtime goal ends the game, and the shoot-out winner is credited one goal.
            let margin = self.home_score.abs_diff(self.away_score);
            if rules == GameRules::IceHockey
                && self.decided_in != DecidedIn::Regulation
                && margin != 1
            {
                return Err(DomainError::invalid(
                    "decided_in",
                    "overtime and shoot-out games are won by one goal",
                ));
            }
        }
        Ok(())
    }
}
