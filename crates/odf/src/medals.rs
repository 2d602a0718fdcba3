//! DT_MEDALS as a cross-check: the medal standings the provider publishes for one event, compared NOC by
//! NOC with the medals this system awarded from the event's OFFICIAL results. Nothing is written: medals
//! here always follow results, so a difference is reported for people to look at.

use std::collections::BTreeMap;

use domain::{EventCode, Medal, MedalAward, MedalCounts, Noc};
use serde::Serialize;

use crate::document::OdfBody;
use crate::error::{OdfError, paths};
use crate::values::{integer, required};

/// The outcome of the check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MedalCheck {
    pub event: EventCode,
    pub agrees: bool,
    /// Every NOC whose counts differ, in NOC order.
    pub differences: Vec<MedalDifference>,
}

/// One NOC whose medals differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MedalDifference {
    pub noc: Noc,
    /// The `MedalNOC` that lists it, or `OdfBody/Competition/MedalStandings` when ODF does not.
    pub element: String,
    pub odf: MedalCounts,
    pub ours: MedalCounts,
}

/// Compares the `MedalNOC` lines (their `MedalNumber` of `@Type` `TOT`, or the first one) with `awards`.
pub fn check(
    body: &OdfBody,
    event: &EventCode,
    awards: &[MedalAward],
) -> Result<MedalCheck, OdfError> {
    let standings = format!("{}/MedalStandings", paths::COMPETITION);
    let lines = body
        .competition
        .as_ref()
        .and_then(|c| c.medal_standings.as_ref())
        .map(|m| &m.nocs[..])
        .unwrap_or(&[]);
    let mut theirs: BTreeMap<Noc, (MedalCounts, String)> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let element = format!("{standings}/MedalNOC[{}]", i + 1);
        let noc_path = paths::attr(&element, "Organisation");
        let noc = required(line.organisation.as_ref(), &noc_path)?
            .parse::<Noc>()
            .map_err(|error| OdfError::invalid(&noc_path, error.to_string()))?;
        let numbers = line
            .numbers
            .iter()
            .enumerate()
            .find(|(_, n)| n.kind.as_deref() == Some("TOT"))
            .or_else(|| line.numbers.iter().enumerate().next())
            .ok_or_else(|| OdfError::invalid(&element, "a MedalNOC needs a MedalNumber"))?;
        let here = format!("{element}/MedalNumber[{}]", numbers.0 + 1);
        let count = |value: Option<&String>, name: &str| -> Result<u32, OdfError> {
            let path = paths::attr(&here, name);
            integer(value.map_or("0", String::as_str), &path)
        };
        let (gold, silver, bronze) = (
            count(numbers.1.gold.as_ref(), "Gold")?,
            count(numbers.1.silver.as_ref(), "Silver")?,
            count(numbers.1.bronze.as_ref(), "Bronze")?,
        );
        let counts = MedalCounts {
            gold,
            silver,
            bronze,
            total: gold + silver + bronze,
        };
        theirs.insert(noc, (counts, element));
    }
    let mut ours: BTreeMap<Noc, MedalCounts> = BTreeMap::new();
    for award in awards.iter().filter(|a| &a.event == event) {
        let counts = ours.entry(award.noc.clone()).or_default();
        match award.medal {
            Medal::Gold => counts.gold += 1,
            Medal::Silver => counts.silver += 1,
            Medal::Bronze => counts.bronze += 1,
        }
        counts.total += 1;
    }
    let nocs: std::collections::BTreeSet<&Noc> = theirs.keys().chain(ours.keys()).collect();
    let differences: Vec<MedalDifference> = nocs
        .into_iter()
        .filter_map(|noc| {
            let (odf, element) = theirs.get(noc).map_or_else(
                || (MedalCounts::default(), standings.clone()),
                |(c, e)| (*c, e.clone()),
            );
            let mine = ours.get(noc).copied().unwrap_or_default();
            (odf != mine).then(|| MedalDifference {
                noc: noc.clone(),
                element,
                odf,
                ours: mine,
            })
        })
        .collect();
    Ok(MedalCheck {
        event: event.clone(),
        agrees: differences.is_empty(),
        differences,
    })
}
