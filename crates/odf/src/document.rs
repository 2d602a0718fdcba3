//! The ODF message as typed structs, read by quick-xml's serde support. Only what the mapping uses is
//! declared; every other element and attribute of a real feed is ignored. Attributes are kept as text:
//! the mapping parses them, so that a bad value is reported with the path of its attribute.

use serde::Deserialize;

/// `<OdfBody>`: the envelope every ODF message shares.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OdfBody {
    #[serde(rename = "@CompetitionCode")]
    pub competition_code: Option<String>,
    /// The RSC of what the document is about: a unit (results), an event, or a discipline.
    #[serde(rename = "@DocumentCode")]
    pub document_code: Option<String>,
    #[serde(rename = "@DocumentType")]
    pub document_type: Option<String>,
    #[serde(rename = "@Version")]
    pub version: Option<String>,
    #[serde(rename = "@ResultStatus")]
    pub result_status: Option<String>,
    #[serde(rename = "@FeedFlag")]
    pub feed_flag: Option<String>,
    #[serde(rename = "Competition")]
    pub competition: Option<Competition>,
}

/// `<Competition>`: the body of the message.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Competition {
    #[serde(rename = "ExtendedInfos")]
    pub extended_infos: Option<ExtendedInfos>,
    /// DT_RESULT: one per competitor (or team).
    #[serde(rename = "Result", default)]
    pub results: Vec<ResultElement>,
    /// DT_SCHEDULE: one per unit.
    #[serde(rename = "Unit", default)]
    pub units: Vec<ScheduleUnit>,
    /// DT_PARTIC: one per athlete.
    #[serde(rename = "Participant", default)]
    pub participants: Vec<ParticipantElement>,
    /// DT_MEDALS.
    #[serde(rename = "MedalStandings")]
    pub medal_standings: Option<MedalStandings>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExtendedInfos {
    #[serde(rename = "ExtendedInfo", default)]
    pub items: Vec<ExtendedInfo>,
}

/// `<ExtendedInfo Type Code Value>`: unit-level facts (the period a game ended in, a note).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExtendedInfo {
    #[serde(rename = "@Type")]
    pub kind: Option<String>,
    #[serde(rename = "@Code")]
    pub code: Option<String>,
    #[serde(rename = "@Value")]
    pub value: Option<String>,
}

/// `<Result>`: one competitor's line.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResultElement {
    #[serde(rename = "@Rank")]
    pub rank: Option<String>,
    #[serde(rename = "@RankEqual")]
    pub rank_equal: Option<String>,
    #[serde(rename = "@ResultType")]
    pub result_type: Option<String>,
    #[serde(rename = "@Result")]
    pub result: Option<String>,
    #[serde(rename = "@IRM")]
    pub irm: Option<String>,
    #[serde(rename = "@SortOrder")]
    pub sort_order: Option<String>,
    #[serde(rename = "@StartOrder")]
    pub start_order: Option<String>,
    /// Head-to-head units: 1 for the home team, 2 for the away team.
    #[serde(rename = "@StartSortOrder")]
    pub start_sort_order: Option<String>,
    #[serde(rename = "Competitor")]
    pub competitor: Option<CompetitorElement>,
    #[serde(rename = "ExtendedResults")]
    pub extended_results: Option<ExtendedResults>,
}

/// `<Competitor Code Type Organisation>`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CompetitorElement {
    #[serde(rename = "@Code")]
    pub code: Option<String>,
    /// `A` athlete, `T` team.
    #[serde(rename = "@Type")]
    pub kind: Option<String>,
    #[serde(rename = "@Organisation")]
    pub organisation: Option<String>,
    #[serde(rename = "Description")]
    pub description: Option<Description>,
}

/// `<Description>`: a competitor's names.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Description {
    #[serde(rename = "@GivenName")]
    pub given_name: Option<String>,
    #[serde(rename = "@FamilyName")]
    pub family_name: Option<String>,
    #[serde(rename = "@TeamName")]
    pub team_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExtendedResults {
    #[serde(rename = "ExtendedResult", default)]
    pub items: Vec<ExtendedResult>,
}

/// `<ExtendedResult Type Code Pos Value>`: a run, a segment, a sprint, a draw-shot challenge…
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExtendedResult {
    #[serde(rename = "@Type")]
    pub kind: Option<String>,
    #[serde(rename = "@Code")]
    pub code: Option<String>,
    #[serde(rename = "@Pos")]
    pub pos: Option<String>,
    #[serde(rename = "@Value")]
    pub value: Option<String>,
    #[serde(rename = "Extension", default)]
    pub extensions: Vec<Extension>,
}

/// `<Extension Code Value>`: a part of an extended result (a segment's technical score).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Extension {
    #[serde(rename = "@Code")]
    pub code: Option<String>,
    #[serde(rename = "@Value")]
    pub value: Option<String>,
}

/// DT_SCHEDULE's `<Unit Code StartDate ScheduleStatus>`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScheduleUnit {
    #[serde(rename = "@Code")]
    pub code: Option<String>,
    #[serde(rename = "@StartDate")]
    pub start_date: Option<String>,
    #[serde(rename = "@ScheduleStatus")]
    pub schedule_status: Option<String>,
}

/// DT_PARTIC's `<Participant Code GivenName FamilyName Organisation>` with its registered events.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ParticipantElement {
    #[serde(rename = "@Code")]
    pub code: Option<String>,
    #[serde(rename = "@GivenName")]
    pub given_name: Option<String>,
    #[serde(rename = "@FamilyName")]
    pub family_name: Option<String>,
    #[serde(rename = "@Organisation")]
    pub organisation: Option<String>,
    #[serde(rename = "Discipline", default)]
    pub disciplines: Vec<ParticipantDiscipline>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ParticipantDiscipline {
    #[serde(rename = "@Code")]
    pub code: Option<String>,
    #[serde(rename = "RegisteredEvent", default)]
    pub events: Vec<RegisteredEvent>,
}

/// `<RegisteredEvent Event>`: the event's RSC.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegisteredEvent {
    #[serde(rename = "@Event")]
    pub event: Option<String>,
}

/// DT_MEDALS's `<MedalStandings>`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MedalStandings {
    #[serde(rename = "MedalNOC", default)]
    pub nocs: Vec<MedalNoc>,
}

/// `<MedalNOC Rank RankTotal Organisation>`: one NOC's line, its counts in `<MedalNumber>`s.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MedalNoc {
    #[serde(rename = "@Organisation")]
    pub organisation: Option<String>,
    #[serde(rename = "@Rank")]
    pub rank: Option<String>,
    #[serde(rename = "@RankTotal")]
    pub rank_total: Option<String>,
    #[serde(rename = "MedalNumber", default)]
    pub numbers: Vec<MedalNumber>,
}

/// `<MedalNumber Type Gold Silver Bronze Total>`: counts of one kind (`TOT` for all medals).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MedalNumber {
    #[serde(rename = "@Type")]
    pub kind: Option<String>,
    #[serde(rename = "@Gold")]
    pub gold: Option<String>,
    #[serde(rename = "@Silver")]
    pub silver: Option<String>,
    #[serde(rename = "@Bronze")]
    pub bronze: Option<String>,
    #[serde(rename = "@Total")]
    pub total: Option<String>,
}
