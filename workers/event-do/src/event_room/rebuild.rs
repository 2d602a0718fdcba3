//! Rebuilding the event from the archive alone (`object_logic::replay`): the object is out of service
//! while it reads the archive, so no write slips between the read and the replace; the rebuilt state,
//! its log and a digest for the standings are then written in one atomic stretch, and viewers, hot
//! documents and the standings hear of it as of any change.

use edge::{Problem, respond};
use object_logic::replay::{ReplayError, replay};
use wire::api::RebuildAnswer;
use wire::digest::EventDigest;
use worker::Response;

use super::EventRoom;
use crate::{archive, outbox, problems, store};

impl EventRoom {
    pub(super) async fn rebuild(&self, code: &str) -> Result<Response, Problem> {
        let at_least = self.event.borrow().as_ref().map(|s| s.version());
        let was_in_maintenance = self.maintenance.replace(true);
        let rebuilt = self.rebuild_from_archive(code, at_least).await;
        self.maintenance.set(was_in_maintenance);
        let answer = rebuilt?;
        // A rebuilt event is listed as a defined one is (a rebuild into an empty namespace mends it).
        crate::catalogue::enlist(&self.env, code)
            .await
            .map_err(|cause| {
                Problem::unavailable("the event was rebuilt but not listed; rebuild it again")
                    .because(cause)
            })?;
        tracing::warn!(
            event = code,
            event_version = answer.event_version,
            changes = answer.changes,
            "rebuilt from the archive"
        );
        self.after_change().await;
        respond::json(&answer, 200)
    }

    async fn rebuild_from_archive(
        &self,
        code: &str,
        at_least: Option<u64>,
    ) -> Result<RebuildAnswer, Problem> {
        let changes = archive::changes(&self.env, code).await.map_err(|cause| {
            Problem::unavailable("the archive could not be read; nothing was changed")
                .because(cause)
        })?;
        let count = changes.len();
        let (state, log) = replay(changes, at_least).map_err(|err| match err {
            ReplayError::Empty => problems::unknown_event(code),
            other => Problem::new(
                409,
                "archive-incomplete",
                "The archive cannot rebuild this event",
            )
            .detail(format!("{other}; nothing was changed"))
            .field("event"),
        })?;
        self.ensure_migrated()?;
        let digest = outbox::standings_row(&EventDigest::of(&state));
        store::replace_all(&self.state.storage().sql(), &state, &log, &[digest])
            .map_err(problems::storage)?;
        let answer = RebuildAnswer {
            event: code.to_string(),
            event_version: state.version(),
            changes: count,
        };
        *self.event.borrow_mut() = Some(state);
        // Viewers and the published documents get the rebuilt state whole.
        *self.sent.borrow_mut() = None;
        let mut coalescer = self.coalescer.get();
        coalescer.forget();
        self.coalescer.set(coalescer);
        let mut publisher = self.publisher.get();
        publisher.forget();
        self.publisher.set(publisher);
        Ok(answer)
    }
}
