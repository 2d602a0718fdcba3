//! The security events the ingest gateway logs (`security_event` field of a `warn` line), so the
//! operators' stats can count them by name, and the per-isolate meter that raises an alert line when
//! they come too fast.

/// One kind of security event. [`SecurityEvent::as_str`] is the logged name; keep them stable, the
/// operators' stats and alerts count by them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecurityEvent {
    /// An Access token was missing or refused.
    RefusedToken,
    /// A feed signature was missing, malformed, stale or wrong.
    BadSignature,
    /// A feed posted from an address outside its allow-list.
    AllowList,
    /// A client was blocked after repeated authentication failures.
    Blocked,
    /// A feed was refused by its policy: unknown or revoked feed, an event it may not write, a missing
    /// or wrong client certificate.
    Policy,
    /// A client or a feed went over its ingest rate limit.
    RateLimited,
}

impl SecurityEvent {
    pub const ALL: [SecurityEvent; 6] = [
        SecurityEvent::RefusedToken,
        SecurityEvent::BadSignature,
        SecurityEvent::AllowList,
        SecurityEvent::Blocked,
        SecurityEvent::Policy,
        SecurityEvent::RateLimited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SecurityEvent::RefusedToken => "refused_token",
            SecurityEvent::BadSignature => "bad_signature",
            SecurityEvent::AllowList => "allow_list",
            SecurityEvent::Blocked => "blocked",
            SecurityEvent::Policy => "policy",
            SecurityEvent::RateLimited => "rate_limited",
        }
    }

    /// Whether the event is a failed attempt to authenticate, which counts towards blocking the
    /// client. Policy and allow-list refusals do not: the feed proved who it is.
    pub fn is_authentication_failure(self) -> bool {
        matches!(
            self,
            SecurityEvent::RefusedToken | SecurityEvent::BadSignature
        )
    }
}

/// Counts security events per wall-clock minute and says when the count reaches the threshold, once
/// per minute, so one burst raises one alert line rather than one per event.
#[derive(Debug, Clone)]
pub struct AlertMeter {
    threshold: u32,
    minute: u64,
    count: u32,
}

impl AlertMeter {
    pub fn new(threshold: u32) -> Self {
        Self {
            threshold,
            minute: 0,
            count: 0,
        }
    }

    /// Counts one event at `now_unix`; `Some(count)` when this event is the one that reaches the
    /// threshold in its minute.
    pub fn record(&mut self, now_unix: u64) -> Option<u32> {
        let minute = now_unix / 60;
        if minute != self.minute {
            self.minute = minute;
            self.count = 0;
        }
        self.count = self.count.saturating_add(1);
        (self.threshold > 0 && self.count == self.threshold).then_some(self.count)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{AlertMeter, SecurityEvent};

    #[test]
    fn names_are_the_logged_ones() {
        let names: Vec<&str> = SecurityEvent::ALL.iter().map(|e| e.as_str()).collect();
        assert_eq!(
            names,
            [
                "refused_token",
                "bad_signature",
                "allow_list",
                "blocked",
                "policy",
                "rate_limited"
            ]
        );
        let failures: Vec<SecurityEvent> = SecurityEvent::ALL
            .into_iter()
            .filter(|e| e.is_authentication_failure())
            .collect();
        assert_eq!(
            failures,
            [SecurityEvent::RefusedToken, SecurityEvent::BadSignature]
        );
    }

    #[test]
    fn the_alert_fires_once_when_a_minute_reaches_the_threshold() {
        // The start of a minute: 1_800_000_000 is a multiple of 60.
        let start = 1_800_000_000;
        let mut meter = AlertMeter::new(3);
        let fired: Vec<Option<u32>> = (0..5).map(|i| meter.record(start + i)).collect();
        assert_eq!(fired, [None, None, Some(3), None, None]);
        // The next minute starts from zero.
        let next: Vec<Option<u32>> = (0..3).map(|i| meter.record(start + 60 + i)).collect();
        assert_eq!(next, [None, None, Some(3)]);
        // Events spread over minutes never add up to an alert.
        let mut slow = AlertMeter::new(3);
        assert!((0..10).all(|i| slow.record(start + i * 30).is_none()));
    }

    #[test]
    fn a_zero_threshold_never_alerts() {
        let mut meter = AlertMeter::new(0);
        assert!((0..100).all(|i| meter.record(i).is_none()));
    }
}
