//! Deterministic, realistic-looking inputs: a timed race of N competitors and a whole Games of medals.
//!
//! Everything is built through the domain crate's public API from the workspace's one seeded generator
//! (`rng`), so native, wasm and the Redis peer see exactly the same competitors, times and medals.

use domain::{
    ApplyContext, CompetitorId, CompetitorKind, EventCode, EventDefinition, EventMedals, Irm,
    LogicalDay, Medal, MedalAward, Noc, Participant, PhaseDefinition, ResultEntry, ResultStatus,
    ResultsMessage, Rounding, ScheduledUnit, ScoringFormat, TeamMember, TimePrecision, UnitCode,
};

use rng::Rng;

/// Ninety NOC codes, roughly strongest winter nations first (the medal generator favours the front).
pub const NOCS: [&str; 90] = [
    "NOR", "GER", "USA", "CAN", "AUT", "SUI", "NED", "ITA", "FRA", "SWE", "CHN", "JPN", "KOR",
    "FIN", "CZE", "SLO", "GBR", "AIN", "POL", "AUS", "SVK", "NZL", "BEL", "EST", "LAT", "UKR",
    "HUN", "ESP", "DEN", "KAZ", "BUL", "CRO", "LTU", "ROU", "GEO", "ISR", "IRL", "ISL", "AND",
    "LIE", "MON", "BIH", "SRB", "MNE", "MKD", "ARM", "AZE", "MDA", "TUR", "GRE", "CYP", "MLT",
    "LUX", "SMR", "POR", "BRA", "ARG", "CHI", "COL", "MEX", "PER", "BOL", "ECU", "URU", "VEN",
    "PUR", "JAM", "TTO", "HAI", "RSA", "MAR", "NGR", "GHA", "KEN", "MAD", "EGY", "IND", "PAK",
    "IRI", "LIB", "UAE", "UZB", "KGZ", "MGL", "TPE", "HKG", "PHI", "THA", "SGP", "KOS",
];

const FIRST_NAMES: [&str; 16] = [
    "Anna",
    "Lukas",
    "Sofia",
    "Henrik",
    "Marta",
    "Jonas",
    "Elena",
    "Mikael",
    "Chloé",
    "Tomás",
    "Ingrid",
    "Paolo",
    "Yuki",
    "Aleksander",
    "Nadia",
    "Johannes",
];
const SURNAMES: [&str; 24] = [
    "Berg",
    "Müller",
    "Rossi",
    "Johansen",
    "Kowalski",
    "Dubois",
    "Novak",
    "Svensson",
    "Tanaka",
    "Fischer",
    "Bianchi",
    "Larsen",
    "Horvath",
    "Kim",
    "Andersson",
    "Moreau",
    "Huber",
    "Nilsen",
    "Schmid",
    "Costa",
    "Virtanen",
    "Lindqvist",
    "Pellegrino",
    "Strand",
];

/// Parses a code the fixtures wrote themselves; the generators only produce valid codes.
fn code<T: std::str::FromStr>(text: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|error| format!("fixture code {text:?}: {error}"))
}

fn name(rng: &mut Rng) -> String {
    let first = FIRST_NAMES[rng.index(FIRST_NAMES.len())];
    let last = SURNAMES[rng.index(SURNAMES.len())];
    format!("{first} {}", last.to_uppercase())
}

/// The context every benchmark message is applied with.
pub fn context() -> ApplyContext {
    ApplyContext {
        feed: "odf-bench".into(),
        received_at_ms: 1_770_800_000_000,
    }
}

/// The unit every race benchmark updates: the final, which is also the medal unit.
pub const UNIT: &str = "FNL";

/// A race in progress for the leaderboard benchmark: lowest time at 1/100 s (raw feed times in ms, so
/// some differ only in the thousandths and tie), about 3 % irregular results, the last ~10 % still to
/// finish. Each [`Race::next_message`] is a new version of the unit that differs from the previous one
/// in one entry: alternately a corrected time (a time moves a few hundredths away from its generated
/// value, or back to it), and a late starter finishing (once all have finished, their times are
/// withdrawn again one by one). The race keeps its shape however many updates are made.
#[derive(Debug, Clone)]
pub struct Race {
    pub definition: EventDefinition,
    entries: Vec<ResultEntry>,
    /// Indexes of the entries at the end of the start list that toggle between pending and finished.
    late: Vec<usize>,
    /// Indexes of entries that have a valid time.
    timed: Vec<usize>,
    /// Every entry's generated raw time, which corrections move away from and back to.
    times: Vec<u64>,
    version: u64,
    step: u64,
    rng: Rng,
}

impl Race {
    pub fn new(competitors: usize, seed: u64) -> Result<Self, String> {
        let mut rng = Rng::new(seed);
        let event: EventCode = code("ALPMDOWNHILL")?;
        let unit: UnitCode = code(UNIT)?;
        let mut entries = Vec::with_capacity(competitors);
        let mut participants = Vec::with_capacity(competitors);
        let late_from = competitors - (competitors / 10).max(2);
        let mut timed = Vec::new();
        let mut late = Vec::new();
        let mut times = Vec::with_capacity(competitors);
        // A downhill-like spread: leader near 1:44, the field within a few seconds (bigger fields wider).
        let spread_ms = 2_000 + 8 * competitors as u64;
        for i in 0..competitors {
            let competitor: CompetitorId = code(&format!("A{:06}", 100_000 + i * 37))?;
            let noc: Noc = code(NOCS[rng.index(NOCS.len())])?;
            let athlete = name(&mut rng);
            // A sum of two uniforms: a humped distribution of times.
            let time_ms = 104_000 + (rng.below(spread_ms) + rng.below(spread_ms)) / 2;
            times.push(time_ms);
            let (mark, irm) = if i >= late_from {
                late.push(i);
                (None, None)
            } else if rng.below(100) < 3 {
                let irm = match rng.below(6) {
                    0 => Irm::Dsq,
                    1 => Irm::Dns,
                    _ => Irm::Dnf,
                };
                (None, Some(irm))
            } else {
                timed.push(i);
                (Some(domain::Mark::Time { time_ms }), None)
            };
            participants.push(Participant {
                id: competitor.clone(),
                name: athlete.clone(),
                noc: noc.clone(),
                kind: CompetitorKind::Athlete,
                members: Vec::new(),
            });
            entries.push(ResultEntry {
                competitor,
                name: athlete,
                noc,
                mark,
                irm,
                start_order: Some(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                members: Vec::new(),
            });
        }
        // A few exact ties at 1/100 s: copy a neighbour's time with different thousandths.
        for k in 0..(timed.len() / 15).max(1) {
            if let (Some(&from), Some(&to)) = (timed.get(k * 7), timed.get(k * 7 + 3)) {
                let time_ms = times[from] / 10 * 10 + (times[from] + 3) % 10;
                times[to] = time_ms;
                entries[to].mark = Some(domain::Mark::Time { time_ms });
            }
        }
        let definition = EventDefinition {
            code: event,
            name: "Men's Downhill".into(),
            format: ScoringFormat::LowestTime {
                precision: TimePrecision::Hundredths,
                rounding: Rounding::Truncate,
            },
            phases: vec![PhaseDefinition {
                code: unit.clone(),
                name: "Final".into(),
                units: vec![unit.clone()],
                format: None,
                advancement: None,
            }],
            medal_unit: unit.clone(),
            bronze_unit: None,
            venue: None,
            schedule: vec![ScheduledUnit {
                unit,
                day: code("2026-02-07")?,
                start_utc_ms: Some(1_770_458_400_000),
            }],
            participants,
            seeding: Vec::new(),
            bracket: Vec::new(),
        };
        definition.validate().map_err(|error| error.to_string())?;
        Ok(Self {
            definition,
            entries,
            late,
            timed,
            times,
            version: 0,
            step: 0,
            rng,
        })
    }

    /// The same race in an event without a participant list: results are then not checked against
    /// the entries (the domain skips that lookup).
    pub fn without_participants(mut self) -> Self {
        self.definition.participants.clear();
        self
    }

    pub fn competitors(&self) -> usize {
        self.entries.len()
    }

    /// The first version of the unit: the race as generated.
    pub fn first_message(&mut self) -> ResultsMessage {
        self.message()
    }

    /// The next version: one entry changed from the previous version (see [`Race`]).
    pub fn next_message(&mut self) -> ResultsMessage {
        self.advance();
        self.message()
    }

    /// Makes the next change to the race and returns it: the entry's index and its new raw time
    /// (`None`: the time is withdrawn). The Redis peer writes that one member's score.
    pub fn advance(&mut self) -> (usize, Option<u64>) {
        let (index, time_ms) = self.next_change();
        if let Some(entry) = self.entries.get_mut(index) {
            entry.mark = time_ms.map(|time_ms| domain::Mark::Time { time_ms });
        }
        (index, time_ms)
    }

    fn next_change(&mut self) -> (usize, Option<u64>) {
        self.step += 1;
        if self.step % 2 == 1 || self.late.is_empty() {
            // A corrected time: one to nine hundredths slower than generated, or back.
            let index = self.timed[self.rng.index(self.timed.len())];
            let generated = self.times[index];
            let time_ms = match self.entries[index].mark {
                Some(domain::Mark::Time { time_ms }) if time_ms == generated => {
                    generated + 10 * (1 + self.rng.below(9))
                }
                _ => generated,
            };
            (index, Some(time_ms))
        } else {
            let slot = usize::try_from((self.step / 2) % self.late.len() as u64).unwrap_or(0);
            let index = self.late[slot];
            if self.entries[index].mark.is_some() {
                (index, None)
            } else {
                (index, Some(self.times[index]))
            }
        }
    }

    fn message(&mut self) -> ResultsMessage {
        self.version += 1;
        ResultsMessage {
            message_id: format!("ALPMDOWNHILL-{UNIT}-v{}", self.version),
            unit: self.definition.medal_unit.clone(),
            version: self.version,
            status: ResultStatus::Live,
            entries: self.entries.clone(),
            note: None,
        }
    }

    /// The entries of the current version (for the Redis peer's initial load).
    pub fn entries(&self) -> &[ResultEntry] {
        &self.entries
    }
}

/// How many events of each discipline a Games has (Milano Cortina 2026: 116 events).
const PROGRAMME: [(&str, usize, bool); 16] = [
    // (discipline, events, team events among them are every third)
    ("ALP", 10, false),
    ("BTH", 11, true),
    ("BOB", 4, true),
    ("CCS", 12, true),
    ("CUR", 3, true),
    ("FSK", 5, false),
    ("FRS", 15, false),
    ("IHO", 2, true),
    ("LUG", 5, false),
    ("NCB", 3, true),
    ("STK", 9, true),
    ("SKN", 3, false),
    ("SJP", 6, true),
    ("SMT", 3, false),
    ("SBD", 11, false),
    ("SSK", 14, true),
];

/// A whole Games of medals: 116 events, medals drawn from 90 NOCs with the strong nations favoured,
/// about 4 % of events with a shared medal (two golds and no silver, or two bronzes), team events
/// with four members each.
#[derive(Debug, Clone)]
pub struct Games {
    pub events: Vec<EventMedals>,
}

impl Games {
    pub fn new(seed: u64) -> Result<Self, String> {
        let mut rng = Rng::new(seed);
        // Zipf-like weights over the NOC list.
        let weights: Vec<f64> = (0..NOCS.len())
            .map(|r| 1.0 / ((r + 1) as f64).powf(1.1))
            .collect();
        let total: f64 = weights.iter().sum();
        let pick_noc = |rng: &mut Rng| {
            let mut target = rng.unit() * total;
            for (i, weight) in weights.iter().enumerate() {
                target -= weight;
                if target <= 0.0 {
                    return NOCS[i];
                }
            }
            NOCS[NOCS.len() - 1]
        };
        let mut events = Vec::new();
        let mut serial = 0usize;
        for (discipline, count, has_teams) in PROGRAMME {
            for k in 0..count {
                serial += 1;
                let gender = match k % 5 {
                    4 => "X",
                    1 | 3 => "W",
                    _ => "M",
                };
                let event: EventCode = code(&format!("{discipline}{gender}EVENT{k:02}"))?;
                let team = has_teams && k % 3 == 2;
                let day: LogicalDay = code(&format!("2026-02-{:02}", 7 + serial % 16))?;
                let medals: &[Medal] = match rng.below(50) {
                    0 => &[Medal::Gold, Medal::Gold, Medal::Bronze],
                    1 => &[Medal::Gold, Medal::Silver, Medal::Bronze, Medal::Bronze],
                    _ => &[Medal::Gold, Medal::Silver, Medal::Bronze],
                };
                let mut awards = Vec::new();
                for (m, medal) in medals.iter().enumerate() {
                    let noc = pick_noc(&mut rng);
                    let competitor: CompetitorId =
                        code(&format!("{discipline}{serial:03}{m}{noc}"))?;
                    let members = if team {
                        (0..4)
                            .map(|j| {
                                Ok(TeamMember {
                                    id: code(&format!("{discipline}{serial:03}{m}{noc}{j}"))?,
                                    name: name(&mut rng),
                                })
                            })
                            .collect::<Result<Vec<_>, String>>()?
                    } else {
                        Vec::new()
                    };
                    awards.push(MedalAward {
                        event: event.clone(),
                        medal: *medal,
                        competitor,
                        name: if team { noc.to_owned() } else { name(&mut rng) },
                        noc: code(noc)?,
                        kind: if team {
                            CompetitorKind::Team
                        } else {
                            CompetitorKind::Athlete
                        },
                        day: Some(day.clone()),
                        members,
                    });
                }
                events.push(EventMedals {
                    event,
                    event_version: 1,
                    awards,
                });
            }
        }
        Ok(Self { events })
    }

    /// Every award of the Games.
    pub fn awards(&self) -> Vec<MedalAward> {
        self.events
            .iter()
            .flat_map(|e| e.awards.iter().cloned())
            .collect()
    }

    /// An event's medals at `event_version`; when `reallocated`, as after the gold medallist's
    /// disqualification after OFFICIAL: everyone moves up a medal and a new competitor takes bronze.
    pub fn correction(
        &self,
        event: usize,
        event_version: u64,
        reallocated: bool,
    ) -> Option<EventMedals> {
        let mut medals = self.events.get(event)?.clone();
        medals.event_version = event_version;
        if reallocated && !medals.awards.is_empty() {
            let disqualified = medals.awards.remove(0);
            for award in &mut medals.awards {
                award.medal = match award.medal {
                    Medal::Bronze => Medal::Silver,
                    _ => Medal::Gold,
                };
            }
            let noc = NOCS[(event * 13) % NOCS.len()];
            let competitor = format!("{}R{noc}", disqualified.competitor);
            medals.awards.push(MedalAward {
                medal: Medal::Bronze,
                competitor: code(&competitor).ok()?,
                noc: code(noc).ok()?,
                ..disqualified
            });
        }
        Some(medals)
    }
}
