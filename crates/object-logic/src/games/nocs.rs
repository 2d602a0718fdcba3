//! Countries: one NOC's page (its name and flag, its place in the medal table, its medals, its entries in
//! every event with how each placed, and its athletes), and the list of every NOC taking part.

use std::collections::BTreeMap;

use domain::medal_table::{athletes, medallists};
use domain::{
    CompetitorId, CompetitorKind, EventCode, MedalAward, MedalCounts, MedalFilter, MedalOrder,
    MedalTableRow, Noc,
};
use serde::Serialize;

use super::{Games, PlacementLine};

/// `GET /v1/nocs/{noc}`.
#[derive(Debug, Serialize)]
pub struct NocAnswer<'a> {
    pub noc: Noc,
    /// The IOC's English name (the code itself for a NOC the table does not know).
    pub name: String,
    /// The flag as an emoji, when the NOC has a national flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    pub standing: Option<MedalTableRow>,
    pub medals: Vec<MedalAward>,
    /// Its entries (athletes and teams) in every event, by event code.
    pub entries: Vec<NocEntry<'a>>,
    /// Its athletes (teams' members included), most medals first, then by name.
    pub athletes: Vec<NocAthlete<'a>>,
}

/// One entry of a NOC in an event, with its placement in the medal unit (or its latest one).
#[derive(Debug, Serialize)]
pub struct NocEntry<'a> {
    pub event: &'a EventCode,
    pub event_name: &'a str,
    pub competitor: &'a CompetitorId,
    pub name: &'a str,
    pub kind: CompetitorKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<PlacementLine<'a>>,
}

/// One athlete of a NOC.
#[derive(Debug, Serialize)]
pub struct NocAthlete<'a> {
    pub competitor: &'a CompetitorId,
    pub name: &'a str,
    /// How many events they are entered in.
    pub events: usize,
    pub medals: MedalCounts,
}

/// A line of `GET /v1/nocs`: a NOC taking part.
#[derive(Debug, Serialize)]
pub struct NocLine {
    pub noc: Noc,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    pub athletes: usize,
    pub events: usize,
    #[serde(flatten)]
    pub medals: MedalCounts,
}

impl Games {
    /// One NOC's page; a NOC nobody entered answers with its name and nothing else.
    pub fn noc(&self, noc: Noc) -> NocAnswer<'_> {
        let standing = self.table().row(&noc).cloned();
        let filter = MedalFilter {
            noc: Some(noc.clone()),
            ..MedalFilter::default()
        };
        let won: BTreeMap<CompetitorId, MedalCounts> =
            athletes(self.book().awards(), &filter, MedalOrder::GoldFirst)
                .into_iter()
                .map(|row| (row.competitor, row.counts))
                .collect();
        let mut entries = Vec::new();
        let mut people: BTreeMap<&CompetitorId, NocAthlete<'_>> = BTreeMap::new();
        for listing in self.listings() {
            for entry in self.entries(&listing.code).iter().filter(|e| e.noc == noc) {
                let result = entry
                    .results
                    .iter()
                    .find(|p| p.unit == listing.medal_unit)
                    .or_else(|| entry.results.last())
                    .map(|p| self.placement_line(&listing.code, p));
                entries.push(NocEntry {
                    event: &listing.code,
                    event_name: &listing.name,
                    competitor: &entry.competitor,
                    name: &entry.name,
                    kind: entry.kind,
                    result,
                });
                let athletes: Vec<(&CompetitorId, &str)> = if entry.members.is_empty() {
                    match entry.kind {
                        CompetitorKind::Athlete => vec![(&entry.competitor, entry.name.as_str())],
                        CompetitorKind::Team => Vec::new(),
                    }
                } else {
                    entry
                        .members
                        .iter()
                        .map(|m| (&m.id, m.name.as_str()))
                        .collect()
                };
                for (id, name) in athletes {
                    people
                        .entry(id)
                        .or_insert_with(|| NocAthlete {
                            competitor: id,
                            name,
                            events: 0,
                            medals: won.get(id).copied().unwrap_or_default(),
                        })
                        .events += 1;
                }
            }
        }
        let mut athletes: Vec<NocAthlete<'_>> = people.into_values().collect();
        athletes.sort_by(|a, b| {
            (b.medals.gold, b.medals.silver, b.medals.bronze)
                .cmp(&(a.medals.gold, a.medals.silver, a.medals.bronze))
                .then_with(|| a.name.cmp(b.name))
        });
        NocAnswer {
            name: domain::noc_name(&noc).to_owned(),
            flag: domain::noc_flag(&noc),
            medals: medallists(self.book().awards(), &filter),
            noc,
            standing,
            entries,
            athletes,
        }
    }

    /// Every NOC with an entry or a medal, by name.
    pub fn nocs(&self) -> Vec<NocLine> {
        #[derive(Default)]
        struct Tally<'a> {
            athletes: std::collections::BTreeSet<&'a CompetitorId>,
            events: std::collections::BTreeSet<&'a EventCode>,
            medals: MedalCounts,
        }
        let mut tallies: BTreeMap<Noc, Tally<'_>> = BTreeMap::new();
        for listing in self.listings() {
            for entry in self.entries(&listing.code) {
                let tally = tallies.entry(entry.noc.clone()).or_default();
                tally.events.insert(&listing.code);
                if entry.members.is_empty() && entry.kind == CompetitorKind::Athlete {
                    tally.athletes.insert(&entry.competitor);
                }
                tally.athletes.extend(entry.members.iter().map(|m| &m.id));
            }
        }
        for row in self.table().rows {
            tallies.entry(row.noc).or_default().medals = row.counts;
        }
        let mut lines: Vec<NocLine> = tallies
            .into_iter()
            .map(|(noc, tally)| NocLine {
                name: domain::noc_name(&noc).to_owned(),
                flag: domain::noc_flag(&noc),
                noc,
                athletes: tally.athletes.len(),
                events: tally.events.len(),
                medals: tally.medals,
            })
            .collect();
        lines.sort_by(|a, b| a.name.cmp(&b.name));
        lines
    }
}
