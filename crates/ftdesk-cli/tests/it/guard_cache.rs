//! The guard keeps each billing file's accounting in its state database and
//! re-reads only the files that changed, across `--once` runs; the alerts are
//! those a fresh state database over the same files gives.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::common::{test_python, write_scenario};
use crate::guard::guard_once;
use crate::s3::{put, start_moto};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs one cycle, checks it succeeded and said `summary` on standard error.
fn cycle(config: &Path, summary: &str) -> std::process::Output {
    let out = guard_once(config);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("guard: {summary},")),
        "expected {summary:?} in: {}",
        stderr(&out)
    );
    out
}

/// The printed alerts, one block each, sorted.
fn alerts(out: &std::process::Output) -> Vec<String> {
    let text = String::from_utf8_lossy(&out.stdout);
    let mut blocks: Vec<String> = text
        .split("\n\n")
        .map(|b| b.trim().to_owned())
        .filter(|b| !b.is_empty())
        .collect();
    blocks.sort();
    blocks
}

/// Forgets the alerts and the last cycle's fingerprint, keeping the stored
/// ledgers: the next cycle evaluates and prints every alert that holds.
fn forget_alerts(state: &Path) {
    let db = Connection::open(state).unwrap();
    db.execute_batch("DELETE FROM deliveries; DELETE FROM alerts; DELETE FROM guard_state;")
        .unwrap();
}

/// What a guard with an empty state database prints over the same paths.
fn fresh_alerts(dir: &Path, paths: &str) -> Vec<String> {
    let fresh = dir.join("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    std::fs::create_dir(&fresh).unwrap();
    let config = fresh.join("guard.toml");
    std::fs::write(
        &config,
        format!("paths = [{paths}]\nstate = \"state.sqlite\"\n"),
    )
    .unwrap();
    let out = guard_once(&config);
    assert!(out.status.success(), "{}", stderr(&out));
    alerts(&out)
}

fn stored_paths(state: &Path) -> Vec<String> {
    let db = Connection::open(state).unwrap();
    let mut statement = db
        .prepare("SELECT path FROM ledgers ORDER BY path")
        .unwrap();
    let rows = statement.query_map([], |row| row.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

/// A folder of three October bills (one payer): their offers share pools.
fn three_bills(dir: &Path) -> (PathBuf, Vec<PathBuf>) {
    let data = dir.join("data");
    std::fs::create_dir(&data).unwrap();
    let bills = ["nat-gateway", "public-ipv4", "s3-requests"]
        .map(|name| write_scenario(name, &data))
        .to_vec();
    (data, bills)
}

#[test]
fn only_a_changed_file_is_read_again_and_the_alerts_are_those_of_a_fresh_state() {
    let dir = tempfile::tempdir().unwrap();
    let (data, bills) = three_bills(dir.path());
    let config = dir.path().join("guard.toml");
    std::fs::write(&config, "paths = [\"data\"]\nstate = \"state.sqlite\"\n").unwrap();
    let state = dir.path().join("state.sqlite");
    let paths = format!("\"{}\"", data.display());

    let first = cycle(&config, "3 of 3 files re-read (0 from the cache)");
    assert_eq!(alerts(&first), fresh_alerts(dir.path(), &paths));
    assert_eq!(stored_paths(&state).len(), 3);

    // The delivery rewrites one file with other usage (two instances).
    let other = tempfile::tempdir().unwrap();
    let two_instances = write_scenario("two-instances", other.path());
    std::fs::copy(&two_instances, &bills[1]).unwrap();
    forget_alerts(&state);
    let second = cycle(&config, "1 of 3 files re-read (2 from the cache)");
    let expected = fresh_alerts(dir.path(), &paths);
    assert_eq!(alerts(&second), expected);
    assert!(
        expected.iter().any(|a| a.contains("t2.micro")),
        "the rewritten file's instances count: {expected:#?}"
    );

    // A file that disappears takes its rows with it.
    std::fs::remove_file(&bills[2]).unwrap();
    forget_alerts(&state);
    let third = cycle(&config, "0 of 2 files re-read (2 from the cache)");
    let expected = fresh_alerts(dir.path(), &paths);
    assert_eq!(alerts(&third), expected);
    assert!(
        alerts(&first).iter().any(|a| a.contains("S3 GET"))
            && !expected.iter().any(|a| a.contains("S3 GET")),
        "the S3 requests left with their file: {expected:#?}"
    );
    assert_eq!(stored_paths(&state).len(), 2);
}

#[test]
fn a_damaged_stored_ledger_is_read_again_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let (data, bills) = three_bills(dir.path());
    let config = dir.path().join("guard.toml");
    std::fs::write(&config, "paths = [\"data\"]\nstate = \"state.sqlite\"\n").unwrap();
    let state = dir.path().join("state.sqlite");
    let first = cycle(&config, "3 of 3 files re-read (0 from the cache)");

    let db = Connection::open(&state).unwrap();
    let damage = |path: &Path, ledger: &str| {
        let changed = db
            .execute(
                "UPDATE ledgers SET ledger = ?1 WHERE path = ?2",
                rusqlite::params![ledger, path.display().to_string()],
            )
            .unwrap();
        assert_eq!(changed, 1, "{}", path.display());
    };
    damage(&bills[0], "garbage \u{0} not json");
    // Well-formed, but naming strings the table does not have.
    let text: String = db
        .query_row(
            "SELECT ledger FROM ledgers WHERE path = ?1",
            [bills[1].display().to_string()],
            |row| row.get(0),
        )
        .unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["ledger"]["strings"] = serde_json::json!([]);
    damage(&bills[1], &value.to_string());
    drop(db);

    forget_alerts(&state);
    let again = cycle(&config, "2 of 3 files re-read (1 from the cache)");
    assert_eq!(alerts(&again), alerts(&first));
    assert_eq!(
        alerts(&again),
        fresh_alerts(dir.path(), &format!("\"{}\"", data.display()))
    );
    // The damaged entries were replaced by good ones.
    forget_alerts(&state);
    cycle(&config, "0 of 3 files re-read (3 from the cache)");
}

#[test]
fn another_account_filter_does_not_reuse_the_stored_ledgers() {
    let dir = tempfile::tempdir().unwrap();
    three_bills(dir.path());
    let config = dir.path().join("guard.toml");
    std::fs::write(&config, "paths = [\"data\"]\nstate = \"state.sqlite\"\n").unwrap();
    cycle(&config, "3 of 3 files re-read (0 from the cache)");
    std::fs::write(
        &config,
        "paths = [\"data\"]\nstate = \"state.sqlite\"\naccount = \"111122223333\"\n",
    )
    .unwrap();
    cycle(&config, "3 of 3 files re-read (0 from the cache)");
}

#[test]
fn unchanged_s3_objects_are_neither_downloaded_nor_read_again() {
    let moto = start_moto();
    put(&moto, "/billing", b"");
    let dir = tempfile::tempdir().unwrap();
    let local = tempfile::tempdir().unwrap();
    let upload = |name: &str, key: &str| {
        let file = write_scenario(name, local.path());
        put(
            &moto,
            &format!("/billing/cur/{key}"),
            &std::fs::read(file).unwrap(),
        );
    };
    upload("nat-gateway", "a-2025-10.csv");
    upload("s3-requests", "b-2025-10.csv");
    let config = dir.path().join("guard.toml");
    std::fs::write(
        &config,
        "paths = [\"s3://billing/cur/\"]\nstate = \"state.sqlite\"\n",
    )
    .unwrap();
    let run = || {
        let out = moto
            .ftdesk()
            .args(["guard", "--once", "--config"])
            .arg(&config)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        out
    };
    let first = run();
    assert!(
        stderr(&first).contains("2 of 2 files re-read (0 from the cache)"),
        "{}",
        stderr(&first)
    );
    let same = run();
    assert!(
        stderr(&same).contains("inputs unchanged since the last cycle"),
        "{}",
        stderr(&same)
    );
    // One object is replaced (moto refuses unsigned overwrites: a signed
    // put with boto3, which moto's server brings along).
    let replacement = write_scenario("public-ipv4", local.path());
    replace_object(&moto.url, "billing", "cur/b-2025-10.csv", &replacement);
    let changed = run();
    assert!(
        stderr(&changed).contains("1 of 2 files re-read (1 from the cache)"),
        "{}",
        stderr(&changed)
    );
    let ipv4 = alerts(&changed);
    assert!(
        ipv4.iter().any(|a| a.contains("IPv4")),
        "the replaced object's usage is accounted: {ipv4:#?}"
    );
    assert!(
        !ipv4.iter().any(|a| a.contains("S3 GET")),
        "the replaced object's old usage is gone: {ipv4:#?}"
    );
}

fn replace_object(endpoint: &str, bucket: &str, key: &str, file: &Path) {
    let script = "import sys, boto3\n\
        s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1',\n\
            aws_access_key_id='testing', aws_secret_access_key='testing')\n\
        s3.put_object(Bucket=sys.argv[2], Key=sys.argv[3], Body=open(sys.argv[4], 'rb').read())\n";
    let out = std::process::Command::new(test_python("boto3 (installed with moto)"))
        .args(["-c", script, endpoint, bucket, key])
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A guard cycle records what its figures were read from, as a `check`
/// report does: the billing files' kind, also when their ledgers come from
/// the state database.
#[test]
fn a_cycle_records_its_sources_also_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    three_bills(dir.path());
    let config = dir.path().join("guard.toml");
    std::fs::write(&config, "paths = [\"data\"]\nstate = \"state.sqlite\"\n").unwrap();
    let read = cycle(&config, "3 of 3 files re-read (0 from the cache)");
    assert!(
        stderr(&read).contains("new), figures from cur,"),
        "{}",
        stderr(&read)
    );
    // Another config (a comment) reads the inputs again, from the cache.
    std::fs::write(
        &config,
        "# again\npaths = [\"data\"]\nstate = \"state.sqlite\"\n",
    )
    .unwrap();
    let cached = cycle(&config, "0 of 3 files re-read (3 from the cache)");
    assert!(
        stderr(&cached).contains("new), figures from cur,"),
        "{}",
        stderr(&cached)
    );
}
