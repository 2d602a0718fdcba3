//! The medal table across events (gold-first or by total), breakdowns, and the athletes with most medals.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codes::{CompetitorId, LogicalDay, Noc};
use crate::error::DomainError;
use crate::medals::{Medal, MedalAward};
use crate::paging::{Page, window};
use crate::ranking::{Class, Placed, RankInput, rank_on_prefix};
use crate::sport::{Discipline, Gender, Sport};

/// Gold, silver and bronze counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MedalCounts {
    pub gold: u32,
    pub silver: u32,
    pub bronze: u32,
    pub total: u32,
}

impl MedalCounts {
    pub(crate) fn add(&mut self, medal: Medal) {
        match medal {
            Medal::Gold => self.gold += 1,
            Medal::Silver => self.silver += 1,
            Medal::Bronze => self.bronze += 1,
        }
        self.total += 1;
    }

    /// The ranking key for an order, lower is better.
    fn key(&self, order: MedalOrder) -> Vec<i64> {
        let (g, s, b, t) = (
            i64::from(self.gold),
            i64::from(self.silver),
            i64::from(self.bronze),
            i64::from(self.total),
        );
        match order {
            MedalOrder::GoldFirst => vec![-g, -s, -b],
            MedalOrder::Total => vec![-t, -g, -s, -b],
        }
    }
}

/// Ranks medal lines: gold-first shares a rank only on equal gold, silver and bronze; by total, equal
/// totals share the rank (ODF's `RankTotal`, and every broadcaster's "by total" table) and are listed
/// gold first within it.
fn rank_medals(inputs: &[RankInput<'_>], order: MedalOrder) -> Vec<Placed> {
    match order {
        MedalOrder::GoldFirst => rank_on_prefix(inputs, usize::MAX),
        MedalOrder::Total => rank_on_prefix(inputs, 1),
    }
}

/// How the table is ranked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MedalOrder {
    /// IOC: most golds, then silvers, then bronzes.
    #[default]
    GoldFirst,
    /// Most medals in total, then golds, silvers, bronzes (the media convention). Equal totals share the
    /// rank; within it, lines are listed gold first.
    Total,
}

/// Which awards count. Empty filter: all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedalFilter {
    #[serde(default)]
    pub sport: Option<Sport>,
    #[serde(default)]
    pub discipline: Option<Discipline>,
    #[serde(default)]
    pub gender: Option<Gender>,
    #[serde(default)]
    pub day: Option<LogicalDay>,
    #[serde(default)]
    pub noc: Option<Noc>,
}

impl MedalFilter {
    pub fn matches(&self, award: &MedalAward) -> bool {
        self.sport.is_none_or(|s| award.sport() == s)
            && self.discipline.is_none_or(|d| award.discipline() == d)
            && self.gender.is_none_or(|g| award.gender() == g)
            && self
                .day
                .as_ref()
                .is_none_or(|d| award.day.as_ref() == Some(d))
            && self.noc.as_ref().is_none_or(|n| &award.noc == n)
    }
}

/// One NOC's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedalTableRow {
    pub rank: u32,
    pub rank_equal: bool,
    pub noc: Noc,
    /// The NOC's English name (`crate::nocs`), so a reader of the table needs no other lookup.
    #[serde(default)]
    pub name: String,
    #[serde(flatten)]
    pub counts: MedalCounts,
}

/// The medal table for a filter and an order. NOCs without a medal are not listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedalTable {
    pub order: MedalOrder,
    pub rows: Vec<MedalTableRow>,
    /// Medals awarded under the filter; equals the sum of the rows.
    pub totals: MedalCounts,
}

impl MedalTable {
    /// Builds the table. Shared ranks share a line rank and are listed by NOC code.
    pub fn build<'a>(
        awards: impl IntoIterator<Item = &'a MedalAward>,
        filter: &MedalFilter,
        order: MedalOrder,
    ) -> Self {
        let mut per_noc: BTreeMap<&Noc, MedalCounts> = BTreeMap::new();
        let mut totals = MedalCounts::default();
        for award in awards.into_iter().filter(|a| filter.matches(a)) {
            per_noc.entry(&award.noc).or_default().add(award.medal);
            totals.add(award.medal);
        }
        let nocs: Vec<(&Noc, MedalCounts)> = per_noc.into_iter().collect();
        let inputs: Vec<RankInput<'_>> = nocs
            .iter()
            .map(|(noc, counts)| RankInput {
                class: Class::Valid(counts.key(order).into()),
                name: noc.as_str(),
                id: noc.as_str(),
            })
            .collect();
        let rows = rank_medals(&inputs, order)
            .iter()
            .filter_map(|p| {
                let (noc, counts) = nocs.get(p.index)?;
                Some(MedalTableRow {
                    rank: p.rank.unwrap_or(0),
                    rank_equal: p.rank_equal,
                    noc: (*noc).clone(),
                    name: crate::nocs::noc_name(noc).to_owned(),
                    counts: *counts,
                })
            })
            .collect();
        Self {
            order,
            rows,
            totals,
        }
    }

    /// A NOC's line.
    pub fn row(&self, noc: &Noc) -> Option<&MedalTableRow> {
        self.rows.iter().find(|r| &r.noc == noc)
    }

    /// A page of the table, optionally centred on a NOC.
    pub fn page(
        &self,
        limit: Option<u32>,
        cursor: Option<&str>,
        around: Option<&Noc>,
    ) -> Result<Page<MedalTableRow>, DomainError> {
        let around =
            match around {
                Some(noc) => Some(self.rows.iter().position(|r| &r.noc == noc).ok_or_else(
                    || {
                        DomainError::invalid(
                            "around",
                            format!("{noc} has no medal under this filter"),
                        )
                    },
                )?),
                None => None,
            };
        Page::of(&self.rows, window(self.rows.len(), limit, cursor, around)?)
    }
}

/// What a breakdown groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakdown {
    Sport,
    Discipline,
    Gender,
    Day,
}

/// Medal counts for one group of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownRow {
    /// The group's code: `SKIING`, `ALP`, `W`, `2026-02-08` (`unscheduled` for awards without a day).
    pub key: String,
    #[serde(flatten)]
    pub counts: MedalCounts,
}

/// Medal counts grouped by sport, discipline, gender or day (for one NOC with `filter.noc`), in key order.
pub fn breakdown<'a>(
    awards: impl IntoIterator<Item = &'a MedalAward>,
    filter: &MedalFilter,
    by: Breakdown,
) -> Vec<BreakdownRow> {
    let mut groups: BTreeMap<String, MedalCounts> = BTreeMap::new();
    for award in awards.into_iter().filter(|a| filter.matches(a)) {
        let key = match by {
            // The serde names are the codes the API uses.
            Breakdown::Sport => enum_code(&award.sport()),
            Breakdown::Discipline => award.discipline().code().to_owned(),
            Breakdown::Gender => award.gender().code().to_owned(),
            Breakdown::Day => award
                .day
                .as_ref()
                .map_or_else(|| "unscheduled".to_owned(), |d| d.to_string()),
        };
        groups.entry(key).or_default().add(award.medal);
    }
    groups
        .into_iter()
        .map(|(key, counts)| BreakdownRow { key, counts })
        .collect()
}

fn enum_code<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One athlete's medals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AthleteMedalRow {
    pub rank: u32,
    pub rank_equal: bool,
    pub competitor: CompetitorId,
    pub name: String,
    pub noc: Noc,
    #[serde(flatten)]
    pub counts: MedalCounts,
}

/// Athletes with the most medals. Individual medals count for the athlete; team medals count for each
/// listed team member (a team without members counts for nobody here, but for its NOC in the table).
pub fn athletes<'a>(
    awards: impl IntoIterator<Item = &'a MedalAward>,
    filter: &MedalFilter,
    order: MedalOrder,
) -> Vec<AthleteMedalRow> {
    let mut per_athlete: BTreeMap<&CompetitorId, (&str, &Noc, MedalCounts)> = BTreeMap::new();
    for award in awards.into_iter().filter(|a| filter.matches(a)) {
        if award.members.is_empty() {
            if award.kind == crate::catalog::CompetitorKind::Athlete {
                per_athlete
                    .entry(&award.competitor)
                    .or_insert((&award.name, &award.noc, MedalCounts::default()))
                    .2
                    .add(award.medal);
            }
        } else {
            for member in &award.members {
                per_athlete
                    .entry(&member.id)
                    .or_insert((&member.name, &award.noc, MedalCounts::default()))
                    .2
                    .add(award.medal);
            }
        }
    }
    let athletes: Vec<(&CompetitorId, (&str, &Noc, MedalCounts))> =
        per_athlete.into_iter().collect();
    let inputs: Vec<RankInput<'_>> = athletes
        .iter()
        .map(|(id, (name, _, counts))| RankInput {
            class: Class::Valid(counts.key(order).into()),
            name,
            id: id.as_str(),
        })
        .collect();
    rank_medals(&inputs, order)
        .iter()
        .filter_map(|p| {
            let (id, (name, noc, counts)) = athletes.get(p.index)?;
            Some(AthleteMedalRow {
                rank: p.rank.unwrap_or(0),
                rank_equal: p.rank_equal,
                competitor: (*id).clone(),
                name: (*name).to_owned(),
                noc: (*noc).clone(),
                counts: *counts,
            })
        })
        .collect()
}

/// A page of the athletes' table, optionally centred on an athlete.
pub fn athletes_page(
    rows: &[AthleteMedalRow],
    limit: Option<u32>,
    cursor: Option<&str>,
    around: Option<&CompetitorId>,
) -> Result<Page<AthleteMedalRow>, DomainError> {
    let around = match around {
        Some(id) => Some(
            rows.iter()
                .position(|r| &r.competitor == id)
                .ok_or_else(|| DomainError::UnknownCompetitor {
                    path: "around".into(),
                    competitor: id.to_string(),
                })?,
        ),
        None => None,
    };
    Page::of(rows, window(rows.len(), limit, cursor, around)?)
}

/// The medallists matching a filter (a NOC's medals, a day's or a discipline's winners), by day, event
/// and medal; awards without a day come last.
pub fn medallists<'a>(
    awards: impl IntoIterator<Item = &'a MedalAward>,
    filter: &MedalFilter,
) -> Vec<MedalAward> {
    let mut out: Vec<MedalAward> = awards
        .into_iter()
        .filter(|a| filter.matches(a))
        .cloned()
        .collect();
    out.sort_by(|a, b| {
        (
            a.day.is_none(),
            &a.day,
            &a.event,
            a.medal,
            &a.noc,
            &a.competitor,
        )
            .cmp(&(
                b.day.is_none(),
                &b.day,
                &b.event,
                b.medal,
                &b.noc,
                &b.competitor,
            ))
    });
    out
}
