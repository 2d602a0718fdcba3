//! The event's hot documents (its page and the first page of its leaderboard), published after changes,
//! at most once a second (`object_logic::coalesce`), after the feed has its acknowledgement. A failed
//! write is tried again by the alarm a second later.

use domain::LeaderboardQuery;
use object_logic::coalesce::{PUBLISH_INTERVAL_MS, Step};
use tracing::Instrument;
use wire::docs::{Document, HotDoc};

use super::EventRoom;
use super::reads::EventSummary;
use crate::caching::{cache_control, max_age};
use crate::publish;

impl EventRoom {
    /// Publishes now if the last publication is a second old, and answers when it is due otherwise.
    /// `background`: after the response (`wait_until`); else awaited (the alarm).
    pub(super) async fn publish_step(&self, now_ms: u64, background: bool) -> Option<u64> {
        let version = self.event.borrow().as_ref().map(|s| s.version())?;
        match self.publisher.get().step(version, now_ms, true) {
            Step::Hold { due_ms } => Some(due_ms),
            Step::Nothing => None,
            Step::Send => {
                let documents = self.documents()?;
                let mut publisher = self.publisher.get();
                publisher.sent(version, now_ms);
                self.publisher.set(publisher);
                let env = self.env.clone();
                let publisher = std::rc::Rc::clone(&self.publisher);
                let state = self.handle();
                let write = async move {
                    if let Err(cause) = publish::write(&env, &documents).await {
                        tracing::error!(cause = %cause, "publish: documents not written; retried in a second");
                        let mut retry = publisher.get();
                        retry.forget();
                        publisher.set(retry);
                        let wait = std::time::Duration::from_millis(PUBLISH_INTERVAL_MS);
                        if let Err(err) = state.storage().set_alarm(wait).await {
                            tracing::error!(cause = %err, "publish: could not schedule a retry");
                        }
                    }
                };
                if background {
                    self.state
                        .wait_until(write.instrument(tracing::Span::current()));
                } else {
                    write.await;
                }
                None
            }
        }
    }

    /// The documents as the read API answers them now.
    fn documents(&self) -> Option<Vec<Document>> {
        let slot = self.event.borrow();
        let state = slot.as_ref()?;
        let code = state.definition().code.clone();
        let page = state.leaderboard(&LeaderboardQuery::default()).ok()?;
        let summary = EventSummary::of(state);
        let page_control = cache_control(max_age(page.status == domain::ResultStatus::Official));
        let summary_control = cache_control(max_age(summary.settled()));
        Some(vec![
            Document {
                doc: HotDoc::Event(code.clone()),
                body: serde_json::to_string(&summary).ok()?,
                cache_control: summary_control,
                version: state.version(),
            },
            Document {
                doc: HotDoc::Leaderboard(code),
                body: serde_json::to_string(&page).ok()?,
                cache_control: page_control,
                version: state.version(),
            },
        ])
    }
}
