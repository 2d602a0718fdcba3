//! The standings object: one for the whole Games (`wire::api::GAMES`). It keeps the events list and the
//! medal table (`object_logic::games::Games`), fed by the event objects' digests, and pushes medal
//! changes to live viewers. Its routes are `wire::api::StandingsRoute`.
//!
//! Past its direct-viewer limit, new medal-table viewers go to relay objects `medals#{shard}`, exactly as
//! a busy event's viewers do.

use std::cell::RefCell;

use domain::MedalBook;
use domain::medal_table::athletes_page;
use edge::{Problem, body, respond};
use object_logic::games::Games;
use object_logic::relays::{Admission, RelaySet};
use serde::Serialize;
use wire::api::standings::{EventsQuery, MedalsQuery};
use wire::api::{DigestOutcome, Method, RelayMembers, Source, StandingsRoute};
use wire::digest::{EventDigest, EventListing};
use worker::{
    DurableObject, Env, Request, Response, SqlStorageValue, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair, durable_object,
};

use crate::caching::cacheable;
use crate::{live, problems, relay, store};

const MEDAL_VIEWER_TAG: &str = "medals";

const SCHEMA: [&str; 3] = [
    "CREATE TABLE IF NOT EXISTS listings (code TEXT PRIMARY KEY, event_version INTEGER NOT NULL, body TEXT NOT NULL)",
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
}

impl DurableObject for Standings {
    fn new(state: State, env: Env) -> Self {
        live::answer_pings_without_waking(&state);
        let (games, broken) = match load(&state) {
            Ok(games) => (games, None),
            Err(err) => {
                worker::console_error!("standings failed to load: {err}");
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
        }
    }

    /// Sends the latest medal table again to the relays, after a publish to one of them failed.
    async fn alarm(&self) -> worker::Result<Response> {
        self.publish_to_relays(&self.live_message("update")).await;
        Response::empty()
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let path = req.path();
        let result = self.dispatch(&mut req, &path).await;
        respond::finish(result, &path)
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
    Ok(Games::from_parts(listings, book, book_version))
}

impl Standings {
    async fn dispatch(&self, req: &mut Request, path: &str) -> Result<Response, Problem> {
        if self.broken.is_some() {
            return Err(Problem::unavailable(
                "the standings are unreadable; operators have been alerted",
            ));
        }
        let url = req.url().map_err(|_| Problem::internal())?;
        let method = Method::parse(&req.inner().method());
        match StandingsRoute::parse(method, path, url.query().unwrap_or(""))? {
            StandingsRoute::Digest => self.apply_digest(req).await,
            StandingsRoute::Events(query) => self.events(&query),
            StandingsRoute::Medals(query) => self.medals(&query),
            StandingsRoute::MedalAthletes(query) => self.athletes(&query),
            StandingsRoute::Noc(noc) => {
                let games = self.games.borrow();
                cacheable(
                    respond::json(&games.noc(noc), 200)?,
                    games.book_version(),
                    5,
                )
            }
            StandingsRoute::Athlete(id) => {
                let games = self.games.borrow();
                let answer = games.athlete(id.clone()).ok_or_else(|| {
                    Problem::not_found(format!("no medals recorded for athlete {id}"))
                        .field("athlete")
                })?;
                cacheable(respond::json(&answer, 200)?, games.book_version(), 5)
            }
            StandingsRoute::Schedule { day } => {
                let games = self.games.borrow();
                let units = games.schedule(day.as_ref());
                cacheable(
                    respond::json(&serde_json::json!({ "units": units }), 200)?,
                    games.listings_version(),
                    30,
                )
            }
            StandingsRoute::Live { since } => self.open_live(req, since),
            StandingsRoute::Snapshot => respond::json_text(self.live_message("snapshot"), 200),
            StandingsRoute::Relays { shard, join } => self.set_relay(shard, join),
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
        respond::json(&DigestOutcome::Applied, 200)
    }

    /// One synchronous stretch, so the listing and the book are written together.
    fn persist(&self, games: &Games, code: &domain::EventCode) -> worker::Result<()> {
        let sql = self.state.storage().sql();
        if let Some(listing) = games.listing(code) {
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

    fn events(&self, query: &EventsQuery) -> Result<Response, Problem> {
        let games = self.games.borrow();
        let events = games.events(query);
        cacheable(
            respond::json(
                &serde_json::json!({ "events": events, "total": events.len() }),
                200,
            )?,
            games.listings_version(),
            5,
        )
    }

    fn medals(&self, query: &MedalsQuery<domain::Noc>) -> Result<Response, Problem> {
        let games = self.games.borrow();
        let table = games.book().table(&query.filter, query.order);
        let page = table
            .page(query.limit, query.cursor.as_deref(), query.around.as_ref())
            .map_err(problems::domain)?;
        let body = MedalsPage {
            order: table.order,
            totals: &table.totals,
            version: games.book_version(),
            page,
        };
        cacheable(respond::json(&body, 200)?, games.book_version(), 5)
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
        let viewers = self.state.get_websockets_with_tag(MEDAL_VIEWER_TAG).len();
        if let Admission::Relay { shard } = self
            .relays
            .borrow_mut()
            .admit(viewers, relay::direct_limit(req))
        {
            return relay::redirect(shard);
        }
        let pair = WebSocketPair::new().map_err(|_| Problem::internal())?;
        self.state
            .accept_websocket_with_tags(&pair.server, &[MEDAL_VIEWER_TAG]);
        let kind = if since == Some(self.games.borrow().book_version()) {
            "current"
        } else {
            "snapshot"
        };
        pair.server
            .send_with_str(self.live_message(kind))
            .map_err(|_| Problem::internal())?;
        Response::from_websocket(pair.client).map_err(|_| Problem::internal())
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
        if direct {
            live::broadcast_to(&self.state, MEDAL_VIEWER_TAG, &text);
        }
        self.publish_to_relays(&text).await;
    }

    /// Hands the medal table to every relay; if one fails, the alarm sends the latest again in a second.
    async fn publish_to_relays(&self, text: &str) {
        let shards = self.relays.borrow().shards();
        let publication = wire::api::relay::publication(text, text);
        if shards.is_empty()
            || relay::publish(&self.env, &Source::Medals, &shards, &publication).await
        {
            return;
        }
        relay::retry_soon(&self.state).await;
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

#[derive(Serialize)]
struct MedalsPage<'a> {
    order: domain::MedalOrder,
    totals: &'a domain::MedalCounts,
    version: u64,
    #[serde(flatten)]
    page: domain::paging::Page<domain::MedalTableRow>,
}
