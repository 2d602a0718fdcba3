//! A viewer's upgrade at a relay: taken while the relay holds fewer than its limit, else refused as full
//! (`503` marked `x-olympic-relay-full`) naming one of its children for the read gateway to try next.
//! The first viewer makes the relay join its parent, and fetch the source's snapshot if it holds no
//! message yet.

use edge::{OrInternal, Problem};
use object_logic::relays::{Admission, Node, Tree};
use wire::api::{RELAY_FULL_HEADER, RELAY_SHARD_HEADER, Source};
use worker::{Request, Response, WebSocketPair};

use super::{LiveRelay, no_room, settings};
use crate::live;

impl LiveRelay {
    pub(super) async fn accept_viewer(
        &self,
        req: &Request,
        source: &Source,
        shard: u32,
        since: Option<u64>,
    ) -> Result<Response, Problem> {
        let (limit, tree) = settings(req);
        self.limit.set(limit);
        if tree.level(shard).is_none() {
            // Not a relay of the tree as the gateway has it set: it holds no one.
            return full(None);
        }
        if let Some(refused) = self.refuse_if_full(limit, tree, shard)? {
            return Ok(refused);
        }
        self.join(source, shard, tree).await?;
        if self.latest.borrow().is_none() {
            let snapshot = self.fetch_snapshot(source).await?;
            self.remember(snapshot);
        }
        let greeting = self.greeting(source, shard, since)?;
        // Again after the awaits above, during which other viewers may have been accepted.
        if let Some(refused) = self.refuse_if_full(limit, tree, shard)? {
            return Ok(refused);
        }
        // One client holds only so many sockets here (its key comes from the read gateway).
        let client = live::client_tag(req);
        live::check_client_cap(&self.state, client.as_deref())?;
        let pair = WebSocketPair::new().or_internal("open a socket pair")?;
        self.state.accept_websocket_with_tags(
            &pair.server,
            &live::viewer_tags(live::VIEWER_TAG, client.as_deref()),
        );
        self.accepted.set(self.accepted.get() + 1);
        pair.server
            .send_with_str(greeting)
            .or_internal("greet a relay viewer")?;
        Response::from_websocket(pair.client).or_internal("answer with a socket")
    }

    /// The full answer, naming a child to try, when this relay holds its limit.
    fn refuse_if_full(
        &self,
        limit: usize,
        tree: Tree,
        shard: u32,
    ) -> Result<Option<Response>, Problem> {
        let viewers = live::viewer_count(&self.state);
        let admission =
            self.children
                .borrow_mut()
                .admit(viewers, limit, tree.children(Node::Relay(shard)));
        match admission {
            Admission::Direct => Ok(None),
            Admission::Relay { shard: child } => full(Some(child)).map(Some),
            Admission::Full => full(None).map(Some),
        }
    }

    /// The latest message as a greeting: `current` when the viewer holds its version, else a
    /// `snapshot`; either says which relay serves the viewer (useful when tracing a complaint).
    fn greeting(&self, source: &Source, shard: u32, since: Option<u64>) -> Result<String, Problem> {
        let latest = self.latest.borrow();
        let Some((version, message)) = latest.as_ref() else {
            return Err(Problem::internal().because("the relay holds no message after a snapshot"));
        };
        let mut greeting = if since == Some(*version) {
            // As the source says it: the event's names the event, the medal table's has no table.
            match source {
                Source::Event(code) => serde_json::json!({
                    "type": "current", "event": code.as_str(), "version": version
                }),
                Source::Medals => serde_json::json!({
                    "type": "current", "version": version, "table": null
                }),
            }
        } else {
            let mut snapshot = message.clone();
            if let Some(kind) = snapshot.get_mut("type") {
                *kind = serde_json::Value::String("snapshot".into());
            }
            snapshot
        };
        if let Some(fields) = greeting.as_object_mut() {
            fields.insert("relay".into(), shard.into());
        }
        Ok(greeting.to_string())
    }
}

/// A full relay's answer: 503, marked so the read gateway tries another relay, naming the child to try
/// first when it has one.
fn full(child: Option<u32>) -> Result<Response, Problem> {
    let response = no_room()
        .into_response()
        .or_internal("build the full answer")?;
    let headers: worker::Headers = response.headers().entries().collect();
    headers
        .set(RELAY_FULL_HEADER, "1")
        .or_internal("mark the relay full")?;
    if let Some(child) = child {
        headers
            .set(RELAY_SHARD_HEADER, &child.to_string())
            .or_internal("name the child relay")?;
    }
    Ok(response.with_headers(headers))
}
