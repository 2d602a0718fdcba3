//! A relay's place in the tree: it joins its parent (the source for the first level, else the relay
//! above it) on its first viewer or child, and leaves on its last, so a source publishes only to relays
//! that serve someone. A relay whose viewers all left keeps forwarding while it has children.
//!
//! The race: a viewer (or child) may arrive while the relay is leaving. It sees the relay still joined
//! and does not join again, so after the parent has forgotten the relay, the relay checks whether anyone
//! came in meanwhile and, if so, joins again.

use edge::object::CallError;
use edge::{Problem, respond};
use object_logic::relays::{Node, Tree, should_leave};
use wire::api::{RelayMembers, RelayRequest, Source};
use worker::Response;

use super::LiveRelay;
use super::store::{self, Home};
use crate::{bindings, live};

impl LiveRelay {
    /// Joins the parent that `tree` gives this relay, unless it already joined one.
    pub(super) async fn join(
        &self,
        source: &Source,
        shard: u32,
        tree: Tree,
    ) -> Result<(), Problem> {
        if self.home.get().is_some() {
            return Ok(());
        }
        let parent = tree.parent(shard).ok_or_else(|| {
            Problem::internal().because(format!("relay {shard} is not in the tree {tree:?}"))
        })?;
        let home = Home {
            parent,
            fanout: tree.fanout(),
        };
        self.tell_parent(source, shard, home, true).await?;
        if let Err(err) = store::set_home(&self.state.storage().sql(), Some(home)) {
            // Memory still knows; only a restart before the last viewer leaves would forget the parent.
            tracing::warn!(cause = %err, "relay: could not store where it joined");
        }
        self.home.set(Some(home));
        Ok(())
    }

    /// `PUT …/children`: a child relay joins; this relay joins its own parent if it had not.
    pub(super) async fn child_joins(
        &self,
        source: &Source,
        shard: u32,
        child: u32,
        fanout: u32,
    ) -> Result<Response, Problem> {
        self.set_child(child, true)?;
        self.accepted.set(self.accepted.get() + 1);
        if let Err(problem) = self.join(source, shard, Tree::of(fanout)).await {
            // Unjoined, it would hear nothing: the child must not believe it joined.
            self.set_child(child, false)?;
            return Err(problem);
        }
        self.members()
    }

    /// `DELETE …/children`: a child relay leaves; this relay leaves too if nobody is left.
    pub(super) async fn child_leaves(&self, child: u32) -> Result<Response, Problem> {
        self.set_child(child, false)?;
        self.leave_if_empty(live::viewer_count(&self.state)).await;
        self.members()
    }

    /// A viewer's socket closed; the closing socket is still counted while its handler runs.
    pub(super) async fn viewer_gone(&self) {
        let left = live::viewer_count(&self.state).saturating_sub(1);
        self.leave_if_empty(left).await;
    }

    async fn leave_if_empty(&self, viewers_left: usize) {
        let children = self.children.borrow().len();
        let Some(home) = self.home.get() else { return };
        if !should_leave(true, viewers_left, children) {
            return;
        }
        let Some((source, shard)) = self.identity() else {
            return;
        };
        let accepted_before = self.accepted.get();
        if self.tell_parent(&source, shard, home, false).await.is_err() {
            // Still joined as far as the parent knows: the next departure tries again.
            return;
        }
        if self.accepted.get() != accepted_before {
            // A viewer or child came in while the parent was forgetting this relay (it saw the relay
            // joined and did not join): join again, or it would hear nothing.
            if self.tell_parent(&source, shard, home, true).await.is_ok() {
                return;
            }
        }
        if let Err(err) = store::set_home(&self.state.storage().sql(), None) {
            tracing::warn!(cause = %err, "relay: could not store that it left");
        }
        self.home.set(None);
        *self.latest.borrow_mut() = None;
    }

    /// Joins (`join`) or leaves the parent named in `home`.
    async fn tell_parent(
        &self,
        source: &Source,
        shard: u32,
        home: Home,
        join: bool,
    ) -> Result<(), Problem> {
        let call = match home.parent {
            Node::Source => source.membership(shard, join),
            Node::Relay(parent) => {
                RelayRequest::children(source.clone(), parent, shard, join.then_some(home.fanout))
            }
        };
        match bindings::objects(&self.env).call(call).await {
            Ok(_) => Ok(()),
            Err(CallError::Refused { problem, .. }) if problem.status == 404 => Err(
                Problem::not_found(format!("{} is not defined", source.as_str())).field("event"),
            ),
            Err(err) => Err(Problem::unavailable(
                "the live data could not be reached; retry shortly",
            )
            .because(format!(
                "relay {shard} telling {:?} of {}: {err}",
                home.parent,
                source.as_str()
            ))),
        }
    }

    fn set_child(&self, child: u32, joined: bool) -> Result<(), Problem> {
        store::set_child(&self.state.storage().sql(), child, joined)
            .map_err(|err| Problem::internal().because(format!("relay children: {err}")))?;
        self.children.borrow_mut().set(child, joined);
        Ok(())
    }

    fn members(&self) -> Result<Response, Problem> {
        respond::json(
            &RelayMembers {
                relays: self.children.borrow().shards(),
            },
            200,
        )
    }

    pub(super) async fn fetch_snapshot(
        &self,
        source: &Source,
    ) -> Result<serde_json::Value, Problem> {
        bindings::objects(&self.env)
            .call(source.snapshot())
            .await
            .map_err(|err| match err {
                CallError::Refused { .. } => {
                    Problem::not_found(format!("{} is not live", source.as_str())).field("event")
                }
                other => other.into_problem("the live data could not be reached; retry shortly"),
            })
    }
}
