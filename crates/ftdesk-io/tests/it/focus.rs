//! The real FOCUS sample (FinOps Foundation, 1,000 rows of which 942 AWS).

use ftdesk_core::LineItemType;
use ftdesk_io::{ColumnStyle, Format};

use crate::support::{dec, read_totals, sample};

#[test]
fn real_focus_sample_reads_the_aws_rows_and_counts_the_others() {
    let path = sample("focus/focus-sample-data_focus_sample_1000.csv");
    let (summary, totals) = read_totals(&path).unwrap();
    let file = &summary.files[0];
    assert_eq!(file.format, Format::FocusCsv);
    assert_eq!(file.style, ColumnStyle::Pascal);
    assert_eq!(file.rows, 942);
    assert_eq!(file.skipped_rows, 58, "51 Microsoft + 7 Oracle rows");
    // Independently:
    // python3 -c "import csv,decimal; r=[x for x in csv.DictReader(open('focus-sample-data_focus_sample_1000.csv')) if x['ProviderName']=='AWS']; print(len(r), sum(decimal.Decimal(x['BilledCost']) for x in r))"
    // → 942 18.00663861840
    assert_eq!(totals.cost, dec("18.00663861840"));
    assert_eq!(totals.rows_by_type[&LineItemType::Credit], 1);
    assert_eq!(totals.cost_by_type[&LineItemType::Credit], dec("-2.6137"));
    assert_eq!(totals.rows_by_type[&LineItemType::Usage], 941);
    assert_eq!(totals.currencies["USD"], 942);
}
