//! One vocabulary for flags: `--format` only chooses how output is rendered,
//! the kind of data has its own name (`--as`, `--schema`), `-o/--output` is a
//! file and `--out-dir` a folder. The old spellings still work.

use std::path::Path;

use crate::common::ftdesk;

fn run(args: &[&str]) -> Vec<u8> {
    let out = ftdesk().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn only_file(dir: &Path) -> Vec<u8> {
    let entry = std::fs::read_dir(dir).unwrap().next().unwrap().unwrap();
    std::fs::read(entry.path()).unwrap()
}

#[test]
fn new_and_old_spellings_do_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (new, old) = (dir.path().join("new"), dir.path().join("old"));
    let (new_s, old_s) = (new.to_str().unwrap(), old.to_str().unwrap());
    run(&[
        "sample",
        "--scenario",
        "two-instances",
        "--as",
        "cur2-csv",
        "--out-dir",
        new_s,
    ]);
    run(&[
        "sample",
        "--scenario",
        "two-instances",
        "--format",
        "cur2-csv",
        "--out",
        old_s,
    ]);
    let bill = only_file(&new);
    assert_eq!(bill, only_file(&old));

    let file = std::fs::read_dir(&new)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let file = file.to_str().unwrap();
    let (short, long, legacy) = (
        dir.path().join("short.json"),
        dir.path().join("long.json"),
        dir.path().join("legacy.json"),
    );
    for (flag, path) in [("-o", &short), ("--output", &long), ("--out", &legacy)] {
        run(&[
            "check",
            file,
            "--format",
            "json",
            flag,
            path.to_str().unwrap(),
        ]);
    }
    let report = std::fs::read(&short).unwrap();
    assert!(report.starts_with(b"{"), "a JSON report");
    assert_eq!(report, std::fs::read(&long).unwrap());
    assert_eq!(report, std::fs::read(&legacy).unwrap());

    let sql = ["sql", "--dialect", "duckdb", "--path", "x.parquet"];
    let schema = run(&[&sql[..], &["--schema", "focus"]].concat());
    assert_eq!(schema, run(&[&sql[..], &["--format", "focus"]].concat()));
    assert_ne!(
        schema,
        run(&sql),
        "--schema chose focus, not the default cur2"
    );

    let terraform = run(&["guard", "plan", "--as", "terraform"]);
    assert_eq!(terraform, run(&["guard", "plan", "--format", "terraform"]));
    assert!(String::from_utf8_lossy(&terraform).contains("resource \""));
}

#[test]
fn help_shows_the_new_names_only() {
    let sample = String::from_utf8(run(&["sample", "--help"])).unwrap();
    assert!(
        sample.contains("--as <") && sample.contains("--out-dir <"),
        "{sample}"
    );
    assert!(!sample.contains("--format"), "{sample}");
    let check = String::from_utf8(run(&["check", "--help"])).unwrap();
    assert!(check.contains("-o, --output <FILE>"), "{check}");
    assert!(!check.contains("--out <"), "{check}");
}

#[test]
fn quiet_leaves_only_errors_on_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let args = ["sample", "--scenario", "two-instances", "--out-dir", out];
    let loud = ftdesk().args(args).output().unwrap();
    assert!(String::from_utf8_lossy(&loud.stderr).contains("wrote "));
    let quiet = ftdesk().args(args).arg("--quiet").output().unwrap();
    assert!(quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");

    let folder = ftdesk().args(["check", out, "-q"]).output().unwrap();
    assert!(folder.status.success());
    assert!(!folder.stdout.is_empty(), "the report is still written");
    assert_eq!(
        String::from_utf8_lossy(&folder.stderr),
        "",
        "no reading notes"
    );

    let missing = dir.path().join("missing.csv");
    let error = ftdesk()
        .arg("check")
        .arg(&missing)
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(error.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&error.stderr).contains("missing.csv"));
}

#[test]
fn the_desk_database_comes_from_ftdesk_db_when_db_is_not_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env.sqlite");
    let init = ftdesk()
        .args(["desk", "init", "--admin", "lead@example.com"])
        .env("FTDESK_DB", &db)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    assert!(db.exists(), "FTDESK_DB named the database");
    let help = String::from_utf8(run(&["desk", "serve", "--help"])).unwrap();
    assert!(help.contains("env: FTDESK_DB"), "{help}");
    let without = ftdesk()
        .args(["desk", "init", "--admin", "a@example.com"])
        .output()
        .unwrap();
    assert_eq!(without.status.code(), Some(2), "neither --db nor FTDESK_DB");
}
