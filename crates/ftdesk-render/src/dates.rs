//! Dates and times as a reader sees them, in English or Korean. The civil
//! conversion itself is `ftdesk_core::time`'s; this module only writes.

use ftdesk_core::time::MONTH_NAMES_EN;
use ftdesk_core::{Month, Timestamp};

use crate::Lang;

fn month_name(number: u8) -> &'static str {
    MONTH_NAMES_EN[usize::from(number - 1)]
}

fn short_month_name(number: u8) -> &'static str {
    &month_name(number)[..3]
}

/// `October 2026` / `2026년 10월`.
pub fn month(m: Month, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} {}", month_name(m.number()), m.year()),
        Lang::Ko => format!("{}년 {}월", m.year(), m.number()),
    }
}

/// `Oct 16, 06:00 UTC` / `10월 16일 06:00(UTC)`.
pub fn timestamp(t: Timestamp, lang: Lang) -> String {
    let d = t.date();
    let (h, m) = (t.hour_of_day(), t.minute_of_hour());
    match lang {
        Lang::En => format!("{} {}, {h:02}:{m:02} UTC", short_month_name(d.month), d.day),
        Lang::Ko => format!("{}월 {}일 {h:02}:{m:02}(UTC)", d.month, d.day),
    }
}

/// `Oct 16` / `10월 16일`: a time known only to the day.
pub fn day(t: Timestamp, lang: Lang) -> String {
    let d = t.date();
    match lang {
        Lang::En => format!("{} {}", short_month_name(d.month), d.day),
        Lang::Ko => format!("{}월 {}일", d.month, d.day),
    }
}

/// A time as precisely as the data knows it: to the hour ([`timestamp`]),
/// or to the day where the data is daily or monthly aggregates.
pub fn moment(t: Timestamp, lang: Lang, hourly: bool) -> String {
    if hourly {
        timestamp(t, lang)
    } else {
        day(t, lang)
    }
}

/// `2025-11-24 16:00 UTC` for a Unix time: the desk's log and list times.
pub fn utc(unix_seconds: i64) -> String {
    format!("{} UTC", date_and_clock(Timestamp::from_unix(unix_seconds)))
}

/// A Unix time on the viewer's wall clock, `2025-11-25 01:00 UTC+09:00`, when
/// their fixed offset from UTC (in minutes, east positive) is known; else [`utc`].
pub fn in_zone(unix_seconds: i64, offset_minutes: Option<i32>) -> String {
    match offset_minutes {
        None | Some(0) => utc(unix_seconds),
        Some(offset) => {
            let local = Timestamp::from_unix(unix_seconds + i64::from(offset) * 60);
            let sign = if offset < 0 { '-' } else { '+' };
            let (h, m) = (offset.unsigned_abs() / 60, offset.unsigned_abs() % 60);
            format!("{} UTC{sign}{h:02}:{m:02}", date_and_clock(local))
        }
    }
}

fn date_and_clock(t: Timestamp) -> String {
    format!(
        "{} {:02}:{:02}",
        t.date(),
        t.hour_of_day(),
        t.minute_of_hour()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_languages() {
        let t = Timestamp::from_civil(2026, 10, 16, 6, 0, 0);
        assert_eq!(timestamp(t, Lang::En), "Oct 16, 06:00 UTC");
        assert_eq!(timestamp(t, Lang::Ko), "10월 16일 06:00(UTC)");
        assert_eq!(day(t, Lang::En), "Oct 16");
        assert_eq!(month("2026-10".parse().unwrap(), Lang::Ko), "2026년 10월");
        assert_eq!(month("2026-05".parse().unwrap(), Lang::En), "May 2026");
    }

    #[test]
    fn utc_for_unix_times() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(1_764_000_000), "2025-11-24 16:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
    }

    #[test]
    fn in_zone_moves_the_wall_clock_across_midnight() {
        let t = 1_764_000_000; // 2025-11-24 16:00 UTC
        assert_eq!(in_zone(t, Some(540)), "2025-11-25 01:00 UTC+09:00");
        assert_eq!(in_zone(t, Some(-330)), "2025-11-24 10:30 UTC-05:30");
        assert_eq!(in_zone(t, Some(0)), utc(t));
        assert_eq!(in_zone(t, None), utc(t));
    }
}
