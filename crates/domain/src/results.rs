//! Results messages (full replacement of a unit's entries, ODF-style) and their validation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{EventDefinition, TeamMember, check_text};
use crate::codes::{CompetitorId, Noc, UnitCode};
use crate::error::{DomainError, at, idx};
use crate::mark::{Evaluated, Mark};
use crate::status::{Irm, ResultStatus};

/// A feed's results for one unit. Each version replaces the previous one entirely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsMessage {
    pub message_id: String,
    pub unit: UnitCode,
    pub version: u64,
    pub status: ResultStatus,
    pub entries: Vec<ResultEntry>,
    /// Why the results changed; required for a changed OFFICIAL result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One competitor's line in a results message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultEntry {
    pub competitor: CompetitorId,
    pub name: String,
    pub noc: Noc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irm: Option<Irm>,
    /// Start order, used to list competitors who have no mark yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_order: Option<u32>,
    /// A team's athletes, when the feed sends them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<TeamMember>,
}

/// Upper bounds that keep one message (and a Durable Object's stored state) small.
pub(crate) const MAX_ENTRIES: usize = 2_000;
const MAX_NOTE_CHARS: usize = 2_000;

/// An entry that passed validation, with its mark evaluated.
#[derive(Debug, Clone)]
pub(crate) struct CheckedEntry {
    pub evaluated: Option<Evaluated>,
}

/// Checks the fields every message kind shares.
pub(crate) fn check_envelope(
    message_id: &str,
    version: u64,
    note: Option<&str>,
) -> Result<(), DomainError> {
    check_text(message_id, "message_id", 128)?;
    if version == 0 {
        return Err(DomainError::invalid("version", "must be at least 1"));
    }
    if let Some(note) = note
        && (note.trim().is_empty() || note.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(DomainError::invalid(
            "note",
            format!("must be 1 to {MAX_NOTE_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Checks a competitor against the participant list, if the definition has one.
pub(crate) fn check_competitor(
    definition: &EventDefinition,
    competitor: &CompetitorId,
    noc: &Noc,
    path: &str,
) -> Result<(), DomainError> {
    if definition.participants.is_empty() {
        return Ok(());
    }
    let participant =
        definition
            .participant(competitor)
            .ok_or_else(|| DomainError::UnknownCompetitor {
                path: at(path, "competitor"),
                competitor: competitor.to_string(),
            })?;
    if &participant.noc != noc {
        return Err(DomainError::invalid(
            at(path, "noc"),
            format!("{competitor} competes for {}, not {noc}", participant.noc),
        ));
    }
    Ok(())
}

impl ResultsMessage {
    /// Validates the message against the definition; returns the evaluated entries in input order.
    pub(crate) fn check(
        &self,
        definition: &EventDefinition,
    ) -> Result<Vec<CheckedEntry>, DomainError> {
        check_envelope(&self.message_id, self.version, self.note.as_deref())?;
        let place = definition
            .place(&self.unit)
            .ok_or_else(|| DomainError::UnknownUnit {
                path: "unit".into(),
                unit: self.unit.to_string(),
            })?;
        if place.format.is_game_format() {
            return Err(DomainError::WrongMessageKind {
                unit: self.unit.to_string(),
                reason: format!(
                    "unit is scored by {} and takes game results",
                    place.format.name()
                ),
            });
        }
        if self.entries.len() > MAX_ENTRIES {
            return Err(DomainError::invalid(
                "entries",
                format!("at most {MAX_ENTRIES} entries"),
            ));
        }
        let mut seen: BTreeMap<&CompetitorId, usize> = BTreeMap::new();
        let mut checked = Vec::with_capacity(self.entries.len());
        for (i, entry) in self.entries.iter().enumerate() {
            let path = idx("entries", i);
            if let Some(first) = seen.insert(&entry.competitor, i) {
                return Err(DomainError::invalid(
                    at(&path, "competitor"),
                    format!("{} is also at entries[{first}]", entry.competitor),
                ));
            }
            check_text(&entry.name, &at(&path, "name"), 200)?;
            check_competitor(definition, &entry.competitor, &entry.noc, &path)?;
            for (m, member) in entry.members.iter().enumerate() {
                check_text(
                    &member.name,
                    &at(&idx(&at(&path, "members"), m), "name"),
                    200,
                )?;
            }
            let evaluated = match &entry.mark {
                Some(mark) => Some(mark.evaluate(place.format, &at(&path, "mark"))?),
                None => None,
            };
            if self.status.is_final() && evaluated.is_none() && entry.irm.is_none() {
                return Err(DomainError::invalid(
                    path,
                    format!(
                        "an {} result needs a mark or an IRM for every entry",
                        self.status.as_str()
                    ),
                ));
            }
            checked.push(CheckedEntry { evaluated });
        }
        Ok(checked)
    }
}
