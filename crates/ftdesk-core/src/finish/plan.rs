//! The month's plan, its 12 months of free tier, and the pools the bill shows.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashSet as HashSet;

use super::context::Context;
use crate::catalog::{Catalog, OfferKind, Plan};
use crate::ledger::{MonthLedger, PoolAgg, PoolKey};
use crate::merge::merge_pool;
use crate::report::{PlanEvidence, TwelveMonths};
use crate::time::Month;

pub(super) fn decide_plan(
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

pub(super) fn decide_twelve_months(
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
            worked_out: ctx.worked_out(),
        };
    }
    if let Some((k, _)) = twelve_month_pools
        .iter()
        .find(|(_, p)| p.charged_quantity > Decimal::ZERO)
    {
        return TwelveMonths::ExpiredByBill {
            offer: catalog.offers[k.offer as usize].id.clone(),
            worked_out: ctx.worked_out(),
        };
    }
    TwelveMonths::Unknown
}

/// The usage types of which the bill made part free this month (in any
/// account sharing the free tier), where an offer could pool them.
pub(super) fn granted_usage_types(ml: &MonthLedger, plan_index: u8) -> HashSet<u32> {
    ml.groups
        .iter()
        .filter(|(key, group)| key.free && group.meter.loose[plan_index as usize].is_some())
        .map(|(key, _)| key.usage_type)
        .collect()
}

/// The plan's pools as the bill shows them, in key order: a pool held for a
/// usage type joins its offer's pool when the bill made that usage type
/// partly free, and is left out otherwise.
pub(super) fn bill_pools(
    ml: &MonthLedger,
    plan_index: u8,
    granted: &HashSet<u32>,
) -> Vec<(PoolKey, PoolAgg)> {
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
