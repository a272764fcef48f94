//! The JSON that `aws ce get-cost-and-usage` prints: each usage type's cost
//! and quantity per period, read into [`Aggregate`]s. The accounting that
//! splits them into free and billed usage is `ftdesk_core::aggregate`.

use std::collections::BTreeMap;
use std::path::Path;

use ftdesk_core::aggregate::Aggregate;
use ftdesk_core::{parse_decimal, LineItemType, Timestamp};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::error::ReadError;

/// The grouping keys ftdesk reads beside `USAGE_TYPE`.
const SECOND_KEYS: [&str; 5] = [
    "RECORD_TYPE",
    "LINKED_ACCOUNT",
    "SERVICE",
    "OPERATION",
    "INSTANCE_TYPE",
];

/// Whether the start of a file is Cost Explorer output (it names
/// `ResultsByTime` near the top, whatever the key order).
pub fn looks_like_cost_explorer(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    text.trim_start().starts_with('{') && text.contains("\"ResultsByTime\"")
}

/// One file's periods, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostExplorerFile {
    /// The grouping keys, in order (`USAGE_TYPE`, `RECORD_TYPE`).
    pub grouping: Vec<String>,
    pub aggregates: Vec<Aggregate>,
    /// Periods AWS marked `Estimated` (still open).
    pub estimated_periods: usize,
}

impl CostExplorerFile {
    /// `HOURLY`, `DAILY` or `MONTHLY`, told by the first period's length.
    pub fn granularity(&self) -> &'static str {
        match self
            .aggregates
            .first()
            .map(|a| a.end.unix() - a.start.unix())
        {
            Some(3600) => "HOURLY",
            Some(86_400) => "DAILY",
            _ => "MONTHLY",
        }
    }
}

/// Reads one file's JSON.
pub fn read(bytes: &[u8], path: &Path) -> Result<CostExplorerFile, ReadError> {
    let bad = |at: &str, problem: String| ReadError::CostExplorer {
        path: path.to_owned(),
        at: at.to_owned(),
        problem,
    };
    let json: Value = serde_json::from_slice(bytes)
        .map_err(|e| bad("the file", format!("is not valid JSON ({e})")))?;
    let results = json
        .get("ResultsByTime")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            bad(
                "the file",
                "has no `ResultsByTime` array: expected the output of `aws ce get-cost-and-usage`"
                    .into(),
            )
        })?;
    let grouping = grouping(&json, path)?;
    let Some(usage_type_at) = grouping.iter().position(|k| k == "USAGE_TYPE") else {
        return Err(ReadError::CostExplorerNoUsageType {
            path: path.to_owned(),
            grouping: if grouping.is_empty() {
                "no grouping".into()
            } else {
                grouping.join(" and ")
            },
            command: command_for(results),
        });
    };
    let mut file = CostExplorerFile {
        grouping: grouping.clone(),
        aggregates: Vec::new(),
        estimated_periods: 0,
    };
    let mut currency: Option<String> = None;
    for (i, result) in results.iter().enumerate() {
        let at = format!("ResultsByTime[{i}]");
        let (start, end) = period(result, &at, path)?;
        if result.get("Estimated").and_then(Value::as_bool) == Some(true) {
            file.estimated_periods += 1;
        }
        let groups = result
            .get("Groups")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(&at, "has no `Groups` array".into()))?;
        for (j, group) in groups.iter().enumerate() {
            let at = format!("{at}.Groups[{j}]");
            let keys = keys(group, grouping.len(), &at, path)?;
            let (cost, unit) = metric(group, "UnblendedCost", &at, path)?;
            let (quantity, _) = metric(group, "UsageQuantity", &at, path)?;
            match &currency {
                None => currency = Some(unit.clone()),
                Some(c) if *c != unit && !unit.is_empty() => {
                    return Err(bad(
                        &format!("{at}.Metrics.UnblendedCost.Unit"),
                        format!(
                        "is {unit}, but earlier amounts are in {c}; one report needs one currency"
                    ),
                    ))
                }
                Some(_) => {}
            }
            file.aggregates.push(aggregate(
                &grouping,
                &keys,
                usage_type_at,
                (start, end),
                cost,
                quantity,
                &unit,
            ));
        }
    }
    Ok(file)
}

/// Puts several files' periods together: a period and group met again with
/// the same figures (the same query saved twice) counts once; with other
/// figures, or in files grouped differently over the same days, it is an
/// error, since the figures would be counted twice.
pub fn combine(
    files: Vec<(std::path::PathBuf, CostExplorerFile)>,
) -> Result<Vec<Aggregate>, ReadError> {
    type Key = (Timestamp, Timestamp, String, String, String, LineItemType);
    let mut seen: BTreeMap<Key, (Decimal, Decimal, std::path::PathBuf)> = BTreeMap::new();
    let mut periods: BTreeMap<(Timestamp, Timestamp), (Vec<String>, std::path::PathBuf)> =
        BTreeMap::new();
    let mut all = Vec::new();
    for (path, file) in files {
        for a in file.aggregates {
            let span = (a.start, a.end);
            if let Some((grouping, other)) = periods.get(&span) {
                if *grouping != file.grouping {
                    return Err(ReadError::CostExplorerOverlap {
                        path,
                        other: other.clone(),
                        start: a.start,
                        problem: format!(
                            "is grouped by {} there and by {} here; give files of one grouping",
                            grouping.join(" and "),
                            file.grouping.join(" and ")
                        ),
                    });
                }
            }
            periods.insert(span, (file.grouping.clone(), path.clone()));
            let key = (
                a.start,
                a.end,
                a.usage_account.clone(),
                a.usage_type.clone(),
                a.operation.clone(),
                a.line_item_type,
            );
            match seen.get(&key) {
                Some((cost, quantity, _)) if *cost == a.cost && *quantity == a.quantity => continue,
                Some((_, _, other)) => {
                    return Err(ReadError::CostExplorerOverlap {
                        path,
                        other: other.clone(),
                        start: a.start,
                        problem: format!(
                            "has other figures for {} in the same period",
                            if a.usage_type.is_empty() {
                                "NoUsageType"
                            } else {
                                &a.usage_type
                            }
                        ),
                    })
                }
                None => {
                    seen.insert(key, (a.cost, a.quantity, path.clone()));
                    all.push(a);
                }
            }
        }
    }
    Ok(all)
}

fn grouping(json: &Value, path: &Path) -> Result<Vec<String>, ReadError> {
    let Some(definitions) = json.get("GroupDefinitions").and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    definitions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let key = d.get("Key").and_then(Value::as_str).unwrap_or_default();
            let kind = d.get("Type").and_then(Value::as_str).unwrap_or_default();
            if kind == "DIMENSION" && (key == "USAGE_TYPE" || SECOND_KEYS.contains(&key)) {
                Ok(key.to_owned())
            } else {
                Err(ReadError::CostExplorer {
                    path: path.to_owned(),
                    at: format!("GroupDefinitions[{i}]"),
                    problem: format!(
                        "groups by {kind} {key}; expected DIMENSION USAGE_TYPE with one of {}",
                        SECOND_KEYS.join(", ")
                    ),
                })
            }
        })
        .collect()
}

fn period(result: &Value, at: &str, path: &Path) -> Result<(Timestamp, Timestamp), ReadError> {
    let time = |field: &str| -> Result<Timestamp, ReadError> {
        let text = result
            .get("TimePeriod")
            .and_then(|p| p.get(field))
            .and_then(Value::as_str)
            .unwrap_or_default();
        parse_time(text).ok_or_else(|| ReadError::CostExplorer {
            path: path.to_owned(),
            at: format!("{at}.TimePeriod.{field}"),
            problem: format!(
                "is `{text}`; expected a date YYYY-MM-DD or a time YYYY-MM-DDThh:mm:ssZ"
            ),
        })
    };
    let (start, end) = (time("Start")?, time("End")?);
    if end <= start {
        return Err(ReadError::CostExplorer {
            path: path.to_owned(),
            at: format!("{at}.TimePeriod"),
            problem: "ends before it starts".into(),
        });
    }
    Ok((start, end))
}

fn parse_time(text: &str) -> Option<Timestamp> {
    if let Ok(date) = text.parse::<ftdesk_core::Date>() {
        return Some(Timestamp::from_civil(
            date.year, date.month, date.day, 0, 0, 0,
        ));
    }
    Timestamp::parse(text).ok()
}

fn keys(group: &Value, expected: usize, at: &str, path: &Path) -> Result<Vec<String>, ReadError> {
    let keys: Option<Vec<String>> = group
        .get("Keys")
        .and_then(Value::as_array)
        .and_then(|k| k.iter().map(|v| v.as_str().map(str::to_owned)).collect());
    match keys {
        Some(keys) if keys.len() == expected => Ok(keys),
        _ => Err(ReadError::CostExplorer {
            path: path.to_owned(),
            at: format!("{at}.Keys"),
            problem: format!("expected {expected} strings, one per GroupDefinitions entry"),
        }),
    }
}

fn metric(
    group: &Value,
    name: &str,
    at: &str,
    path: &Path,
) -> Result<(Decimal, String), ReadError> {
    let Some(value) = group.get("Metrics").and_then(|m| m.get(name)) else {
        return Err(ReadError::CostExplorer {
            path: path.to_owned(),
            at: format!("{at}.Metrics"),
            problem: format!("has no {name}; ask for it: --metrics UnblendedCost UsageQuantity"),
        });
    };
    let amount = match value.get("Amount") {
        Some(Value::String(s)) => parse_decimal(s).ok().flatten(),
        Some(Value::Number(n)) => parse_decimal(&n.to_string()).ok().flatten(),
        _ => None,
    };
    let amount = amount.ok_or_else(|| ReadError::CostExplorer {
        path: path.to_owned(),
        at: format!("{at}.Metrics.{name}.Amount"),
        problem: format!(
            "is {}; expected a decimal number such as \"0.0116\"",
            value
                .get("Amount")
                .map_or("missing".into(), |v| v.to_string())
        ),
    })?;
    let unit = value
        .get("Unit")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok((amount, unit.to_owned()))
}

fn aggregate(
    grouping: &[String],
    keys: &[String],
    usage_type_at: usize,
    (start, end): (Timestamp, Timestamp),
    cost: Decimal,
    quantity: Decimal,
    currency: &str,
) -> Aggregate {
    let mut a = Aggregate {
        start,
        end,
        usage_account: String::new(),
        line_item_type: LineItemType::Usage,
        product_code: String::new(),
        usage_type: String::new(),
        operation: String::new(),
        quantity,
        cost,
        currency: currency.to_owned(),
    };
    for (i, (key, value)) in grouping.iter().zip(keys).enumerate() {
        match key.as_str() {
            _ if i == usage_type_at && value != "NoUsageType" => a.usage_type = value.clone(),
            _ if i == usage_type_at => {}
            "RECORD_TYPE" => a.line_item_type = LineItemType::from_record_type(value),
            "LINKED_ACCOUNT" => a.usage_account = value.clone(),
            "OPERATION" if value != "NoOperation" => a.operation = value.clone(),
            _ => {}
        }
    }
    if a.usage_type.is_empty() && a.line_item_type == LineItemType::Usage && cost < Decimal::ZERO {
        a.line_item_type = LineItemType::Credit;
    }
    a
}

/// The command that gives the detail ftdesk needs, over the file's own days.
fn command_for(results: &[Value]) -> String {
    let day = |r: Option<&Value>, field: &str| {
        r.and_then(|r| r.get("TimePeriod"))
            .and_then(|p| p.get(field))
            .and_then(Value::as_str)
            .map(|s| s.get(..10).unwrap_or(s).to_owned())
            .unwrap_or_else(|| "YYYY-MM-DD".into())
    };
    format!(
        "aws ce get-cost-and-usage --time-period Start={},End={} --granularity DAILY \
         --metrics UnblendedCost UsageQuantity \
         --group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=RECORD_TYPE",
        day(results.first(), "Start"),
        day(results.last(), "End")
    )
}
