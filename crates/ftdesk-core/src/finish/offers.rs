//! Each free-tier offer's usage against its limit, as the bill shows it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::forecast::Forecast;
use crate::catalog::{Offer, OfferKind};
use crate::ledger::{Ledger, MonthLedger, PoolAgg, PoolKey};
use crate::report::{Action, Note, OfferUsage, Status};
use crate::time::{Month, Timestamp};

/// Share of the limit at which an offer is reported as near.
const NEAR_PERCENT: u32 = 80;
impl Ledger<'_> {
    pub(super) fn offer_usages(
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
    pub(super) fn note_bill_granted(
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
        let resources = self.strings.sorted(&pool.resources);
        let accounts = self.strings.sorted(&pool.accounts);
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
}

/// Percent of the limit used, and the status that follows.
pub(super) fn grade(used: Decimal, forecast: Decimal, limit: Decimal) -> (Decimal, Status) {
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

/// An offer's action names no single resource: its pool can span regions and
/// instances, so the command lives on each charge instead.
pub(super) fn console_only(action: &crate::catalog::Action) -> Action {
    Action {
        console: action.console.clone(),
        cli: None,
        needs_resource_id: false,
        find: None,
    }
}
