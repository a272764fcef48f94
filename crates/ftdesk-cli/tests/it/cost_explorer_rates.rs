//! Cost Explorer splits the data cannot decide alone: offer pools shared by
//! several usage types in MONTHLY data, days that fit no single rate, usage
//! types without their operation, and two operations under one usage type.
//! Each is decided where the data allows and said where it does not, and
//! the charges always add up to the data's total.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{check_json, dec, ftdesk, stdout_of};
use crate::cost_explorer::{answer, group, next_day, period};

fn write(dir: &Path, name: &str, json: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, json).unwrap();
    path
}

/// October 2025 as one MONTHLY period, grouped by usage type and operation.
fn october(groups: &[String]) -> String {
    answer("OPERATION", &[period("2025-10-01", "2025-11-01", groups)])
}

fn charges_total(report: &Value) -> Decimal {
    let charges = report["charges"].as_array().unwrap();
    charges.iter().map(|c| dec(&c["cost"])).sum()
}

fn micro_offer(report: &Value) -> &Value {
    report["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "ec2-micro-linux")
        .expect("the micro offer")
}

fn text(path: &Path, lang: &str) -> String {
    let out = stdout_of(ftdesk().args(["check", path.to_str().unwrap(), "--lang", lang]));
    String::from_utf8(out).unwrap()
}

/// t2.micro in us-east-1 and us-east-2 (one price) share the 750 hours:
/// the pooled cost over the pooled hours beyond 750 is their rate.
#[test]
fn a_pool_shared_at_one_price_gives_its_rate_in_monthly_data() {
    let dir = tempfile::tempdir().unwrap();
    let groups = [
        group(["BoxUsage:t2.micro", "RunInstances"], "3.00", "744"),
        group(["USE2-BoxUsage:t2.micro", "RunInstances"], "4.38", "744"),
    ];
    let path = write(dir.path(), "monthly.json", &october(&groups));
    let report = check_json(&[path.to_str().unwrap(), "--month", "2025-10"]);
    let offer = micro_offer(&report);
    assert_eq!(dec(&offer["free_on_bill"]), Decimal::from(750), "{offer:#}");
    assert_eq!(dec(&offer["charged_quantity"]), Decimal::from(738));
    let unknowns = report["unknowns"].to_string();
    for usage_type in ["BoxUsage:t2.micro", "USE2-BoxUsage:t2.micro"] {
        let said = format!("{usage_type} was billed at 0.01 a unit");
        assert!(unknowns.contains(&said), "{said}: {unknowns}");
    }
    assert!(!unknowns.contains("Undecided"), "{unknowns}");
    assert_eq!(charges_total(&report), "7.38".parse().unwrap());
}

/// t2.micro in us-east-1 ($0.0116) and Seoul ($0.0144) share the pool, and
/// the catalogue's prices do not account for the 738 hours beyond 750: how
/// the allowance was shared is undecided, said with what would decide it,
/// in both languages; the charges still add up to the total.
#[test]
fn a_pool_shared_at_different_prices_is_said_to_be_undecided_in_monthly_data() {
    let dir = tempfile::tempdir().unwrap();
    let groups = [
        group(["BoxUsage:t2.micro", "RunInstances"], "4.00", "744"),
        group(["APN2-BoxUsage:t2.micro", "RunInstances"], "4.00", "744"),
    ];
    let path = write(dir.path(), "monthly.json", &october(&groups));
    let report = check_json(&[path.to_str().unwrap(), "--month", "2025-10"]);
    let unknowns = report["unknowns"].to_string();
    assert!(
        unknowns.contains(
            "Undecided: APN2-BoxUsage:t2.micro, BoxUsage:t2.micro shared one free allowance (ec2-micro-linux)"
        ),
        "{unknowns}"
    );
    assert!(unknowns.contains("--granularity DAILY"), "{unknowns}");
    assert_eq!(dec(&report["net_cost"]), "8.00".parse().unwrap());
    assert_eq!(charges_total(&report), "8.00".parse().unwrap());
    let korean = text(&path, "ko");
    assert!(
        korean.contains("정할 수 없음: 다음 사용 유형은"),
        "{korean}"
    );
    // At prices that account for the billed hours (400 + 338 = 738), it is
    // decided: no such note, and the free hours are the allowance.
    let groups = [
        group(["BoxUsage:t2.micro", "RunInstances"], "4.64", "744"),
        group(["APN2-BoxUsage:t2.micro", "RunInstances"], "4.8672", "744"),
    ];
    let path = write(dir.path(), "fits.json", &october(&groups));
    let report = check_json(&[path.to_str().unwrap(), "--month", "2025-10"]);
    assert!(!report["unknowns"].to_string().contains("Undecided"));
    assert_eq!(
        dec(&micro_offer(&report)["free_on_bill"]),
        Decimal::from(750)
    );
}

/// DAILY data without the operation: days of a Linux t2.micro alone and
/// days with a Windows one beside it cost different amounts an hour, so
/// no single rate fits; the report says the split of those days is
/// undecided and what would decide it.
#[test]
fn days_that_fit_no_single_rate_are_said_to_be_undecided() {
    let dir = tempfile::tempdir().unwrap();
    let results: Vec<String> = (1..=31)
        .map(|day| {
            let (cost, hours) = match day {
                ..=15 => ("0", "48"),
                16 => ("0.2088", "48"),
                17..=24 => ("0.2784", "24"),
                _ => ("0.6672", "48"),
            };
            let groups = [group(["BoxUsage:t2.micro", "Usage"], cost, hours)];
            period(&format!("2025-10-{day:02}"), &next_day(day), &groups)
        })
        .collect();
    let path = write(dir.path(), "daily.json", &answer("RECORD_TYPE", &results));
    let report = check_json(&[path.to_str().unwrap(), "--month", "2025-10"]);
    let unknowns = report["unknowns"].to_string();
    assert!(
        unknowns.contains(
            "Undecided: in 9 periods BoxUsage:t2.micro's cost per unit fits no single rate"
        ),
        "{unknowns}"
    );
    assert!(unknowns.contains("Group Cost Explorer by OPERATION"));
    assert_eq!(charges_total(&report), "7.1064".parse().unwrap());
    let korean = text(&path, "ko");
    assert!(
        korean.contains("9개 기간에서 BoxUsage:t2.micro의 단위당 비용이"),
        "{korean}"
    );
}

/// Without OPERATION, Seoul t3.small hours at $0.026 are our catalogue's
/// Linux price: taken and said, not "no price in our catalogue"; a day
/// below it leaves Linux an assumption, said as one.
#[test]
fn a_usage_type_without_its_operation_is_priced_as_linux_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let days = |cost: &str, count: u32| -> Vec<String> {
        (1..=count)
            .map(|day| {
                let groups = [group(["APN2-BoxUsage:t3.small", "Usage"], cost, "24")];
                period(&format!("2025-10-{day:02}"), &next_day(day), &groups)
            })
            .collect()
    };
    let path = write(
        dir.path(),
        "small.json",
        &answer("RECORD_TYPE", &days("0.624", 2)),
    );
    let report = check_json(&[path.to_str().unwrap()]);
    let unknowns = report["unknowns"].to_string();
    assert!(
        !unknowns.contains("has no price in our catalogue"),
        "{unknowns}"
    );
    assert!(
        unknowns.contains(
            "its rate in the data is our catalogue's price “$0.026 per On Demand Linux t3.small Instance Hour”"
        ),
        "{unknowns}"
    );
    let path = write(
        dir.path(),
        "below.json",
        &answer("RECORD_TYPE", &days("0.3", 1)),
    );
    let report = check_json(&[path.to_str().unwrap()]);
    let unknowns = report["unknowns"].to_string();
    assert!(
        unknowns.contains("APN2-BoxUsage:t3.small: assumed RunInstances, at our catalogue's price “$0.026 per On Demand Linux t3.small Instance Hour”: the data is not grouped by OPERATION"),
        "{unknowns}"
    );
    assert!(text(&path, "ko").contains("작업을 RunInstances(으)로 가정하고"));
}

/// RHEL and SUSE t2.micro hours, one usage type under two operations, each
/// at its own rate from the data: both rates are said, each naming its
/// operation (keyed by usage type alone, one was lost).
#[test]
fn rhel_and_suse_under_one_usage_type_are_both_said() {
    let dir = tempfile::tempdir().unwrap();
    let groups = [
        group(["BoxUsage:t2.micro", "RunInstances:0010"], "1.44", "24"),
        group(["BoxUsage:t2.micro", "RunInstances:000g"], "0.72", "24"),
    ];
    let json = answer("OPERATION", &[period("2025-10-01", "2025-10-02", &groups)]);
    let path = write(dir.path(), "rhel-suse.json", &json);
    let report = check_json(&[path.to_str().unwrap()]);
    let unknowns = report["unknowns"].to_string();
    for (operation, rate) in [("RunInstances:0010", "0.06"), ("RunInstances:000g", "0.03")] {
        let said = format!(
            "BoxUsage:t2.micro ({operation}) has no price in our catalogue, so its free part was worked out at the highest rate the data shows ({rate} a unit)"
        );
        assert!(unknowns.contains(&said), "{said}: {unknowns}");
    }
    assert_eq!(charges_total(&report), "2.16".parse().unwrap());
}
