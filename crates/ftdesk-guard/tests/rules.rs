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
