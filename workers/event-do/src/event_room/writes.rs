//! The write path: a feed's definition, results or game is applied with `domain`, stored with its log
//! line and outbox rows in one atomic stretch, and only then acknowledged. A rejected message changes
//! nothing; a duplicate or stale one is acknowledged as a no-op.
//!
//! 1. Parse the body strictly (unknown fields are errors, the path of a bad field is named).
//! 2. Apply with `EventState::apply` (or define): `Duplicate`/`Stale` when the unit holds this or a newer
//!    version; otherwise the whole message is validated against the definition, ranked, the event version
//!    bumped and an audit entry written.
//! 3. Store (`store::record_change`): the head and the one unit the change wrote, a line in `applied`, and
//!    the outbox rows (one per Queue with the `ChangeRecord`; one for the standings when a status or the
//!    medals changed) with no `.await` between them, so the runtime commits them as one atomic write and
//!    holds the response until it is durable. If it fails, the object answers 503 and reloads from storage.
//! 4. Acknowledge (201 applied, 200 duplicate or stale), then `broadcast.rs` tells the viewers and drains
//!    the outbox after the response (`outbox.rs` says where rows go and what happens when they fail).

use domain::{ApplyContext, ApplyOutcome, EventDefinition, EventState, FeedMessage};
use edge::{Problem, body};
use object_logic::outbox::Destination;
use wire::api::{FEED_HEADER, RECEIVED_AT_HEADER, SENT_AT_HEADER};
use wire::digest::EventDigest;
use wire::{ChangeKind, ChangeRecord, Outcome, Receipt};
use worker::{Request, Response};

use super::EventRoom;
use crate::{outbox, problems, store};

/// What one applied change leaves behind besides the new state: its log line and the record the
/// archive and analytics get.
struct Change<'a> {
    line: store::LogLine<'a>,
    record: ChangeRecord,
    /// Whether the events list or the medal table can differ (a new status, new medals): the standings
    /// hear of those, not of every split time.
    tell_standings: bool,
}

impl EventRoom {
    pub(super) async fn write(
        &self,
        req: &mut Request,
        code: &str,
        kind: ChangeKind,
    ) -> Result<Response, Problem> {
        // The gateway already enforced its limits; this is a second fence for any other caller.
        let bytes = body::read_limited(req, 1024 * 1024).await?;
        // A rebuild may have begun while the body was read: it must not lose this change.
        if self.maintenance.get() {
            return Err(Problem::unavailable(
                "this event is under maintenance; retry shortly",
            ));
        }
        let receipt = match kind {
            ChangeKind::Definition => {
                let definition = body::parse_json(&bytes)?;
                self.define(code, definition, &Sender::of(req)?)?
            }
            ChangeKind::Results => {
                let message = FeedMessage::Results(body::parse_json(&bytes)?);
                self.apply(code, message, &Sender::of(req)?)?
            }
            ChangeKind::Game => {
                let message = FeedMessage::Game(body::parse_json(&bytes)?);
                self.apply(code, message, &Sender::of(req)?)?
            }
        };
        tracing::info!(
            event = code,
            kind = kind.as_str(),
            message_id = %receipt.message_id,
            outcome = receipt.outcome.as_str(),
            event_version = receipt.event_version,
            "message handled"
        );
        if receipt.outcome == Outcome::Applied {
            self.after_change().await;
        }
        let status = if receipt.outcome == Outcome::Applied {
            201
        } else {
            200
        };
        edge::respond::json(&receipt, status)
    }

    /// Creates the event, or replaces its definition.
    fn define(
        &self,
        code: &str,
        definition: EventDefinition,
        sender: &Sender,
    ) -> Result<Receipt, Problem> {
        let ctx = &sender.ctx;
        if definition.code.as_str() != code {
            return Err(Problem::bad_request(
                "code",
                format!(
                    "the body defines {}, but the path names {code}",
                    definition.code
                ),
            ));
        }
        let message_id = format!("definition-{}", ctx.received_at_ms);
        let mut slot = self.event.borrow_mut();
        let before = slot.as_ref().map(EventState::version);
        match slot.as_mut() {
            Some(state) => state
                .replace_definition(definition)
                .map_err(problems::domain)?,
            None => *slot = Some(EventState::try_new(definition).map_err(problems::domain)?),
        }
        let Some(state) = slot.as_ref() else {
            return Err(Problem::internal().because("no state right after defining it"));
        };
        let changed = before != Some(state.version()) || before.is_none();
        let receipt = Receipt {
            event: code.to_string(),
            message_id: message_id.clone(),
            outcome: if changed {
                Outcome::Applied
            } else {
                Outcome::Duplicate
            },
            event_version: state.version(),
            unit: None,
            unit_version: None,
        };
        if changed {
            let audit = object_logic::replay::definition_audit(
                state.version(),
                &ctx.feed,
                ctx.received_at_ms,
            );
            let line = store::LogLine {
                kind: ChangeKind::Definition,
                message_id: &message_id,
                unit: "",
                unit_version: 0,
                feed: &ctx.feed,
                received_at_ms: ctx.received_at_ms,
                audit_json: audit,
            };
            let body_json = serde_json::to_string(state.definition()).unwrap_or_default();
            let record = change_record(state, &line, "", false, body_json, sender.sent_at_ms);
            let change = Change {
                line,
                record,
                tell_standings: true,
            };
            if let Err(problem) = self.persist(state, &change) {
                drop(slot);
                self.reload();
                return Err(problem);
            }
        }
        Ok(receipt)
    }

    /// Applies a results message or a game.
    fn apply(&self, code: &str, message: FeedMessage, sender: &Sender) -> Result<Receipt, Problem> {
        let ctx = &sender.ctx;
        let mut slot = self.event.borrow_mut();
        let state = slot.as_mut().ok_or_else(|| problems::unknown_event(code))?;
        let (kind, body_json, message_id) = match &message {
            FeedMessage::Results(m) => (
                ChangeKind::Results,
                serde_json::to_string(m),
                m.message_id.clone(),
            ),
            FeedMessage::Game(g) => (
                ChangeKind::Game,
                serde_json::to_string(g),
                g.message_id.clone(),
            ),
        };
        let unit = message.unit().to_string();
        let status_before = state.unit(message.unit()).map(|u| u.status());
        let outcome = state.apply(message, ctx).map_err(problems::domain)?;
        let mut receipt = Receipt {
            event: code.to_string(),
            message_id: message_id.clone(),
            outcome: Outcome::Applied,
            event_version: state.version(),
            unit: Some(unit.clone()),
            unit_version: None,
        };
        match outcome {
            ApplyOutcome::Applied(applied) => {
                receipt.unit_version = Some(applied.unit_version);
                let line = store::LogLine {
                    kind,
                    message_id: &message_id,
                    unit: &unit,
                    unit_version: applied.unit_version,
                    feed: &ctx.feed,
                    received_at_ms: ctx.received_at_ms,
                    audit_json: store::audit_json(&applied.audit),
                };
                let record = change_record(
                    state,
                    &line,
                    applied.status.as_str(),
                    applied.medals_changed,
                    body_json.unwrap_or_default(),
                    sender.sent_at_ms,
                );
                let change = Change {
                    line,
                    record,
                    tell_standings: applied.medals_changed || status_before != Some(applied.status),
                };
                if let Err(problem) = self.persist(state, &change) {
                    // Memory is ahead of storage now: reload so the object never serves a change
                    // that was not stored.
                    drop(slot);
                    self.reload();
                    return Err(problem);
                }
            }
            ApplyOutcome::Duplicate { unit_version } => {
                receipt.outcome = Outcome::Duplicate;
                receipt.unit_version = Some(unit_version);
            }
            ApplyOutcome::Stale { current_version } => {
                receipt.outcome = Outcome::Stale;
                receipt.unit_version = Some(current_version);
            }
        }
        Ok(receipt)
    }

    /// Stores the new state with its log line and outbox rows in one atomic stretch.
    fn persist(&self, state: &EventState, change: &Change<'_>) -> Result<(), Problem> {
        let sql = self.state.storage().sql();
        self.ensure_migrated()?;
        let record = change.record.to_msgpack();
        let mut rows: Vec<(Destination, Vec<u8>)> = Destination::QUEUES
            .iter()
            .map(|queue| (*queue, record.clone()))
            .collect();
        if change.tell_standings {
            rows.push(outbox::standings_row(&EventDigest::of(state)));
        }
        store::record_change(&sql, state, &change.line, &rows, &change.record.request_id)
            .map_err(problems::storage)
    }

    /// Makes sure the tables exist as this build knows them, once per instance: at the first write, or
    /// before an alarm drains an outbox an older build may have made.
    pub(super) fn ensure_migrated(&self) -> Result<(), Problem> {
        if !self.migrated.get() {
            store::migrate(&self.state.storage().sql()).map_err(problems::storage)?;
            self.migrated.set(true);
        }
        Ok(())
    }

    pub(super) fn reload(&self) {
        match store::load(&self.state.storage().sql()) {
            Ok(event) => *self.event.borrow_mut() = event,
            Err(err) => *self.broken.borrow_mut() = Some(err.to_string()),
        }
    }
}

/// Who sent a write and when, as the gateway established them (only a gateway reaches an object).
struct Sender {
    ctx: ApplyContext,
    /// When the feed says it sent it, for the operators' lateness report.
    sent_at_ms: Option<u64>,
}

impl Sender {
    fn of(req: &Request) -> Result<Self, Problem> {
        let header = |name: &str| req.headers().get(name).ok().flatten();
        let feed = header(FEED_HEADER)
            .filter(|f| !f.is_empty())
            .ok_or_else(|| {
                Problem::internal()
                    .because("a write without a feed identity reached the event object")
            })?;
        let received_at_ms = header(RECEIVED_AT_HEADER)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| worker::Date::now().as_millis());
        Ok(Self {
            ctx: ApplyContext {
                feed,
                received_at_ms,
            },
            sent_at_ms: header(SENT_AT_HEADER).and_then(|v| v.parse().ok()),
        })
    }
}

fn change_record(
    state: &EventState,
    line: &store::LogLine<'_>,
    status: &str,
    medals_changed: bool,
    body_json: String,
    sent_at_ms: Option<u64>,
) -> ChangeRecord {
    ChangeRecord {
        schema: wire::change::CHANGE_SCHEMA,
        event: state.definition().code.to_string(),
        event_version: state.version(),
        kind: line.kind,
        unit: line.unit.to_string(),
        unit_version: line.unit_version,
        status: status.to_string(),
        message_id: line.message_id.to_string(),
        feed: line.feed.to_string(),
        received_at_ms: line.received_at_ms,
        medals_changed,
        body_json,
        body_in_archive: false,
        request_id: edge::log::current_request_id().unwrap_or_default(),
        sent_at_ms,
    }
}
