//! The whole Games as one time-ordered list of messages with simulated UTC times, its fingerprint (so a
//! kept progress file can tell it is resuming the same Games), and its statistics.

use std::collections::BTreeMap;
use std::io::Write;

use serde::{Deserialize, Serialize};

use domain::{EventCode, EventDefinition, EventState, GameResult, ResultStatus, ResultsMessage};

use crate::calendar::{Date, venue_date};
use crate::entries::Roster;
use crate::events::{self, Ctx};
use crate::incidents::Feature;
use crate::programme::{self, Profile};
use crate::{SimError, calendar};

/// One message of a feed, as the batch route takes it: `{"kind": …, "message": …}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum Outgoing {
    Definition(EventDefinition),
    Results(ResultsMessage),
    Game(GameResult),
}

impl Outgoing {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Definition(_) => "definition",
            Self::Results(_) => "results",
            Self::Game(_) => "game",
        }
    }

    /// The unit a results or game message is for.
    pub fn unit(&self) -> Option<&domain::UnitCode> {
        match self {
            Self::Definition(_) => None,
            Self::Results(m) => Some(&m.unit),
            Self::Game(g) => Some(&g.unit),
        }
    }

    pub fn version(&self) -> u64 {
        match self {
            Self::Definition(_) => 0,
            Self::Results(m) => m.version,
            Self::Game(g) => g.version,
        }
    }

    pub fn status(&self) -> Option<ResultStatus> {
        match self {
            Self::Definition(_) => None,
            Self::Results(m) => Some(m.status),
            Self::Game(g) => Some(g.status),
        }
    }

    pub fn note(&self) -> Option<&str> {
        match self {
            Self::Definition(_) => None,
            Self::Results(m) => m.note.as_deref(),
            Self::Game(g) => g.note.as_deref(),
        }
    }
}

/// A message and when the feed sends it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scheduled {
    /// Simulated UTC time, in Unix milliseconds.
    pub at_ms: u64,
    pub event: EventCode,
    #[serde(flatten)]
    pub message: Outgoing,
}

/// What tests look for in a Games: the scripted incidents and the tournaments' brackets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Features {
    pub list: Vec<Feature>,
}

/// A whole Games.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub seed: u64,
    pub profile: Profile,
    pub items: Vec<Scheduled>,
    pub features: Features,
    /// Each event's state after every message, as the domain applied them while writing.
    pub finals: BTreeMap<String, EventState>,
    pub athletes: usize,
}

/// Definitions go out the morning the first competition starts (curling on 4 February), before it.
fn definitions_at() -> u64 {
    Date::feb(4).at(8, 0)
}

impl Timeline {
    /// Plays the Games of `seed` and `profile`. Pure: the same arguments give the same timeline.
    pub fn build(seed: u64, profile: Profile) -> Result<Self, SimError> {
        let roster = Roster::new(seed)?;
        let mut finals: BTreeMap<String, EventState> = BTreeMap::new();
        let mut items = Vec::new();
        let mut features = Vec::new();
        for spec in programme::events(profile) {
            let played = {
                let ctx = Ctx {
                    seed,
                    roster: &roster,
                    done: &finals,
                    published_at: definitions_at(),
                };
                events::play(&spec, &ctx)?
            };
            items.extend(played.items);
            features.extend(played.features);
            finals.insert(spec.code.to_owned(), played.state);
        }
        // Stable: an event's messages keep their order, and events at the same instant keep programme order.
        items.sort_by_key(|item| item.at_ms);
        Ok(Self {
            seed,
            profile,
            items,
            features: Features { list: features },
            finals,
            athletes: roster.len(),
        })
    }

    /// A short hash of the serialised timeline: equal fingerprints, equal Games.
    pub fn fingerprint(&self) -> Result<String, SimError> {
        let mut hasher = HashWriter(hmac_sha256::Hash::new());
        write!(hasher, "{}/{}/", self.seed, self.profile.name()).map_err(serde_json::Error::io)?;
        serde_json::to_writer(&mut hasher, &self.items)?;
        let digest = hasher.0.finalize();
        Ok(digest.iter().take(12).map(|b| format!("{b:02x}")).collect())
    }

    pub fn stats(&self) -> Stats {
        let mut stats = Stats {
            athletes: self.athletes,
            ..Stats::default()
        };
        let mut units = std::collections::BTreeSet::new();
        for item in &self.items {
            stats.messages += 1;
            match &item.message {
                Outgoing::Definition(_) => stats.definitions += 1,
                Outgoing::Results(_) => stats.results += 1,
                Outgoing::Game(_) => stats.games += 1,
            }
            if let Some(unit) = item.message.unit() {
                units.insert((item.event.clone(), unit.clone()));
            }
            if item.message.status() == Some(ResultStatus::Official) {
                stats.official += 1;
            }
            *stats
                .per_day
                .entry(venue_date(item.at_ms).to_string())
                .or_default() += 1;
        }
        stats.units = units.len();
        stats.first_ms = self.items.first().map_or(0, |i| i.at_ms);
        stats.last_ms = self.items.last().map_or(0, |i| i.at_ms);
        stats
    }
}

/// Feeds serialised bytes into SHA-256 without building the whole text.
struct HashWriter(hmac_sha256::Hash);

impl Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Counts of a timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub messages: usize,
    pub definitions: usize,
    pub results: usize,
    pub games: usize,
    pub official: usize,
    pub units: usize,
    pub athletes: usize,
    pub first_ms: u64,
    pub last_ms: u64,
    /// Messages per venue day.
    pub per_day: BTreeMap<String, usize>,
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} messages: {} definitions, {} results, {} games ({} OFFICIAL) over {} units; {} athletes",
            self.messages,
            self.definitions,
            self.results,
            self.games,
            self.official,
            self.units,
            self.athletes
        )?;
        writeln!(
            f,
            "from {} to {} (venue time)",
            calendar::venue_time(self.first_ms),
            calendar::venue_time(self.last_ms)
        )?;
        for (day, count) in &self.per_day {
            writeln!(f, "  {day}  {count:>6}")?;
        }
        Ok(())
    }
}
