//! The JSON report of every sample scenario (in every export format) and of
//! every real public sample, pinned by SHA-256 in `tests/data/report-sha256.txt`.
//!
//! The engine may change how it computes a report, never the report: any
//! difference in a single byte fails here. The version in `"tool"` is
//! replaced by `[version]` before hashing, so a release does not move them.
//! After a change meant to alter reports, rewrite the file and review why
//! every changed line changed:
//!
//!     FTDESK_UPDATE_REPORT_HASHES=1 cargo test -p ftdesk-cli -- report_hashes

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::common::{ftdesk, repo_root, shared_samples, write_scenario_as, EXPORT_FORMATS};

/// The real samples `check` reads (the header-only koku file is an error case).
const REAL_SAMPLES: [&str; 7] = [
    "cur-legacy-csv/focus-converters_sample-anonymous-aws-export-dataset.csv",
    "focus/focus-sample-data_focus_sample_1000.csv",
    "cur-legacy-csv/koku_test_cur.csv",
    "cur-legacy-csv/koku_test_cur.csv.gz",
    "cur-legacy-csv/koku_2023-06-01.csv",
    "cur-legacy-csv/koku_2023-06-01-not-final.csv",
    "cur-athena-snake/koku_2022-07-01-alt-columns.csv",
];

fn hashes_file() -> PathBuf {
    repo_root().join("crates/ftdesk-cli/tests/data/report-sha256.txt")
}

fn report_sha256(path: &Path) -> String {
    let out = ftdesk()
        .arg("check")
        .arg(path)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "check {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let version = concat!("ftdesk ", env!("CARGO_PKG_VERSION"));
    let text = String::from_utf8(out.stdout).expect("UTF-8 JSON");
    let digest = Sha256::digest(text.replace(version, "ftdesk [version]").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn current_hashes() -> BTreeMap<String, String> {
    let mut hashes = BTreeMap::new();
    let dir = tempfile::tempdir().unwrap();
    for scenario in ftdesk_sample::scenarios() {
        for format in EXPORT_FORMATS {
            let out = dir.path().join(format!("{}-{format}", scenario.name));
            std::fs::create_dir(&out).unwrap();
            let path = write_scenario_as(scenario.name, &out, &["--format", format]);
            let name = format!("scenario {} {format}", scenario.name);
            hashes.insert(name, report_sha256(&path));
        }
    }
    for rel in REAL_SAMPLES {
        let name = format!("sample {rel}");
        hashes.insert(name, report_sha256(&shared_samples().join(rel)));
    }
    hashes
}

fn render(hashes: &BTreeMap<String, String>) -> String {
    let mut text = String::from(
        "# SHA-256 of `ftdesk check FILE --format json` (version as [version]); see tests/it/report_hashes.rs\n",
    );
    for (name, hash) in hashes {
        text.push_str(&format!("{hash}  {name}\n"));
    }
    text
}

fn parse(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let (hash, name) = line.split_once("  ").expect("`HASH  NAME` lines");
            (name.to_owned(), hash.to_owned())
        })
        .collect()
}

#[test]
fn every_sample_report_is_byte_identical_to_the_pinned_one() {
    let current = current_hashes();
    if std::env::var_os("FTDESK_UPDATE_REPORT_HASHES").is_some() {
        std::fs::write(hashes_file(), render(&current)).unwrap();
        return;
    }
    let pinned = parse(&std::fs::read_to_string(hashes_file()).expect("the pinned hashes"));
    let differing: BTreeSet<&String> = current
        .keys()
        .chain(pinned.keys())
        .filter(|name| current.get(*name) != pinned.get(*name))
        .collect();
    assert!(
        differing.is_empty(),
        "reports changed (or were added or removed): {differing:?}; \
         if meant, see the top of tests/it/report_hashes.rs"
    );
}
