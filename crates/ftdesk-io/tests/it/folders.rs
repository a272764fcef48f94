//! Reading a folder: recursive, sorted, hidden entries and manifests skipped.

use std::fs;

use ftdesk_io::ReadError;

use crate::support::{assert_mentions, corpus, read_error, read_totals};

#[test]
fn walks_sorted_and_skips_hidden_files_and_manifests() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let valid = fs::read(corpus("bom_crlf.csv")).unwrap();
    fs::create_dir_all(root.join("20231101-20231201/abc")).unwrap();
    fs::create_dir_all(root.join(".hidden")).unwrap();
    fs::write(root.join("b.csv"), &valid).unwrap();
    fs::write(root.join("a.CSV"), &valid).unwrap();
    fs::write(root.join("20231101-20231201/abc/cur-00001.csv.gz"), &valid).unwrap();
    fs::write(root.join("20231101-20231201/cur-Manifest.json"), b"{}").unwrap();
    fs::write(root.join(".hidden/c.csv"), b"not read").unwrap();
    fs::write(root.join(".d.csv"), b"not read").unwrap();
    fs::write(root.join("notes.txt"), b"not read").unwrap();

    let (summary, totals) = read_totals(root).unwrap();
    let names: Vec<_> = summary
        .files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        ["20231101-20231201/abc/cur-00001.csv.gz", "a.CSV", "b.csv"]
    );
    assert_eq!(totals.rows, 6);
    assert_eq!(summary.rows(), 6);
    assert!(
        summary.files.iter().all(|f| !f.compressed),
        "a .gz name without gzip bytes is read as plain CSV"
    );
}

#[test]
fn folder_without_billing_files_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("cur-Manifest.json"), b"{}").unwrap();
    let err = read_error(dir.path());
    assert!(matches!(err, ReadError::NoBillingFiles { .. }), "{err:?}");
    assert_mentions(
        &err,
        &[&dir.path().display().to_string(), "no billing files"],
    );
}

#[test]
fn first_bad_file_stops_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(corpus("header_only.csv"), dir.path().join("1.csv")).unwrap();
    fs::copy(corpus("bad_date.csv"), dir.path().join("2.csv")).unwrap();
    let err = read_error(dir.path());
    assert!(matches!(err, ReadError::BadDate { .. }), "{err:?}");
    assert_mentions(&err, &["2.csv", "row 1 (line 2)"]);
}
