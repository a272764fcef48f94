//! `check --live --source cost-explorer`: the real AWS SDK against a
//! loopback server answering GetCostAndUsage in AWS's documented JSON 1.1
//! shapes, page by page; paid requests are agreed to first; closed months
//! come from the cache.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::common::{
    aws_json_server, cents, dec, ftdesk, with_fake_aws_credentials, write_scenario_as,
};

/// The request bodies the server received, in order.
type Seen = Arc<Mutex<Vec<String>>>;

/// Answers signed GetCostAndUsage requests (AWS JSON 1.1) with `responses`,
/// one each, in order.
fn serve(responses: Vec<(u16, String)>) -> (String, Seen) {
    let mut queue: VecDeque<(u16, String)> = responses.into();
    aws_json_server("application/x-amz-json-1.1", move |request| {
        if request.signed && request.target == "awsinsightsindexservice.getcostandusage" {
            queue.pop_front().unwrap_or((
                500,
                r#"{"__type":"InternalError","message":"no more answers"}"#.into(),
            ))
        } else {
            (
                400,
                r#"{"__type":"ValidationException","message":"unsigned or unknown"}"#.into(),
            )
        }
    })
}

fn live(url: &str, cache: &Path) -> assert_cmd::Command {
    let mut cmd = with_fake_aws_credentials(ftdesk());
    cmd.args([
        "check",
        "--live",
        "--source",
        "cost-explorer",
        "--endpoint-url",
        url,
    ])
    .args(["--month", "2025-10", "--account-created", "2025-02-03"])
    .env("XDG_CACHE_HOME", cache);
    cmd
}

/// The two-instances month as two pages of GetCostAndUsage answers.
fn two_pages(dir: &Path) -> (String, String) {
    let file = write_scenario_as("two-instances", dir, &["--format", "ce-json"]);
    let mut json: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    let results = json["ResultsByTime"].as_array().unwrap().clone();
    let (first, second) = results.split_at(results.len() / 2);
    json["ResultsByTime"] = Value::Array(first.to_vec());
    json["NextPageToken"] = Value::String("page-2".into());
    let page1 = json.to_string();
    json["ResultsByTime"] = Value::Array(second.to_vec());
    json.as_object_mut().unwrap().remove("NextPageToken");
    (page1, json.to_string())
}

#[test]
fn pages_throttling_cost_and_cache_through_the_sdk() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let (page1, page2) = two_pages(&dir.path().join("sample"));
    let throttled = r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.to_owned();
    let (url, seen) = serve(vec![(400, throttled), (200, page1), (200, page2)]);
    let out = live(&url, &cache)
        .args(["--yes", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cents(dec(&report["net_cost"])), "8.56".parse().unwrap());
    assert!(
        stderr.contains("$0.01 per request") && stderr.contains("2025-10"),
        "{stderr}"
    );
    assert!(
        stderr.contains("another page"),
        "the second page was asked about: {stderr}"
    );
    let bodies = seen.lock().unwrap().clone();
    assert_eq!(
        bodies.len(),
        3,
        "throttled once, retried, then the second page"
    );
    assert!(bodies[2].contains("page-2"), "{}", bodies[2]);
    assert!(bodies[0].contains("USAGE_TYPE") && bodies[0].contains("UsageQuantity"));

    // October 2025 is closed: the second run asks nothing.
    let again = live(&url, &cache)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(seen.lock().unwrap().len(), 3, "nothing paid twice");
    let cached: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(cached["net_cost"], report["net_cost"]);
}

#[test]
fn without_a_terminal_or_yes_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = serve(Vec::new());
    let out = live(&url, &dir.path().join("cache")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--yes") && stderr.contains("declined"),
        "{stderr}"
    );
    assert!(seen.lock().unwrap().is_empty(), "no request was sent");
}

#[test]
fn access_denied_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let denied = r#"{"__type":"AccessDeniedException","Message":"User: arn:aws:iam::111122223333:user/student is not authorized to perform: ce:GetCostAndUsage"}"#;
    let (url, _) = serve(vec![(400, denied.to_owned())]);
    let out = live(&url, &dir.path().join("cache"))
        .arg("--yes")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ce:GetCostAndUsage") && stderr.contains("2025-10"),
        "{stderr}"
    );
}
