//! Olympic Live's domain: the one place where Winter Olympic scoring rules live.
//!
//! Pure Rust: no `worker`, no I/O, no clock, no randomness (callers pass times in); compiles for native
//! and `wasm32-unknown-unknown`. No input makes it panic: every rejection is a [`DomainError`] naming the
//! field path and the reason.
//!
//! Contents:
//! - [`codes`]: validated codes ([`EventCode`], [`UnitCode`], [`Noc`], [`CompetitorId`], [`LogicalDay`]).
//! - [`sport`]: [`Sport`], the 16 [`Discipline`]s, [`Gender`].
//! - [`catalog`]: [`EventDefinition`] with phases, units, medal unit, schedule and participants.
//! - [`bracket`]: knockout brackets ([`BracketGame`]): who plays, derived from earlier results.
//! - [`format`]: [`ScoringFormat`], the data that says how an event is scored (see `FORMATS.md`).
//! - [`mark`], [`status`]: [`Mark`]s, [`ResultStatus`], irregular results ([`Irm`]).
//! - [`results`], [`game`], [`feed`]: the feed messages [`ResultsMessage`] and [`GameResult`], and
//!   [`FeedMessage`] carrying either.
//! - [`state`]: [`EventState`], which applies messages idempotently and answers leaderboards and medals.
//! - [`gaps`]: start gaps for pursuits and Gundersen starts.
//! - [`unit`]: a unit's stored results and ranking (computed by the private `ranking` and `standings`).
//! - [`leaderboard`], [`paging`]: leaderboard pages with cursors and "around".
//! - [`medals`], [`medal_table`], [`medal_book`]: medals per event; the Games' medal table, breakdowns by
//!   sport, discipline, gender and day, and the athletes with most medals.
//! - [`naming`]: what fans call a unit ("Run 2", "Group A · SWE v FIN").
//! - [`nocs`]: the NOCs' IOC names and flags, for readers.
//! - [`audit`]: what applying reports ([`ApplyOutcome`]) and the audit trail.
//! - [`storage`]: the versioned MessagePack envelope for stored state.
//! - [`error`]: the one error type, [`DomainError`], with `field_path()`.

pub mod audit;
pub mod bracket;
pub mod catalog;
pub mod codes;
pub mod display;
pub mod error;
pub mod feed;
pub mod format;
pub mod game;
pub mod gaps;
pub mod leaderboard;
pub mod live_patch;
pub mod mark;
pub mod medal_book;
pub mod medal_table;
pub mod medals;
pub mod naming;
pub mod nocs;
pub mod paging;
mod ranking;
pub mod results;
pub mod sport;
mod standings;
pub mod state;
pub mod status;
pub mod storage;
mod text;
pub mod unit;

#[cfg(test)]
mod tests;

pub use audit::{AppliedChange, ApplyContext, ApplyOutcome, AuditEntry};
pub use bracket::{BracketGame, BracketLine, BracketSide, Feeder};
pub use catalog::{
    CompetitorKind, EventDefinition, Participant, PhaseDefinition, ScheduledUnit, TeamMember, Venue,
};
pub use codes::{CompetitorId, EventCode, LogicalDay, Noc, UnitCode};
pub use error::DomainError;
pub use feed::FeedMessage;
pub use format::{
    Advancement, GameRules, HockeyPoints, RoundRobinRules, Rounding, ScoringFormat, TimePrecision,
};
pub use game::{DecidedIn, GameResult, GameSide};
pub use gaps::{GapRule, StartGap};
pub use leaderboard::{
    LeaderboardPage, LeaderboardQuery, LeaderboardRow, Qualification, TeamRecord,
};
pub use live_patch::{LeaderboardPatch, PatchError};
pub use mark::{Jump, Mark, Segment};
pub use medal_book::{EventMedals, MedalBook};
pub use medal_table::{
    AthleteMedalRow, Breakdown, BreakdownRow, MedalCounts, MedalFilter, MedalOrder, MedalTable,
    MedalTableRow, athletes, athletes_page, breakdown, medallists,
};
pub use medals::{Medal, MedalAward};
pub use naming::unit_name;
pub use nocs::{noc_flag, noc_name};
pub use paging::Page;
pub use results::{ResultEntry, ResultsMessage};
pub use sport::{Discipline, Gender, Sport};
pub use state::EventState;
pub use status::{Irm, ResultStatus};
pub use unit::{UnitContent, UnitNote, UnitResults};
