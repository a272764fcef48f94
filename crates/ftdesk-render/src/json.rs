//! The JSON report: a versioned contract, documented in `docs/json-report.md`.
//! Wire structs live here so the core's types can change without breaking it.

use std::collections::BTreeMap;
use std::str::FromStr;

use ftdesk_core::report::{Charge, ChargeContext, OfferUsage, Report};
use ftdesk_core::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::explain;
use crate::l10n::Localizer;

/// Bumped when a field changes meaning or disappears; adding fields keeps it.
/// 2: amounts are `null` when the data holds no charges (`net_cost_reason` says why).
pub const JSON_VERSION: u32 = 2;

/// An exact decimal written as a JSON number.
struct Num(Decimal);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = serde_json::Number::from_str(&self.0.normalize().to_string())
            .map_err(serde::ser::Error::custom)?;
        n.serialize(s)
    }
}

fn ts(t: Option<Timestamp>) -> Option<String> {
    t.map(|t| t.to_string())
}

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    tool: &'static str,
    catalog_version: &'a str,
    language: &'static str,
    account: &'a str,
    accounts: &'a [String],
    month: String,
    month_complete: bool,
    as_of: String,
    currency: &'a str,
    plan: &'static str,
    plan_evidence: String,
    plan_state: Option<WirePlanState<'a>>,
    api_source: Option<&'a str>,
    twelve_months: String,
    rows: u64,
    gross_cost: Option<Num>,
    credits: Option<Num>,
    refunds: Option<Num>,
    tax: Option<Num>,
    net_cost: Option<Num>,
    /// Why the amounts are `null`; `null` when they are known.
    net_cost_reason: Option<String>,
    free_tier_value: Option<Num>,
    cost_by_cause: BTreeMap<&'static str, Num>,
    offers: Vec<WireOffer<'a>>,
    charges: WireCharges<'a>,
    credit_lines: Vec<WireCredit<'a>>,
    unmatched_free: Vec<WireUnmatched<'a>>,
    unknowns: Vec<String>,
    notes: Vec<String>,
    daily: Vec<WireDay>,
}

#[derive(Serialize)]
struct WireOffer<'a> {
    id: &'a str,
    service: &'a str,
    name: String,
    kind: &'static str,
    region: Option<&'a str>,
    unit: &'a str,
    limit: Num,
    used: Num,
    free_on_bill: Num,
    charged_quantity: Num,
    charged_cost: Num,
    remaining: Num,
    percent: Num,
    status: &'static str,
    forecast: Num,
    hourly_rate: Num,
    crossed_at: Option<String>,
    will_cross_at: Option<String>,
    resources: &'a [String],
    accounts: &'a [String],
    in_bill: bool,
    api: Option<WireApi<'a>>,
}

#[derive(Serialize)]
struct WireApi<'a> {
    actual: Num,
    forecast: Num,
    limit: Num,
    unit: &'a str,
    usage_type: &'a str,
    free_tier_type: &'a str,
}

#[derive(Serialize)]
struct WirePlanState<'a> {
    account_id: &'a str,
    plan_type: &'a str,
    status: &'a str,
    remaining_credits: Option<Num>,
    expires: Option<String>,
}

#[derive(Serialize)]
struct WireAction<'a> {
    console: &'a str,
    cli: Option<&'a str>,
    needs_resource_id: bool,
    /// The command that lists the candidates when the data has no resource id.
    #[serde(skip_serializing_if = "Option::is_none")]
    find: Option<&'a str>,
}

#[derive(Serialize)]
struct WireCharge<'a> {
    usage_type: &'a str,
    resource_id: &'a str,
    usage_account: &'a str,
    product_code: &'a str,
    operation: &'a str,
    region: &'a str,
    line_item_type: &'a str,
    description: &'a str,
    quantity: Num,
    unit: &'a str,
    rate: Option<Num>,
    cost: Num,
    cause: &'static str,
    offer: Option<&'a str>,
    /// Counted toward `offer` because the bill made part of the usage type free.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    bill_granted: bool,
    rule: Option<&'a str>,
    explanation: String,
    action: Option<WireAction<'a>>,
    first_hour: String,
    last_hour: String,
    rows: u64,
}

/// The charges, each made into its wire form as it is written.
struct WireCharges<'a> {
    loc: &'a Localizer,
    charges: &'a [Charge],
    currency: &'a str,
}

impl Serialize for WireCharges<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.charges.len()))?;
        crate::parallel::map_in_order(
            self.loc,
            self.charges,
            |loc, c| charge(loc, c, self.currency),
            |wire| seq.serialize_element(&wire),
        )?;
        seq.end()
    }
}

#[derive(Serialize)]
struct WireCredit<'a> {
    line_item_type: &'a str,
    description: &'a str,
    amount: Num,
    free_plan: bool,
}

#[derive(Serialize)]
struct WireUnmatched<'a> {
    product_code: &'a str,
    usage_type: &'a str,
    quantity: Num,
    unit: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct WireDay {
    day: u8,
    by_cause: BTreeMap<&'static str, Num>,
}

/// Over 80 lines: most of it is the JSON contract's top-level object, one
/// field a line, which reads best whole beside the contract.
pub fn write(
    out: &mut dyn std::io::Write,
    loc: &Localizer,
    report: &Report,
) -> Result<(), serde_json::Error> {
    let lang = loc.lang();
    let t = &report.totals;
    let known = |amount: Decimal| report.charges_known.then_some(Num(amount));
    let wire = Wire {
        version: JSON_VERSION,
        tool: concat!("ftdesk ", env!("CARGO_PKG_VERSION")),
        catalog_version: &report.catalog_version,
        language: lang.code(),
        account: &report.payer_account,
        accounts: &report.accounts,
        month: report.month.to_string(),
        month_complete: report.month_complete,
        as_of: report.as_of.to_string(),
        currency: &report.currency,
        plan: report.plan.as_str(),
        plan_evidence: explain::plan(loc, report),
        plan_state: report.plan_state.as_ref().map(|p| WirePlanState {
            account_id: &p.account_id,
            plan_type: &p.plan_type,
            status: &p.status,
            remaining_credits: p.remaining_credits.map(Num),
            expires: ts(p.expires),
        }),
        api_source: report.api_source.as_deref(),
        twelve_months: explain::twelve_months(loc, &report.twelve_months),
        rows: report.rows,
        gross_cost: known(t.gross),
        credits: known(t.credits),
        refunds: known(t.refunds),
        tax: known(t.tax),
        net_cost: known(t.net),
        net_cost_reason: (!report.charges_known).then(|| loc.text("summary-usage-only")),
        free_tier_value: known(t.free_tier_value),
        cost_by_cause: report
            .cost_by_cause()
            .into_iter()
            .map(|(c, v)| (c.as_str(), Num(v)))
            .collect(),
        offers: report.offers.iter().map(|o| offer(loc, o)).collect(),
        charges: WireCharges {
            loc,
            charges: &report.charges,
            currency: &report.currency,
        },
        credit_lines: report
            .credits
            .iter()
            .map(|c| WireCredit {
                line_item_type: &c.line_item_type,
                description: &c.description,
                amount: Num(c.amount),
                free_plan: c.free_plan,
            })
            .collect(),
        unmatched_free: report
            .unmatched_free
            .iter()
            .map(|u| WireUnmatched {
                product_code: &u.product_code,
                usage_type: &u.usage_type,
                quantity: Num(u.quantity),
                unit: &u.unit,
                description: &u.description,
            })
            .collect(),
        unknowns: report
            .unknowns
            .iter()
            .map(|u| explain::unknown(loc, u))
            .collect(),
        notes: report.notes.iter().map(|n| explain::note(loc, n)).collect(),
        daily: report
            .daily
            .iter()
            .map(|(day, by)| WireDay {
                day: *day,
                by_cause: by.iter().map(|(c, v)| (c.as_str(), Num(*v))).collect(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

fn offer<'a>(loc: &Localizer, o: &'a OfferUsage) -> WireOffer<'a> {
    WireOffer {
        id: &o.id,
        service: &o.service,
        name: explain::text(&o.name, loc.lang()).to_owned(),
        kind: o.kind.as_str(),
        region: o.region.as_deref(),
        unit: &o.unit,
        limit: Num(o.limit),
        used: Num(o.used),
        free_on_bill: Num(o.free_on_bill),
        charged_quantity: Num(o.charged_quantity),
        charged_cost: Num(o.charged_cost),
        remaining: Num(o.remaining),
        percent: Num(o.percent),
        status: o.status.as_str(),
        forecast: Num(o.forecast),
        hourly_rate: Num(o.hourly_rate),
        crossed_at: ts(o.crossed_at),
        will_cross_at: ts(o.will_cross_at),
        resources: &o.resources,
        accounts: &o.accounts,
        in_bill: o.in_bill,
        api: o.api.as_ref().map(|a| WireApi {
            actual: Num(a.actual),
            forecast: Num(a.forecast),
            limit: Num(a.limit),
            unit: &a.unit,
            usage_type: &a.usage_type,
            free_tier_type: &a.free_tier_type,
        }),
    }
}

fn charge<'a>(loc: &Localizer, c: &'a Charge, currency: &str) -> WireCharge<'a> {
    let bill_granted = matches!(
        c.context,
        ChargeContext::OverFreeLimit {
            bill_granted: true,
            ..
        }
    );
    let (offer, rule) = match &c.context {
        ChargeContext::OverFreeLimit { offer, .. }
        | ChargeContext::FreeTierExpired { offer, .. }
        | ChargeContext::NotOnPlan { offer, .. } => (Some(offer.as_str()), None),
        ChargeContext::Rule { rule, .. } => (None, Some(rule.as_str())),
        _ => (None, None),
    };
    WireCharge {
        usage_type: &c.usage_type,
        resource_id: &c.resource_id,
        usage_account: &c.usage_account,
        product_code: &c.product_code,
        operation: &c.operation,
        region: &c.region,
        line_item_type: &c.line_item_type,
        description: &c.description,
        quantity: Num(c.quantity),
        unit: &c.unit,
        rate: c.rate.map(Num),
        cost: Num(c.cost),
        cause: c.cause.as_str(),
        offer,
        bill_granted,
        rule,
        explanation: explain::charge(loc, c, currency),
        action: c.action.as_ref().map(|a| WireAction {
            console: explain::text(&a.console, loc.lang()),
            cli: a.cli.as_deref(),
            needs_resource_id: a.needs_resource_id,
            find: a.find.as_deref(),
        }),
        first_hour: c.first_hour.to_string(),
        last_hour: c.last_hour.to_string(),
        rows: c.rows,
    }
}
