//! Memory stays flat: the reader hands out rows borrowed from one reused
//! record buffer and never keeps them. Checked by watching where the row's
//! text lives: a reader that collected rows would give every row its own
//! buffer, so thousands of distinct addresses would show up.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};

use crate::support::corpus;

const ROWS: u64 = 200_000;
const ROWS_PER_MEMBER: u64 = 10_000;

/// One gzip member of `ROWS_PER_MEMBER` rows; the large file repeats it, as
/// `cat a.csv.gz b.csv.gz` would, which keeps generating the file quick.
fn gzip_member() -> Vec<u8> {
    let mut rows = String::new();
    for n in 0..ROWS_PER_MEMBER {
        // Rows of one hour come together, as in an hourly report.
        let hour = n * 48 / ROWS_PER_MEMBER;
        let (day, hour) = (1 + hour / 24, hour % 24);
        // Every row has the same length, so a reused buffer never moves.
        writeln!(
            rows,
            "id{n:07},123412340534,2023-11-01T00:00:00.000Z,123412340534,Usage,\
             2023-11-{day:02}T{hour:02}:00:00Z,2023-11-{day:02}T{hour:02}:59:59Z,AmazonEC2,\
             USE1-BoxUsage:t2.micro,RunInstances,1.0,0.0116,0.{n:07},,us-east-1,Hrs,0.0116,USD"
        )
        .unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(rows.as_bytes()).unwrap();
    gz.finish().unwrap()
}

fn write_large_gzip(path: &std::path::Path) {
    let header = std::fs::read(corpus("header_only.csv")).unwrap();
    let mut file = BufWriter::new(File::create(path).unwrap());
    let mut gz = flate2::write::GzEncoder::new(&mut file, flate2::Compression::fast());
    gz.write_all(&header).unwrap();
    gz.finish().unwrap();
    let member = gzip_member();
    for _ in 0..ROWS / ROWS_PER_MEMBER {
        file.write_all(&member).unwrap();
    }
    file.flush().unwrap();
}

#[test]
fn a_200k_row_gzip_is_read_through_one_record_buffer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.csv.gz");
    write_large_gzip(&path);

    let mut rows = 0u64;
    let mut addresses = HashSet::new();
    let summary = ftdesk_io::read_path(&path, &mut |item| {
        rows += 1;
        addresses.insert(item.usage_type.as_ptr() as usize);
        Ok(())
    })
    .unwrap();

    assert_eq!(rows, ROWS);
    assert_eq!(summary.files[0].rows, ROWS);
    assert!(summary.files[0].compressed);
    assert!(
        addresses.len() <= 4,
        "rows came from {} different buffers; the reader must reuse one record",
        addresses.len()
    );
}
