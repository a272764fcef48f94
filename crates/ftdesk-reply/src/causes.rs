//! "Where the charges come from": the charges grouped by offer (or by usage
//! type where no offer applies), each group with its subtotal, quantities and
//! cause, then its resources with their amounts.

use ftdesk_core::report::{Charge, ChargeContext, TwelveMonths};
use ftdesk_render::{dates, explain, format};
use rust_decimal::Decimal;

use crate::ctx::{cause_key, cents, what, Ctx};
use crate::document::Item;

/// Charges billed for one reason: one offer's pool, or one usage type under one rule.
#[derive(Debug)]
pub(crate) struct Group<'a> {
    pub charges: Vec<&'a Charge>,
}

impl<'a> Group<'a> {
    fn first(&self) -> &'a Charge {
        self.charges[0]
    }

    /// The sum of the amounts the reply shows for its charges (each to the
    /// cent), so the reader can add the lines up to the subtotal exactly.
    pub fn subtotal(&self) -> Decimal {
        self.charges.iter().map(|c| cents(c.cost)).sum()
    }

    /// The exact sum, before any rounding.
    pub fn exact(&self) -> Decimal {
        self.charges.iter().map(|c| c.cost).sum()
    }
}

/// The offer a charge is accounted against, when one applies.
fn offer_of(context: &ChargeContext) -> Option<&str> {
    match context {
        ChargeContext::OverFreeLimit { offer, .. }
        | ChargeContext::FreeTierExpired { offer, .. }
        | ChargeContext::NotOnPlan { offer, .. } => Some(offer),
        _ => None,
    }
}

/// Same cause and same facts (one offer's pool); without an offer, also the same usage type.
fn same_group(a: &Charge, b: &Charge) -> bool {
    a.cause == b.cause
        && a.context == b.context
        && (offer_of(&a.context).is_some() || a.usage_type == b.usage_type)
}

/// Groups `charges` (kept in their order inside a group), largest subtotal first.
pub(crate) fn group<'a>(charges: impl IntoIterator<Item = &'a Charge>) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    for charge in charges {
        match groups.iter_mut().find(|g| same_group(g.first(), charge)) {
            Some(g) => g.charges.push(charge),
            None => groups.push(Group {
                charges: vec![charge],
            }),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.subtotal()));
    groups
}

/// The section's items: one per group, its resources under it.
pub(crate) fn items(ctx: &Ctx<'_>) -> Vec<Item> {
    group(ctx.major_charges())
        .iter()
        .enumerate()
        .map(|(i, g)| group_item(ctx, i + 1, g))
        .collect()
}

fn group_item(ctx: &Ctx<'_>, n: usize, group: &Group<'_>) -> Item {
    Item {
        lead: lead(ctx, n, group),
        details: vec![cause(ctx, group) + &rounding(ctx, group)],
        children: group
            .charges
            .iter()
            .map(|c| resource_item(ctx, c))
            .collect(),
    }
}

fn title(ctx: &Ctx<'_>, charge: &Charge) -> String {
    let lang = ctx.t.lang();
    let usage_type = if charge.usage_type.is_empty() {
        &charge.product_code
    } else {
        &charge.usage_type
    };
    match &charge.context {
        ChargeContext::OverFreeLimit { offer_name, .. }
        | ChargeContext::FreeTierExpired { offer_name, .. }
        | ChargeContext::NotOnPlan { offer_name, .. } => ctx.t.get(
            "group-title-offer",
            &[("offer", explain::text(offer_name, lang))],
        ),
        ChargeContext::Rule { name, .. } => ctx.t.get(
            "group-title-rule",
            &[
                ("rule", explain::text(name, lang)),
                ("usage_type", usage_type),
            ],
        ),
        _ => usage_type.to_owned(),
    }
}

/// `1. EC2 ... hours: 1,488 hours used, 738 hours over the free allowance of 750 hours: $8.56`.
fn lead(ctx: &Ctx<'_>, n: usize, group: &Group<'_>) -> String {
    let first = group.first();
    let n = n.to_string();
    let title = title(ctx, first);
    let subtotal = ctx.money(group.subtotal());
    if let ChargeContext::OverFreeLimit {
        limit, pool_used, ..
    } = &first.context
    {
        let quantity = |d: Decimal| format::quantity(&ctx.loc, d, &first.unit);
        let over = (*pool_used - *limit).max(Decimal::ZERO);
        return ctx.t.get(
            "group-lead-allowance",
            &[
                ("n", &n),
                ("title", &title),
                ("used", &quantity(*pool_used)),
                ("over", &quantity(over)),
                ("limit", &quantity(*limit)),
                ("cost", &subtotal),
            ],
        );
    }
    ctx.t.get(
        "group-lead",
        &[("n", &n), ("title", &title), ("cost", &subtotal)],
    )
}

/// When the shown amounts add up to a cent more or less than the exact sum
/// rounds to (elsewhere in the reply), says why.
fn rounding(ctx: &Ctx<'_>, group: &Group<'_>) -> String {
    let exact = group.exact();
    if cents(exact) == group.subtotal() {
        return String::new();
    }
    let sentence = ctx.t.get(
        "group-rounding",
        &[
            ("exact", &format::rate(exact, &ctx.report.currency)),
            ("rounded", &ctx.money(exact)),
        ],
    );
    format!(" {sentence}")
}

/// Why the group is billed, in the reply's words and without any one line's figures.
fn cause(ctx: &Ctx<'_>, group: &Group<'_>) -> String {
    let first = group.first();
    let lang = ctx.t.lang();
    match &first.context {
        ChargeContext::OverFreeLimit {
            limit,
            pool_resources,
            pool_accounts,
            crossed_at,
            ..
        } => {
            let id = if *pool_accounts > 1 {
                "group-over-limit-organization"
            } else {
                "group-over-limit"
            };
            let limit = format::quantity(&ctx.loc, *limit, &first.unit);
            let mut s = ctx.t.get_counted(id, *pool_resources, &[("limit", &limit)]);
            if let Some(t) = crossed_at {
                s.push(' ');
                s.push_str(&ctx.t.get("cause-crossed", &[("when", &ctx.when(*t))]));
            }
            s
        }
        ChargeContext::FreeTierExpired {
            offer_name,
            evidence,
            ..
        } => ctx.t.get(
            "group-expired",
            &[
                ("offer", explain::text(offer_name, lang)),
                ("evidence", &expired_evidence(ctx, evidence)),
            ],
        ),
        ChargeContext::NotOnPlan {
            offer_name, plan, ..
        } => {
            let plan = ctx.loc.text(&format!("plan-{}", plan.as_str()));
            let plan = plan.split(':').next().unwrap_or(&plan);
            ctx.t.get(
                "group-not-on-plan",
                &[("offer", explain::text(offer_name, lang)), ("plan", plan)],
            )
        }
        ChargeContext::Rule {
            reason,
            instead: Some(instead),
            ..
        } => ctx.t.get(
            "group-rule-instead",
            &[
                ("reason", explain::text(reason, lang)),
                ("instead", explain::text(instead, lang)),
            ],
        ),
        ChargeContext::Rule { reason, .. } => ctx
            .t
            .get("group-rule", &[("reason", explain::text(reason, lang))]),
        ChargeContext::Marketplace { seller } => {
            ctx.t.get("group-marketplace", &[("seller", seller)])
        }
        _ => {
            let cause = ctx.t.text(&format!("cause-all-{}", cause_key(first.cause)));
            ctx.t.get("group-other", &[("cause", &cause)])
        }
    }
}

fn expired_evidence(ctx: &Ctx<'_>, evidence: &TwelveMonths) -> String {
    match evidence {
        TwelveMonths::ExpiredByDate { created, ended } => ctx.loc.get(
            "expired-evidence-date",
            &[
                ("created", (&created.to_string()).into()),
                ("ended", (&dates::month(*ended, ctx.t.lang())).into()),
            ],
        ),
        _ => ctx.loc.text(explain::expired_evidence_key(evidence)),
    }
}

/// `$4.28: BoxUsage:t2.micro (i-..., us-east-1)`, then its line and billing period.
fn resource_item(ctx: &Ctx<'_>, charge: &Charge) -> Item {
    let lead = ctx.t.get(
        "group-resource",
        &[
            ("cost", &ctx.money(charge.cost)),
            ("what", &what(ctx, charge)),
        ],
    );
    let detail = ctx.t.get(
        "group-resource-line",
        &[
            (
                "line",
                &explain::line(&ctx.loc, charge, &ctx.report.currency),
            ),
            ("first", &ctx.when(charge.first_hour)),
            ("last", &ctx.when(charge.last_hour)),
        ],
    );
    Item {
        lead,
        details: vec![detail],
        children: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use ftdesk_core::catalog::Text;
    use ftdesk_core::report::{PlanEvidence, Totals};
    use ftdesk_core::{Cause, Plan, Report, Timestamp};
    use ftdesk_render::Lang;

    use super::*;
    use crate::{compose, Inquiry, Templates};

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn text(en: &str, ko: &str) -> Text {
        Text {
            en: en.into(),
            ko: ko.into(),
        }
    }

    fn pool(offer: &str, name: Text, limit: &str, used: &str, resources: usize) -> ChargeContext {
        ChargeContext::OverFreeLimit {
            offer: offer.into(),
            offer_name: name,
            limit: dec(limit),
            pool_used: dec(used),
            pool_resources: resources,
            pool_accounts: 1,
            crossed_at: Some(Timestamp::parse("2025-10-16T15:00:00Z").unwrap()),
            bill_granted: false,
        }
    }

    fn ec2_pool() -> ChargeContext {
        pool(
            "ec2-hours",
            text(
                "EC2 t2.micro / t3.micro Linux hours",
                "EC2 t2.micro / t3.micro Linux 사용 시간",
            ),
            "750",
            "1488",
            2,
        )
    }

    fn charge(usage_type: &str, resource: &str, cost: &str, context: ChargeContext) -> Charge {
        let cause = match context {
            ChargeContext::OverFreeLimit { .. } => Cause::OverFreeLimit,
            _ => Cause::NeverFree,
        };
        Charge {
            usage_account: "111122223333".into(),
            product_code: "AmazonEC2".into(),
            usage_type: usage_type.into(),
            operation: "RunInstances".into(),
            region: "us-east-1".into(),
            resource_id: resource.into(),
            line_item_type: "Usage".into(),
            description: String::new(),
            quantity: dec("369"),
            unit: "Hrs".into(),
            rate: Some(dec("0.0116")),
            cost: dec(cost),
            cause,
            context,
            action: None,
            first_hour: Timestamp::parse("2025-10-16T15:00:00Z").unwrap(),
            last_hour: Timestamp::parse("2025-11-01T00:00:00Z").unwrap(),
            rows: 369,
        }
    }

    fn nat(usage_type: &str, cost: &str) -> Charge {
        charge(
            usage_type,
            "nat-1",
            cost,
            ChargeContext::Rule {
                rule: "nat-gateway".into(),
                kind: ftdesk_core::catalog::RuleKind::NeverFree,
                name: text("NAT gateway", "NAT 게이트웨이"),
                reason: text(
                    "NAT gateways have no free tier.",
                    "NAT 게이트웨이는 프리 티어가 없습니다.",
                ),
                instead: None,
            },
        )
    }

    fn report(charges: Vec<Charge>) -> Report {
        let gross: Decimal = charges.iter().map(|c| c.cost).sum();
        Report {
            month: "2025-10".parse().unwrap(),
            payer_account: "111122223333".into(),
            accounts: vec!["111122223333".into()],
            currency: "USD".into(),
            plan: Plan::Legacy,
            plan_evidence: PlanEvidence::Assumed,
            twelve_months: TwelveMonths::Unknown,
            as_of: Timestamp::parse("2025-11-01T00:00:00Z").unwrap(),
            month_complete: true,
            offers: Vec::new(),
            unmatched_free: Vec::new(),
            charges,
            credits: Vec::new(),
            totals: Totals {
                gross,
                net: gross,
                ..Totals::default()
            },
            daily: Default::default(),
            unknowns: Vec::new(),
            notes: Vec::new(),
            rows: 738,
            catalog_version: "test".into(),
            plan_state: None,
            api_source: None,
            sources: Vec::new(),
            charges_known: true,
            explorer: None,
            hourly: true,
        }
    }

    fn reply(report: &Report, lang: Lang) -> String {
        let inquiry = Inquiry::from_text("Why was I charged?\n\nThanks,\nJane Doe".into());
        compose(report, &inquiry, &Templates::embedded(lang)).text
    }

    #[test]
    fn one_pool_is_one_group_whose_subtotal_is_the_sum_of_its_shown_amounts() {
        let charges = [
            charge("BoxUsage:t2.micro", "i-1", "4.2804", ec2_pool()),
            nat("NatGateway-Hours", "12.744"),
            charge("BoxUsage:t2.micro", "i-2", "4.2804", ec2_pool()),
            nat("NatGateway-Bytes", "0.2655"),
        ];
        let groups = group(&charges);
        let shape: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| g.charges.iter().map(|c| c.usage_type.as_str()).collect())
            .collect();
        assert_eq!(
            shape,
            [
                vec!["NatGateway-Hours"],
                vec!["BoxUsage:t2.micro", "BoxUsage:t2.micro"],
                vec!["NatGateway-Bytes"],
            ]
        );
        assert_eq!(groups[1].subtotal(), dec("8.56"));
        assert_eq!(groups[2].subtotal(), dec("0.27"));
    }

    #[test]
    fn a_subtotal_adds_the_cents_the_reader_sees_and_says_how_the_exact_sum_rounds() {
        // 0.9936 shows as $0.99 twice: the subtotal is $1.98, while 1.9872 rounds to $1.99.
        let charges = vec![
            charge("BoxUsage:t2.micro", "i-1", "0.9936", ec2_pool()),
            charge("BoxUsage:t2.micro", "i-2", "0.9936", ec2_pool()),
        ];
        let groups = group(&charges);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].subtotal(), dec("1.98"));
        let en = reply(&report(charges.clone()), Lang::En);
        assert!(en.contains("750 hours: $1.98\n"), "{en}");
        assert!(
            en.contains("Each amount below is rounded to the cent; before rounding they total $1.9872, which rounds to $1.99.\n"),
            "{en}"
        );
        let ko = reply(&report(charges), Lang::Ko);
        assert!(
            ko.contains("반올림 전 합계는 $1.9872(반올림하면 $1.99)입니다.\n"),
            "{ko}"
        );
        let exact = [
            charge("BoxUsage:t2.micro", "i-1", "4.2804", ec2_pool()),
            charge("BoxUsage:t2.micro", "i-2", "4.2804", ec2_pool()),
        ];
        assert!(!reply(&report(exact.to_vec()), Lang::En).contains("before rounding"));
    }

    #[test]
    fn per_region_pools_of_one_offer_stay_apart() {
        let other_region = pool("ec2-hours", text("EC2", "EC2"), "750", "900", 1);
        let charges = [
            charge("BoxUsage:t2.micro", "i-1", "1", ec2_pool()),
            charge("BoxUsage:t2.micro", "i-2", "1", other_region),
        ];
        assert_eq!(group(&charges).len(), 2);
    }

    #[test]
    fn two_instances_sharing_one_pool_read_as_one_offer_with_its_figures() {
        let report = report(vec![
            charge("BoxUsage:t2.micro", "i-1", "4.2804", ec2_pool()),
            charge("BoxUsage:t2.micro", "i-2", "4.2804", ec2_pool()),
        ]);
        let en = reply(&report, Lang::En);
        assert!(
            en.contains("1. EC2 t2.micro / t3.micro Linux hours: 1,488 hours used, 738 hours over the free allowance of 750 hours: $8.56\n"),
            "{en}"
        );
        assert!(
            en.contains("\n   - $4.28: BoxUsage:t2.micro (i-1, us-east-1)\n"),
            "{en}"
        );
        assert!(
            en.contains("\n   - $4.28: BoxUsage:t2.micro (i-2, us-east-1)\n"),
            "{en}"
        );
        assert_eq!(en.matches("Remember that").count(), 1, "{en}");
        let ko = reply(&report, Lang::Ko);
        assert!(
            ko.contains("1. EC2 t2.micro / t3.micro Linux 사용 시간 혜택: 1,488시간 사용, 무료 한도 750시간을 738시간 초과: $8.56\n"),
            "{ko}"
        );
        assert_eq!(ko.matches("기억해 주십시오").count(), 1, "{ko}");
    }

    #[test]
    fn the_shared_allowance_reminder_names_every_shared_offer_once() {
        let ebs = pool(
            "ebs-storage",
            text("EBS storage", "EBS 스토리지"),
            "30",
            "40",
            2,
        );
        let volume = |id: &str| {
            let mut c = charge("EBS:VolumeUsage.gp2", id, "0.50", ebs.clone());
            c.unit = "GB-Mo".into();
            c
        };
        let report = report(vec![
            charge("BoxUsage:t2.micro", "i-1", "4.2804", ec2_pool()),
            charge("BoxUsage:t2.micro", "i-2", "4.2804", ec2_pool()),
            volume("vol-1"),
            volume("vol-2"),
        ]);
        let en = reply(&report, Lang::En);
        let reminders: Vec<&str> = en.lines().filter(|l| l.contains("Remember that")).collect();
        assert_eq!(reminders.len(), 1, "{en}");
        assert!(
            reminders[0].contains("each of these free allowances covers every eligible resource in every region together, not each resource: EC2 t2.micro / t3.micro Linux hours gives 750 hours a month in total and EBS storage gives 30 GB-months a month in total."),
            "{en}"
        );
        let ko = reply(&report, Lang::Ko);
        let reminders: Vec<&str> = ko
            .lines()
            .filter(|l| l.contains("기억해 주십시오"))
            .collect();
        assert_eq!(reminders.len(), 1, "{ko}");
        assert!(
            reminders[0].contains("EC2 t2.micro / t3.micro Linux 사용 시간 혜택은 매달 750시간, EBS 스토리지 혜택은 매달 30 GB-월까지 무료입니다."),
            "{ko}"
        );
    }
}
