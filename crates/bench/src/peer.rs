//! The peer: the same leaderboard update through Redis sorted sets on loopback, as an app would do it.
//!
//! Per operation: `ZADD` of the one changed member (or `ZREM` when its time is withdrawn), then
//! `ZRANGE key 0 29 WITHSCORES` (lowest time first), each command one round trip and the reply parsed
//! into (member, score) pairs. Pipelined: both commands in one write, one round trip. The client is the
//! `redis` crate (its synchronous connection), as an application would use it.

use std::hint::black_box;

use serde::{Deserialize, Serialize};

use crate::cases::{Measurement, PAGE_LIMIT, Plan, RACE_SIZES, measure};
use redis::{Connection, RedisError, cmd, pipe};

use crate::fixtures::Race;
use crate::stats::Clock;

/// What the Redis run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PeerReport {
    pub redis_version: String,
    /// Ids as in the domain report (`leaderboard/100`), one round trip per command.
    pub sequential: Vec<Measurement>,
    /// The same ids, both commands pipelined in one round trip.
    pub pipelined: Vec<Measurement>,
    /// One `PING`: the loopback round trip that bounds every Redis number from below.
    pub ping: Measurement,
}

/// Irregular results sort after every time: this score plus the IRM's order.
const IRM_SCORE: i64 = 1_000_000_000_000;

fn io(error: RedisError) -> String {
    format!("redis: {error}")
}

/// Connects to `127.0.0.1:port` (loopback only), with timeouts so a stuck server cannot hang a run.
fn connect(port: u16) -> Result<Connection, String> {
    let timeout = std::time::Duration::from_secs(5);
    let client = redis::Client::open(format!("redis://127.0.0.1:{port}/")).map_err(io)?;
    let connection = client
        .get_connection_with_timeout(std::time::Duration::from_secs(2))
        .map_err(io)?;
    connection.set_read_timeout(Some(timeout)).map_err(io)?;
    connection.set_write_timeout(Some(timeout)).map_err(io)?;
    Ok(connection)
}

/// Runs every size against the Redis server on `127.0.0.1:port`.
pub fn run(port: u16, clock: &dyn Clock, plan: &Plan) -> Result<PeerReport, String> {
    let mut connection = connect(port)?;
    let redis_version = version(&mut connection)?;
    let wanted = |id: &str| plan.only.as_deref().is_none_or(|only| id.contains(only));
    let mut sequential = Vec::new();
    let mut pipelined = Vec::new();
    for size in RACE_SIZES {
        let id = format!("leaderboard/{size}");
        if wanted(&id) {
            sequential.push(leaderboard(&mut connection, clock, plan, size, &id, false)?);
            pipelined.push(leaderboard(&mut connection, clock, plan, size, &id, true)?);
        }
    }
    let ping = {
        let summary = measure(
            clock,
            &plan.budget,
            || Ok(()),
            |()| {
                let pong: String = cmd("PING").query(&mut connection).map_err(io)?;
                Ok(pong.len())
            },
        )?;
        Measurement {
            id: "ping".into(),
            operation: "PING (one loopback round trip)".into(),
            size: "-".into(),
            summary,
            detail: String::new(),
        }
    };
    Ok(PeerReport {
        redis_version,
        sequential,
        pipelined,
        ping,
    })
}

fn version(connection: &mut Connection) -> Result<String, String> {
    let info: String = cmd("INFO").arg("server").query(connection).map_err(io)?;
    Ok(info
        .lines()
        .find_map(|line| line.strip_prefix("redis_version:"))
        .unwrap_or("unknown")
        .trim()
        .to_owned())
}

/// The sorted set's score for an entry: its time cut to 1/100 s, or an IRM's place after every time.
fn score(entry: &domain::ResultEntry) -> Option<i64> {
    match (&entry.irm, &entry.mark) {
        (Some(irm), _) => Some(IRM_SCORE + *irm as i64),
        (None, Some(domain::Mark::Time { time_ms })) => i64::try_from(*time_ms / 10 * 10).ok(),
        _ => None,
    }
}

/// A `ZRANGE … WITHSCORES` page, parsed into (member, score) pairs as the app would before rendering.
type Page = Vec<(String, f64)>;

fn leaderboard(
    connection: &mut Connection,
    clock: &dyn Clock,
    plan: &Plan,
    competitors: usize,
    id: &str,
    pipelined: bool,
) -> Result<Measurement, String> {
    // The same race, seed and updates as the domain benchmark.
    let mut race = Race::new(competitors, 0x0712_2026 + competitors as u64)?;
    let key = format!("olympic-live-bench:{competitors}");
    let _: i64 = cmd("DEL").arg(&key).query(connection).map_err(io)?;
    let mut load = cmd("ZADD");
    load.arg(&key);
    for entry in race.entries() {
        if let Some(score) = score(entry) {
            load.arg(score).arg(entry.competitor.as_str());
        }
    }
    // Competitors still to finish are not in the set, so a page can be shorter than ours.
    let mut members: i64 = load.query(connection).map_err(io)?;
    let stop = i64::from(PAGE_LIMIT) - 1;

    let summary = measure(
        clock,
        &plan.budget,
        || {
            let (index, time_ms) = race.advance();
            let member = race
                .entries()
                .get(index)
                .map(|e| e.competitor.as_str().to_owned())
                .ok_or_else(|| "no such entry".to_owned())?;
            Ok((member, time_ms.map(|ms| ms / 10 * 10)))
        },
        |(member, score)| {
            let mut write = cmd(if score.is_some() { "ZADD" } else { "ZREM" });
            write.arg(&key);
            if let Some(score) = score {
                write.arg(score);
            }
            write.arg(&member);
            let mut read = cmd("ZRANGE");
            read.arg(&key).arg(0).arg(stop).arg("WITHSCORES");
            let (count, rows): (i64, Page) = if pipelined {
                pipe()
                    .add_command(write)
                    .add_command(read)
                    .query(connection)
                    .map_err(io)?
            } else {
                let count: i64 = write.query(connection).map_err(io)?;
                let rows: Page = read.query(connection).map_err(io)?;
                (count, rows)
            };
            let rows = black_box(rows);
            members += if score.is_some() { count } else { -count };
            let want = usize::try_from(members)
                .unwrap_or(0)
                .min(PAGE_LIMIT as usize);
            if rows.len() != want {
                return Err(format!(
                    "ZRANGE returned {} rows, wanted {want}",
                    rows.len()
                ));
            }
            Ok(rows.len())
        },
    )?;
    let cardinality: i64 = cmd("ZCARD").arg(&key).query(connection).map_err(io)?;
    if cardinality != members {
        return Err(format!("ZCARD answered {cardinality}, expected {members}"));
    }
    let _: i64 = cmd("DEL").arg(&key).query(connection).map_err(io)?;
    Ok(Measurement {
        id: id.to_owned(),
        operation: if pipelined {
            "ZADD/ZREM + ZRANGE 0 29 WITHSCORES, pipelined".into()
        } else {
            "ZADD/ZREM, then ZRANGE 0 29 WITHSCORES".into()
        },
        size: format!("{competitors} competitors"),
        summary,
        detail: format!("{members} members in the sorted set at the end"),
    })
}
