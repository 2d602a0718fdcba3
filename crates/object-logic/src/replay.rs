//! Rebuilding an event from its archive: every applied change, in event-version order, applied again with
//! the feed and arrival time it had. `domain` is deterministic, so the result is the event as it was:
//! the same state, versions, medals and audit trail. A gap or a change that does not apply as it did the
//! first time is an error, and nothing is rebuilt from a partial archive.

use domain::{ApplyContext, ApplyOutcome, EventDefinition, EventState, FeedMessage};
use wire::ChangeKind;

/// One change as the archive holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedChange {
    pub event_version: u64,
    pub kind: ChangeKind,
    pub message_id: String,
    pub feed: String,
    pub received_at_ms: u64,
    /// The applied message (or definition) as JSON.
    pub body_json: String,
}

/// One line of the rebuilt log, as the object stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    pub event_version: u64,
    pub kind: ChangeKind,
    pub message_id: String,
    pub unit: String,
    pub unit_version: u64,
    pub feed: String,
    pub received_at_ms: u64,
    pub audit_json: String,
}

/// Why an archive cannot be replayed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    #[error("the archive holds no changes")]
    Empty,
    #[error("the archive holds none of this event yet; the event is at {expected}")]
    NothingYet { expected: u64 },
    #[error("the archive is missing event version {missing}")]
    Gap { missing: u64 },
    #[error("the archive ends at event version {found}; the event is at {expected}")]
    Behind { found: u64, expected: u64 },
    #[error("event version {version} does not apply again: {reason}")]
    Diverged { version: u64, reason: String },
}

/// The audit line of a stored definition (the object writes the same when it stores one).
pub fn definition_audit(event_version: u64, feed: &str, received_at_ms: u64) -> String {
    serde_json::json!({
        "event_version": event_version, "kind": "definition", "feed": feed,
        "received_at_ms": received_at_ms, "summary": "event definition stored",
    })
    .to_string()
}

/// Replays `changes` (any order) into the event they make. `at_least`: the version the object held, if it
/// still holds one; an archive that ends before it is behind (its Queue has not caught up yet).
pub fn replay(
    mut changes: Vec<ArchivedChange>,
    at_least: Option<u64>,
) -> Result<(EventState, Vec<Replayed>), ReplayError> {
    changes.sort_by_key(|c| c.event_version);
    let mut state: Option<EventState> = None;
    let mut log = Vec::with_capacity(changes.len());
    for (expected, change) in (0u64..).zip(&changes) {
        if change.event_version != expected {
            return Err(ReplayError::Gap { missing: expected });
        }
        let diverged = |reason: String| ReplayError::Diverged {
            version: change.event_version,
            reason,
        };
        let (unit, unit_version, audit_json) = match change.kind {
            ChangeKind::Definition => {
                let definition: EventDefinition =
                    serde_json::from_str(&change.body_json).map_err(|e| diverged(e.to_string()))?;
                match state.as_mut() {
                    Some(current) => current
                        .replace_definition(definition)
                        .map_err(|e| diverged(e.to_string()))?,
                    None => {
                        state = Some(
                            EventState::try_new(definition).map_err(|e| diverged(e.to_string()))?,
                        );
                    }
                }
                (
                    String::new(),
                    0,
                    definition_audit(change.event_version, &change.feed, change.received_at_ms),
                )
            }
            ChangeKind::Results | ChangeKind::Game => {
                let current = state
                    .as_mut()
                    .ok_or_else(|| diverged("a result before any definition".into()))?;
                let message = match change.kind {
                    ChangeKind::Results => {
                        serde_json::from_str(&change.body_json).map(FeedMessage::Results)
                    }
                    _ => serde_json::from_str(&change.body_json).map(FeedMessage::Game),
                }
                .map_err(|e| diverged(e.to_string()))?;
                let ctx = ApplyContext {
                    feed: change.feed.clone(),
                    received_at_ms: change.received_at_ms,
                };
                match current.apply(message, &ctx) {
                    Ok(ApplyOutcome::Applied(applied)) => (
                        applied.unit.to_string(),
                        applied.unit_version,
                        serde_json::to_string(&applied.audit).unwrap_or_default(),
                    ),
                    Ok(other) => return Err(diverged(format!("it was {other:?} this time"))),
                    Err(err) => return Err(diverged(err.to_string())),
                }
            }
        };
        let version = state.as_ref().map_or(0, EventState::version);
        if version != change.event_version {
            return Err(diverged(format!("it made version {version}")));
        }
        log.push(Replayed {
            event_version: change.event_version,
            kind: change.kind,
            message_id: change.message_id.clone(),
            unit,
            unit_version,
            feed: change.feed.clone(),
            received_at_ms: change.received_at_ms,
            audit_json,
        });
    }
    let state = state.ok_or(match at_least {
        Some(expected) => ReplayError::NothingYet { expected },
        None => ReplayError::Empty,
    })?;
    if let Some(expected) = at_least
        && state.version() < expected
    {
        return Err(ReplayError::Behind {
            found: state.version(),
            expected,
        });
    }
    Ok((state, log))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ResultsMessage;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn definition() -> EventDefinition {
        serde_json::from_value(serde_json::json!({
            "code": "ALPMDOWNHILL", "name": "Downhill",
            "format": { "type": "lowest_time", "precision": "hundredths" },
            "phases": [{ "code": "FNL", "name": "Final", "units": ["FNL"] }],
            "medal_unit": "FNL"
        }))
        .unwrap()
    }

    fn results(
        version: u64,
        status: &str,
        times: &[(&str, u64)],
        note: Option<&str>,
    ) -> ResultsMessage {
        let entries: Vec<serde_json::Value> = times
            .iter()
            .map(|(id, ms)| {
                serde_json::json!({ "competitor": id, "name": id, "noc": &id[..3],
                    "mark": { "kind": "time", "time_ms": ms } })
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "message_id": format!("m{version}"), "unit": "FNL", "version": version,
            "status": status, "entries": entries, "note": note
        }))
        .unwrap()
    }

    /// Plays the changes as the object did, archiving what it applied: the "before" of a loss.
    fn live_event() -> (EventState, Vec<ArchivedChange>) {
        let mut state = EventState::try_new(definition()).unwrap();
        let mut archive = vec![ArchivedChange {
            event_version: 0,
            kind: ChangeKind::Definition,
            message_id: "definition-1".into(),
            feed: "service:a".into(),
            received_at_ms: 1,
            body_json: serde_json::to_string(state.definition()).unwrap(),
        }];
        let messages = [
            results(1, "LIVE", &[("SUIa", 60_000)], None),
            results(2, "LIVE", &[("SUIa", 60_000), ("AUTb", 59_000)], None),
            results(2, "LIVE", &[("SUIa", 60_000), ("AUTb", 59_000)], None), // a duplicate: not archived
            results(
                3,
                "OFFICIAL",
                &[("SUIa", 60_000), ("AUTb", 59_000), ("ITAc", 61_000)],
                None,
            ),
            results(
                4,
                "OFFICIAL",
                &[("SUIa", 58_000), ("AUTb", 59_000), ("ITAc", 61_000)],
                Some("timing corrected"),
            ),
        ];
        for (i, message) in messages.into_iter().enumerate() {
            let ctx = ApplyContext {
                feed: "service:b".into(),
                received_at_ms: 100 + i as u64,
            };
            let body_json = serde_json::to_string(&message).unwrap();
            if let ApplyOutcome::Applied(applied) =
                state.apply_results(message.clone(), &ctx).unwrap()
            {
                archive.push(ArchivedChange {
                    event_version: applied.event_version,
                    kind: ChangeKind::Results,
                    message_id: message.message_id,
                    feed: ctx.feed,
                    received_at_ms: ctx.received_at_ms,
                    body_json,
                });
            }
        }
        (state, archive)
    }

    #[test]
    fn a_replayed_archive_is_the_event_as_it_was() {
        let (before, mut archive) = live_event();
        archive.reverse(); // the archive lists in any order
        let (after, log) = replay(archive, Some(before.version())).unwrap();
        assert_eq!(after, before);
        assert_eq!(after.medals(), before.medals());
        let versions: Vec<u64> = log.iter().map(|l| l.event_version).collect();
        assert_eq!(versions, [0, 1, 2, 3, 4]);
        assert!(
            log[4].audit_json.contains("timing corrected"),
            "{}",
            log[4].audit_json
        );
        assert_eq!(log[0].audit_json, definition_audit(0, "service:a", 1));
    }

    #[test]
    fn a_partial_archive_is_refused() {
        let (before, archive) = live_event();
        let without_two: Vec<ArchivedChange> = archive
            .iter()
            .filter(|c| c.event_version != 2)
            .cloned()
            .collect();
        assert_eq!(
            replay(without_two, None).unwrap_err(),
            ReplayError::Gap { missing: 2 }
        );
        let behind: Vec<ArchivedChange> = archive.iter().take(3).cloned().collect();
        assert_eq!(
            replay(behind, Some(before.version())).unwrap_err(),
            ReplayError::Behind {
                found: 2,
                expected: 4
            }
        );
        assert_eq!(replay(Vec::new(), None).unwrap_err(), ReplayError::Empty);
        assert_eq!(
            replay(Vec::new(), Some(3)).unwrap_err(),
            ReplayError::NothingYet { expected: 3 }
        );
    }

    #[test]
    fn a_change_that_does_not_apply_again_is_refused() {
        // The correction's note lost: a changed OFFICIAL result without one is refused.
        let (_, mut archive) = live_event();
        archive[4].body_json = archive[4]
            .body_json
            .replace(r#","note":"timing corrected""#, "");
        let err = replay(archive, None).unwrap_err();
        assert!(
            matches!(&err, ReplayError::Diverged { version: 4, reason } if reason.contains("note")),
            "{err:?}"
        );
        // A message of the wrong kind for its unit.
        let (_, mut archive) = live_event();
        archive[1].kind = ChangeKind::Game;
        let err = replay(archive, None).unwrap_err();
        assert!(
            matches!(err, ReplayError::Diverged { version: 1, .. }),
            "{err:?}"
        );
    }
}
