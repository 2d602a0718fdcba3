//! The operators' audit trail in D1: written by the ingest gateway for every admin action, read back
//! through `GET /v1/admin/audit`. Rows are only ever added.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use wire::api::analytics::AuditRecord;
use worker::{D1Database, Result};

pub async fn record(db: &D1Database, record: &AuditRecord) -> Result<()> {
    db.prepare(
        "INSERT INTO admin_audit (at_ms, operator, action, event, status, request_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(&[
        JsValue::from_f64(record.at_ms as f64),
        JsValue::from_str(&record.operator),
        JsValue::from_str(&record.action),
        record
            .event
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str),
        JsValue::from_f64(f64::from(record.status)),
        JsValue::from_str(&record.request_id),
    ])?
    .run()
    .await?;
    Ok(())
}

#[derive(Deserialize)]
struct Row {
    at_ms: f64,
    operator: String,
    action: String,
    event: Option<String>,
    status: f64,
    request_id: String,
}

/// The newest `limit` entries.
pub async fn list(db: &D1Database, limit: u32) -> Result<Vec<AuditRecord>> {
    let rows: Vec<Row> = db
        .prepare(
            "SELECT at_ms, operator, action, event, status, request_id FROM admin_audit \
             ORDER BY at_ms DESC, id DESC LIMIT ?1",
        )
        .bind(&[JsValue::from_f64(f64::from(limit))])?
        .all()
        .await?
        .results()?;
    Ok(rows
        .into_iter()
        .map(|row| AuditRecord {
            at_ms: row.at_ms as u64,
            operator: row.operator,
            action: row.action,
            event: row.event,
            status: row.status as u16,
            request_id: row.request_id,
        })
        .collect())
}
