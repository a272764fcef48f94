//! Broken Parquet, FOCUS and export folders through the real binary: exit
//! code 2 and a message naming the file and what was expected.

use std::fs;
use std::path::Path;

use crate::common::ftdesk;

fn fails_with(path: &Path, needles: &[&str]) {
    let out = ftdesk().arg("check").arg(path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}: {err}", path.display());
    assert!(out.stdout.is_empty(), "no partial report on stdout");
    assert!(!err.contains("panicked"), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "{needle:?} in: {err}");
    }
}

fn sample(dir: &Path, format: &str, layout: &str) -> std::path::PathBuf {
    let out = dir.join(format!("{format}-{layout}"));
    let status = ftdesk()
        .args(["sample", "--scenario", "two-instances", "--format", format])
        .args(["--layout", layout, "--out"])
        .arg(&out)
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    out
}

#[test]
fn broken_parquet_and_manifests_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let parquet =
        sample(dir.path(), "cur2-parquet", "file").join("two-instances-2025-10.snappy.parquet");
    let bytes = fs::read(&parquet).unwrap();
    fs::write(&parquet, &bytes[..bytes.len() - 100]).unwrap();
    fails_with(
        &parquet,
        &["two-instances-2025-10.snappy.parquet", "truncated"],
    );

    let fake = dir.path().join("fake.parquet");
    fs::write(&fake, b"hello").unwrap();
    fails_with(&fake, &["fake.parquet", "PAR1"]);

    let focus = dir.path().join("focus.csv");
    fs::write(
        &focus,
        "ChargeCategory,ChargePeriodStart,BillingCurrency\nUsage,2025-10-01T00:00:00Z,USD\n",
    )
    .unwrap();
    fails_with(&focus, &["focus.csv", "BilledCost"]);

    let export = sample(dir.path(), "focus-parquet", "export").join("two-instances");
    let manifest = export.join("metadata/BILLING_PERIOD=2025-10/two-instances-Manifest.json");
    fs::write(&manifest, b"not json").unwrap();
    fails_with(&export, &["two-instances-Manifest.json", "not valid JSON"]);
}
