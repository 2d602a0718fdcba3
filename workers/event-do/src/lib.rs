//! The event Worker: home of the Durable Object classes: [`event_room::EventRoom`], one object per event,
//! [`standings::Standings`], one for the whole Games, and [`relay::LiveRelay`], the live fan-out tier.
//!
//! Each object is a thin adapter: it parses its route (`wire::api`), asks `domain` or a state machine of
//! `object_logic` what to do, and does the I/O.
//!
//! - [`event_room`]: the event object: writes, reads and broadcasts, one method per route.
//! - [`store`]: its SQLite schema and the statements that read and write it.
//! - [`archive`]: an event's archived changes read back, for a rebuild.
//! - [`outbox`]: at-least-once delivery of every applied change to the Queues and the standings.
//! - [`standings`]: the [`standings::Standings`] object: the events list and the medal table.
//! - [`live`]: viewers' hibernatable WebSockets and the frames they hold.
//! - [`relay`]: the [`relay::LiveRelay`] objects that take a busy event's viewers past one object's limit.
//! - [`publish`]: writing hot documents to the public bucket and to KV.
//! - [`caching`]: the caching headers of the objects' reads.
//! - [`problems`]: domain errors as HTTP problems.
//!
//! This Worker has no public route: its own `fetch` answers 404 to everyone.

mod archive;
mod bindings;
mod caching;
mod catalogue;
mod event_room;
mod live;
mod outbox;
mod problems;
mod publish;
mod relay;
mod standings;
mod store;

use worker::{Context, Env, Request, Response, Result, event};

/// This Worker's name in its log lines.
pub(crate) const WORKER: &str = "event-do";

#[event(fetch)]
pub async fn fetch(req: Request, _env: Env, _ctx: Context) -> Result<Response> {
    let path = req.path();
    edge::respond::finish(
        Err(edge::Problem::not_found(
            "the event Worker has no public routes",
        )),
        &path,
    )
}
