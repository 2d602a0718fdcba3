//! Security events: logged as structured `warn` lines (`security_event`, `client`, `feed`, with the
//! request id from the span) that the operators' stats count by name; an `error` line with
//! `alert = true` when an isolate sees too many in a minute; and the automatic block of clients that
//! keep failing authentication, logged as a `blocked` event with its end (the audit record).

use std::cell::RefCell;

use access_auth::{AlertMeter, BlockRule, FailureTracker, SecurityEvent};
use edge::Problem;

/// Ten failed authentications within a minute block the client for ten minutes.
const BLOCK_RULE: BlockRule = BlockRule {
    threshold: 10,
    window_seconds: 60,
    block_seconds: 600,
};
/// Clients tracked per isolate.
const TRACKED_CLIENTS: usize = 4096;
/// Security events per isolate per minute that raise an alert line.
const ALERT_THRESHOLD: u32 = 50;

thread_local! {
    static FAILURES: RefCell<FailureTracker> =
        RefCell::new(FailureTracker::new(BLOCK_RULE, TRACKED_CLIENTS));
    static ALERTS: RefCell<AlertMeter> = RefCell::new(AlertMeter::new(ALERT_THRESHOLD));
}

fn now_unix() -> u64 {
    worker::Date::now().as_millis() / 1000
}

/// Whether failures of `client` are counted towards a block. Cloudflare always sets a real address; the
/// local runtime sends loopback, and a request without an address has no one to block (as the read
/// gateway's rate limit does).
fn blockable(client: &str) -> bool {
    client
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| !ip.is_loopback())
        || client.ends_with("/64") && !client.starts_with("::/")
}

/// Refuses a client that is blocked, before anything else is looked at.
pub fn check_blocked(client: &str) -> Result<(), Problem> {
    let now = now_unix();
    match FAILURES.with(|cell| cell.borrow().blocked_until(client, now)) {
        Some(until) => Err(crate::problems::blocked(until - now)),
        None => Ok(()),
    }
}

/// Logs `event` for `client` (and `feed`, when known), counts authentication failures towards a block,
/// and raises an alert line past the threshold.
pub fn report(event: SecurityEvent, client: &str, feed: Option<&str>, problem: &Problem) {
    let now = now_unix();
    tracing::warn!(
        security_event = event.as_str(),
        client = client,
        feed = feed.unwrap_or(""),
        status = problem.status,
        field = problem.field.as_deref().unwrap_or(""),
        detail = problem.detail.as_deref().unwrap_or(""),
        "security event"
    );
    count(now);
    if event.is_authentication_failure()
        && blockable(client)
        && let Some(until) = FAILURES.with(|cell| cell.borrow_mut().record_failure(client, now))
    {
        tracing::warn!(
            security_event = SecurityEvent::Blocked.as_str(),
            client = client,
            feed = feed.unwrap_or(""),
            blocked_until = until,
            block_seconds = BLOCK_RULE.block_seconds,
            "client blocked after repeated authentication failures"
        );
        count(now);
    }
}

fn count(now: u64) {
    if let Some(count) = ALERTS.with(|cell| cell.borrow_mut().record(now)) {
        tracing::error!(
            alert = true,
            security_events_this_minute = count,
            "security events past the alert threshold"
        );
    }
}
