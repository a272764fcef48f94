//! The broken-input corpus (`tests/corpus/`, written by its `generate.py`),
//! plus cases too large or too binary to commit, made here in a temp dir.
//! Each test checks the error variant and what the message points at.

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use ftdesk_core::{Catalog, Ledger, PushError};
use ftdesk_io::{ReadError, RowAt, MAX_FIELD_BYTES, MAX_ROW_BYTES};

use crate::support::{assert_mentions, corpus, dec, read_error, read_totals, read_with, sample};

fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn empty_file() {
    let err = read_error(&corpus("empty.csv"));
    assert!(matches!(err, ReadError::Empty { .. }), "{err:?}");
    assert_mentions(&err, &["empty.csv", "empty", "Cost and Usage Report CSV"]);
}

#[test]
fn empty_gzip_is_an_empty_file_too() {
    let (_dir, path) = temp_file("nothing.csv.gz", &gzip(b""));
    let err = read_error(&path);
    assert!(matches!(err, ReadError::Empty { .. }), "{err:?}");
}

#[test]
fn header_only_is_zero_rows_not_an_error() {
    let (summary, totals) = read_totals(&corpus("header_only.csv")).unwrap();
    assert_eq!(summary.files[0].rows, 0);
    assert_eq!(totals.rows, 0);
}

#[test]
fn truncated_gzip() {
    let whole = fs::read(sample("cur-legacy-csv/koku_test_cur.csv.gz")).unwrap();
    for cut in [whole.len() / 2, whole.len() - 4, 12] {
        let (_dir, path) = temp_file("cut.csv.gz", &whole[..cut]);
        let err = read_error(&path);
        assert!(
            matches!(err, ReadError::CorruptGzip { .. }),
            "cut at {cut}: {err:?}"
        );
        assert_mentions(&err, &["cut.csv.gz", "truncated"]);
    }
}

#[test]
fn corrupt_gzip() {
    let mut bytes = fs::read(sample("cur-legacy-csv/koku_test_cur.csv.gz")).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 64] {
        *b ^= 0x5a;
    }
    let (_dir, path) = temp_file("damaged.csv.gz", &bytes);
    let err = read_error(&path);
    assert!(matches!(err, ReadError::CorruptGzip { .. }), "{err:?}");
    assert_mentions(&err, &["damaged.csv.gz", "corrupt"]);
}

#[test]
fn missing_required_column() {
    let err = read_error(&corpus("missing_column.csv"));
    assert!(
        matches!(&err, ReadError::MissingColumn { column, .. } if column == "lineItem/UnblendedCost"),
        "{err:?}"
    );
    assert_mentions(
        &err,
        &[
            "missing_column.csv",
            "lineItem/UnblendedCost",
            "slash-style",
        ],
    );
}

#[test]
fn missing_column_is_named_in_snake_case_for_snake_headers() {
    let (_dir, path) = temp_file(
        "athena.csv",
        b"line_item_usage_account_id,line_item_line_item_type\n1,Usage\n",
    );
    let err = read_error(&path);
    assert!(matches!(err, ReadError::MissingColumn { .. }), "{err:?}");
    assert_mentions(
        &err,
        &["athena.csv", "line_item_usage_start_date", "snake_case"],
    );
}

#[test]
fn non_numeric_amount() {
    let err = read_error(&corpus("bad_amount.csv"));
    assert!(
        matches!(
            &err,
            ReadError::BadNumber { at: RowAt { row: 2, line: 3 }, column, .. }
                if column == "lineItem/UsageAmount"
        ),
        "{err:?}"
    );
    assert_mentions(
        &err,
        &[
            "bad_amount.csv: row 2 (line 3), column lineItem/UsageAmount: \"abc\" is not a number",
            "expected a decimal",
        ],
    );
}

#[test]
fn empty_cost() {
    let err = read_error(&corpus("empty_cost.csv"));
    assert!(
        matches!(
            &err,
            ReadError::EmptyValue {
                at: RowAt { row: 3, line: 4 },
                ..
            }
        ),
        "{err:?}"
    );
    assert_mentions(
        &err,
        &[
            "empty_cost.csv",
            "row 3 (line 4)",
            "lineItem/UnblendedCost",
            "empty",
        ],
    );
}

#[test]
fn bad_date() {
    let err = read_error(&corpus("bad_date.csv"));
    assert!(
        matches!(
            &err,
            ReadError::BadDate {
                at: RowAt { row: 1, line: 2 },
                ..
            }
        ),
        "{err:?}"
    );
    assert_mentions(
        &err,
        &[
            "bad_date.csv",
            "row 1 (line 2)",
            "lineItem/UsageStartDate",
            "\"2023-13-45T00:00:00Z\" is not a date",
            "expected",
        ],
    );
}

#[test]
fn mixed_currencies_are_located_by_row() {
    let catalog = Catalog::embedded();
    let mut ledger = Ledger::new(&catalog);
    let err = read_with(&corpus("mixed_currency.csv"), &mut |item| ledger.push(item))
        .expect_err("EUR after USD must be refused");
    assert!(
        matches!(
            &err,
            ReadError::Rejected {
                at: RowAt { row: 3, line: 4 },
                reason: PushError::MixedCurrency { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert_mentions(
        &err,
        &[
            "mixed_currency.csv",
            "row 3 (line 4)",
            "lineItem/CurrencyCode",
            "EUR",
            "USD",
        ],
    );
}

#[test]
fn bom_and_crlf_are_read() {
    let path = corpus("bom_crlf.csv");
    assert!(fs::read(&path)
        .unwrap()
        .starts_with(b"\xef\xbb\xbfidentity/"));
    let mut currencies = Vec::new();
    let (summary, totals) = read_totals(&path).unwrap();
    read_with(&path, &mut |item| {
        currencies.push(item.currency.to_owned());
        Ok(())
    })
    .unwrap();
    assert_eq!(summary.files[0].rows, 2);
    assert_eq!(totals.cost, dec("0.0116") + dec("0.0002123027"));
    assert_eq!(
        currencies,
        ["USD", "USD"],
        "no stray \\r in the last column"
    );
}

#[test]
fn ten_thousand_character_description_is_accepted() {
    let mut length = 0;
    read_with(&corpus("long_description.csv"), &mut |item| {
        length = item.description.len();
        Ok(())
    })
    .unwrap();
    assert_eq!(length, 10_000 + 1, "9,990 x + \", free tier\"");
}

#[test]
fn field_over_the_limit_is_refused() {
    let text = fs::read_to_string(corpus("long_description.csv")).unwrap();
    let huge = text.replace(&"x".repeat(9_990), &"x".repeat(MAX_FIELD_BYTES + 1));
    let (_dir, path) = temp_file("huge.csv", huge.as_bytes());
    let err = read_error(&path);
    assert!(
        matches!(
            &err,
            ReadError::FieldTooLarge {
                at: RowAt { row: 1, line: 2 },
                ..
            }
        ),
        "{err:?}"
    );
    assert_mentions(
        &err,
        &[
            "huge.csv",
            "row 1 (line 2)",
            "lineItem/LineItemDescription",
            "bytes",
        ],
    );
}

#[test]
fn unclosed_quote_stops_at_the_row_limit() {
    let mut bytes = fs::read(corpus("header_only.csv")).unwrap();
    bytes.extend_from_slice(b"id1,\"never closed\n");
    // Past the limit by more than the parser's read-ahead buffer.
    bytes.extend(b"more text\n".repeat(MAX_ROW_BYTES / 10 + 10_000));
    let (_dir, path) = temp_file("unclosed.csv", &bytes);
    let err = read_error(&path);
    assert!(
        matches!(
            &err,
            ReadError::RowTooLarge {
                at: RowAt { row: 1, line: 2 },
                ..
            }
        ),
        "{err:?}"
    );
    assert_mentions(&err, &["unclosed.csv", "row 1 (line 2)"]);
}

#[test]
fn json_is_not_a_billing_file() {
    let err = read_error(&corpus("not_csv.json"));
    assert!(matches!(err, ReadError::NotBilling { .. }), "{err:?}");
    assert_mentions(
        &err,
        &["not_csv.json", "found JSON", "Cost and Usage Report CSV"],
    );
}

#[test]
fn html_is_not_a_billing_file() {
    let err = read_error(&corpus("not_csv.html"));
    assert!(matches!(err, ReadError::NotBilling { .. }), "{err:?}");
    assert_mentions(&err, &["not_csv.html", "HTML", "Cost and Usage Report CSV"]);
}

#[test]
fn binary_is_not_a_billing_file() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let (_dir, path) = temp_file("photo.csv", &bytes);
    let err = read_error(&path);
    assert!(matches!(err, ReadError::NotBilling { .. }), "{err:?}");
    assert_mentions(
        &err,
        &["photo.csv", "binary data", "Cost and Usage Report CSV"],
    );
}

#[test]
fn focus_export_without_charge_period_names_the_column() {
    let err = read_error(&corpus("focus.csv"));
    assert!(matches!(err, ReadError::MissingColumn { .. }), "{err:?}");
    assert_mentions(&err, &["focus.csv", "FOCUS", "ChargePeriodStart"]);
}

#[test]
fn other_csv_is_not_a_billing_file() {
    let (_dir, path) = temp_file("people.csv", b"name,age\nAda,36\n");
    let err = read_error(&path);
    assert!(matches!(err, ReadError::NotBilling { .. }), "{err:?}");
    assert_mentions(
        &err,
        &["people.csv", "\"name,age\"", "Cost and Usage Report CSV"],
    );
}

#[test]
fn too_many_fields() {
    let err = read_error(&corpus("too_many_fields.csv"));
    assert!(
        matches!(
            &err,
            ReadError::FieldCount {
                at: RowAt { row: 2, line: 3 },
                found: 19,
                expected: 18,
                ..
            }
        ),
        "{err:?}"
    );
    assert_mentions(
        &err,
        &["too_many_fields.csv", "row 2 (line 3)", "19 fields", "18"],
    );
}

#[test]
fn too_few_fields() {
    let err = read_error(&corpus("too_few_fields.csv"));
    assert!(
        matches!(
            &err,
            ReadError::FieldCount {
                at: RowAt { row: 2, line: 3 },
                found: 17,
                expected: 18,
                ..
            }
        ),
        "{err:?}"
    );
    assert_mentions(&err, &["too_few_fields.csv", "row 2 (line 3)", "17 fields"]);
}

#[test]
fn invalid_utf8_in_a_row_names_the_column() {
    let mut bytes = fs::read(corpus("bad_amount.csv")).unwrap();
    let at = bytes.windows(3).rposition(|w| w == b"abc").unwrap();
    bytes[at] = 0xff;
    let (_dir, path) = temp_file("latin1.csv", &bytes);
    let err = read_error(&path);
    assert!(
        matches!(
            &err,
            ReadError::NotUtf8 {
                at: RowAt { row: 2, line: 3 },
                ..
            }
        ),
        "{err:?}"
    );
    assert_mentions(
        &err,
        &[
            "latin1.csv",
            "row 2 (line 3)",
            "lineItem/UsageAmount",
            "UTF-8",
        ],
    );
}

#[test]
fn long_bad_values_are_truncated_in_messages() {
    let text = fs::read_to_string(corpus("bad_amount.csv")).unwrap();
    let (_dir, path) = temp_file(
        "long.csv",
        text.replace(",abc,", &format!(",{},", "9x".repeat(500)))
            .as_bytes(),
    );
    let message = read_error(&path).to_string();
    assert!(message.contains("… (1000 bytes)"), "{message}");
    assert!(message.len() < 400, "{message}");
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let err = read_error(&corpus("no-such-file.csv"));
    assert!(matches!(err, ReadError::Io { .. }), "{err:?}");
    assert_mentions(&err, &["no-such-file.csv"]);
}
