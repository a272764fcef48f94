//! `check --fail-on`: exit 1 on a finding, 0 when clean, 2 on a bad
//! condition; an unknown net cost never fails the check but says so.

use std::path::Path;

use crate::common::{ftdesk, write_scenario, write_scenario_as};

/// (exit code, standard error) of `check FILE` with the given conditions.
fn check_with(file: &Path, conditions: &[&str]) -> (i32, String) {
    let mut command = ftdesk();
    command.arg("check").arg(file).args(["--format", "json"]);
    for condition in conditions {
        command.args(["--fail-on", condition]);
    }
    let out = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.stdout.is_empty(),
        "the report is written either way: {stderr}"
    );
    (out.status.code().unwrap(), stderr)
}

#[test]
fn a_clean_account_passes_every_condition() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario("within-limits", dir.path());
    let (code, stderr) = check_with(&file, &["exceeded,never-free", "net-over=0"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("fail-on"), "{stderr}");
}

#[test]
fn each_condition_fails_on_its_own_finding_only() {
    let dir = tempfile::tempdir().unwrap();
    let shared = write_scenario("two-instances", dir.path());
    let (code, stderr) = check_with(&shared, &["exceeded"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("fail-on: exceeded:"), "{stderr}");
    assert_eq!(check_with(&shared, &["never-free"]).0, 0);

    let nat = write_scenario("nat-gateway", dir.path());
    let (code, stderr) = check_with(&nat, &["never-free"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("NatGateway-Hours"), "{stderr}");
    assert_eq!(check_with(&nat, &["exceeded"]).0, 0);
}

#[test]
fn net_over_compares_the_known_net_cost() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario("two-instances", dir.path());
    let (code, stderr) = check_with(&file, &["net-over=8.55"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("the net cost is 8.56 USD, above 8.55"),
        "{stderr}"
    );
    assert_eq!(check_with(&file, &["net-over=8.56"]).0, 0);
}

#[test]
fn usage_without_charges_never_fails_net_over_but_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let api = write_scenario_as("two-instances", dir.path(), &["--format", "freetier-json"]);
    let (code, stderr) = check_with(&api, &["net-over=0"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("net cost is not known"), "{stderr}");
}

#[test]
fn a_condition_that_is_not_one_is_refused_with_exit_2() {
    let out = ftdesk()
        .args(["check", "x.csv", "--fail-on", "expensive"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("exceeded, never-free or net-over=AMOUNT"),
        "{stderr}"
    );
}
