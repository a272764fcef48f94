//! The binary built without its `aws` feature (`--no-default-features`):
//! the desk, practice and file checks work, and every way of reaching AWS
//! is refused with exit code 2 and a message naming what was asked for,
//! before anything is asked or paid for. `scripts/test.sh` runs it:
//!
//!     cargo test -p ftdesk-cli --no-default-features --test without_aws
//!
//! With the feature on (the default) this file is empty.
#![cfg(not(feature = "aws"))]

#[path = "it/common.rs"]
#[allow(dead_code)]
mod common;

use common::{ftdesk, stdout_of, with_fake_aws_credentials, write_scenario};

fn refusal(args: &[&str], cache: &std::path::Path) -> String {
    let output = with_fake_aws_credentials(ftdesk())
        .args(args)
        .args(["--account-created", "2025-02-03"])
        .env("XDG_CACHE_HOME", cache)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(error.contains("`aws` feature is off"), "{error}");
    assert!(!error.contains("panicked"), "{error}");
    error
}

#[test]
fn version_says_aws_is_not_built_in() {
    let version = String::from_utf8(stdout_of(ftdesk().arg("--version"))).unwrap();
    assert!(
        version.lines().any(|l| l.starts_with("aws: not built in")),
        "{version}"
    );
}

#[test]
fn s3_paths_are_refused_naming_the_bucket() {
    let dir = tempfile::tempdir().unwrap();
    let error = refusal(&["check", "s3://billing/cur/daily/"], dir.path());
    assert!(error.contains("s3://billing/"), "{error}");
}

#[test]
fn the_free_tier_api_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let error = refusal(&["check", "--live"], dir.path());
    assert!(error.contains("Free Tier API"), "{error}");
}

#[test]
fn cost_explorer_is_refused_before_its_cost_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "check",
        "--live",
        "--source",
        "cost-explorer",
        "--month",
        "2025-10",
        "--yes",
    ];
    let error = refusal(&args, dir.path());
    assert!(error.contains("Cost Explorer"), "{error}");
    assert!(!error.contains("Continue?"), "{error}");
}

#[test]
fn files_are_checked_as_in_the_full_build() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario("two-instances", dir.path());
    let output = ftdesk()
        .args([
            "check",
            "--format",
            "json",
            "--account-created",
            "2025-02-03",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        !report["charges"].as_array().unwrap().is_empty(),
        "{report}"
    );
}

#[test]
fn practice_writes_a_case() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    ftdesk()
        .args([
            "practice",
            "case",
            "--seed",
            "11",
            "--lang",
            "en",
            "--out-dir",
        ])
        .arg(&case)
        .assert()
        .success();
    assert!(case.is_dir());
    assert!(dir.path().join("case.key.json").is_file());
}
