//! A publication at a relay: kept if newer than anything the relay handed on (even before a restart),
//! sent to its viewers (the source's patch when they hold its base, else the whole message), and handed
//! on unchanged to its children after the answer, so the parent's request does not wait for the levels
//! below. The answer tells the parent how full this relay is. A child that could not be reached is sent
//! the latest message again by this relay's alarm, a second later.

use edge::{Problem, body, respond};
use object_logic::relays::{Forward, Forwarded, Node, Tree, forward};
use tracing::Instrument;
use wire::api::Source;
use wire::api::relay::{Publication, Published, publication};
use worker::Response;

use super::{LiveRelay, publish, retry_soon, store};
use crate::live;

/// The largest publication a relay reads: two live messages of at most 100 rows, with room to spare.
const MAX_PUBLICATION_BYTES: usize = 2 * 1024 * 1024;

impl LiveRelay {
    /// `POST …/publish`.
    pub(super) async fn publish(
        &self,
        req: &mut worker::Request,
        source: &Source,
    ) -> Result<Response, Problem> {
        let bytes = body::read_limited(req, MAX_PUBLICATION_BYTES).await?;
        let publication: Publication = body::parse_json(&bytes)?;
        let held = self.latest.borrow().as_ref().map(|(version, _)| *version);
        let choice = forward(held, publication.patch_base());
        let update = publication.update;
        if self.remember(publication.full) {
            // The children's requests leave when this turn ends, with the viewers' messages.
            self.hand_on(source.clone(), String::from_utf8_lossy(&bytes).into_owned());
            let text = match choice {
                // The source's bytes as they came, so every viewer gets the same text.
                Forward::Update => Some(update.get().to_owned()),
                Forward::Whole => self
                    .latest
                    .borrow()
                    .as_ref()
                    .map(|(_, message)| message.to_string()),
            };
            if let Some(text) = text {
                live::broadcast(&self.state, &text);
            }
        }
        respond::json(&self.occupancy(), 200)
    }

    /// How full this relay is, for its parent: its viewers, and whether it knows of room below it.
    fn occupancy(&self) -> Published {
        let room_below = self.home.get().is_some_and(|home| {
            let shard = self.identity().map_or(u32::MAX, |(_, shard)| shard);
            let children = Tree::of(home.fanout).children(Node::Relay(shard));
            self.children
                .borrow()
                .room_below(self.limit.get(), children)
        });
        Published {
            viewers: live::viewer_count(&self.state),
            room_below,
        }
    }

    /// Sends `text` (a publication) to every child after the answer; learns from their answers how full
    /// each is; if one could not be reached, the alarm sends the latest message again.
    fn hand_on(&self, source: Source, text: String) {
        let shards = self.children.borrow().shards();
        if shards.is_empty() {
            return;
        }
        let env = self.env.clone();
        let children = std::rc::Rc::clone(&self.children);
        let state = self.handle();
        let work = async move {
            let delivery = publish(&env, &source, &shards, &text).await;
            {
                let mut children = children.borrow_mut();
                for (shard, answer) in &delivery.answers {
                    children.reported(*shard, answer);
                }
            }
            if delivery.failed {
                retry_soon(&state).await;
            }
        };
        self.state
            .wait_until(work.instrument(tracing::Span::current()));
    }

    /// The alarm: the latest message to every child again (the source's snapshot if this instance has
    /// none: it restarted since the failure).
    pub(super) async fn republish(&self) {
        let Some((source, _)) = self.identity() else {
            return;
        };
        if self.children.borrow().is_empty() {
            return;
        }
        if self.latest.borrow().is_none() {
            match self.fetch_snapshot(&source).await {
                Ok(mut snapshot) => {
                    if let Some(kind) = snapshot.get_mut("type") {
                        *kind = serde_json::Value::String("update".into());
                    }
                    self.remember(snapshot);
                }
                Err(problem) => {
                    tracing::warn!(
                        cause = problem.cause.as_deref().unwrap_or(""),
                        "relay: no message to send its children again; retried in a second"
                    );
                    retry_soon(&self.state).await;
                    return;
                }
            }
        }
        let Some(text) = self
            .latest
            .borrow()
            .as_ref()
            .map(|(_, message)| message.to_string())
        else {
            return;
        };
        let shards = self.children.borrow().shards();
        let delivery = publish(&self.env, &source, &shards, &publication(&text, &text)).await;
        {
            let mut children = self.children.borrow_mut();
            for (shard, answer) in &delivery.answers {
                children.reported(*shard, answer);
            }
        }
        if delivery.failed {
            retry_soon(&self.state).await;
        }
    }

    /// Keeps `message` if it is newer than anything this relay has handed on (before hibernating too);
    /// says whether it was.
    pub(super) fn remember(&self, message: serde_json::Value) -> bool {
        let version = message
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        let forwarded = Forwarded {
            in_memory: self.latest.borrow().as_ref().map(|(held, _)| *held),
            stored: self.stored_version(),
        };
        if !forwarded.accepts(version) {
            return false;
        }
        match store::set_forwarded(&self.state.storage().sql(), version) {
            Ok(()) => self.stored.set(Some(version)),
            // Memory still orders this instance's viewers; only a restart could then repeat a version.
            Err(err) => {
                tracing::warn!(version, cause = %err, "relay: could not store the version it forwarded")
            }
        }
        *self.latest.borrow_mut() = Some((version, message));
        true
    }

    fn stored_version(&self) -> Option<u64> {
        if let Some(version) = self.stored.get() {
            return Some(version);
        }
        let stored = store::forwarded(&self.state.storage().sql()).ok().flatten();
        self.stored.set(Some(stored.unwrap_or(0)));
        stored
    }
}
