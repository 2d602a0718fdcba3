//! The standings object: one for the whole Games (`wire::api::GAMES`). It keeps the events list and the
//! medal table (`object_logic::games::Games`), fed by the event objects' digests, and pushes medal
//! changes to live viewers. Its routes are `wire::api::StandingsRoute`.
//!
//! Past its direct-viewer limit, new medal-table viewers go down a relay tree of objects
//! `medals#{shard}`, exactly as a busy event's viewers do (`relay`).

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

use domain::MedalBook;
use domain::medal_table::athletes_page;
use edge::{OrInternal, Problem, body, respond};
use object_logic::coalesce::{self, Coalescer, Step};
use object_logic::games::Games;
use object_logic::relays::{Admission, Node, RelaySet};
use serde::Serialize;
use tracing::Instrument;
use wasm_bindgen::JsCast;
use wire::api::standings::{EventsQuery, MedalsQuery};
use wire::api::{
    DigestOutcome, EventRequest, Method, RebuildAllAnswer, RebuildFailure, RelayMembers, Source,
    StandingsRoute,
};
use wire::digest::{Entry, EventDigest, EventListing};
use wire::docs::{Document, HotDoc};
use worker::{
    DurableObject, Env, Request, Response, SqlStorageValue, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair, durable_object,
};

use crate::caching::{cache_control, cacheable};
use crate::{archive, bindings, live, problems, publish, relay, store};

const MEDAL_VIEWER_TAG: &str = "medals";

const SCHEMA: [&str; 4] = [
    "CREATE TABLE IF NOT EXISTS listings (code TEXT PRIMARY KEY, event_version INTEGER NOT NULL, body TEXT NOT NULL)",
    // Each event's entries and placements (JSON of `Vec<wire::digest::Entry>`), written with its listing.
    "CREATE TABLE IF NOT EXISTS entries (code TEXT PRIMARY KEY, body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS book (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, body BLOB NOT NULL)",
    // The same table the event objects keep (store::relays reads both).
    "CREATE TABLE IF NOT EXISTS relays (shard INTEGER PRIMARY KEY)",
];

#[durable_object]
pub struct Standings {
    state: State,
    env: Env,
    games: RefCell<Games>,
    broken: Option<String>,
    /// Relay shards holding a share of the medal-table viewers; each hears every broadcast.
    relays: RefCell<RelaySet>,
    /// The hot documents changed since they were last published, and when that was (counted in
    /// changes); both shared with the background write, which puts them back when it fails.
    dirty: Rc<RefCell<BTreeSet<HotDoc>>>,
    changes: Cell<u64>,
    publisher: Rc<Cell<Coalescer>>,
}

impl DurableObject for Standings {
    fn new(state: State, env: Env) -> Self {
        live::answer_pings_without_waking(&state);
        let (games, broken) = match load(&state) {
            Ok(games) => (games, None),
            Err(err) => {
                tracing::error!(cause = %err, "standings failed to load");
                (Games::default(), Some(err))
            }
        };
        let relays = store::relays(&state.storage().sql()).unwrap_or_default();
        Self {
            state,
            env,
            games: RefCell::new(games),
            broken,
            relays: RefCell::new(RelaySet::new(relays)),
            dirty: Rc::new(RefCell::new(BTreeSet::new())),
            changes: Cell::new(0),
            publisher: Rc::new(Cell::new(Coalescer::every(coalesce::PUBLISH_INTERVAL_MS))),
        }
    }

    /// Sends the latest medal table again to the relays (after a publish to one failed), and publishes
    /// the hot documents that were held back.
    async fn alarm(&self) -> worker::Result<Response> {
        edge::log::init(crate::WORKER);
        let work = async {
            if !self.relays.borrow().is_empty() {
                self.publish_to_relays(&self.live_message("update")).await;
            }
            let now = worker::Date::now().as_millis();
            if let Some(due_ms) = self.publish_step(now, false).await {
                self.alarm_at(due_ms, now).await;
            }
        };
        work.instrument(edge::log::request(&edge::log::new_request_id()))
            .await;
        Response::empty()
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        edge::log::init(crate::WORKER);
        let span = edge::log::request(&edge::log::request_id_from_caller(req.headers()));
        async {
            let path = req.path();
            let result = self.dispatch(&mut req, &path).await;
            respond::finish(result, &path)
        }
        .instrument(span)
        .await
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        live::on_message(&ws, message)
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        _reason: String,
        _clean: bool,
    ) -> worker::Result<()> {
        live::finish_close(&ws, code);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, error: worker::Error) -> worker::Result<()> {
        live::on_error(&ws, &error, "medal viewer");
        Ok(())
    }
}

fn load(state: &State) -> Result<Games, String> {
    let sql = state.storage().sql();
    for statement in SCHEMA {
        sql.exec(statement, None).map_err(|e| e.to_string())?;
    }
    let mut listings = Vec::new();
    for row in sql
        .exec("SELECT body FROM listings", None)
        .map_err(|e| e.to_string())?
        .raw()
    {
        if let Some(SqlStorageValue::String(text)) =
            row.map_err(|e| e.to_string())?.into_iter().next()
        {
            let listing: EventListing = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            listings.push(listing);
        }
    }
    let mut entries = Vec::new();
    for row in sql
        .exec("SELECT code, body FROM entries", None)
        .map_err(|e| e.to_string())?
        .raw()
    {
        if let [SqlStorageValue::String(code), SqlStorageValue::String(text)] =
            row.map_err(|e| e.to_string())?.as_slice()
        {
            let code: domain::EventCode = code.parse().map_err(|e| format!("{e}"))?;
            let list: Vec<Entry> = serde_json::from_str(text).map_err(|e| e.to_string())?;
            entries.push((code, list));
        }
    }
    let (mut book, mut book_version) = (MedalBook::new(), 0);
    for row in sql
        .exec("SELECT version, body FROM book WHERE id = 1", None)
        .map_err(|e| e.to_string())?
        .raw()
    {
        if let [
            SqlStorageValue::Integer(version),
            SqlStorageValue::Blob(bytes),
        ] = row.map_err(|e| e.to_string())?.as_slice()
        {
            book = MedalBook::from_bytes(bytes).map_err(|e| e.to_string())?;
            book_version = u64::try_from(*version).unwrap_or(0);
        }
    }
    Ok(Games::from_parts(listings, entries, book, book_version))
}

impl Standings {
    async fn dispatch(&self, req: &mut Request, path: &str) -> Result<Response, Problem> {
        if self.broken.is_some() {
            return Err(Problem::unavailable(
                "the standings are unreadable; operators have been alerted",
            ));
        }
        let url = req.url().or_internal("read the request URL")?;
        let method = Method::parse(&req.inner().method());
        match StandingsRoute::parse(method, path, url.query().unwrap_or(""))? {
            StandingsRoute::Digest => self.apply_digest(req).await,
            StandingsRoute::Events(query) => {
                let games = self.games.borrow();
                let body = events_body(&games, &query)?;
                cacheable(
                    respond::json_text(body, 200)?,
                    games.listings_version(),
                    EVENTS_MAX_AGE,
                )
            }
            StandingsRoute::Medals(query) => {
                let games = self.games.borrow();
                let body = medals_body(&games, &query)?;
                cacheable(
                    respond::json_text(body, 200)?,
                    games.book_version(),
                    MEDALS_MAX_AGE,
                )
            }
            StandingsRoute::MedalAthletes(query) => self.athletes(&query),
            StandingsRoute::Nocs => {
                let games = self.games.borrow();
                cacheable(
                    respond::json(&serde_json::json!({ "nocs": games.nocs() }), 200)?,
                    games.people_version(),
                    PEOPLE_MAX_AGE,
                )
            }
            StandingsRoute::Noc(noc) => {
                let games = self.games.borrow();
                cacheable(
                    respond::json(&games.noc(noc), 200)?,
                    games.people_version(),
                    PEOPLE_MAX_AGE,
                )
            }
            StandingsRoute::Athlete(id) => {
                let games = self.games.borrow();
                let answer = games.athlete(id.clone()).ok_or_else(|| {
                    Problem::not_found(format!("no event lists athlete {id}")).field("athlete")
                })?;
                cacheable(
                    respond::json(&answer, 200)?,
                    games.people_version(),
                    PEOPLE_MAX_AGE,
                )
            }
            StandingsRoute::Search { q } => {
                let games = self.games.borrow();
                cacheable(
                    respond::json(&games.search(q.as_str()), 200)?,
                    games.people_version(),
                    PEOPLE_MAX_AGE,
                )
            }
            StandingsRoute::Schedule { day } => {
                let games = self.games.borrow();
                cacheable(
                    respond::json_text(schedule_body(&games, day.as_ref())?, 200)?,
                    games.listings_version(),
                    SCHEDULE_MAX_AGE,
                )
            }
            StandingsRoute::Live { since } => self.open_live(req, since),
            StandingsRoute::Snapshot => respond::json_text(self.live_message("snapshot"), 200),
            StandingsRoute::Relays { shard, join } => self.set_relay(shard, join),
            StandingsRoute::Rebuild => self.rebuild_all().await,
        }
    }

    async fn apply_digest(&self, req: &mut Request) -> Result<Response, Problem> {
        let digest: EventDigest = body::parse_json(&body::read_limited(req, 1024 * 1024).await?)?;
        let code = digest.listing.code.clone();
        let change = {
            let mut games = self.games.borrow_mut();
            let change = games.apply(digest).map_err(problems::domain)?;
            if !change.any() {
                return respond::json(&DigestOutcome::Stale, 200);
            }
            self.dirty.borrow_mut().extend(change.documents());
            self.changes.set(self.changes.get() + 1);
            if let Err(err) = self.persist(&games, &code) {
                // Memory is ahead of storage: reload, so the retried digest is applied, not called stale.
                drop(games);
                if let Ok(stored) = load(&self.state) {
                    *self.games.borrow_mut() = stored;
                }
                return Err(problems::storage(err));
            }
            change
        };
        if change.medals {
            self.broadcast().await;
        }
        let now = worker::Date::now().as_millis();
        if let Some(due_ms) = self.publish_step(now, true).await {
            self.alarm_at(due_ms, now).await;
        }
        respond::json(&DigestOutcome::Applied, 200)
    }

    /// One synchronous stretch, so the listing and the book are written together.
    fn persist(&self, games: &Games, code: &domain::EventCode) -> worker::Result<()> {
        let sql = self.state.storage().sql();
        if let Some(listing) = games.listing(code) {
            sql.exec(
                "INSERT INTO entries (code, body) VALUES (?, ?) \
                 ON CONFLICT (code) DO UPDATE SET body = excluded.body",
                vec![
                    code.as_str().into(),
                    serde_json::to_string(games.entries(code))
                        .unwrap_or_default()
                        .into(),
                ],
            )?;
            sql.exec(
                "INSERT INTO listings (code, event_version, body) VALUES (?, ?, ?) \
                 ON CONFLICT (code) DO UPDATE SET event_version = excluded.event_version, body = excluded.body",
                vec![
                    code.as_str().into(),
                    SqlStorageValue::Integer(i64::try_from(listing.event_version).unwrap_or(i64::MAX)),
                    serde_json::to_string(listing).unwrap_or_default().into(),
                ],
            )?;
        }
        let bytes = games
            .book()
            .to_bytes()
            .map_err(|e| worker::Error::RustError(e.to_string()))?;
        sql.exec(
            "INSERT INTO book (id, version, body) VALUES (1, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body",
            vec![
                SqlStorageValue::Integer(i64::try_from(games.book_version()).unwrap_or(i64::MAX)),
                SqlStorageValue::Blob(bytes),
            ],
        )?;
        Ok(())
    }

    fn athletes(&self, query: &MedalsQuery<domain::CompetitorId>) -> Result<Response, Problem> {
        let games = self.games.borrow();
        let rows = domain::athletes(games.book().awards(), &query.filter, query.order);
        let page = athletes_page(
            &rows,
            query.limit,
            query.cursor.as_deref(),
            query.around.as_ref(),
        )
        .map_err(problems::domain)?;
        cacheable(respond::json(&page, 200)?, games.book_version(), 5)
    }

    fn open_live(&self, req: &Request, since: Option<u64>) -> Result<Response, Problem> {
        edge::websocket::require_upgrade(req)?;
        let client = live::client_tag(req);
        live::check_client_cap(&self.state, client.as_deref())?;
        let viewers = self.state.get_websockets_with_tag(MEDAL_VIEWER_TAG).len();
        // Past its limit the standings object sends the viewer down the medal table's relay tree.
        let (limit, tree) = relay::settings(req);
        let children = tree.children(Node::Source);
        match self.relays.borrow_mut().admit(viewers, limit, children) {
            Admission::Direct => {}
            Admission::Relay { shard } => return relay::redirect(shard),
            Admission::Full => return Err(relay::no_room()),
        }
        let pair = WebSocketPair::new().or_internal("open a socket pair")?;
        self.state.accept_websocket_with_tags(
            &pair.server,
            &live::viewer_tags(MEDAL_VIEWER_TAG, client.as_deref()),
        );
        let kind = if since == Some(self.games.borrow().book_version()) {
            "current"
        } else {
            "snapshot"
        };
        pair.server
            .send_with_str(self.live_message(kind))
            .or_internal("greet a medal viewer")?;
        Response::from_websocket(pair.client).or_internal("answer with a socket")
    }

    fn live_message(&self, kind: &str) -> String {
        let games = self.games.borrow();
        let table = (kind != "current").then(|| games.table());
        serde_json::json!({ "type": kind, "version": games.book_version(), "table": table })
            .to_string()
    }

    async fn broadcast(&self) {
        let direct = !self
            .state
            .get_websockets_with_tag(MEDAL_VIEWER_TAG)
            .is_empty();
        if !direct && self.relays.borrow().is_empty() {
            return;
        }
        let text = self.live_message("update");
        // The relays' publications are started first, as the event objects do.
        futures_util::join!(self.publish_to_relays(&text), async {
            if direct {
                live::broadcast_to(&self.state, MEDAL_VIEWER_TAG, &text);
            }
        });
    }

    /// Hands the medal table to every first-level relay, learning from their answers how full each is;
    /// if one fails, the alarm sends the latest again in a second.
    async fn publish_to_relays(&self, text: &str) {
        let shards = self.relays.borrow().shards();
        if shards.is_empty() {
            return;
        }
        let publication = wire::api::relay::publication(text, text);
        let delivery = relay::publish(&self.env, &Source::Medals, &shards, &publication).await;
        {
            let mut relays = self.relays.borrow_mut();
            for (shard, answer) in &delivery.answers {
                relays.reported(*shard, answer);
            }
        }
        if delivery.failed {
            relay::retry_soon(&self.state).await;
        }
    }

    /// Operators' rebuild of everything: the standings forget every listing and medal, every event in the
    /// archive is rebuilt one after the other, and the digests each rebuilt event sends refill them. The
    /// medal table's version keeps rising, so no viewer or cache mistakes the rebuilt table for an old one.
    async fn rebuild_all(&self) -> Result<Response, Problem> {
        let events = archive::events(&self.env).await.map_err(|cause| {
            Problem::unavailable("the archive could not be read; nothing was changed")
                .because(cause)
        })?;
        {
            let sql = self.state.storage().sql();
            sql.exec("DELETE FROM listings", None)
                .and_then(|_| sql.exec("DELETE FROM entries", None))
                .and_then(|_| sql.exec("DELETE FROM book", None))
                .map_err(problems::storage)?;
            let version = self.games.borrow().book_version();
            *self.games.borrow_mut() = Games::from_parts([], [], MedalBook::new(), version);
            self.dirty
                .borrow_mut()
                .extend([HotDoc::Medals, HotDoc::Events]);
        }
        let objects = bindings::objects(&self.env);
        let mut answer = RebuildAllAnswer {
            rebuilt: Vec::new(),
            failed: Vec::new(),
        };
        for event in events {
            let Ok(code) = event.parse::<domain::EventCode>() else {
                answer.failed.push(RebuildFailure {
                    event,
                    reason: "not an event code".into(),
                });
                continue;
            };
            match objects.call(EventRequest::rebuild(code)).await {
                Ok(rebuilt) => answer.rebuilt.push(rebuilt),
                Err(err) => answer.failed.push(RebuildFailure {
                    event,
                    reason: match err {
                        edge::object::CallError::Refused { problem, .. } => {
                            problem.detail.unwrap_or_default()
                        }
                        other => other.to_string(),
                    },
                }),
            }
        }
        tracing::warn!(
            rebuilt = answer.rebuilt.len(),
            failed = answer.failed.len(),
            "standings rebuilt from the archive"
        );
        respond::json(&answer, 200)
    }

    /// Publishes the changed hot documents if the last publication is a second old; answers when it is
    /// due otherwise. `background`: after the response; else awaited (the alarm).
    async fn publish_step(&self, now_ms: u64, background: bool) -> Option<u64> {
        let changes = self.changes.get();
        let pending = !self.dirty.borrow().is_empty();
        let step = self.publisher.get().step(changes, now_ms, pending);
        match step {
            Step::Hold { due_ms } => Some(due_ms),
            Step::Nothing => None,
            Step::Send => {
                let docs: Vec<HotDoc> = std::mem::take(&mut *self.dirty.borrow_mut())
                    .into_iter()
                    .collect();
                if docs.is_empty() {
                    return None;
                }
                let documents = match self.documents(&docs) {
                    Ok(documents) => documents,
                    Err(problem) => {
                        tracing::error!(
                            cause = problem.cause.as_deref().unwrap_or(""),
                            "publish: documents not built"
                        );
                        return None;
                    }
                };
                let mut publisher = self.publisher.get();
                publisher.sent(changes, now_ms);
                self.publisher.set(publisher);
                let (env, dirty, publisher) = (
                    self.env.clone(),
                    Rc::clone(&self.dirty),
                    Rc::clone(&self.publisher),
                );
                let state = self.handle();
                let write = async move {
                    if let Err(cause) =
                        publish::write(&env, &documents, publish::Stores::BOTH).await
                    {
                        tracing::error!(cause = %cause, "publish: documents not written; retried in a second");
                        dirty.borrow_mut().extend(docs);
                        let mut retry = publisher.get();
                        retry.forget();
                        publisher.set(retry);
                        let wait = std::time::Duration::from_millis(coalesce::PUBLISH_INTERVAL_MS);
                        if let Err(err) = state.storage().set_alarm(wait).await {
                            tracing::error!(cause = %err, "publish: could not schedule a retry");
                        }
                    }
                };
                if background {
                    self.state
                        .wait_until(write.instrument(tracing::Span::current()));
                } else {
                    write.await;
                }
                None
            }
        }
    }

    /// The documents as the read API answers them now.
    fn documents(&self, docs: &[HotDoc]) -> Result<Vec<Document>, Problem> {
        let games = self.games.borrow();
        docs.iter()
            .filter_map(|doc| {
                let built = match doc {
                    HotDoc::Medals => medals_body(&games, &MedalsQuery::default())
                        .map(|body| (body, MEDALS_MAX_AGE, games.book_version())),
                    HotDoc::Events => events_body(&games, &EventsQuery::default())
                        .map(|body| (body, EVENTS_MAX_AGE, games.listings_version())),
                    HotDoc::Schedule(day) => schedule_body(&games, Some(day))
                        .map(|body| (body, SCHEDULE_MAX_AGE, games.listings_version())),
                    // An event's own documents are its object's.
                    HotDoc::Event(_) | HotDoc::Leaderboard(_) => return None,
                };
                Some(built.map(|(body, max_age, version)| Document {
                    doc: doc.clone(),
                    body,
                    cache_control: cache_control(max_age),
                    version,
                }))
            })
            .collect()
    }

    /// Makes sure the alarm rings by `due_ms`.
    async fn alarm_at(&self, due_ms: u64, now_ms: u64) {
        let storage = self.state.storage();
        let pending = match storage.get_alarm().await {
            Ok(at) => at.and_then(|at| u64::try_from(at).ok()),
            Err(_) => None,
        };
        let wait = std::time::Duration::from_millis(due_ms.saturating_sub(now_ms));
        if coalesce::alarm_needed(due_ms, pending)
            && let Err(err) = storage.set_alarm(wait).await
        {
            tracing::error!(cause = %err, "could not schedule the alarm");
        }
    }

    /// A second handle on this object's state, for work that outlives the request.
    fn handle(&self) -> State {
        let raw: &wasm_bindgen::JsValue = self.state.as_raw().as_ref();
        State::from(
            raw.clone()
                .unchecked_into::<worker::worker_sys::DurableObjectState>(),
        )
    }

    fn set_relay(&self, shard: u32, join: bool) -> Result<Response, Problem> {
        store::set_relay(&self.state.storage().sql(), shard, join).map_err(problems::storage)?;
        let mut relays = self.relays.borrow_mut();
        relays.set(shard, join);
        respond::json(
            &RelayMembers {
                relays: relays.shards(),
            },
            200,
        )
    }
}

/// How long shared caches keep the Games-wide views: they change with every digest.
const EVENTS_MAX_AGE: u32 = 5;
const MEDALS_MAX_AGE: u32 = 5;
const SCHEDULE_MAX_AGE: u32 = 30;
/// Countries, athletes and search: entries and medals change with digests, as the events list does.
const PEOPLE_MAX_AGE: u32 = 5;

/// `GET /v1/events` (filtered): the same bytes whether read or published.
fn events_body(games: &Games, query: &EventsQuery) -> Result<String, Problem> {
    let events = games.events(query);
    serde_json::to_string(&serde_json::json!({ "events": events, "total": events.len() }))
        .or_internal("encode the events list")
}

/// `GET /v1/medals`, a page of the medal table.
fn medals_body(games: &Games, query: &MedalsQuery<domain::Noc>) -> Result<String, Problem> {
    let table = games.book().table(&query.filter, query.order);
    let page = table
        .page(query.limit, query.cursor.as_deref(), query.around.as_ref())
        .map_err(problems::domain)?;
    serde_json::to_string(&MedalsPage {
        order: table.order,
        totals: &table.totals,
        version: games.book_version(),
        page,
    })
    .or_internal("encode the medal table")
}

/// The units of a day (all days without one), by start time.
fn schedule_body(games: &Games, day: Option<&domain::LogicalDay>) -> Result<String, Problem> {
    serde_json::to_string(&serde_json::json!({ "units": games.schedule(day) }))
        .or_internal("encode the schedule")
}

#[derive(Serialize)]
struct MedalsPage<'a> {
    order: domain::MedalOrder,
    totals: &'a domain::MedalCounts,
    version: u64,
    #[serde(flatten)]
    page: domain::paging::Page<domain::MedalTableRow>,
}
