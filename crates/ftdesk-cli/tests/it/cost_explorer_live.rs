//! `check --live --source cost-explorer`: the real AWS SDK against a
//! loopback server answering GetCostAndUsage in AWS's documented JSON 1.1
//! shapes, page by page; paid requests are agreed to first; closed months
//! come from the cache.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::common::{cents, dec, ftdesk, write_scenario_as};

/// The request bodies the server received, in order.
type Seen = Arc<Mutex<Vec<String>>>;

/// Answers signed GetCostAndUsage requests with `responses`, one each, in order.
fn serve(responses: Vec<(u16, String)>) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let mut queue: VecDeque<(u16, String)> = responses.into();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut target, mut length, mut signed) = (String::new(), 0usize, false);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("x-amz-target:") {
                    target = v.trim().to_owned();
                } else if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                } else if lower.starts_with("authorization: aws4-hmac-sha256") {
                    signed = true;
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            record
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            let (status, text) = if signed && target == "awsinsightsindexservice.getcostandusage" {
                queue.pop_front().unwrap_or((
                    500,
                    r#"{"__type":"InternalError","message":"no more answers"}"#.into(),
                ))
            } else {
                (
                    400,
                    r#"{"__type":"ValidationException","message":"unsigned or unknown"}"#.into(),
                )
            };
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (url, seen)
}

fn live(url: &str, cache: &Path) -> assert_cmd::Command {
    let mut cmd = ftdesk();
    cmd.args([
        "check",
        "--live",
        "--source",
        "cost-explorer",
        "--endpoint-url",
        url,
    ])
    .args(["--month", "2025-10", "--account-created", "2025-02-03"])
    .env("XDG_CACHE_HOME", cache)
    .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    .env(
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    )
    .env("AWS_EC2_METADATA_DISABLED", "true")
    .env("AWS_CONFIG_FILE", "/nonexistent")
    .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    .env_remove("AWS_PROFILE");
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
