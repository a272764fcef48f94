//! Every public legacy CUR sample is read; row counts and exact cost sums were
//! computed independently with Python's `decimal` module (commands beside
//! each value, run from `shared/samples`).

use ftdesk_core::LineItemType;
use ftdesk_io::ColumnStyle;

use crate::support::{dec, read_totals, sample};

// Unless noted, the expected values come from:
// python3 -c "import csv,sys,decimal; r=list(csv.DictReader(open(sys.argv[1],newline='',encoding='utf-8-sig'))); c='lineItem/UnblendedCost' if r and 'lineItem/UnblendedCost' in r[0] else 'line_item_unblended_cost'; print(len(r), sum(decimal.Decimal(x[c]) for x in r))" FILE
fn assert_sample(relative: &str, rows: u64, cost: &str, style: ColumnStyle, compressed: bool) {
    let (summary, totals) = read_totals(&sample(relative)).unwrap();
    assert_eq!(summary.files.len(), 1);
    let file = &summary.files[0];
    assert_eq!(file.rows, rows, "{relative}");
    assert_eq!(file.style, style, "{relative}");
    assert_eq!(file.compressed, compressed, "{relative}");
    assert_eq!(totals.rows, rows, "{relative}");
    assert_eq!(totals.cost, dec(cost), "{relative}");
}

#[test]
fn real_anonymised_account() {
    // -> 1281 1.68230869740
    assert_sample(
        "cur-legacy-csv/focus-converters_sample-anonymous-aws-export-dataset.csv",
        1281,
        "1.68230869740",
        ColumnStyle::Slash,
        false,
    );
}

#[test]
fn real_anonymised_account_tax_and_types() {
    let path = sample("cur-legacy-csv/focus-converters_sample-anonymous-aws-export-dataset.csv");
    let (_, totals) = read_totals(&path).unwrap();
    // python3 -c "import csv,decimal,collections; r=list(csv.DictReader(open('cur-legacy-csv/focus-converters_sample-anonymous-aws-export-dataset.csv',newline=''))); print(sum(decimal.Decimal(x['lineItem/UnblendedCost']) for x in r if x['lineItem/LineItemType']=='Tax'), collections.Counter(x['lineItem/LineItemType'] for x in r))"
    // -> 0.08 Counter({'Usage': 1269, 'Tax': 12})
    assert_eq!(totals.cost_by_type[&LineItemType::Tax], dec("0.08"));
    assert_eq!(
        totals
            .rows_by_type
            .iter()
            .map(|(t, n)| (*t, *n))
            .collect::<Vec<_>>(),
        vec![(LineItemType::Usage, 1269), (LineItemType::Tax, 12)]
    );
    assert_eq!(totals.currencies.keys().collect::<Vec<_>>(), ["USD"]);
}

#[test]
fn real_anonymised_account_fields() {
    let path = sample("cur-legacy-csv/focus-converters_sample-anonymous-aws-export-dataset.csv");
    let mut first = None;
    ftdesk_io::read_path(&path, &mut |item| {
        if first.is_none() {
            first = Some(format!(
                "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{:?}|{:?}|{}|{}",
                item.payer_account,
                item.usage_account,
                item.billing_period,
                item.start,
                item.end,
                item.line_item_type.as_str(),
                item.product_code,
                item.usage_type,
                item.region,
                item.usage_amount,
                item.rate.map(|r| r.to_string()),
                item.public_rate.map(|r| r.to_string()),
                item.currency,
                item.legal_entity,
            ));
        }
        Ok(())
    })
    .unwrap();
    // The first data row is a Tax row (python csv.DictReader, columns picked by hand).
    assert_eq!(
        first.unwrap(),
        "123412340534|123412340534|2023-11|2023-11-01T00:00:00Z|2023-12-01T00:00:00Z|Tax\
         |AWSCloudTrail|||1.0|None|None|USD|Amazon Web Services Canada, Inc."
    );
}

#[test]
fn koku_crlf_with_glued_header_cell() {
    // -> 19 0.0827499841274349353 (header has 131 cells, rows 130 fields)
    assert_sample(
        "cur-legacy-csv/koku_test_cur.csv",
        19,
        "0.0827499841274349353",
        ColumnStyle::Slash,
        false,
    );
}

#[test]
fn koku_gzip() {
    // python3 -c "import csv,gzip,decimal; r=list(csv.DictReader(gzip.open('cur-legacy-csv/koku_test_cur.csv.gz','rt',newline=''))); print(len(r), sum(decimal.Decimal(x['lineItem/UnblendedCost']) for x in r))"
    // -> 19 0.0827499841274349353
    assert_sample(
        "cur-legacy-csv/koku_test_cur.csv.gz",
        19,
        "0.0827499841274349353",
        ColumnStyle::Slash,
        true,
    );
}

#[test]
fn koku_nok_final_and_not_final() {
    // -> 3 30 (both files)
    for file in ["koku_2023-06-01.csv", "koku_2023-06-01-not-final.csv"] {
        let relative = format!("cur-legacy-csv/{file}");
        assert_sample(&relative, 3, "30", ColumnStyle::Slash, false);
        let (_, totals) = read_totals(&sample(&relative)).unwrap();
        assert_eq!(totals.currencies.keys().collect::<Vec<_>>(), ["NOK"]);
        assert_eq!(
            totals.rows_by_type.keys().collect::<Vec<_>>(),
            [&LineItemType::SavingsPlanCoveredUsage]
        );
    }
}

#[test]
fn koku_empty_frame_is_header_only() {
    // -> 0 0
    assert_sample(
        "cur-legacy-csv/koku_empty_frame.csv",
        0,
        "0",
        ColumnStyle::Slash,
        false,
    );
}

#[test]
fn koku_athena_snake_case() {
    // -> 2 0
    assert_sample(
        "cur-athena-snake/koku_2022-07-01-alt-columns.csv",
        2,
        "0",
        ColumnStyle::Snake,
        false,
    );
    let mut seen = Vec::new();
    ftdesk_io::read_path(
        &sample("cur-athena-snake/koku_2022-07-01-alt-columns.csv"),
        &mut |item| {
            seen.push(format!(
                "{} {} {} {} {} {}",
                item.billing_period,
                item.start,
                item.usage_type,
                item.region,
                item.unit,
                item.legal_entity
            ));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(
        seen,
        [
            "2022-07 2022-07-01T00:00:00Z SoftwareUsage:t2.nano us-east-1 Hrs Red Hat, Inc.",
            "2022-07 2022-07-01T01:00:00Z SoftwareUsage:t2.nano us-east-1 Hrs Red Hat, Inc."
        ]
    );
}

#[test]
fn every_sample_file_is_covered() {
    let mut names = Vec::new();
    for dir in ["cur-legacy-csv", "cur-athena-snake"] {
        let (summary, _) = read_totals(&crate::support::samples_dir().join(dir)).unwrap();
        names.extend(
            summary
                .files
                .iter()
                .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned()),
        );
    }
    assert_eq!(
        names,
        [
            "focus-converters_sample-anonymous-aws-export-dataset.csv",
            "koku_2023-06-01-not-final.csv",
            "koku_2023-06-01.csv",
            "koku_empty_frame.csv",
            "koku_test_cur.csv",
            "koku_test_cur.csv.gz",
            "koku_2022-07-01-alt-columns.csv",
        ],
        "a new sample needs its own test with independently computed totals"
    );
}
