//! What fans call a unit: "Final", "Run 2", "Quarterfinals · Heat 3", "Group A · SWE v FIN".
//!
//! Unit codes (`FNL`, `QFNL-H03`, `GRPA-G02`) are for feeds; readers get the phase's name from the
//! definition, and for a phase of several units the unit's number, worded by the letters before it in
//! the code's last part (`H` heat, `G` game, `R` race, `RUN` run), or its position in the phase.

use crate::catalog::EventDefinition;
use crate::codes::{Noc, UnitCode};

/// The unit's name, or `None` when the definition has no such unit (a phase code naming round-robin
/// standings is named after its phase). `teams` (home, away) replace a game's number once known.
pub fn unit_name(
    definition: &EventDefinition,
    unit: &UnitCode,
    teams: Option<(&Noc, &Noc)>,
) -> Option<String> {
    if let Some(phase) = definition.phases.iter().find(|p| &p.code == unit) {
        return Some(phase.name.clone());
    }
    let phase = definition.phases.iter().find(|p| p.units.contains(unit))?;
    if let Some((home, away)) = teams {
        return Some(format!("{} · {home} v {away}", phase.name));
    }
    if phase.units.len() == 1 {
        return Some(phase.name.clone());
    }
    let position = phase.units.iter().position(|u| u == unit).unwrap_or(0) + 1;
    Some(format!(
        "{} · {}",
        phase.name,
        numbered(unit.as_str(), position)
    ))
}

/// "Heat 3" from `QFNL-H03`, "Run 2" from `RUN2`; the position in the phase when the code says nothing.
fn numbered(code: &str, position: usize) -> String {
    let last = code.rsplit('-').next().unwrap_or(code);
    let letters: String = last.chars().take_while(char::is_ascii_alphabetic).collect();
    let digits = &last[letters.len()..];
    let word = match letters.as_str() {
        "H" | "HEAT" => "Heat",
        "G" | "GAME" => "Game",
        "R" | "RACE" => "Race",
        "RUN" => "Run",
        "J" | "JUMP" => "Jump",
        "S" | "SF" => "Semifinal",
        "Q" | "QF" => "Quarterfinal",
        "F" | "FNL" => "Final",
        "D" | "DRAW" => "Draw",
        _ => return format!("{position}"),
    };
    match digits.parse::<u32>() {
        Ok(number) if digits.chars().all(|c| c.is_ascii_digit()) => format!("{word} {number}"),
        _ => format!("{word} {position}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn definition() -> EventDefinition {
        serde_json::from_value(serde_json::json!({
            "code": "IHOWTOURNAMENT", "name": "Women's Tournament",
            "format": { "type": "knockout", "sport_rules": "ice_hockey" },
            "phases": [
                { "code": "GRPA", "name": "Group A", "units": ["GRPA-G01", "GRPA-G02"],
                  "format": { "type": "round_robin", "rules": { "sport": "ice_hockey" } } },
                { "code": "QFNL", "name": "Quarterfinals", "units": ["QFNL-H01", "QFNL-X7", "QFNL-9"] },
                { "code": "RUNS", "name": "Runs", "units": ["RUN1", "RUN2"] },
                { "code": "GOLD", "name": "Gold Medal Game", "units": ["GOLD-G01"] }
            ],
            "medal_unit": "GOLD-G01"
        }))
        .unwrap_or_else(|e| unreachable!("{e}"))
    }

    fn check(unit: &str, teams: Option<(&str, &str)>, expected: Option<&str>) {
        let unit: UnitCode = unit.parse().unwrap_or_else(|_| unreachable!());
        let nocs = teams.map(|(h, a)| {
            (
                h.parse::<Noc>().unwrap_or_else(|_| unreachable!()),
                a.parse::<Noc>().unwrap_or_else(|_| unreachable!()),
            )
        });
        let named = unit_name(&definition(), &unit, nocs.as_ref().map(|(h, a)| (h, a)));
        assert_eq!(named.as_deref(), expected, "{unit}");
    }

    #[test]
    fn units_are_named_by_their_phase_and_number_or_their_teams() {
        check("GOLD-G01", None, Some("Gold Medal Game"));
        check(
            "GOLD-G01",
            Some(("CAN", "USA")),
            Some("Gold Medal Game · CAN v USA"),
        );
        check("GRPA-G02", None, Some("Group A · Game 2"));
        check(
            "GRPA-G02",
            Some(("SWE", "FIN")),
            Some("Group A · SWE v FIN"),
        );
        check("GRPA", None, Some("Group A"));
        check("QFNL-H01", None, Some("Quarterfinals · Heat 1"));
        // Letters the code table does not know, or no letters: the position in the phase.
        check("QFNL-X7", None, Some("Quarterfinals · 2"));
        check("QFNL-9", None, Some("Quarterfinals · 3"));
        check("RUN2", None, Some("Runs · Run 2"));
        check("FNL", None, None);
    }
}
