//! Turns the aggregated ledger of one billing month into a [`Report`].

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashSet as HashSet;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use thiserror::Error;

use crate::catalog::{Catalog, Offer, OfferKind, Plan, Pool, RuleKind};
use crate::ledger::{Group, GroupKey, Ledger, MonthLedger, PoolAgg, PoolKey, PLANS};
use crate::merge::merge_pool;
use crate::model::LineItemType;
use crate::report::{
    Action, ApiFigures, Cause, Charge, ChargeContext, CreditLine, Note, OfferUsage, PlanEvidence,
    Report, Status, Totals, TwelveMonths, Unknown, UnmatchedFree,
};
use crate::time::{Date, Month, Timestamp, SECONDS_PER_HOUR};

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
    /// What reading the data could not decide (added to every report).
    pub unknowns: Vec<Unknown>,
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

/// Share of the limit at which an offer is reported as near.
const NEAR_PERCENT: u32 = 80;
/// Hours of data the run-rate is taken over.
const RUN_RATE_HOURS: i64 = 24;

impl Ledger<'_> {
    /// One report per payer account for the chosen month (the latest by default).
    pub fn finish(&self, context: &Context) -> Result<Vec<Report>, FinishError> {
        let months = self.months();
        let Some(&latest) = months.last() else {
            return self.api_only_report(context).map(|r| vec![r]);
        };
        let month = context.month.unwrap_or(latest);
        let reports: Vec<Report> = self
            .months
            .iter()
            .filter(|((m, _), _)| *m == month)
            .map(|((_, payer), ml)| self.report(month, self.strings.get(*payer), ml, context))
            .collect::<Result<_, _>>()?;
        if reports.is_empty() {
            let available = months
                .iter()
                .map(|m| m.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(FinishError::MonthNotFound { month, available });
        }
        Ok(reports)
    }

    /// A report from the Free Tier API alone: offers, and charges unknown (the
    /// API reports usage, not charges).
    fn api_only_report(&self, ctx: &Context) -> Result<Report, FinishError> {
        let api = ctx.api.as_ref().ok_or(FinishError::NoData)?;
        let month = ctx
            .month
            .or(ctx.now.map(Timestamp::month))
            .ok_or(FinishError::NoData)?;
        let payer = api
            .plan_state
            .as_ref()
            .map(|p| p.account_id.as_str())
            .filter(|a| !a.is_empty())
            .unwrap_or("unknown");
        let mut report = self.report(month, payer, &MonthLedger::new(), ctx)?;
        report.charges_known = false;
        Ok(report)
    }

    fn report(
        &self,
        month: Month,
        payer: &str,
        ml: &MonthLedger,
        ctx: &Context,
    ) -> Result<Report, FinishError> {
        let catalog = self.catalog;
        let s = |id: u32| self.strings.get(id).to_owned();
        let as_of = match (ml.as_of, ctx.now) {
            (Some(t), _) => t,
            (None, Some(now)) => now.max(month.start()),
            (None, None) => month.start(),
        }
        .min(month.end());
        let (plan, plan_evidence) = decide_plan(catalog, ml, ctx, &self.strings);
        let plan_index = PLANS.iter().position(|p| *p == plan).unwrap_or(0) as u8;
        let granted = granted_usage_types(ml, plan_index);
        let pools = bill_pools(ml, plan_index, &granted);
        let twelve_months = decide_twelve_months(catalog, &pools, plan, month, ctx);
        let mut unknowns = Vec::new();
        let mut notes = Vec::new();

        let expired = matches!(
            twelve_months,
            TwelveMonths::ExpiredByDate { .. } | TwelveMonths::ExpiredByBill { .. }
        );
        self.note_bill_granted(ml, plan_index, expired, &mut notes);
        let mut offers = self.offer_usages(month, &pools, expired, as_of, &mut notes);
        if let Some(api) = &ctx.api {
            merge_api(catalog, &mut offers, api, &mut notes);
        }

        let mut charges = Vec::new();
        let mut unmatched = BTreeMap::<(String, String), UnmatchedFree>::new();
        let mut daily: BTreeMap<u8, BTreeMap<Cause, Decimal>> = BTreeMap::new();
        // In key order, not the hash map's: the report must not depend on
        // how the groups were collected (one ledger or several merged).
        let mut groups: Vec<(&GroupKey, &Group)> = ml.groups.iter().collect();
        groups.sort_unstable_by_key(|(key, _)| **key);
        for (key, group) in groups {
            if key.free {
                self.note_free_group(key, group, plan_index, &mut unmatched, &mut notes);
                continue;
            }
            if group.cost.is_zero() {
                continue;
            }
            let (cause, context, action) = self.classify(
                key,
                group,
                plan,
                plan_index,
                month,
                &granted,
                &twelve_months,
                &offers,
            );
            for (day, cost) in group.daily.iter().enumerate() {
                if !cost.is_zero() {
                    *daily
                        .entry(day as u8 + 1)
                        .or_default()
                        .entry(cause)
                        .or_default() += *cost;
                }
            }
            charges.push(Charge {
                usage_account: s(key.account),
                product_code: s(key.product),
                usage_type: s(key.usage_type),
                operation: s(key.operation),
                region: s(group.region),
                resource_id: s(key.resource),
                line_item_type: key.kind.as_str().to_owned(),
                description: s(group.description),
                quantity: group.quantity,
                unit: s(group.unit),
                rate: if group.mixed_rates { None } else { group.rate },
                cost: group.cost,
                cause,
                context,
                action,
                first_hour: group.first,
                last_hour: group.last,
                rows: group.rows,
            });
        }
        charges.sort_by(|a, b| {
            b.cost
                .cmp(&a.cost)
                .then_with(|| a.usage_type.cmp(&b.usage_type))
                .then_with(|| a.resource_id.cmp(&b.resource_id))
                .then_with(|| a.usage_account.cmp(&b.usage_account))
        });

        let credits: Vec<CreditLine> = ml
            .credits
            .iter()
            .map(|((kind, desc), c)| CreditLine {
                line_item_type: kind.as_str().to_owned(),
                description: s(*desc),
                amount: c.amount,
                free_plan: c.free_plan,
            })
            .collect();
        let totals = totals(&charges, &credits, ml);
        let sum = totals.gross + totals.tax + totals.credits + totals.refunds;
        if sum != ml.total {
            return Err(FinishError::Unbalanced {
                sum,
                total: ml.total,
            });
        }

        let mut accounts: Vec<String> = ml.accounts.iter().map(|a| s(*a)).collect();
        accounts.sort();
        if accounts.len() > 1 {
            notes.push(Note::OrganizationShared {
                accounts: accounts.clone(),
            });
        }
        let month_complete = as_of >= month.end();
        if !month_complete {
            unknowns.push(Unknown::MonthOpen { as_of });
        }
        match &twelve_months {
            TwelveMonths::ActiveByBill { .. } | TwelveMonths::ExpiredByBill { .. } => {
                unknowns.push(Unknown::TwelveMonthsInferred(twelve_months.clone()));
            }
            TwelveMonths::ActiveByDate { created, ends } if *ends == month => {
                unknowns.push(Unknown::TwelveMonthsEndInMonth { created: *created });
            }
            _ => {}
        }
        if plan_evidence == PlanEvidence::Assumed {
            unknowns.push(Unknown::PlanAssumed);
        }
        let plan_state = ctx.api.as_ref().and_then(|a| a.plan_state.clone());
        if plan != Plan::Legacy && plan_state.is_none() {
            unknowns.push(Unknown::CreditBalance);
        }
        let aggregated = ctx
            .unknowns
            .iter()
            .any(|u| matches!(u, Unknown::Aggregated { .. } | Unknown::Pasted { .. }));
        if !aggregated
            && charges
                .iter()
                .any(|c| c.action.as_ref().is_some_and(|a| a.needs_resource_id))
        {
            unknowns.push(Unknown::NoResourceIds);
        }
        unknowns.extend(ctx.unknowns.iter().cloned());

        Ok(Report {
            month,
            payer_account: payer.to_owned(),
            accounts,
            currency: ml.currency.map(s).unwrap_or_else(|| "USD".to_owned()),
            plan,
            plan_evidence,
            twelve_months,
            as_of,
            month_complete,
            offers,
            unmatched_free: unmatched.into_values().collect(),
            charges,
            credits,
            totals,
            daily,
            unknowns,
            notes,
            rows: ml.rows,
            catalog_version: catalog.version.clone(),
            plan_state,
            api_source: ctx.api.as_ref().map(|a| a.source.clone()),
            charges_known: true,
            hourly: !ctx.unknowns.iter().any(
                |u| matches!(u, Unknown::Aggregated { granularity } if granularity != "HOURLY"),
            ),
        })
    }

    fn offer_usages(
        &self,
        month: Month,
        pools: &[(PoolKey, PoolAgg)],
        twelve_months_expired: bool,
        as_of: Timestamp,
        notes: &mut Vec<Note>,
    ) -> Vec<OfferUsage> {
        // Ended 12-month offers are no allowance any more: their usage is all
        // charged, unless the bill still made part of it free.
        let ended = |k: &PoolKey, pool: &PoolAgg| {
            twelve_months_expired
                && self.catalog.offers[k.offer as usize].kind == OfferKind::TwelveMonth
                && pool.free.is_zero()
        };
        let mut offers: Vec<OfferUsage> = pools
            .iter()
            .filter(|(key, pool)| !ended(key, pool))
            .map(|(key, pool)| {
                let offer = &self.catalog.offers[key.offer as usize];
                let usage = self.offer_usage(offer, key, pool, month, as_of);
                if pool.charged_quantity > Decimal::ZERO && usage.used <= usage.limit {
                    notes.push(Note::ChargedUnderLimit {
                        offer: offer.id.clone(),
                        used: usage.used,
                        limit: usage.limit,
                    });
                }
                usage
            })
            .collect();
        offers.sort_by(|a, b| b.percent.cmp(&a.percent).then_with(|| a.id.cmp(&b.id)));
        offers
    }

    /// One note per usage type the bill made free where our catalogue would
    /// not have: outside the offer's region rule, or after the 12 months we
    /// believe have ended. Named as the bill writes it.
    fn note_bill_granted(
        &self,
        ml: &MonthLedger,
        plan_index: u8,
        twelve_months_expired: bool,
        notes: &mut Vec<Note>,
    ) {
        let plan = plan_index as usize;
        let mut granted = BTreeMap::<(u32, u16), Decimal>::new();
        for (key, group) in &ml.groups {
            let meter = group.meter;
            let Some(offer) = meter.loose[plan].filter(|_| key.free) else {
                continue;
            };
            let ended = twelve_months_expired
                && self.catalog.offers[offer as usize].kind == OfferKind::TwelveMonth;
            if meter.strict[plan].is_none() || ended {
                *granted.entry((key.usage_type, offer)).or_default() += group.quantity;
            }
        }
        let mut granted: Vec<_> = granted
            .into_iter()
            .map(|((usage_type, offer), quantity)| (self.strings.get(usage_type), offer, quantity))
            .collect();
        granted.sort();
        for (usage_type, offer, quantity) in granted {
            let offer = &self.catalog.offers[offer as usize];
            notes.push(Note::BillGrantedFree {
                usage_type: usage_type.to_owned(),
                offer: Some(offer.id.clone()),
                quantity,
                unit: offer.unit.clone(),
            });
        }
    }

    fn offer_usage(
        &self,
        offer: &Offer,
        key: &PoolKey,
        pool: &PoolAgg,
        month: Month,
        as_of: Timestamp,
    ) -> OfferUsage {
        let limit = match offer.limit_basis {
            crate::catalog::LimitBasis::Month => offer.limit,
            crate::catalog::LimitBasis::PerHour => offer.limit * Decimal::from(month.hours()),
        };
        let used = pool.free + pool.charged_quantity;
        let forecast = Forecast::new(&pool.timeline(month), month, as_of, used, limit);
        let (percent, status) = grade(used, forecast.total, limit);
        let mut resources: Vec<String> = pool
            .resources
            .iter()
            .map(|r| self.strings.get(*r).to_owned())
            .collect();
        resources.sort();
        let mut accounts: Vec<String> = pool
            .accounts
            .iter()
            .map(|r| self.strings.get(*r).to_owned())
            .collect();
        accounts.sort();
        let region = (key.region != u32::MAX).then(|| self.strings.get(key.region).to_owned());
        OfferUsage {
            id: offer.id.clone(),
            service: offer.service.clone(),
            name: offer.name.clone(),
            kind: offer.kind,
            pool: offer.pool,
            region: region.clone(),
            unit: offer.unit.clone(),
            limit,
            used,
            free_on_bill: pool.free,
            charged_quantity: pool.charged_quantity,
            charged_cost: pool.charged_cost,
            remaining: (limit - used).max(Decimal::ZERO),
            percent,
            status,
            forecast: forecast.total,
            hourly_rate: forecast.rate,
            crossed_at: forecast.crossed_at,
            will_cross_at: forecast.will_cross_at,
            action: Some(console_only(&offer.action)),
            resources,
            accounts,
            bill_only: pool.bill_only > Decimal::ZERO,
            in_bill: true,
            api: None,
        }
    }

    fn note_free_group(
        &self,
        key: &GroupKey,
        group: &Group,
        plan_index: u8,
        unmatched: &mut BTreeMap<(String, String), UnmatchedFree>,
        notes: &mut Vec<Note>,
    ) {
        let meter = group.meter;
        if meter.loose[plan_index as usize].is_some() {
            return;
        }
        let description = self.strings.get(group.description);
        if !self.catalog.is_free_tier_description(description) {
            return; // zero-priced, not free tier (CloudTrail events, $0.0 API calls)
        }
        let usage_type = self.strings.get(key.usage_type).to_owned();
        let product = self.strings.get(key.product).to_owned();
        if let Some(offer) = meter.any {
            let offer = &self.catalog.offers[offer as usize];
            if !notes.iter().any(
                |n| matches!(n, Note::BillGrantedFree { usage_type: u, .. } if *u == usage_type),
            ) {
                notes.push(Note::BillGrantedFree {
                    usage_type: usage_type.clone(),
                    offer: Some(offer.id.clone()),
                    quantity: group.quantity,
                    unit: self.strings.get(group.unit).to_owned(),
                });
            }
        }
        let entry = unmatched
            .entry((product.clone(), usage_type.clone()))
            .or_insert_with(|| UnmatchedFree {
                product_code: product,
                usage_type,
                quantity: Decimal::ZERO,
                unit: self.strings.get(group.unit).to_owned(),
                description: self.strings.get(group.description).to_owned(),
            });
        entry.quantity += group.quantity;
    }

    #[allow(clippy::too_many_arguments)]
    fn classify(
        &self,
        key: &GroupKey,
        group: &Group,
        plan: Plan,
        plan_index: u8,
        month: Month,
        granted: &HashSet<u32>,
        twelve_months: &TwelveMonths,
        offers: &[OfferUsage],
    ) -> (Cause, ChargeContext, Option<Action>) {
        let catalog = self.catalog;
        let region = self.strings.get(group.region);
        let resource = self.strings.get(key.resource);
        match key.kind {
            LineItemType::Tax => {
                let tax_type = self.strings.get(group.tax_type).to_owned();
                return (Cause::Tax, ChargeContext::Tax { tax_type }, None);
            }
            LineItemType::Fee
            | LineItemType::RiFee
            | LineItemType::SavingsPlanUpfrontFee
            | LineItemType::SavingsPlanRecurringFee
            | LineItemType::SavingsPlanNegation => {
                let context = ChargeContext::Commitment {
                    line_item_type: key.kind.as_str().to_owned(),
                };
                return (Cause::Other, context, None);
            }
            _ => {}
        }
        if group.marketplace {
            let seller = self.strings.get(group.seller).to_owned();
            return (
                Cause::Marketplace,
                ChargeContext::Marketplace { seller },
                None,
            );
        }
        let meter = group.meter;
        let product = self.strings.get(key.product);
        let split = catalog.split_usage_type(self.strings.get(key.usage_type));
        let operation = self.strings.get(key.operation);
        let strict = meter.strict[plan_index as usize];
        // The bill made part of this usage type free this month: it counts
        // toward the offer whatever the catalogue's region rule says.
        let bill_granted = strict.is_none() && granted.contains(&key.usage_type);
        let pooled = strict.or(meter.loose[plan_index as usize].filter(|_| bill_granted));
        if let Some(o) = pooled {
            let offer = &catalog.offers[o as usize];
            let action = Some(fill_action(&offer.action, region, resource));
            let pool_region = (offer.pool == Pool::PerRegion).then_some(region);
            let usage = offers.iter().find(|u| {
                u.id == offer.id && u.region.as_deref() == pool_region.or(u.region.as_deref())
            });
            let trial_over = offer.kind == OfferKind::Trial
                && offer
                    .effective_until
                    .as_deref()
                    .and_then(|d| d.parse::<Date>().ok())
                    .is_some_and(|d| d.month() < month);
            // An ended 12-month offer has no pool, unless the bill kept it.
            let twelve_months_over = offer.kind == OfferKind::TwelveMonth
                && usage.is_none()
                && matches!(
                    twelve_months,
                    TwelveMonths::ExpiredByDate { .. } | TwelveMonths::ExpiredByBill { .. }
                );
            if twelve_months_over || trial_over {
                let context = ChargeContext::FreeTierExpired {
                    offer: offer.id.clone(),
                    offer_name: offer.name.clone(),
                    evidence: twelve_months.clone(),
                };
                return (Cause::FreeTierExpired, context, action);
            }
            let context = ChargeContext::OverFreeLimit {
                offer: offer.id.clone(),
                offer_name: offer.name.clone(),
                limit: usage.map_or(offer.limit, |u| u.limit),
                pool_used: usage.map_or(Decimal::ZERO, |u| u.used),
                pool_resources: usage.map_or(0, |u| u.resources.len()),
                pool_accounts: usage.map_or(0, |u| u.accounts.len()),
                crossed_at: usage.and_then(|u| u.crossed_at),
                bill_granted,
            };
            return (Cause::OverFreeLimit, context, action);
        }
        let rule = catalog.matching_rule(product, split, operation);
        let never_free = rule.filter(|r| r.kind == RuleKind::NeverFree);
        let not_on_plan = meter
            .any
            .map(|o| &catalog.offers[o as usize])
            .filter(|o| !o.plans.contains(&plan));
        if let (None, Some(offer)) = (never_free, not_on_plan) {
            let context = ChargeContext::NotOnPlan {
                offer: offer.id.clone(),
                offer_name: offer.name.clone(),
                plan,
            };
            return (
                Cause::NotEligible,
                context,
                Some(fill_action(&offer.action, region, resource)),
            );
        }
        match rule {
            Some(rule) => {
                let cause = match rule.kind {
                    RuleKind::NeverFree => Cause::NeverFree,
                    RuleKind::NotEligible => Cause::NotEligible,
                    RuleKind::Support => Cause::Support,
                };
                let context = ChargeContext::Rule {
                    rule: rule.id.clone(),
                    kind: rule.kind,
                    name: rule.name.clone(),
                    reason: rule.reason.clone(),
                    instead: rule
                        .eligible_instead
                        .as_deref()
                        .and_then(|id| catalog.offer(id))
                        .map(|o| o.name.clone()),
                };
                (
                    cause,
                    context,
                    Some(fill_action(&rule.action, region, resource)),
                )
            }
            None => (Cause::Other, ChargeContext::Unrecognised, None),
        }
    }
}

/// Fills a catalogue action for one resource. `{resource_id}` is the short id
/// (the last part of an ARN: `nat-0abc`, `mydb`); `{resource_arn}` is the id as billed.
fn fill_action(action: &crate::catalog::Action, region: &str, resource: &str) -> Action {
    let region = if region.is_empty() || region == "global" {
        "us-east-1"
    } else {
        region
    };
    let needs_resource_id = action
        .cli
        .as_deref()
        .is_some_and(|c| c.contains("{resource_id}") || c.contains("{resource_arn}"))
        && resource.is_empty();
    let (short, full) = if resource.is_empty() {
        ("<resource-id>", "<resource-arn>")
    } else {
        (short_resource_id(resource), resource)
    };
    Action {
        console: action.console.clone(),
        cli: action.cli.as_ref().map(|c| {
            c.replace("{region}", region)
                .replace("{resource_id}", short)
                .replace("{resource_arn}", full)
        }),
        needs_resource_id,
    }
}

/// `arn:aws:ec2:…:natgateway/nat-0abc` → `nat-0abc`; `arn:aws:rds:…:db:mydb` → `mydb`.
fn short_resource_id(resource: &str) -> &str {
    if !resource.starts_with("arn:") {
        return resource;
    }
    let tail = resource.rsplit_once('/').map_or(resource, |(_, t)| t);
    tail.rsplit_once(':').map_or(tail, |(_, t)| t)
}

/// An offer's action names no single resource: its pool can span regions and
/// instances, so the command lives on each charge instead.
fn console_only(action: &crate::catalog::Action) -> Action {
    Action {
        console: action.console.clone(),
        cli: None,
        needs_resource_id: false,
    }
}

fn totals(charges: &[Charge], credits: &[CreditLine], ml: &MonthLedger) -> Totals {
    let mut t = Totals {
        free_tier_value: ml.free_value.round_dp(10).normalize(),
        ..Totals::default()
    };
    for c in charges {
        if c.cause == Cause::Tax {
            t.tax += c.cost;
        } else {
            t.gross += c.cost;
        }
    }
    for c in credits {
        if c.line_item_type == LineItemType::Refund.as_str() {
            t.refunds += c.amount;
        } else {
            t.credits += c.amount;
        }
    }
    t.net = ml.total;
    t
}

fn decide_plan(
    catalog: &Catalog,
    ml: &MonthLedger,
    ctx: &Context,
    strings: &crate::ledger::Interner,
) -> (Plan, PlanEvidence) {
    let new_plan = || {
        if ml.total > Decimal::ZERO {
            Plan::PaidPlan
        } else {
            Plan::FreePlan
        }
    };
    if let Some(plan) = ctx.plan {
        return (plan, PlanEvidence::Given);
    }
    if let Some(state) = ctx.api.as_ref().and_then(|a| a.plan_state.as_ref()) {
        if let Some(plan) = state.plan() {
            let evidence = PlanEvidence::FreeTierApi {
                plan_type: state.plan_type.clone(),
                status: state.status.clone(),
            };
            return (plan, evidence);
        }
    }
    if let Some(created) = ctx.account_created {
        let plan = if created < catalog.legacy_accounts_before {
            Plan::Legacy
        } else {
            new_plan()
        };
        return (plan, PlanEvidence::CreatedOn(created));
    }
    if let Some(((_, desc), _)) = ml.credits.iter().find(|(_, c)| c.free_plan) {
        let description = strings.get(*desc).to_owned();
        return (new_plan(), PlanEvidence::FreePlanCredits { description });
    }
    (Plan::Legacy, PlanEvidence::Assumed)
}

fn decide_twelve_months(
    catalog: &Catalog,
    pools: &[(PoolKey, PoolAgg)],
    plan: Plan,
    month: Month,
    ctx: &Context,
) -> TwelveMonths {
    if plan != Plan::Legacy {
        return TwelveMonths::NotApplicable;
    }
    if let Some(created) = ctx.account_created {
        let ends = created.month().plus_months(12);
        return if month > ends {
            TwelveMonths::ExpiredByDate {
                created,
                ended: ends,
            }
        } else {
            TwelveMonths::ActiveByDate { created, ends }
        };
    }
    let twelve_month_pools: Vec<&(PoolKey, PoolAgg)> = pools
        .iter()
        .filter(|(k, _)| catalog.offers[k.offer as usize].kind == OfferKind::TwelveMonth)
        .collect();
    if let Some((k, _)) = twelve_month_pools
        .iter()
        .find(|(_, p)| p.free > Decimal::ZERO)
    {
        return TwelveMonths::ActiveByBill {
            offer: catalog.offers[k.offer as usize].id.clone(),
        };
    }
    if let Some((k, _)) = twelve_month_pools
        .iter()
        .find(|(_, p)| p.charged_quantity > Decimal::ZERO)
    {
        return TwelveMonths::ExpiredByBill {
            offer: catalog.offers[k.offer as usize].id.clone(),
        };
    }
    TwelveMonths::Unknown
}

/// The usage types of which the bill made part free this month (in any
/// account sharing the free tier), where an offer could pool them.
fn granted_usage_types(ml: &MonthLedger, plan_index: u8) -> HashSet<u32> {
    ml.groups
        .iter()
        .filter(|(key, group)| key.free && group.meter.loose[plan_index as usize].is_some())
        .map(|(key, _)| key.usage_type)
        .collect()
}

/// The plan's pools as the bill shows them, in key order: a pool held for a
/// usage type joins its offer's pool when the bill made that usage type
/// partly free, and is left out otherwise.
fn bill_pools(ml: &MonthLedger, plan_index: u8, granted: &HashSet<u32>) -> Vec<(PoolKey, PoolAgg)> {
    let mut keys: Vec<&PoolKey> = ml
        .pools
        .keys()
        .filter(|k| k.plan == plan_index)
        .filter(|k| k.held_for == u32::MAX || granted.contains(&k.held_for))
        .collect();
    keys.sort_unstable();
    let mut pools = BTreeMap::<PoolKey, PoolAgg>::new();
    for key in keys {
        let pool = ml.pools[key].clone();
        match pools.entry(key.offer_pool()) {
            Entry::Vacant(entry) => {
                entry.insert(pool);
            }
            Entry::Occupied(entry) => merge_pool(entry.into_mut(), pool),
        }
    }
    pools.into_iter().collect()
}

/// Percent of the limit used, and the status that follows.
fn grade(used: Decimal, forecast: Decimal, limit: Decimal) -> (Decimal, Status) {
    if limit <= Decimal::ZERO {
        return (
            Decimal::ZERO,
            if used > Decimal::ZERO {
                Status::Exceeded
            } else {
                Status::Ok
            },
        );
    }
    let percent = (used * Decimal::ONE_HUNDRED / limit).round_dp(1);
    let status = if used > limit {
        Status::Exceeded
    } else if percent >= Decimal::from(NEAR_PERCENT) || forecast > limit {
        Status::Near
    } else {
        Status::Ok
    };
    (percent, status)
}

/// Usage gaps smaller than this share of the limit are rounding, not news.
const API_TOLERANCE_PERCENT: u32 = 1;

/// Puts the Free Tier API's figures beside the billing files', offer by offer.
/// The API's limit wins over the catalogue's (AWS states it for this account).
fn merge_api(
    catalog: &Catalog,
    offers: &mut Vec<OfferUsage>,
    api: &crate::api::ApiSnapshot,
    notes: &mut Vec<Note>,
) {
    for usage in &api.usages {
        let figures = ApiFigures {
            actual: usage.actual,
            forecast: usage.forecast,
            limit: usage.limit,
            unit: usage.unit.clone(),
            usage_type: usage.usage_type.clone(),
            free_tier_type: usage.free_tier_type.clone(),
        };
        let Some(offer) = catalog.offer_for_api_usage(&usage.service, &usage.usage_type) else {
            notes.push(Note::ApiUnknownOffer {
                usage_type: usage.usage_type.clone(),
                description: usage.description.clone(),
            });
            offers.push(api_only_offer(None, usage, figures));
            continue;
        };
        let region = (offer.pool == Pool::PerRegion).then(|| usage.region.clone());
        match offers
            .iter_mut()
            .find(|o| o.id == offer.id && (region.is_none() || o.region == region))
        {
            Some(existing) => attach_api(existing, figures, notes),
            None => offers.push(api_only_offer(Some(offer), usage, figures)),
        }
    }
    offers.sort_by(|a, b| b.percent.cmp(&a.percent).then_with(|| a.id.cmp(&b.id)));
}

fn attach_api(offer: &mut OfferUsage, figures: ApiFigures, notes: &mut Vec<Note>) {
    if figures.limit > Decimal::ZERO && figures.limit != offer.limit {
        notes.push(Note::ApiLimitDiffers {
            offer: offer.id.clone(),
            api_limit: figures.limit,
            catalog_limit: offer.limit,
            unit: offer.unit.clone(),
        });
        offer.limit = figures.limit;
        offer.remaining = (offer.limit - offer.used).max(Decimal::ZERO);
        (offer.percent, offer.status) = grade(offer.used, offer.forecast, offer.limit);
    }
    let tolerance = offer.limit * Decimal::from(API_TOLERANCE_PERCENT) / Decimal::ONE_HUNDRED;
    if (figures.actual - offer.used).abs() > tolerance {
        notes.push(Note::ApiDiffers {
            offer: offer.id.clone(),
            api_actual: figures.actual,
            bill_used: offer.used,
            unit: offer.unit.clone(),
        });
    }
    offer.api = Some(figures);
}

fn api_only_offer(
    offer: Option<&Offer>,
    usage: &crate::api::ApiUsage,
    figures: ApiFigures,
) -> OfferUsage {
    let (percent, status) = grade(usage.actual, usage.forecast, usage.limit);
    let kind = offer
        .map(|o| o.kind)
        .unwrap_or(match usage.free_tier_type.as_str() {
            "12 Months Free" => OfferKind::TwelveMonth,
            "Always Free" => OfferKind::AlwaysFree,
            _ => OfferKind::Trial,
        });
    let fallback_name = crate::catalog::Text {
        en: usage.description.clone(),
        ko: usage.description.clone(),
    };
    OfferUsage {
        id: offer.map_or_else(|| format!("api:{}", usage.usage_type), |o| o.id.clone()),
        service: offer.map_or_else(|| usage.service.clone(), |o| o.service.clone()),
        name: offer.map_or(fallback_name, |o| o.name.clone()),
        kind,
        pool: offer.map_or(Pool::Global, |o| o.pool),
        region: offer
            .filter(|o| o.pool == Pool::PerRegion)
            .map(|_| usage.region.clone()),
        unit: offer.map_or_else(|| usage.unit.clone(), |o| o.unit.clone()),
        limit: usage.limit,
        used: usage.actual,
        free_on_bill: Decimal::ZERO,
        charged_quantity: Decimal::ZERO,
        charged_cost: Decimal::ZERO,
        remaining: (usage.limit - usage.actual).max(Decimal::ZERO),
        percent,
        status,
        forecast: usage.forecast,
        hourly_rate: Decimal::ZERO,
        crossed_at: None,
        will_cross_at: None,
        resources: Vec::new(),
        accounts: Vec::new(),
        bill_only: false,
        action: offer.map(|o| console_only(&o.action)),
        in_bill: false,
        api: Some(figures),
    }
}

/// Month-end usage from the run-rate of the last day of data.
struct Forecast {
    total: Decimal,
    rate: Decimal,
    crossed_at: Option<Timestamp>,
    will_cross_at: Option<Timestamp>,
}

impl Forecast {
    fn new(
        timeline: &[Decimal],
        month: Month,
        as_of: Timestamp,
        used: Decimal,
        limit: Decimal,
    ) -> Self {
        let base = month.start().unix();
        let hours = timeline.len() as i64;
        let elapsed =
            ((as_of.unix() - base + SECONDS_PER_HOUR - 1) / SECONDS_PER_HOUR).clamp(0, hours);
        let remaining = hours - elapsed;
        let window = RUN_RATE_HOURS.min(elapsed);
        let rate = if window > 0 {
            let recent: Decimal = timeline[(elapsed - window) as usize..elapsed as usize]
                .iter()
                .copied()
                .sum();
            recent / Decimal::from(window)
        } else {
            Decimal::ZERO
        };
        let total = used + rate * Decimal::from(remaining);
        // Rows spanning several hours are spread by division, whose last
        // digit can round up: an excess below this is that rounding.
        let rounding = Decimal::new(1, 12);
        let mut cumulative = Decimal::ZERO;
        let crossed_at = timeline.iter().position(|q| {
            cumulative += *q;
            cumulative - limit > rounding
        });
        let crossed_at =
            crossed_at.map(|h| Timestamp::from_unix(base + h as i64 * SECONDS_PER_HOUR));
        let will_cross_at =
            (crossed_at.is_none() && used <= limit && rate > Decimal::ZERO && total > limit).then(
                || {
                    let hours_left = ((limit - used) / rate).ceil().to_i64().unwrap_or(hours);
                    Timestamp::from_unix(base + (elapsed + hours_left) * SECONDS_PER_HOUR)
                },
            );
        Forecast {
            total: total.round_dp(4).normalize(),
            rate: rate.round_dp(6).normalize(),
            crossed_at,
            will_cross_at,
        }
    }
}

/// Distinct values, sorted: used by renderers for stable output.
pub fn sorted<T: Ord + Clone>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    items
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::LineItem;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    struct Row {
        account: &'static str,
        usage_type: &'static str,
        product: &'static str,
        operation: &'static str,
        resource: &'static str,
        kind: LineItemType,
        hour: i64,
        amount: Decimal,
        rate: Decimal,
        public: Decimal,
        description: &'static str,
    }

    fn item(r: &Row) -> LineItem<'_> {
        let month: Month = "2025-10".parse().unwrap();
        let start = month.start().plus_seconds(r.hour * 3600);
        LineItem {
            payer_account: "111122223333",
            usage_account: r.account,
            billing_period: month,
            start,
            end: start.plus_seconds(3600),
            line_item_type: r.kind,
            product_code: r.product,
            usage_type: r.usage_type,
            operation: r.operation,
            region: "us-east-1",
            resource_id: r.resource,
            usage_amount: r.amount,
            unit: "Hrs",
            rate: Some(r.rate),
            cost: r.amount * r.rate,
            public_rate: Some(r.public),
            description: r.description,
            currency: "USD",
            billing_entity: "AWS",
            legal_entity: "Amazon Web Services, Inc.",
            tax_type: "",
            handles: crate::Handles::NONE,
        }
    }

    /// Two t2.micro instances all October, billed the way AWS does: free until 750 h.
    fn two_instances() -> Vec<Row> {
        let mut rows = Vec::new();
        let mut pool = Decimal::from(750);
        for hour in 0..744 {
            for resource in ["i-aaa", "i-bbb"] {
                let free = pool >= Decimal::ONE;
                if free {
                    pool -= Decimal::ONE;
                }
                rows.push(Row {
                    account: "111122223333",
                    usage_type: "BoxUsage:t2.micro",
                    product: "AmazonEC2",
                    operation: "RunInstances",
                    resource,
                    kind: LineItemType::Usage,
                    hour,
                    amount: Decimal::ONE,
                    rate: if free { Decimal::ZERO } else { dec("0.0116") },
                    public: dec("0.0116"),
                    description: if free {
                        "$0.00 per Linux t2.micro instance-hour (or partial hour) under monthly free tier"
                    } else {
                        "$0.0116 per On Demand Linux t2.micro Instance Hour"
                    },
                });
            }
        }
        rows
    }

    fn report_of(rows: &[Row], ctx: &Context) -> Report {
        let catalog = Catalog::embedded();
        let mut ledger = Ledger::new(&catalog);
        for r in rows {
            ledger.push(&item(r)).unwrap();
        }
        ledger.finish(ctx).unwrap().remove(0)
    }

    #[test]
    fn two_instances_share_one_pool_of_750_hours() {
        let report = report_of(&two_instances(), &Context::default());
        let ec2 = report
            .offers
            .iter()
            .find(|o| o.id == "ec2-micro-linux")
            .unwrap();
        assert_eq!(ec2.used, Decimal::from(1488));
        assert_eq!(ec2.limit, Decimal::from(750));
        assert_eq!(ec2.status, Status::Exceeded);
        assert_eq!(ec2.resources, vec!["i-aaa", "i-bbb"]);
        // 750 free hours are used up after 375 hours of two instances
        assert_eq!(
            ec2.crossed_at,
            Some(
                Month::new(2025, 10)
                    .unwrap()
                    .start()
                    .plus_seconds(375 * 3600)
            )
        );
        assert_eq!(report.totals.net, dec("8.5608"));
        assert!(report.month_complete);
        assert!(report
            .charges
            .iter()
            .all(|c| c.cause == Cause::OverFreeLimit));
        assert_eq!(
            report.twelve_months,
            TwelveMonths::ActiveByBill {
                offer: "ec2-micro-linux".into()
            }
        );
        assert_eq!(
            report.charges.iter().map(|c| c.quantity).sum::<Decimal>(),
            Decimal::from(738)
        );
    }

    /// The creation date says the 12 months ended, but the bill still made
    /// 750 hours free: the bill wins, so the billed hours are over the limit.
    #[test]
    fn free_rows_after_the_believed_end_keep_the_offer() {
        let ctx = Context {
            account_created: Some("2024-06-10".parse().unwrap()),
            ..Context::default()
        };
        let report = report_of(&two_instances(), &ctx);
        assert!(matches!(
            report.twelve_months,
            TwelveMonths::ExpiredByDate { .. }
        ));
        let ec2 = report
            .offers
            .iter()
            .find(|o| o.id == "ec2-micro-linux")
            .expect("the bill keeps the offer");
        assert_eq!(ec2.used, Decimal::from(1488));
        assert!(report
            .charges
            .iter()
            .all(|c| c.cause == Cause::OverFreeLimit));
        assert!(report.notes.iter().any(|n| matches!(
            n,
            Note::BillGrantedFree { usage_type, quantity, .. }
                if usage_type == "BoxUsage:t2.micro" && *quantity == Decimal::from(750)
        )));
    }

    #[test]
    fn without_free_rows_the_twelve_months_are_inferred_over() {
        let rows: Vec<Row> = two_instances()
            .into_iter()
            .map(|mut r| {
                r.rate = dec("0.0116");
                r.description = "$0.0116 per On Demand Linux t2.micro Instance Hour";
                r
            })
            .collect();
        let report = report_of(&rows, &Context::default());
        assert!(report
            .charges
            .iter()
            .all(|c| c.cause == Cause::FreeTierExpired));
        assert!(report
            .unknowns
            .iter()
            .any(|u| matches!(u, Unknown::TwelveMonthsInferred(_))));
        // a creation date decides it instead
        let created: Date = "2025-02-03".parse().unwrap();
        let ctx = Context {
            account_created: Some(created),
            ..Context::default()
        };
        let report = report_of(&rows, &ctx);
        assert!(report
            .charges
            .iter()
            .all(|c| c.cause == Cause::OverFreeLimit));
        assert!(
            report
                .notes
                .iter()
                .any(|n| matches!(n, Note::ChargedUnderLimit { .. }))
                || report.offers[0].used > report.offers[0].limit
        );
    }

    #[test]
    fn open_month_forecasts_the_crossing_hour() {
        // one instance for the first 100 hours of October: 100 used, 24 h/h... 1 h per hour
        let rows: Vec<Row> = two_instances()
            .into_iter()
            .filter(|r| r.resource == "i-aaa" && r.hour < 100)
            .collect();
        let report = report_of(&rows, &Context::default());
        let ec2 = &report.offers[0];
        assert!(!report.month_complete);
        assert_eq!(ec2.used, Decimal::from(100));
        assert_eq!(ec2.hourly_rate, Decimal::ONE);
        assert_eq!(ec2.forecast, Decimal::from(744));
        assert_eq!(ec2.status, Status::Ok);
        assert_eq!(ec2.will_cross_at, None);
        // two instances for 100 hours: 200 used, 2 per hour → crosses 750 at hour 375
        let rows: Vec<Row> = two_instances()
            .into_iter()
            .filter(|r| r.hour < 100)
            .collect();
        let report = report_of(&rows, &Context::default());
        let ec2 = &report.offers[0];
        assert_eq!(ec2.forecast, Decimal::from(200 + 2 * 644));
        assert_eq!(ec2.status, Status::Near);
        assert_eq!(
            ec2.will_cross_at,
            Some(
                Month::new(2025, 10)
                    .unwrap()
                    .start()
                    .plus_seconds(375 * 3600)
            )
        );
    }

    #[test]
    fn never_free_and_unknown_usage_are_reported_not_dropped() {
        let mut rows = vec![Row {
            account: "111122223333",
            usage_type: "NatGateway-Hours",
            product: "AmazonEC2",
            operation: "NatGateway",
            resource: "nat-0abc",
            kind: LineItemType::Usage,
            hour: 0,
            amount: Decimal::from(10),
            rate: dec("0.045"),
            public: dec("0.045"),
            description: "$0.045 per NAT Gateway Hour",
        }];
        rows.push(Row {
            usage_type: "USE1-SomethingNew",
            product: "AmazonShiny",
            operation: "",
            resource: "",
            description: "new",
            ..rows[0]
        });
        let report = report_of(&rows, &Context::default());
        let nat = report
            .charges
            .iter()
            .find(|c| c.usage_type == "NatGateway-Hours")
            .unwrap();
        assert_eq!(nat.cause, Cause::NeverFree);
        assert_eq!(
            nat.action.as_ref().unwrap().cli.as_deref(),
            Some("aws ec2 delete-nat-gateway --region us-east-1 --nat-gateway-id nat-0abc")
        );
        let other = report
            .charges
            .iter()
            .find(|c| c.usage_type == "USE1-SomethingNew")
            .unwrap();
        assert_eq!(other.cause, Cause::Other);
        assert_eq!(report.totals.net, dec("0.90"));
    }

    #[test]
    fn commands_use_the_short_id_of_an_arn() {
        assert_eq!(
            short_resource_id("arn:aws:ec2:ap-northeast-2:1:natgateway/nat-0abc"),
            "nat-0abc"
        );
        assert_eq!(short_resource_id("arn:aws:rds:us-east-1:1:db:mydb"), "mydb");
        assert_eq!(short_resource_id("i-0abc"), "i-0abc");
        let action = crate::catalog::Action {
            console: crate::catalog::Text { en: "x".into(), ko: "x".into() },
            cli: Some("aws elbv2 delete-load-balancer --region {region} --load-balancer-arn {resource_arn}".into()),
        };
        let arn = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/50dc6c495c0c9188";
        assert!(fill_action(&action, "us-east-1", arn)
            .cli
            .unwrap()
            .ends_with(arn));
        assert!(fill_action(&action, "", "").needs_resource_id);
    }

    #[test]
    fn mixed_currencies_are_refused() {
        let catalog = Catalog::embedded();
        let mut ledger = Ledger::new(&catalog);
        let rows = two_instances();
        ledger.push(&item(&rows[0])).unwrap();
        let mut nok = item(&rows[1]);
        nok.currency = "NOK";
        assert!(matches!(
            ledger.push(&nok),
            Err(PushError::MixedCurrency { .. })
        ));
    }

    use crate::ledger::PushError;

    proptest! {
        #[test]
        fn charges_credits_and_refunds_add_up_to_the_rows(
            costs in proptest::collection::vec((0u8..6, -500i64..5000, 0usize..4), 1..60)
        ) {
            let catalog = Catalog::embedded();
            let mut ledger = Ledger::new(&catalog);
            let kinds = [LineItemType::Usage, LineItemType::Tax, LineItemType::Credit, LineItemType::Refund, LineItemType::Fee, LineItemType::Usage];
            let types = ["BoxUsage:t2.micro", "NatGateway-Hours", "USE1-Mystery", "EBS:VolumeUsage.gp3"];
            let mut total = Decimal::ZERO;
            for (i, (kind, cents, ty)) in costs.iter().enumerate() {
                let row = Row {
                    account: "111122223333", usage_type: types[*ty], product: "AmazonEC2", operation: "RunInstances",
                    resource: "", kind: kinds[*kind as usize], hour: i as i64 % 744, amount: Decimal::ONE,
                    rate: Decimal::new(*cents, 4), public: Decimal::ZERO, description: "x",
                };
                let it = item(&row);
                total += it.cost;
                ledger.push(&it).unwrap();
            }
            let report = ledger.finish(&Context::default()).unwrap().remove(0);
            let charges: Decimal = report.charges.iter().map(|c| c.cost).sum();
            prop_assert_eq!(charges + report.totals.credits + report.totals.refunds, total);
            prop_assert_eq!(report.totals.net, total);
        }
    }
}
