//! Simulated time against wall time, as a pure function of the timeline's times.
//!
//! By default the Games is compressed: every gap between two messages longer than ten simulated minutes
//! (nights, breaks between sessions) is shortened to ten minutes, and the rest is played at a speed that
//! fits the whole Games in about 20 minutes. With `--from`, everything before that day is due at once
//! (a catch-up), then the clock runs at real time from the day's first message.

/// Gaps longer than this are shortened to it in the compressed clock.
pub const MAX_IDLE_MS: u64 = 10 * 60_000;

/// The wall time a whole compressed Games takes at the default speed.
pub const TARGET_WALL_MS: u64 = 20 * 60_000;

/// How simulated time maps to wall time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// Idle stretches shortened, then `speed` simulated seconds per wall second.
    Compressed { speed: f64 },
    /// Everything before `from_ms` at once, then `speed` (1: real time) from the first message after it.
    From { from_ms: u64, speed: f64 },
}

/// The due times of a timeline's messages, from a starting index (a resumed Games starts where it
/// stopped, with nothing due at once).
#[derive(Debug, Clone)]
pub struct Clock {
    /// Per message: wall milliseconds after the start of this run at which it is due.
    due: Vec<u64>,
    /// Messages before this index are a catch-up (due at once, may be coalesced).
    catch_up_end: usize,
}

/// Simulated times with long gaps shortened to [`MAX_IDLE_MS`], from 0.
pub fn compressed(times: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(times.len());
    let mut clock = 0u64;
    let mut previous = times.first().copied().unwrap_or(0);
    for &t in times {
        clock += t.saturating_sub(previous).min(MAX_IDLE_MS);
        previous = t;
        out.push(clock);
    }
    out
}

/// The speed at which a whole compressed Games takes about [`TARGET_WALL_MS`].
pub fn auto_speed(times: &[u64]) -> f64 {
    let span = compressed(times).last().copied().unwrap_or(0);
    (span as f64 / TARGET_WALL_MS as f64).max(1.0)
}

impl Clock {
    pub fn new(times: &[u64], start: usize, mode: Mode) -> Self {
        match mode {
            Mode::Compressed { speed } => {
                let squeezed = compressed(times);
                let base = squeezed.get(start).copied().unwrap_or(0);
                Self {
                    due: squeezed
                        .iter()
                        .map(|&c| scale(c.saturating_sub(base), speed))
                        .collect(),
                    catch_up_end: start,
                }
            }
            Mode::From { from_ms, speed } => {
                let first_after = times
                    .iter()
                    .position(|&t| t >= from_ms)
                    .unwrap_or(times.len());
                let anchor = times
                    .get(first_after.max(start))
                    .copied()
                    .unwrap_or(u64::MAX);
                Self {
                    due: times
                        .iter()
                        .map(|&t| scale(t.saturating_sub(anchor), speed))
                        .collect(),
                    catch_up_end: first_after.max(start),
                }
            }
        }
    }

    /// When message `i` is due, in wall milliseconds after the start of the run.
    pub fn due(&self, i: usize) -> u64 {
        self.due.get(i).copied().unwrap_or(u64::MAX)
    }

    /// The end of the messages due by `elapsed_ms`, from `from`.
    pub fn due_until(&self, from: usize, elapsed_ms: u64) -> usize {
        let rest = self.due.get(from..).unwrap_or(&[]);
        from + rest.partition_point(|&d| d <= elapsed_ms)
    }

    /// True for messages sent as a catch-up.
    pub fn catching_up(&self, i: usize) -> bool {
        i < self.catch_up_end
    }
}

fn scale(sim_ms: u64, speed: f64) -> u64 {
    (sim_ms as f64 / speed.max(1e-9)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60_000;

    #[test]
    fn long_gaps_are_shortened() {
        let times = [0, MIN, 2 * MIN, 12 * 60 * MIN, 12 * 60 * MIN + 30_000];
        assert_eq!(
            compressed(&times),
            vec![0, MIN, 2 * MIN, 12 * MIN, 12 * MIN + 30_000]
        );
        let clock = Clock::new(&times, 0, Mode::Compressed { speed: 60.0 });
        assert_eq!(
            (0..5).map(|i| clock.due(i)).collect::<Vec<_>>(),
            vec![0, 1_000, 2_000, 12_000, 12_500]
        );
        assert_eq!(clock.due_until(0, 1_999), 2);
        assert_eq!(clock.due_until(2, 12_000), 4);
        assert!(!clock.catching_up(0));
    }

    #[test]
    fn a_resumed_clock_starts_where_it_stopped() {
        let times = [0, MIN, 2 * MIN, 3 * MIN];
        let clock = Clock::new(&times, 2, Mode::Compressed { speed: 60.0 });
        assert_eq!(clock.due(2), 0);
        assert_eq!(clock.due(3), 1_000);
    }

    #[test]
    fn from_a_day_everything_before_is_due_at_once_then_real_time() {
        let day = 1_000 * MIN;
        let times = [0, 10 * MIN, day + 60 * MIN, day + 61 * MIN];
        let clock = Clock::new(
            &times,
            0,
            Mode::From {
                from_ms: day,
                speed: 1.0,
            },
        );
        assert_eq!(
            (0..4).map(|i| clock.due(i)).collect::<Vec<_>>(),
            vec![0, 0, 0, MIN]
        );
        assert!(clock.catching_up(1) && !clock.catching_up(2));
    }

    #[test]
    fn the_default_speed_fits_the_games_in_twenty_minutes() {
        let times: Vec<u64> = (0..1_000).map(|i| i * 5 * MIN).collect();
        let speed = auto_speed(&times);
        let clock = Clock::new(&times, 0, Mode::Compressed { speed });
        assert!(clock.due(999).abs_diff(TARGET_WALL_MS) < 1_000);
    }
}
