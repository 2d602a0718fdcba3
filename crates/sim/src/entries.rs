//! The athletes of the Games and who is entered in each event: every NOC gets a squad per discipline
//! (bigger for stronger nations), and events take each NOC's best athletes up to its quota.
//!
//! An athlete has one competitor id for the whole Games, so one entered in several events keeps it.
//! Teams (relays, sleds, hockey rosters, curling rinks) are `kind: team` entries whose `members` are
//! athletes of the same squads.

use std::collections::{BTreeMap, BTreeSet};

use domain::{CompetitorId, CompetitorKind, Discipline, Noc, Participant, ResultEntry, TeamMember};

use crate::SimError;
use crate::names::{self, Sex};
use crate::nocs::{NOCS, NocInfo};
use rng::Rng;

/// Which squad of a discipline: figure skating's pairs and dance couples are other people than its
/// single skaters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Squad {
    Main,
    Pairs,
    Dance,
}

/// One athlete.
#[derive(Debug, Clone, PartialEq)]
pub struct Athlete {
    pub id: CompetitorId,
    pub name: String,
    pub noc: &'static NocInfo,
    /// General class, about 0.2 (a newcomer from a small nation) to 1 (a favourite).
    pub skill: f64,
}

type PoolKey = (&'static str, Discipline, Sex, Squad);

/// Every athlete of the Games, by NOC, discipline, sex and squad.
#[derive(Debug, Clone)]
pub struct Roster {
    seed: u64,
    pools: BTreeMap<PoolKey, Vec<Athlete>>,
}

/// How many athletes an NOC brings to a discipline (per sex and squad).
fn squad_size(discipline: Discipline, squad: Squad, strength: u8) -> usize {
    if strength == 0 {
        return 0;
    }
    match (discipline, squad) {
        (Discipline::IceHockey, _) => 23,
        (Discipline::Curling, _) => 6,
        (Discipline::FigureSkating, Squad::Pairs | Squad::Dance) => {
            if strength >= 6 {
                3
            } else {
                1
            }
        }
        _ => {
            let base = match strength {
                1..=2 => 2,
                3..=4 => 4,
                5..=6 => 6,
                7..=8 => 8,
                _ => 10,
            };
            // A bob crew is two or four athletes, and a strong nation sends three sleds.
            if discipline == Discipline::Bobsleigh {
                base + base / 2
            } else {
                base
            }
        }
    }
}

fn squads(discipline: Discipline) -> &'static [Squad] {
    if discipline == Discipline::FigureSkating {
        &[Squad::Main, Squad::Pairs, Squad::Dance]
    } else {
        &[Squad::Main]
    }
}

impl Roster {
    /// Draws every squad. Deterministic: NOCs, disciplines, sexes and squads are visited in a fixed
    /// order, and an id taken once gets a number (`HANSEN_I2`).
    pub fn new(seed: u64) -> Result<Self, SimError> {
        let mut pools = BTreeMap::new();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for info in NOCS {
            for discipline in Discipline::ALL {
                let strength = info.strength(discipline);
                for sex in [Sex::Men, Sex::Women] {
                    for &squad in squads(discipline) {
                        let size = squad_size(discipline, squad, strength);
                        if size == 0 {
                            continue;
                        }
                        let stream = format!(
                            "athletes/{}/{}/{}/{squad:?}",
                            info.code,
                            discipline.code(),
                            sex.letter()
                        );
                        let mut rng = Rng::stream(seed, &stream);
                        let level = f64::from(strength) / 9.0;
                        let mut squad_athletes = Vec::with_capacity(size);
                        for i in 0..size {
                            let person = names::draw(info.region, sex, &mut rng);
                            let stem = person.id_stem();
                            let id = unique_id(&stem, &mut taken);
                            let depth = 1.0 - 0.05 * i as f64;
                            let skill = 0.15 + 0.75 * level * depth + 0.12 * rng.unit();
                            squad_athletes.push(Athlete {
                                id: parse_id(&id)?,
                                name: person.display(),
                                noc: info,
                                skill,
                            });
                        }
                        pools.insert((info.code, discipline, sex, squad), squad_athletes);
                    }
                }
            }
        }
        Ok(Self { seed, pools })
    }

    /// An NOC's squad (empty when it has none).
    pub fn squad(&self, noc: &str, discipline: Discipline, sex: Sex, squad: Squad) -> &[Athlete] {
        self.pools
            .iter()
            .find(|((code, d, s, q), _)| {
                *code == noc && *d == discipline && *s == sex && *q == squad
            })
            .map_or(&[], |(_, athletes)| athletes.as_slice())
    }

    /// Every athlete, for statistics.
    pub fn len(&self) -> usize {
        self.pools.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// An athlete's form in one kind of event (`family`, e.g. alpine speed or technical): class plus a
    /// personal bent that stays the same across the events of that family.
    pub fn form(&self, athlete: &Athlete, family: &str) -> f64 {
        let mut rng = Rng::stream(self.seed, &format!("form/{}/{family}", athlete.id));
        athlete.skill + 0.07 * rng.normal()
    }
}

fn unique_id(stem: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = stem.to_owned();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{stem}{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

fn parse_id(id: &str) -> Result<CompetitorId, SimError> {
    CompetitorId::parse_at(id, "competitor").map_err(|error| SimError::Data {
        what: format!("competitor id {id}"),
        reason: error.to_string(),
    })
}

/// A competitor entered in an event: an athlete or a team.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: CompetitorId,
    pub name: String,
    pub noc: Noc,
    pub kind: CompetitorKind,
    pub members: Vec<TeamMember>,
    /// Form in this event, about 0.2 to 1.1; results are drawn around it.
    pub skill: f64,
}

impl Entry {
    fn athlete(athlete: &Athlete, skill: f64) -> Result<Self, SimError> {
        Ok(Self {
            id: athlete.id.clone(),
            name: athlete.name.clone(),
            noc: noc_code(athlete.noc.code)?,
            kind: CompetitorKind::Athlete,
            members: Vec::new(),
            skill,
        })
    }

    /// The definition's participant.
    pub fn participant(&self) -> Participant {
        Participant {
            id: self.id.clone(),
            name: self.name.clone(),
            noc: self.noc.clone(),
            kind: self.kind,
            members: self.members.clone(),
        }
    }

    /// A results line without a mark.
    pub fn line(&self) -> ResultEntry {
        ResultEntry {
            competitor: self.id.clone(),
            name: self.name.clone(),
            noc: self.noc.clone(),
            mark: None,
            irm: None,
            start_order: None,
            members: Vec::new(),
        }
    }
}

pub fn noc_code(code: &str) -> Result<Noc, SimError> {
    Noc::parse_at(code, "noc").map_err(|error| SimError::Data {
        what: format!("NOC {code}"),
        reason: error.to_string(),
    })
}

/// What an individual event takes from the roster.
#[derive(Debug, Clone, Copy)]
pub struct IndividualCall<'a> {
    pub discipline: Discipline,
    pub sex: Sex,
    pub squad: Squad,
    /// Athletes share their form across events of a family (e.g. `alpine-speed`).
    pub family: &'a str,
    pub field: usize,
    pub max_per_noc: usize,
}

/// The entries of an individual event, strongest first: each nation's best athletes up to the event's
/// quota (a strong nation's squad is bigger and better). A nation's first athlete counts as a little
/// stronger when places are handed out, so smaller nations keep a start in big fields (as universality
/// places do) while the strongest nations still fill their quotas.
pub fn individuals(roster: &Roster, call: IndividualCall<'_>) -> Result<Vec<Entry>, SimError> {
    let mut candidates: Vec<(f64, f64, &Athlete)> = Vec::new();
    for info in NOCS {
        let mut squad: Vec<(f64, &Athlete)> = roster
            .squad(info.code, call.discipline, call.sex, call.squad)
            .iter()
            .map(|a| (roster.form(a, call.family), a))
            .collect();
        squad.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (place, (form, athlete)) in squad.into_iter().take(call.max_per_noc).enumerate() {
            let priority = if place == 0 {
                form + UNIVERSALITY_BONUS
            } else {
                form
            };
            candidates.push((priority, form, athlete));
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.id.cmp(&b.2.id)));
    candidates.truncate(call.field);
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.id.cmp(&b.2.id)));
    candidates
        .into_iter()
        .map(|(_, form, athlete)| Entry::athlete(athlete, form))
        .collect()
}

/// How much a nation's first athlete is favoured when a field is full.
const UNIVERSALITY_BONUS: f64 = 0.25;

/// What a team event takes from the roster.
#[derive(Debug, Clone, Copy)]
pub struct TeamCall<'a> {
    pub event: &'a str,
    pub discipline: Discipline,
    pub squad: Squad,
    pub family: &'a str,
    /// Members per team, by sex (each sex listed once), in the order they compete.
    pub crew: &'a [(Sex, usize)],
    pub field: usize,
    /// Teams per NOC at most (three bobs for the strongest nations, one relay each).
    pub max_per_noc: usize,
    /// Only these NOCs, in this order (qualified tournaments); empty: the strongest nations.
    pub only: &'a [&'a str],
}

/// The teams of a team event, strongest first.
pub fn teams(roster: &Roster, call: TeamCall<'_>) -> Result<Vec<Entry>, SimError> {
    let mut nations: Vec<&NocInfo> = if call.only.is_empty() {
        NOCS.iter()
            .filter(|n| n.enters_teams() && n.strength(call.discipline) > 0)
            .collect()
    } else {
        call.only
            .iter()
            .map(|code| {
                crate::nocs::noc(code).ok_or_else(|| SimError::Data {
                    what: format!("team of {code} in {}", call.event),
                    reason: "unknown NOC".into(),
                })
            })
            .collect::<Result<_, _>>()?
    };
    if call.only.is_empty() {
        nations.sort_by(|a, b| {
            b.strength(call.discipline)
                .cmp(&a.strength(call.discipline))
                .then(a.code.cmp(b.code))
        });
    }
    let mut out = Vec::new();
    // First every nation's first team, then second teams, so the field is spread as quotas are.
    let mut per_nation: Vec<Vec<Entry>> = Vec::new();
    for info in &nations {
        let strength = info.strength(call.discipline);
        let wanted = match strength {
            7..=9 => call.max_per_noc,
            4..=6 => call.max_per_noc.min(2),
            _ => 1,
        };
        let mut by_sex: BTreeMap<Sex, Vec<(f64, &Athlete)>> = BTreeMap::new();
        for &(sex, _) in call.crew {
            let mut squad: Vec<(f64, &Athlete)> = roster
                .squad(info.code, call.discipline, sex, call.squad)
                .iter()
                .map(|a| (roster.form(a, call.family), a))
                .collect();
            squad.sort_by(|a, b| b.0.total_cmp(&a.0));
            by_sex.insert(sex, squad);
        }
        let mut teams_here = Vec::new();
        for k in 0..wanted {
            let mut members = Vec::new();
            let mut forms = Vec::new();
            let mut complete = true;
            for &(sex, count) in call.crew {
                let squad = by_sex.get(&sex).map_or(&[][..], Vec::as_slice);
                let start = k * count;
                let chosen = squad.get(start..start + count);
                match chosen {
                    Some(chosen) => {
                        for (form, athlete) in chosen {
                            members.push(TeamMember {
                                id: athlete.id.clone(),
                                name: athlete.name.clone(),
                            });
                            forms.push(*form);
                        }
                    }
                    None => complete = false,
                }
            }
            if !complete || members.is_empty() {
                break;
            }
            let skill = forms.iter().sum::<f64>() / forms.len() as f64;
            let (id, name) = if wanted > 1 {
                (
                    format!("{}-{}-{}", info.code, call.event, k + 1),
                    format!("{} {}", info.name, k + 1),
                )
            } else {
                (
                    format!("{}-{}", info.code, call.event),
                    info.name.to_owned(),
                )
            };
            teams_here.push(Entry {
                id: parse_id(&id)?,
                name,
                noc: noc_code(info.code)?,
                kind: CompetitorKind::Team,
                members,
                skill,
            });
        }
        per_nation.push(teams_here);
    }
    let deepest = per_nation.iter().map(Vec::len).max().unwrap_or(0);
    for round in 0..deepest {
        for teams_here in &per_nation {
            if let Some(team) = teams_here.get(round) {
                out.push(team.clone());
            }
        }
    }
    out.truncate(call.field);
    if call.only.is_empty() {
        out.sort_by(|a, b| b.skill.total_cmp(&a.skill));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster() -> Roster {
        match Roster::new(1) {
            Ok(roster) => roster,
            Err(error) => unreachable!("{error}"),
        }
    }

    #[test]
    fn ids_are_unique_across_the_games() {
        let roster = roster();
        let mut seen = BTreeSet::new();
        for athletes in roster.pools.values() {
            for athlete in athletes {
                assert!(seen.insert(athlete.id.clone()), "{} twice", athlete.id);
            }
        }
        assert!(roster.len() > 2_000, "{} athletes", roster.len());
    }

    #[test]
    fn fields_respect_quotas_and_sizes() {
        let roster = roster();
        let call = IndividualCall {
            discipline: Discipline::AlpineSkiing,
            sex: Sex::Men,
            squad: Squad::Main,
            family: "alpine-tech",
            field: 90,
            max_per_noc: 4,
        };
        let entries = match individuals(&roster, call) {
            Ok(entries) => entries,
            Err(error) => unreachable!("{error}"),
        };
        assert!(
            entries.len() >= 70 && entries.len() <= 90,
            "{}",
            entries.len()
        );
        let mut per_noc: BTreeMap<&str, usize> = BTreeMap::new();
        for entry in &entries {
            *per_noc.entry(entry.noc.as_str()).or_default() += 1;
        }
        assert!(per_noc.values().all(|n| *n <= 4));
        assert_eq!(per_noc.get("AUT"), Some(&4));
        assert_eq!(per_noc.get("SUI"), Some(&4));
        let single = per_noc.values().filter(|n| **n == 1).count();
        assert!(
            single >= 25,
            "small nations keep a place: {single} with one athlete"
        );
        let downhill = IndividualCall {
            field: 50,
            family: "alpine-speed",
            ..call
        };
        let fast = match individuals(&roster, downhill) {
            Ok(entries) => entries,
            Err(error) => unreachable!("{error}"),
        };
        assert_eq!(fast.len(), 50);
    }

    #[test]
    fn teams_are_made_of_the_nations_athletes() {
        let roster = roster();
        let call = TeamCall {
            event: "BOBMFOURMAN",
            discipline: Discipline::Bobsleigh,
            squad: Squad::Main,
            family: "bob",
            crew: &[(Sex::Men, 4)],
            field: 26,
            max_per_noc: 3,
            only: &[],
        };
        let sleds = match teams(&roster, call) {
            Ok(sleds) => sleds,
            Err(error) => unreachable!("{error}"),
        };
        assert!(sleds.iter().filter(|s| s.noc.as_str() == "GER").count() == 3);
        for sled in &sleds {
            assert_eq!(sled.members.len(), 4);
            let squad = roster.squad(
                sled.noc.as_str(),
                Discipline::Bobsleigh,
                Sex::Men,
                Squad::Main,
            );
            assert!(
                sled.members
                    .iter()
                    .all(|m| squad.iter().any(|a| a.id == m.id))
            );
        }
        let mut members: Vec<&CompetitorId> = sleds
            .iter()
            .flat_map(|s| s.members.iter().map(|m| &m.id))
            .collect();
        let count = members.len();
        members.sort();
        members.dedup();
        assert_eq!(
            members.len(),
            count,
            "nobody sits in two sleds of one event"
        );
    }
}
