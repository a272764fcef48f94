//! Every scenario's report, through the real binary, equals the scenario's known truth.

use std::collections::BTreeMap;

use ftdesk_core::{Catalog, Cause};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{cents, check_json, dec, ftdesk, write_scenario};

fn cause_name(c: Cause) -> &'static str {
    c.as_str()
}

fn assert_report_matches_truth(name: &str, report: &Value, truth: &ftdesk_sample::Truth) {
    let field = |f: &str| cents(dec(&report[f]));
    assert_eq!(field("net_cost"), truth.net, "{name}: net");
    assert_eq!(field("gross_cost"), truth.gross, "{name}: gross");
    assert_eq!(field("tax"), truth.tax, "{name}: tax");
    assert_eq!(field("credits"), truth.credits, "{name}: credits");
    assert_eq!(report["plan"], truth.plan.as_str(), "{name}: plan");

    let by_cause: BTreeMap<String, Decimal> = report["cost_by_cause"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), cents(dec(v))))
        .filter(|(_, v)| !v.is_zero())
        .collect();
    let want: BTreeMap<String, Decimal> = truth
        .by_cause
        .iter()
        .map(|(c, v)| (cause_name(*c).to_owned(), *v))
        .collect();
    assert_eq!(by_cause, want, "{name}: cost by cause");

    let offers = report["offers"].as_array().unwrap();
    for t in &truth.offers {
        let o = offers
            .iter()
            .find(|o| o["id"] == t.id)
            .unwrap_or_else(|| panic!("{name}: offer {} missing", t.id));
        assert_eq!(
            dec(&o["used"]).round_dp(3),
            t.used.round_dp(3),
            "{name}: {} used",
            t.id
        );
        assert_eq!(dec(&o["limit"]), t.limit, "{name}: {} limit", t.id);
    }
    let charges = report["charges"].as_array().unwrap();
    for t in &truth.charges {
        let matching: Vec<&Value> = charges
            .iter()
            .filter(|c| c["usage_type"] == t.usage_type && c["resource_id"] == t.resource_id)
            .collect();
        assert!(
            !matching.is_empty(),
            "{name}: charge {} {} missing",
            t.usage_type,
            t.resource_id
        );
        let cost: Decimal = matching.iter().map(|c| dec(&c["cost"])).sum();
        assert_eq!(
            cents(cost),
            t.cost,
            "{name}: {} {} cost",
            t.usage_type,
            t.resource_id
        );
        for c in matching {
            assert_eq!(
                c["cause"],
                cause_name(t.cause),
                "{name}: {} cause",
                t.usage_type
            );
            assert!(!c["explanation"].as_str().unwrap().is_empty());
        }
    }
    // the charges and credits always add up to the file's total
    let sum: Decimal = charges.iter().map(|c| dec(&c["cost"])).sum::<Decimal>()
        + dec(&report["credits"])
        + dec(&report["refunds"]);
    assert_eq!(sum, dec(&report["net_cost"]), "{name}: charges add up");
}

#[test]
fn every_scenario_report_equals_its_truth() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    for scenario in ftdesk_sample::scenarios() {
        let path = write_scenario(scenario.name, dir.path());
        let generated = scenario.generate(&catalog);
        let mut args = vec![
            path.to_str().unwrap().to_owned(),
            "--month".into(),
            generated.month.to_string(),
        ];
        if let Some(created) = generated.truth.account_created {
            args.extend(["--account-created".into(), created.to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let report = check_json(&args);
        assert_report_matches_truth(scenario.name, &report, &generated.truth);
    }
}

#[test]
fn gzip_and_plain_give_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let plain = write_scenario("two-instances", dir.path());
    let gz_dir = dir.path().join("gz");
    let out = ftdesk()
        .args(["sample", "--scenario", "two-instances", "--gzip", "--out"])
        .arg(&gz_dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let a = check_json(&[plain.to_str().unwrap()]);
    let b = check_json(&[gz_dir.to_str().unwrap()]);
    assert_eq!(a["charges"], b["charges"]);
    assert_eq!(a["net_cost"], b["net_cost"]);
}

#[test]
fn the_latest_month_is_the_default_and_a_missing_month_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_scenario("two-instances", dir.path());
    let report = check_json(&[path.to_str().unwrap()]);
    assert_eq!(report["month"], "2025-10");
    let out = ftdesk()
        .arg("check")
        .arg(&path)
        .args(["--month", "2025-09"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2025-09") && err.contains("2025-10"), "{err}");
}

#[test]
fn an_organization_can_be_narrowed_to_one_member() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_scenario("organization", dir.path());
    let whole = check_json(&[path.to_str().unwrap()]);
    assert_eq!(whole["accounts"].as_array().unwrap().len(), 2);
    let member = check_json(&[path.to_str().unwrap(), "--account", "444455556666"]);
    assert_eq!(member["accounts"], serde_json::json!(["444455556666"]));
}

#[test]
fn demo_prints_a_report() {
    let out = ftdesk().arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Free-tier report for account"), "{text}");
    assert!(text.contains("NAT gateway"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when NO_COLOR is set");
    let ko = ftdesk().args(["demo", "--lang", "ko"]).output().unwrap();
    assert!(String::from_utf8(ko.stdout)
        .unwrap()
        .contains("프리 티어 보고서"));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let always = ftdesk()
        .args(["demo", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&always.stdout).contains('\u{1b}'));
    let auto = ftdesk()
        .arg("demo")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&auto.stdout).contains('\u{1b}'),
        "stdout is not a terminal here"
    );
}

#[test]
fn html_report_is_one_self_contained_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("report.html");
    let out = ftdesk()
        .args(["demo", "--format", "html", "--out"])
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&out_file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"), "has charts");
    for external in ["<script src", "<link ", "src=\"http", "@import"] {
        assert!(
            !html.contains(external),
            "loads nothing from outside: {external}"
        );
    }
}

#[test]
fn sample_list_names_every_scenario() {
    let out = ftdesk().args(["sample", "--list"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for name in [
        "within-limits",
        "two-instances",
        "expired-12-months",
        "nat-gateway",
        "public-ipv4",
        "ebs-over-30gb",
        "s3-requests",
        "rds-multi-az",
        "free-plan-credits",
        "organization",
        "tax-and-credits",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(name)),
            "{name} in {text}"
        );
    }
}

#[test]
fn unknown_scenario_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = ftdesk()
        .args(["sample", "--scenario", "no-such", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("two-instances"));
}

/// Where the bill made part of a usage type free, its billed hours are over
/// the limit of the offer it joined, never "not eligible", in every format
/// and language; the note names the usage type as the bill writes it.
#[test]
fn a_usage_type_the_bill_made_free_is_over_the_limit_not_ineligible() {
    let dir = tempfile::tempdir().unwrap();
    let billing = write_scenario("bill-granted-t3-micro", dir.path());
    let report = check_json(&[billing.to_str().unwrap()]);
    let charges = report["charges"].as_array().unwrap();
    assert_eq!(charges.len(), 2);
    for charge in charges {
        assert_eq!(charge["cause"], "over-free-limit", "{charge}");
        assert_eq!(charge["offer"], "ec2-micro-linux", "{charge}");
        assert_eq!(charge["bill_granted"], true, "{charge}");
    }
    let ec2 = &report["offers"][0];
    assert_eq!(ec2["id"], "ec2-micro-linux");
    assert_eq!(dec(&ec2["used"]), Decimal::from(1488));
    assert_eq!(dec(&ec2["forecast"]), Decimal::from(1488));
    assert_eq!(ec2["status"], "exceeded");
    let notes = report["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    let note = notes[0].as_str().unwrap();
    assert!(
        note.contains("BoxUsage:t3.micro") && !note.contains("t2.micro"),
        "{note}"
    );
    for lang in ["en", "ko"] {
        let out = ftdesk()
            .args(["check", "--lang", lang])
            .arg(&billing)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains("not eligible"), "{text}");
        assert!(!text.contains("대상 아님"), "{text}");
        assert!(text.contains("1,488 / 750"), "{text}");
    }
}

#[test]
fn help_lists_every_environment_variable_the_program_reads() {
    let out = ftdesk().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Environment:"), "{help}");
    for variable in [
        "FTDESK_THREADS",
        "FTDESK_REPLY_TEMPLATES",
        "FTDESK_SMTP_PASSWORD",
        "FTDESK_WEBHOOK_SECRET",
        "XDG_CACHE_HOME",
        "XDG_DATA_HOME",
        "HOME",
        "NO_COLOR",
        "RUST_LOG",
        "AWS_PROFILE",
    ] {
        assert!(
            help.contains(variable),
            "{variable} missing from --help:\n{help}"
        );
    }
}
