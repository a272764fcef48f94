//! The Free Tier API: its CLI JSON beside billing files, and `--live` over real HTTP.
//!
//! No open-source server implements the Free Tier API, so `--live` is tested
//! against a loopback HTTP server that answers the two operations with AWS's
//! documented response shapes: the real SDK signs, sends and parses for real.

use std::sync::{Arc, Mutex};

use crate::common::{
    aws_json_server, check_json, dec, ftdesk, with_fake_aws_credentials, write_scenario,
};

const USAGE: &str = r#"{"freeTierUsages":[
  {"service":"Amazon Elastic Compute Cloud","operation":"RunInstances","usageType":"Global-BoxUsage:freetier.micro",
   "region":"global","actualUsageAmount":840.0,"forecastedUsageAmount":1224.0,"limit":750.0,"unit":"Hrs",
   "description":"750.0 Hrs for free for 12 months as part of AWS Free Usage Tier (Global-BoxUsage:freetier.micro)",
   "freeTierType":"12 Months Free"},
  {"service":"AWS Lambda","operation":"Invoke","usageType":"Global-Request","region":"global",
   "actualUsageAmount":1200.0,"forecastedUsageAmount":1550.0,"limit":1000000.0,"unit":"Requests",
   "description":"1000000.0 Requests are always free per month as part of AWS Free Usage Tier (Global-Request)",
   "freeTierType":"Always Free"}
]}"#;

const PLAN: &str = r#"{"accountId":"111122223333","accountPlanType":"FREE","accountPlanStatus":"ACTIVE",
  "accountPlanRemainingCredits":{"amount":87.35,"unit":"USD"},"accountPlanExpirationDate":"2027-03-12T00:00:00Z"}"#;

fn offer<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("offer {id} in {report}"))
}

#[test]
fn api_json_beside_billing_files_shows_both_figures() {
    let dir = tempfile::tempdir().unwrap();
    let billing = write_scenario("seoul-student", dir.path());
    let usage = dir.path().join("freetier-usage.json");
    std::fs::write(&usage, USAGE).unwrap();
    let report = check_json(&[billing.to_str().unwrap(), usage.to_str().unwrap()]);
    let ec2 = offer(&report, "ec2-micro-linux");
    assert_eq!(dec(&ec2["used"]), 888.into(), "the files' figure");
    assert_eq!(dec(&ec2["api"]["actual"]), 840.into(), "the API's figure");
    assert_eq!(ec2["in_bill"], true);
    let lambda = offer(&report, "lambda-requests");
    assert_eq!(lambda["in_bill"], false);
    assert_eq!(dec(&lambda["used"]), 1200.into());
    let notes = report["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("Free Tier API shows 840 hours")),
        "{notes:?}"
    );
    // the billing figures and charges are untouched by the API
    assert!(report["net_cost_reason"].is_null());
    assert_eq!(
        crate::common::cents(dec(&report["net_cost"])),
        "19.63".parse().unwrap()
    );
}

#[test]
fn api_json_alone_feeds_the_offer_table() {
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("usage.json");
    let plan = dir.path().join("plan.json");
    std::fs::write(&usage, USAGE).unwrap();
    std::fs::write(&plan, PLAN).unwrap();
    let report = check_json(&[usage.to_str().unwrap(), plan.to_str().unwrap()]);
    assert_eq!(report["plan"], "free-plan");
    assert_eq!(report["account"], "111122223333");
    assert_eq!(
        dec(&report["plan_state"]["remaining_credits"]),
        "87.35".parse().unwrap()
    );
    assert_eq!(report["charges"].as_array().unwrap().len(), 0);
    assert_eq!(report["offers"].as_array().unwrap().len(), 2);
    let text = ftdesk()
        .arg("check")
        .arg(&usage)
        .arg(&plan)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("$87.35 of credits left"), "{text}");
}

/// The Free Tier API reports usage, not charges: with nothing else, no
/// amount is stated as a fact, and the report names the data that has them.
#[test]
fn api_json_alone_says_charges_are_not_in_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("usage.json");
    std::fs::write(&usage, USAGE).unwrap();
    let report = check_json(&[usage.to_str().unwrap()]);
    assert_eq!(report["version"], 2);
    for amount in ["net_cost", "gross_cost", "tax", "credits", "refunds"] {
        assert!(report[amount].is_null(), "{amount}: {}", report[amount]);
    }
    let reason = report["net_cost_reason"].as_str().unwrap();
    assert!(reason.contains("Cost Explorer"), "{reason}");
    for lang in ["en", "ko"] {
        let out = ftdesk()
            .args(["check", "--lang", lang])
            .arg(&usage)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains("$0.00"), "{text}");
        assert!(!text.contains("Nothing was charged"), "{text}");
        assert!(!text.contains("청구된 요금이 없습니다"), "{text}");
        assert_eq!(
            text.matches("Cost Explorer").count(),
            2,
            "summary and charges: {text}"
        );
    }
    let html = ftdesk()
        .args(["check", "--format", "html"])
        .arg(&usage)
        .output()
        .unwrap();
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(!html.contains("Nothing was charged"), "{html}");
    assert!(html.contains("reports usage only"), "{html}");
}

#[test]
fn api_json_of_the_wrong_shape_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("buckets.json");
    std::fs::write(&bad, r#"{"Buckets": []}"#).unwrap();
    let out = ftdesk().arg("check").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("buckets.json") && err.contains("get-free-tier-usage"),
        "{err}"
    );
    let bad = dir.path().join("limit.json");
    std::fs::write(
        &bad,
        r#"{"freeTierUsages":[{"usageType":"Global-Request","limit":"many"}]}"#,
    )
    .unwrap();
    let out = ftdesk().arg("check").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("freeTierUsages[0].limit"));
}

/// Answers each signed request by its `X-Amz-Target` with AWS JSON 1.0;
/// returns the URL and the number of requests received.
fn serve(responses: Vec<(&'static str, u16, String)>) -> (String, Arc<Mutex<Vec<String>>>) {
    aws_json_server("application/x-amz-json-1.0", move |request| {
        responses
            .iter()
            .find(|(t, _, _)| request.target.ends_with(&t.to_ascii_lowercase()))
            .filter(|_| request.signed)
            .map(|(_, s, b)| (*s, b.clone()))
            .unwrap_or((
                400,
                r#"{"__type":"ValidationException","message":"unsigned or unknown"}"#.into(),
            ))
    })
}

fn live(url: &str) -> assert_cmd::Command {
    let mut cmd = with_fake_aws_credentials(ftdesk());
    cmd.args(["check", "--live", "--endpoint-url", url]);
    cmd
}

#[test]
fn live_calls_both_operations_through_the_sdk() {
    let (url, seen) = serve(vec![
        ("AWSFreeTierService.GetFreeTierUsage", 200, USAGE.to_owned()),
        (
            "AWSFreeTierService.GetAccountPlanState",
            200,
            PLAN.to_owned(),
        ),
    ]);
    let out = live(&url).args(["--format", "json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen.lock().unwrap().len(), 2);
    assert_eq!(
        report["plan"],
        "free-plan",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        dec(&offer(&report, "ec2-micro-linux")["api"]["forecast"]),
        1224.into()
    );
    assert!(report["api_source"].as_str().unwrap().starts_with("live"));
}

#[test]
fn live_with_denied_credentials_fails_clearly() {
    let denied = r#"{"__type":"AccessDeniedException","message":"User is not authorized to perform: freetier:GetFreeTierUsage"}"#;
    let (url, _) = serve(vec![(
        "AWSFreeTierService.GetFreeTierUsage",
        400,
        denied.to_owned(),
    )]);
    let out = live(&url).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("GetFreeTierUsage") && err.contains("not authorized"),
        "{err}"
    );
}

#[test]
fn every_scenario_reads_the_same_offers_from_its_free_tier_api_json() {
    let catalog = ftdesk_core::Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    for scenario in ftdesk_sample::scenarios() {
        let month = scenario.generate(&catalog).month.to_string();
        let billing = write_scenario(scenario.name, dir.path());
        let json_dir = dir.path().join(scenario.name);
        let out = ftdesk()
            .args([
                "sample",
                "--scenario",
                scenario.name,
                "--format",
                "freetier-json",
                "--out",
            ])
            .arg(&json_dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json = std::fs::read_dir(&json_dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let from_bill = check_json(&[billing.to_str().unwrap(), "--month", &month]);
        let from_api = check_json(&[json.to_str().unwrap(), "--month", &month]);
        let offers = |r: &serde_json::Value| -> Vec<(String, String, String)> {
            let mut v: Vec<_> = r["offers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| {
                    (
                        o["id"].to_string(),
                        o["used"].to_string(),
                        o["limit"].to_string(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(offers(&from_bill), offers(&from_api), "{}", scenario.name);
    }
}
