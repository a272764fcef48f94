//! Each scenario through ftdesk-core, held to its truth.

use std::collections::BTreeSet;

use ftdesk_core::report::{Note, OfferUsage, PlanEvidence, Report};
use ftdesk_core::{Catalog, Context, Date, Ledger, Timestamp};
use ftdesk_sample::{find, Generated, Truth};
use rust_decimal::{Decimal, RoundingStrategy};

fn cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn thousandths(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
}

/// Pushes every row into a ledger and finishes the scenario's month.
pub(crate) fn report(catalog: &Catalog, generated: &Generated, created: Option<Date>) -> Report {
    let mut ledger = Ledger::new(catalog);
    for row in &generated.rows {
        ledger.push(&row.as_line_item()).expect("rows push");
    }
    let context = Context {
        month: Some(generated.month),
        plan: None,
        account_created: created,
        ..Context::default()
    };
    let mut reports = ledger.finish(&context).expect("the month finishes");
    assert_eq!(reports.len(), 1, "one payer per scenario");
    reports.remove(0)
}

fn check_totals(name: &str, report: &Report, truth: &Truth) {
    let totals = &report.totals;
    assert_eq!(report.plan, truth.plan, "{name}: plan");
    assert_eq!(cents(totals.net), truth.net, "{name}: net");
    assert_eq!(cents(totals.gross), truth.gross, "{name}: gross");
    assert_eq!(cents(totals.credits), truth.credits, "{name}: credits");
    assert_eq!(cents(totals.tax), truth.tax, "{name}: tax");
    let charges: Decimal = report.charges.iter().map(|c| c.cost).sum();
    let credits: Decimal = report.credits.iter().map(|c| c.amount).sum();
    assert_eq!(
        charges + credits,
        totals.net,
        "{name}: charges and credits add up to net"
    );
}

fn check_causes(name: &str, report: &Report, truth: &Truth) {
    let got: Vec<_> = report
        .cost_by_cause()
        .into_iter()
        .map(|(cause, cost)| (cause, cents(cost)))
        .filter(|(_, cost)| !cost.is_zero())
        .collect();
    let mut want = truth.by_cause.clone();
    want.sort();
    assert_eq!(got, want, "{name}: cost by cause");
}

fn check_offers(name: &str, report: &Report, truth: &Truth) {
    for want in &truth.offers {
        let got = report
            .offers
            .iter()
            .find(|o| o.id == want.id)
            .unwrap_or_else(|| panic!("{name}: no offer {}", want.id));
        assert_eq!(thousandths(got.used), want.used, "{name}: {} used", want.id);
        assert_eq!(got.limit, want.limit, "{name}: {} limit", want.id);
    }
    let got: BTreeSet<&str> = report.offers.iter().map(|o| o.id.as_str()).collect();
    let want: BTreeSet<&str> = truth.offers.iter().map(|o| o.id).collect();
    assert_eq!(got, want, "{name}: offers");
}

fn check_charges(name: &str, report: &Report, truth: &Truth) {
    for want in &truth.charges {
        let key = (want.usage_type, want.resource_id);
        let got = report
            .charges
            .iter()
            .find(|c| (c.usage_type.as_str(), c.resource_id.as_str()) == key)
            .unwrap_or_else(|| panic!("{name}: no charge {key:?}"));
        assert_eq!(got.cause, want.cause, "{name}: cause of {key:?}");
        assert_eq!(cents(got.cost), want.cost, "{name}: cost of {key:?}");
    }
    let listed: Vec<_> = report
        .charges
        .iter()
        .map(|c| (&c.usage_type, &c.resource_id, c.cause, c.cost))
        .collect();
    assert_eq!(
        report.charges.len(),
        truth.charges.len(),
        "{name}: charges {listed:?}"
    );
}

fn check_against(name: &str, created: Option<Date>) -> Report {
    let catalog = Catalog::embedded();
    let generated = find(name).expect("scenario exists").generate(&catalog);
    let report = report(&catalog, &generated, created);
    let truth = &generated.truth;
    check_totals(name, &report, truth);
    check_causes(name, &report, truth);
    check_offers(name, &report, truth);
    check_charges(name, &report, truth);
    let open_month = name == "seoul-student";
    assert_eq!(report.month_complete, !open_month, "{name}: month complete");
    report
}

/// Checks the scenario with what its truth says the user would tell ftdesk.
fn check(name: &str) -> Report {
    let catalog = Catalog::embedded();
    let created = find(name).unwrap().generate(&catalog).truth.account_created;
    check_against(name, created)
}

#[test]
fn within_limits() {
    let report = check("within-limits");
    assert!(report.month_complete);
}

fn offer<'r>(report: &'r Report, id: &str) -> &'r OfferUsage {
    report.offers.iter().find(|o| o.id == id).unwrap()
}

#[test]
fn two_instances() {
    let report = check("two-instances");
    // 2 h an hour: 750 h are used up by the end of hour 374; hour 375
    // (15 days 15 h into October) is the first charged one.
    let ec2 = offer(&report, "ec2-micro-linux");
    assert_eq!(
        ec2.crossed_at,
        Some(Timestamp::from_civil(2025, 10, 16, 15, 0, 0))
    );
    assert_eq!(
        ec2.resources,
        ["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002"]
    );
}

#[test]
fn expired_12_months_inferred_from_the_bill() {
    check("expired-12-months");
}

#[test]
fn expired_12_months_with_the_creation_date() {
    check_against("expired-12-months", Some("2025-06-10".parse().unwrap()));
}

/// Once the 12 months are over, eligible usage billed below the offer's limit
/// is what the catalogue predicts, not a disagreement between bill and
/// catalogue.
fn assert_no_disagreement_noted(report: &Report) {
    let noted: Vec<&Note> = report
        .notes
        .iter()
        .filter(|n| matches!(n, Note::ChargedUnderLimit { .. }))
        .collect();
    assert!(noted.is_empty(), "{noted:?}");
}

#[test]
fn expired_12_months_notes_no_disagreement() {
    let inferred = check("expired-12-months");
    assert_no_disagreement_noted(&inferred);
    let dated = check_against("expired-12-months", Some("2025-06-10".parse().unwrap()));
    assert_no_disagreement_noted(&dated);
}

#[test]
fn nat_gateway() {
    check("nat-gateway");
}

#[test]
fn public_ipv4() {
    check("public-ipv4");
}

#[test]
fn ebs_over_30gb() {
    check("ebs-over-30gb");
}

#[test]
fn s3_requests() {
    check("s3-requests");
}

#[test]
fn rds_multi_az() {
    check("rds-multi-az");
}

#[test]
fn free_plan_credits() {
    check("free-plan-credits");
}

#[test]
fn free_plan_credits_without_the_creation_date() {
    let report = check_against("free-plan-credits", None);
    assert!(
        matches!(&report.plan_evidence, PlanEvidence::FreePlanCredits { description } if description == "AWS Free Tier"),
        "{:?}",
        report.plan_evidence
    );
    assert!(report.credits.iter().all(|c| c.free_plan));
}

#[test]
fn organization() {
    let report = check("organization");
    assert_eq!(report.accounts, ["111122223333", "444455556666"]);
    let ec2 = offer(&report, "ec2-micro-linux");
    assert_eq!(ec2.accounts, report.accounts);
    // Pool used up after hour 374 at 2 h an hour: hour 375 is Oct 16 15:00.
    assert_eq!(
        ec2.crossed_at,
        Some(Timestamp::from_civil(2025, 10, 16, 15, 0, 0))
    );
}

#[test]
fn tax_and_credits() {
    let report = check("tax-and-credits");
    assert_eq!(report.credits.len(), 1);
    assert!(
        !report.credits[0].free_plan,
        "a promotional credit is not the Free plan's"
    );
}

#[test]
fn seoul_student_month_to_date() {
    let report = check("seoul-student");
    assert!(!report.month_complete, "the month is still open");
    assert_eq!(report.as_of, Timestamp::from_civil(2025, 11, 24, 0, 0, 0));
    let ec2 = offer(&report, "ec2-micro-linux");
    // Used up after hour 482; hour 483 = Nov 21 03:00 is the first charged one.
    assert_eq!(
        ec2.crossed_at,
        Some(Timestamp::from_civil(2025, 11, 21, 3, 0, 0))
    );
    // Run-rate of the last day: two t2.micro = 2 h an hour, 168 h left:
    // 888 + 2 × 168 = 1,224 h at month end.
    assert_eq!(ec2.forecast, Decimal::from(1224));
}

/// The bill made part of t3.micro free where the catalogue would not: the
/// usage type joins the pool for all its hours, its billed hours are over the
/// limit, and the note names it as billed.
#[test]
fn bill_granted_usage_type_joins_the_pool() {
    let report = check("bill-granted-t3-micro");
    let ec2 = offer(&report, "ec2-micro-linux");
    assert_eq!(ec2.used, Decimal::from(1488));
    assert_eq!(
        ec2.forecast,
        Decimal::from(1488),
        "the forecast counts every hour"
    );
    assert_eq!(ec2.charged_quantity, Decimal::from(738));
    assert_eq!(
        ec2.crossed_at,
        Some(Timestamp::from_civil(2025, 10, 16, 15, 0, 0))
    );
    let granted: Vec<&Note> = report
        .notes
        .iter()
        .filter(|n| matches!(n, Note::BillGrantedFree { .. }))
        .collect();
    assert!(
        matches!(
            granted.as_slice(),
            [Note::BillGrantedFree { usage_type, offer: Some(offer), quantity, .. }]
                if usage_type == "BoxUsage:t3.micro" && offer == "ec2-micro-linux"
                    && *quantity == Decimal::from(750)
        ),
        "{granted:?}"
    );
    assert!(report.charges.iter().all(|c| matches!(
        c.context,
        ftdesk_core::report::ChargeContext::OverFreeLimit {
            bill_granted: true,
            ..
        }
    )));
}

/// The same bill with t2.micro hours: the catalogue pools t2.micro itself,
/// so nothing is noted as bill-granted and no charge is marked so.
#[test]
fn two_instances_note_no_bill_grant() {
    let report = check("two-instances");
    assert!(
        !report
            .notes
            .iter()
            .any(|n| matches!(n, Note::BillGrantedFree { .. })),
        "{:?}",
        report.notes
    );
}
