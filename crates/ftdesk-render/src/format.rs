//! Numbers, money and quantities as a reader expects them (dates: [`crate::dates`]).

pub use crate::dates::{day, moment, month, timestamp};

use rust_decimal::{Decimal, RoundingStrategy};

use crate::l10n::{Arg, Localizer};

/// Rounds an estimate for display: whole numbers from 100 up, three decimals below.
pub fn display_round(d: Decimal) -> Decimal {
    let dp = if d.abs() >= Decimal::ONE_HUNDRED {
        0
    } else {
        3
    };
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// `1488` → `1,488`; at most `max_dp` decimals, trailing zeros dropped.
pub fn number(d: Decimal, max_dp: u32) -> String {
    let rounded = d
        .round_dp_with_strategy(max_dp, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let text = rounded.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + 4);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.push('-');
    }
    out.push_str(&group_thousands(int));
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

fn group_thousands(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A quantity with as many decimals as it needs to be honest, but no more.
pub fn quantity_number(d: Decimal) -> String {
    let abs = d.abs();
    let dp = if abs.is_zero() || abs >= Decimal::new(1, 3) {
        3
    } else {
        8
    };
    number(d, dp)
}

fn currency_prefix(currency: &str) -> String {
    match currency {
        "USD" | "" => "$".to_owned(),
        other => format!("{other} "),
    }
}

/// `$8.56`, `-$5.00`, `NOK 12.30`: rounded to the cent, half away from zero.
pub fn money(d: Decimal, currency: &str) -> String {
    let cents = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let sign = if cents.is_sign_negative() && !cents.is_zero() {
        "-"
    } else {
        ""
    };
    let mut digits = number(cents.abs(), 2);
    match digits.split_once('.') {
        None => digits.push_str(".00"),
        Some((_, frac)) if frac.len() == 1 => digits.push('0'),
        Some(_) => {}
    }
    format!("{sign}{}{digits}", currency_prefix(currency))
}

/// A unit price as the bill shows it: `$0.0116`, `$0.000005`.
pub fn rate(d: Decimal, currency: &str) -> String {
    let mut digits = number(d.abs(), 10);
    match digits.split_once('.') {
        None => digits.push_str(".00"),
        Some((_, frac)) if frac.len() == 1 => digits.push('0'),
        Some(_) => {}
    }
    let sign = if d.is_sign_negative() && !d.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}{digits}", currency_prefix(currency))
}

pub fn percent(d: Decimal) -> String {
    format!("{}%", number(d, 1))
}

fn unit_message(unit: &str) -> &'static str {
    match unit {
        "Hrs" | "Hours" | "hours" | "Hour" | "Hrs." => "unit-hours",
        "GB-Mo" | "GB-Month" | "GB-month" => "unit-gb-months",
        "GB" => "unit-gb",
        "Requests" | "Request" | "API Requests" | "Requests-Tier1" => "unit-requests",
        "Second" | "Seconds" | "GB-Second" | "Lambda-GB-Second" => "unit-gb-seconds",
        "Keys" => "unit-keys",
        "Secrets" => "unit-secrets",
        "Metrics" => "unit-metrics",
        "Alarms" => "unit-alarms",
        "Dashboards" => "unit-dashboards",
        "Obj-Month" => "unit-objects",
        "WriteCapacityUnit-Hrs" | "ReadCapacityUnit-Hrs" => "unit-capacity-hours",
        "vCPU-Hours" => "unit-vcpu-hours",
        "HostedZone" => "unit-zones",
        _ => "unit-other",
    }
}

/// `1,488 hours`, `20 GB-months`, `1,488시간`.
pub fn quantity(loc: &Localizer, d: Decimal, unit: &str) -> String {
    let n = quantity_number(d);
    let count = if d == Decimal::ONE { 1.0 } else { 2.0 };
    loc.get(
        unit_message(unit),
        &[
            ("n", Arg::Str(&n)),
            ("count", Arg::Num(count)),
            ("unit", Arg::Str(unit)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn numbers_and_money() {
        assert_eq!(number(dec("1488"), 3), "1,488");
        assert_eq!(number(dec("1234567.891"), 2), "1,234,567.89");
        assert_eq!(number(dec("-1000"), 0), "-1,000");
        assert_eq!(money(dec("8.5608"), "USD"), "$8.56");
        assert_eq!(money(dec("-5"), "USD"), "-$5.00");
        assert_eq!(money(dec("0.005"), "USD"), "$0.01");
        assert_eq!(money(dec("-0.001"), "USD"), "$0.00");
        assert_eq!(money(dec("1234.5"), "NOK"), "NOK 1,234.50");
        assert_eq!(rate(dec("0.0116"), "USD"), "$0.0116");
        assert_eq!(rate(dec("0.000005"), "USD"), "$0.000005");
        assert_eq!(rate(dec("1"), "USD"), "$1.00");
        assert_eq!(quantity_number(dec("0.0092305501")), "0.009");
        assert_eq!(quantity_number(dec("0.0000004")), "0.0000004");
    }
}
