//! Turns the aggregated ledger of one billing month into a [`Report`].

mod api;
mod charges;
mod context;
mod forecast;
mod offers;
mod plan;

use std::collections::BTreeSet;

use crate::catalog::Plan;
use crate::ledger::{Ledger, MonthLedger, PLANS};
use crate::model::LineItemType;
use crate::report::{
    Cause, Charge, CreditLine, DataSource, Note, PlanEvidence, Report, Totals, TwelveMonths,
    Unknown,
};
use crate::time::{Month, Timestamp};
use api::merge_api;
use charges::{MonthCharges, Standing};
pub use context::{Context, FinishError};
use plan::{bill_pools, decide_plan, decide_twelve_months, granted_usage_types};

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
        let as_of = as_of(ml, ctx, month);
        let (plan, plan_evidence) = decide_plan(catalog, ml, ctx, &self.strings);
        let plan_index = PLANS.iter().position(|p| *p == plan).unwrap_or(0) as u8;
        let granted = granted_usage_types(ml, plan_index);
        let pools = bill_pools(ml, plan_index, &granted);
        let twelve_months = decide_twelve_months(catalog, &pools, plan, month, ctx);
        let mut notes = Vec::new();

        let expired = matches!(
            twelve_months,
            TwelveMonths::ExpiredByDate { .. } | TwelveMonths::ExpiredByBill { .. }
        );
        self.note_bill_granted(ml, plan_index, expired, &mut notes);
        let mut offers = self.offer_usages(month, &pools, expired, as_of, &mut notes);
        if ctx.monthly() {
            // A month's totals spread over its hours would put the crossing
            // at an hour the data does not know: only the month is known.
            for offer in &mut offers {
                offer.crossed_at = None;
                offer.will_cross_at = None;
            }
        }
        if let Some(api) = &ctx.api {
            merge_api(catalog, &mut offers, api, &mut notes);
        }
        let standing = Standing {
            plan,
            plan_index,
            month,
            granted: &granted,
            twelve_months: &twelve_months,
            offers: &offers,
        };
        let MonthCharges {
            charges,
            unmatched,
            daily,
        } = self.charges(ml, &standing, &mut notes);
        let credits = self.credit_lines(ml);
        let totals = balanced_totals(&charges, &credits, ml)?;
        let accounts = self.strings.sorted(&ml.accounts);
        if accounts.len() > 1 {
            notes.push(Note::OrganizationShared {
                accounts: accounts.clone(),
            });
        }
        let mut report = Report {
            month,
            payer_account: payer.to_owned(),
            accounts,
            currency: ml
                .currency
                .map(|c| self.strings.get(c).to_owned())
                .unwrap_or_else(|| "USD".to_owned()),
            plan,
            plan_evidence,
            twelve_months,
            as_of,
            month_complete: as_of >= month.end(),
            offers,
            unmatched_free: unmatched,
            charges,
            credits,
            totals,
            daily,
            unknowns: Vec::new(),
            notes,
            rows: ml.rows,
            catalog_version: catalog.version.clone(),
            plan_state: ctx.api.as_ref().and_then(|a| a.plan_state.clone()),
            api_source: ctx.api.as_ref().map(|a| a.source.clone()),
            sources: sources_of(ctx),
            charges_known: true,
            explorer: ctx.explorer.get(&month).copied(),
            hourly: !ctx.unknowns.iter().any(
                |u| matches!(u, Unknown::Aggregated { granularity } if granularity != "HOURLY"),
            ),
        };
        report.unknowns = unknowns(&report, ctx);
        Ok(report)
    }

    fn credit_lines(&self, ml: &MonthLedger) -> Vec<CreditLine> {
        ml.credits
            .iter()
            .map(|((kind, desc), c)| CreditLine {
                line_item_type: kind.as_str().to_owned(),
                description: self.strings.get(*desc).to_owned(),
                amount: c.amount,
                free_plan: c.free_plan,
            })
            .collect()
    }
}

/// The caller's billing sources, then the Free Tier API if it was read.
fn sources_of(ctx: &Context) -> Vec<DataSource> {
    let api = ctx.api.is_some().then_some(DataSource::FreeTierApi);
    ctx.sources.iter().copied().chain(api).collect()
}

/// The time the data runs to: its last hour, else the caller's clock, within the month.
fn as_of(ml: &MonthLedger, ctx: &Context, month: Month) -> Timestamp {
    match (ml.as_of, ctx.now) {
        (Some(t), _) => t,
        (None, Some(now)) => now.max(month.start()),
        (None, None) => month.start(),
    }
    .min(month.end())
}

/// The totals, checked against the rows' own sum.
fn balanced_totals(
    charges: &[Charge],
    credits: &[CreditLine],
    ml: &MonthLedger,
) -> Result<Totals, FinishError> {
    let totals = totals(charges, credits, ml);
    let sum = totals.gross + totals.tax + totals.credits + totals.refunds;
    if sum != ml.total {
        return Err(FinishError::Unbalanced {
            sum,
            total: ml.total,
        });
    }
    Ok(totals)
}

/// What the report cannot tell from its data, in the order readers see them.
fn unknowns(report: &Report, ctx: &Context) -> Vec<Unknown> {
    let mut unknowns = Vec::new();
    if !report.month_complete {
        unknowns.push(Unknown::MonthOpen {
            as_of: report.as_of,
        });
    }
    match &report.twelve_months {
        TwelveMonths::ActiveByBill { .. } | TwelveMonths::ExpiredByBill { .. } => {
            unknowns.push(Unknown::TwelveMonthsInferred(report.twelve_months.clone()));
        }
        TwelveMonths::ActiveByDate { created, ends } if *ends == report.month => {
            unknowns.push(Unknown::TwelveMonthsEndInMonth { created: *created });
        }
        _ => {}
    }
    if report.plan_evidence == PlanEvidence::Assumed {
        unknowns.push(Unknown::PlanAssumed {
            worked_out: ctx.worked_out(),
        });
    }
    if report.plan != Plan::Legacy && report.plan_state.is_none() {
        unknowns.push(Unknown::CreditBalance);
    }
    let aggregated = ctx
        .unknowns
        .iter()
        .any(|u| matches!(u, Unknown::Aggregated { .. } | Unknown::Pasted { .. }));
    let needs_ids = report
        .charges
        .iter()
        .any(|c| c.action.as_ref().is_some_and(|a| a.needs_resource_id));
    if !aggregated && needs_ids {
        unknowns.push(Unknown::NoResourceIds);
    }
    unknowns.extend(ctx.unknowns.iter().cloned());
    unknowns
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

    use rust_decimal::Decimal;

    use super::*;
    use crate::catalog::Catalog;
    use crate::model::LineItem;
    use crate::report::Status;
    use crate::time::Date;

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
                offer: "ec2-micro-linux".into(),
                worked_out: false,
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
