//! Calendar arithmetic on UTC timestamps, without a clock.
//!
//! Billing data is always UTC. We only need whole seconds, months and hours,
//! so a small civil-date conversion is enough and keeps the core free of a
//! time-zone database.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// Seconds since 1970-01-01T00:00:00Z.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(i64);

/// A calendar month, the unit AWS bills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u8,
}

/// A civil date (for account creation dates and the like).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error("`{input}` is not a timestamp; expected e.g. 2026-11-01T00:00:00Z or 2026-11-01 00:00:00")]
pub struct TimestampError {
    pub input: String,
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error("`{input}` is not a month; expected YYYY-MM, e.g. 2026-11")]
pub struct MonthError {
    pub input: String,
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error("`{input}` is not a date; expected YYYY-MM-DD, e.g. 2025-03-14")]
pub struct DateError {
    pub input: String,
}

pub const SECONDS_PER_HOUR: i64 = 3600;
/// English month names, January first: formatting and parsing share them.
pub const MONTH_NAMES_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const SECONDS_PER_DAY: i64 = 86_400;

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

fn digits<T: FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl Timestamp {
    pub const fn from_unix(seconds: i64) -> Self {
        Timestamp(seconds)
    }

    pub const fn unix(self) -> i64 {
        self.0
    }

    pub fn from_civil(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Self {
        let days = days_from_civil(year, month, day);
        Timestamp(
            days * SECONDS_PER_DAY
                + i64::from(hour) * 3600
                + i64::from(minute) * 60
                + i64::from(second),
        )
    }

    /// Parses the timestamp forms seen in AWS exports: `2023-11-01T00:00:00.000Z`,
    /// `2018-06-01T00:00:00Z`, `2018-06-01 00:00:00`, `2022-07-01 00:00:00.000`,
    /// `2023-11-01T00:00Z`, and a bare date `2023-11-01`. All are UTC.
    pub fn parse(input: &str) -> Result<Self, TimestampError> {
        Self::parse_opt(input.trim()).ok_or_else(|| TimestampError {
            input: input.to_owned(),
        })
    }

    fn parse_opt(s: &str) -> Option<Self> {
        let s = s.strip_suffix('Z').unwrap_or(s);
        let (date, time) = match s.find(['T', ' ']) {
            Some(i) => (&s[..i], &s[i + 1..]),
            None => (s, ""),
        };
        let d = Date::parse_opt(date)?;
        let time = time.split('.').next().unwrap_or("");
        let mut parts = time.split(':');
        let mut next = |max: u8| -> Option<u8> {
            match parts.next() {
                None | Some("") => Some(0),
                Some(p) if p.len() == 2 => digits::<u8>(p).filter(|v| *v <= max),
                Some(_) => None,
            }
        };
        let (h, m, sec) = (next(23)?, next(59)?, next(60)?);
        if parts.next().is_some() {
            return None;
        }
        Some(Self::from_civil(d.year, d.month, d.day, h, m, sec))
    }

    pub fn month(self) -> Month {
        let (year, month, _) = civil_from_days(self.0.div_euclid(SECONDS_PER_DAY));
        Month { year, month }
    }

    pub fn date(self) -> Date {
        let (year, month, day) = civil_from_days(self.0.div_euclid(SECONDS_PER_DAY));
        Date { year, month, day }
    }

    pub fn hour_of_day(self) -> u8 {
        (self.0.rem_euclid(SECONDS_PER_DAY) / 3600) as u8
    }

    pub fn minute_of_hour(self) -> u8 {
        (self.0.rem_euclid(SECONDS_PER_HOUR) / 60) as u8
    }

    pub fn plus_seconds(self, seconds: i64) -> Self {
        Timestamp(self.0 + seconds)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.date();
        let secs = self.0.rem_euclid(SECONDS_PER_DAY);
        write!(
            f,
            "{d}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            (secs % 3600) / 60,
            secs % 60
        )
    }
}

impl Month {
    pub fn new(year: i32, month: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u8 {
        self.month
    }

    pub fn start(self) -> Timestamp {
        Timestamp::from_civil(self.year, self.month, 1, 0, 0, 0)
    }

    pub fn end(self) -> Timestamp {
        self.next().start()
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn plus_months(self, n: u32) -> Self {
        self.shift(i64::from(n))
    }

    /// The month `delta` months later (earlier when negative).
    pub fn shift(self, delta: i64) -> Self {
        let index = i64::from(self.year) * 12 + i64::from(self.month - 1) + delta;
        Month {
            year: index.div_euclid(12) as i32,
            month: (index.rem_euclid(12) + 1) as u8,
        }
    }

    pub fn days(self) -> u8 {
        days_in_month(self.year, self.month)
    }

    pub fn hours(self) -> u32 {
        u32::from(self.days()) * 24
    }
}

impl FromStr for Month {
    type Err = MonthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || MonthError {
            input: s.to_owned(),
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year = digits::<i32>(y).ok_or_else(err)?;
        let month = digits::<u8>(m).ok_or_else(err)?;
        Month::new(year, month).ok_or_else(err)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Date {
    fn parse_opt(s: &str) -> Option<Self> {
        let mut it = s.split(['-', '/']);
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let (year, month, day) = (digits::<i32>(y)?, digits::<u8>(m)?, digits::<u8>(d)?);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    pub fn month(self) -> Month {
        Month {
            year: self.year,
            month: self.month,
        }
    }

    pub fn start(self) -> Timestamp {
        Timestamp::from_civil(self.year, self.month, self.day, 0, 0, 0)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse_opt(s.trim()).ok_or_else(|| DateError {
            input: s.to_owned(),
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_aws_timestamp_form() {
        let want = Timestamp::from_civil(2023, 11, 1, 17, 0, 0);
        for s in [
            "2023-11-01T17:00:00.000Z",
            "2023-11-01T17:00:00Z",
            "2023-11-01 17:00:00",
            "2023-11-01 17:00:00.000",
            "2023-11-01T17:00Z",
        ] {
            assert_eq!(Timestamp::parse(s), Ok(want), "{s}");
        }
        assert_eq!(
            Timestamp::parse("2023-11-01"),
            Ok(Timestamp::from_civil(2023, 11, 1, 0, 0, 0))
        );
    }

    #[test]
    fn rejects_bad_timestamps() {
        for s in [
            "",
            "yesterday",
            "2023-13-01T00:00:00Z",
            "2023-02-30",
            "2023-11-01T25:00:00Z",
            "11/01/2023",
        ] {
            assert!(Timestamp::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1000, 0, 1, 19_000, 20_000, 30_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(Timestamp::from_civil(1970, 1, 1, 0, 0, 0).unix(), 0);
        assert_eq!(
            Timestamp::from_civil(2026, 11, 24, 12, 0, 0).to_string(),
            "2026-11-24T12:00:00Z"
        );
    }

    #[test]
    fn months() {
        let m: Month = "2024-02".parse().unwrap();
        assert_eq!(m.hours(), 29 * 24);
        assert_eq!(m.next().to_string(), "2024-03");
        assert_eq!(
            "2025-12".parse::<Month>().unwrap().next().to_string(),
            "2026-01"
        );
        assert_eq!(m.plus_months(12).to_string(), "2025-02");
        assert!("2024-13".parse::<Month>().is_err());
        assert!("24-01".parse::<Month>().is_err());
        assert_eq!((m.end().unix() - m.start().unix()) / 3600, 29 * 24);
    }

    #[test]
    fn shift_crosses_years_both_ways() {
        let m: Month = "2025-01".parse().unwrap();
        assert_eq!(m.shift(-1).to_string(), "2024-12");
        assert_eq!(m.shift(-13).to_string(), "2023-12");
        assert_eq!(m.shift(11).to_string(), "2025-12");
    }

    #[test]
    fn clock_of_a_timestamp() {
        let t = Timestamp::from_civil(2025, 11, 24, 16, 47, 59);
        assert_eq!((t.hour_of_day(), t.minute_of_hour()), (16, 47));
        let before_epoch = Timestamp::from_unix(-60);
        assert_eq!(
            (before_epoch.hour_of_day(), before_epoch.minute_of_hour()),
            (23, 59)
        );
    }
}
