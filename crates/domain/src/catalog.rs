//! The event catalogue: an event's definition (format, phases and units, medal unit, schedule, participants).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::bracket::BracketGame;
use crate::codes::{CompetitorId, EventCode, LogicalDay, Noc, UnitCode};
use crate::error::{DomainError, FieldPath, at, idx};
use crate::format::{Advancement, ScoringFormat};
use crate::sport::{Discipline, Gender, Sport};

/// Everything the crate needs to know about one medal event. Sport, discipline and gender come from the code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDefinition {
    pub code: EventCode,
    pub name: String,
    /// The format of every phase that does not name its own.
    pub format: ScoringFormat,
    pub phases: Vec<PhaseDefinition>,
    /// The unit whose OFFICIAL ranking awards the medals (with `bronze_unit`: gold and silver only).
    pub medal_unit: UnitCode,
    /// A separate unit whose winner takes bronze: a bronze-medal game, or speed skating's team pursuit Final B.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bronze_unit: Option<UnitCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<Venue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<ScheduledUnit>,
    /// When not empty, results may only name these competitors (with these NOCs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Participant>,
    /// Teams best first as seeded entering the event (ice hockey: the IIHF World Ranking), the last
    /// tie-break of the IIHF standings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seeding: Vec<CompetitorId>,
    /// Knockout games whose teams come from earlier games or standings: who plays them is derived, and a
    /// posted game must name those teams.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bracket: Vec<BracketGame>,
}

/// A phase (qualification, heats, final…) and its units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseDefinition {
    /// The phase code, e.g. `QUAL`, `FNL`, `GRPA`. For round-robin phases it names the standings.
    pub code: UnitCode,
    pub name: String,
    /// The units of the phase; a single-unit phase may list its own code.
    pub units: Vec<UnitCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<ScoringFormat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advancement: Option<Advancement>,
}

/// Where the event takes place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Venue {
    pub name: String,
    /// IANA time zone of the venue, e.g. `Europe/Rome`, for showing venue time next to local time.
    pub timezone: String,
}

/// When a unit takes place. The logical day is given, not computed: a session past midnight keeps its day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledUnit {
    pub unit: UnitCode,
    pub day: LogicalDay,
    /// Start in Unix milliseconds (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_utc_ms: Option<u64>,
}

/// An athlete or a team entered in the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub id: CompetitorId,
    pub name: String,
    pub noc: Noc,
    pub kind: CompetitorKind,
    /// A team's athletes, so their medals count in the athletes' tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<TeamMember>,
}

/// Athlete or team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompetitorKind {
    #[default]
    Athlete,
    Team,
}

/// An athlete in a team (a relay, a bob crew, a hockey roster).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    pub id: CompetitorId,
    pub name: String,
}

/// Where a unit sits in the definition.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnitPlace<'a> {
    pub phase: &'a PhaseDefinition,
    pub format: &'a ScoringFormat,
}

impl EventDefinition {
    pub fn discipline(&self) -> Discipline {
        self.code.discipline()
    }

    pub fn sport(&self) -> Sport {
        self.code.discipline().sport()
    }

    pub fn gender(&self) -> Gender {
        self.code.gender()
    }

    /// The phase holding `unit`, and the format that scores it.
    pub(crate) fn place(&self, unit: &UnitCode) -> Option<UnitPlace<'_>> {
        self.phases
            .iter()
            .find(|phase| phase.units.contains(unit))
            .map(|phase| UnitPlace {
                phase,
                format: phase.format.as_ref().unwrap_or(&self.format),
            })
    }

    /// The phase whose code is `code` (round-robin standings are addressed by phase code).
    pub(crate) fn phase(&self, code: &UnitCode) -> Option<&PhaseDefinition> {
        self.phases.iter().find(|phase| &phase.code == code)
    }

    /// The format that scores a phase.
    pub(crate) fn phase_format<'a>(&'a self, phase: &'a PhaseDefinition) -> &'a ScoringFormat {
        phase.format.as_ref().unwrap_or(&self.format)
    }

    /// Looks up a participant.
    pub fn participant(&self, id: &CompetitorId) -> Option<&Participant> {
        self.participants.iter().find(|p| &p.id == id)
    }

    /// The logical day of a unit, from the schedule.
    pub fn day_of(&self, unit: &UnitCode) -> Option<&LogicalDay> {
        self.schedule
            .iter()
            .find(|s| &s.unit == unit)
            .map(|s| &s.day)
    }

    /// Checks every rule a definition must follow; the error names the first offending field.
    pub fn validate(&self) -> Result<(), DomainError> {
        check_text(&self.name, "name", 200)?;
        self.format.validate("format")?;
        if self.phases.is_empty() {
            return Err(DomainError::invalid(
                "phases",
                "an event needs at least one phase",
            ));
        }
        let mut phase_codes = BTreeSet::new();
        let mut unit_owner: BTreeMap<&UnitCode, usize> = BTreeMap::new();
        for (p, phase) in self.phases.iter().enumerate() {
            let path = idx("phases", p);
            check_text(&phase.name, &at(&path, "name"), 200)?;
            if !phase_codes.insert(&phase.code) {
                return Err(DomainError::invalid(
                    at(&path, "code"),
                    format!("phase {} is defined twice", phase.code),
                ));
            }
            if let Some(format) = &phase.format {
                format.validate(&at(&path, "format"))?;
            }
            if phase.units.is_empty() || phase.units.len() > 500 {
                return Err(DomainError::invalid(
                    at(&path, "units"),
                    "a phase needs 1 to 500 units",
                ));
            }
            let format = self.phase_format(phase);
            for (u, unit) in phase.units.iter().enumerate() {
                if unit_owner.insert(unit, p).is_some() {
                    return Err(DomainError::invalid(
                        idx(&at(&path, "units"), u),
                        format!("unit {unit} is listed twice"),
                    ));
                }
                // A round-robin phase code names its standings, so no game unit may share it.
                if matches!(format, ScoringFormat::RoundRobin { .. }) && unit == &phase.code {
                    return Err(DomainError::invalid(
                        idx(&at(&path, "units"), u),
                        "a round-robin game unit must differ from the phase code, which names the standings",
                    ));
                }
            }
            if let Some(advancement) = &phase.advancement {
                if format.is_game_format() {
                    return Err(DomainError::invalid(
                        at(&path, "advancement"),
                        "game phases advance by their standings, not by marks",
                    ));
                }
                if advancement.by_rank > 1000 || advancement.by_mark > 1000 {
                    return Err(DomainError::invalid(
                        at(&path, "advancement"),
                        "must be at most 1000",
                    ));
                }
            }
        }
        for (p, phase) in self.phases.iter().enumerate() {
            // Phase codes and unit codes share one namespace in leaderboard queries.
            if let Some(owner) = unit_owner.get(&phase.code)
                && *owner != p
            {
                return Err(DomainError::invalid(
                    at(&idx("phases", p), "code"),
                    format!("{} is also a unit of another phase", phase.code),
                ));
            }
        }
        self.validate_medal_units()?;
        crate::bracket::validate(self)?;
        let mut seeded = BTreeSet::new();
        for (s, team) in self.seeding.iter().enumerate() {
            if !seeded.insert(team) {
                return Err(DomainError::invalid(
                    idx("seeding", s),
                    format!("{team} is seeded twice"),
                ));
            }
        }
        for (s, scheduled) in self.schedule.iter().enumerate() {
            if !unit_owner.contains_key(&scheduled.unit) {
                return Err(DomainError::UnknownUnit {
                    path: at(&idx("schedule", s), "unit"),
                    unit: scheduled.unit.to_string(),
                });
            }
        }
        if let Some(venue) = &self.venue {
            check_text(&venue.name, "venue.name", 200)?;
            check_text(&venue.timezone, "venue.timezone", 64)?;
        }
        let mut ids = BTreeSet::new();
        for (i, participant) in self.participants.iter().enumerate() {
            let path = idx("participants", i);
            if !ids.insert(&participant.id) {
                return Err(DomainError::invalid(
                    at(&path, "id"),
                    format!("participant {} is listed twice", participant.id),
                ));
            }
            check_text(&participant.name, &at(&path, "name"), 200)?;
            if participant.kind == CompetitorKind::Athlete && !participant.members.is_empty() {
                return Err(DomainError::invalid(
                    at(&path, "members"),
                    "only teams have members",
                ));
            }
            for (m, member) in participant.members.iter().enumerate() {
                check_text(
                    &member.name,
                    &at(&idx(&at(&path, "members"), m), "name"),
                    200,
                )?;
            }
        }
        Ok(())
    }

    fn validate_medal_units(&self) -> Result<(), DomainError> {
        let medal = self
            .place(&self.medal_unit)
            .ok_or_else(|| DomainError::UnknownUnit {
                path: "medal_unit".into(),
                unit: self.medal_unit.to_string(),
            })?;
        if matches!(medal.format, ScoringFormat::RoundRobin { .. }) {
            return Err(DomainError::invalid(
                "medal_unit",
                "medals come from a ranked unit or a final game, not a round-robin game",
            ));
        }
        if let Some(bronze) = &self.bronze_unit {
            let place = self.place(bronze).ok_or_else(|| DomainError::UnknownUnit {
                path: "bronze_unit".into(),
                unit: bronze.to_string(),
            })?;
            if bronze == &self.medal_unit {
                return Err(DomainError::invalid(
                    "bronze_unit",
                    "must differ from medal_unit",
                ));
            }
            if matches!(place.format, ScoringFormat::RoundRobin { .. }) {
                return Err(DomainError::invalid(
                    "bronze_unit",
                    "must be a ranked unit or a game, not a round-robin game",
                ));
            }
        }
        Ok(())
    }
}

/// Non-empty, bounded, single-line text without characters that change how the text around them is
/// shown. `path` is only formatted when the text is rejected.
///
/// Names travel to every viewer's screen, to CSV exports and to logs: a bidi override (U+202E) makes
/// "ODERMATT" render as another name, a line separator (U+2028) starts a fake line in a log or a
/// JavaScript string, and invisible characters make two different ids look the same. See
/// [`is_spoofing_character`] for the list.
pub(crate) fn check_text<P: FieldPath + ?Sized>(
    value: &str,
    path: &P,
    max_chars: usize,
) -> Result<(), DomainError> {
    let problem = if value.is_ascii() {
        // One pass over the bytes; the same answers, in the same order, as the general case below.
        let mut blank = true;
        let mut control = false;
        for &byte in value.as_bytes() {
            blank &= byte.is_ascii_whitespace() || byte == 0x0b;
            control |= byte.is_ascii_control();
        }
        if blank {
            Some(TextProblem::Empty)
        } else if value.len() > max_chars {
            Some(TextProblem::TooLong)
        } else if control {
            Some(TextProblem::Control)
        } else {
            None
        }
    } else if value.trim().is_empty() {
        Some(TextProblem::Empty)
    } else if value.chars().count() > max_chars {
        Some(TextProblem::TooLong)
    } else if value.chars().any(char::is_control) {
        Some(TextProblem::Control)
    } else {
        value
            .chars()
            .find(|c| is_spoofing_character(*c))
            .map(TextProblem::Spoofing)
    };
    match problem {
        None => Ok(()),
        Some(TextProblem::Empty) => Err(DomainError::invalid(path.render(), "must not be empty")),
        Some(TextProblem::TooLong) => Err(DomainError::invalid(
            path.render(),
            format!("must be at most {max_chars} characters"),
        )),
        Some(TextProblem::Control) => Err(DomainError::invalid(
            path.render(),
            "must not contain control characters",
        )),
        Some(TextProblem::Spoofing(found)) => Err(DomainError::invalid(
            path.render(),
            format!(
                "must not contain bidirectional, line-separator or invisible formatting characters (U+{:04X})",
                u32::from(found)
            ),
        )),
    }
}

enum TextProblem {
    Empty,
    TooLong,
    Control,
    Spoofing(char),
}

/// Characters no name needs and that can disguise one (Unicode's Trojan Source and invisible-character
/// lists): bidirectional embeddings, overrides, isolates and marks; line and paragraph separators;
/// zero-width and other invisible format characters; blank "filler" letters; tags.
///
/// Zero-width non-joiner and joiner (U+200C, U+200D) stay allowed: Persian and Indic names need them.
/// Variation selectors stay allowed too: CJK names and emoji use them, and they change no order.
pub(crate) fn is_spoofing_character(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD // soft hyphen: invisible unless a line breaks there
            | 0x034F // combining grapheme joiner
            | 0x061C // Arabic letter mark
            | 0x115F | 0x1160 | 0x3164 | 0xFFA0 // Hangul fillers: blank letters
            | 0x17B4 | 0x17B5 // Khmer inherent vowels: invisible
            | 0x180E // Mongolian vowel separator
            | 0x200B // zero-width space
            | 0x200E | 0x200F // left-to-right and right-to-left marks
            | 0x2028 | 0x2029 // line and paragraph separators
            | 0x202A..=0x202E // bidi embeddings and overrides
            | 0x2060..=0x2064 // word joiner, invisible operators
            | 0x2066..=0x2069 // bidi isolates
            | 0x206A..=0x206F // deprecated format characters
            | 0xFEFF // zero-width no-break space (byte order mark)
            | 0xFFF9..=0xFFFB // interlinear annotations
            | 0x1D173..=0x1D17A // musical formatting
            | 0xE0000..=0xE007F // tags
    )
}

#[cfg(test)]
#[allow(clippy::panic)] // A panic in a test is its failure message.
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{check_text, is_spoofing_character};
    use crate::DomainError;

    /// Checks `text` as a name (at most 200 characters): `None` when accepted, else the reason.
    fn check(text: &str, expected: Option<&str>) {
        let reason = match check_text(text, "name", 200) {
            Ok(()) => None,
            Err(DomainError::InvalidField { path, reason }) => {
                assert_eq!(path, "name");
                Some(reason)
            }
            Err(other) => panic!("{text:?}: unexpected {other:?}"),
        };
        match (reason.as_deref(), expected) {
            (None, None) => {}
            (Some(reason), Some(needle)) if reason.contains(needle) => {}
            (actual, _) => panic!("{text:?}: got {actual:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn bidi_controls_are_refused_wherever_they_sit() {
        for (text, code) in [
            ("ODER\u{202E}TTAM", "U+202E"),
            ("\u{202A}Anna", "U+202A"),
            ("Anna\u{202B}", "U+202B"),
            ("A\u{202C}B", "U+202C"),
            ("A\u{202D}B", "U+202D"),
            ("A\u{2066}B\u{2069}", "U+2066"),
            ("A\u{2067}B", "U+2067"),
            ("A\u{2068}B", "U+2068"),
            ("A\u{2069}", "U+2069"),
            ("A\u{200E}B", "U+200E"),
            ("A\u{200F}B", "U+200F"),
            ("\u{61C}A", "U+061C"),
        ] {
            check(text, Some(code));
        }
    }

    #[test]
    fn line_and_paragraph_separators_are_refused() {
        check("Anna\u{2028}BERG", Some("U+2028"));
        check("Anna\u{2029}BERG", Some("U+2029"));
    }

    #[test]
    fn invisible_format_characters_are_refused() {
        for (text, code) in [
            ("ODER\u{200B}MATT", "U+200B"),
            ("ODER\u{AD}MATT", "U+00AD"),
            ("ODER\u{2060}MATT", "U+2060"),
            ("ODER\u{2064}MATT", "U+2064"),
            ("\u{FEFF}ODERMATT", "U+FEFF"),
            ("ODER\u{34F}MATT", "U+034F"),
            ("ODER\u{180E}MATT", "U+180E"),
            ("ODER\u{206A}MATT", "U+206A"),
            ("ODER\u{FFF9}MATT", "U+FFF9"),
            ("ODER\u{E0041}MATT", "U+E0041"),
            ("ODER\u{1D173}MATT", "U+1D173"),
            // A name of blank filler letters looks empty but is not whitespace.
            ("\u{3164}", "U+3164"),
            ("\u{115F}\u{1160}", "U+115F"),
            ("\u{FFA0}", "U+FFA0"),
            ("\u{17B4}", "U+17B4"),
        ] {
            check(text, Some(code));
        }
    }

    #[test]
    fn real_names_in_every_script_are_accepted() {
        for text in [
            "Marco ODERMATT",
            "Chloé KIM",
            "Ørjan JØRGENSEN",
            "Jérémie NOËL-ÉTIENNE",
            "Ayumu HIRANO 平野歩夢",
            "Ірина ПЕТРЕНКО",
            "Νίκος ΠΑΠΑΔΟΠΟΥΛΟΣ",
            "محمد رضا",
            // Persian needs the zero-width non-joiner: می‌خواهم.
            "می\u{200C}خواهم",
            "क्\u{200D}ष",
            "עומר כהן",
            "Team 🇨🇭",
            "葛\u{E0100}城",
            "Anna\u{A0}BERG",
        ] {
            check(text, None);
        }
    }

    #[test]
    fn the_earlier_rules_still_come_first() {
        check("", Some("empty"));
        check("\u{2003}", Some("empty"));
        check(&"\u{202E}".repeat(201), Some("at most 200"));
        check("A\u{85}\u{202E}", Some("control"));
    }

    #[test]
    fn the_list_is_exactly_the_documented_ranges() {
        let refused: Vec<u32> = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|c| is_spoofing_character(*c))
            .map(u32::from)
            .collect();
        assert_eq!(
            refused.len(),
            1 + 1 + 1 + 4 + 2 + 1 + 1 + 2 + 2 + 5 + 5 + 4 + 6 + 1 + 3 + 8 + 128
        );
        assert!(!refused.contains(&0x200C) && !refused.contains(&0x200D));
        assert!(!refused.contains(&0xFE0F));
    }
}

/// The participants of a definition sorted by id, for lookups in O(log n) instead of a scan per entry.
/// Built once per definition (see [`EventState`](crate::EventState)); it must be used with that definition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParticipantIndex {
    /// Positions in `participants`, ordered by id, then position (so the first of equal ids comes first).
    by_id: Vec<usize>,
}

impl ParticipantIndex {
    pub(crate) fn new(definition: &EventDefinition) -> Self {
        let participants = &definition.participants;
        let mut by_id: Vec<usize> = (0..participants.len()).collect();
        by_id.sort_by(|&a, &b| match (participants.get(a), participants.get(b)) {
            (Some(x), Some(y)) => x.id.cmp(&y.id),
            _ => std::cmp::Ordering::Equal,
        });
        Self { by_id }
    }

    /// The same answer as [`EventDefinition::participant`]: the first participant with this id.
    pub(crate) fn get<'d>(
        &self,
        definition: &'d EventDefinition,
        id: &CompetitorId,
    ) -> Option<&'d Participant> {
        let participants = &definition.participants;
        let at = self.by_id.partition_point(|&i| {
            participants
                .get(i)
                .is_some_and(|p| p.id.as_str() < id.as_str())
        });
        self.by_id
            .get(at)
            .and_then(|&i| participants.get(i))
            .filter(|p| &p.id == id)
    }
}
