//! What readers ask for: the routes a results site sees, weighted, with the event chosen by a Zipf
//! popularity. 95 % of reads are hot documents (an event's leaderboard first page and summary, the medal
//! table, the events list, the day's schedule); the cost model's `hot_share` is this number.

use rng::Rng;

use super::games::{Event, FIELD, LIVE_DAY};

/// Zipf popularity over `n` items: item k (from 0) weighs 1 / (k + 1)^s.
#[derive(Debug, Clone)]
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new(n: usize, s: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..n.max(1))
            .map(|k| {
                total += 1.0 / ((k + 1) as f64).powf(s);
                total
            })
            .collect::<Vec<_>>();
        Self {
            cumulative: cumulative.into_iter().map(|c| c / total).collect(),
        }
    }

    pub fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cumulative
            .partition_point(|c| *c <= u)
            .min(self.cumulative.len() - 1)
    }
}

/// One kind of read, its weight in ‰, and whether it is a hot document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Leaderboard,
    Summary,
    Medals,
    Events,
    Schedule,
    LeaderboardPage,
    MedalsFiltered,
    MedalAthletes,
    Country,
    Athlete,
    ScheduleInZone,
}

pub const MIX: [(Route, u32, bool); 11] = [
    (Route::Leaderboard, 420, true),
    (Route::Summary, 150, true),
    (Route::Medals, 180, true),
    (Route::Events, 120, true),
    (Route::Schedule, 80, true),
    (Route::LeaderboardPage, 20, false),
    (Route::MedalsFiltered, 5, false),
    (Route::MedalAthletes, 5, false),
    (Route::Country, 10, false),
    (Route::Athlete, 5, false),
    (Route::ScheduleInZone, 5, false),
];

/// The share of reads that are hot documents.
pub fn hot_share() -> f64 {
    let total: u32 = MIX.iter().map(|(_, w, _)| w).sum();
    let hot: u32 = MIX.iter().filter(|(_, _, h)| *h).map(|(_, w, _)| w).sum();
    f64::from(hot) / f64::from(total)
}

/// Picks a read: its route and its path.
pub fn pick(rng: &mut Rng, events: &[Event], popularity: &Zipf) -> (Route, String) {
    let total: u32 = MIX.iter().map(|(_, w, _)| w).sum();
    let mut at = u32::try_from(rng.below(u64::from(total))).unwrap_or(0);
    let mut route = Route::Leaderboard;
    for (r, w, _) in MIX {
        if at < w {
            route = r;
            break;
        }
        at -= w;
    }
    let event = &events[popularity.sample(rng).min(events.len().saturating_sub(1))];
    let code = &event.code;
    let finished: Vec<&Event> = events.iter().filter(|e| !e.live).collect();
    let medallist = finished
        .get(rng.index(finished.len()))
        .map_or_else(|| event.competitor(0), |e| e.competitor(rng.index(3)));
    let path = match route {
        Route::Leaderboard => format!("/v1/events/{code}/leaderboard"),
        Route::Summary => format!("/v1/events/{code}"),
        Route::Medals => "/v1/medals".to_owned(),
        Route::Events => "/v1/events".to_owned(),
        Route::Schedule => format!("/v1/schedule?day={LIVE_DAY}"),
        Route::LeaderboardPage => {
            // A racer who has finished in every event (the first to finish in a live one).
            format!(
                "/v1/events/{code}/leaderboard?limit={}&around={}",
                5 + rng.index(20),
                event.competitor(0)
            )
        }
        Route::MedalsFiltered => format!("/v1/medals?order=total&gender={}", event.gender),
        Route::MedalAthletes => "/v1/medals/athletes".to_owned(),
        Route::Country => format!("/v1/nocs/{}", event.noc(rng.index(FIELD))),
        Route::Athlete => format!("/v1/athletes/{medallist}"),
        Route::ScheduleInZone => format!("/v1/schedule?day={LIVE_DAY}&tz=America/New_York"),
    };
    (route, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_is_95_percent_hot_and_sums_to_one() {
        assert_eq!(MIX.iter().map(|(_, w, _)| w).sum::<u32>(), 1000);
        assert!((hot_share() - 0.95).abs() < 1e-12);
    }

    #[test]
    fn zipf_favours_the_first_items() {
        let zipf = Zipf::new(10, 1.0);
        let mut rng = Rng::new(1);
        let mut counts = [0u32; 10];
        for _ in 0..10_000 {
            counts[zipf.sample(&mut rng)] += 1;
        }
        // Item 0 weighs 1 / H(10) ≈ 34 %; item 9 ≈ 3.4 %.
        assert!(counts[0] > 3_000 && counts[0] < 3_800, "{counts:?}");
        assert!(counts[9] > 200 && counts[9] < 500, "{counts:?}");
    }
}
