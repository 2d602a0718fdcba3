//! `POST /v1/ingest/odf`: an ODF XML message (DT_RESULT, DT_SCHEDULE, DT_PARTIC, DT_MEDALS), mapped by
//! `crates/odf` onto this system's messages, each then written through the same path as the JSON routes.
//!
//! Authenticated and signed exactly as the batch: the Access token first, then the body limit, then the
//! feed signature. The mapped messages are checked against their events' definitions before the first is
//! sent, so a message that is malformed, names unknown codes or disagrees with a definition is a 4xx that
//! changes nothing, its `field` the XML path at fault. Duplicates and out-of-order versions are the event's
//! to answer, as for JSON. A document touching several events (a discipline's schedule or entries) is
//! written event by event, in code order, once all are mapped and checked.

use domain::{EventCode, EventDefinition, MedalAward};
use edge::Problem;
use edge::object::Objects;
use odf::definitions::Skipped;
use odf::{Document, Mapped, OdfError};
use serde::{Deserialize, Serialize};
use wire::api::{DefinitionAnswer, EventRequest, EventRoute};
use wire::{ChangeKind, Receipt};
use worker::{Env, Request, Response};

use crate::{access, bindings, feed_signature, objects};

/// ODF XML is wordier than our JSON, and a discipline's entries come in one message.
pub const ODF_LIMIT_BYTES: usize = 1024 * 1024;
const UNAVAILABLE: &str =
    "the event could not be reached; retry the message (what was applied is a duplicate)";

/// The route: POST only; token, body, signature; then the document.
pub async fn route(mut req: Request, env: &Env) -> Result<Response, Problem> {
    if req.inner().method() != "POST" {
        return Err(Problem::method_not_allowed("POST"));
    }
    let identity = access::authenticate(&req, env).await?;
    let feed = access::feed_label(&identity);
    require_xml(&req)?;
    let bytes = edge::body::read_limited(&mut req, ODF_LIMIT_BYTES).await?;
    feed_signature::check(&req, env, &feed, &bytes)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Problem::bad_request("body", "an ODF message is UTF-8 XML"))?;
    handle(env, &objects::Sender::of(&req, feed), text).await
}

/// What the route answers for a document that was taken.
#[derive(Serialize)]
struct Answer {
    document_type: &'static str,
    /// One per message written, in the order written.
    results: Vec<Written>,
    /// What the document named that this system left out (events or units it does not hold).
    skipped: Vec<Skipped>,
}

#[derive(Serialize)]
struct Written {
    index: usize,
    event: String,
    kind: &'static str,
    status: u16,
    body: Receipt,
}

async fn handle(env: &Env, sender: &objects::Sender, xml: &str) -> Result<Response, Problem> {
    let body = odf::parse(xml).map_err(problem)?;
    let document = Document::of(&body).map_err(problem)?;
    let (document_type, mapped, skipped) = match document {
        Document::Result { event } => {
            let definition = definition(env, &event)
                .await?
                .ok_or_else(|| unknown_event(&event))?;
            let mapped = odf::results::map(&body, &definition).map_err(problem)?;
            mapped.check(&definition).map_err(problem)?;
            ("DT_RESULT", vec![mapped], Vec::new())
        }
        Document::Schedule | Document::Participants => {
            let schedule = document == Document::Schedule;
            let mut all = Vec::new();
            let mut skipped = Vec::new();
            for (event, elements) in odf::definitions::events(&body).map_err(problem)? {
                let Some(definition) = definition(env, &event).await? else {
                    skipped.extend(elements.into_iter().take(1).map(|element| Skipped {
                        element,
                        reason: format!("event {event} is not defined here"),
                    }));
                    continue;
                };
                let (mapped, left_out) = if schedule {
                    odf::definitions::schedule(&body, &definition)
                } else {
                    odf::definitions::participants(&body, &definition)
                }
                .map_err(problem)?;
                mapped.check(&definition).map_err(problem)?;
                all.push(mapped);
                skipped.extend(left_out);
            }
            let kind = if schedule { "DT_SCHEDULE" } else { "DT_PARTIC" };
            (kind, all, skipped)
        }
        Document::Medals { event } => {
            let awards = medals(env, &event).await?;
            let check = odf::medals::check(&body, &event, &awards).map_err(problem)?;
            return edge::respond::json(&check, 200);
        }
    };
    let mut results = Vec::with_capacity(mapped.len());
    for (index, message) in mapped.iter().enumerate() {
        let receipt = write(env, sender, message).await?;
        let status = if receipt.outcome == wire::Outcome::Applied {
            201
        } else {
            200
        };
        results.push(Written {
            index,
            event: message.event.to_string(),
            kind: message.message.kind(),
            status,
            body: receipt,
        });
    }
    edge::respond::json(
        &Answer {
            document_type,
            results,
            skipped,
        },
        200,
    )
}

/// Writes one mapped message through the JSON routes' path; the event's refusal names the XML.
async fn write(env: &Env, sender: &objects::Sender, mapped: &Mapped) -> Result<Receipt, Problem> {
    let kind = match mapped.message.kind() {
        "definition" => ChangeKind::Definition,
        "game" => ChangeKind::Game,
        _ => ChangeKind::Results,
    };
    objects::write(env, &mapped.event, kind, mapped.message.to_json(), sender)
        .await
        .map_err(|mut problem| {
            let field = problem.field.take().filter(|field| field != "body");
            problem.field = Some(mapped.element_of(field.as_deref().unwrap_or("")));
            problem
        })
}

/// The event's definition, or `None` when it was never defined.
async fn definition(env: &Env, event: &EventCode) -> Result<Option<EventDefinition>, Problem> {
    let request = EventRequest::new(event.clone(), EventRoute::Definition);
    Ok(read::<DefinitionAnswer>(env, &request)
        .await?
        .map(|answer| answer.definition))
}

/// The medals the event has awarded (an event never defined has none).
async fn medals(env: &Env, event: &EventCode) -> Result<Vec<MedalAward>, Problem> {
    #[derive(Deserialize)]
    struct Summary {
        medals: Vec<MedalAward>,
    }
    let request = EventRequest::new(event.clone(), EventRoute::Summary);
    Ok(read::<Summary>(env, &request)
        .await?
        .map(|summary| summary.medals)
        .unwrap_or_default())
}

/// A read of the event object as JSON; `None` when the event is not defined.
async fn read<T: serde::de::DeserializeOwned>(
    env: &Env,
    request: &EventRequest,
) -> Result<Option<T>, Problem> {
    let mut response = Objects::relay(&bindings::objects(env), request.relayed())
        .await
        .map_err(|err| err.into_problem(UNAVAILABLE))?;
    let status = response.status_code();
    if status == 404 {
        return Ok(None);
    }
    let text = response.text().await.map_err(|err| {
        worker::console_error!("odf: reading {} failed: {err}", request.path());
        Problem::internal()
    })?;
    if !(200..300).contains(&status) {
        return Err(serde_json::from_str::<Problem>(&text).unwrap_or_else(|_| Problem::internal()));
    }
    serde_json::from_str(&text).map(Some).map_err(|err| {
        worker::console_error!(
            "odf: {} answered something unreadable: {err}",
            request.path()
        );
        Problem::internal()
    })
}

fn unknown_event(event: &EventCode) -> Problem {
    Problem::new(404, "unknown-event", "Unknown event")
        .detail(format!(
            "event {event} has no definition yet; PUT /v1/ingest/events/{event} first"
        ))
        .field("OdfBody/@DocumentCode")
}

/// The one place where the mapping's refusals become problems.
fn problem(error: OdfError) -> Problem {
    let (status, kind, title) = match &error {
        OdfError::Malformed { .. } => (400, "invalid-request", "The request is invalid"),
        OdfError::UnknownCode { .. } => (422, "unknown-code", "Code not in the catalogue"),
        OdfError::Invalid { .. } => (
            422,
            "invalid-message",
            "The message breaks the event's rules",
        ),
        OdfError::Unsupported { .. } => (422, "unsupported-odf", "ODF message not taken here"),
    };
    Problem::new(status, kind, title)
        .detail(error.detail().to_owned())
        .field(error.path().to_owned())
}

/// ODF comes as XML: `application/xml` or `text/xml`.
fn require_xml(req: &Request) -> Result<(), Problem> {
    let content_type = req
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/xml" || essence == "text/xml" {
        Ok(())
    } else {
        Err(
            Problem::new(415, "unsupported-media-type", "Unsupported media type")
                .detail("send ODF with Content-Type: application/xml")
                .field("content-type"),
        )
    }
}
