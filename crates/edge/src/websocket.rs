//! The one check every live route makes before it hands a request on as a WebSocket.

use worker::Request;

use crate::Problem;

/// `426 Upgrade Required` unless `req` asks to become a WebSocket.
pub fn require_upgrade(req: &Request) -> Result<(), Problem> {
    let upgrade = req.headers().get("upgrade").ok().flatten();
    if upgrade.is_some_and(|value| value.eq_ignore_ascii_case("websocket")) {
        return Ok(());
    }
    Err(Problem::new(426, "upgrade-required", "Upgrade required")
        .detail("this route is a WebSocket: connect with Upgrade: websocket"))
}
