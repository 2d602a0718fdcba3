//! Sends a [`Call`] of the private API (`wire::api`) to its Durable Object, and reads the answer as the
//! call's type, or as the [`Problem`] the object answered.
//!
//! Which binding reaches which object class is the calling Worker's knowledge, so each Worker builds an
//! [`Objects`] with its own map; a class it holds no binding for is an internal error, never a guess.

use serde::de::DeserializeOwned;
use wire::api::{Call, Class, Relayed};
use worker::{Env, Headers, Request, RequestInit, Response};

use crate::Problem;

/// Why a call did not produce its answer.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The object could not be reached (or its Worker failed): nothing is known to have happened.
    #[error("{target} could not be reached: {source}")]
    Unreachable {
        target: String,
        source: worker::Error,
    },
    /// The object answered with a problem: the caller's to hand on.
    #[error("{target} answered {}", .problem.status)]
    Refused { target: String, problem: Problem },
    /// The object's answer is not what the route promises: a bug on one side of the hop.
    #[error("{target} answered something unreadable ({status}): {reason}")]
    Undecodable {
        target: String,
        status: u16,
        reason: String,
    },
    /// This Worker holds no binding for the class, or could not build the request.
    #[error("calling {target}: {reason}")]
    Local { target: String, reason: String },
}

impl CallError {
    /// The problem for the client: the object's own, or a 503 (unreachable) or a 500 (ours), each
    /// keeping its cause for the log.
    pub fn into_problem(self, unavailable: &str) -> Problem {
        match self {
            Self::Refused { problem, .. } => problem,
            Self::Unreachable { .. } => Problem::unavailable(unavailable.to_string()).because(self),
            other => Problem::internal().because(other),
        }
    }
}

/// The objects a Worker can reach, through its bindings.
pub struct Objects<'a> {
    env: &'a Env,
    binding: fn(Class) -> Option<&'static str>,
}

impl<'a> Objects<'a> {
    /// `binding` names this Worker's binding for each class it may call.
    pub fn new(env: &'a Env, binding: fn(Class) -> Option<&'static str>) -> Self {
        Self { env, binding }
    }

    /// Sends the call and decodes its answer (2xx) or problem (anything else).
    pub async fn call<A: DeserializeOwned>(&self, call: Call<A>) -> Result<A, CallError> {
        let target = call.target.name.clone();
        let mut response = self.send(&call).await?;
        let status = response.status_code();
        let text = response.text().await.map_err(|e| CallError::Undecodable {
            target: target.clone(),
            status,
            reason: e.to_string(),
        })?;
        if (200..300).contains(&status) {
            return serde_json::from_str(&text).map_err(|e| CallError::Undecodable {
                target,
                status,
                reason: e.to_string(),
            });
        }
        match serde_json::from_str::<Problem>(&text) {
            Ok(problem) => Err(CallError::Refused { target, problem }),
            Err(e) => Err(CallError::Undecodable {
                target,
                status,
                reason: format!("not a problem: {e}"),
            }),
        }
    }

    /// Sends the call and hands back the object's response as it is (a cacheable read, an upgrade).
    pub async fn relay(&self, call: Call<Relayed>) -> Result<Response, CallError> {
        self.send(&call).await
    }

    async fn send<A>(&self, call: &Call<A>) -> Result<Response, CallError> {
        let local = |reason: String| CallError::Local {
            target: call.target.name.clone(),
            reason,
        };
        let binding = (self.binding)(call.target.class)
            .ok_or_else(|| local(format!("no binding for {:?}", call.target.class)))?;
        let request = build(call).map_err(|e| local(e.to_string()))?;
        let unreachable = |source| CallError::Unreachable {
            target: call.target.name.clone(),
            source,
        };
        if call.target.class.is_service() {
            let service = self
                .env
                .service(binding)
                .map_err(|e| local(e.to_string()))?;
            return service.fetch_request(request).await.map_err(unreachable);
        }
        let stub = self
            .env
            .durable_object(binding)
            .and_then(|namespace| namespace.get_by_name(&call.target.name))
            .map_err(|e| local(e.to_string()))?;
        stub.fetch_with_request(request).await.map_err(unreachable)
    }
}

fn build<A>(call: &Call<A>) -> worker::Result<Request> {
    let headers = Headers::new();
    if let Some(id) = crate::log::current_request_id() {
        headers.set(crate::log::REQUEST_ID_HEADER, &id)?;
    }
    if let Some(origin) = &call.origin {
        headers.set(wire::api::FEED_HEADER, &origin.feed)?;
        headers.set(
            wire::api::RECEIVED_AT_HEADER,
            &origin.received_at_ms.to_string(),
        )?;
        if let Some(sent_at) = origin.sent_at_ms {
            headers.set(wire::api::SENT_AT_HEADER, &sent_at.to_string())?;
        }
    }
    if let Some(upgrade) = &call.upgrade {
        headers.set("upgrade", "websocket")?;
        if let Some(limit) = upgrade.direct_limit {
            headers.set(wire::api::DIRECT_LIMIT_HEADER, &limit.to_string())?;
        }
        if let Some(client) = &upgrade.client {
            headers.set(wire::api::CLIENT_HEADER, client)?;
        }
        if let Some(fanout) = upgrade.fanout {
            headers.set(wire::api::RELAY_FANOUT_HEADER, &fanout.to_string())?;
        }
    }
    let mut init = RequestInit::new();
    init.with_method(worker::Method::from(call.method.as_str().to_string()));
    if let Some(body) = &call.body {
        headers.set("content-type", "application/json")?;
        init.with_body(Some(js_sys::Uint8Array::from(body.as_slice()).into()));
    }
    init.with_headers(headers);
    Request::new_with_init(&call.url(), &init)
}
