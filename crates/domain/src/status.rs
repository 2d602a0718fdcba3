//! Result status (ODF `ResultStatus`) and irregular results (IRM) with their fixed ranking order.

use serde::{Deserialize, Serialize};

/// How final a unit's results are, as ODF names it. Only `OFFICIAL` awards medals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ResultStatus {
    StartList,
    Live,
    Intermediate,
    Unconfirmed,
    Unofficial,
    Official,
    Partial,
    Provisional,
}

impl ResultStatus {
    /// The ODF spelling, e.g. `OFFICIAL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StartList => "START_LIST",
            Self::Live => "LIVE",
            Self::Intermediate => "INTERMEDIATE",
            Self::Unconfirmed => "UNCONFIRMED",
            Self::Unofficial => "UNOFFICIAL",
            Self::Official => "OFFICIAL",
            Self::Partial => "PARTIAL",
            Self::Provisional => "PROVISIONAL",
        }
    }

    /// True once the competition is over (results may still be corrected): every entry needs a mark or an IRM.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Unofficial | Self::Official)
    }
}

/// An irregular result. Irregular results rank after every valid mark, in the declaration order below
/// (DNF, DNS, DSQ, DNQ as ODF lists them, then the sport-specific ones); they never get a rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Irm {
    /// Did not finish.
    Dnf,
    /// Did not start.
    Dns,
    /// Disqualified.
    Dsq,
    /// Did not qualify.
    Dnq,
    /// Lapped (cross-country, biathlon): pulled out of the race.
    Lap,
    /// Disqualified for unsportsmanlike behaviour (ODF DQB).
    Dqb,
    /// Withdrawn (ODF WDR).
    Wdr,
}

impl Irm {
    /// The ODF spelling, e.g. `DSQ`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dnf => "DNF",
            Self::Dns => "DNS",
            Self::Dsq => "DSQ",
            Self::Dnq => "DNQ",
            Self::Lap => "LAP",
            Self::Dqb => "DQB",
            Self::Wdr => "WDR",
        }
    }
}
