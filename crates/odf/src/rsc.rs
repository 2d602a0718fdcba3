//! ODF results system codes (RSC): discipline (3), gender (1), event (18), phase (4), unit (8), padded
//! with `-`. Mapped onto this system's codes: the event code is discipline, gender and the event part
//! without its padding (`ALPMDOWNHILL`); the unit code is the phase part, then `-` and the unit part when
//! it is not blank, each without padding (`FNL-000100` for phase `FNL-` and unit `000100--`, `QUAL` for a
//! phase-level code).

use domain::{EventCode, UnitCode};

use crate::error::OdfError;

/// An RSC cut into its parts (padding removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rsc {
    pub event: EventCode,
    /// `None` for an event-level code.
    pub unit: Option<UnitCode>,
}

/// The discipline (3), gender (1) and event (18) parts' length.
const EVENT_LEN: usize = 22;
const PHASE_LEN: usize = 4;

/// Parses an RSC found at `path`. The discipline, the gender and the event's characters must be codes
/// this system knows.
pub fn parse(code: &str, path: &str) -> Result<Rsc, OdfError> {
    if !code.is_ascii() || code.len() < 5 {
        return Err(OdfError::invalid(
            path,
            format!("{code:?} is not an ODF results system code"),
        ));
    }
    let event_part = code.get(..EVENT_LEN.min(code.len())).unwrap_or(code);
    let event_text = format!(
        "{}{}",
        event_part.get(..4).unwrap_or(""),
        event_part.get(4..).unwrap_or("").trim_end_matches('-')
    );
    let event = event_text
        .parse::<EventCode>()
        .map_err(|error| OdfError::unknown(path, format!("event {event_text:?}: {error}")))?;
    let rest = code.get(EVENT_LEN..).unwrap_or("");
    let phase = rest
        .get(..PHASE_LEN.min(rest.len()))
        .unwrap_or("")
        .trim_end_matches('-');
    let unit_part = rest.get(PHASE_LEN..).unwrap_or("").trim_end_matches('-');
    let unit = match (phase.is_empty(), unit_part.is_empty()) {
        (true, true) => None,
        (false, true) => Some(phase.to_owned()),
        (false, false) => Some(format!("{phase}-{unit_part}")),
        (true, false) => {
            return Err(OdfError::invalid(path, "a unit part without a phase part"));
        }
    };
    let unit = unit
        .map(|text| {
            text.parse::<UnitCode>()
                .map_err(|error| OdfError::unknown(path, format!("unit {text:?}: {error}")))
        })
        .transpose()?;
    Ok(Rsc { event, unit })
}

/// A discipline-level code (`ALP` and padding): its discipline, when the code names no event.
pub fn discipline_of(code: &str) -> Option<domain::Discipline> {
    code.get(..3).and_then(domain::Discipline::from_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(code: &str, expected: &str) {
        let actual = match parse(code, "OdfBody/@DocumentCode") {
            Ok(rsc) => format!(
                "{} {}",
                rsc.event,
                rsc.unit.map_or_else(|| "-".to_owned(), |u| u.to_string())
            ),
            Err(error) => error.to_string(),
        };
        assert_eq!(actual, expected, "{code}");
    }

    #[test]
    fn codes_map_onto_event_and_unit_codes() {
        check(
            "ALPMDOWNHILL----------FNL-000100--",
            "ALPMDOWNHILL FNL-000100",
        );
        check("SSKW500M--------------FNL-000100--", "SSKW500M FNL-000100");
        check("IHOMTEAM6-------------GPA-000300--", "IHOMTEAM6 GPA-000300");
        check("FSKWSINGLES-----------QUAL--------", "FSKWSINGLES QUAL");
        check("CURXMIXEDDOUBLES------", "CURXMIXEDDOUBLES -");
        check(
            "XYZMDOWNHILL----------FNL-000100--",
            r#"unknown code at OdfBody/@DocumentCode: event "XYZMDOWNHILL": invalid EventCode: unknown discipline code "XYZ""#,
        );
        check(
            "ALPQDOWNHILL----------",
            r#"unknown code at OdfBody/@DocumentCode: event "ALPQDOWNHILL": invalid EventCode: gender must be M, W or X, not "Q""#,
        );
        check(
            "ALP",
            r#"invalid ODF at OdfBody/@DocumentCode: "ALP" is not an ODF results system code"#,
        );
    }
}
