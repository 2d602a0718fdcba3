//! DT_RESULT (event unit start lists and results) → a [`ResultsMessage`] for a unit ranked by marks, or a
//! [`GameResult`] for a game unit; which one, and how a `Result` becomes a mark, follows the unit's
//! scoring format in the event's definition.
//!
//! | format | mark from |
//! |---|---|
//! | `lowest_time` | `@Result` (a time) |
//! | `sum_of_runs` | `ExtendedResult[@Code='RUN']`: `@Pos` the run, `@Value` its time |
//! | `highest_points` | `@Result` |
//! | `segments` | `ExtendedResult[@Code='SEGMENT']` (`@Pos`) with `Extension`s `TES`, `PCS`, `DED`; or `@Result` as the total |
//! | `finish_order` | `@Rank` the position, `@Result` the time |
//! | `mass_start` | `@Result` the sprint points; `ExtendedResult[@Code='FINISH']`: `@Pos` the finish position, `@Value` the time |
//! | `round_robin`, `knockout` | two `Result`s, home (`@StartSortOrder` 1) and away; `@Result` the score; `ExtendedInfo[@Code='PERIOD']` `OT`, `SO` or `EE` for a game decided in overtime, a shoot-out or an extra end; curling's `ExtendedResult[@Code='DSC']` |
//!
//! Status is `@ResultStatus` one to one (a start list is `START_LIST`); the unit version is `@Version`;
//! the message id is made of the document type, code and version, so a resent message is a duplicate
//! and an older one stale, as with JSON. A note (required to change an OFFICIAL result) is the `@Value`
//! of `ExtendedInfo[@Code='NOTE']`.

use domain::{
    CompetitorId, DecidedIn, EventDefinition, GameResult, GameSide, Irm, Mark, Noc, ResultEntry,
    ResultStatus, ResultsMessage, ScoringFormat, Segment, UnitCode,
};

use crate::document::{Competition, ExtendedResult, OdfBody, ResultElement};
use crate::error::{OdfError, paths};
use crate::mapped::{Mapped, Message};
use crate::rsc;
use crate::values::{decimal, integer, required, time_ms};

/// Maps a DT_RESULT message for an event whose definition is `definition`.
pub fn map(body: &OdfBody, definition: &EventDefinition) -> Result<Mapped, OdfError> {
    let code = required(body.document_code.as_ref(), paths::DOCUMENT_CODE)?;
    let rsc = rsc::parse(code, paths::DOCUMENT_CODE)?;
    if rsc.event != definition.code {
        return Err(OdfError::invalid(
            paths::DOCUMENT_CODE,
            format!("names {}, not {}", rsc.event, definition.code),
        ));
    }
    let unit = rsc.unit.ok_or_else(|| {
        OdfError::invalid(
            paths::DOCUMENT_CODE,
            "a result names a unit, not only an event",
        )
    })?;
    let format = unit_format(definition, &unit)?;
    let version: u64 = integer(
        required(body.version.as_ref(), paths::VERSION)?,
        paths::VERSION,
    )?;
    let status = status(body)?;
    let competition = body.competition.clone().unwrap_or_default();
    let message_id = format!(
        "odf:{}:{}:v{version}",
        body.document_type.as_deref().unwrap_or("DT_RESULT"),
        code.trim_end_matches('-')
    );
    let note = info(&competition, "NOTE").map(|(value, _)| value.to_owned());
    let (message, sources) = if format.is_game_format() {
        game(
            &competition,
            definition,
            unit,
            version,
            status,
            message_id,
            note,
        )?
    } else {
        results(
            &competition,
            definition,
            format,
            unit,
            version,
            status,
            message_id,
            note,
        )?
    };
    let mut mapped = Mapped::new(definition.code.clone(), message);
    mapped.source("unit", paths::DOCUMENT_CODE);
    mapped.source("version", paths::VERSION);
    mapped.source("status", paths::STATUS);
    mapped.source("message_id", paths::BODY);
    if let Some((_, element)) = info(&competition, "NOTE") {
        mapped.source("note", element);
    }
    for (field, element) in sources {
        mapped.source(field, element);
    }
    Ok(mapped)
}

/// The format scoring `unit`; a unit the definition does not have is an unknown code.
fn unit_format<'d>(
    definition: &'d EventDefinition,
    unit: &UnitCode,
) -> Result<&'d ScoringFormat, OdfError> {
    definition
        .phases
        .iter()
        .find(|phase| phase.units.contains(unit))
        .map(|phase| phase.format.as_ref().unwrap_or(&definition.format))
        .ok_or_else(|| {
            OdfError::unknown(
                paths::DOCUMENT_CODE,
                format!("unit {unit} is not a unit of {}", definition.code),
            )
        })
}

/// `@ResultStatus`, one to one with [`ResultStatus`].
fn status(body: &OdfBody) -> Result<ResultStatus, OdfError> {
    let text = required(body.result_status.as_ref(), paths::STATUS)?;
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        OdfError::unknown(
            paths::STATUS,
            format!("{text:?} is not an ODF result status"),
        )
    })
}

/// The value and path of the unit's `ExtendedInfo` with code `code`.
fn info<'c>(competition: &'c Competition, code: &str) -> Option<(&'c str, String)> {
    let infos = competition.extended_infos.as_ref()?;
    infos.items.iter().enumerate().find_map(|(i, item)| {
        (item.code.as_deref() == Some(code)).then(|| {
            (
                item.value.as_deref().unwrap_or(""),
                format!(
                    "{}/ExtendedInfos/ExtendedInfo[{}]/@Value",
                    paths::COMPETITION,
                    i + 1
                ),
            )
        })
    })
}

type Sources = Vec<(String, String)>;

/// A results list: one entry per `Result`.
#[allow(clippy::too_many_arguments)]
fn results(
    competition: &Competition,
    definition: &EventDefinition,
    format: &ScoringFormat,
    unit: UnitCode,
    version: u64,
    status: ResultStatus,
    message_id: String,
    note: Option<String>,
) -> Result<(Message, Sources), OdfError> {
    let mut entries = Vec::with_capacity(competition.results.len());
    let mut sources = Vec::new();
    for (i, result) in competition.results.iter().enumerate() {
        let element = paths::child("Result", i);
        let field = format!("entries[{i}]");
        let who = competitor(result, definition, &element)?;
        let irm = irm(result, &element)?;
        let (mark, mark_source) = mark(result, format, irm.is_some(), &element)?;
        let start_order = result
            .start_order
            .as_deref()
            .filter(|text| !text.trim().is_empty())
            .map(|text| integer::<u32>(text, &paths::attr(&element, "StartOrder")))
            .transpose()?;
        sources.push((field.clone(), element.clone()));
        sources.push((
            format!("{field}.competitor"),
            paths::attr(&who.element, "Code"),
        ));
        sources.push((
            format!("{field}.noc"),
            paths::attr(&who.element, "Organisation"),
        ));
        sources.push((
            format!("{field}.name"),
            format!("{}/Description", who.element),
        ));
        sources.push((format!("{field}.irm"), paths::attr(&element, "IRM")));
        sources.push((
            format!("{field}.start_order"),
            paths::attr(&element, "StartOrder"),
        ));
        sources.push((format!("{field}.mark"), mark_source));
        entries.push(ResultEntry {
            competitor: who.id,
            name: who.name,
            noc: who.noc,
            mark,
            irm,
            start_order,
            members: Vec::new(),
        });
    }
    let message = ResultsMessage {
        message_id,
        unit,
        version,
        status,
        entries,
        note,
    };
    Ok((Message::Results(message), sources))
}

/// A game: the two `Result`s, home first.
fn game(
    competition: &Competition,
    definition: &EventDefinition,
    unit: UnitCode,
    version: u64,
    status: ResultStatus,
    message_id: String,
    note: Option<String>,
) -> Result<(Message, Sources), OdfError> {
    if competition.results.len() != 2 {
        return Err(OdfError::invalid(
            paths::COMPETITION,
            format!(
                "a game has two Result elements, this one {}",
                competition.results.len()
            ),
        ));
    }
    let mut order: Vec<(usize, &ResultElement)> = competition.results.iter().enumerate().collect();
    // Home is StartSortOrder 1; without it, the first Result.
    order.sort_by_key(|(i, result)| {
        result
            .start_sort_order
            .as_deref()
            .and_then(|text| text.trim().parse::<u32>().ok())
            .unwrap_or(u32::try_from(*i).unwrap_or(u32::MAX))
    });
    let mut sides = Vec::with_capacity(2);
    let mut sources = Vec::new();
    for ((i, result), field) in order.into_iter().zip(["home", "away"]) {
        let element = paths::child("Result", i);
        let who = competitor(result, definition, &element)?;
        let score_path = paths::attr(&element, "Result");
        let score: u32 = match result
            .result
            .as_deref()
            .filter(|text| !text.trim().is_empty())
        {
            Some(text) => integer(text, &score_path)?,
            None if status == ResultStatus::StartList => 0,
            None => return Err(OdfError::invalid(score_path, "a game's score is required")),
        };
        let dsc = extended(result, &element, "DSC");
        let dsc_cm = dsc
            .as_ref()
            .map(|(item, path)| {
                decimal(
                    item.value.as_deref().unwrap_or(""),
                    &paths::attr(path, "Value"),
                )
            })
            .transpose()?;
        sources.push((field.to_owned(), element.clone()));
        sources.push((
            format!("{field}.competitor"),
            paths::attr(&who.element, "Code"),
        ));
        sources.push((
            format!("{field}.noc"),
            paths::attr(&who.element, "Organisation"),
        ));
        sources.push((
            format!("{field}.name"),
            format!("{}/Description", who.element),
        ));
        if let Some((_, path)) = dsc {
            sources.push((format!("{field}.dsc_cm"), paths::attr(&path, "Value")));
        }
        sources.push((format!("{field}_score"), score_path));
        sides.push((
            GameSide {
                competitor: who.id,
                name: who.name,
                noc: who.noc,
                dsc_cm,
            },
            score,
        ));
    }
    let (decided_in, period_path) = match info(competition, "PERIOD") {
        Some((value, path)) => (
            match value.trim() {
                "OT" => DecidedIn::Overtime,
                "SO" => DecidedIn::Shootout,
                "EE" => DecidedIn::ExtraEnd,
                _ => DecidedIn::Regulation,
            },
            path,
        ),
        None => (DecidedIn::Regulation, paths::COMPETITION.to_owned()),
    };
    sources.push(("decided_in".into(), period_path));
    let mut sides = sides.into_iter();
    let (Some((home, home_score)), Some((away, away_score))) = (sides.next(), sides.next()) else {
        return Err(OdfError::invalid(
            paths::COMPETITION,
            "a game has two teams",
        ));
    };
    let game = GameResult {
        message_id,
        unit,
        version,
        status,
        home,
        away,
        home_score,
        away_score,
        decided_in,
        note,
    };
    Ok((Message::Game(game), sources))
}

/// A competitor as a `Result` names it, and where.
struct Who {
    id: CompetitorId,
    name: String,
    noc: Noc,
    element: String,
}

/// `Competitor/@Code` and `@Organisation`; the name from `Description` (given and family names, or a
/// team's name), else from the definition's participants, else the code.
fn competitor(
    result: &ResultElement,
    definition: &EventDefinition,
    element: &str,
) -> Result<Who, OdfError> {
    let path = format!("{element}/Competitor");
    let competitor = result
        .competitor
        .as_ref()
        .ok_or_else(|| OdfError::invalid(&path, "is required"))?;
    let code_path = paths::attr(&path, "Code");
    let code = required(competitor.code.as_ref(), &code_path)?;
    let id = code
        .parse::<CompetitorId>()
        .map_err(|error| OdfError::invalid(&code_path, error.to_string()))?;
    let noc_path = paths::attr(&path, "Organisation");
    let noc_text = required(competitor.organisation.as_ref(), &noc_path)?;
    let noc = noc_text
        .parse::<Noc>()
        .map_err(|error| OdfError::invalid(&noc_path, error.to_string()))?;
    let described = competitor.description.as_ref().and_then(|d| {
        let person = [d.given_name.as_deref(), d.family_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        d.team_name
            .clone()
            .filter(|team| !team.trim().is_empty())
            .or((!person.is_empty()).then_some(person))
    });
    let name = described
        .or_else(|| definition.participant(&id).map(|p| p.name.clone()))
        .unwrap_or_else(|| code.to_owned());
    Ok(Who {
        id,
        name,
        noc,
        element: path,
    })
}

/// `@IRM`: empty for none; one of this system's IRMs otherwise.
fn irm(result: &ResultElement, element: &str) -> Result<Option<Irm>, OdfError> {
    let Some(text) = result
        .irm
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return Ok(None);
    };
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map(Some)
        .map_err(|_| {
            OdfError::unknown(
                paths::attr(element, "IRM"),
                format!(
                    "{text:?} is not an IRM this system knows (DNF, DNS, DSQ, DNQ, LAP, DQB, WDR)"
                ),
            )
        })
}

/// The first `ExtendedResult` of `result` with code `code`, and its path.
fn extended<'r>(
    result: &'r ResultElement,
    element: &str,
    code: &str,
) -> Option<(&'r ExtendedResult, String)> {
    extended_all(result, element, code).into_iter().next()
}

/// Every `ExtendedResult` of `result` with code `code`, in document order, each with its path.
fn extended_all<'r>(
    result: &'r ResultElement,
    element: &str,
    code: &str,
) -> Vec<(&'r ExtendedResult, String)> {
    let Some(items) = result.extended_results.as_ref() else {
        return Vec::new();
    };
    items
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.code.as_deref() == Some(code))
        .map(|(i, item)| {
            (
                item,
                format!("{element}/ExtendedResults/ExtendedResult[{}]", i + 1),
            )
        })
        .collect()
}

/// A text attribute that is present and not blank.
fn present(value: Option<&String>) -> Option<&str> {
    value
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
}

/// The mark of a `Result` under `format`, and the path it came from. Entries with an IRM and nothing to
/// show have none; so do entries of a start list.
fn mark(
    result: &ResultElement,
    format: &ScoringFormat,
    has_irm: bool,
    element: &str,
) -> Result<(Option<Mark>, String), OdfError> {
    let result_path = paths::attr(element, "Result");
    let value = result
        .result
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    // An IRM is often written into @Result too ("DNF"): it is not a mark.
    let value = value.filter(|_| !has_irm);
    Ok(match format {
        ScoringFormat::LowestTime { .. } => (
            value
                .map(|text| time_ms(text, &result_path).map(|time_ms| Mark::Time { time_ms }))
                .transpose()?,
            result_path,
        ),
        ScoringFormat::HighestPoints { .. } => (
            value
                .map(|text| decimal(text, &result_path).map(|points| Mark::Points { points }))
                .transpose()?,
            result_path,
        ),
        ScoringFormat::SumOfRuns { .. } => {
            let runs = extended_all(result, element, "RUN");
            let mut timed: Vec<(u32, u64)> = Vec::with_capacity(runs.len());
            for (item, here) in &runs {
                let run: u32 =
                    integer(item.pos.as_deref().unwrap_or(""), &paths::attr(here, "Pos"))?;
                if let Some(value) = present(item.value.as_ref()) {
                    timed.push((run, time_ms(value, &paths::attr(here, "Value"))?));
                }
            }
            timed.sort_unstable();
            let source = runs.first().map_or_else(
                || format!("{element}/ExtendedResults"),
                |(_, here)| here.clone(),
            );
            let mark = (!timed.is_empty()).then(|| Mark::Runs {
                runs_ms: timed.into_iter().map(|(_, ms)| ms).collect(),
            });
            (mark, source)
        }
        ScoringFormat::Segments { .. } => {
            let segments = extended_all(result, element, "SEGMENT");
            let Some((_, first)) = segments.first() else {
                let mark = value
                    .map(|text| decimal(text, &result_path).map(|points| Mark::Points { points }))
                    .transpose()?;
                return Ok((mark, result_path));
            };
            let source = first.clone();
            let mut scored = Vec::with_capacity(segments.len());
            for (item, here) in &segments {
                let number: u32 =
                    integer(item.pos.as_deref().unwrap_or(""), &paths::attr(here, "Pos"))?;
                let part = |code: &str, needed: bool| -> Result<f64, OdfError> {
                    let found = item
                        .extensions
                        .iter()
                        .enumerate()
                        .find(|(_, e)| e.code.as_deref() == Some(code));
                    match found {
                        Some((e, extension)) => decimal(
                            extension.value.as_deref().unwrap_or(""),
                            &format!("{here}/Extension[{}]/@Value", e + 1),
                        ),
                        None if needed => Err(OdfError::invalid(
                            here,
                            format!("a segment needs an Extension with Code {code}"),
                        )),
                        None => Ok(0.0),
                    }
                };
                scored.push((
                    number,
                    Segment {
                        technical: part("TES", true)?,
                        components: part("PCS", true)?,
                        deductions: part("DED", false)?,
                    },
                ));
            }
            scored.sort_by_key(|(number, _)| *number);
            let mark = Mark::Segments {
                segments: scored.into_iter().map(|(_, segment)| segment).collect(),
            };
            (Some(mark), source)
        }
        ScoringFormat::FinishOrder { .. } => {
            let rank_path = paths::attr(element, "Rank");
            let rank = result
                .rank
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty() && !has_irm);
            let mark = match rank {
                Some(text) => Some(Mark::Position {
                    position: integer(text, &rank_path)?,
                    time_ms: value.map(|text| time_ms(text, &result_path)).transpose()?,
                }),
                None => None,
            };
            (mark, rank_path)
        }
        ScoringFormat::MassStart { .. } => {
            let mark = match extended(result, element, "FINISH") {
                Some((item, here)) if !has_irm => Some(Mark::SprintPoints {
                    points: value
                        .map(|text| integer(text, &result_path))
                        .transpose()?
                        .unwrap_or(0),
                    position: integer(
                        item.pos.as_deref().unwrap_or(""),
                        &paths::attr(&here, "Pos"),
                    )?,
                    time_ms: present(item.value.as_ref())
                        .map(|t| time_ms(t, &paths::attr(&here, "Value")))
                        .transpose()?,
                }),
                _ => None,
            };
            (mark, result_path)
        }
        other => {
            return Err(OdfError::unsupported(
                paths::DOCUMENT_CODE,
                format!(
                    "units scored by {} are not mapped from ODF; send them as JSON",
                    other.name()
                ),
            ));
        }
    })
}
