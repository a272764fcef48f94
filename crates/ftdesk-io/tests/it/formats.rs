//! Bad input per format: every failure names the file and what was expected.

use std::fs;
use std::path::{Path, PathBuf};

use ftdesk_core::Catalog;
use ftdesk_io::{Format, ReadError};
use ftdesk_sample::{Layout, OutputFormat, WriteOptions};

use crate::support::{assert_mentions, read_error, read_totals};

fn write(dir: &Path, format: OutputFormat, layout: Layout) -> PathBuf {
    let scenario = ftdesk_sample::find("two-instances").unwrap();
    let options = WriteOptions {
        format,
        gzip: false,
        layout,
    };
    ftdesk_sample::write_scenario_as(scenario, &Catalog::embedded(), dir, options).unwrap()
}

#[test]
fn every_format_is_detected_by_content_and_reads_the_same_total() {
    let dir = tempfile::tempdir().unwrap();
    let mut totals = Vec::new();
    for (format, want) in [
        (OutputFormat::CurCsv, Format::LegacyCsv),
        (OutputFormat::Cur2Csv, Format::Cur2Csv),
        (OutputFormat::Cur2Parquet, Format::Cur2Parquet),
        (OutputFormat::FocusCsv, Format::FocusCsv),
        (OutputFormat::FocusParquet, Format::FocusParquet),
    ] {
        let path = write(dir.path(), format, Layout::File);
        let renamed = path.with_extension("data");
        fs::rename(&path, &renamed).unwrap();
        let (summary, total) = read_totals(&renamed).unwrap();
        assert_eq!(summary.files[0].format, want);
        totals.push((total.rows, total.cost));
    }
    assert!(totals.windows(2).all(|w| w[0] == w[1]), "{totals:?}");
}

#[test]
fn export_layout_reads_only_the_snapshot_the_manifest_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = write(dir.path(), OutputFormat::Cur2Parquet, Layout::Export);
    let (summary, _) = read_totals(&root).unwrap();
    assert_eq!(summary.files.len(), 1);
    let period = &summary.periods[0];
    assert_eq!(period.snapshot, ftdesk_sample::COMPLETE_SNAPSHOT);
    assert!(period.from_manifest);
    assert_eq!(period.snapshots_seen, 2);
    assert_eq!(period.restated, None);

    fs::remove_dir_all(root.join("metadata")).unwrap();
    let (summary, _) = read_totals(&root).unwrap();
    let period = &summary.periods[0];
    assert!(
        !period.from_manifest,
        "without a manifest the choice is a guess"
    );
    assert_eq!(summary.files.len(), 1, "never two snapshots of one period");
}

#[test]
fn legacy_layout_uses_the_assembly_the_manifest_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = write(dir.path(), OutputFormat::CurCsv, Layout::Export);
    let (summary, _) = read_totals(&root).unwrap();
    assert_eq!(
        summary.periods[0].snapshot,
        ftdesk_sample::COMPLETE_SNAPSHOT
    );
    assert!(summary.periods[0].from_manifest);
}

fn manifest_of(root: &Path) -> PathBuf {
    let dir = root.join("metadata").join("BILLING_PERIOD=2025-10");
    fs::read_dir(dir).unwrap().next().unwrap().unwrap().path()
}

#[test]
fn a_manifest_naming_a_missing_file_names_both() {
    let dir = tempfile::tempdir().unwrap();
    let root = write(dir.path(), OutputFormat::FocusCsv, Layout::Export);
    let manifest = manifest_of(&root);
    let text = fs::read_to_string(&manifest)
        .unwrap()
        .replace("-00001.", "-00002.");
    fs::write(&manifest, text).unwrap();
    let err = read_error(&root);
    assert!(
        matches!(err, ReadError::ManifestFileMissing { .. }),
        "{err:?}"
    );
    assert_mentions(&err, &["Manifest.json", "two-instances-00002.csv"]);
}

#[test]
fn malformed_manifest_json_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = write(dir.path(), OutputFormat::FocusCsv, Layout::Export);
    let manifest = manifest_of(&root);
    fs::write(&manifest, b"{\"executionId\": ").unwrap();
    let err = read_error(&root);
    assert!(matches!(err, ReadError::Manifest { .. }), "{err:?}");
    assert_mentions(&err, &["Manifest.json", "not valid JSON"]);
}

#[test]
fn truncated_parquet_is_named_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), OutputFormat::Cur2Parquet, Layout::File);
    let bytes = fs::read(&path).unwrap();
    fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = read_error(&path);
    assert!(matches!(err, ReadError::CorruptParquet { .. }), "{err:?}");
    assert_mentions(&err, &[".parquet", "truncated"]);
}

#[test]
fn a_parquet_name_without_the_magic_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.snappy.parquet");
    fs::write(&path, b"a,b\n1,2\n").unwrap();
    let err = read_error(&path);
    assert!(matches!(err, ReadError::NotParquet { .. }), "{err:?}");
    assert_mentions(&err, &["x.snappy.parquet", "PAR1"]);
}

#[test]
fn parquet_without_a_required_column_names_it() {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    use parquet::arrow::ArrowWriter;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("focus.parquet");
    let column: ArrayRef = Arc::new(StringArray::from(vec!["Usage"]));
    let batch = RecordBatch::try_from_iter([("ChargeCategory", column)]).unwrap();
    let mut writer =
        ArrowWriter::try_new(fs::File::create(&path).unwrap(), batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let err = read_error(&path);
    assert!(
        matches!(err, ReadError::MissingParquetColumn { .. }),
        "{err:?}"
    );
    assert_mentions(&err, &["focus.parquet", "BilledCost", "FOCUS Parquet"]);
}

#[test]
fn focus_csv_without_billed_cost_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("focus.csv");
    fs::write(
        &path,
        "ChargeCategory,ChargePeriodStart,BillingCurrency\nUsage,2025-10-01T00:00:00Z,USD\n",
    )
    .unwrap();
    let err = read_error(&path);
    assert!(matches!(err, ReadError::MissingColumn { .. }), "{err:?}");
    assert_mentions(&err, &["focus.csv", "BilledCost"]);
}
