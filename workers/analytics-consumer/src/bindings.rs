//! The names this Worker knows its bindings and settings by; they must match wrangler/analytics-consumer.toml.

/// The D1 database of changes, aggregates and dead letters.
pub const ANALYTICS_DB: &str = "ANALYTICS_DB";
/// Replays of dead letters go back to the Queue they came from.
pub const ARCHIVE_QUEUE: &str = "ARCHIVE_QUEUE";
pub const ANALYTICS_QUEUE: &str = "ANALYTICS_QUEUE";
/// Where this consumer's own failures go, past the retry policy.
pub const DEAD_LETTERS: &str = "DEAD_LETTERS";
/// Optional: a Workers Analytics Engine dataset that gets a data point per change as well.
pub const OPS_METRICS: &str = "OPS_METRICS";
/// Optional: seconds a failing message is retried before it is dead-lettered (default 1800).
pub const DEAD_LETTER_AFTER_SECONDS: &str = "DEAD_LETTER_AFTER_SECONDS";

/// The Queues this Worker consumes.
pub const ANALYTICS_QUEUE_NAME: &str = "olympic-analytics";
pub const ARCHIVE_QUEUE_NAME: &str = "olympic-archive";
pub const DEAD_LETTERS_QUEUE_NAME: &str = "olympic-dead-letters";

#[cfg(test)]
mod tests {
    use invariants::Kind;

    #[test]
    fn every_binding_is_declared_in_the_config_and_every_declared_one_is_used() {
        let used = [
            (Kind::D1Database, super::ANALYTICS_DB),
            (Kind::QueueProducer, super::ARCHIVE_QUEUE),
            (Kind::QueueProducer, super::ANALYTICS_QUEUE),
            (Kind::QueueProducer, super::DEAD_LETTERS),
            (Kind::AnalyticsEngine, super::OPS_METRICS),
            (Kind::Var, super::DEAD_LETTER_AFTER_SECONDS),
        ];
        let checked = invariants::check(
            env!("CARGO_MANIFEST_DIR"),
            "analytics-consumer",
            &used,
            &[super::DEAD_LETTER_AFTER_SECONDS],
        );
        assert_eq!(checked, Ok(()));
    }
}
