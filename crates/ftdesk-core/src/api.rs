//! What the AWS Free Tier API says: `GetFreeTierUsage` and `GetAccountPlanState`.
//!
//! Readers (the CLI's JSON output, or the SDK) fill these; the accounting puts
//! the API's figures beside the billing files' per offer and explains gaps.

use rust_decimal::Decimal;

use crate::time::Timestamp;

/// One entry of `GetFreeTierUsage.freeTierUsages`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiUsage {
    pub service: String,
    pub operation: String,
    pub usage_type: String,
    pub region: String,
    /// Month to date.
    pub actual: Decimal,
    /// AWS's forecast for the whole month.
    pub forecast: Decimal,
    pub limit: Decimal,
    pub unit: String,
    pub description: String,
    /// `12 Months Free`, `Always Free` or `Free Trial`.
    pub free_tier_type: String,
}

/// `GetAccountPlanState`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiPlanState {
    pub account_id: String,
    /// `FREE` or `PAID`.
    pub plan_type: String,
    /// `NOT_STARTED`, `ACTIVE` or `EXPIRED`.
    pub status: String,
    pub remaining_credits: Option<Decimal>,
    pub credits_currency: Option<String>,
    pub expires: Option<Timestamp>,
}

/// Everything read from the Free Tier API for one account, and when.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiSnapshot {
    pub usages: Vec<ApiUsage>,
    pub plan_state: Option<ApiPlanState>,
    /// Where it came from, for the report: a file name or `live`.
    pub source: String,
}

impl ApiPlanState {
    pub fn plan(&self) -> Option<crate::Plan> {
        match self.plan_type.as_str() {
            "FREE" => Some(crate::Plan::FreePlan),
            "PAID" => Some(crate::Plan::PaidPlan),
            _ => None,
        }
    }
}
