//! The event object's SQLite storage: the schema and every statement that touches it.
//!
//! Writes made in one synchronous stretch (no `.await` between them) commit together: the runtime
//! coalesces them into one atomic write and holds the response until it is durable. Every change is
//! therefore written with the `record_*` functions below in a single stretch: state, log line and outbox
//! rows land together or not at all.

use domain::{AuditEntry, EventState};
use worker::{SqlStorage, SqlStorageValue};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS state (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  event   TEXT    NOT NULL,
  version INTEGER NOT NULL,
  body    BLOB    NOT NULL
);
-- The log of applied messages and the full audit trail (the state keeps only recent routine entries).
CREATE TABLE IF NOT EXISTS applied (
  event_version  INTEGER PRIMARY KEY,
  kind           TEXT    NOT NULL,
  message_id     TEXT    NOT NULL,
  unit           TEXT    NOT NULL,
  unit_version   INTEGER NOT NULL,
  feed           TEXT    NOT NULL,
  received_at_ms INTEGER NOT NULL,
  audit          TEXT    NOT NULL
);
-- Relay objects (shard numbers) that hold a share of this event's viewers and must hear every update.
CREATE TABLE IF NOT EXISTS relays (
  shard INTEGER PRIMARY KEY
);
-- Queue messages not yet accepted by their Queue: drained after each change and by the alarm.
CREATE TABLE IF NOT EXISTS outbox (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  queue    TEXT    NOT NULL,
  body     BLOB    NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
";

pub fn migrate(sql: &SqlStorage) -> worker::Result<()> {
    for statement in SCHEMA.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        sql.exec(statement, None)?;
    }
    Ok(())
}

/// The stored event, if it has been defined. A stored state that no longer decodes is an error, never
/// silently a fresh event. Reading creates nothing: an object that was never written stays empty.
pub fn load(sql: &SqlStorage) -> worker::Result<Option<EventState>> {
    let tables = sql.exec(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'state'",
        None,
    )?;
    let exists = tables
        .raw()
        .next()
        .transpose()?
        .and_then(|row| row.into_iter().next())
        == Some(SqlStorageValue::Integer(1));
    if !exists {
        return Ok(None);
    }
    let rows = sql.exec("SELECT body FROM state WHERE id = 1", None)?;
    for row in rows.raw() {
        if let Some(SqlStorageValue::Blob(bytes)) = row?.into_iter().next() {
            return EventState::from_bytes(&bytes)
                .map(Some)
                .map_err(|e| worker::Error::RustError(e.to_string()));
        }
    }
    Ok(None)
}

/// One applied change, as the log records it.
pub struct LogLine<'a> {
    pub kind: wire::ChangeKind,
    pub message_id: &'a str,
    pub unit: &'a str,
    pub unit_version: u64,
    pub feed: &'a str,
    pub received_at_ms: u64,
    pub audit_json: String,
}

/// Writes the new state, its log line and its outbox rows in one atomic stretch (see the module docs).
pub fn record_change(
    sql: &SqlStorage,
    state: &EventState,
    line: &LogLine<'_>,
    outbox: &[(&'static str, Vec<u8>)],
) -> worker::Result<()> {
    let body = state
        .to_bytes()
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
    sql.exec(
        "INSERT INTO state (id, event, version, body) VALUES (1, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET event = excluded.event, version = excluded.version, body = excluded.body",
        vec![state.definition().code.as_str().into(), int(state.version()), SqlStorageValue::Blob(body)],
    )?;
    sql.exec(
        "INSERT OR REPLACE INTO applied (event_version, kind, message_id, unit, unit_version, feed, received_at_ms, audit) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            int(state.version()),
            line.kind.as_str().into(),
            line.message_id.into(),
            line.unit.into(),
            int(line.unit_version),
            line.feed.into(),
            int(line.received_at_ms),
            line.audit_json.as_str().into(),
        ],
    )?;
    for (queue, body) in outbox {
        sql.exec(
            "INSERT INTO outbox (queue, body) VALUES (?, ?)",
            vec![(*queue).into(), SqlStorageValue::Blob(body.clone())],
        )?;
    }
    Ok(())
}

/// The audit trail, newest first, as stored JSON lines.
pub fn audit(
    sql: &SqlStorage,
    limit: u32,
    before_version: Option<u64>,
) -> worker::Result<Vec<serde_json::Value>> {
    let rows = sql.exec(
        "SELECT audit FROM applied WHERE event_version < ? ORDER BY event_version DESC LIMIT ?",
        vec![
            int(before_version.unwrap_or(i64::MAX as u64)),
            int(u64::from(limit)),
        ],
    )?;
    let mut entries = Vec::new();
    for row in rows.raw() {
        if let Some(SqlStorageValue::String(text)) = row?.into_iter().next() {
            entries.push(serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)));
        }
    }
    Ok(entries)
}

pub fn audit_json(entry: &AuditEntry) -> String {
    serde_json::to_string(entry).unwrap_or_default()
}

/// Outbox rows waiting for delivery, oldest first.
pub struct Pending {
    pub seq: i64,
    pub queue: String,
    pub body: Vec<u8>,
}

pub fn pending(sql: &SqlStorage, limit: u32) -> worker::Result<Vec<Pending>> {
    let rows = sql.exec(
        "SELECT seq, queue, body FROM outbox ORDER BY seq LIMIT ?",
        vec![int(u64::from(limit))],
    )?;
    let mut out = Vec::new();
    for row in rows.raw() {
        if let [
            SqlStorageValue::Integer(seq),
            SqlStorageValue::String(queue),
            SqlStorageValue::Blob(body),
        ] = row?.as_slice()
        {
            out.push(Pending {
                seq: *seq,
                queue: queue.clone(),
                body: body.clone(),
            });
        }
    }
    Ok(out)
}

pub fn delivered(sql: &SqlStorage, seqs: &[i64]) -> worker::Result<()> {
    for seq in seqs {
        sql.exec(
            "DELETE FROM outbox WHERE seq = ?",
            vec![SqlStorageValue::Integer(*seq)],
        )?;
    }
    Ok(())
}

pub fn failed(sql: &SqlStorage, seqs: &[i64]) -> worker::Result<()> {
    for seq in seqs {
        sql.exec(
            "UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?",
            vec![SqlStorageValue::Integer(*seq)],
        )?;
    }
    Ok(())
}

/// SQLite integers are i64 and JavaScript numbers are exact to 2^53; versions and times stay far below.
fn int(value: u64) -> SqlStorageValue {
    SqlStorageValue::Integer(i64::try_from(value).unwrap_or(i64::MAX))
}

/// The relay shards registered with this event (empty when the object has no tables yet).
pub fn relays(sql: &SqlStorage) -> worker::Result<Vec<u32>> {
    let tables = sql.exec(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'relays'",
        None,
    )?;
    if tables
        .raw()
        .next()
        .transpose()?
        .and_then(|row| row.into_iter().next())
        != Some(SqlStorageValue::Integer(1))
    {
        return Ok(Vec::new());
    }
    let mut shards = Vec::new();
    for row in sql
        .exec("SELECT shard FROM relays ORDER BY shard", None)?
        .raw()
    {
        if let Some(SqlStorageValue::Integer(shard)) = row?.into_iter().next() {
            shards.push(u32::try_from(shard).unwrap_or(0));
        }
    }
    Ok(shards)
}

pub fn set_relay(sql: &SqlStorage, shard: u32, registered: bool) -> worker::Result<()> {
    let statement = if registered {
        "INSERT OR IGNORE INTO relays (shard) VALUES (?)"
    } else {
        "DELETE FROM relays WHERE shard = ?"
    };
    sql.exec(statement, vec![SqlStorageValue::Integer(i64::from(shard))])?;
    Ok(())
}

/// The most delivery attempts any pending outbox row has had: the retry backoff grows with it.
pub fn max_attempts(sql: &SqlStorage) -> worker::Result<u32> {
    let rows = sql.exec("SELECT coalesce(max(attempts), 0) FROM outbox", None)?;
    let attempts = match rows
        .raw()
        .next()
        .transpose()?
        .and_then(|row| row.into_iter().next())
    {
        Some(SqlStorageValue::Integer(n)) => u32::try_from(n).unwrap_or(u32::MAX),
        _ => 0,
    };
    Ok(attempts)
}
