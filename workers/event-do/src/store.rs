//! The event object's SQLite storage: the schema and every statement that touches it.
//!
//! Writes made in one synchronous stretch (no `.await` between them) commit together: the runtime
//! coalesces them into one atomic write and holds the response until it is durable. Every change is
//! therefore written with the `record_*` functions below in a single stretch: state, log line and outbox
//! rows land together or not at all.
//!
//! The event is stored in parts (`domain::storage`, schema 2): its head in `state` and each unit's results
//! in a row of `units`, so a change writes the head and the one unit it touched, not the whole event (an
//! event with 32 heats of results is over 100 KB). An object stored whole by an earlier build (schema 1 in
//! `state.body`) still loads, and its first change writes every unit.

use domain::{AuditEntry, EventState};
use object_logic::outbox::{Delivery, Destination};
use worker::{SqlStorage, SqlStorageValue};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS state (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  event   TEXT    NOT NULL,
  version INTEGER NOT NULL,
  body    BLOB    NOT NULL
);
-- One row per unit with results, which `state.body` lists (schema 2).
CREATE TABLE IF NOT EXISTS units (
  code TEXT PRIMARY KEY,
  body BLOB NOT NULL
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
-- Rows not yet accepted by their destination (`queue` names it: object_logic::outbox::Destination):
-- drained after each change and by the alarm.
CREATE TABLE IF NOT EXISTS outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  queue      TEXT    NOT NULL,
  body       BLOB    NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  request_id TEXT    NOT NULL DEFAULT ''
);
-- Operators' switches for this object, e.g. `maintenance`.
CREATE TABLE IF NOT EXISTS settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- Outbox rows their destination refused for good (a 4xx), kept with the reason for an operator.
CREATE TABLE IF NOT EXISTS dead_letters (
  seq      INTEGER PRIMARY KEY,
  queue    TEXT    NOT NULL,
  body     BLOB    NOT NULL,
  attempts INTEGER NOT NULL,
  reason   TEXT    NOT NULL,
  at_ms    INTEGER NOT NULL
);
";

pub fn migrate(sql: &SqlStorage) -> worker::Result<()> {
    for statement in statements(SCHEMA) {
        sql.exec(&statement, None)?;
    }
    // An outbox made before rows carried their request id gains the column (CREATE IF NOT EXISTS keeps
    // the old table as it was).
    let definition = sql.exec(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'outbox'",
        None,
    )?;
    let has_request_id = definition.raw().next().transpose()?.is_some_and(|row| {
        matches!(row.first(), Some(SqlStorageValue::String(text)) if text.contains("request_id"))
    });
    if !has_request_id {
        sql.exec(
            "ALTER TABLE outbox ADD COLUMN request_id TEXT NOT NULL DEFAULT ''",
            None,
        )?;
    }
    Ok(())
}

/// The statements of a schema, one per `;`, without its comment lines (which may contain a `;`).
fn statements(schema: &str) -> Vec<String> {
    let code: String = schema
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .map(|line| format!("{line}\n"))
        .collect();
    code.split(';')
        .map(str::trim)
        .filter(|statement| !statement.is_empty())
        .map(str::to_owned)
        .collect()
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
    let Some(head) = first_blob(rows)? else {
        return Ok(None);
    };
    let whole = domain::storage::stored_schema(&head).ok() == Some(domain::storage::STATE_SCHEMA);
    let mut units = Vec::new();
    if !whole {
        for row in sql.exec("SELECT body FROM units", None)?.raw() {
            if let Some(SqlStorageValue::Blob(bytes)) = row?.into_iter().next() {
                units.push(bytes);
            }
        }
    }
    EventState::from_parts(&head, units.iter().map(Vec::as_slice))
        .map(Some)
        .map_err(|e| worker::Error::RustError(e.to_string()))
}

fn first_blob(rows: worker::SqlCursor) -> worker::Result<Option<Vec<u8>>> {
    for row in rows.raw() {
        if let Some(SqlStorageValue::Blob(bytes)) = row?.into_iter().next() {
            return Ok(Some(bytes));
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
    outbox: &[(Destination, Vec<u8>)],
    request_id: &str,
) -> worker::Result<()> {
    let storage_error = |e: domain::DomainError| worker::Error::RustError(e.to_string());
    let head = state.head_bytes().map_err(storage_error)?;
    sql.exec(
        "INSERT INTO state (id, event, version, body) VALUES (1, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET event = excluded.event, version = excluded.version, body = excluded.body",
        vec![state.definition().code.as_str().into(), int(state.version()), SqlStorageValue::Blob(head)],
    )?;
    let write_unit = |unit: &domain::UnitResults| -> worker::Result<()> {
        let body = EventState::unit_bytes(unit).map_err(storage_error)?;
        sql.exec(
            "INSERT OR REPLACE INTO units (code, body) VALUES (?, ?)",
            vec![unit.unit().as_str().into(), SqlStorageValue::Blob(body)],
        )?;
        Ok(())
    };
    for unit in state.units_changed_last() {
        write_unit(unit)?;
    }
    // Every unit the head lists must have its row: after a whole-state object's first change, write them.
    if stored_units(sql)? != state.units().count() {
        for unit in state.units() {
            write_unit(unit)?;
        }
    }
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
    for (destination, body) in outbox {
        sql.exec(
            "INSERT INTO outbox (queue, body, request_id) VALUES (?, ?, ?)",
            vec![
                destination.as_str().into(),
                SqlStorageValue::Blob(body.clone()),
                request_id.into(),
            ],
        )?;
    }
    Ok(())
}

fn stored_units(sql: &SqlStorage) -> worker::Result<usize> {
    let rows = sql.exec("SELECT count(*) FROM units", None)?;
    Ok(
        match rows
            .raw()
            .next()
            .transpose()?
            .and_then(|row| row.into_iter().next())
        {
            Some(SqlStorageValue::Integer(n)) => usize::try_from(n).unwrap_or(0),
            _ => 0,
        },
    )
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
    /// As stored: [`Destination::parse`] reads it.
    pub destination: String,
    pub body: Vec<u8>,
    /// The request that made the change, for the log lines of its delivery.
    pub request_id: String,
}

pub fn pending(sql: &SqlStorage, limit: u32) -> worker::Result<Vec<Pending>> {
    let rows = sql.exec(
        "SELECT seq, queue, body, request_id FROM outbox ORDER BY seq LIMIT ?",
        vec![int(u64::from(limit))],
    )?;
    let mut out = Vec::new();
    for row in rows.raw() {
        if let [
            SqlStorageValue::Integer(seq),
            SqlStorageValue::String(queue),
            SqlStorageValue::Blob(body),
            SqlStorageValue::String(request_id),
        ] = row?.as_slice()
        {
            out.push(Pending {
                seq: *seq,
                destination: queue.clone(),
                body: body.clone(),
                request_id: request_id.clone(),
            });
        }
    }
    Ok(out)
}

/// Records how each attempt ended: delivered rows leave the outbox, failed ones count an attempt,
/// refused ones move to the dead letters.
pub fn settle(sql: &SqlStorage, outcomes: &[(i64, Delivery)], now_ms: u64) -> worker::Result<()> {
    if outcomes
        .iter()
        .any(|(_, outcome)| matches!(outcome, Delivery::Refused { .. }))
    {
        // An object stored by an older build may not have the dead letters' table yet.
        migrate(sql)?;
    }
    for (seq, outcome) in outcomes {
        let seq = SqlStorageValue::Integer(*seq);
        match outcome {
            Delivery::Delivered => {
                sql.exec("DELETE FROM outbox WHERE seq = ?", vec![seq])?;
            }
            Delivery::Failed => {
                sql.exec(
                    "UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?",
                    vec![seq],
                )?;
            }
            Delivery::Refused { reason } => {
                sql.exec(
                    "INSERT OR REPLACE INTO dead_letters (seq, queue, body, attempts, reason, at_ms) \
                     SELECT seq, queue, body, attempts + 1, ?, ? FROM outbox WHERE seq = ?",
                    vec![reason.as_str().into(), int(now_ms), seq.clone()],
                )?;
                sql.exec("DELETE FROM outbox WHERE seq = ?", vec![seq])?;
            }
        }
    }
    Ok(())
}

/// SQLite integers are i64 and JavaScript numbers are exact to 2^53; versions and times stay far below.
fn int(value: u64) -> SqlStorageValue {
    SqlStorageValue::Integer(i64::try_from(value).unwrap_or(i64::MAX))
}

/// An operator's switch, if it was ever set (nothing is read from an object without tables).
pub fn setting(sql: &SqlStorage, name: &str) -> worker::Result<Option<String>> {
    if !table_exists(sql, "settings")? {
        return Ok(None);
    }
    let rows = sql.exec(
        "SELECT value FROM settings WHERE name = ?",
        vec![name.into()],
    )?;
    Ok(rows
        .raw()
        .next()
        .transpose()?
        .and_then(|row| match row.into_iter().next() {
            Some(SqlStorageValue::String(value)) => Some(value),
            _ => None,
        }))
}

pub fn set_setting(sql: &SqlStorage, name: &str, value: &str) -> worker::Result<()> {
    sql.exec(
        "INSERT INTO settings (name, value) VALUES (?, ?) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        vec![name.into(), value.into()],
    )?;
    Ok(())
}

fn table_exists(sql: &SqlStorage, name: &str) -> worker::Result<bool> {
    let tables = sql.exec(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        vec![name.into()],
    )?;
    Ok(tables
        .raw()
        .next()
        .transpose()?
        .and_then(|row| row.into_iter().next())
        == Some(SqlStorageValue::Integer(1)))
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

#[cfg(test)]
mod tests {
    use super::{SCHEMA, statements};

    #[test]
    fn the_schema_is_seven_create_statements_whatever_its_comments_say() {
        let found = statements(SCHEMA);
        assert_eq!(found.len(), 7, "{found:#?}");
        assert!(
            found
                .iter()
                .all(|s| s.starts_with("CREATE TABLE IF NOT EXISTS"))
        );
        assert_eq!(
            statements("-- a; comment\nCREATE TABLE a (x);\n-- another;\nCREATE TABLE b (y);"),
            ["CREATE TABLE a (x)", "CREATE TABLE b (y)"]
        );
    }
}
