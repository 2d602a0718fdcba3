//! The routes the ingest gateway's service binding reaches (`wire::api::AnalyticsRoute`): this Worker has
//! no public route, so only a Worker holding the binding can ask, and the ingest gateway asks only for
//! operators.

use edge::{OrInternal, Problem, body, respond};
use wire::api::Method;
use wire::api::analytics::{
    AnalyticsRoute, AuditAnswer, AuditRecord, DeadLettersAnswer, Recorded, RefusalReport,
    ReplayRequest,
};
use worker::{Env, Request, Response};

use crate::{audit, bindings, dead_letters, record, stats};

pub async fn handle(mut req: Request, env: &Env) -> Result<Response, Problem> {
    let url = req.url().or_internal("read the request URL")?;
    let method = Method::parse(&req.inner().method());
    let route = AnalyticsRoute::parse(method, &req.path(), url.query().unwrap_or(""))?;
    let db = env
        .d1(bindings::ANALYTICS_DB)
        .or_internal("the analytics database")?;
    let now_ms = worker::Date::now().as_millis();
    match route {
        AnalyticsRoute::Stats { minutes } => {
            let answer = stats::stats(&db, minutes.unwrap_or(60), now_ms)
                .await
                .or_internal("read the reports")?;
            respond::json(&answer, 200)
        }
        AnalyticsRoute::DeadLetters { limit } => {
            let dead_letters = dead_letters::list(&db, limit.unwrap_or(100))
                .await
                .or_internal("read the dead letters")?;
            respond::json(&DeadLettersAnswer { dead_letters }, 200)
        }
        AnalyticsRoute::Replay => {
            let request: ReplayRequest =
                body::parse_json(&body::read_limited(&mut req, 64 * 1024).await?)?;
            let answer = dead_letters::replay(env, &db, &request, now_ms)
                .await
                .or_internal("replay the dead letters")?;
            respond::json(&answer, 200)
        }
        AnalyticsRoute::Refusals => {
            let report: RefusalReport =
                body::parse_json(&body::read_limited(&mut req, 256 * 1024).await?)?;
            let token = edge::log::new_request_id();
            let statements =
                record::refusals(&db, &report, &token, now_ms).or_internal("bind the refusals")?;
            db.batch(statements)
                .await
                .or_internal("record the refusals")?;
            respond::json(&Recorded { recorded: true }, 200)
        }
        AnalyticsRoute::AuditLog { limit } => {
            let entries = audit::list(&db, limit.unwrap_or(100))
                .await
                .or_internal("read the audit trail")?;
            respond::json(&AuditAnswer { entries }, 200)
        }
        AnalyticsRoute::Audit => {
            let entry: AuditRecord =
                body::parse_json(&body::read_limited(&mut req, 16 * 1024).await?)?;
            audit::record(&db, &entry)
                .await
                .or_internal("record an admin action")?;
            respond::json(&Recorded { recorded: true }, 200)
        }
    }
}
