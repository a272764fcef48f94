//! The guard with Cost Explorer as a source: saved JSON in a folder, and
//! Cost Explorer asked live (the real AWS SDK against a loopback server that
//! counts the paid requests) within `max_requests_per_day`, counted in the
//! state database across runs.

use std::path::Path;

use crate::common::{aws_json_server, ftdesk, with_fake_aws_credentials, write_scenario_as};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn guard_once(config: &Path) -> std::process::Output {
    with_fake_aws_credentials(ftdesk())
        .args(["guard", "--once", "--config"])
        .arg(config)
        .output()
        .expect("runs")
}

#[test]
fn a_folder_of_cost_explorer_json_is_a_source() {
    let dir = tempfile::tempdir().unwrap();
    write_scenario_as(
        "nat-gateway",
        &dir.path().join("ce"),
        &["--format", "ce-json"],
    );
    let config = dir.path().join("guard.toml");
    std::fs::write(
        &config,
        "account_created = \"2025-02-03\"\n[cost_explorer]\npaths = [\"ce\"]\n",
    )
    .unwrap();
    let out = guard_once(&config);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("NatGateway-Hours is never free"), "{text}");
    assert!(
        stderr(&out).contains("figures from cost-explorer,"),
        "the cycle records its source: {}",
        stderr(&out)
    );
}

#[test]
fn live_cost_explorer_stays_within_the_daily_budget_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let answer = write_scenario_as(
        "nat-gateway",
        &dir.path().join("sample"),
        &["--format", "ce-json"],
    );
    // This month is still open: AWS marks its figures as estimated.
    let mut answer: serde_json::Value =
        serde_json::from_slice(&std::fs::read(answer).unwrap()).unwrap();
    for period in answer["ResultsByTime"].as_array_mut().unwrap() {
        period["Estimated"] = true.into();
    }
    let answer = answer.to_string();
    let (url, seen) = aws_json_server("application/x-amz-json-1.1", move |request| {
        if request.signed && request.target == "awsinsightsindexservice.getcostandusage" {
            (200, answer.clone())
        } else {
            (
                400,
                r#"{"__type":"ValidationException","message":"unexpected"}"#.into(),
            )
        }
    });
    let config = dir.path().join("guard.toml");
    std::fs::write(
        &config,
        format!(
            "account_created = \"2025-02-03\"\n[cost_explorer]\nlive = true\n\
             max_requests_per_day = 1\nendpoint_url = \"{url}\"\n"
        ),
    )
    .unwrap();

    let first = guard_once(&config);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(seen.lock().unwrap().len(), 1, "one paid request");
    assert!(
        stderr(&first).contains("1 request(s)"),
        "{}",
        stderr(&first)
    );
    let alerts = String::from_utf8_lossy(&first.stdout);
    assert!(
        alerts.contains("NatGateway-Hours is never free"),
        "{alerts}"
    );

    // A new process on the same state: the day's one request is spent.
    let second = guard_once(&config);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(seen.lock().unwrap().len(), 1, "the budget held across runs");
    let told = stderr(&second);
    assert!(
        told.contains("refresh skipped") && told.contains("max_requests_per_day = 1"),
        "{told}"
    );
    assert!(told.contains("using the last answer"), "{told}");
    assert!(second.stdout.is_empty(), "nothing new to alert");
}
