//! Structured logs: every Worker logs through `tracing`, and this subscriber writes each event as one JSON
//! object per line (`level`, `message`, the event's fields, and the fields of the spans it happened in),
//! which Workers Logs indexes field by field.
//!
//! One request id follows a change everywhere it goes: a gateway opens a [`request`] span with
//! Cloudflare's ray id (or a generated id where there is none), [`crate::object`] passes it to every object
//! it calls in [`REQUEST_ID_HEADER`], an object opens its own span with it, and the change record carries
//! it through the Queues to the consumers. So one ingest can be followed from the gateway to R2 and D1.
//!
//! Futures are wrapped with `tracing::Instrument`, so the span is entered whenever the future runs and
//! requests interleaving in one isolate never see each other's id.

use std::collections::BTreeMap;
use std::sync::{Mutex, Once};

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// The header carrying the request id on every hop between Workers and objects.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Where finished lines go: the console in a Worker, a buffer in tests.
pub type Sink = fn(Level, &str);

/// The subscriber. One per isolate, installed by [`init`].
pub struct JsonLines {
    worker: &'static str,
    sink: Sink,
    spans: Mutex<Spans>,
}

#[derive(Default)]
struct Spans {
    next: u64,
    open: BTreeMap<u64, SpanData>,
    /// Entered spans, innermost last. Entering and leaving nest properly: a future's span is entered
    /// when it is polled and left before the next one is.
    entered: Vec<u64>,
}

struct SpanData {
    fields: Map<String, Value>,
    refs: usize,
}

impl JsonLines {
    pub fn new(worker: &'static str, sink: Sink) -> Self {
        Self {
            worker,
            sink,
            spans: Mutex::new(Spans::default()),
        }
    }

    fn spans(&self) -> std::sync::MutexGuard<'_, Spans> {
        // One thread per isolate: a poisoned lock only means an earlier panic, whose state is still usable.
        self.spans
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A field of the innermost entered span that has it.
    fn current(&self, name: &str) -> Option<Value> {
        let spans = self.spans();
        spans
            .entered
            .iter()
            .rev()
            .filter_map(|id| spans.open.get(id))
            .find_map(|span| span.fields.get(name).cloned())
    }

    /// The line for an event: its level and message, then its fields, then the spans' (inner first).
    fn line(&self, event: &Event<'_>) -> String {
        let mut fields = Map::new();
        fields.insert(
            "level".into(),
            Value::String(event.metadata().level().as_str().to_ascii_lowercase()),
        );
        let mut visitor = Fields(&mut fields);
        event.record(&mut visitor);
        fields
            .entry("message")
            .or_insert_with(|| Value::String(String::new()));
        fields.insert("worker".into(), Value::String(self.worker.into()));
        let spans = self.spans();
        for id in spans.entered.iter().rev() {
            if let Some(span) = spans.open.get(id) {
                for (key, value) in &span.fields {
                    fields.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
        Value::Object(fields).to_string()
    }
}

impl Subscriber for JsonLines {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Spans are always kept (they carry the request id); events from info up.
        metadata.is_span() || *metadata.level() <= Level::INFO
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut fields = Map::new();
        attributes.record(&mut Fields(&mut fields));
        let mut spans = self.spans();
        spans.next += 1;
        let id = spans.next;
        spans.open.insert(id, SpanData { fields, refs: 1 });
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(data) = self.spans().open.get_mut(&span.into_u64()) {
            values.record(&mut Fields(&mut data.fields));
        }
    }

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        (self.sink)(*event.metadata().level(), &self.line(event));
    }

    fn enter(&self, span: &Id) {
        self.spans().entered.push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let mut spans = self.spans();
        if let Some(at) = spans.entered.iter().rposition(|id| *id == span.into_u64()) {
            spans.entered.remove(at);
        }
    }

    fn clone_span(&self, span: &Id) -> Id {
        if let Some(data) = self.spans().open.get_mut(&span.into_u64()) {
            data.refs += 1;
        }
        span.clone()
    }

    fn try_close(&self, span: Id) -> bool {
        let mut spans = self.spans();
        let id = span.into_u64();
        let closed = match spans.open.get_mut(&id) {
            Some(data) if data.refs > 1 => {
                data.refs -= 1;
                false
            }
            Some(_) => true,
            None => false,
        };
        if closed {
            spans.open.remove(&id);
        }
        closed
    }
}

/// Records fields as JSON values: numbers and booleans as such, the rest as text.
struct Fields<'a>(&'a mut Map<String, Value>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().into(), Value::String(format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0
            .insert(field.name().into(), Value::String(value.into()));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), Value::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), Value::from(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), Value::Bool(value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.0
            .insert(field.name().into(), Value::String(value.to_string()));
    }
}

static INIT: Once = Once::new();

/// Installs the subscriber for this isolate, once; every entry point calls it first.
pub fn init(worker: &'static str) {
    INIT.call_once(|| {
        // Fails only if a subscriber is already installed, which then keeps logging.
        let _ = tracing::subscriber::set_global_default(JsonLines::new(worker, console));
    });
}

fn console(level: Level, line: &str) {
    if level <= Level::WARN {
        worker::console_error!("{line}");
    } else {
        worker::console_log!("{line}");
    }
}

/// The span of one request (or one Queue message, one alarm), carrying its request id.
pub fn request(request_id: &str) -> tracing::Span {
    tracing::info_span!("request", request_id = request_id)
}

/// The request id of the span being run, to pass on to the next hop.
pub fn current_request_id() -> Option<String> {
    tracing::dispatcher::get_default(|dispatch| {
        dispatch
            .downcast_ref::<JsonLines>()
            .and_then(|lines| lines.current("request_id"))
            .and_then(|value| value.as_str().map(str::to_owned))
    })
}

/// The id of a request from the internet: Cloudflare's ray id, or a new one. A client's own
/// `x-request-id` is not trusted here: it could make one client's requests look like another's.
pub fn request_id_from_edge(headers: &worker::Headers) -> String {
    header(headers, "cf-ray").unwrap_or_else(new_request_id)
}

/// The id of a request from another Worker (only Workers holding a binding reach an object): the one
/// it passed on, or a new one.
pub fn request_id_from_caller(headers: &worker::Headers) -> String {
    header(headers, REQUEST_ID_HEADER).unwrap_or_else(new_request_id)
}

fn header(headers: &worker::Headers, name: &str) -> Option<String> {
    headers.get(name).ok().flatten().filter(|v| !v.is_empty())
}

/// A new id where none came with the request (local runs, alarms): 16 hex digits.
pub fn new_request_id() -> String {
    let half = || (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("{:08x}{:08x}", half(), half())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use tracing::Instrument;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    thread_local! {
        static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    fn keep(_level: Level, line: &str) {
        LINES.with(|lines| lines.borrow_mut().push(line.to_string()));
    }

    fn logged(run: impl FnOnce()) -> Vec<Value> {
        LINES.with(|lines| lines.borrow_mut().clear());
        tracing::subscriber::with_default(JsonLines::new("test-worker", keep), run);
        LINES.with(|lines| {
            lines
                .borrow()
                .iter()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect()
        })
    }

    #[test]
    fn an_event_is_one_json_object_with_its_fields_and_its_request() {
        let lines = logged(|| {
            let _span = request("ray-1").entered();
            tracing::error!(event = "ALPMDOWNHILL", status = 503_u64, "object failed");
            tracing::debug!("not shown: below info");
        });
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_eq!(line["level"], "error");
        assert_eq!(line["message"], "object failed");
        assert_eq!(line["event"], "ALPMDOWNHILL");
        assert_eq!(line["status"], 503);
        assert_eq!(line["request_id"], "ray-1");
        assert_eq!(line["worker"], "test-worker");
    }

    #[test]
    fn interleaved_requests_keep_their_own_ids() {
        let lines = logged(|| {
            let first = async { tracing::info!("one") }.instrument(request("a"));
            let second = async { tracing::info!("two") }.instrument(request("b"));
            futures_util::FutureExt::now_or_never(async {
                futures_util::future::join(second, first).await
            });
            tracing::info!("outside");
        });
        let ids: Vec<(String, Value)> = lines
            .iter()
            .map(|l| {
                (
                    l["message"].as_str().unwrap().to_string(),
                    l["request_id"].clone(),
                )
            })
            .collect();
        assert_eq!(
            ids,
            [
                ("two".to_string(), Value::from("b")),
                ("one".to_string(), Value::from("a")),
                ("outside".to_string(), Value::Null),
            ]
        );
    }

    #[test]
    fn the_current_request_id_is_the_innermost() {
        let subscriber = JsonLines::new("t", keep);
        tracing::subscriber::with_default(subscriber, || {
            assert_eq!(current_request_id(), None);
            let _outer = request("outer").entered();
            assert_eq!(current_request_id().as_deref(), Some("outer"));
            {
                let _inner = request("inner").entered();
                assert_eq!(current_request_id().as_deref(), Some("inner"));
            }
            assert_eq!(current_request_id().as_deref(), Some("outer"));
        });
    }

    #[test]
    fn closed_spans_are_forgotten() {
        let subscriber = JsonLines::new("t", keep);
        let dispatch = tracing::Dispatch::new(subscriber);
        tracing::dispatcher::with_default(&dispatch, || {
            for i in 0..100 {
                let span = request(&i.to_string());
                let copy = span.clone();
                drop(span);
                drop(copy);
            }
        });
        let lines = dispatch.downcast_ref::<JsonLines>().unwrap();
        assert!(lines.spans().open.is_empty());
    }
}
