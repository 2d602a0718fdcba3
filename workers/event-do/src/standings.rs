//! The standings object: one for the whole Games (named [`GAMES`]). It keeps the events list and the
//! medal table, fed by the event objects' digests, and pushes medal changes to live viewers.
//!
//! Digests arrive at least once and in any order: each carries its event version, and an older or equal
//! one changes nothing. Private routes:
//!
//! | method | path                         | action                                      |
//! |--------|------------------------------|---------------------------------------------|
//! | PUT    | /standings/events/digest     | apply an event's digest (listing + medals)  |
//! | GET    | /standings/events            | the events list, filtered                   |
//! | GET    | /standings/medals            | the medal table, filtered and ordered       |
//! | GET    | /standings/medals/athletes   | athletes with the most medals               |
//! | GET    | /standings/nocs/{noc}        | one NOC's medals and events                 |
//! | GET    | /standings/athletes/{id}     | one athlete's medals                        |
//! | GET    | /standings/schedule?day=     | scheduled units, by start time              |
//! | GET    | /standings/live              | a medal-table viewer's WebSocket (or 307)   |
//! | GET    | /standings/snapshot          | the live medal table message, for relays    |
//! | PUT    | /standings/relays?shard=k    | a relay joins (see [`crate::relay`])        |
//! | DELETE | /standings/relays?shard=k    | a relay leaves                              |
//!
//! Past its direct-viewer limit, new medal-table viewers go to relay objects `medals#{shard}`, exactly as
//! a busy event's viewers do.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

use domain::medal_table::{athletes, athletes_page, medallists};
use domain::{
    CompetitorId, EventCode, LogicalDay, MedalBook, MedalFilter, MedalOrder, MedalTable, Noc,
};
use edge::{Problem, body, respond};
use serde::Serialize;
use worker::{
    DurableObject, Env, Method, Request, Response, SqlStorageValue, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair, durable_object,
};

use crate::digest::{EventDigest, EventListing, Progress};
use crate::query::{Params, cacheable};
use crate::{live, problems, relay, store};

/// The name of the one standings object.
pub const GAMES: &str = "games";
const MEDAL_VIEWER_TAG: &str = "medals";

const SCHEMA: [&str; 3] = [
    "CREATE TABLE IF NOT EXISTS listings (code TEXT PRIMARY KEY, event_version INTEGER NOT NULL, body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS book (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, body BLOB NOT NULL)",
    // The same table the event objects keep (store::relays reads both).
    "CREATE TABLE IF NOT EXISTS relays (shard INTEGER PRIMARY KEY)",
];

struct Games {
    listings: BTreeMap<EventCode, EventListing>,
    book: MedalBook,
    /// +1 whenever the medal table may have changed: the version live medal viewers and caches key on.
    book_version: u64,
}

#[durable_object]
pub struct Standings {
    state: State,
    env: Env,
    games: RefCell<Games>,
    broken: Option<String>,
    /// Relay shards holding a share of the medal-table viewers; each hears every broadcast.
    relays: RefCell<BTreeSet<u32>>,
    next_shard: Cell<u32>,
}

impl DurableObject for Standings {
    fn new(state: State, env: Env) -> Self {
        live::answer_pings_without_waking(&state);
        let (games, broken) = match load(&state) {
            Ok(games) => (games, None),
            Err(err) => {
                worker::console_error!("standings failed to load: {err}");
                (
                    Games {
                        listings: BTreeMap::new(),
                        book: MedalBook::new(),
                        book_version: 0,
                    },
                    Some(err),
                )
            }
        };
        let relays = store::relays(&state.storage().sql()).unwrap_or_default();
        Self {
            state,
            env,
            games: RefCell::new(games),
            broken,
            relays: RefCell::new(relays.into_iter().collect()),
            next_shard: Cell::new(0),
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
    let mut listings = BTreeMap::new();
    for row in sql
        .exec("SELECT body FROM listings", None)
        .map_err(|e| e.to_string())?
        .raw()
    {
        if let Some(SqlStorageValue::String(text)) =
            row.map_err(|e| e.to_string())?.into_iter().next()
        {
            let listing: EventListing = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            listings.insert(listing.code.clone(), listing);
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
    Ok(Games {
        listings,
        book,
        book_version,
    })
}

impl Standings {
    async fn dispatch(&self, req: &mut Request, path: &str) -> Result<Response, Problem> {
        if self.broken.is_some() {
            return Err(Problem::unavailable(
                "the standings are unreadable; operators have been alerted",
            ));
        }
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let params = Params::of(req)?;
        match (req.method(), segments.as_slice()) {
            (Method::Put, ["standings", "events", "digest"]) => self.apply_digest(req).await,
            (Method::Get, ["standings", "events"]) => self.events(params),
            (Method::Get, ["standings", "medals"]) => self.medals(params),
            (Method::Get, ["standings", "medals", "athletes"]) => self.athletes(params),
            (Method::Get, ["standings", "nocs", noc]) => self.noc(noc, params),
            (Method::Get, ["standings", "athletes", id]) => self.athlete(id, params),
            (Method::Get, ["standings", "schedule"]) => self.schedule(params),
            (Method::Get, ["standings", "live"]) => self.open_live(req, params),
            (Method::Get, ["standings", "snapshot"]) => {
                params.finish()?;
                respond::json_text(self.live_message("snapshot"), 200)
            }
            (Method::Put, ["standings", "relays"]) => self.set_relay(params, true),
            (Method::Delete, ["standings", "relays"]) => self.set_relay(params, false),
            _ => Err(Problem::not_found(format!(
                "no standings route {} {path}",
                req.method()
            ))),
        }
    }

    async fn apply_digest(&self, req: &mut Request) -> Result<Response, Problem> {
        let digest: EventDigest = body::parse_json(&body::read_limited(req, 1024 * 1024).await?)?;
        let changed_medals = {
            let mut games = self.games.borrow_mut();
            let code = digest.listing.code.clone();
            let newer_listing = games
                .listings
                .get(&code)
                .is_none_or(|l| l.event_version < digest.listing.event_version);
            let changed_medals = games.book.update(digest.medals).map_err(problems::domain)?;
            if !newer_listing && !changed_medals {
                return respond::json(&serde_json::json!({ "outcome": "stale" }), 200);
            }
            if newer_listing {
                games.listings.insert(code.clone(), digest.listing);
            }
            if changed_medals {
                games.book_version += 1;
            }
            if let Err(err) = self.persist(&games, &code) {
                // Memory is ahead of storage: reload, so the retried digest is applied, not called stale.
                drop(games);
                if let Ok(stored) = load(&self.state) {
                    *self.games.borrow_mut() = stored;
                }
                return Err(problems::storage(err));
            }
            changed_medals
        };
        if changed_medals {
            self.broadcast().await;
        }
        respond::json(&serde_json::json!({ "outcome": "applied" }), 200)
    }

    /// One synchronous stretch, so the listing and the book are written together.
    fn persist(&self, games: &Games, code: &EventCode) -> worker::Result<()> {
        let sql = self.state.storage().sql();
        if let Some(listing) = games.listings.get(code) {
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
            .book
            .to_bytes()
            .map_err(|e| worker::Error::RustError(e.to_string()))?;
        sql.exec(
            "INSERT INTO book (id, version, body) VALUES (1, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body",
            vec![
                SqlStorageValue::Integer(i64::try_from(games.book_version).unwrap_or(i64::MAX)),
                SqlStorageValue::Blob(bytes),
            ],
        )?;
        Ok(())
    }

    fn events(&self, mut params: Params) -> Result<Response, Problem> {
        let filter = params.medal_filter()?;
        if filter.noc.is_some() {
            return Err(Problem::bad_request(
                "noc",
                "the events list has no NOC filter; see /v1/nocs/{noc}",
            ));
        }
        let progress = params
            .take("status")?
            .map(|v| {
                Progress::parse(&v).ok_or_else(|| {
                    Problem::bad_request("status", "status must be scheduled, live or finished")
                })
            })
            .transpose()?;
        params.finish()?;
        let games = self.games.borrow();
        let events: Vec<&EventListing> = games
            .listings
            .values()
            .filter(|l| filter.sport.is_none_or(|s| l.sport == s))
            .filter(|l| filter.discipline.is_none_or(|d| l.discipline == d))
            .filter(|l| filter.gender.is_none_or(|g| l.gender == g))
            .filter(|l| filter.day.as_ref().is_none_or(|d| l.runs_on(d)))
            .filter(|l| progress.is_none_or(|p| l.progress == p))
            .collect();
        let version: u64 = games.listings.values().map(|l| l.event_version).sum();
        cacheable(
            respond::json(
                &serde_json::json!({ "events": events, "total": events.len() }),
                200,
            )?,
            version,
            5,
        )
    }

    fn medals(&self, mut params: Params) -> Result<Response, Problem> {
        let filter = params.medal_filter()?;
        let order = params.order()?;
        let limit = params.take_parsed::<u32>("limit", "limit must be an integer from 1 to 500")?;
        let cursor = params.take("cursor")?;
        let around = params.take_code::<Noc>("around")?;
        params.finish()?;
        let games = self.games.borrow();
        let table = games.book.table(&filter, order);
        let page = table
            .page(limit, cursor.as_deref(), around.as_ref())
            .map_err(problems::domain)?;
        let body = MedalsPage {
            order: table.order,
            totals: &table.totals,
            version: games.book_version,
            page,
        };
        cacheable(respond::json(&body, 200)?, games.book_version, 5)
    }

    fn athletes(&self, mut params: Params) -> Result<Response, Problem> {
        let filter = params.medal_filter()?;
        let order = params.order()?;
        let limit = params.take_parsed::<u32>("limit", "limit must be an integer from 1 to 500")?;
        let cursor = params.take("cursor")?;
        let around = params.take_code::<CompetitorId>("around")?;
        params.finish()?;
        let games = self.games.borrow();
        let rows = athletes(games.book.awards(), &filter, order);
        let page = athletes_page(&rows, limit, cursor.as_deref(), around.as_ref())
            .map_err(problems::domain)?;
        cacheable(respond::json(&page, 200)?, games.book_version, 5)
    }

    fn noc(&self, noc: &str, params: Params) -> Result<Response, Problem> {
        params.finish()?;
        let noc: Noc = noc
            .parse()
            .map_err(|e| Problem::bad_request("noc", format!("{e}")))?;
        let games = self.games.borrow();
        let table = MedalTable::build(
            games.book.awards(),
            &MedalFilter::default(),
            MedalOrder::GoldFirst,
        );
        let filter = MedalFilter {
            noc: Some(noc.clone()),
            ..MedalFilter::default()
        };
        let medals = medallists(games.book.awards(), &filter);
        let body = serde_json::json!({ "noc": noc, "standing": table.row(&noc), "medals": medals });
        cacheable(respond::json(&body, 200)?, games.book_version, 5)
    }

    fn athlete(&self, id: &str, params: Params) -> Result<Response, Problem> {
        params.finish()?;
        let id: CompetitorId = id
            .parse()
            .map_err(|e| Problem::bad_request("athlete", format!("{e}")))?;
        let games = self.games.borrow();
        let won: Vec<&domain::MedalAward> = games
            .book
            .awards()
            .filter(|a| a.competitor == id || a.members.iter().any(|m| m.id == id))
            .collect();
        if won.is_empty() {
            return Err(
                Problem::not_found(format!("no medals recorded for athlete {id}")).field("athlete"),
            );
        }
        let row = athletes(
            games.book.awards(),
            &MedalFilter::default(),
            MedalOrder::GoldFirst,
        )
        .into_iter()
        .find(|r| r.competitor == id);
        let body = serde_json::json!({ "athlete": id, "standing": row, "medals": won });
        cacheable(respond::json(&body, 200)?, games.book_version, 5)
    }

    fn schedule(&self, mut params: Params) -> Result<Response, Problem> {
        let day = params.take_code::<LogicalDay>("day")?;
        params.finish()?;
        let games = self.games.borrow();
        let mut units: Vec<ScheduleLine<'_>> = games
            .listings
            .values()
            .flat_map(|listing| listing.schedule.iter().map(move |unit| (listing, unit)))
            .filter(|(_, unit)| day.as_ref().is_none_or(|d| &unit.day == d))
            .map(|(listing, unit)| ScheduleLine {
                event: &listing.code,
                event_name: &listing.name,
                discipline: listing.discipline,
                gender: listing.gender,
                unit: &unit.unit,
                day: &unit.day,
                start_utc_ms: unit.start_utc_ms,
                venue: listing.venue.as_ref(),
            })
            .collect();
        units.sort_by(|a, b| {
            (a.day, a.start_utc_ms, a.event, a.unit).cmp(&(b.day, b.start_utc_ms, b.event, b.unit))
        });
        let version: u64 = games.listings.values().map(|l| l.event_version).sum();
        cacheable(
            respond::json(&serde_json::json!({ "units": units }), 200)?,
            version,
            30,
        )
    }

    fn open_live(&self, req: &Request, mut params: Params) -> Result<Response, Problem> {
        edge::websocket::require_upgrade(req)?;
        let since = params.take_parsed::<u64>("since", "since must be a medal table version")?;
        params.finish()?;
        if self.state.get_websockets_with_tag(MEDAL_VIEWER_TAG).len() >= relay::direct_limit(req) {
            return relay::redirect(&self.next_shard);
        }
        let pair = WebSocketPair::new().map_err(|_| Problem::internal())?;
        self.state
            .accept_websocket_with_tags(&pair.server, &[MEDAL_VIEWER_TAG]);
        let kind = if since == Some(self.games.borrow().book_version) {
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
        let table = (kind != "current").then(|| {
            games
                .book
                .table(&MedalFilter::default(), MedalOrder::GoldFirst)
        });
        serde_json::json!({ "type": kind, "version": games.book_version, "table": table })
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
        let shards: Vec<u32> = self.relays.borrow().iter().copied().collect();
        if shards.is_empty()
            || relay::publish(
                &self.env,
                &relay::Source::Medals,
                &shards,
                &relay::publication(text, text),
            )
            .await
        {
            return;
        }
        relay::retry_soon(&self.state).await;
    }

    fn set_relay(&self, mut params: Params, registered: bool) -> Result<Response, Problem> {
        let shard = relay::shard_param(&mut params)?;
        params.finish()?;
        relay::record_membership(&self.state, &self.relays, shard, registered)
    }
}

#[derive(Serialize)]
struct ScheduleLine<'a> {
    event: &'a EventCode,
    event_name: &'a str,
    discipline: domain::Discipline,
    gender: domain::Gender,
    unit: &'a domain::UnitCode,
    day: &'a LogicalDay,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_utc_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue: Option<&'a domain::Venue>,
}

#[derive(Serialize)]
struct MedalsPage<'a> {
    order: MedalOrder,
    totals: &'a domain::MedalCounts,
    version: u64,
    #[serde(flatten)]
    page: domain::paging::Page<domain::MedalTableRow>,
}
