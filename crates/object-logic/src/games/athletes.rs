//! One athlete's page: who they are, the events they are entered in (alone or in a team) and how they
//! placed in each unit, their medals, and the next unit they are due in.
//!
//! "Next" needs no clock: it is the earliest scheduled unit, not yet final, of an event they are still in,
//! that they are listed in (or that lists nobody yet and is not another pair's game). Units finish in
//! order, so this is the unit they are in now or the next one, whether the Games runs today or is being
//! replayed. An athlete is out of an event once a final unit gives them an irregular result, or ends a
//! phase with advancement without a `Q`/`q` for them.

use domain::medal_table::athletes;
use domain::{
    AthleteMedalRow, CompetitorId, EventCode, LogicalDay, MedalAward, MedalFilter, MedalOrder, Noc,
    UnitCode, Venue,
};
use serde::Serialize;
use wire::digest::{Entry, EventListing, Progress};

use super::{Games, PlacementLine};

/// `GET /v1/athletes/{athlete}`.
#[derive(Debug, Serialize)]
pub struct AthleteAnswer<'a> {
    pub athlete: CompetitorId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noc: Option<&'a Noc>,
    /// The NOC's English name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noc_name: Option<&'a str>,
    pub standing: Option<AthleteMedalRow>,
    pub medals: Vec<&'a MedalAward>,
    /// Every event they are entered in, by first scheduled start.
    pub events: Vec<AthleteEvent<'a>>,
    pub next: Option<NextUnit<'a>>,
}

/// An event an athlete is entered in, and their (or their team's) placements.
#[derive(Debug, Serialize)]
pub struct AthleteEvent<'a> {
    pub event: &'a EventCode,
    pub event_name: &'a str,
    pub progress: Progress,
    /// The team they compete in, when they are a member of one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamRef<'a>>,
    pub results: Vec<PlacementLine<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TeamRef<'a> {
    pub competitor: &'a CompetitorId,
    pub name: &'a str,
}

/// The next unit an athlete is due in.
#[derive(Debug, Serialize)]
pub struct NextUnit<'a> {
    pub event: &'a EventCode,
    pub event_name: &'a str,
    pub unit: &'a UnitCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<&'a str>,
    pub day: &'a LogicalDay,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_utc_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<&'a Venue>,
}

impl Games {
    /// One athlete (or team) by id; `None` when no event lists them and they won no medal.
    pub fn athlete(&self, id: CompetitorId) -> Option<AthleteAnswer<'_>> {
        let mut entered: Vec<(&EventListing, &Entry, Option<TeamRef<'_>>)> = Vec::new();
        let mut who: Option<(&str, &Noc)> = None;
        for listing in self.listings() {
            for entry in self.entries(&listing.code) {
                if entry.competitor == id {
                    who = who.or(Some((&entry.name, &entry.noc)));
                    entered.push((listing, entry, None));
                } else if let Some(member) = entry.members.iter().find(|m| m.id == id) {
                    who = who.or(Some((&member.name, &entry.noc)));
                    let team = TeamRef {
                        competitor: &entry.competitor,
                        name: &entry.name,
                    };
                    entered.push((listing, entry, Some(team)));
                }
            }
        }
        let medals: Vec<&MedalAward> = self
            .book()
            .awards()
            .filter(|a| a.competitor == id || a.members.iter().any(|m| m.id == id))
            .collect();
        if entered.is_empty() && medals.is_empty() {
            return None;
        }
        if who.is_none() {
            who = medals.first().map(|award| {
                let name = award
                    .members
                    .iter()
                    .find(|m| m.id == id)
                    .map_or(award.name.as_str(), |m| m.name.as_str());
                (name, &award.noc)
            });
        }
        let standing = athletes(
            self.book().awards(),
            &MedalFilter::default(),
            MedalOrder::GoldFirst,
        )
        .into_iter()
        .find(|r| r.competitor == id);
        entered.sort_by_key(|(listing, _, _)| first_start(listing));
        let next = entered
            .iter()
            .filter_map(|(listing, entry, _)| self.next_unit(listing, entry))
            .min_by_key(|next| next.start_utc_ms.unwrap_or(u64::MAX));
        let events = entered
            .into_iter()
            .map(|(listing, entry, team)| AthleteEvent {
                event: &listing.code,
                event_name: &listing.name,
                progress: listing.progress,
                team,
                results: entry
                    .results
                    .iter()
                    .map(|p| self.placement_line(&listing.code, p))
                    .collect(),
            })
            .collect();
        Some(AthleteAnswer {
            athlete: id,
            name: who.map(|(name, _)| name),
            noc: who.map(|(_, noc)| noc),
            noc_name: who.map(|(_, noc)| domain::noc_name(noc)),
            standing,
            medals,
            events,
            next,
        })
    }

    /// The unit `entry` is due in next in this event (see the module's header), if any.
    fn next_unit<'a>(&'a self, listing: &'a EventListing, entry: &Entry) -> Option<NextUnit<'a>> {
        if listing.progress == Progress::Finished || self.is_out(listing, entry) {
            return None;
        }
        let entries = self.entries(&listing.code);
        let listed = |unit: &UnitCode| {
            entries
                .iter()
                .any(|e| e.results.iter().any(|p| &p.unit == unit))
        };
        let games_event = listing.units.iter().any(|line| line.home.is_some());
        let mut schedule: Vec<_> = listing.schedule.iter().collect();
        schedule.sort_by_key(|unit| unit.start_utc_ms.unwrap_or(u64::MAX));
        schedule
            .into_iter()
            .find(|scheduled| {
                let line = listing.units.iter().find(|l| l.unit == scheduled.unit);
                if line.and_then(|l| l.status).is_some_and(|s| s.is_final()) {
                    return false;
                }
                if let Some((home, away)) = line.and_then(|l| l.home.as_ref().zip(l.away.as_ref()))
                {
                    return home.competitor == entry.competitor
                        || away.competitor == entry.competitor;
                }
                if listed(&scheduled.unit) {
                    return entry.results.iter().any(|p| p.unit == scheduled.unit);
                }
                // Nobody listed yet: anyone's unit, except a game whose teams are not known.
                !games_event
            })
            .map(|scheduled| NextUnit {
                event: &listing.code,
                event_name: &listing.name,
                unit: &scheduled.unit,
                unit_name: self
                    .unit_line(&listing.code, &scheduled.unit)
                    .map(|line| line.name.as_str()),
                day: &scheduled.day,
                start_utc_ms: scheduled.start_utc_ms,
                venue: listing.venue.as_ref(),
            })
    }

    /// True once a final unit gave `entry` an irregular result, or ended an advancing phase without
    /// qualifying them.
    fn is_out(&self, listing: &EventListing, entry: &Entry) -> bool {
        let entries = self.entries(&listing.code);
        entry.results.iter().any(|placement| {
            let is_final = self
                .unit_line(&listing.code, &placement.unit)
                .and_then(|line| line.status)
                .is_some_and(|status| status.is_final());
            let advances = entries.iter().any(|e| {
                e.results
                    .iter()
                    .any(|p| p.unit == placement.unit && p.qualification.is_some())
            });
            is_final && (placement.irm.is_some() || (advances && placement.qualification.is_none()))
        })
    }
}

fn first_start(listing: &EventListing) -> u64 {
    listing
        .schedule
        .iter()
        .filter_map(|unit| unit.start_utc_ms)
        .min()
        .unwrap_or(u64::MAX)
}
