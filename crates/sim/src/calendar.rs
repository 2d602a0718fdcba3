//! Venue time and UTC for the Games: every venue is in Italy, on CET (UTC+1) for the whole of February
//! (summer time starts at the end of March), so no time-zone database is needed.

use domain::{DomainError, LogicalDay};

/// The IANA time zone of every venue.
pub const VENUE_TIMEZONE: &str = "Europe/Rome";

/// CET is one hour ahead of UTC.
const VENUE_OFFSET_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub const fn new(year: i32, month: u32, day: u32) -> Self {
        Self { year, month, day }
    }

    /// A day of February 2026, the month of the Games.
    pub const fn feb(day: u32) -> Self {
        Self::new(2026, 2, day)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days_since_epoch(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5
            + i64::from(self.day)
            - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// Parses `YYYY-MM-DD` (a real date).
    pub fn parse(text: &str) -> Option<Self> {
        let day: LogicalDay = text.parse().ok()?;
        let (year, month, day) = day.ymd();
        Some(Self::new(year as i32, month, day))
    }

    /// The competition day, as the domain spells it.
    pub fn logical_day(self) -> Result<LogicalDay, DomainError> {
        self.to_string().parse()
    }

    /// UTC milliseconds of a venue-time clock reading on this date.
    pub fn at(self, hour: u32, minute: u32) -> u64 {
        let local = self.days_since_epoch() * DAY_MS + i64::from(hour * 60 + minute) * 60_000;
        (local - VENUE_OFFSET_MS).max(0) as u64
    }

    /// Venue midnight at the start of this date, in UTC milliseconds.
    pub fn start_ms(self) -> u64 {
        self.at(0, 0)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The venue date of a UTC instant.
pub fn venue_date(utc_ms: u64) -> Date {
    let local = utc_ms as i64 + VENUE_OFFSET_MS;
    Date::from_days_since_epoch(local.div_euclid(DAY_MS))
}

/// `2026-02-07 11:30`, in venue time.
pub fn venue_time(utc_ms: u64) -> String {
    let local = utc_ms as i64 + VENUE_OFFSET_MS;
    let minutes = local.rem_euclid(DAY_MS) / 60_000;
    format!(
        "{} {:02}:{:02}",
        venue_date(utc_ms),
        minutes / 60,
        minutes % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn venue_time_is_utc_plus_one_in_february() {
        // The men's downhill of 7 February 2026 at 11:30 in Bormio is 10:30 UTC.
        assert_eq!(Date::feb(7).at(11, 30), 1_770_460_200_000);
        assert_eq!(venue_time(1_770_460_200_000), "2026-02-07 11:30");
        assert_eq!(venue_date(Date::feb(7).at(0, 30)), Date::feb(7));
        assert_eq!(venue_date(Date::feb(7).at(23, 59)), Date::feb(7));
    }

    #[test]
    fn dates_round_trip_through_day_counts() {
        for days in [-1, 0, 365, 10_957, 20_490, 20_506, 47_482] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::new(1970, 1, 1).days_since_epoch(), 0);
        assert_eq!(Date::parse("2026-02-10"), Some(Date::feb(10)));
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(
            Date::feb(4).logical_day().map(|d| d.to_string()),
            Ok("2026-02-04".to_owned())
        );
    }
}
