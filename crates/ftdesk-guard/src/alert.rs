//! One warning, with the id that makes it happen once.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlertKind {
    /// An offer's use crossed one of the user's percentages.
    Threshold,
    /// The month-end forecast passes the allowance.
    Forecast,
    /// The month's net charge is above the floor.
    NetCharge,
    /// A resource that is never free appeared.
    NeverFree,
    /// Free-plan credits fell below the user's amount.
    CreditsLow,
    /// The free plan ends soon.
    PlanEnding,
    /// The 12-month free tier ends soon.
    TwelveMonthsEnding,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Threshold => "threshold",
            AlertKind::Forecast => "forecast",
            AlertKind::NetCharge => "net-charge",
            AlertKind::NeverFree => "never-free",
            AlertKind::CreditsLow => "credits-low",
            AlertKind::PlanEnding => "plan-ending",
            AlertKind::TwelveMonthsEnding => "twelve-months-ending",
        }
    }
}

/// A warning ready to send: the facts that identify it and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// Stable: the same condition in the same month has the same id.
    pub id: String,
    pub kind: AlertKind,
    pub account: String,
    /// Billing month, YYYY-MM.
    pub month: String,
    /// The offer, resource or plan the alert is about.
    pub subject: String,
    /// The threshold, floor or number of days that was crossed.
    pub threshold: String,
    pub lang: String,
    /// What happened, in one line.
    pub title: String,
    /// How much.
    pub amount: String,
    /// By when (the hour a limit is or was crossed, a date something ends).
    pub by_when: Option<String>,
    /// Console path and CLI command, one per line.
    pub action: Vec<String>,
}

impl Alert {
    /// The whole message as plain text: title, amount, when, action.
    pub fn text(&self) -> String {
        let mut lines = vec![self.title.clone(), self.amount.clone()];
        lines.extend(self.by_when.clone());
        lines.extend(self.action.iter().cloned());
        lines.join("\n")
    }
}

/// The hash of what makes a condition the same condition: 32 hex digits.
pub fn alert_id(
    account: &str,
    month: &str,
    kind: AlertKind,
    subject: &str,
    threshold: &str,
) -> String {
    let mut hasher = Sha256::new();
    for part in [account, month, kind.as_str(), subject, threshold] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hex::encode(&hasher.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_tell_conditions_apart() {
        let a = alert_id("111", "2026-11", AlertKind::Threshold, "ec2", "80");
        assert_eq!(
            a,
            alert_id("111", "2026-11", AlertKind::Threshold, "ec2", "80")
        );
        assert_eq!(a.len(), 32);
        assert_ne!(
            a,
            alert_id("111", "2026-11", AlertKind::Threshold, "ec2", "100")
        );
        assert_ne!(
            a,
            alert_id("111", "2026-12", AlertKind::Threshold, "ec2", "80")
        );
        // The separator keeps ("ab","c") and ("a","bc") apart.
        assert_ne!(
            alert_id("1", "m", AlertKind::NeverFree, "ab", "c"),
            alert_id("1", "m", AlertKind::NeverFree, "a", "bc")
        );
    }
}
