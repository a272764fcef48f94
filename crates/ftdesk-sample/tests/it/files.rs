//! The scenario list, the files written, and that the CSV text says what the rows say.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;

use flate2::read::GzDecoder;
use ftdesk_core::{parse_decimal, Catalog, LineItemType, Timestamp};
use ftdesk_sample::{find, scenarios, write_csv, write_scenario, CurRow, SampleError, HEADER};
use rust_decimal::Decimal;

#[test]
fn scenarios_are_listed_once_and_found_by_name() {
    let names: Vec<&str> = scenarios().iter().map(|s| s.name).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len());
    for required in [
        "within-limits",
        "two-instances",
        "expired-12-months",
        "nat-gateway",
        "public-ipv4",
        "ebs-over-30gb",
        "s3-requests",
        "rds-multi-az",
        "free-plan-credits",
        "organization",
        "tax-and-credits",
        "seoul-student",
        "bill-granted-t3-micro",
    ] {
        let scenario = find(required).unwrap_or_else(|| panic!("{required}"));
        assert!(!scenario.summary.is_empty());
    }
    assert!(find("no-such-scenario").is_none());
}

#[test]
fn rows_are_hourly_and_inside_the_month() {
    let catalog = Catalog::embedded();
    for scenario in scenarios() {
        let generated = scenario.generate(&catalog);
        let (start, end) = (generated.month.start(), generated.month.end());
        for row in &generated.rows {
            assert!(
                row.usage_start >= start && row.usage_end <= end,
                "{}",
                scenario.name
            );
            if row.line_item_type == LineItemType::Usage {
                assert_eq!(row.usage_end.unix() - row.usage_start.unix(), 3600);
                assert!(!row.resource_id.is_empty(), "{}", scenario.name);
            }
        }
    }
}

#[test]
fn free_rows_look_like_aws_free_tier_rows() {
    let catalog = Catalog::embedded();
    let generated = find("two-instances").unwrap().generate(&catalog);
    let free = generated
        .rows
        .iter()
        .find(|r| r.usage_type == "BoxUsage:t2.micro" && r.cost.is_zero())
        .unwrap();
    assert_eq!(free.rate, Some(Decimal::ZERO));
    assert_eq!(free.public_rate, Some("0.0116".parse().unwrap()));
    assert!(free.description.contains("under monthly free tier"));
    let charged = generated
        .rows
        .iter()
        .find(|r| r.usage_type == "BoxUsage:t2.micro" && !r.cost.is_zero())
        .unwrap();
    assert_eq!(
        charged.description,
        "$0.0116 per On Demand Linux t2.micro Instance Hour"
    );
}

fn field<'a>(record: &'a csv::StringRecord, index: &HashMap<&str, usize>, name: &str) -> &'a str {
    &record[index[name]]
}

fn number(text: &str) -> Option<Decimal> {
    parse_decimal(text).expect("a number as AWS writes it")
}

/// Reads one record back and compares it with the row it was written from.
fn assert_record_matches(record: &csv::StringRecord, index: &HashMap<&str, usize>, row: &CurRow) {
    let item = row.as_line_item();
    let f = |name| field(record, index, name);
    assert_eq!(f("bill/PayerAccountId"), item.payer_account);
    assert_eq!(f("lineItem/UsageAccountId"), item.usage_account);
    assert_eq!(f("lineItem/LineItemType"), item.line_item_type.as_str());
    assert_eq!(
        Timestamp::parse(f("lineItem/UsageStartDate")).unwrap(),
        item.start
    );
    assert_eq!(
        Timestamp::parse(f("lineItem/UsageEndDate")).unwrap(),
        item.end
    );
    let period = Timestamp::parse(f("bill/BillingPeriodStartDate")).unwrap();
    assert_eq!(period.month(), item.billing_period);
    assert_eq!(f("lineItem/ProductCode"), item.product_code);
    assert_eq!(f("lineItem/UsageType"), item.usage_type);
    assert_eq!(f("lineItem/Operation"), item.operation);
    assert_eq!(f("lineItem/ResourceId"), item.resource_id);
    assert_eq!(f("product/region"), item.region);
    assert_eq!(number(f("lineItem/UsageAmount")), Some(item.usage_amount));
    assert_eq!(number(f("lineItem/UnblendedRate")), item.rate);
    assert_eq!(number(f("lineItem/UnblendedCost")), Some(item.cost));
    assert_eq!(number(f("pricing/publicOnDemandRate")), item.public_rate);
    assert_eq!(f("pricing/unit"), item.unit);
    assert_eq!(f("lineItem/LineItemDescription"), item.description);
    assert_eq!(f("lineItem/CurrencyCode"), item.currency);
    assert_eq!(f("bill/BillingEntity"), item.billing_entity);
    assert_eq!(f("lineItem/LegalEntity"), item.legal_entity);
    assert_eq!(f("lineItem/TaxType"), item.tax_type);
}

#[test]
fn the_csv_text_says_what_the_rows_say() {
    let catalog = Catalog::embedded();
    for scenario in scenarios() {
        let generated = scenario.generate(&catalog);
        let mut text = Vec::new();
        write_csv(&generated, &mut text).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, HEADER);
        let index: HashMap<&str, usize> = HEADER.iter().enumerate().map(|(i, h)| (*h, i)).collect();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), generated.rows.len(), "{}", scenario.name);
        for (record, row) in records.iter().zip(&generated.rows) {
            assert_eq!(record.len(), HEADER.len());
            assert_record_matches(record, &index, row);
        }
    }
}

#[test]
fn writes_csv_and_gzip_files_named_by_scenario_and_month() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new/sub");
    let scenario = find("organization").unwrap();
    let plain = write_scenario(scenario, &catalog, &out, false).unwrap();
    let gzipped = write_scenario(scenario, &catalog, &out, true).unwrap();
    assert_eq!(plain, out.join("organization-2025-10.csv"));
    assert_eq!(gzipped, out.join("organization-2025-10.csv.gz"));
    let mut unzipped = Vec::new();
    GzDecoder::new(std::fs::File::open(&gzipped).unwrap())
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, std::fs::read(&plain).unwrap());
}

#[test]
fn io_errors_name_the_path() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let target = blocker.join("out");
    let err = write_scenario(find("within-limits").unwrap(), &catalog, &target, false).unwrap_err();
    let SampleError::Io { path, .. } = &err;
    assert_eq!(path, &target);
    assert!(
        err.to_string().contains(&target.display().to_string()),
        "{err}"
    );
}
