//! `ftdesk sample --rows`: the Organization-sized files of the speed benchmark.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{check_json, dec, ftdesk, stdout_of, write_scenario_as};

fn write_large(
    rows: u64,
    format: &str,
    extra: &[&str],
    dir: &std::path::Path,
) -> std::path::PathBuf {
    let out = ftdesk()
        .args(["sample", "--rows", &rows.to_string(), "--format", format])
        .args(extra)
        .arg("--out")
        .arg(dir)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{rows} rows")), "{stderr}");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.remove(0)
}

/// What must not depend on the file format.
fn sums(report: &Value) -> (u64, Decimal, Decimal, Decimal, usize) {
    (
        report["rows"].as_u64().unwrap(),
        dec(&report["net_cost"]),
        dec(&report["credits"]),
        dec(&report["tax"]),
        report["charges"].as_array().unwrap().len(),
    )
}

#[test]
fn every_format_holds_the_same_bill_of_exactly_the_rows_asked() {
    let rows = 30_000;
    let mut seen = Vec::new();
    for (format, extra) in [
        ("cur-csv", &["--gzip"][..]),
        ("cur2-parquet", &[][..]),
        ("focus-parquet", &[][..]),
        ("cur2-csv", &[][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = write_large(rows, format, extra, dir.path());
        let report = check_json(&[file.to_str().unwrap()]);
        assert_eq!(report["month"], "2026-10", "{format}");
        assert_eq!(
            report["accounts"].as_array().unwrap().len(),
            1_000,
            "{format}"
        );
        let s = sums(&report);
        assert_eq!(s.0, rows, "{format}");
        assert!(
            s.2 < Decimal::ZERO && s.3 > Decimal::ZERO,
            "{format}: {s:?}"
        );
        seen.push((format, s));
    }
    for (format, s) in &seen[1..] {
        assert_eq!(s, &seen[0].1, "{format} differs from {}", seen[0].0);
    }
}

#[test]
fn the_seed_decides_the_file() {
    let write = |seed: &str| {
        let dir = tempfile::tempdir().unwrap();
        let file = write_large(2_000, "cur-csv", &["--seed", seed], dir.path());
        std::fs::read(file).unwrap()
    };
    assert_eq!(write("1"), write("1"));
    assert_ne!(write("1"), write("2"));
}

#[test]
fn rows_refuses_what_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let out = ftdesk()
        .args([
            "sample",
            "--rows",
            "10",
            "--format",
            "freetier-json",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("billing --as"));
    let out = ftdesk()
        .args([
            "sample",
            "--rows",
            "10",
            "--scenario",
            "nat-gateway",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = ftdesk()
        .args(["sample", "--rows", "ten", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rows"));
}

#[test]
fn a_closed_pipe_ends_the_scenario_list_quietly() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ftdesk"))
        .args(["sample", "--list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn the_report_is_the_same_read_on_one_thread_or_several() {
    let dir = tempfile::tempdir().unwrap();
    // The sample's row groups hold 1,024 rows: three threads read three runs.
    let file = write_scenario_as("two-instances", dir.path(), &["--format", "cur2-parquet"]);
    let report = |threads: &str| {
        stdout_of(
            ftdesk()
                .env("FTDESK_THREADS", threads)
                .args(["check", "--format", "json"])
                .arg(&file),
        )
    };
    let one = report("1");
    assert!(one.len() > 1_000);
    assert_eq!(report("3"), one);
    assert_eq!(report("2"), one);
}
