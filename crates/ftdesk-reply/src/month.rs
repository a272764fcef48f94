//! The billing month a customer means: `November 2025`, `Nov`, `2025-11`,
//! `2025년 11월`, `11월`, `last month`, `지난달`.

use ftdesk_core::time::MONTH_NAMES_EN;
use ftdesk_core::Month;

/// A month as the customer named it, before it is placed in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthMention {
    /// With its year.
    Exact(Month),
    /// A month number without a year (1–12).
    Named(u8),
    /// Relative to the month the message was written in: -1 last month, 0 this month.
    Relative(i32),
}

impl MonthMention {
    /// Places the mention in time. `written` is the month of the message's Date;
    /// a month without a year is the latest such month not after `written`.
    pub fn resolve(self, written: Option<Month>) -> Option<Month> {
        match (self, written) {
            (MonthMention::Exact(m), _) => Some(m),
            (MonthMention::Named(n), Some(w)) => {
                let year = if n <= w.number() {
                    w.year()
                } else {
                    w.year() - 1
                };
                Month::new(year, n)
            }
            (MonthMention::Relative(delta), Some(w)) => Some(w.shift(i64::from(delta))),
            (_, None) => None,
        }
    }
}

const LAST_MONTH: [&str; 7] = [
    "last month",
    "previous month",
    "지난달",
    "지난 달",
    "저번 달",
    "저번달",
    "전월",
];
const THIS_MONTH: [&str; 5] = ["this month", "이번 달", "이번달", "당월", "금월"];

/// The most specific month mentioned in `text`: one with a year first, then a
/// named month, then `last month` / `this month`; the earliest of each kind.
pub fn find(text: &str) -> Option<MonthMention> {
    find_exact(text)
        .or_else(|| find_named(text).map(MonthMention::Named))
        .or_else(|| find_relative(text))
}

fn find_exact(text: &str) -> Option<MonthMention> {
    let iso = find_iso(text);
    let english = english_names(text)
        .into_iter()
        .find_map(|(n, end)| year_after(&text[end..]).and_then(|y| Month::new(y, n)));
    let korean = korean_months(text)
        .into_iter()
        .find_map(|(n, start)| korean_year_before(&text[..start]).and_then(|y| Month::new(y, n)));
    iso.or(english).or(korean).map(MonthMention::Exact)
}

fn find_named(text: &str) -> Option<u8> {
    let english = english_names(text).into_iter().next();
    let korean = korean_months(text).into_iter().next();
    match (english, korean) {
        (Some((n, a)), Some((m, b))) => Some(if a <= b { n } else { m }),
        (Some((n, _)), None) | (None, Some((n, _))) => Some(n),
        (None, None) => None,
    }
}

fn find_relative(text: &str) -> Option<MonthMention> {
    let lower = text.to_lowercase();
    let first = |phrases: &[&str]| phrases.iter().filter_map(|p| lower.find(p)).min();
    match (first(&LAST_MONTH), first(&THIS_MONTH)) {
        (Some(a), Some(b)) if b < a => Some(MonthMention::Relative(0)),
        (Some(_), _) => Some(MonthMention::Relative(-1)),
        (None, Some(_)) => Some(MonthMention::Relative(0)),
        (None, None) => None,
    }
}

/// `2025-11` (also the start of `2025-11-24`).
fn find_iso(text: &str) -> Option<Month> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(6)).find_map(|i| {
        let window = &text.get(i..i + 7)?;
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let boundary_after = bytes.get(i + 7).is_none_or(|b| !b.is_ascii_digit());
        if !(boundary_before && boundary_after && window.as_bytes()[4] == b'-') {
            return None;
        }
        window.parse::<Month>().ok().filter(|m| m.year() >= 2000)
    })
}

/// English month names with their end offset. Lower-case `may` and `march`
/// are everyday words, so those two count only when capitalised.
fn english_names(text: &str) -> Vec<(u8, usize)> {
    let mut found = Vec::new();
    for (start, word) in words(text) {
        let lower = word.to_ascii_lowercase();
        let Some(index) = MONTH_NAMES_EN.iter().position(|name| {
            name.eq_ignore_ascii_case(&lower)
                || (lower.len() == 3 && name[..3].eq_ignore_ascii_case(&lower))
        }) else {
            continue;
        };
        if about_sign_up(text, start) {
            continue;
        }
        let capitalised = word.starts_with(|c: char| c.is_ascii_uppercase());
        let needs_capital = matches!(lower.as_str(), "may" | "march" | "mar" | "jan" | "jun");
        if (needs_capital || lower.len() == 3) && !capitalised {
            continue;
        }
        found.push((index as u8 + 1, start + word.len()));
    }
    found
}

/// Words that make a month the account's start, not the bill's.
const SIGN_UP_EN: [&str; 8] = [
    "sign up",
    "signed up",
    "signup",
    "sign-up",
    "created",
    "opened",
    "joined",
    "registered",
];
const SIGN_UP_KO: [&str; 4] = ["가입", "생성", "만들", "개설"];

/// "signed up in March": an English sign-up word earlier in the same sentence.
fn about_sign_up(text: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(60);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..start];
    let sentence = before
        .rsplit(['.', '!', '?', '\n'])
        .next()
        .unwrap_or(before)
        .to_lowercase();
    SIGN_UP_EN.iter().any(|w| sentence.contains(w))
}

/// "3월에 가입했는데": a Korean sign-up word right after the month.
fn about_sign_up_ko(text: &str, end: usize) -> bool {
    let after: String = text[end..].chars().take(6).collect();
    SIGN_UP_KO.iter().any(|w| after.contains(w))
}

fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive(|c: char| !c.is_ascii_alphabetic())
        .scan(0, |offset, piece| {
            let start = *offset;
            *offset += piece.len();
            let word = piece.trim_end_matches(|c: char| !c.is_ascii_alphabetic());
            Some((start, word))
        })
        .filter(|(_, w)| !w.is_empty())
}

/// ` 2025` or `, 2025` right after a month name.
fn year_after(rest: &str) -> Option<i32> {
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    let rest = rest.trim_start_matches([' ', ',']);
    four_digit_year(rest.get(..4)?).filter(|_| !rest[4..].starts_with(|c: char| c.is_ascii_digit()))
}

fn four_digit_year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|y| (2000..=2100).contains(y))
}

/// `11월` with the month number and the byte offset of its digits.
fn korean_months(text: &str) -> Vec<(u8, usize)> {
    let mut found = Vec::new();
    for (i, _) in text.match_indices('월') {
        let before = &text[..i];
        let digits_len = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let start = i - digits_len;
        let glued = text[..start].ends_with(|c: char| c.is_ascii_digit() || c == '.');
        match before[start..].parse::<u8>() {
            Ok(n)
                if (1..=12).contains(&n)
                    && digits_len <= 2
                    && !glued
                    && !about_sign_up_ko(text, i) =>
            {
                found.push((n, start))
            }
            _ => {}
        }
    }
    found
}

/// `2025년 ` right before a Korean month.
fn korean_year_before(before: &str) -> Option<i32> {
    let before = before.trim_end().strip_suffix('년')?;
    four_digit_year(before.get(before.len().checked_sub(4)?..)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(s: &str) -> Month {
        s.parse().unwrap()
    }

    #[test]
    fn english_mentions() {
        assert_eq!(
            find("my November 2025 bill"),
            Some(MonthMention::Exact(month("2025-11")))
        );
        assert_eq!(
            find("the bill for Nov, 2025"),
            Some(MonthMention::Exact(month("2025-11")))
        );
        assert_eq!(find("charged in november"), Some(MonthMention::Named(11)));
        assert_eq!(find("I may have left it on"), None);
        assert_eq!(find("In May I was charged"), Some(MonthMention::Named(5)));
        assert_eq!(
            find("my bill last month was high"),
            Some(MonthMention::Relative(-1))
        );
        assert_eq!(
            find("invoice 2025-10-03"),
            Some(MonthMention::Exact(month("2025-10")))
        );
        assert_eq!(find("usage type APN2-BoxUsage:t2.micro"), None);
    }

    #[test]
    fn korean_mentions() {
        assert_eq!(
            find("2025년 11월 청구서"),
            Some(MonthMention::Exact(month("2025-11")))
        );
        assert_eq!(
            find("11월에 요금이 나왔습니다"),
            Some(MonthMention::Named(11))
        );
        assert_eq!(find("지난달 요금이"), Some(MonthMention::Relative(-1)));
        assert_eq!(find("12개월 무료인 줄 알았는데"), None);
        assert_eq!(find("이번 달 요금"), Some(MonthMention::Relative(0)));
        assert_eq!(
            find("I signed up for the free tier in March. This month's bill shows $19.63."),
            Some(MonthMention::Relative(0))
        );
        assert_eq!(
            find("3월에 가입했는데 11월 요금이 나왔어요"),
            Some(MonthMention::Named(11))
        );
    }

    #[test]
    fn resolving_against_the_date_written() {
        let dec = Some(month("2025-12"));
        let jan = Some(month("2026-01"));
        assert_eq!(MonthMention::Named(11).resolve(dec), Some(month("2025-11")));
        assert_eq!(MonthMention::Named(12).resolve(jan), Some(month("2025-12")));
        assert_eq!(
            MonthMention::Relative(-1).resolve(jan),
            Some(month("2025-12"))
        );
        assert_eq!(
            MonthMention::Relative(0).resolve(dec),
            Some(month("2025-12"))
        );
        assert_eq!(MonthMention::Named(11).resolve(None), None);
        assert_eq!(
            MonthMention::Exact(month("2024-02")).resolve(None),
            Some(month("2024-02"))
        );
    }
}
