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
