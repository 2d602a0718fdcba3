//! After a change: the viewers' update, coalesced (`object_logic::coalesce` decides), sent to the
//! direct viewers and published to the first-level relays of the event's relay tree (which learn how
//! full each is from their answers); and the outbox's delivery, in the background.

use object_logic::coalesce::{self, Step};
use object_logic::outbox::SAFETY_NET_MS;
use tracing::Instrument;
use wasm_bindgen::JsCast;
use worker::State;

use super::EventRoom;
use crate::{live, outbox, relay};

impl EventRoom {
    /// Whether anyone listens: a direct viewer, or a relay (which has viewers, or it would have left).
    fn watched(&self) -> bool {
        live::viewer_count(&self.state) > 0 || !self.relays.borrow().is_empty()
    }

    /// Pushes the change to viewers, publishes the hot documents (or holds either for the alarm), and
    /// delivers its outbox rows.
    pub(super) async fn after_change(&self) {
        let Some(version) = self.event.borrow().as_ref().map(|s| s.version()) else {
            return;
        };
        let now = worker::Date::now().as_millis();
        let live_due = match self.coalescer.get().step(version, now, self.watched()) {
            Step::Send => {
                self.broadcast_now().await;
                None
            }
            Step::Hold { due_ms } => Some(due_ms),
            Step::Nothing => None,
        };
        let publish_due = self.publish_step(now, true).await;
        // Too soon after the last message or publication: the alarm does it when it is due.
        if let Some(due_ms) = live_due.into_iter().chain(publish_due).min() {
            self.alarm_at(due_ms, now).await;
        }
        self.drain_outbox_in_background().await;
    }

    /// Makes sure the alarm rings by `due_ms` (an earlier pending one serves every job).
    pub(super) async fn alarm_at(&self, due_ms: u64, now_ms: u64) {
        let storage = self.state.storage();
        let pending = match storage.get_alarm().await {
            Ok(at) => at.and_then(|at| u64::try_from(at).ok()),
            Err(_) => None,
        };
        // set_alarm takes an offset from now; get_alarm answers an absolute time.
        let wait = std::time::Duration::from_millis(due_ms.saturating_sub(now_ms));
        if coalesce::alarm_needed(due_ms, pending)
            && let Err(err) = storage.set_alarm(wait).await
        {
            tracing::error!(cause = %err, "could not schedule the alarm");
        }
    }

    /// A second handle on this object's state, for work that outlives the request (State is not Clone).
    pub(super) fn handle(&self) -> State {
        let raw: &wasm_bindgen::JsValue = self.state.as_raw().as_ref();
        State::from(
            raw.clone()
                .unchecked_into::<worker::worker_sys::DurableObjectState>(),
        )
    }

    /// Delivers the outbox after the response is sent, so a feed's acknowledgement does not wait for the
    /// Queues. The rows are already stored; an alarm (set first, if none is pending) is the safety net
    /// that drains them should this instance go away before the background work finishes.
    async fn drain_outbox_in_background(&self) {
        let storage = self.state.storage();
        if let Ok(None) = storage.get_alarm().await
            && let Err(err) = storage
                .set_alarm(std::time::Duration::from_millis(SAFETY_NET_MS))
                .await
        {
            tracing::error!(cause = %err, "outbox: could not set the safety-net alarm");
        }
        let state = self.handle();
        let env = self.env.clone();
        // After the response, still under this request's id.
        let span = tracing::Span::current();
        self.state.wait_until(
            async move { outbox::drain_or_schedule(&state, &env).await }.instrument(span),
        );
    }

    /// Sends the current state to every viewer, direct and through relays, unless they already have it.
    pub(super) async fn broadcast_now(&self) {
        let (update, full, code) = {
            let slot = self.event.borrow();
            let Some(state) = slot.as_ref() else { return };
            let mut coalescer = self.coalescer.get();
            if coalescer.holds(state.version()) {
                return;
            }
            coalescer.sent(state.version(), worker::Date::now().as_millis());
            self.coalescer.set(coalescer);
            if !self.watched() {
                // Nobody holds what was sent last: the next viewer is greeted with the state as it is.
                *self.sent.borrow_mut() = None;
                return;
            }
            let frame = live::Frame::of(state);
            let update = frame.update_after(self.sent.borrow().as_ref());
            let full = frame.message(live::Kind::Update);
            *self.sent.borrow_mut() = Some(frame);
            (update, full, state.definition().code.clone())
        };
        let shards = self.relays.borrow().shards();
        if shards.is_empty() {
            live::broadcast(&self.state, &update);
            return;
        }
        let source = wire::api::Source::Event(code);
        let publication = wire::api::relay::publication(&full, &update);
        // The publications are started first (all at once), then the direct viewers are sent to: the
        // relays' requests are on their way while this object sends to its own sockets.
        let (delivery, _) = futures_util::join!(
            relay::publish(&self.env, &source, &shards, &publication),
            async { live::broadcast(&self.state, &update) }
        );
        {
            let mut relays = self.relays.borrow_mut();
            for (shard, answer) in &delivery.answers {
                relays.reported(*shard, answer);
            }
        }
        if !delivery.failed {
            return;
        }
        // A relay missed it: the latest state goes out again shortly, so its viewers cannot stay behind
        // after the last change of a race (direct viewers may get that version twice; versions never go
        // back).
        let mut coalescer = self.coalescer.get();
        coalescer.forget();
        self.coalescer.set(coalescer);
        relay::retry_soon(&self.state).await;
    }
}
