//! A scenario as Cost Explorer shows it: `aws ce get-cost-and-usage` with
//! DAILY granularity, `UnblendedCost` and `UsageQuantity`, grouped by usage
//! type and record type (or linked account). No resource ids, no rates, no
//! free-tier marker.

use std::collections::BTreeMap;
use std::io::{self, Write};

use ftdesk_core::time::{Month, Timestamp};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::Generated;

const DAY: i64 = 86_400;

/// One day's (usage type, second key) → (cost, quantity).
type Day = BTreeMap<(String, String), (Decimal, Decimal)>;

/// The key grouped by beside `USAGE_TYPE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostExplorerGrouping {
    RecordType,
    LinkedAccount,
}

impl CostExplorerGrouping {
    fn key(self) -> &'static str {
        match self {
            Self::RecordType => "RECORD_TYPE",
            Self::LinkedAccount => "LINKED_ACCOUNT",
        }
    }
}

/// Writes the JSON the AWS CLI would print for the scenario's month, one
/// period per day up to the end of the data; an open month's periods are
/// `Estimated`. Grouped by usage type and record type.
pub fn write_cost_explorer_json(generated: &Generated, out: &mut dyn Write) -> io::Result<()> {
    write_cost_explorer_json_by(generated, CostExplorerGrouping::RecordType, out)
}

/// Writes the scenario's month as Cost Explorer JSON grouped by usage type
/// and `grouping` into `dir` (created if missing): `<name>-<month>-cost-explorer.json`,
/// or `<name>-<month>-cost-explorer-by-account.json` by linked account.
pub fn write_cost_explorer_file(
    generated: &Generated,
    name: &str,
    grouping: CostExplorerGrouping,
    dir: &std::path::Path,
) -> io::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    let suffix = match grouping {
        CostExplorerGrouping::RecordType => "",
        CostExplorerGrouping::LinkedAccount => "-by-account",
    };
    let path = dir.join(format!(
        "{name}-{}-cost-explorer{suffix}.json",
        generated.month
    ));
    let mut out = Vec::new();
    write_cost_explorer_json_by(generated, grouping, &mut out)?;
    std::fs::write(&path, out)?;
    Ok(path)
}

/// [`write_cost_explorer_json`] grouped by usage type and `grouping`.
pub fn write_cost_explorer_json_by(
    generated: &Generated,
    grouping: CostExplorerGrouping,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_rows_cost_explorer_json(&generated.rows, generated.month, grouping, out)
}

/// Billing rows of `month` as Cost Explorer JSON grouped by usage type and `grouping`.
pub fn write_rows_cost_explorer_json(
    rows: &[crate::CurRow],
    month: Month,
    grouping: CostExplorerGrouping,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut days: BTreeMap<i64, Day> = BTreeMap::new();
    let mut last_end = month.start();
    for row in rows {
        let item = row.as_line_item();
        let day = (item.start.unix() - month.start().unix()).div_euclid(DAY);
        let usage_type = if item.usage_type.is_empty() {
            "NoUsageType".to_owned()
        } else {
            item.usage_type.to_owned()
        };
        let sums = days
            .entry(day)
            .or_default()
            .entry((usage_type, second_key(&item, grouping)))
            .or_default();
        sums.0 += item.cost;
        sums.1 += item.usage_amount;
        if item.line_item_type.is_usage() {
            last_end = last_end.max(item.end);
        }
    }
    let data_days = (last_end.unix() - month.start().unix() + DAY - 1) / DAY;
    let estimated = last_end < month.end();
    let results: Vec<Value> = (0..data_days.max(1))
        .map(|day| period(month, day, days.get(&day), estimated))
        .collect();
    let document = json!({
        "GroupDefinitions": [
            {"Type": "DIMENSION", "Key": "USAGE_TYPE"},
            {"Type": "DIMENSION", "Key": grouping.key()}
        ],
        "ResultsByTime": results,
        "DimensionValueAttributes": []
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    out.write_all(b"\n")
}

fn second_key(item: &ftdesk_core::LineItem<'_>, grouping: CostExplorerGrouping) -> String {
    match grouping {
        CostExplorerGrouping::RecordType => item.line_item_type.record_type().to_owned(),
        CostExplorerGrouping::LinkedAccount => item.usage_account.to_owned(),
    }
}

fn period(month: Month, day: i64, groups: Option<&Day>, estimated: bool) -> Value {
    let start = Timestamp::from_unix(month.start().unix() + day * DAY);
    let end = Timestamp::from_unix(start.unix() + DAY);
    let groups: Vec<Value> = groups
        .into_iter()
        .flatten()
        .map(|((usage_type, record_type), (cost, quantity))| {
            json!({
                "Keys": [usage_type, record_type],
                "Metrics": {
                    "UnblendedCost": {"Amount": amount(*cost), "Unit": "USD"},
                    "UsageQuantity": {"Amount": amount(*quantity), "Unit": "N/A"}
                }
            })
        })
        .collect();
    json!({
        "TimePeriod": {"Start": date(start), "End": date(end)},
        "Total": {},
        "Groups": groups,
        "Estimated": estimated
    })
}

/// Amounts as Cost Explorer writes them: strings, at most 10 decimals.
fn amount(value: Decimal) -> String {
    value.round_dp(10).normalize().to_string()
}

fn date(t: Timestamp) -> String {
    t.to_string()[..10].to_owned()
}
