//! What a caller gives [`Ledger::finish`](crate::Ledger::finish) and how it can fail.

use rust_decimal::Decimal;
use thiserror::Error;

use crate::catalog::Plan;
use crate::report::Unknown;
use crate::time::{Date, Month, Timestamp};

/// What the caller knows that the billing data does not say.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub month: Option<Month>,
    pub plan: Option<Plan>,
    pub account_created: Option<Date>,
    /// What the Free Tier API said, to show beside the billing files.
    pub api: Option<crate::api::ApiSnapshot>,
    /// The time the caller runs at: needed only when the API is the sole source.
    pub now: Option<Timestamp>,
    /// What the billing data was read from (each kind once).
    pub sources: Vec<crate::report::DataSource>,
    /// What reading the data could not decide (added to every report).
    pub unknowns: Vec<Unknown>,
    /// Per month, the Cost Explorer groups and periods read.
    pub explorer: std::collections::BTreeMap<Month, crate::report::ExplorerRead>,
}

impl Context {
    /// Whether the free parts were worked out from aggregates (Cost
    /// Explorer's costs and rates), not read from the bill's free-tier rows.
    pub fn worked_out(&self) -> bool {
        self.unknowns
            .iter()
            .any(|u| matches!(u, Unknown::Aggregated { .. }))
    }

    /// Whether the data gives each month's totals only (Cost Explorer's
    /// MONTHLY granularity): no day within the month is known.
    pub fn monthly(&self) -> bool {
        self.unknowns
            .iter()
            .any(|u| matches!(u, Unknown::Aggregated { granularity } if granularity == "MONTHLY"))
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum FinishError {
    #[error("the billing data has no rows")]
    NoData,
    #[error("the billing data has no rows for {month}; it covers {available}")]
    MonthNotFound { month: Month, available: String },
    #[error(
        "internal check failed: charges and credits add up to {sum} but the rows add up to {total}"
    )]
    Unbalanced { sum: Decimal, total: Decimal },
}
