//! The guard's sources: a billing folder that keeps being updated (only a
//! change leads to accounting), and the Free Tier API's JSON.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::common::{ftdesk, write_scenario};
use crate::guard::guard_once;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The ids of the alerts printed on standard output.
fn printed_ids(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            l.strip_prefix('[')?
                .split_once(']')
                .map(|(id, _)| id.to_owned())
        })
        .collect()
}

fn write_config(dir: &Path, paths: &str, extra: &str) -> std::path::PathBuf {
    let config = dir.join("guard.toml");
    std::fs::write(&config, format!("paths = [{paths}]\n{extra}")).unwrap();
    config
}

#[test]
fn an_updated_billing_folder_is_reread_only_when_its_bytes_change() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let bill = write_scenario("nat-gateway", &data);
    // The state database sits inside the watched folder: it must not count as input.
    let config = write_config(dir.path(), "\"data\"", "state = \"data/guard.sqlite\"\n");

    let first = guard_once(&config);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("1 of 1 files re-read (0 from the cache)"),
        "{}",
        stderr(&first)
    );
    let first_ids = printed_ids(&first);
    assert!(!first_ids.is_empty());

    let same = guard_once(&config);
    assert!(same.status.success());
    assert!(
        stderr(&same).contains("inputs unchanged since the last cycle"),
        "{}",
        stderr(&same)
    );
    assert!(same.stdout.is_empty());

    // Rewritten with the same bytes (a new mtime): still no accounting.
    let bytes = std::fs::read(&bill).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&bill, &bytes).unwrap();
    let touched = guard_once(&config);
    assert!(
        stderr(&touched).contains("inputs unchanged since the last cycle"),
        "{}",
        stderr(&touched)
    );

    // The delivery replaces the month's file with one that also holds a public IPv4 address.
    let ipv4_dir = tempfile::tempdir().unwrap();
    let ipv4 = write_scenario("public-ipv4", ipv4_dir.path());
    std::fs::remove_file(&bill).unwrap();
    std::fs::copy(&ipv4, data.join(ipv4.file_name().unwrap())).unwrap();
    let changed = guard_once(&config);
    assert!(changed.status.success(), "{}", stderr(&changed));
    assert!(
        stderr(&changed).contains("1 of 1 files re-read (0 from the cache)"),
        "{}",
        stderr(&changed)
    );
    let new_ids = printed_ids(&changed);
    assert!(!new_ids.is_empty(), "the new data brings new alerts");
    assert!(
        new_ids.iter().all(|id| !first_ids.contains(id)),
        "an alert already sent is not sent again: {new_ids:?} / {first_ids:?}"
    );
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn free_tier_api_json_is_a_source() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("usage.json"),
        r#"{"freeTierUsages":[
  {"service":"Amazon Elastic Compute Cloud","operation":"RunInstances","usageType":"Global-BoxUsage:freetier.micro",
   "region":"global","actualUsageAmount":300.0,"forecastedUsageAmount":1100.0,"limit":750.0,"unit":"Hrs",
   "description":"750.0 Hrs for free for 12 months as part of AWS Free Usage Tier (Global-BoxUsage:freetier.micro)",
   "freeTierType":"12 Months Free"}]}"#,
    )
    .unwrap();
    let expires = unix_now() + 5 * 86_400 + 3_600;
    std::fs::write(
        dir.path().join("plan.json"),
        format!(
            r#"{{"accountId":"111122223333","accountPlanType":"FREE","accountPlanStatus":"ACTIVE",
  "accountPlanRemainingCredits":{{"amount":12.5,"unit":"USD"}},"accountPlanExpirationDate":{expires}}}"#
        ),
    )
    .unwrap();
    let config = write_config(
        dir.path(),
        "\"usage.json\", \"plan.json\"",
        "[rules]\ncredits_below = 20\nplan_end_days = 14\n",
    );
    let out = guard_once(&config);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("will run past its free allowance"), "{text}");
    assert!(
        text.contains("Free plan credits are down to $12.50"),
        "{text}"
    );
    assert!(text.contains("The free plan ends on"), "{text}");
    assert!(text.contains("5 days left"), "{text}");
    assert!(
        stderr(&out).contains("2 of 2 files re-read (0 from the cache)"),
        "{}",
        stderr(&out)
    );
    let again = guard_once(&config);
    assert!(again.stdout.is_empty());
}

#[test]
fn a_missing_source_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "\"nowhere\"", "");
    let out = ftdesk()
        .args(["guard", "--once", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));
}
