//! `check --fail-on`: findings that make the command exit 1, for CI and cron,
//! as ripgrep exits 1 on no match and infracost on a policy failure.

use std::fmt;
use std::str::FromStr;

use ftdesk_core::report::Status;
use ftdesk_core::{Cause, Report};
use rust_decimal::Decimal;

/// A finding that fails the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailOn {
    /// An offer is over its free limit this month.
    Exceeded,
    /// A charge for something that is never free.
    NeverFree,
    /// The net cost is known and above this amount.
    NetOver(Decimal),
}

impl FromStr for FailOn {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.split_once('=') {
            None if text == "exceeded" => Ok(FailOn::Exceeded),
            None if text == "never-free" => Ok(FailOn::NeverFree),
            Some(("net-over", amount)) => amount
                .trim_start_matches('$')
                .parse::<Decimal>()
                .ok()
                .filter(|a| !a.is_sign_negative())
                .map(FailOn::NetOver)
                .ok_or_else(|| {
                    format!("net-over needs an amount such as net-over=5.00, not `{amount}`")
                }),
            _ => Err(format!(
                "`{text}` is not a condition: exceeded, never-free or net-over=AMOUNT"
            )),
        }
    }
}

impl fmt::Display for FailOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailOn::Exceeded => f.write_str("exceeded"),
            FailOn::NeverFree => f.write_str("never-free"),
            FailOn::NetOver(amount) => write!(f, "net-over={amount}"),
        }
    }
}

/// What the conditions found in a report: the findings that fail it, and the
/// conditions the report cannot answer (they never fail it).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub failed: Vec<String>,
    pub unknown: Vec<String>,
}

impl Verdict {
    pub fn fails(&self) -> bool {
        !self.failed.is_empty()
    }
}

/// Checks each condition against the report.
pub fn judge(report: &Report, conditions: &[FailOn]) -> Verdict {
    let mut verdict = Verdict::default();
    for condition in conditions {
        match condition {
            FailOn::Exceeded => verdict.failed.extend(exceeded(report)),
            FailOn::NeverFree => verdict.failed.extend(never_free(report)),
            FailOn::NetOver(limit) if !report.charges_known => verdict.unknown.push(format!(
                "{condition}: this data shows usage, not charges, so the net cost is not known \
                 (give billing data to check it)"
            )),
            // The bill states cents: the net as the report shows it is what is compared.
            FailOn::NetOver(limit) if report.totals.net.round_dp(2) > *limit => {
                verdict.failed.push(format!(
                    "{condition}: the net cost is {} {}, above {limit}",
                    report.totals.net.round_dp(2),
                    report.currency
                ))
            }
            FailOn::NetOver(_) => {}
        }
    }
    verdict
}

fn exceeded(report: &Report) -> impl Iterator<Item = String> + '_ {
    report
        .offers
        .iter()
        .filter(|o| o.status == Status::Exceeded)
        .map(|o| {
            format!(
                "exceeded: {} used {} of its {} {} ({})",
                o.id,
                o.used.normalize(),
                o.limit.normalize(),
                o.unit,
                o.service
            )
        })
}

fn never_free(report: &Report) -> impl Iterator<Item = String> + '_ {
    report
        .charges
        .iter()
        .filter(|c| c.cause == Cause::NeverFree && !c.cost.is_zero())
        .map(|c| {
            format!(
                "never-free: {} {} {} in {}",
                c.usage_type,
                c.cost.round_dp(2),
                report.currency,
                if c.region.is_empty() { "-" } else { &c.region }
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_parse_and_bad_ones_say_what_is_expected() {
        assert_eq!("exceeded".parse(), Ok(FailOn::Exceeded));
        assert_eq!("never-free".parse(), Ok(FailOn::NeverFree));
        assert_eq!(
            "net-over=5.50".parse(),
            Ok(FailOn::NetOver(Decimal::new(550, 2)))
        );
        assert_eq!("net-over=$0".parse(), Ok(FailOn::NetOver(Decimal::ZERO)));
        let bad = "net-over=lots".parse::<FailOn>().unwrap_err();
        assert!(bad.contains("net-over=5.00"), "{bad}");
        assert!("net-over=-1".parse::<FailOn>().is_err());
        let bad = "expensive".parse::<FailOn>().unwrap_err();
        assert!(
            bad.contains("exceeded, never-free or net-over=AMOUNT"),
            "{bad}"
        );
    }
}
