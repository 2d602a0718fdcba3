//! Event pages, leaderboards and live sockets. The event object is the consistent source: live state is
//! read from it (through the edge cache), never from an eventually consistent store.

use domain::EventCode;
use edge::Problem;
use worker::{Env, Headers, Request, RequestInit, Response, Stub};

use crate::bindings;

pub async fn summary(env: &Env, event: &EventCode) -> Result<Response, Problem> {
    ask_event(env, event, "state", "").await
}

pub async fn leaderboard(env: &Env, event: &EventCode, req: &Request) -> Result<Response, Problem> {
    ask_event(env, event, "leaderboard", &query_of(req)?).await
}

/// Hands a viewer's WebSocket upgrade to the event object, which accepts it with the Hibernation API, or,
/// when the event object is full, sends it to one of its relay objects (the fan-out tier).
pub async fn live(env: &Env, event: &EventCode, req: &Request) -> Result<Response, Problem> {
    let upgrade = req
        .headers()
        .get("upgrade")
        .ok()
        .flatten()
        .unwrap_or_default();
    if !upgrade.eq_ignore_ascii_case("websocket") {
        return Err(Problem::new(426, "upgrade-required", "Upgrade required")
            .detail("this route is a WebSocket: connect with Upgrade: websocket"));
    }
    let query = query_of(req)?;
    let direct_limit = env
        .var(bindings::LIVE_DIRECT_VIEWERS)
        .map(|v| v.to_string())
        .ok();
    let answer = stub(env, event)?
        .fetch_with_request(upgrade_request(
            &object_url(event, "live", &query),
            direct_limit.as_deref(),
        )?)
        .await
        .map_err(unreachable(event))?;
    let Some(shard) = answer
        .headers()
        .get(wire::internal::RELAY_SHARD_HEADER)
        .ok()
        .flatten()
        .filter(|_| answer.status_code() == 307)
    else {
        return Ok(answer);
    };
    let url = format!(
        "{}/relays/{}/{shard}/live{query}",
        wire::internal::EVENT_ROOM_ORIGIN,
        event.as_str()
    );
    let relay = env
        .durable_object(bindings::LIVE_RELAY)
        .and_then(|namespace| {
            let shard: u32 = shard
                .parse()
                .map_err(|_| worker::Error::RustError("bad relay shard".into()))?;
            namespace.get_by_name(&wire::internal::relay_name(event.as_str(), shard))
        })
        .map_err(|err| {
            worker::console_error!("relay stub: {err}");
            Problem::internal()
        })?;
    relay
        .fetch_with_request(upgrade_request(&url, None)?)
        .await
        .map_err(unreachable(event))
}

fn upgrade_request(url: &str, direct_limit: Option<&str>) -> Result<Request, Problem> {
    let headers = Headers::new();
    headers
        .set("upgrade", "websocket")
        .map_err(|_| Problem::internal())?;
    if let Some(limit) = direct_limit {
        headers
            .set(wire::internal::DIRECT_LIMIT_HEADER, limit)
            .map_err(|_| Problem::internal())?;
    }
    let mut init = RequestInit::new();
    init.with_headers(headers);
    Request::new_with_init(url, &init).map_err(|_| Problem::internal())
}

fn query_of(req: &Request) -> Result<String, Problem> {
    let url = req.url().map_err(|_| Problem::internal())?;
    Ok(url.query().map(|q| format!("?{q}")).unwrap_or_default())
}

fn object_url(event: &EventCode, action: &str, query: &str) -> String {
    format!(
        "{}/events/{}/{action}{query}",
        wire::internal::EVENT_ROOM_ORIGIN,
        event.as_str()
    )
}

fn stub(env: &Env, event: &EventCode) -> Result<Stub, Problem> {
    env.durable_object(bindings::EVENT_ROOM)
        .and_then(|namespace| namespace.get_by_name(event.as_str()))
        .map_err(|err| {
            worker::console_error!("event object stub: {err}");
            Problem::internal()
        })
}

fn unreachable(event: &EventCode) -> impl Fn(worker::Error) -> Problem + '_ {
    move |err| {
        worker::console_error!("event object {} failed: {err}", event.as_str());
        Problem::unavailable("the event could not be reached; retry shortly")
    }
}

async fn ask_event(
    env: &Env,
    event: &EventCode,
    action: &str,
    query: &str,
) -> Result<Response, Problem> {
    stub(env, event)?
        .fetch_with_str(&object_url(event, action, query))
        .await
        .map_err(unreachable(event))
}
