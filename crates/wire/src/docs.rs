//! The hot documents: the few reads that make up nearly all traffic (an event's page and the first page
//! of its leaderboard, the medal table, the events list, a day's schedule). The object that owns each
//! one publishes it, at most once a second, as a file whose key is its public path: to R2, which the CDN
//! serves with no Worker in front (a hit costs nothing), and to KV, from which the read gateway answers
//! when the object itself fails. The bytes are exactly those the read API answers for the same path.

use domain::{EventCode, LogicalDay};

/// One hot document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HotDoc {
    /// `/v1/events/{event}`: the event's summary.
    Event(EventCode),
    /// `/v1/events/{event}/leaderboard`: the first page of the default unit.
    Leaderboard(EventCode),
    /// `/v1/medals`: the medal table, gold first, first page.
    Medals,
    /// `/v1/events`: every event.
    Events,
    /// `/v1/schedule/{day}`: one day's units.
    Schedule(LogicalDay),
}

impl HotDoc {
    /// The public path, which is also the key (without its leading `/`).
    pub fn path(&self) -> String {
        match self {
            Self::Event(code) => format!("/v1/events/{code}"),
            Self::Leaderboard(code) => format!("/v1/events/{code}/leaderboard"),
            Self::Medals => "/v1/medals".into(),
            Self::Events => "/v1/events".into(),
            Self::Schedule(day) => format!("/v1/schedule/{day}"),
        }
    }

    /// The key in the bucket and in the KV namespace.
    pub fn key(&self) -> String {
        self.path().trim_start_matches('/').to_string()
    }

    /// The hot document a request reads, if any: its exact path with no query (a page, a filter or
    /// `around` is not published, and goes to the read gateway).
    pub fn of_request(path: &str, query: Option<&str>) -> Option<Self> {
        if query.is_some_and(|q| !q.is_empty()) {
            return None;
        }
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            ["v1", "events"] => Some(Self::Events),
            ["v1", "medals"] => Some(Self::Medals),
            ["v1", "events", code] => code.parse().ok().map(Self::Event),
            ["v1", "events", code, "leaderboard"] => code.parse().ok().map(Self::Leaderboard),
            ["v1", "schedule", day] => day.parse().ok().map(Self::Schedule),
            _ => None,
        }
    }
}

/// A document ready to publish: its body and the `Cache-Control` the CDN serves it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub doc: HotDoc,
    pub body: String,
    pub cache_control: String,
    /// The version of the data behind it (the ETag the read API gives the same answer).
    pub version: u64,
}

/// The header a read gateway adds when it answers from KV because the object failed: the data may be
/// older than what the object holds.
pub const STALE_HEADER: &str = "x-olympic-stale";

/// The key, in the snapshots namespace, that says an event exists: its object writes it when the event
/// is defined, and the read gateway looks for it before it wakes the object, so a read of an event that
/// was never defined wakes nothing (docs/SECURITY.md).
pub fn catalogue_key(code: &str) -> String {
    format!("catalogue/events/{code}")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_hot_document_is_found_again_from_its_path_and_nothing_else_is() {
        let event: EventCode = "ALPMDOWNHILL".parse().unwrap();
        let docs = [
            HotDoc::Event(event.clone()),
            HotDoc::Leaderboard(event),
            HotDoc::Medals,
            HotDoc::Events,
            HotDoc::Schedule("2026-02-07".parse().unwrap()),
        ];
        for doc in docs {
            assert_eq!(HotDoc::of_request(&doc.path(), None), Some(doc.clone()));
            assert_eq!(HotDoc::of_request(&doc.path(), Some("")), Some(doc.clone()));
            assert_eq!(format!("/{}", doc.key()), doc.path());
        }
        for (path, query) in [
            ("/v1/medals", Some("order=total")),
            ("/v1/events/ALPMDOWNHILL/leaderboard", Some("limit=10")),
            ("/v1/events/alpm/leaderboard", None),
            ("/v1/events/ALPMDOWNHILL/live", None),
            ("/v1/schedule/2026-02-30", None),
            ("/v1/nocs/ITA", None),
            ("/", None),
        ] {
            assert_eq!(HotDoc::of_request(path, query), None, "{path}");
        }
    }
}
