//! Partners' premium routes, reachable only with a signed, time-limited URL ([`crate::partner_url`]):
//! `GET /v1/partner/events/{event}/history?partner=…&expires=…&sig=…` answers the event's whole history
//! of changes (its audit trail, newest first, up to 1,000 entries), with every split and intermediate
//! time the feeds sent. Never cached: each answer is for one partner's signed URL.

use edge::Problem;
use wire::api::event_room::AuditQuery;
use wire::api::{EventRequest, EventRoute};
use worker::{Env, Response};

use crate::partner_url::{PartnerKeys, SignedParts};
use crate::{bindings, catalogue, objects};

const HISTORY_ENTRIES: u32 = 1000;

pub async fn history(env: &Env, path: &str, code: &str, query: &str) -> Result<Response, Problem> {
    let mut params = wire::api::Query::parse(query)?;
    let partner = params.take("partner");
    let expires = params.take("expires");
    let sig = params.take("sig");
    params.finish()?;
    let setting = env
        .secret(bindings::PARTNER_KEYS)
        .map(|s| s.to_string())
        .or_else(|_| env.var(bindings::PARTNER_KEYS).map(|v| v.to_string()))
        .unwrap_or_else(|_| "{}".to_owned());
    let keys =
        PartnerKeys::from_json(&setting).map_err(|cause| Problem::internal().because(cause))?;
    let now = worker::Date::now().as_millis() / 1000;
    let parts = SignedParts {
        partner: partner.as_deref(),
        expires: expires.as_deref(),
        sig: sig.as_deref(),
    };
    let partner = keys.verify(path, &parts, now).map_err(|refusal| {
        tracing::warn!(
            security_event = "signed_url",
            field = refusal.field(),
            reason = %refusal,
            "signed partner URL refused"
        );
        Problem::new(
            403,
            "signed-url-refused",
            "This signed URL is not valid here",
        )
        .detail(refusal.to_string())
        .field(refusal.field())
    })?;
    let event = wire::api::event_room::parse_event(code).map_err(Problem::from)?;
    catalogue::require_event(env, event.as_str()).await?;
    tracing::info!(
        partner = partner,
        event = event.as_str(),
        "partner history served"
    );
    let audit = AuditQuery {
        limit: Some(HISTORY_ENTRIES),
        before: None,
    };
    let call = EventRequest::new(event, EventRoute::Audit(audit)).relayed();
    let answer = objects::read(env, call, None).await?;
    let headers: worker::Headers = answer.headers().entries().collect();
    let _ = headers.set("cache-control", "private, no-store");
    Ok(answer.with_headers(headers))
}
