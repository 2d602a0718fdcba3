//! Results messages (full replacement of a unit's entries, ODF-style) and their validation.

use serde::{Deserialize, Serialize};

use crate::catalog::{EventDefinition, ParticipantIndex, TeamMember, check_text};
use crate::codes::{CompetitorId, Noc, UnitCode};
use crate::error::{DomainError, FieldPath, Path};
use crate::mark::{Mark, Score, Text};
use crate::status::{Irm, ResultStatus};
use crate::text::same;

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

/// An entry that passed validation, with its mark scored (no display text: pages make that).
#[derive(Debug, Clone)]
pub(crate) struct CheckedEntry {
    pub score: Option<Score>,
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

/// Checks a competitor against the participant list, if the definition has one. `participants` is the
/// definition's index.
pub(crate) fn check_competitor(
    definition: &EventDefinition,
    participants: &ParticipantIndex,
    competitor: &CompetitorId,
    noc: &Noc,
    path: &Path<'_>,
) -> Result<(), DomainError> {
    if definition.participants.is_empty() {
        return Ok(());
    }
    let participant =
        participants
            .get(definition, competitor)
            .ok_or_else(|| DomainError::UnknownCompetitor {
                path: path.field("competitor").render(),
                competitor: competitor.to_string(),
            })?;
    if &participant.noc != noc {
        return Err(DomainError::invalid(
            path.field("noc").render(),
            format!("{competitor} competes for {}, not {noc}", participant.noc),
        ));
    }
    Ok(())
}

/// A unit's previous version, when its entries passed the check under the current definition.
///
/// A feed usually resends a unit with the same competitors in the same order and a few changes. Where
/// entry `i` names the same competitor as the previous version's entry `i`, the check knows that the
/// competitor is a participant, and skips the checks of an unchanged name, NOC or member list; while
/// every entry so far names the same competitor as before, none of them can be a duplicate. Only checks
/// that would pass are skipped, so the errors and their order are those of a full check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prior<'a> {
    entries: &'a [ResultEntry],
}

impl<'a> Prior<'a> {
    pub(crate) fn new(entries: &'a [ResultEntry]) -> Self {
        Self { entries }
    }
}

/// A checked message: its entries' scores in input order, and how it relates to the [`Prior`] version.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub entries: Vec<CheckedEntry>,
    /// The message lists the same competitors in the same order as the prior version, so rankings and
    /// change summaries can pair entries by index.
    pub aligned: bool,
    /// When aligned: the entries whose mark or IRM differ from the prior version's, in order.
    pub changed: Vec<usize>,
}

impl ResultsMessage {
    /// Validates the message against the definition; returns the scored entries in input order.
    /// `participants` is the definition's index.
    pub(crate) fn check(
        &self,
        definition: &EventDefinition,
        participants: &ParticipantIndex,
        prior: Option<Prior<'_>>,
    ) -> Result<Checked, DomainError> {
        check_results(
            definition,
            participants,
            &self.message_id,
            &self.unit,
            self.version,
            self.status,
            self.note.as_deref(),
            &self.entries,
            prior,
        )
    }
}

/// [`ResultsMessage::check`] on the parts of a message (a stored unit is checked again after loading).
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_results(
    definition: &EventDefinition,
    participants: &ParticipantIndex,
    message_id: &str,
    unit: &UnitCode,
    version: u64,
    status: ResultStatus,
    note: Option<&str>,
    entries: &[ResultEntry],
    prior: Option<Prior<'_>>,
) -> Result<Checked, DomainError> {
    check_envelope(message_id, version, note)?;
    let place = definition
        .place(unit)
        .ok_or_else(|| DomainError::UnknownUnit {
            path: "unit".into(),
            unit: unit.to_string(),
        })?;
    if place.format.is_game_format() {
        return Err(DomainError::WrongMessageKind {
            unit: unit.to_string(),
            reason: format!(
                "unit is scored by {} and takes game results",
                place.format.name()
            ),
        });
    }
    if entries.len() > MAX_ENTRIES {
        return Err(DomainError::invalid(
            "entries",
            format!("at most {MAX_ENTRIES} entries"),
        ));
    }
    let previous = prior.map(|p| p.entries);
    // True while every entry so far names the same competitor as the previous version's entry at the
    // same index; those entries cannot repeat each other.
    let mut in_step = previous.is_some();
    // Once not in step: the first entry whose competitor is listed before it, and where. Found over the
    // whole list in O(n log n) and reported when the loop reaches it, after earlier entries' errors.
    let mut duplicate = if in_step {
        None
    } else {
        first_duplicate(entries)
    };
    let root = Path::Root("entries");
    let mut checked = Vec::with_capacity(entries.len());
    let mut changed = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let path = root.index(i);
        let old = if in_step {
            match previous.and_then(|p| p.get(i)) {
                Some(old) if same(old.competitor.as_str(), entry.competitor.as_str()) => {
                    if old.mark != entry.mark || old.irm != entry.irm {
                        changed.push(i);
                    }
                    Some(old)
                }
                _ => {
                    in_step = false;
                    duplicate = first_duplicate(entries);
                    None
                }
            }
        } else {
            None
        };
        if let Some((at, first)) = duplicate
            && at == i
        {
            return Err(DomainError::invalid(
                path.field("competitor").render(),
                format!("{} is also at entries[{first}]", entry.competitor),
            ));
        }
        if old.is_none_or(|old| !same(&old.name, &entry.name)) {
            check_text(&entry.name, &path.field("name"), 200)?;
        }
        if old.is_none_or(|old| !same(old.noc.as_str(), entry.noc.as_str())) {
            check_competitor(
                definition,
                participants,
                &entry.competitor,
                &entry.noc,
                &path,
            )?;
        }
        if !entry.members.is_empty() && old.is_none_or(|old| old.members != entry.members) {
            let members = path.field("members");
            for (m, member) in entry.members.iter().enumerate() {
                check_text(&member.name, &members.index(m).field("name"), 200)?;
            }
        }
        let score = match &entry.mark {
            Some(mark) => Some(
                mark.evaluate(place.format, &path.field("mark"), Text::No)?
                    .into_score(),
            ),
            None => None,
        };
        if status.is_final() && score.is_none() && entry.irm.is_none() {
            return Err(DomainError::invalid(
                path.render(),
                format!(
                    "an {} result needs a mark or an IRM for every entry",
                    status.as_str()
                ),
            ));
        }
        checked.push(CheckedEntry { score });
    }
    let aligned = in_step && previous.is_some_and(|p| p.len() == entries.len());
    if !aligned {
        changed.clear();
    }
    Ok(Checked {
        entries: checked,
        aligned,
        changed,
    })
}

/// The first index whose competitor appeared at an earlier index, with that earlier index.
fn first_duplicate(entries: &[ResultEntry]) -> Option<(usize, usize)> {
    let mut by_id: Vec<usize> = (0..entries.len()).collect();
    // Stable: equal competitors stay in index order.
    by_id.sort_by(|&a, &b| match (entries.get(a), entries.get(b)) {
        (Some(x), Some(y)) => x.competitor.cmp(&y.competitor),
        _ => std::cmp::Ordering::Equal,
    });
    // Within a group of equal competitors the indexes ascend, so the group's first pair holds its
    // earliest index and the index where a forward scan finds the repeat; later pairs find it later.
    let mut found: Option<(usize, usize)> = None;
    for pair in by_id.windows(2) {
        if let [first, second] = *pair
            && found.is_none_or(|(at, _)| second < at)
            && entries.get(first).map(|e| &e.competitor)
                == entries.get(second).map(|e| &e.competitor)
        {
            found = Some((second, first));
        }
    }
    found
}
