//! The event Worker: home of the Durable Object classes: [`event_room::EventRoom`], one object per event,
//! [`standings::Standings`], one for the whole Games, and [`relay::LiveRelay`], the live fan-out tier.
//!
//! - [`event_room`]: the object; `fetch` only dispatches, one method per action.
//! - [`store`]: its SQLite schema and the statements that read and write it.
//! - [`outbox`]: at-least-once delivery of every applied change to the archive and analytics Queues.
//! - [`standings`]: the [`standings::Standings`] object: the events list and the medal table.
//! - [`digest`]: what an event object tells the standings object.
//! - [`live`]: viewers' hibernatable WebSockets and the coalescing of updates.
//! - [`relay`]: the [`relay::LiveRelay`] objects that take a busy event's viewers past one object's limit.
//! - [`query`]: strict query parameters and caching headers of the objects' reads.
//! - [`problems`]: domain errors as HTTP problems.
//!
//! This Worker has no public route: its own `fetch` answers 404 to everyone.

mod bindings;
mod digest;
mod event_room;
mod live;
mod outbox;
mod problems;
mod query;
mod relay;
mod standings;
mod store;

use worker::{Context, Env, Request, Response, Result, event};

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
