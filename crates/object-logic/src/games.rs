//! The standings object's state: the events list, who is entered where, and the medal book of the whole
//! Games, and the views the read API asks of them (the people in them: [`athletes`], [`nocs`];
//! [`search`]).
//!
//! Event objects send a digest (listing, entries and medals) after each change that matters, at least
//! once and in any order; each digest carries its event version, so an older or equal one changes
//! nothing, and the medal table's own version moves only when the medals really changed.

pub mod athletes;
pub mod nocs;
#[cfg(test)]
mod people_tests;
pub mod search;

use std::collections::{BTreeMap, BTreeSet};

use domain::{
    CompetitorId, DecidedIn, Discipline, DomainError, EventCode, Gender, LogicalDay, Medal,
    MedalBook, MedalFilter, MedalOrder, MedalTable, Noc, ResultStatus, UnitCode, Venue,
};
use serde::Serialize;
use wire::api::EventsQuery;
use wire::digest::{Entry, EventDigest, EventListing, GameTeam, Placement, UnitLine};
use wire::docs::HotDoc;

/// Everything the standings object knows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Games {
    listings: BTreeMap<EventCode, EventListing>,
    /// Each event's entries and placements, from the same digest as its listing.
    entries: BTreeMap<EventCode, Vec<Entry>>,
    book: MedalBook,
    /// +1 whenever the medal table changed: the version live medal viewers and caches key on.
    book_version: u64,
}

/// What a digest changed; a stale digest changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestChange {
    pub listing: bool,
    pub medals: bool,
    /// The days whose schedule may read differently: every day of the listing before and after.
    pub days: BTreeSet<LogicalDay>,
}

impl DigestChange {
    pub fn any(&self) -> bool {
        self.listing || self.medals
    }

    /// The hot documents this change touches.
    pub fn documents(&self) -> Vec<HotDoc> {
        let mut out = Vec::new();
        if self.medals {
            out.push(HotDoc::Medals);
        }
        if self.listing {
            out.push(HotDoc::Events);
            out.extend(self.days.iter().cloned().map(HotDoc::Schedule));
        }
        out
    }
}

impl Games {
    /// The state as stored.
    pub fn from_parts(
        listings: impl IntoIterator<Item = EventListing>,
        entries: impl IntoIterator<Item = (EventCode, Vec<Entry>)>,
        book: MedalBook,
        book_version: u64,
    ) -> Self {
        Self {
            listings: listings
                .into_iter()
                .map(|listing| (listing.code.clone(), listing))
                .collect(),
            entries: entries.into_iter().collect(),
            book,
            book_version,
        }
    }

    /// An event's entries, as its latest digest listed them.
    pub fn entries(&self, code: &EventCode) -> &[Entry] {
        self.entries.get(code).map_or(&[], Vec::as_slice)
    }

    pub fn book(&self) -> &MedalBook {
        &self.book
    }

    pub fn book_version(&self) -> u64 {
        self.book_version
    }

    pub fn listing(&self, code: &EventCode) -> Option<&EventListing> {
        self.listings.get(code)
    }

    /// Applies an event's digest. A digest whose medals name another event is refused (and changes
    /// nothing); one older than what is held is stale.
    pub fn apply(&mut self, digest: EventDigest) -> Result<DigestChange, DomainError> {
        let EventDigest {
            listing: new_listing,
            medals: new_medals,
            entries,
        } = digest;
        let code = new_listing.code.clone();
        let held = self.listings.get(&code);
        let listing = held.is_none_or(|held| held.event_version < new_listing.event_version);
        let mut days = BTreeSet::new();
        if listing {
            for listing in held.into_iter().chain([&new_listing]) {
                days.extend(listing.schedule.iter().map(|unit| unit.day.clone()));
            }
        }
        let medals = self.book.update(new_medals)?;
        if listing {
            self.listings.insert(code.clone(), new_listing);
            self.entries.insert(code, entries);
        }
        if medals {
            self.book_version += 1;
        }
        Ok(DigestChange {
            listing,
            medals,
            days,
        })
    }

    /// A version of the events list and schedule: it rises with every event's version.
    pub fn listings_version(&self) -> u64 {
        self.listings.values().map(|l| l.event_version).sum()
    }

    /// Every event's listing, by code.
    pub fn listings(&self) -> impl Iterator<Item = &EventListing> {
        self.listings.values()
    }

    /// A version of the views of people (countries, athletes, search): it rises with every event's version
    /// and with the medal table's.
    pub fn people_version(&self) -> u64 {
        self.listings_version() + self.book_version
    }

    /// The events list, filtered, each event with its medallists.
    pub fn events(&self, query: &EventsQuery) -> Vec<EventLine<'_>> {
        let filter = &query.filter;
        self.listings
            .values()
            .filter(|l| filter.sport.is_none_or(|s| l.sport == s))
            .filter(|l| filter.discipline.is_none_or(|d| l.discipline == d))
            .filter(|l| filter.gender.is_none_or(|g| l.gender == g))
            .filter(|l| filter.day.as_ref().is_none_or(|d| l.runs_on(d)))
            .filter(|l| query.status.is_none_or(|p| l.progress == p))
            .map(|listing| EventLine {
                listing,
                medals: self.podium(&listing.code),
            })
            .collect()
    }

    /// A placement with its unit's name and own status, as the event's latest listing names them.
    pub fn placement_line<'a>(
        &'a self,
        event: &EventCode,
        placement: &'a Placement,
    ) -> PlacementLine<'a> {
        let line = self.unit_line(event, &placement.unit);
        PlacementLine {
            placement,
            unit_name: line.map(|line| line.name.as_str()),
            status: line.and_then(|line| line.status),
        }
    }

    /// A unit (or round-robin standings) of an event, as its latest listing names it.
    pub fn unit_line(&self, event: &EventCode, unit: &UnitCode) -> Option<&UnitLine> {
        self.listings
            .get(event)?
            .units
            .iter()
            .find(|line| &line.unit == unit)
    }

    /// An event's name, or its code before its listing has come.
    pub fn event_name<'a>(&'a self, event: &'a EventCode) -> &'a str {
        self.listings
            .get(event)
            .map_or(event.as_str(), |listing| listing.name.as_str())
    }

    /// An event's medallists, gold first.
    fn podium(&self, code: &EventCode) -> Vec<Podium<'_>> {
        let mut podium: Vec<Podium<'_>> = self
            .book
            .awards()
            .filter(|award| &award.event == code)
            .map(|award| Podium {
                medal: award.medal,
                competitor: &award.competitor,
                name: &award.name,
                noc: &award.noc,
            })
            .collect();
        podium.sort_by_key(|p| p.medal);
        podium
    }

    /// Every scheduled unit (of one day, if given), by day and start time.
    pub fn schedule(&self, day: Option<&LogicalDay>) -> Vec<ScheduleLine<'_>> {
        let mut units: Vec<ScheduleLine<'_>> = self
            .listings
            .values()
            .flat_map(|listing| listing.schedule.iter().map(move |unit| (listing, unit)))
            .filter(|(_, unit)| day.is_none_or(|d| &unit.day == d))
            .map(|(listing, unit)| {
                let line = listing.units.iter().find(|line| line.unit == unit.unit);
                ScheduleLine {
                    event: &listing.code,
                    event_name: &listing.name,
                    discipline: listing.discipline,
                    gender: listing.gender,
                    unit: &unit.unit,
                    unit_name: line.map(|line| line.name.as_str()),
                    status: line.and_then(|line| line.status),
                    home: line.and_then(|line| line.home.as_ref()),
                    away: line.and_then(|line| line.away.as_ref()),
                    decided_in: line.and_then(|line| line.decided_in),
                    day: &unit.day,
                    start_utc_ms: unit.start_utc_ms,
                    venue: listing.venue.as_ref(),
                }
            })
            .collect();
        units.sort_by(|a, b| {
            (a.day, a.start_utc_ms, a.event, a.unit).cmp(&(b.day, b.start_utc_ms, b.event, b.unit))
        });
        units
    }

    /// The medal table, gold first, unfiltered: what live medal viewers see.
    pub fn table(&self) -> MedalTable {
        self.book
            .table(&MedalFilter::default(), MedalOrder::GoldFirst)
    }
}

/// A line of the events list: the listing and its medallists (none before the medal unit is OFFICIAL).
#[derive(Debug, Serialize)]
pub struct EventLine<'a> {
    #[serde(flatten)]
    pub listing: &'a EventListing,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub medals: Vec<Podium<'a>>,
}

/// A competitor's placement in a unit, with the unit's name and its own status.
#[derive(Debug, Serialize)]
pub struct PlacementLine<'a> {
    #[serde(flatten)]
    pub placement: &'a Placement,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ResultStatus>,
}

/// A medallist, as the events list names them.
#[derive(Debug, Serialize)]
pub struct Podium<'a> {
    pub medal: Medal,
    pub competitor: &'a CompetitorId,
    pub name: &'a str,
    pub noc: &'a Noc,
}

/// A line of the schedule: a unit with its name, its own status and, for a game, its teams.
#[derive(Debug, Serialize)]
pub struct ScheduleLine<'a> {
    pub event: &'a EventCode,
    pub event_name: &'a str,
    pub discipline: Discipline,
    pub gender: Gender,
    pub unit: &'a UnitCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ResultStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<&'a GameTeam>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub away: Option<&'a GameTeam>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_in: Option<DecidedIn>,
    pub day: &'a LogicalDay,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_utc_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<&'a Venue>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{ApplyContext, EventDefinition, EventState, ResultsMessage};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use wire::digest::Progress;

    fn event(code: &str, day: &str, start: u64) -> EventState {
        let definition: EventDefinition = serde_json::from_value(serde_json::json!({
            "code": code, "name": code,
            "format": { "type": "lowest_time", "precision": "hundredths" },
            "phases": [{ "code": "FNL", "name": "Final", "units": ["FNL"] }],
            "medal_unit": "FNL",
            "schedule": [{ "unit": "FNL", "day": day, "start_utc_ms": start }]
        }))
        .unwrap();
        EventState::try_new(definition).unwrap()
    }

    /// Applies a results message where competitors finish in the order given (`A1` fastest).
    fn race(state: &mut EventState, version: u64, status: &str, finishers: &[&str]) {
        let entries: Vec<serde_json::Value> = finishers
            .iter()
            .enumerate()
            .map(|(i, id)| {
                serde_json::json!({ "competitor": id, "name": id, "noc": &id[..3],
                    "mark": { "kind": "time", "time_ms": 60_000 + 100 * i as u64 } })
            })
            .collect();
        let message: ResultsMessage = serde_json::from_value(serde_json::json!({
            "message_id": format!("m{version}"), "unit": "FNL", "version": version,
            "status": status, "entries": entries,
            "note": (status == "OFFICIAL" && version > 2).then_some("corrected")
        }))
        .unwrap();
        let ctx = ApplyContext {
            feed: "test".into(),
            received_at_ms: version,
        };
        state.apply_results(message, &ctx).unwrap();
    }

    /// Applies digests in order and renders what each changed, then the table.
    fn check(digests: Vec<EventDigest>, expected: &str) {
        let mut games = Games::default();
        let mut out = Vec::new();
        for digest in digests {
            let label = format!("{}@{}", digest.listing.code, digest.listing.event_version);
            out.push(match games.apply(digest) {
                Ok(change) if !change.any() => format!("{label}: stale"),
                Ok(change) => format!(
                    "{label}:{}{}",
                    if change.listing { " listing" } else { "" },
                    if change.medals { " medals" } else { "" }
                ),
                Err(err) => format!("{label}: refused ({err})"),
            });
        }
        let table: Vec<String> = games
            .table()
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{} {}/{}/{}",
                    r.noc, r.counts.gold, r.counts.silver, r.counts.bronze
                )
            })
            .collect();
        out.push(
            format!("book v{}: {}", games.book_version(), table.join(", "))
                .trim_end()
                .to_string(),
        );
        assert_eq!(out.join("\n"), expected.trim());
    }

    #[test]
    fn digests_arriving_late_twice_or_out_of_order_change_nothing() {
        let mut downhill = event("ALPMDOWNHILL", "2026-02-07", 1);
        let defined = EventDigest::of(&downhill);
        race(&mut downhill, 1, "LIVE", &["SUIa", "AUTb", "ITAc"]);
        let live = EventDigest::of(&downhill);
        race(&mut downhill, 2, "OFFICIAL", &["SUIa", "AUTb", "ITAc"]);
        let official = EventDigest::of(&downhill);
        check(
            vec![defined, official.clone(), live, official],
            "
ALPMDOWNHILL@0: listing
ALPMDOWNHILL@2: listing medals
ALPMDOWNHILL@1: stale
ALPMDOWNHILL@2: stale
book v1: SUI 1/0/0, AUT 0/1/0, ITA 0/0/1",
        );
    }

    #[test]
    fn a_correction_moves_the_medals_and_the_table_version() {
        let mut downhill = event("ALPMDOWNHILL", "2026-02-07", 1);
        race(&mut downhill, 1, "OFFICIAL", &["SUIa", "AUTb", "ITAc"]);
        let first = EventDigest::of(&downhill);
        race(&mut downhill, 3, "OFFICIAL", &["AUTb", "SUIa", "ITAc"]);
        let corrected = EventDigest::of(&downhill);
        check(
            vec![first, corrected],
            "
ALPMDOWNHILL@1: listing medals
ALPMDOWNHILL@2: listing medals
book v2: AUT 1/0/0, SUI 0/1/0, ITA 0/0/1",
        );
    }

    #[test]
    fn a_digest_whose_medals_name_another_event_is_refused_whole() {
        let mut downhill = event("ALPMDOWNHILL", "2026-02-07", 1);
        race(&mut downhill, 1, "OFFICIAL", &["SUIa", "AUTb", "ITAc"]);
        let mut forged = EventDigest::of(&downhill);
        forged.medals.event = "ALPWDOWNHILL".parse().unwrap();
        check(
            vec![forged],
            r#"
ALPMDOWNHILL@1: refused (invalid awards[0].event: award of ALPMDOWNHILL in an update for ALPWDOWNHILL)
book v0: "#,
        );
    }

    #[test]
    fn a_change_names_the_documents_it_touches_including_the_day_a_unit_left() {
        let mut games = Games::default();
        let downhill = event("ALPMDOWNHILL", "2026-02-07", 1);
        let first = games.apply(EventDigest::of(&downhill)).unwrap();
        let paths: Vec<String> = first.documents().iter().map(HotDoc::path).collect();
        assert_eq!(paths, ["/v1/events", "/v1/schedule/2026-02-07"]);
        // Postponed a day: both days' schedules change.
        let mut moved = EventDigest::of(&event("ALPMDOWNHILL", "2026-02-08", 1));
        moved.listing.event_version = 1;
        let paths: Vec<String> = games
            .apply(moved)
            .unwrap()
            .documents()
            .iter()
            .map(HotDoc::path)
            .collect();
        assert_eq!(
            paths,
            [
                "/v1/events",
                "/v1/schedule/2026-02-07",
                "/v1/schedule/2026-02-08"
            ]
        );
        let mut race_day = event("ALPMDOWNHILL", "2026-02-08", 1);
        race(&mut race_day, 1, "OFFICIAL", &["SUIa", "AUTb", "ITAc"]);
        let mut official = EventDigest::of(&race_day);
        official.listing.event_version = 2;
        official.medals.event_version = 2;
        let change = games.apply(official).unwrap();
        assert!(change.documents().contains(&HotDoc::Medals));
    }

    #[test]
    fn events_filter_and_the_schedule_sorts_by_day_then_start() {
        let mut games = Games::default();
        let mut slalom = event("ALPWSLALOM", "2026-02-18", 500);
        race(&mut slalom, 1, "LIVE", &["SWEa"]);
        for state in [
            event("ALPMDOWNHILL", "2026-02-07", 900),
            slalom,
            event("SSKWF3000M", "2026-02-07", 100),
        ] {
            games.apply(EventDigest::of(&state)).unwrap();
        }
        let lines: Vec<String> = games
            .schedule(None)
            .iter()
            .map(|l| format!("{} {} {}", l.day, l.start_utc_ms.unwrap_or(0), l.event))
            .collect();
        assert_eq!(
            lines,
            [
                "2026-02-07 100 SSKWF3000M",
                "2026-02-07 900 ALPMDOWNHILL",
                "2026-02-18 500 ALPWSLALOM"
            ]
        );
        let day: LogicalDay = "2026-02-18".parse().unwrap();
        assert_eq!(games.schedule(Some(&day)).len(), 1);
        let live = EventsQuery {
            status: Some(Progress::Live),
            ..EventsQuery::default()
        };
        let codes: Vec<&str> = games
            .events(&live)
            .iter()
            .map(|l| l.listing.code.as_str())
            .collect();
        assert_eq!(codes, ["ALPWSLALOM"]);
        let women = EventsQuery {
            filter: MedalFilter {
                gender: Some(Gender::Women),
                ..MedalFilter::default()
            },
            ..EventsQuery::default()
        };
        assert_eq!(games.events(&women).len(), 2);
        assert_eq!(games.listings_version(), 1);
    }
}
