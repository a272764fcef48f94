//! The real public samples through the real binary.

use rust_decimal::Decimal;

use crate::common::{check_json, dec, shared_samples};

#[test]
fn the_real_anonymised_account_is_explained_to_the_cent() {
    let path = shared_samples()
        .join("cur-legacy-csv/focus-converters_sample-anonymous-aws-export-dataset.csv");
    let report = check_json(&[path.to_str().unwrap()]);
    assert_eq!(report["month"], "2023-11");
    assert_eq!(report["rows"], 1281);
    let net = dec(&report["net_cost"]);
    let charges: Decimal = report["charges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| dec(&c["cost"]))
        .sum();
    assert_eq!(
        charges + dec(&report["credits"]) + dec(&report["refunds"]),
        net
    );
    assert!(
        !report["unknowns"].as_array().unwrap().is_empty(),
        "no resource ids, no creation date"
    );
    assert!(report["offers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["id"] == "sqs-requests"));
}

#[test]
fn every_public_cur_sample_is_read() {
    for rel in [
        "cur-legacy-csv/koku_test_cur.csv",
        "cur-legacy-csv/koku_test_cur.csv.gz",
        "cur-legacy-csv/koku_2023-06-01.csv",
        "cur-legacy-csv/koku_2023-06-01-not-final.csv",
        "cur-athena-snake/koku_2022-07-01-alt-columns.csv",
    ] {
        let path = shared_samples().join(rel);
        let report = check_json(&[path.to_str().unwrap()]);
        assert!(report["rows"].as_u64().unwrap() > 0, "{rel}");
    }
}
