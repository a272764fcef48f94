//! The result of the accounting: what every renderer, notifier and reply reads.
//!
//! Plain data, no text: explanations are structured facts that the renderers
//! put into words, in the reader's language.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::catalog::{OfferKind, Plan, Pool, RuleKind, Text};
use crate::time::{Date, Month, Timestamp};

/// Where a report's figures came from, shown beside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataSource {
    /// A legacy Cost and Usage Report.
    Cur,
    /// A Data Export: CUR 2.0 or FOCUS.
    DataExport,
    /// `aws ce get-cost-and-usage` output, saved or asked live.
    CostExplorer,
    /// `aws freetier get-free-tier-usage` output, saved or asked live.
    FreeTierApi,
    /// Lines of the console's Bills page that the customer quoted.
    PastedLines,
}

impl DataSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DataSource::Cur => "cur",
            DataSource::DataExport => "data-export",
            DataSource::CostExplorer => "cost-explorer",
            DataSource::FreeTierApi => "free-tier-api",
            DataSource::PastedLines => "pasted-lines",
        }
    }

    /// The source of [`DataSource::as_str`]'s name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            DataSource::Cur,
            DataSource::DataExport,
            DataSource::CostExplorer,
            DataSource::FreeTierApi,
            DataSource::PastedLines,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// What was read of Cost Explorer data for one month: its groups (each
/// usage type's cost and quantity in one period) and its periods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExplorerRead {
    pub groups: usize,
    pub periods: usize,
}

/// Why a charge exists. A fixed vocabulary, part of the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cause {
    OverFreeLimit,
    FreeTierExpired,
    NotEligible,
    NeverFree,
    Tax,
    Marketplace,
    Support,
    Other,
}

impl Cause {
    pub const ALL: [Cause; 8] = [
        Cause::OverFreeLimit,
        Cause::FreeTierExpired,
        Cause::NotEligible,
        Cause::NeverFree,
        Cause::Tax,
        Cause::Marketplace,
        Cause::Support,
        Cause::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cause::OverFreeLimit => "over-free-limit",
            Cause::FreeTierExpired => "free-tier-expired",
            Cause::NotEligible => "not-eligible",
            Cause::NeverFree => "never-free",
            Cause::Tax => "tax",
            Cause::Marketplace => "marketplace",
            Cause::Support => "support",
            Cause::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Near,
    Exceeded,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Near => "near",
            Status::Exceeded => "exceeded",
        }
    }
}

/// How the account's free-tier model was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanEvidence {
    /// Given on the command line or in the config.
    Given,
    /// From the account creation date.
    CreatedOn(Date),
    /// Credit rows carrying the credit plan's name.
    FreePlanCredits { description: String },
    /// The Free Tier API's `GetAccountPlanState`.
    FreeTierApi { plan_type: String, status: String },
    /// Nothing says otherwise; the legacy model is assumed.
    Assumed,
}

/// Whether the 12-month offers still applied in this month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TwelveMonths {
    NotApplicable,
    /// Within the 12 months, from the creation date.
    ActiveByDate {
        created: Date,
        ends: Month,
    },
    /// Ended, from the creation date.
    ExpiredByDate {
        created: Date,
        ended: Month,
    },
    /// The bill shows free-tier rows for a 12-month offer this month (or,
    /// with `worked_out`, Cost Explorer's costs leave part of its usage free).
    ActiveByBill {
        offer: String,
        worked_out: bool,
    },
    /// Eligible usage was charged from its first hour and no 12-month offer
    /// had a free row (or, with `worked_out`, a free part in Cost Explorer's
    /// costs).
    ExpiredByBill {
        offer: String,
        worked_out: bool,
    },
    /// No 12-month usage at all: nothing to decide.
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfferUsage {
    pub id: String,
    pub service: String,
    pub name: Text,
    pub kind: OfferKind,
    pub pool: Pool,
    /// Region of a per-region pool; `None` for a global pool.
    pub region: Option<String>,
    pub unit: String,
    pub limit: Decimal,
    pub used: Decimal,
    /// What the bill itself shows as free (zero-cost free-tier rows).
    pub free_on_bill: Decimal,
    /// Eligible usage the bill charged for.
    pub charged_quantity: Decimal,
    pub charged_cost: Decimal,
    pub remaining: Decimal,
    /// used / limit × 100, rounded to one decimal.
    pub percent: Decimal,
    pub status: Status,
    /// Month-end usage at the recent run-rate (equals `used` for a closed month).
    pub forecast: Decimal,
    /// Run-rate per hour over the last day of data.
    pub hourly_rate: Decimal,
    /// The hour the limit was crossed, from the hourly timeline.
    pub crossed_at: Option<Timestamp>,
    /// The hour the limit will be crossed at the run-rate, if still ahead.
    pub will_cross_at: Option<Timestamp>,
    /// Distinct resources (instances, volumes, ...) that used the offer.
    pub resources: Vec<String>,
    pub accounts: Vec<String>,
    /// Rows the bill counted as free that our catalogue would not have.
    pub bill_only: bool,
    pub action: Option<Action>,
    /// Whether the billing files have usage for this offer (false: the API alone reported it).
    pub in_bill: bool,
    /// The Free Tier API's own figures for this offer, when it was asked.
    pub api: Option<ApiFigures>,
}

/// `GetFreeTierUsage` figures for one offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFigures {
    pub actual: Decimal,
    pub forecast: Decimal,
    pub limit: Decimal,
    pub unit: String,
    pub usage_type: String,
    pub free_tier_type: String,
}

/// Free usage on the bill that no offer in the catalogue covers.
#[derive(Debug, Clone, PartialEq)]
pub struct UnmatchedFree {
    pub product_code: String,
    pub usage_type: String,
    pub quantity: Decimal,
    pub unit: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub console: Text,
    /// The CLI command with region and resource filled in where known.
    pub cli: Option<String>,
    /// True when the command still has a placeholder because the data had no resource id.
    pub needs_resource_id: bool,
    /// Then, the command that lists the candidates, if the catalogue has one.
    pub find: Option<String>,
}

/// What makes a charge what it is, as facts for the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeContext {
    OverFreeLimit {
        offer: String,
        offer_name: Text,
        limit: Decimal,
        /// Everything the pool used this month, free and charged.
        pool_used: Decimal,
        pool_resources: usize,
        pool_accounts: usize,
        crossed_at: Option<Timestamp>,
        /// The catalogue would not count this usage type toward the offer,
        /// but the bill made part of it free this month.
        bill_granted: bool,
    },
    FreeTierExpired {
        offer: String,
        offer_name: Text,
        evidence: TwelveMonths,
    },
    /// The usage matches an offer that the account's plan does not have.
    NotOnPlan {
        offer: String,
        offer_name: Text,
        plan: Plan,
    },
    Rule {
        rule: String,
        kind: RuleKind,
        name: Text,
        reason: Text,
        instead: Option<Text>,
    },
    Tax {
        tax_type: String,
    },
    Marketplace {
        seller: String,
    },
    /// Fees and discounts of reservations and Savings Plans.
    Commitment {
        line_item_type: String,
    },
    Unrecognised,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Charge {
    pub usage_account: String,
    pub product_code: String,
    pub usage_type: String,
    pub operation: String,
    pub region: String,
    pub resource_id: String,
    pub line_item_type: String,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    /// The rate the bill applied, when it was one rate for every row.
    pub rate: Option<Decimal>,
    pub cost: Decimal,
    pub cause: Cause,
    pub context: ChargeContext,
    pub action: Option<Action>,
    pub first_hour: Timestamp,
    pub last_hour: Timestamp,
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreditLine {
    pub line_item_type: String,
    pub description: String,
    pub amount: Decimal,
    pub free_plan: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Every charge except tax, before credits.
    pub gross: Decimal,
    /// Credits and discounts (negative).
    pub credits: Decimal,
    /// Refunds (negative).
    pub refunds: Decimal,
    pub tax: Decimal,
    /// What the file adds up to: gross + credits + refunds + tax.
    pub net: Decimal,
    /// Public on-demand value of the usage the free tier covered.
    pub free_tier_value: Decimal,
}

/// Something the data cannot decide, and what would decide it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// No creation date: the 12-month state was inferred from the bill.
    TwelveMonthsInferred(TwelveMonths),
    /// The 12 months end in this very month; which rows are before the end is not in the data.
    TwelveMonthsEndInMonth { created: Date },
    /// No creation date and nothing on the bill marks a plan: legacy assumed.
    /// (`worked_out`: the data is Cost Explorer's, which has no rows.)
    PlanAssumed { worked_out: bool },
    /// Credit plan: the remaining credit balance is only in the Free Tier API.
    CreditBalance,
    /// The report has no resource ids, so commands need them filled in.
    NoResourceIds,
    /// The month is still open: figures are month-to-date.
    MonthOpen { as_of: Timestamp },
    /// Usage in a pool per region we could not place.
    UnknownRegion { usage_type: String },
    /// The data gives each usage type's cost and quantity per period (Cost
    /// Explorer): no resource ids, no free-tier rows, limits crossed known
    /// to the period, not the hour. The free part was worked out from rates.
    Aggregated { granularity: String },
    /// Several services bill under this usage type and the data does not
    /// say which: the catalogue's first was assumed.
    ProductAssumed {
        usage_type: String,
        product: String,
        others: Vec<String>,
    },
    /// The data does not give the operation, and the usage type is billed
    /// under several (EC2: the operating system) at their own prices and
    /// allowances: the first was assumed.
    OperationAssumed {
        usage_type: String,
        operation: String,
        others: Vec<String>,
    },
    /// Cost Explorer marks periods of the data as estimated: not yet final,
    /// their figures can still change.
    Estimated { periods: usize },
    /// The data's highest cost per unit is above the catalogue's price: the
    /// split used the data's.
    /// (`operation` is named where the usage type was split at several
    /// operations' rates, as RHEL and SUSE hours are.)
    RateAboveCatalogue {
        usage_type: String,
        operation: Option<String>,
        rate: Decimal,
        catalogue: Decimal,
    },
    /// Periods of the data billed in full cost less per unit than the
    /// catalogue's price: the split used the data's rate (the bill's).
    RateBelowCatalogue {
        usage_type: String,
        operation: Option<String>,
        rate: Decimal,
        catalogue: Decimal,
    },
    /// No catalogue price: the split used the data's own highest cost per unit.
    RateFromData {
        usage_type: String,
        operation: Option<String>,
        rate: Decimal,
    },
    /// The data does not give the operation of a usage type that only a
    /// price of the catalogue names (EC2's `t3.small`, priced for Linux):
    /// the data's rate is that price (`price`, its description), so the
    /// price's operation was taken.
    OperationFromPrice {
        usage_type: String,
        operation: String,
        price: String,
    },
    /// As [`Unknown::OperationFromPrice`], but no rate of the data matches
    /// the price: its operation (Linux) is an assumption.
    OperationAssumedForPrice {
        usage_type: String,
        operation: String,
        price: String,
    },
    /// Usage types at different rates shared one offer's allowance in a
    /// month's totals (MONTHLY data): how the allowance was shared between
    /// them is not decided; each was split at its own rate.
    SharedPoolUndecided {
        offer: String,
        usage_types: Vec<String>,
    },
    /// Periods whose cost per unit fits no single rate (part free, part
    /// billed at two rates): their split at `rate` is not decided.
    MixedRates {
        usage_type: String,
        operation: Option<String>,
        periods: usize,
        rate: Decimal,
    },
    /// The figures are the Bills-page lines the customer quoted: no resource
    /// ids, no hours, no other services than those quoted.
    Pasted { lines: usize },
    /// A quoted line whose usage type its description and region heading do
    /// not give: it is accounted as `other`.
    PastedUsageType { line: usize, description: String },
}

/// Where the bill and the catalogue disagree; the bill wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The bill shows free-tier rows the catalogue would not have granted.
    BillGrantedFree {
        usage_type: String,
        offer: Option<String>,
        quantity: Decimal,
        unit: String,
    },
    /// The bill charged usage while the pool was still under the catalogue's limit.
    ChargedUnderLimit {
        offer: String,
        used: Decimal,
        limit: Decimal,
    },
    /// Several payer accounts or an Organization share one free tier.
    OrganizationShared { accounts: Vec<String> },
    /// The Free Tier API and the billing files give different usage for an offer.
    ApiDiffers {
        offer: String,
        api_actual: Decimal,
        bill_used: Decimal,
        unit: String,
    },
    /// The Free Tier API states another limit than our catalogue; the API's is used.
    ApiLimitDiffers {
        offer: String,
        api_limit: Decimal,
        catalog_limit: Decimal,
        unit: String,
    },
    /// The Free Tier API reports usage for an offer our catalogue does not know.
    ApiUnknownOffer {
        usage_type: String,
        description: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub month: Month,
    pub payer_account: String,
    pub accounts: Vec<String>,
    pub currency: String,
    pub plan: Plan,
    pub plan_evidence: PlanEvidence,
    pub twelve_months: TwelveMonths,
    /// The latest usage hour in the data for this month.
    pub as_of: Timestamp,
    pub month_complete: bool,
    pub offers: Vec<OfferUsage>,
    pub unmatched_free: Vec<UnmatchedFree>,
    pub charges: Vec<Charge>,
    pub credits: Vec<CreditLine>,
    pub totals: Totals,
    /// Day of month (1-based) → cause → cost.
    pub daily: BTreeMap<u8, BTreeMap<Cause, Decimal>>,
    pub unknowns: Vec<Unknown>,
    pub notes: Vec<Note>,
    pub rows: u64,
    pub catalog_version: String,
    /// The account plan as the Free Tier API reported it.
    pub plan_state: Option<crate::api::ApiPlanState>,
    /// Where the Free Tier API figures came from, if any.
    pub api_source: Option<String>,
    /// What the figures were read from: the billing sources (for charges,
    /// totals and the usage the bill shows), then the Free Tier API if asked.
    pub sources: Vec<DataSource>,
    /// Whether the data knows times to the hour; daily or monthly aggregates
    /// (Cost Explorer) know them to the period only.
    pub hourly: bool,
    /// The Cost Explorer groups and periods of the month, when the billing
    /// data is Cost Explorer's (then `rows` are the lines split from them).
    pub explorer: Option<ExplorerRead>,
    /// Whether the data shows charges. The Free Tier API reports usage only:
    /// then `totals`, `charges` and `credits` are empty, not zero.
    pub charges_known: bool,
}

impl Report {
    /// Cost Explorer's groups and periods, where the billing figures are
    /// its alone (no billing file beside it): then its words, not rows.
    pub fn explorer_read(&self) -> Option<ExplorerRead> {
        let files = self
            .sources
            .iter()
            .any(|s| matches!(s, DataSource::Cur | DataSource::DataExport));
        self.explorer.filter(|_| !files)
    }

    pub fn cost_by_cause(&self) -> BTreeMap<Cause, Decimal> {
        let mut by = BTreeMap::new();
        for c in &self.charges {
            *by.entry(c.cause).or_insert(Decimal::ZERO) += c.cost;
        }
        by
    }
}
