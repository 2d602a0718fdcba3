//! Sports, the 16 Winter disciplines (with their ODF codes) and genders.

use serde::{Deserialize, Serialize};

use crate::format::TimePrecision;

/// An Olympic sport as the IOC groups them (Milano Cortina 2026: eight sports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Sport {
    Biathlon,
    Bobsleigh,
    Curling,
    IceHockey,
    Luge,
    Skating,
    Skiing,
    SkiMountaineering,
}

/// One of the 16 Winter disciplines; serialised as its three-letter ODF code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Discipline {
    #[serde(rename = "ALP")]
    AlpineSkiing,
    #[serde(rename = "BTH")]
    Biathlon,
    #[serde(rename = "BOB")]
    Bobsleigh,
    #[serde(rename = "CCS")]
    CrossCountrySkiing,
    #[serde(rename = "CUR")]
    Curling,
    #[serde(rename = "FSK")]
    FigureSkating,
    #[serde(rename = "FRS")]
    FreestyleSkiing,
    #[serde(rename = "IHO")]
    IceHockey,
    #[serde(rename = "LUG")]
    Luge,
    #[serde(rename = "NCB")]
    NordicCombined,
    #[serde(rename = "STK")]
    ShortTrackSpeedSkating,
    #[serde(rename = "SKN")]
    Skeleton,
    #[serde(rename = "SJP")]
    SkiJumping,
    #[serde(rename = "SMT")]
    SkiMountaineering,
    #[serde(rename = "SBD")]
    Snowboard,
    #[serde(rename = "SSK")]
    SpeedSkating,
}

impl Discipline {
    /// Every discipline, in code order.
    pub const ALL: [Discipline; 16] = [
        Self::AlpineSkiing,
        Self::Biathlon,
        Self::Bobsleigh,
        Self::CrossCountrySkiing,
        Self::Curling,
        Self::FigureSkating,
        Self::FreestyleSkiing,
        Self::IceHockey,
        Self::Luge,
        Self::NordicCombined,
        Self::ShortTrackSpeedSkating,
        Self::Skeleton,
        Self::SkiJumping,
        Self::SkiMountaineering,
        Self::Snowboard,
        Self::SpeedSkating,
    ];

    /// The three-letter ODF code.
    pub fn code(self) -> &'static str {
        match self {
            Self::AlpineSkiing => "ALP",
            Self::Biathlon => "BTH",
            Self::Bobsleigh => "BOB",
            Self::CrossCountrySkiing => "CCS",
            Self::Curling => "CUR",
            Self::FigureSkating => "FSK",
            Self::FreestyleSkiing => "FRS",
            Self::IceHockey => "IHO",
            Self::Luge => "LUG",
            Self::NordicCombined => "NCB",
            Self::ShortTrackSpeedSkating => "STK",
            Self::Skeleton => "SKN",
            Self::SkiJumping => "SJP",
            Self::SkiMountaineering => "SMT",
            Self::Snowboard => "SBD",
            Self::SpeedSkating => "SSK",
        }
    }

    /// Looks a discipline up by its three-letter code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The precision its federation publishes times to, for formats whose definition names none
    /// (`finish_order`, `mass_start`): FIS alpine, freestyle and snowboard 1/100 s; FIS cross-country and
    /// Nordic combined and the IBU 1/10 s (38:14.4); ISU long track 1/100 s and short track 1/1000 s
    /// (42.569); IBSF bobsleigh and skeleton 1/100 s; FIL luge 1/1000 s. Disciplines that publish no
    /// times (curling, figure skating, ice hockey, ski jumping) answer 1/100 s, which they never use.
    pub fn time_precision(self) -> TimePrecision {
        match self {
            Self::Biathlon
            | Self::CrossCountrySkiing
            | Self::NordicCombined
            | Self::SkiMountaineering => TimePrecision::Tenths,
            Self::Luge | Self::ShortTrackSpeedSkating => TimePrecision::Thousandths,
            Self::AlpineSkiing
            | Self::Bobsleigh
            | Self::Curling
            | Self::FigureSkating
            | Self::FreestyleSkiing
            | Self::IceHockey
            | Self::Skeleton
            | Self::SkiJumping
            | Self::Snowboard
            | Self::SpeedSkating => TimePrecision::Hundredths,
        }
    }

    /// The sport the discipline belongs to (skeleton is governed with bobsleigh by the IBSF).
    pub fn sport(self) -> Sport {
        match self {
            Self::Biathlon => Sport::Biathlon,
            Self::Bobsleigh | Self::Skeleton => Sport::Bobsleigh,
            Self::Curling => Sport::Curling,
            Self::IceHockey => Sport::IceHockey,
            Self::Luge => Sport::Luge,
            Self::FigureSkating | Self::ShortTrackSpeedSkating | Self::SpeedSkating => {
                Sport::Skating
            }
            Self::AlpineSkiing
            | Self::CrossCountrySkiing
            | Self::FreestyleSkiing
            | Self::NordicCombined
            | Self::SkiJumping
            | Self::Snowboard => Sport::Skiing,
            Self::SkiMountaineering => Sport::SkiMountaineering,
        }
    }
}

/// The gender of an event: men, women or mixed (ODF letters M, W, X).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Gender {
    #[serde(rename = "M")]
    Men,
    #[serde(rename = "W")]
    Women,
    #[serde(rename = "X")]
    Mixed,
}

impl Gender {
    /// The ODF letter.
    pub fn code(self) -> &'static str {
        match self {
            Self::Men => "M",
            Self::Women => "W",
            Self::Mixed => "X",
        }
    }

    /// Looks a gender up by its letter.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "M" => Some(Self::Men),
            "W" => Some(Self::Women),
            "X" => Some(Self::Mixed),
            _ => None,
        }
    }
}
