//! Broken billing files through the real binary: a clear error naming the file, exit code 2.

use std::path::PathBuf;

use crate::common::{ftdesk, repo_root};

fn corpus(name: &str) -> PathBuf {
    let p = repo_root().join("crates/ftdesk-io/tests/corpus").join(name);
    assert!(p.exists(), "missing corpus file {}", p.display());
    p
}

fn fails_with(path: &std::path::Path, needles: &[&str]) {
    let out = ftdesk().arg("check").arg(path).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "no partial report on stdout");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    let file = path.file_name().unwrap().to_string_lossy();
    assert!(err.contains(file.as_ref()), "names the file: {err}");
    for needle in needles {
        assert!(err.contains(needle), "{needle} in: {err}");
    }
}

#[test]
fn header_only_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("header-only.csv");
    std::fs::write(&path, "identity/LineItemId,bill/PayerAccountId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageType,lineItem/UnblendedCost,lineItem/UsageAmount,lineItem/CurrencyCode\n").unwrap();
    fails_with(&path, &["no billing rows"]);
}

#[test]
fn a_missing_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(&dir.path().join("nope.csv"), &[]);
}

#[test]
fn every_broken_corpus_file_fails_cleanly() {
    let dir = repo_root().join("crates/ftdesk-io/tests/corpus");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("bad-") {
            continue;
        }
        seen += 1;
        fails_with(&path, &[]);
    }
    assert!(seen >= 5, "expected the broken corpus in {}", dir.display());
    let _ = corpus;
}
