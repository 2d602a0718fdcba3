//! Hands an authenticated message to its event's Durable Object, which validates and applies it.
//! The object's answer (a receipt, or a problem naming the bad field) goes back to the feed unchanged.

use domain::EventCode;
use edge::Problem;
use worker::{Env, Headers, Method, Request, RequestInit, Response};

use crate::bindings;

/// What a feed asked of the event object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    PutDefinition,
    GetDefinition,
    PostResults,
    PostGame,
    GetAudit,
}

impl Target {
    pub fn for_path(method: &Method, tail: &[&str]) -> Option<Target> {
        match (method, tail) {
            (Method::Put, []) => Some(Target::PutDefinition),
            (Method::Get, []) => Some(Target::GetDefinition),
            (Method::Post, ["results"]) => Some(Target::PostResults),
            (Method::Post, ["games"]) => Some(Target::PostGame),
            (Method::Get, ["audit"]) => Some(Target::GetAudit),
            _ => None,
        }
    }

    pub fn has_body(self) -> bool {
        matches!(
            self,
            Target::PutDefinition | Target::PostResults | Target::PostGame
        )
    }

    /// The event object's own path and method for this target.
    fn route(self) -> (Method, &'static str) {
        match self {
            Target::PutDefinition => (Method::Put, "/definition"),
            Target::GetDefinition => (Method::Get, "/definition"),
            Target::PostResults => (Method::Post, "/results"),
            Target::PostGame => (Method::Post, "/games"),
            Target::GetAudit => (Method::Get, "/audit"),
        }
    }
}

pub async fn send(
    env: &Env,
    event: &EventCode,
    target: Target,
    body: Option<Vec<u8>>,
    query: &str,
    feed: &str,
) -> Result<Response, Problem> {
    let (method, path) = target.route();
    let headers = Headers::new();
    let received_at = worker::Date::now().as_millis().to_string();
    headers
        .set(wire::internal::FEED_HEADER, feed)
        .and_then(|_| headers.set(wire::internal::RECEIVED_AT_HEADER, &received_at))
        .and_then(|_| headers.set("content-type", "application/json"))
        .map_err(|_| Problem::internal())?;
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers);
    if let Some(bytes) = body {
        init.with_body(Some(js_sys_bytes(&bytes)));
    }
    // The object validates the query strictly (an unknown parameter is a 400), so it is passed as is.
    let url = format!(
        "{}/events/{}{}{}",
        wire::internal::EVENT_ROOM_ORIGIN,
        event.as_str(),
        path,
        query
    );
    let request = Request::new_with_init(&url, &init).map_err(internal("build request"))?;
    let stub = env
        .durable_object(bindings::EVENT_ROOM)
        .and_then(|namespace| namespace.get_by_name(event.as_str()))
        .map_err(internal("event object stub"))?;
    stub.fetch_with_request(request).await.map_err(|err| {
        worker::console_error!("event object {} failed: {err}", event.as_str());
        Problem::unavailable(
            "the event could not be reached; the message was not applied, retry it",
        )
    })
}

fn js_sys_bytes(bytes: &[u8]) -> wasm_bindgen::JsValue {
    worker::js_sys::Uint8Array::from(bytes).into()
}

fn internal(what: &'static str) -> impl Fn(worker::Error) -> Problem {
    move |err| {
        worker::console_error!("{what}: {err}");
        Problem::internal()
    }
}
