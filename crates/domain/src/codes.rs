//! Validated code newtypes (event, unit, NOC, competitor): serialised as plain strings, checked on every parse.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::sport::{Discipline, Gender};

/// Declares a string newtype that can only hold a valid value: `FromStr` and serde both go through `check`.
macro_rules! code_newtype {
    ($(#[$meta:meta])* $name:ident, $check:path) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Parses and validates, naming `path` in the error.
            pub fn parse_at(value: &str, path: &str) -> Result<Self, DomainError> {
                $check(value).map_err(|reason| DomainError::invalid(path, reason))?;
                Ok(Self(value.to_owned()))
            }
        }

        impl FromStr for $name {
            type Err = DomainError;
            fn from_str(value: &str) -> Result<Self, DomainError> {
                Self::parse_at(value, stringify!($name))
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            // serde reports this message itself, prefixed by its own position information.
            fn try_from(value: String) -> Result<Self, String> {
                $check(&value)
                    .map_err(|reason| format!("invalid {} {value:?}: {reason}", stringify!($name)))?;
                Ok(Self(value))
            }
        }

        impl From<$name> for String {
            fn from(code: $name) -> String {
                code.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

code_newtype!(
    /// An event code in the spirit of ODF's results system code: discipline (3 letters), gender (`M`, `W`,
    /// `X`) and an event name of up to 18 characters `[A-Z0-9]`, e.g. `ALPMDOWNHILL`, `SSKWTEAMPURSUIT`.
    EventCode,
    check_event_code
);
code_newtype!(
    /// A competition unit within an event: phase and unit, `[A-Z0-9-]{1,16}`, e.g. `FNL`, `RUN1`, `QUAL-H01`.
    /// A phase code (`GRPA`) is also a unit code: it names the phase's standings.
    UnitCode,
    check_unit_code
);
code_newtype!(
    /// An IOC National Olympic Committee code: three uppercase letters (`GER`, `NED`, `AIN`, `EOR`).
    Noc,
    check_noc
);
code_newtype!(
    /// A competitor (athlete or team) identifier from the feed: `[A-Za-z0-9_-]{1,32}`.
    CompetitorId,
    check_competitor_id
);
code_newtype!(
    /// A logical competition day `YYYY-MM-DD`: the local day a session started, even if it ran past midnight.
    LogicalDay,
    check_day
);

impl EventCode {
    /// The discipline named by the first three letters.
    pub fn discipline(&self) -> Discipline {
        // Validated on construction, so the prefix is always a known code; Alpine is an unreachable fallback.
        self.0
            .get(..3)
            .and_then(Discipline::from_code)
            .unwrap_or(Discipline::AlpineSkiing)
    }

    /// The gender named by the fourth letter.
    pub fn gender(&self) -> Gender {
        self.0
            .get(3..4)
            .and_then(Gender::from_code)
            .unwrap_or(Gender::Mixed)
    }

    /// The event name part after discipline and gender, e.g. `DOWNHILL`.
    pub fn event_name(&self) -> &str {
        self.0.get(4..).unwrap_or("")
    }
}

impl LogicalDay {
    /// Year, month and day as numbers.
    pub fn ymd(&self) -> (u32, u32, u32) {
        let number = |range: std::ops::Range<usize>| {
            self.0
                .get(range)
                .and_then(|part| part.parse().ok())
                .unwrap_or(0)
        };
        (number(0..4), number(5..7), number(8..10))
    }
}

fn check_event_code(value: &str) -> Result<(), String> {
    if !(5..=22).contains(&value.len()) {
        return Err(
            "must be 5 to 22 characters: discipline (3), gender (1), event name (1 to 18)".into(),
        );
    }
    let discipline = value.get(..3).unwrap_or("");
    if Discipline::from_code(discipline).is_none() {
        return Err(format!("unknown discipline code {discipline:?}"));
    }
    let gender = value.get(3..4).unwrap_or("");
    if Gender::from_code(gender).is_none() {
        return Err(format!("gender must be M, W or X, not {gender:?}"));
    }
    let name = value.get(4..).unwrap_or("");
    if !name
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err("event name must be uppercase letters and digits".into());
    }
    Ok(())
}

fn check_unit_code(value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > 16 {
        return Err("must be 1 to 16 characters".into());
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("only uppercase letters, digits and '-' are allowed".into());
    }
    Ok(())
}

fn check_noc(value: &str) -> Result<(), String> {
    if value.len() != 3 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err("must be three uppercase letters".into());
    }
    Ok(())
}

fn check_competitor_id(value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > 32 {
        return Err("must be 1 to 32 characters".into());
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err("only letters, digits, '_' and '-' are allowed".into());
    }
    Ok(())
}

fn check_day(value: &str) -> Result<(), String> {
    let bytes = value.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err("must be a date YYYY-MM-DD".into());
    }
    let number = |range: std::ops::Range<usize>| {
        value
            .get(range)
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("month {month} does not exist")),
    };
    if day == 0 || day > days_in_month {
        return Err(format!("day {day} does not exist in month {month}"));
    }
    Ok(())
}
