//! The event's hot documents (its page and the first page of its leaderboard), published after changes,
//! after the feed has its acknowledgement: to the public bucket at most once a second, and their KV
//! snapshots at most every ten (`object_logic::coalesce::plan`). A failed write is tried again by the
//! alarm a second later.

use std::cell::Cell;
use std::rc::Rc;

use domain::LeaderboardQuery;
use object_logic::coalesce::{self, Coalescer, PUBLISH_INTERVAL_MS};
use tracing::Instrument;
use wire::docs::{Document, HotDoc};

use super::EventRoom;
use super::reads::EventSummary;
use crate::caching::{cache_control, max_age};
use crate::publish::{self, Stores};

/// The bucket's and the snapshots' coalescers.
type Coalescers = (Rc<Cell<Coalescer>>, Rc<Cell<Coalescer>>);

impl EventRoom {
    /// Publishes to each store whose interval has passed, and answers when the next is due otherwise.
    /// `background`: after the response (`wait_until`); else awaited (the alarm).
    pub(super) async fn publish_step(&self, now_ms: u64, background: bool) -> Option<u64> {
        let version = self.event.borrow().as_ref().map(|s| s.version())?;
        let plan = coalesce::plan(
            &self.publisher.get(),
            &self.snapshots.get(),
            version,
            now_ms,
        );
        let stores = Stores {
            bucket: plan.bucket,
            snapshots: plan.snapshots,
        };
        if !stores.bucket && !stores.snapshots {
            return plan.due_ms;
        }
        let documents = self.documents()?;
        let chosen = |publisher: &Coalescers| {
            [
                (stores.bucket, Rc::clone(&publisher.0)),
                (stores.snapshots, Rc::clone(&publisher.1)),
            ]
            .into_iter()
            .filter_map(|(chosen, coalescer)| chosen.then_some(coalescer))
            .collect::<Vec<_>>()
        };
        let coalescers = (Rc::clone(&self.publisher), Rc::clone(&self.snapshots));
        for coalescer in chosen(&coalescers) {
            let mut sent = coalescer.get();
            sent.sent(version, now_ms);
            coalescer.set(sent);
        }
        let retried = chosen(&coalescers);
        let env = self.env.clone();
        let state = self.handle();
        let write = async move {
            if let Err(cause) = publish::write(&env, &documents, stores).await {
                tracing::error!(cause = %cause, "publish: documents not written; retried in a second");
                for coalescer in retried {
                    let mut retry = coalescer.get();
                    retry.forget();
                    coalescer.set(retry);
                }
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
        // A store held back (the snapshots, mostly) is written when this is due.
        plan.due_ms
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
