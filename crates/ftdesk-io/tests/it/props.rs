//! Property tests: no input panics the reader, and costs survive exactly.

use std::fs;
use std::io::Write;

use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::support::{corpus, read_totals};

fn read_bytes(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fuzz.csv");
    fs::write(&path, bytes).unwrap();
    // Ok or Err are both fine; a panic fails the property.
    let _ = read_totals(&path);
}

fn header() -> Vec<u8> {
    fs::read(corpus("header_only.csv")).unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Text that looks like CSV often enough to reach the row parsing.
fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            Just(b','),
            Just(b'"'),
            Just(b'\n'),
            Just(b'\r'),
            Just(b'E'),
            Just(b'-'),
            Just(b'.'),
            (b'0'..=b'9'),
            any::<u8>(),
        ],
        0..600,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        read_bytes(&bytes);
    }

    #[test]
    fn arbitrary_rows_after_a_valid_header_never_panic(tail in csv_like()) {
        let mut bytes = header();
        bytes.extend_from_slice(&tail);
        read_bytes(&bytes);
        read_bytes(&gzip(&bytes));
    }

    #[test]
    fn damaged_gzip_never_panics(cut in 0usize..400, flip in 0usize..400) {
        let mut bytes = gzip(&fs::read(corpus("bom_crlf.csv")).unwrap());
        if let Some(b) = bytes.get_mut(flip) {
            *b ^= 0xa5;
        }
        bytes.truncate(cut);
        read_bytes(&bytes);
    }

    #[test]
    fn cost_round_trips_exactly(
        mantissa in -999_999_999_999_999i64..=999_999_999_999_999,
        scale in 0u32..=16,
        scientific in any::<bool>(),
    ) {
        let cost = Decimal::new(mantissa, scale);
        let written = if scientific {
            format!("{mantissa}E-{scale}")
        } else {
            cost.to_string()
        };
        let text = fs::read_to_string(corpus("bad_date.csv")).unwrap();
        let row = text
            .replace("2023-13-45T00:00:00Z", "2023-11-01T00:00:00Z")
            .replace(",0.0116,0.0116,", &format!(",0.0116,{written},"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("one.csv");
        fs::write(&path, row).unwrap();
        let (_, totals) = read_totals(&path).unwrap();
        prop_assert_eq!(totals.rows, 1);
        prop_assert_eq!(totals.cost, cost, "written as {}", written);
    }
}
