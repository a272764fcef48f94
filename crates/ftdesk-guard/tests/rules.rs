//! The rules against the sample scenarios' real reports.

use std::collections::BTreeSet;

use ftdesk_core::{Catalog, Context, Ledger, Report, Timestamp};
use ftdesk_guard::{evaluate, Alert, AlertKind, GuardConfig};

fn report(scenario: &str) -> Report {
    let catalog = Catalog::embedded();
    let scenario = ftdesk_sample::find(scenario).expect("scenario");
    let dir = tempfile::tempdir().unwrap();
    let path = ftdesk_sample::write_scenario(scenario, &catalog, dir.path(), false).unwrap();
    let generated = scenario.generate(&catalog);
    let mut ledger = Ledger::new(&catalog);
    ftdesk_io::read_path(&path, &mut |item| ledger.push(item)).unwrap();
    let context = Context {
        month: Some(generated.month),
        account_created: generated.truth.account_created,
        ..Context::default()
    };
    ledger.finish(&context).unwrap().remove(0)
}

fn config(extra: &str) -> GuardConfig {
    GuardConfig::parse(&format!("paths = [\"x\"]\n{extra}"), "guard.toml").unwrap()
}

fn kinds(alerts: &[Alert]) -> BTreeSet<AlertKind> {
    alerts.iter().map(|a| a.kind).collect()
}

fn mid_month(report: &Report) -> Timestamp {
    report.as_of
}

#[test]
fn a_nat_gateway_is_never_free_with_its_action() {
    let report = report("nat-gateway");
    let alerts = evaluate(&report, &config(""), mid_month(&report));
    let nat: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.kind == AlertKind::NeverFree)
        .collect();
    assert!(!nat.is_empty(), "{alerts:#?}");
    assert!(
        nat[0].action.iter().any(|l| l.starts_with("Console:")),
        "{nat:#?}"
    );
    assert!(
        kinds(&alerts).contains(&AlertKind::NetCharge),
        "{alerts:#?}"
    );
}

#[test]
fn an_offer_over_its_allowance_alerts_at_the_highest_threshold_only() {
    let report = report("two-instances");
    let alerts = evaluate(&report, &config(""), mid_month(&report));
    let thresholds: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.kind == AlertKind::Threshold)
        .collect();
    assert!(!thresholds.is_empty(), "{alerts:#?}");
    let subjects: BTreeSet<&str> = thresholds.iter().map(|a| a.subject.as_str()).collect();
    assert_eq!(subjects.len(), thresholds.len(), "one alert per offer");
    assert!(
        thresholds.iter().any(|a| a.threshold == "100"),
        "{thresholds:#?}"
    );
}

#[test]
fn the_same_data_gives_the_same_ids_and_other_words_keep_them() {
    let report = report("seoul-student");
    let now = mid_month(&report);
    let en = evaluate(&report, &config(""), now);
    let again = evaluate(&report, &config(""), now);
    let ko = evaluate(&report, &config("lang = \"ko\""), now);
    assert!(!en.is_empty());
    let ids = |alerts: &[Alert]| alerts.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&en), ids(&again));
    assert_eq!(
        ids(&en),
        ids(&ko),
        "the language is not part of the condition"
    );
    assert_ne!(en[0].title, ko[0].title);
    let unique: BTreeSet<String> = ids(&en).into_iter().collect();
    assert_eq!(unique.len(), en.len(), "no two alerts share an id");
}

#[test]
fn rules_can_be_switched_off() {
    let report = report("nat-gateway");
    let quiet = config("[rules]\nthresholds = []\nforecast = false\nnever_free = false\n");
    let alerts = evaluate(&report, &quiet, mid_month(&report));
    assert!(
        alerts.iter().all(|a| a.kind == AlertKind::NetCharge),
        "{alerts:#?}"
    );
}

#[test]
fn the_twelve_months_alert_counts_days_from_the_creation_date() {
    let report = report("within-limits");
    let now = Timestamp::from_civil(2026, 11, 20, 12, 0, 0);
    let cfg = config("account_created = \"2025-12-01\"\n[rules]\ntwelve_months_days = 30\n");
    let alerts = evaluate(&report, &cfg, now);
    let ending: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.kind == AlertKind::TwelveMonthsEnding)
        .collect();
    assert_eq!(ending.len(), 1, "{alerts:#?}");
    assert!(
        ending[0].title.contains("2026-12-01"),
        "{}",
        ending[0].title
    );
    assert!(
        ending[0].amount.starts_with("10 days"),
        "{}",
        ending[0].amount
    );
    let later = config("account_created = \"2026-06-01\"\n");
    assert!(evaluate(&report, &later, now)
        .iter()
        .all(|a| a.kind != AlertKind::TwelveMonthsEnding));
}

/// A report from the Free Tier API alone: one offer used `actual` of 750
/// hours with AWS's forecast `forecast`, and a free plan with `credits` left
/// that ends at `expires`.
fn api_report(actual: u32, forecast: u32, credits: &str, expires: Timestamp) -> Report {
    use ftdesk_core::api::{ApiPlanState, ApiSnapshot, ApiUsage};
    let catalog = Catalog::embedded();
    let usage = ApiUsage {
        service: "Amazon Elastic Compute Cloud".into(),
        operation: "RunInstances".into(),
        usage_type: "Global-BoxUsage:freetier.micro".into(),
        region: "global".into(),
        actual: actual.into(),
        forecast: forecast.into(),
        limit: 750.into(),
        unit: "Hrs".into(),
        description: "750.0 Hrs for free for 12 months".into(),
        free_tier_type: "12 Months Free".into(),
    };
    let plan = ApiPlanState {
        account_id: "111122223333".into(),
        plan_type: "FREE".into(),
        status: "ACTIVE".into(),
        remaining_credits: Some(credits.parse().unwrap()),
        credits_currency: Some("USD".into()),
        expires: Some(expires),
    };
    let context = Context {
        api: Some(ApiSnapshot {
            usages: vec![usage],
            plan_state: Some(plan),
            source: "test".into(),
        }),
        now: Some(Timestamp::from_civil(2026, 11, 10, 12, 0, 0)),
        ..Context::default()
    };
    Ledger::new(&catalog).finish(&context).unwrap().remove(0)
}

fn of_kind(alerts: &[Alert], kind: AlertKind) -> Vec<&Alert> {
    alerts.iter().filter(|a| a.kind == kind).collect()
}

#[test]
fn the_api_forecast_warns_before_the_allowance_is_used() {
    let now = Timestamp::from_civil(2026, 11, 10, 12, 0, 0);
    let far = Timestamp::from_civil(2027, 6, 1, 0, 0, 0);
    let report = api_report(300, 1100, "100", far);
    let alerts = evaluate(&report, &config(""), now);
    let forecast = of_kind(&alerts, AlertKind::Forecast);
    assert_eq!(forecast.len(), 1, "{alerts:#?}");
    assert!(
        forecast[0].amount.contains("1,100"),
        "{}",
        forecast[0].amount
    );
    assert!(
        forecast[0]
            .by_when
            .as_deref()
            .is_some_and(|w| w.contains("2026-11-30")),
        "{:?}",
        forecast[0].by_when
    );
    // A forecast within the allowance, or the rule switched off: no alert.
    let calm = api_report(300, 700, "100", far);
    assert!(of_kind(&evaluate(&calm, &config(""), now), AlertKind::Forecast).is_empty());
    let off = config("[rules]\nforecast = false\n");
    assert!(of_kind(&evaluate(&report, &off, now), AlertKind::Forecast).is_empty());
}

#[test]
fn the_billing_run_rate_forecast_names_the_crossing_hour() {
    let report = report("two-instances");
    let mut open = report.clone();
    // Halfway through the month at the same rate: the allowance is not yet used up.
    for offer in &mut open.offers {
        offer.used = offer.limit / rust_decimal::Decimal::from(2);
        offer.will_cross_at = Some(Timestamp::from_civil(2025, 10, 16, 14, 0, 0));
        offer.crossed_at = None;
    }
    let alerts = evaluate(&open, &config(""), open.as_of);
    let forecast = of_kind(&alerts, AlertKind::Forecast);
    assert!(!forecast.is_empty(), "{alerts:#?}");
    let when = forecast[0].by_when.as_deref().unwrap();
    assert!(when.contains("Oct 16") && when.contains("14:00"), "{when}");
}

#[test]
fn low_credits_alert_below_the_users_amount_only() {
    let now = Timestamp::from_civil(2026, 11, 10, 12, 0, 0);
    let far = Timestamp::from_civil(2027, 6, 1, 0, 0, 0);
    let report = api_report(10, 20, "17.50", far);
    let cfg = config("[rules]\ncredits_below = 20\n");
    let credits = evaluate(&report, &cfg, now);
    let low = of_kind(&credits, AlertKind::CreditsLow);
    assert_eq!(low.len(), 1, "{credits:#?}");
    assert!(low[0].title.contains("$17.50"), "{}", low[0].title);
    assert_eq!(low[0].threshold, "20");
    let plenty = api_report(10, 20, "20.00", far);
    assert!(of_kind(&evaluate(&plenty, &cfg, now), AlertKind::CreditsLow).is_empty());
    assert!(
        of_kind(&evaluate(&report, &config(""), now), AlertKind::CreditsLow).is_empty(),
        "off unless configured"
    );
}

#[test]
fn the_plan_end_alerts_within_the_configured_days() {
    let now = Timestamp::from_civil(2026, 11, 10, 12, 0, 0);
    let soon = Timestamp::from_civil(2026, 11, 20, 0, 0, 0);
    let report = api_report(10, 20, "80", soon);
    let alerts = evaluate(&report, &config("[rules]\nplan_end_days = 14\n"), now);
    let ending = of_kind(&alerts, AlertKind::PlanEnding);
    assert_eq!(ending.len(), 1, "{alerts:#?}");
    assert!(
        ending[0].title.contains("2026-11-20"),
        "{}",
        ending[0].title
    );
    assert!(
        ending[0].amount.starts_with("9 days"),
        "{}",
        ending[0].amount
    );
    let narrow = config("[rules]\nplan_end_days = 7\n");
    assert!(of_kind(&evaluate(&report, &narrow, now), AlertKind::PlanEnding).is_empty());
    let after = Timestamp::from_civil(2026, 11, 21, 0, 0, 0);
    assert!(
        of_kind(
            &evaluate(&report, &config(""), after),
            AlertKind::PlanEnding
        )
        .is_empty(),
        "an ended plan is past warning"
    );
}

#[test]
fn the_twelve_months_alert_moves_a_leap_day_to_the_month_end() {
    let report = report("within-limits");
    let cfg = config("account_created = \"2024-02-29\"\n[rules]\ntwelve_months_days = 30\n");
    let now = Timestamp::from_civil(2025, 2, 20, 0, 0, 0);
    let alerts = evaluate(&report, &cfg, now);
    let ending = of_kind(&alerts, AlertKind::TwelveMonthsEnding);
    assert_eq!(ending.len(), 1, "{alerts:#?}");
    assert!(
        ending[0].title.contains("2025-02-28"),
        "{}",
        ending[0].title
    );
}

#[test]
fn a_never_free_amount_names_every_usage_type_it_adds_up() {
    let report = report("nat-gateway");
    let alerts = evaluate(&report, &config(""), report.as_of);
    for alert in of_kind(&alerts, AlertKind::NeverFree) {
        let charges: Vec<_> = report
            .charges
            .iter()
            .filter(|c| c.resource_id == alert.subject || c.usage_type == alert.subject)
            .filter(|c| c.cost > rust_decimal::Decimal::ZERO)
            .collect();
        assert!(!charges.is_empty());
        for charge in &charges {
            assert!(
                alert.amount.contains(&charge.usage_type),
                "{} misses {}",
                alert.amount,
                charge.usage_type
            );
        }
        let total: rust_decimal::Decimal = charges.iter().map(|c| c.cost).sum();
        let shown = format!("${}", total.round_dp(2));
        assert!(
            alert.amount.starts_with(&shown),
            "{} vs {shown}",
            alert.amount
        );
    }
}

#[test]
fn korean_alerts_read_as_korean() {
    let report = report("nat-gateway");
    let alerts = evaluate(&report, &config("lang = \"ko\""), report.as_of);
    let text: Vec<String> = alerts.iter().map(Alert::text).collect();
    insta::assert_snapshot!("nat-gateway-ko", text.join("\n\n"));
}

#[test]
fn korean_api_alerts_read_as_korean() {
    let now = Timestamp::from_civil(2026, 11, 10, 12, 0, 0);
    let soon = Timestamp::from_civil(2026, 11, 20, 0, 0, 0);
    let report = api_report(300, 1100, "17.50", soon);
    let cfg =
        config("lang = \"ko\"\naccount_created = \"2025-12-01\"\n[rules]\ncredits_below = 20\n");
    let alerts = evaluate(&report, &cfg, now);
    let text: Vec<String> = alerts.iter().map(Alert::text).collect();
    insta::assert_snapshot!("api-ko", text.join("\n\n"));
}
