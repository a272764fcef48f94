//! Cost Explorer output (`aws ce get-cost-and-usage`): every scenario gives
//! the same charges, causes, offer usage and totals from its DAILY JSON as
//! from its Cost and Usage Report; bad input is refused with the field named.

use std::collections::BTreeMap;
use std::path::Path;

use ftdesk_core::Catalog;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{check_json, dec, ftdesk, stdout_of, write_scenario, write_scenario_as};

/// The figures both sources must agree on: totals, cost per cause, each
/// usage type's cost and cause, each offer's use and limit, and the day a
/// limit was crossed (Cost Explorer has days, not hours).
fn comparable(report: &Value) -> BTreeMap<String, String> {
    let mut figures = BTreeMap::new();
    for total in [
        "gross_cost",
        "tax",
        "credits",
        "refunds",
        "net_cost",
        "free_tier_value",
    ] {
        figures.insert(
            total.to_owned(),
            dec(&report[total]).round_dp(6).normalize().to_string(),
        );
    }
    for (cause, cost) in report["cost_by_cause"].as_object().unwrap() {
        figures.insert(format!("cause {cause}"), dec(cost).normalize().to_string());
    }
    let mut by_usage_type: BTreeMap<String, (Decimal, Decimal, String)> = BTreeMap::new();
    for charge in report["charges"].as_array().unwrap() {
        let key = format!(
            "charge {} {}",
            charge["usage_type"].as_str().unwrap(),
            charge["line_item_type"].as_str().unwrap()
        );
        let entry = by_usage_type.entry(key).or_default();
        entry.0 += dec(&charge["cost"]);
        entry.1 += dec(&charge["quantity"]);
        entry.2 = charge["cause"].as_str().unwrap().to_owned();
    }
    for (key, (cost, quantity, cause)) in by_usage_type {
        figures.insert(
            key,
            format!(
                "{} {} {cause}",
                cost.normalize(),
                quantity.round_dp(6).normalize()
            ),
        );
    }
    for offer in report["offers"].as_array().unwrap() {
        let crossed = offer["crossed_at"].as_str().map(|t| t[..10].to_owned());
        figures.insert(
            format!(
                "offer {} {}",
                offer["id"].as_str().unwrap(),
                offer["region"]
            ),
            format!(
                "{} / {} {} crossed {crossed:?}",
                dec(&offer["used"]).round_dp(6).normalize(),
                dec(&offer["limit"]).normalize(),
                offer["status"].as_str().unwrap(),
            ),
        );
    }
    figures
}

fn args_for(path: &Path, month: &str, created: Option<String>) -> Vec<String> {
    let mut args = vec![path.display().to_string(), "--month".into(), month.into()];
    if let Some(created) = created {
        args.extend(["--account-created".into(), created]);
    }
    args
}

#[test]
fn every_scenario_gives_the_same_report_from_cost_explorer_as_from_its_cur() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    for scenario in ftdesk_sample::scenarios() {
        let generated = scenario.generate(&catalog);
        let month = generated.month.to_string();
        let created = generated.truth.account_created.map(|d| d.to_string());
        let cur = write_scenario(scenario.name, &dir.path().join("cur"));
        let ce = write_scenario_as(
            scenario.name,
            &dir.path().join("ce"),
            &["--format", "ce-json"],
        );
        let run = |path: &Path| {
            let args = args_for(path, &month, created.clone());
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            check_json(&args)
        };
        let (from_cur, from_ce) = (run(&cur), run(&ce));
        assert_eq!(
            comparable(&from_ce),
            comparable(&from_cur),
            "{}: Cost Explorer and CUR disagree",
            scenario.name
        );
        assert!(from_ce["charges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["resource_id"] == ""));
    }
}

/// Each account's cost and usage per usage type: what only a JSON grouped
/// by `LINKED_ACCOUNT` can tell.
fn by_account(report: &Value) -> BTreeMap<String, (Decimal, Decimal)> {
    let mut figures: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for charge in report["charges"].as_array().unwrap() {
        let key = format!(
            "{} {}",
            charge["usage_account"].as_str().unwrap(),
            charge["usage_type"].as_str().unwrap()
        );
        let entry = figures.entry(key).or_default();
        entry.0 += dec(&charge["cost"]);
        entry.1 += dec(&charge["quantity"]);
    }
    figures
        .into_iter()
        .map(|(k, (cost, quantity))| (k, (cost.normalize(), quantity.round_dp(6).normalize())))
        .collect()
}

/// A customer who also ran the query grouped by account gives both files:
/// the account file refines the record-type file instead of adding to it,
/// and the accounts then match the CUR's.
#[test]
fn every_scenario_grouped_also_by_linked_account_gives_the_cur_accounts() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    for scenario in ftdesk_sample::scenarios() {
        let generated = scenario.generate(&catalog);
        let month = generated.month.to_string();
        let created = generated.truth.account_created.map(|d| d.to_string());
        let sub = dir.path().join(scenario.name);
        let cur = write_scenario(scenario.name, &sub.join("cur"));
        let by_type = write_scenario_as(scenario.name, &sub.join("ce"), &["--format", "ce-json"]);
        let by_account_file = write_scenario_as(
            scenario.name,
            &sub.join("by-account"),
            &["--format", "ce-json", "--group-by", "linked-account"],
        );
        let written = std::fs::read_to_string(&by_account_file).unwrap();
        assert!(written.contains("LINKED_ACCOUNT"), "{}", scenario.name);
        let run = |paths: &[&Path]| {
            let mut args: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            args.extend(
                args_for(Path::new(""), &month, created.clone())
                    .into_iter()
                    .skip(1),
            );
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            check_json(&args)
        };
        let from_cur = run(&[&cur]);
        let from_both = run(&[&by_type, &by_account_file]);
        assert_eq!(
            comparable(&from_both),
            comparable(&from_cur),
            "{}: refined Cost Explorer and CUR disagree",
            scenario.name
        );
        assert_eq!(
            by_account(&from_both),
            by_account(&from_cur),
            "{}: accounts differ",
            scenario.name
        );
        assert_eq!(
            from_both["accounts"], from_cur["accounts"],
            "{}",
            scenario.name
        );
    }
}

#[test]
fn group_by_is_refused_without_cost_explorer_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = ftdesk()
        .args([
            "sample",
            "--scenario",
            "two-instances",
            "--group-by",
            "linked-account",
        ])
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--as ce-json"), "{err}");
}

fn check_fails(dir: &Path, name: &str, json: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, json).unwrap();
    let out = ftdesk().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{name}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(name), "names the file: {err}");
    err
}

const DEFINITIONS: &str = r#""GroupDefinitions":[{"Type":"DIMENSION","Key":"USAGE_TYPE"},{"Type":"DIMENSION","Key":"RECORD_TYPE"}]"#;

fn one_group(metrics: &str) -> String {
    format!(
        r#"{{{DEFINITIONS},"ResultsByTime":[{{"TimePeriod":{{"Start":"2025-10-01","End":"2025-10-02"}},"Total":{{}},
        "Groups":[{{"Keys":["BoxUsage:t2.micro","Usage"],"Metrics":{metrics}}}],"Estimated":false}}]}}"#
    )
}

#[test]
fn bad_cost_explorer_output_is_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let err = check_fails(
        d,
        "by-service.json",
        r#"{"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"}],"ResultsByTime":[
        {"TimePeriod":{"Start":"2025-10-01","End":"2025-11-01"},"Total":{},"Groups":[
        {"Keys":["Amazon Elastic Compute Cloud - Compute"],"Metrics":{"UnblendedCost":{"Amount":"8.56","Unit":"USD"}}}],
        "Estimated":false}]}"#,
    );
    assert!(
        err.contains("Key=USAGE_TYPE") && err.contains("Start=2025-10-01,End=2025-11-01"),
        "says which command gives enough detail: {err}"
    );
    let err = check_fails(
        d,
        "no-quantity.json",
        &one_group(r#"{"UnblendedCost":{"Amount":"0.1","Unit":"USD"}}"#),
    );
    assert!(
        err.contains("Groups[0].Metrics") && err.contains("UsageQuantity"),
        "{err}"
    );
    let err = check_fails(
        d,
        "not-a-number.json",
        &one_group(
            r#"{"UnblendedCost":{"Amount":"ten","Unit":"USD"},"UsageQuantity":{"Amount":"1","Unit":"N/A"}}"#,
        ),
    );
    assert!(
        err.contains("Metrics.UnblendedCost.Amount") && err.contains("ten"),
        "{err}"
    );
    let two_currencies = format!(
        r#"{{{DEFINITIONS},"ResultsByTime":[{{"TimePeriod":{{"Start":"2025-10-01","End":"2025-10-02"}},"Groups":[
        {{"Keys":["BoxUsage:t2.micro","Usage"],"Metrics":{{"UnblendedCost":{{"Amount":"1","Unit":"USD"}},"UsageQuantity":{{"Amount":"1","Unit":"N/A"}}}}}},
        {{"Keys":["NatGateway-Hours","Usage"],"Metrics":{{"UnblendedCost":{{"Amount":"1","Unit":"EUR"}},"UsageQuantity":{{"Amount":"1","Unit":"N/A"}}}}}}]}}]}}"#
    );
    let err = check_fails(d, "currencies.json", &two_currencies);
    assert!(err.contains("EUR") && err.contains("USD"), "{err}");
    let err = check_fails(d, "truncated.json", r#"{"ResultsByTime": ["#);
    assert!(err.contains("not valid JSON"), "{err}");
    let err = check_fails(
        d,
        "bad-date.json",
        &one_group(r#"{}"#).replace("2025-10-01", "October 1"),
    );
    assert!(
        err.contains("TimePeriod.Start") && err.contains("October 1"),
        "{err}"
    );
}

#[test]
fn overlapping_files_count_a_day_once_and_disagreeing_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ce = write_scenario_as("two-instances", dir.path(), &["--format", "ce-json"]);
    let copy = dir.path().join("again.json");
    std::fs::copy(&ce, &copy).unwrap();
    let once = check_json(&[ce.to_str().unwrap()]);
    let twice = check_json(&[ce.to_str().unwrap(), copy.to_str().unwrap()]);
    assert_eq!(
        comparable(&once),
        comparable(&twice),
        "the same days count once"
    );

    let text = std::fs::read_to_string(&ce).unwrap();
    let changed = dir.path().join("changed.json");
    std::fs::write(&changed, text.replacen("\"48\"", "\"47\"", 1)).unwrap();
    let out = ftdesk()
        .arg("check")
        .arg(&ce)
        .arg(&changed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("changed.json") && err.contains("other figures"),
        "{err}"
    );
}

/// Daily data knows the day a limit was crossed, not the hour; the report
/// and the reply say only what it knows, and name where the resources are.
#[test]
fn daily_data_states_days_not_hours_in_the_report_and_the_reply() {
    let dir = tempfile::tempdir().unwrap();
    let ce = write_scenario_as("two-instances", dir.path(), &["--format", "ce-json"]);
    let text = ftdesk()
        .args(["check", "--account-created", "2025-02-03"])
        .arg(&ce)
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("limit crossed Oct 16"), "{text}");
    assert!(!text.contains("Oct 16, 15:00"), "{text}");
    assert!(text.contains("Cost Explorer's (DAILY)"), "{text}");
    assert!(
        text.contains("aws ec2 describe-instances --region"),
        "{text}"
    );
    assert!(!text.contains("Include resource IDs"), "{text}");

    let inquiry = dir.path().join("q.txt");
    std::fs::write(
        &inquiry,
        "Hello, I am on the free tier but was charged in October 2025. Why?\n\nThanks,\nJane Doe\n",
    )
    .unwrap();
    let out = ftdesk()
        .args(["reply", "--inquiry"])
        .arg(&inquiry)
        .arg(&ce)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reply = String::from_utf8(out.stdout).unwrap();
    assert!(reply.contains("$8.56"), "{reply}");
    assert!(reply.contains("738 hours over"), "{reply}");
    assert!(!reply.contains("15:00"), "{reply}");
}

/// `ftdesk sources` tells an account owner where each kind of data comes
/// from, in English and Korean.
#[test]
fn sources_name_each_source_with_its_commands_in_both_languages() {
    for lang in ["en", "ko"] {
        let out = ftdesk().args(["sources", "--lang", lang]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        for needed in [
            "aws ce get-cost-and-usage",
            "aws freetier get-free-tier-usage",
            "ce:GetCostAndUsage",
            "$0.01",
            "ftdesk check --pasted",
        ] {
            assert!(text.contains(needed), "{lang}: {needed} in {text}");
        }
        insta::assert_snapshot!(format!("sources.{lang}"), text);
    }
}

/// The Free Tier API's figures stand beside those derived from Cost
/// Explorer, offer by offer, as they do beside a CUR's.
#[test]
fn free_tier_api_figures_stand_beside_cost_explorer_ones() {
    let dir = tempfile::tempdir().unwrap();
    let ce = write_scenario_as(
        "two-instances",
        &dir.path().join("ce"),
        &["--format", "ce-json"],
    );
    let api = write_scenario_as(
        "two-instances",
        &dir.path().join("api"),
        &["--format", "freetier-json"],
    );
    let report = check_json(&[ce.to_str().unwrap(), api.to_str().unwrap()]);
    let ec2 = report["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "ec2-micro-linux")
        .unwrap();
    assert_eq!(dec(&ec2["used"]), Decimal::from(1488), "from Cost Explorer");
    assert_eq!(
        dec(&ec2["api"]["actual"]),
        Decimal::from(1488),
        "from the API"
    );
    assert_eq!(ec2["in_bill"], true);
    assert!(
        !report["net_cost"].is_null(),
        "Cost Explorer has the charges"
    );
}

/// One group of a Cost Explorer answer: its two keys, its cost and quantity.
pub(crate) fn group(keys: [&str; 2], cost: &str, quantity: &str) -> String {
    format!(
        r#"{{"Keys":["{}","{}"],"Metrics":{{"UnblendedCost":{{"Amount":"{cost}","Unit":"USD"}},"UsageQuantity":{{"Amount":"{quantity}","Unit":"N/A"}}}}}}"#,
        keys[0], keys[1]
    )
}

/// One closed period of a Cost Explorer answer, from `start` to `end`.
pub(crate) fn period(start: &str, end: &str, groups: &[String]) -> String {
    format!(
        r#"{{"TimePeriod":{{"Start":"{start}","End":"{end}"}},"Total":{{}},"Groups":[{}],"Estimated":false}}"#,
        groups.join(",")
    )
}

/// A whole answer grouped by USAGE_TYPE and `second`.
pub(crate) fn answer(second: &str, periods: &[String]) -> String {
    format!(
        r#"{{"GroupDefinitions":[{{"Type":"DIMENSION","Key":"USAGE_TYPE"}},{{"Type":"DIMENSION","Key":"{second}"}}],"ResultsByTime":[{}]}}"#,
        periods.join(",")
    )
}

/// Cost Explorer grouped by operation: RHEL hours (RunInstances:0010) and a
/// PostgreSQL micro instance (CreateDBInstance:0014) have no catalogue price
/// with a source, so neither is priced as Linux or MySQL: the report says
/// the rate came from the data. Grouped by record type, the operating
/// system is not in the data and the report says which it assumed.
#[test]
fn a_price_the_catalogue_does_not_know_is_said_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("by-operation.json");
    let groups = [
        group(["BoxUsage:t2.micro", "RunInstances:0010"], "1.44", "24"),
        group(
            ["InstanceUsage:db.t3.micro", "CreateDBInstance:0014"],
            "0.432",
            "24",
        ),
    ];
    let json = answer("OPERATION", &[period("2025-10-01", "2025-10-02", &groups)]);
    std::fs::write(&path, json).unwrap();
    let report = check_json(&[path.to_str().unwrap()]);
    let unknowns = report["unknowns"].to_string();
    for usage_type in ["BoxUsage:t2.micro", "InstanceUsage:db.t3.micro"] {
        let said = format!("{usage_type} has no price in our catalogue");
        assert!(unknowns.contains(&said), "{said}: {unknowns}");
    }
    assert_eq!(dec(&report["net_cost"]), "1.872".parse().unwrap());
    let by_type = write_scenario_as("two-instances", dir.path(), &["--format", "ce-json"]);
    let report = check_json(&[by_type.to_str().unwrap()]);
    let unknowns = report["unknowns"].to_string();
    assert!(unknowns.contains("RunInstances was assumed"), "{unknowns}");
}

/// Each charge from Cost Explorer says its resource is not in the data and
/// gives the command that lists the candidates in its region.
#[test]
fn each_charge_gives_the_command_that_lists_its_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let ce = write_scenario_as("seoul-student", dir.path(), &["--format", "ce-json"]);
    let report = check_json(&[ce.to_str().unwrap()]);
    let find_of = |usage_type: &str| {
        let charge = report["charges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["usage_type"] == usage_type)
            .unwrap_or_else(|| panic!("{usage_type} in {report:#}"));
        charge["action"]["find"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        find_of("APN2-BoxUsage:t2.micro"),
        "aws ec2 describe-instances --region ap-northeast-2 --filters Name=instance-type,Values=t2.micro"
    );
    assert_eq!(
        find_of("APN2-NatGateway-Hours"),
        "aws ec2 describe-nat-gateways --region ap-northeast-2"
    );
    let text = stdout_of(ftdesk().args(["check", ce.to_str().unwrap(), "--lang", "ko"]));
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("후보 목록 보기: aws ec2 describe-nat-gateways"),
        "{text}"
    );
}

/// A period Cost Explorer marks as estimated is not final: the report says so.
#[test]
fn estimated_periods_are_said_to_be_not_final() {
    let dir = tempfile::tempdir().unwrap();
    let metrics = r#"{"UnblendedCost":{"Amount":"0.1044","Unit":"USD"},"UsageQuantity":{"Amount":"24","Unit":"N/A"}}"#;
    let closed = one_group(metrics);
    let path = dir.path().join("ce.json");
    std::fs::write(&path, &closed).unwrap();
    let said = |report: &Value| report["unknowns"].to_string().contains("estimated");
    assert!(!said(&check_json(&[path.to_str().unwrap()])));
    std::fs::write(
        &path,
        closed.replace(r#""Estimated":false"#, r#""Estimated":true"#),
    )
    .unwrap();
    let report = check_json(&[path.to_str().unwrap()]);
    assert!(said(&report), "{:#}", report["unknowns"]);
}

/// Cost Explorer's NoUsageType without RECORD_TYPE in the grouping: the
/// charge says what it may be and what would tell, in both languages.
#[test]
fn a_charge_without_a_usage_type_says_what_would_tell_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("by-instance-type.json");
    let groups = [group(["NoUsageType", "NoInstanceType"], "0.5", "0")];
    let json = answer(
        "INSTANCE_TYPE",
        &[period("2025-10-01", "2025-10-02", &groups)],
    );
    std::fs::write(&path, json).unwrap();
    for (lang, said) in [
        ("en", "group by RECORD_TYPE"),
        ("ko", "RECORD_TYPE으로도 묶어"),
    ] {
        let text = stdout_of(ftdesk().args(["check", path.to_str().unwrap(), "--lang", lang]));
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains(said), "{text}");
    }
}

/// A bill at a lower rate than our catalogue's (a price cut, another
/// account's price): the days billed in full give the rate, the free part
/// is the allowance and not more, and the report says which rate it used.
#[test]
fn a_rate_below_the_catalogue_price_is_taken_from_the_data_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cheaper.json");
    // Two Linux t2.micro all October: the 750 free hours run out on the
    // 16th (30 free, 18 billed), every hour after is billed at $0.01, not
    // the catalogue's $0.0116.
    let results: Vec<String> = (1..=31)
        .map(|day| {
            let cost = match day {
                ..=15 => "0",
                16 => "0.18",
                _ => "0.48",
            };
            let groups = [group(["BoxUsage:t2.micro", "RunInstances"], cost, "48")];
            period(&format!("2025-10-{day:02}"), &next_day(day), &groups)
        })
        .collect();
    let json = answer("OPERATION", &results);
    std::fs::write(&path, json).unwrap();
    let report = check_json(&[path.to_str().unwrap(), "--month", "2025-10"]);
    assert_eq!(dec(&report["net_cost"]), "7.38".parse().unwrap());
    let offer = report["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "ec2-micro-linux")
        .expect("the micro offer");
    assert_eq!(dec(&offer["free_on_bill"]), Decimal::from(750), "{offer:#}");
    assert_eq!(dec(&offer["charged_quantity"]), Decimal::from(738));
    assert_eq!(
        offer["crossed_at"].as_str().map(|t| &t[..10]),
        Some("2025-10-16")
    );
    let unknowns = report["unknowns"].to_string();
    assert!(
        unknowns.contains("less than our catalogue's on-demand price (0.0116)"),
        "{unknowns}"
    );
}

pub(crate) fn next_day(day: u32) -> String {
    if day == 31 {
        "2025-11-01".to_owned()
    } else {
        format!("2025-10-{:02}", day + 1)
    }
}

/// The same month at MONTHLY granularity: no period was billed in full, so
/// the pool that ran out gives the rate (billed = used − 750).
#[test]
fn a_monthly_rate_below_the_catalogue_price_comes_from_the_pool_that_ran_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("monthly.json");
    let groups = [group(["BoxUsage:t2.micro", "RunInstances"], "7.38", "1488")];
    let json = answer("OPERATION", &[period("2025-10-01", "2025-11-01", &groups)]);
    std::fs::write(&path, json).unwrap();
    let report = check_json(&[path.to_str().unwrap(), "--month", "2025-10"]);
    let offer = report["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "ec2-micro-linux")
        .expect("the micro offer");
    assert_eq!(dec(&offer["free_on_bill"]), Decimal::from(750), "{offer:#}");
    assert_eq!(dec(&offer["charged_quantity"]), Decimal::from(738));
    // A month's totals do not say on which day the 750 hours ran out.
    assert!(offer["crossed_at"].is_null(), "{offer:#}");
    let text = stdout_of(ftdesk().args(["check", path.to_str().unwrap(), "--month", "2025-10"]));
    let text = String::from_utf8(text).unwrap();
    assert!(!text.contains("limit crossed Oct"), "{text}");
    let unknowns = report["unknowns"].to_string();
    assert!(unknowns.contains("was billed at 0.01 a unit"), "{unknowns}");
}

/// Reports and reply notes made from Cost Explorer speak of its groups and
/// periods, not of billing rows or free-tier rows it does not have, in
/// English and Korean.
#[test]
fn cost_explorer_reports_speak_of_groups_and_periods_not_rows() {
    let dir = tempfile::tempdir().unwrap();
    let ce = write_scenario_as("two-instances", dir.path(), &["--format", "ce-json"]);
    let inquiry = dir.path().join("q.txt");
    std::fs::write(
        &inquiry,
        "Hello, why was I charged in October 2025?\n\nJane\n",
    )
    .unwrap();
    for (lang, said, not_said) in [
        (
            "en",
            [
                "62 Cost Explorer groups read, over 31 periods",
                "in Cost Explorer's figures part of the usage of EC2 t2.micro",
            ],
            ["billing rows", "free-tier rows for"],
        ),
        (
            "ko",
            [
                "Cost Explorer 그룹 62개(기간 31개)를 읽었습니다",
                "Cost Explorer 수치에서 EC2 t2.micro / t3.micro Linux 사용 시간의 일부가 무료였습니다",
            ],
            ["결제 데이터", "프리 티어 행이 있습니다"],
        ),
    ] {
        let text = stdout_of(ftdesk().args(["check", "--lang", lang]).arg(&ce));
        let text = String::from_utf8(text).unwrap();
        for said in said {
            assert!(text.contains(said), "{said}: {text}");
        }
        for not_said in not_said {
            assert!(!text.contains(not_said), "{not_said}: {text}");
        }
    }
    for (lang, said) in [
        (
            "en",
            [
                "62 Cost Explorer groups over 31 periods",
                "· 16 Cost Explorer periods,",
            ],
        ),
        (
            "ko",
            [
                "Cost Explorer 그룹 62개(기간 31개)",
                "· Cost Explorer 기간 16개,",
            ],
        ),
    ] {
        let reply = stdout_of(
            ftdesk()
                .args(["reply", "--with-notes", "--lang", lang, "--inquiry"])
                .arg(&inquiry)
                .arg(&ce),
        );
        let reply = String::from_utf8(reply).unwrap();
        for said in said {
            assert!(reply.contains(said), "{said}: {reply}");
        }
        assert!(!reply.contains("billing rows"), "{reply}");
    }
}
