//! Recording what the analytics Queue brings: each applied change as a row of `changes` and +1 in its
//! minute, and the read gateway's read counts in their minutes. A message delivered twice counts once:
//! a change's minute only moves when its row was inserted (`changes()` after `INSERT OR IGNORE`, in the
//! same batch, which D1 runs as one transaction), and a read count only adds when this delivery inserted
//! its report (its `token`).

use wasm_bindgen::JsValue;
use wire::ChangeRecord;
use wire::analytics::ReadCounts;
use worker::{D1Database, D1PreparedStatement, Result};

const INSERT_CHANGE: &str = "INSERT OR IGNORE INTO changes \
    (event, event_version, kind, unit, unit_version, status, message_id, feed, received_at_ms, \
     medals_changed, recorded_at_ms, sent_at_ms, request_id) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

const COUNT_CHANGE: &str = "INSERT INTO updates_per_minute (event, minute_ms, count) \
    SELECT ?1, ?2, 1 WHERE changes() = 1 \
    ON CONFLICT (event, minute_ms) DO UPDATE SET count = count + 1";

const INSERT_REPORT: &str = "INSERT OR IGNORE INTO reports (id, token, at_ms) VALUES (?1, ?2, ?3)";

const COUNT_READS: &str = "INSERT INTO reads_per_minute (minute_ms, route, status, cache, count) \
    SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM reports WHERE id = ?6 AND token = ?7) \
    ON CONFLICT (minute_ms, route, status, cache) DO UPDATE SET count = count + excluded.count";

const COUNT_REFUSALS: &str = "INSERT INTO refusals_per_minute (minute_ms, feed, problem, count) \
    SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM reports WHERE id = ?5 AND token = ?6) \
    ON CONFLICT (minute_ms, feed, problem) DO UPDATE SET count = count + excluded.count";

/// The start of the minute holding `ms`.
pub fn minute(ms: u64) -> u64 {
    ms - ms % 60_000
}

fn int(value: u64) -> JsValue {
    JsValue::from_f64(value as f64)
}

/// The statements that record one change.
pub fn change(
    db: &D1Database,
    record: &ChangeRecord,
    now_ms: u64,
) -> Result<Vec<D1PreparedStatement>> {
    let row = db.prepare(INSERT_CHANGE).bind(&[
        JsValue::from_str(&record.event),
        int(record.event_version),
        JsValue::from_str(record.kind.as_str()),
        JsValue::from_str(&record.unit),
        int(record.unit_version),
        JsValue::from_str(&record.status),
        JsValue::from_str(&record.message_id),
        JsValue::from_str(&record.feed),
        int(record.received_at_ms),
        JsValue::from_f64(if record.medals_changed { 1.0 } else { 0.0 }),
        int(now_ms),
        record.sent_at_ms.map_or(JsValue::NULL, int),
        JsValue::from_str(&record.request_id),
    ])?;
    let count = db.prepare(COUNT_CHANGE).bind(&[
        JsValue::from_str(&record.event),
        int(minute(record.received_at_ms)),
    ])?;
    Ok(vec![row, count])
}

/// The statements that record one read count report; `token` is this delivery's.
pub fn reads(
    db: &D1Database,
    reads: &ReadCounts,
    token: &str,
    now_ms: u64,
) -> Result<Vec<D1PreparedStatement>> {
    let mut statements = vec![db.prepare(INSERT_REPORT).bind(&[
        JsValue::from_str(&reads.id),
        JsValue::from_str(token),
        int(now_ms),
    ])?];
    for count in &reads.counts {
        statements.push(db.prepare(COUNT_READS).bind(&[
            int(minute(reads.to_ms)),
            JsValue::from_str(&count.route),
            JsValue::from_f64(f64::from(count.status)),
            JsValue::from_str(&count.cache),
            int(count.count),
            JsValue::from_str(&reads.id),
            JsValue::from_str(token),
        ])?);
    }
    Ok(statements)
}

/// The statements that record one refusal report of the ingest gateway.
pub fn refusals(
    db: &D1Database,
    report: &wire::api::analytics::RefusalReport,
    token: &str,
    now_ms: u64,
) -> Result<Vec<D1PreparedStatement>> {
    let mut statements = vec![db.prepare(INSERT_REPORT).bind(&[
        JsValue::from_str(&report.id),
        JsValue::from_str(token),
        int(now_ms),
    ])?];
    for count in &report.counts {
        statements.push(db.prepare(COUNT_REFUSALS).bind(&[
            int(minute(report.to_ms)),
            JsValue::from_str(&count.feed),
            JsValue::from_str(&count.problem),
            int(count.count),
            JsValue::from_str(&report.id),
            JsValue::from_str(token),
        ])?);
    }
    Ok(statements)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_minute_starts_on_the_minute() {
        // 1_770_000_000_000 ms is a whole number of minutes since the epoch.
        assert_eq!(super::minute(1_770_000_059_999), 1_770_000_000_000);
        assert_eq!(super::minute(1_770_000_060_000), 1_770_000_060_000);
        assert_eq!(super::minute(1_769_999_999_999), 1_769_999_940_000);
    }
}
