//! Reading limits for files from outside (issue 17, item 4): a gzip bomb and
//! a file with too many rows are refused with an error naming the file.

use std::io::Write;
use std::path::Path;

use ftdesk_io::{read_path_within, ReadError, ReadLimits};

use crate::support::{assert_mentions, corpus};

const ROW: &str = "id0000001,123412340534,2023-11-01T00:00:00.000Z,123412340534,Usage,\
     2023-11-01T00:00:00Z,2023-11-01T00:59:59Z,AmazonEC2,\
     USE1-BoxUsage:t2.micro,RunInstances,1.0,0.0116,0.0116,,us-east-1,Hrs,0.0116,USD\n";

/// A CSV of `rows` copies of one row, gzip-compressed: it compresses about
/// a thousandfold, so a small file inflates to many times its size.
fn write_gzip(path: &Path, rows: usize) {
    let header = std::fs::read(corpus("header_only.csv")).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    gz.write_all(&header).unwrap();
    let block = ROW.repeat(1000);
    for _ in 0..rows / 1000 {
        gz.write_all(block.as_bytes()).unwrap();
    }
    gz.finish().unwrap();
}

fn read(path: &Path, limits: ReadLimits) -> Result<u64, ReadError> {
    let mut rows = 0;
    read_path_within(path, limits, &mut |_| {
        rows += 1;
        Ok(())
    })?;
    Ok(rows)
}

#[test]
fn a_gzip_bomb_is_refused_at_the_inflated_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.csv.gz");
    write_gzip(&path, 50_000); // about 9 MiB inflated
    assert!(std::fs::metadata(&path).unwrap().len() < 1024 * 1024);
    let limits = ReadLimits {
        max_inflated_bytes: Some(1024 * 1024),
        max_rows: None,
    };
    let error = read(&path, limits).expect_err("over the limit");
    assert!(
        matches!(error, ReadError::InflatesTooMuch { .. }),
        "{error}"
    );
    assert_mentions(&error, &["bomb.csv.gz", "more than 1048576 bytes"]);
    assert_eq!(read(&path, ReadLimits::default()).unwrap(), 50_000);
}

#[test]
fn a_file_with_too_many_rows_is_refused_at_the_first_row_past_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv.gz");
    write_gzip(&path, 3_000);
    let limits = ReadLimits {
        max_inflated_bytes: None,
        max_rows: Some(2_000),
    };
    let error = read(&path, limits).expect_err("over the limit");
    assert!(matches!(error, ReadError::TooManyRows { .. }), "{error}");
    assert_mentions(&error, &["many.csv.gz", "row 2001", "more than 2000 rows"]);
    let enough = ReadLimits {
        max_inflated_bytes: Some(u64::MAX),
        max_rows: Some(3_000),
    };
    assert_eq!(read(&path, enough).unwrap(), 3_000);
}

const DESCRIPTION: &str = "line_item_line_item_description";

/// A scenario's CUR 2.0 Parquet rewritten with gzip pages of up to 8 MiB,
/// no dictionaries, and every description 10,000 letters long: about
/// 15 MB of pages in a file of tens of kilobytes.
fn write_parquet_bomb(dir: &Path) -> std::path::PathBuf {
    use std::sync::Arc;

    use arrow_array::{RecordBatch, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::arrow::ArrowWriter;
    use parquet::basic::{Compression, GzipLevel};
    use parquet::file::properties::WriterProperties;

    let scenario = ftdesk_sample::find("two-instances").unwrap();
    let options = ftdesk_sample::WriteOptions {
        format: ftdesk_sample::OutputFormat::Cur2Parquet,
        gzip: false,
        layout: ftdesk_sample::Layout::File,
    };
    let catalog = ftdesk_core::Catalog::embedded();
    let source = ftdesk_sample::write_scenario_as(scenario, &catalog, dir, options).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&source).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let properties = WriterProperties::builder()
        .set_compression(Compression::GZIP(GzipLevel::default()))
        .set_dictionary_enabled(false)
        .set_data_page_size_limit(8 << 20)
        .set_data_page_row_count_limit(usize::MAX)
        .set_write_batch_size(usize::MAX)
        .build();
    let out = dir.join("bomb.parquet");
    let mut writer: Option<ArrowWriter<std::fs::File>> = None;
    let long = "a".repeat(10_000);
    for batch in reader {
        let batch = batch.unwrap();
        let index = batch.schema().index_of(DESCRIPTION).unwrap();
        let mut columns = batch.columns().to_vec();
        columns[index] = Arc::new(StringArray::from(vec![long.as_str(); batch.num_rows()]));
        let batch = RecordBatch::try_new(batch.schema(), columns).unwrap();
        writer
            .get_or_insert_with(|| {
                let file = std::fs::File::create(&out).unwrap();
                ArrowWriter::try_new(file, batch.schema(), Some(properties.clone())).unwrap()
            })
            .write(&batch)
            .unwrap();
    }
    writer.unwrap().close().unwrap();
    out
}

/// Rewrites the declared size of the description column's first page to a
/// smaller value of the same encoded length: the header then lies.
fn understate_first_page(path: &Path) -> u64 {
    use parquet::file::reader::{FileReader, SerializedFileReader};

    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let group = reader.metadata().row_group(0);
    let column = (0..group.num_columns())
        .find(|&c| group.column(c).column_path().string() == DESCRIPTION)
        .unwrap();
    let start = group.column(column).byte_range().0 as usize;
    let mut bytes = std::fs::read(path).unwrap();
    // PageHeader: field 1 (i32) DATA_PAGE, then field 2 (i32) the declared size.
    assert_eq!(&bytes[start..start + 3], &[0x15, 0x00, 0x15]);
    let varint = start + 3;
    let length = bytes[varint..].iter().position(|b| b & 0x80 == 0).unwrap() + 1;
    assert!(length >= 3, "the first page is large");
    // The smallest zigzag value of the same length, declaring half of it.
    let smallest = 1u64 << (7 * (length - 1));
    for (i, byte) in bytes[varint..varint + length].iter_mut().enumerate() {
        let group = (smallest >> (7 * i)) & 0x7f;
        *byte = group as u8 | if i + 1 < length { 0x80 } else { 0 };
    }
    std::fs::write(path, bytes).unwrap();
    smallest / 2
}

#[test]
fn a_parquet_file_whose_pages_inflate_past_the_limit_is_refused_before_decompressing() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_parquet_bomb(dir.path());
    assert!(std::fs::metadata(&path).unwrap().len() < 1024 * 1024);
    let limits = ReadLimits {
        max_inflated_bytes: Some(1024 * 1024),
        max_rows: None,
    };
    let error = read(&path, limits).expect_err("over the limit");
    assert!(
        matches!(error, ReadError::InflatesTooMuch { .. }),
        "{error}"
    );
    assert_mentions(&error, &["bomb.parquet", "more than 1048576 bytes"]);
    let rows = read(&path, ReadLimits::default()).unwrap();
    let roomy = ReadLimits {
        max_inflated_bytes: Some(64 << 20),
        max_rows: Some(rows),
    };
    assert_eq!(read(&path, roomy).unwrap(), rows);
}

#[test]
fn a_parquet_page_that_inflates_past_its_declared_size_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_parquet_bomb(dir.path());
    let declared = understate_first_page(&path);
    let limits = ReadLimits {
        max_inflated_bytes: Some(64 << 20),
        max_rows: None,
    };
    let error = read(&path, limits).expect_err("the page lies");
    assert!(
        matches!(error, ReadError::ParquetPageLies { .. }),
        "{error}"
    );
    let declared = format!("the {declared} bytes its header declares");
    assert_mentions(&error, &["bomb.parquet", DESCRIPTION, &declared]);
}

#[test]
fn a_parquet_file_with_too_many_rows_is_refused_from_its_footer() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_parquet_bomb(dir.path());
    let rows = read(&path, ReadLimits::default()).unwrap();
    let limits = ReadLimits {
        max_inflated_bytes: None,
        max_rows: Some(rows - 1),
    };
    let error = read(&path, limits).expect_err("over the limit");
    assert!(
        matches!(error, ReadError::ParquetTooManyRows { .. }),
        "{error}"
    );
    let expected = format!("declares {rows} rows, more than {}", rows - 1);
    assert_mentions(&error, &["bomb.parquet", &expected]);
}
