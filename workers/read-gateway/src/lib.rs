//! The read gateway: everything the public sees. It only reads: its one binding is the event objects.
//!
//! - [`routes`]: the route table.
//! - [`events`]: event pages and leaderboards, read from the event's Durable Object.
//! - [`site`]: the website.

mod bindings;
mod cache;
mod cors;
mod events;
mod openapi;
mod rate_limit;
mod routes;
mod schedule;
mod site;
mod standings;

use worker::{Context, Env, Request, Response, Result, event};

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let path = req.path();
    // CORS headers go on errors too, so a browser page can read a 429's or a 400's problem body.
    let origin = cors::allowed_origin(&req, &env);
    let response = edge::respond::finish(routes::handle(req, &env).await, &path)?;
    Ok(cors::decorate(origin.as_deref(), response))
}
