//! The peer: the same leaderboard update through Redis sorted sets on loopback, as an app would do it.
//!
//! Per operation: `ZADD` of the one changed member (or `ZREM` when its time is withdrawn), then
//! `ZRANGE key 0 29 WITHSCORES` (lowest time first), each command one round trip and the reply parsed
//! into (member, score) pairs. Pipelined: both commands in one write, one round trip.

use std::hint::black_box;

use serde::{Deserialize, Serialize};

use crate::cases::{Measurement, PAGE_LIMIT, Plan, RACE_SIZES, measure};
use crate::fixtures::Race;
use crate::resp::{Connection, Reply};
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

fn io(error: std::io::Error) -> String {
    format!("redis: {error}")
}

/// Runs every size against the Redis server on `127.0.0.1:port`.
pub fn run(port: u16, clock: &dyn Clock, plan: &Plan) -> Result<PeerReport, String> {
    let mut connection = Connection::loopback(port).map_err(io)?;
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
            |()| match connection.call(&[b"PING"]).map_err(io)? {
                Reply::Simple(_) => Ok(1),
                other => Err(format!("PING answered {other:?}")),
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
    match connection.call(&[b"INFO", b"server"]).map_err(io)? {
        Reply::Bulk(Some(text)) => Ok(String::from_utf8_lossy(&text)
            .lines()
            .find_map(|line| line.strip_prefix("redis_version:"))
            .unwrap_or("unknown")
            .trim()
            .to_owned()),
        other => Err(format!("INFO answered {other:?}")),
    }
}

fn expect_ok(reply: Reply) -> Result<(), String> {
    expect_count(reply).map(|_| ())
}

/// The integer a write answers (members added or removed), or 0 for other replies.
fn expect_count(reply: Reply) -> Result<i64, String> {
    match reply {
        Reply::Error(error) => Err(format!("redis error: {error}")),
        Reply::Integer(n) => Ok(n),
        _ => Ok(0),
    }
}

/// The sorted set's score for an entry: its time cut to 1/100 s, or an IRM's place after every time.
fn score(entry: &domain::ResultEntry) -> Option<i64> {
    match (&entry.irm, &entry.mark) {
        (Some(irm), _) => Some(IRM_SCORE + *irm as i64),
        (None, Some(domain::Mark::Time { time_ms })) => i64::try_from(*time_ms / 10 * 10).ok(),
        _ => None,
    }
}

/// Parses `ZRANGE … WITHSCORES` into (member, score) pairs, as the app would before rendering.
fn page(reply: Reply) -> Result<Vec<(String, f64)>, String> {
    let Reply::Array(Some(items)) = reply else {
        return Err(format!("ZRANGE answered {reply:?}"));
    };
    let mut rows = Vec::with_capacity(items.len() / 2);
    let mut items = items.into_iter();
    while let (Some(Reply::Bulk(Some(member))), Some(Reply::Bulk(Some(score)))) =
        (items.next(), items.next())
    {
        let score: f64 = std::str::from_utf8(&score)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| "ZRANGE score is not a number".to_owned())?;
        rows.push((String::from_utf8_lossy(&member).into_owned(), score));
    }
    Ok(rows)
}

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
    expect_ok(connection.call(&[b"DEL", key.as_bytes()]).map_err(io)?)?;
    let mut load: Vec<Vec<u8>> = vec![b"ZADD".to_vec(), key.clone().into_bytes()];
    for entry in race.entries() {
        if let Some(score) = score(entry) {
            load.push(score.to_string().into_bytes());
            load.push(entry.competitor.as_str().as_bytes().to_vec());
        }
    }
    let load: Vec<&[u8]> = load.iter().map(Vec::as_slice).collect();
    // Competitors still to finish are not in the set, so a page can be shorter than ours.
    let mut members = expect_count(connection.call(&load).map_err(io)?)?;
    let stop = (PAGE_LIMIT - 1).to_string();

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
            Ok((member, time_ms.map(|ms| (ms / 10 * 10).to_string())))
        },
        |(member, score)| {
            let write: Vec<&[u8]> = match &score {
                Some(score) => vec![b"ZADD", key.as_bytes(), score.as_bytes(), member.as_bytes()],
                None => vec![b"ZREM", key.as_bytes(), member.as_bytes()],
            };
            let read: [&[u8]; 5] = [
                b"ZRANGE",
                key.as_bytes(),
                b"0",
                stop.as_bytes(),
                b"WITHSCORES",
            ];
            let (count, rows) = if pipelined {
                connection.queue(&write).map_err(io)?;
                connection.queue(&read).map_err(io)?;
                connection.flush().map_err(io)?;
                let count = expect_count(connection.read().map_err(io)?)?;
                (count, page(connection.read().map_err(io)?)?)
            } else {
                let count = expect_count(connection.call(&write).map_err(io)?)?;
                (count, page(connection.call(&read).map_err(io)?)?)
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
    let members = match connection.call(&[b"ZCARD", key.as_bytes()]).map_err(io)? {
        Reply::Integer(n) if n == members => n,
        other => return Err(format!("ZCARD answered {other:?}, expected {members}")),
    };
    expect_ok(connection.call(&[b"DEL", key.as_bytes()]).map_err(io)?)?;
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
