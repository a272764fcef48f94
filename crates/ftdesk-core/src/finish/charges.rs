//! The month's charges, each classified by cause: what the bill charged and why.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashSet as HashSet;

use crate::catalog::{Action as CatalogAction, Offer, OfferKind, Plan, Pool, RuleKind};
use crate::ledger::{Group, GroupKey, Ledger, MonthLedger};
use crate::model::LineItemType;
use crate::report::{
    Action, Cause, Charge, ChargeContext, Note, OfferUsage, TwelveMonths, UnmatchedFree,
};
use crate::time::{Date, Month};

/// What every charge of the month is classified against.
pub(super) struct Standing<'r> {
    pub plan: Plan,
    pub plan_index: u8,
    pub month: Month,
    /// Usage types the bill made partly free this month.
    pub granted: &'r HashSet<u32>,
    pub twelve_months: &'r TwelveMonths,
    pub offers: &'r [OfferUsage],
}

/// The month's charges, largest first; the free usage no offer explains; and
/// each day's cost by cause.
pub(super) struct MonthCharges {
    pub charges: Vec<Charge>,
    pub unmatched: Vec<UnmatchedFree>,
    pub daily: BTreeMap<u8, BTreeMap<Cause, Decimal>>,
}

type Classified = (Cause, ChargeContext, Option<Action>);

impl Ledger<'_> {
    pub(super) fn charges(
        &self,
        ml: &MonthLedger,
        standing: &Standing<'_>,
        notes: &mut Vec<Note>,
    ) -> MonthCharges {
        let mut charges = Vec::new();
        let mut unmatched = BTreeMap::<(String, String), UnmatchedFree>::new();
        let mut daily: BTreeMap<u8, BTreeMap<Cause, Decimal>> = BTreeMap::new();
        // In key order, not the hash map's: the report must not depend on
        // how the groups were collected (one ledger or several merged).
        let mut groups: Vec<(&GroupKey, &Group)> = ml.groups.iter().collect();
        groups.sort_unstable_by_key(|(key, _)| **key);
        for (key, group) in groups {
            if key.free {
                self.note_free_group(key, group, standing.plan_index, &mut unmatched, notes);
                continue;
            }
            if group.cost.is_zero() {
                continue;
            }
            let classified = self.classify(key, group, standing);
            add_daily(&mut daily, group, classified.0);
            charges.push(self.charge(key, group, classified));
        }
        charges.sort_by(|a, b| {
            b.cost
                .cmp(&a.cost)
                .then_with(|| a.usage_type.cmp(&b.usage_type))
                .then_with(|| a.resource_id.cmp(&b.resource_id))
                .then_with(|| a.usage_account.cmp(&b.usage_account))
        });
        MonthCharges {
            charges,
            unmatched: unmatched.into_values().collect(),
            daily,
        }
    }

    fn charge(&self, key: &GroupKey, group: &Group, classified: Classified) -> Charge {
        let s = |id: u32| self.strings.get(id).to_owned();
        let (cause, context, action) = classified;
        Charge {
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

    fn classify(&self, key: &GroupKey, group: &Group, standing: &Standing<'_>) -> Classified {
        if let Some(classified) = self.classify_by_line_item(key, group) {
            return classified;
        }
        let meter = group.meter;
        let plan_index = standing.plan_index as usize;
        let strict = meter.strict[plan_index];
        // The bill made part of this usage type free this month: it counts
        // toward the offer whatever the catalogue's region rule says.
        let bill_granted = strict.is_none() && standing.granted.contains(&key.usage_type);
        let pooled = strict.or(meter.loose[plan_index].filter(|_| bill_granted));
        match pooled {
            Some(o) => {
                let offer = &self.catalog.offers[o as usize];
                self.classify_pooled(offer, key, group, bill_granted, standing)
            }
            None => self.classify_by_rule(key, group, standing.plan),
        }
    }

    /// Tax, commitments and Marketplace: known by the line item alone.
    fn classify_by_line_item(&self, key: &GroupKey, group: &Group) -> Option<Classified> {
        match key.kind {
            LineItemType::Tax => {
                let tax_type = self.strings.get(group.tax_type).to_owned();
                return Some((Cause::Tax, ChargeContext::Tax { tax_type }, None));
            }
            LineItemType::Fee
            | LineItemType::RiFee
            | LineItemType::SavingsPlanUpfrontFee
            | LineItemType::SavingsPlanRecurringFee
            | LineItemType::SavingsPlanNegation => {
                let context = ChargeContext::Commitment {
                    line_item_type: key.kind.as_str().to_owned(),
                };
                return Some((Cause::Other, context, None));
            }
            _ => {}
        }
        group.marketplace.then(|| {
            let seller = self.strings.get(group.seller).to_owned();
            (
                Cause::Marketplace,
                ChargeContext::Marketplace { seller },
                None,
            )
        })
    }

    /// Usage an offer's pool covers: over its limit, or past the offer's end.
    fn classify_pooled(
        &self,
        offer: &Offer,
        key: &GroupKey,
        group: &Group,
        bill_granted: bool,
        standing: &Standing<'_>,
    ) -> Classified {
        let region = self.strings.get(group.region);
        let action = Some(fill_action(
            &offer.action,
            region,
            self.strings.get(key.resource),
            self.strings.get(key.usage_type),
        ));
        let pool_region = (offer.pool == Pool::PerRegion).then_some(region);
        let usage = standing.offers.iter().find(|u| {
            u.id == offer.id && u.region.as_deref() == pool_region.or(u.region.as_deref())
        });
        let trial_over = offer.kind == OfferKind::Trial
            && offer
                .effective_until
                .as_deref()
                .and_then(|d| d.parse::<Date>().ok())
                .is_some_and(|d| d.month() < standing.month);
        // An ended 12-month offer has no pool, unless the bill kept it.
        let twelve_months_over = offer.kind == OfferKind::TwelveMonth
            && usage.is_none()
            && matches!(
                standing.twelve_months,
                TwelveMonths::ExpiredByDate { .. } | TwelveMonths::ExpiredByBill { .. }
            );
        if twelve_months_over || trial_over {
            let context = ChargeContext::FreeTierExpired {
                offer: offer.id.clone(),
                offer_name: offer.name.clone(),
                evidence: standing.twelve_months.clone(),
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
        (Cause::OverFreeLimit, context, action)
    }

    /// Usage no pool covers: an offer not on the plan, or the catalogue's rules.
    fn classify_by_rule(&self, key: &GroupKey, group: &Group, plan: Plan) -> Classified {
        let catalog = self.catalog;
        let region = self.strings.get(group.region);
        let resource = self.strings.get(key.resource);
        let product = self.strings.get(key.product);
        let split = catalog.split_usage_type(self.strings.get(key.usage_type));
        let operation = self.strings.get(key.operation);
        let rule = catalog.matching_rule(product, split, operation);
        let never_free = rule.filter(|r| r.kind == RuleKind::NeverFree);
        let not_on_plan = group
            .meter
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
                Some(fill_action(&offer.action, region, resource, split.meter)),
            );
        }
        let Some(rule) = rule else {
            return (Cause::Other, ChargeContext::Unrecognised, None);
        };
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
            Some(fill_action(&rule.action, region, resource, split.meter)),
        )
    }
}

fn add_daily(daily: &mut BTreeMap<u8, BTreeMap<Cause, Decimal>>, group: &Group, cause: Cause) {
    for (day, cost) in group.daily.values().iter().enumerate() {
        if !cost.is_zero() {
            *daily
                .entry(day as u8 + 1)
                .or_default()
                .entry(cause)
                .or_default() += *cost;
        }
    }
}

/// Fills a catalogue action for one resource. `{resource_id}` is the short id
/// (the last part of an ARN: `nat-0abc`, `mydb`); `{resource_arn}` is the id as billed.
/// Without a resource, the command that lists the candidates is filled in
/// with `{instance_type}`, the usage type's last part (`BoxUsage:t2.micro`).
fn fill_action(action: &CatalogAction, region: &str, resource: &str, usage_type: &str) -> Action {
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
        find: action.find.as_ref().filter(|_| needs_resource_id).map(|f| {
            let instance_type = usage_type.rsplit(':').next().unwrap_or(usage_type);
            f.replace("{region}", region)
                .replace("{instance_type}", instance_type)
        }),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_use_the_short_id_of_an_arn() {
        assert_eq!(
            short_resource_id("arn:aws:ec2:ap-northeast-2:1:natgateway/nat-0abc"),
            "nat-0abc"
        );
        assert_eq!(short_resource_id("arn:aws:rds:us-east-1:1:db:mydb"), "mydb");
        assert_eq!(short_resource_id("i-0abc"), "i-0abc");
        let action = CatalogAction {
            console: crate::catalog::Text { en: "x".into(), ko: "x".into() },
            cli: Some("aws elbv2 delete-load-balancer --region {region} --load-balancer-arn {resource_arn}".into()),
            find: Some("aws elbv2 describe-load-balancers --region {region}".into()),
        };
        let arn = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/50dc6c495c0c9188";
        let known = fill_action(&action, "us-east-1", arn, "LoadBalancerUsage");
        assert!(known.cli.unwrap().ends_with(arn));
        assert_eq!(known.find, None, "the resource is known");
        let unknown = fill_action(&action, "", "", "LoadBalancerUsage");
        assert!(unknown.needs_resource_id);
        assert_eq!(
            unknown.find.as_deref(),
            Some("aws elbv2 describe-load-balancers --region us-east-1")
        );
    }
}
