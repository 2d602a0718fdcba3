//! A relay's SQLite storage: what must survive hibernation, when the relay forgets everything in memory
//! but its viewers' sockets stay open.
//!
//! - `forwarded`: the highest version it handed on, so no late publication takes a viewer back.
//! - `home`: the parent it joined (and the tree's fan-out then), so it can leave the same parent.
//! - `children`: the relays that joined it, each of which hears every publication.

use object_logic::relays::Node;
use worker::{SqlStorage, SqlStorageValue};

const SCHEMA: [&str; 3] = [
    "CREATE TABLE IF NOT EXISTS forwarded (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
    // parent: a relay shard, or -1 for the source.
    "CREATE TABLE IF NOT EXISTS home (id INTEGER PRIMARY KEY CHECK (id = 1), parent INTEGER NOT NULL, fanout INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS children (shard INTEGER PRIMARY KEY)",
];

/// Where a relay joined the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Home {
    pub parent: Node,
    pub fanout: u32,
}

/// Creates the tables (once per instance: cheap when they exist).
pub fn prepare(sql: &SqlStorage) -> worker::Result<()> {
    for statement in SCHEMA {
        sql.exec(statement, None)?;
    }
    Ok(())
}

fn integer(value: u64) -> SqlStorageValue {
    SqlStorageValue::Integer(i64::try_from(value).unwrap_or(i64::MAX))
}

/// The integers of the first column of each row.
fn integers(sql: &SqlStorage, query: &str) -> worker::Result<Vec<i64>> {
    let mut values = Vec::new();
    for row in sql.exec(query, None)?.raw() {
        if let Some(SqlStorageValue::Integer(v)) = row?.into_iter().next() {
            values.push(v);
        }
    }
    Ok(values)
}

pub fn forwarded(sql: &SqlStorage) -> worker::Result<Option<u64>> {
    let versions = integers(sql, "SELECT version FROM forwarded WHERE id = 1")?;
    Ok(versions.first().and_then(|v| u64::try_from(*v).ok()))
}

pub fn set_forwarded(sql: &SqlStorage, version: u64) -> worker::Result<()> {
    sql.exec(
        "INSERT INTO forwarded (id, version) VALUES (1, ?) \
         ON CONFLICT (id) DO UPDATE SET version = excluded.version",
        vec![integer(version)],
    )?;
    Ok(())
}

pub fn home(sql: &SqlStorage) -> worker::Result<Option<Home>> {
    let mut rows = sql
        .exec("SELECT parent, fanout FROM home WHERE id = 1", None)?
        .raw();
    let Some(row) = rows.next().transpose()? else {
        return Ok(None);
    };
    Ok(match row.as_slice() {
        [
            SqlStorageValue::Integer(parent),
            SqlStorageValue::Integer(fanout),
        ] => Some(Home {
            parent: u32::try_from(*parent).map_or(Node::Source, Node::Relay),
            fanout: u32::try_from(*fanout).unwrap_or(1),
        }),
        _ => None,
    })
}

/// Stores where the relay joined, or (`None`) that it left.
pub fn set_home(sql: &SqlStorage, home: Option<Home>) -> worker::Result<()> {
    match home {
        Some(Home { parent, fanout }) => {
            let parent = match parent {
                Node::Source => SqlStorageValue::Integer(-1),
                Node::Relay(shard) => integer(u64::from(shard)),
            };
            sql.exec(
                "INSERT INTO home (id, parent, fanout) VALUES (1, ?, ?) \
                 ON CONFLICT (id) DO UPDATE SET parent = excluded.parent, fanout = excluded.fanout",
                vec![parent, integer(u64::from(fanout))],
            )?;
        }
        None => {
            sql.exec("DELETE FROM home", None)?;
        }
    }
    Ok(())
}

pub fn children(sql: &SqlStorage) -> worker::Result<Vec<u32>> {
    Ok(integers(sql, "SELECT shard FROM children ORDER BY shard")?
        .into_iter()
        .filter_map(|shard| u32::try_from(shard).ok())
        .collect())
}

pub fn set_child(sql: &SqlStorage, shard: u32, joined: bool) -> worker::Result<()> {
    let statement = if joined {
        "INSERT OR IGNORE INTO children (shard) VALUES (?)"
    } else {
        "DELETE FROM children WHERE shard = ?"
    };
    sql.exec(statement, vec![integer(u64::from(shard))])?;
    Ok(())
}
