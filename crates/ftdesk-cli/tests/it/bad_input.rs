//! Broken billing files through the real binary: a clear error naming the file,
//! the row and column where there is one, exit code 2, nothing on standard output.

use std::path::{Path, PathBuf};

use crate::common::{ftdesk, repo_root, shared_samples};

fn corpus(name: &str) -> PathBuf {
    let p = repo_root().join("crates/ftdesk-io/tests/corpus").join(name);
    assert!(p.exists(), "missing corpus file {}", p.display());
    p
}

fn fails_with(path: &Path, needles: &[&str]) {
    let out = ftdesk().arg("check").arg(path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}: {err}", path.display());
    assert!(out.stdout.is_empty(), "no partial report on stdout");
    assert!(!err.contains("panicked"), "{err}");
    let file = path.file_name().unwrap().to_string_lossy();
    assert!(err.contains(file.as_ref()), "names the file: {err}");
    for needle in needles {
        assert!(err.contains(needle), "{needle:?} in: {err}");
    }
}

#[test]
fn broken_files_fail_with_located_errors() {
    let cases: &[(&str, &[&str])] = &[
        ("empty.csv", &["empty"]),
        ("header_only.csv", &["no billing rows"]),
        ("missing_column.csv", &["lineItem/UnblendedCost"]),
        (
            "bad_amount.csv",
            &["row 2", "lineItem/UsageAmount", "\"abc\""],
        ),
        ("bad_date.csv", &["row", "UsageStartDate"]),
        ("empty_cost.csv", &["row", "lineItem/UnblendedCost"]),
        (
            "mixed_currency.csv",
            &["row 3", "lineItem/CurrencyCode", "EUR", "USD"],
        ),
        ("too_few_fields.csv", &["row"]),
        ("too_many_fields.csv", &["row"]),
        ("not_csv.html", &["HTML"]),
        ("not_csv.json", &["JSON"]),
        ("focus.csv", &[]),
    ];
    for (name, needles) in cases {
        fails_with(&corpus(name), needles);
    }
}

#[test]
fn a_truncated_gzip_is_named_as_such() {
    let real = std::fs::read(shared_samples().join("cur-legacy-csv/koku_test_cur.csv.gz")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.csv.gz");
    std::fs::write(&path, &real[..real.len() / 2]).unwrap();
    fails_with(&path, &["truncated"]);
}

#[test]
fn bom_crlf_and_long_fields_are_read() {
    for name in ["bom_crlf.csv", "long_description.csv"] {
        let out = ftdesk().arg("check").arg(corpus(name)).output().unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn missing_paths_and_empty_folders_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(&dir.path().join("nope.csv"), &[]);
    let empty = dir.path().join("empty-folder");
    std::fs::create_dir(&empty).unwrap();
    fails_with(&empty, &[]);
}

#[test]
fn a_bad_month_argument_is_a_usage_error() {
    let out = ftdesk()
        .args(["check", "x.csv", "--month", "2026-13"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM"));
}
