//! A Parquet file read in runs of row groups on several threads, one ledger
//! per run absorbed in row order, gives the report of one ledger fed every
//! row; its errors are the ones a single read meets first.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use ftdesk_core::{Catalog, Context, Ledger, LineItem, PushError, Report};
use ftdesk_io::{Ledgers, PartSink, ReadError, ReadSummary};
use ftdesk_sample::{Layout, OutputFormat, WriteOptions};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;

use crate::support::assert_mentions;

fn report(ledger: &Ledger<'_>) -> Vec<Report> {
    ledger.finish(&Context::default()).unwrap()
}

fn read_single(path: &Path, catalog: &Catalog) -> Result<(ReadSummary, Vec<Report>), ReadError> {
    let mut ledger = Ledger::new(catalog);
    let summary = ftdesk_io::read_path(path, &mut |item| ledger.push(item))?;
    Ok((summary, report(&ledger)))
}

fn read_in_parts(
    path: &Path,
    catalog: &Catalog,
    threads: usize,
) -> Result<(ReadSummary, Vec<Report>), ReadError> {
    let sink = Ledgers {
        catalog,
        account: None,
    };
    let mut ledger = sink.part();
    let summary = ftdesk_io::read_path_parts(path, threads, &sink, &mut ledger)?;
    Ok((summary, report(&ledger)))
}

fn write(dir: &Path, scenario: &str, format: OutputFormat) -> PathBuf {
    let scenario = ftdesk_sample::find(scenario).unwrap();
    let options = WriteOptions {
        format,
        gzip: false,
        layout: Layout::File,
    };
    ftdesk_sample::write_scenario_as(scenario, &Catalog::embedded(), dir, options).unwrap()
}

fn row_groups(path: &Path) -> usize {
    let file = fs::File::open(path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    builder.metadata().num_row_groups()
}

#[test]
fn any_number_of_parts_gives_the_single_read_report() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    for scenario in ftdesk_sample::scenarios() {
        for format in [OutputFormat::Cur2Parquet, OutputFormat::FocusParquet] {
            let sub = dir.path().join(format!("{}-{format:?}", scenario.name));
            fs::create_dir_all(&sub).unwrap();
            let path = write(&sub, scenario.name, format);
            let (summary, single) = read_single(&path, &catalog).unwrap();
            for threads in [2, 3, 7] {
                let (parts_summary, parts) = read_in_parts(&path, &catalog, threads).unwrap();
                assert_eq!(parts_summary, summary, "{path:?} in {threads}");
                assert_eq!(parts, single, "{path:?} in {threads} parts");
            }
            if scenario.name == "two-instances" {
                assert!(row_groups(&path) > 2, "the sample spans several row groups");
            }
        }
    }
}

/// Rewrites a Parquet file in row groups of 1,000 rows, changing rows from
/// `from` on with `change`.
fn rewrite(
    path: &Path,
    out: &Path,
    from: usize,
    change: impl Fn(&RecordBatch, usize) -> RecordBatch,
) -> usize {
    let file = fs::File::open(path).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .with_batch_size(1_000)
        .build()
        .unwrap();
    let properties = WriterProperties::builder()
        .set_max_row_group_row_count(Some(1_000))
        .build();
    let mut writer: Option<ArrowWriter<fs::File>> = None;
    let mut seen = 0;
    for batch in reader {
        let batch = batch.unwrap();
        let batch = match seen >= from {
            true => change(&batch, 0),
            false if seen + batch.num_rows() > from => change(&batch, from - seen),
            false => batch,
        };
        seen += batch.num_rows();
        writer
            .get_or_insert_with(|| {
                ArrowWriter::try_new(
                    fs::File::create(out).unwrap(),
                    batch.schema(),
                    Some(properties.clone()),
                )
                .unwrap()
            })
            .write(&batch)
            .unwrap();
    }
    writer.unwrap().close().unwrap();
    seen
}

/// The batch with `column` (text) set to `value` from row `from` on.
fn set_text(batch: &RecordBatch, column: &str, from: usize, value: &str) -> RecordBatch {
    use arrow_array::cast::AsArray;
    let index = batch.schema().index_of(column).unwrap();
    let old = batch.column(index).as_string::<i32>();
    let new: StringArray = (0..old.len())
        .map(|i| Some(if i >= from { value } else { old.value(i) }))
        .collect();
    with_column(batch, index, Arc::new(new))
}

/// The batch with `column` (a double) set to `value` in row `row` alone.
fn set_number(batch: &RecordBatch, column: &str, row: usize, value: f64) -> RecordBatch {
    use arrow_array::cast::AsArray;
    let index = batch.schema().index_of(column).unwrap();
    let old = batch
        .column(index)
        .as_primitive::<arrow_array::types::Float64Type>();
    let new: Float64Array = (0..old.len())
        .map(|i| Some(if i == row { value } else { old.value(i) }))
        .collect();
    with_column(batch, index, Arc::new(new))
}

fn with_column(batch: &RecordBatch, index: usize, array: ArrayRef) -> RecordBatch {
    let mut columns = batch.columns().to_vec();
    columns[index] = array;
    RecordBatch::try_new(batch.schema(), columns).unwrap()
}

#[test]
fn a_currency_that_changes_in_a_later_part_is_refused_naming_the_file() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "two-instances", OutputFormat::Cur2Parquet);
    let mixed = dir.path().join("mixed.parquet");
    // Row groups of 1,000 rows: the third part starts at row 2,001.
    let rows = rewrite(&path, &mixed, 2_000, |batch, from| {
        set_text(batch, "line_item_currency_code", from, "EUR")
    });
    assert!((2_001..3_000).contains(&rows), "{rows}");

    let single = read_single(&mixed, &catalog).unwrap_err();
    assert!(
        matches!(single, ReadError::ParquetValue { .. }),
        "{single:?}"
    );
    assert_mentions(&single, &["mixed.parquet", "row 2001", "EUR", "USD"]);
    let parts = read_in_parts(&mixed, &catalog, 3).unwrap_err();
    assert!(matches!(parts, ReadError::Merge { .. }), "{parts:?}");
    assert_mentions(&parts, &["mixed.parquet", "EUR", "USD"]);
}

#[test]
fn a_bad_value_in_a_later_part_is_reported_at_its_row_in_the_file() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "two-instances", OutputFormat::Cur2Parquet);
    let bad = dir.path().join("bad.parquet");
    rewrite(&path, &bad, 2_345, |batch, row| {
        set_number(batch, "line_item_unblended_cost", row, f64::NAN)
    });
    let single = read_single(&bad, &catalog).unwrap_err().to_string();
    assert!(single.contains("row 2346"), "{single}");
    for threads in [2, 3] {
        let parts = read_in_parts(&bad, &catalog, threads).unwrap_err();
        assert_eq!(parts.to_string(), single, "in {threads} parts");
    }
}

#[test]
fn dictionary_handles_leave_the_accounting_as_the_csv_gives_it() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    for scenario in ftdesk_sample::scenarios() {
        let mut reports = Vec::new();
        for format in [OutputFormat::Cur2Csv, OutputFormat::Cur2Parquet] {
            let sub = dir.path().join(format!("{}-{format:?}", scenario.name));
            fs::create_dir_all(&sub).unwrap();
            let path = write(&sub, scenario.name, format);
            reports.push(read_in_parts(&path, &catalog, 2).unwrap().1);
        }
        assert_eq!(reports[0], reports[1], "{}", scenario.name);
    }
}

/// Counts the rows whose resource id came with a dictionary handle.
struct HandledRows;

impl PartSink for HandledRows {
    type Part = (u64, u64);

    fn part(&self) -> (u64, u64) {
        (0, 0)
    }

    fn push(&self, part: &mut (u64, u64), item: &LineItem<'_>) -> Result<(), PushError> {
        part.0 += 1;
        part.1 += u64::from(item.handles.dictionary[4] != 0);
        Ok(())
    }

    fn merge(&self, into: &mut (u64, u64), part: (u64, u64)) -> Result<(), PushError> {
        into.0 += part.0;
        into.1 += part.1;
        Ok(())
    }
}

#[test]
fn parquet_strings_come_with_their_dictionary_handles_and_csv_ones_without() {
    let dir = tempfile::tempdir().unwrap();
    let parquet = write(dir.path(), "two-instances", OutputFormat::Cur2Parquet);
    let mut counted = (0, 0);
    ftdesk_io::read_path_parts(&parquet, 2, &HandledRows, &mut counted).unwrap();
    assert!(counted.0 > 2_000 && counted.1 == counted.0, "{counted:?}");
    let csv = write(dir.path(), "two-instances", OutputFormat::Cur2Csv);
    let mut counted = (0, 0);
    ftdesk_io::read_path_parts(&csv, 2, &HandledRows, &mut counted).unwrap();
    assert_eq!(counted.1, 0);
}

/// A row group without `Global-` usage types is read without the `product`
/// map; one with them still takes such a row's region from the map (ahead
/// of `product_region_code`), as the ledger's meters need.
#[test]
fn global_usage_types_take_their_region_from_the_product_map() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "two-instances", OutputFormat::Cur2Parquet);
    let global = dir.path().join("global.parquet");
    // Row groups of 1,000 rows: the first has no `Global-` row, the second both kinds.
    let rows = rewrite(&path, &global, 1_500, |batch, from| {
        let batch = set_text(batch, "product_region_code", 0, "zz-nowhere-1");
        set_text(
            &batch,
            "line_item_usage_type",
            from,
            "Global-DataTransfer-Out-Bytes",
        )
    });
    assert!(rows > 2_000, "{rows}");
    let (mut global_rows, mut other_rows) = (0, 0);
    ftdesk_io::read_path(&global, &mut |item: &LineItem<'_>| {
        if item.usage_type.starts_with("Global-") {
            global_rows += 1;
            assert!(
                !item.region.is_empty() && item.region != "zz-nowhere-1",
                "a Global- row's region is the map's, not {:?}",
                item.region
            );
        } else {
            other_rows += 1;
        }
        Ok(())
    })
    .unwrap();
    assert_eq!((global_rows, other_rows), (rows - 1_500, 1_500));
}
