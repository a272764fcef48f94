//! The JSON that `aws ce get-cost-and-usage` prints: each usage type's cost
//! and quantity per period, read into [`Aggregate`]s. The accounting that
//! splits them into free and billed usage is `ftdesk_core::aggregate`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// Puts several files' periods together. Files of one grouping add up: a
/// period and group met again with the same figures (the same query saved
/// twice) counts once, with other figures it is an error. Files of another
/// grouping over the same days are not added: the first grouping of a period
/// gives its totals, the others refine them (a usage type's one row by
/// record type split by account, say), and totals that disagree are an
/// error. Periods of different lengths over the same days are an error too.
pub fn combine(files: Vec<(PathBuf, CostExplorerFile)>) -> Result<Vec<Aggregate>, ReadError> {
    let mut groupings: Vec<Grouped> = Vec::new();
    for (path, file) in files {
        let at = match groupings.iter().position(|g| g.grouping == file.grouping) {
            Some(at) => at,
            None => {
                groupings.push(Grouped::new(file.grouping.clone()));
                groupings.len() - 1
            }
        };
        groupings[at].add(&path, file.aggregates)?;
    }
    one_granularity(&groupings)?;
    refine(&groupings)
}

type Span = (Timestamp, Timestamp);

/// One grouping's periods, each period and group once.
struct Grouped {
    grouping: Vec<String>,
    aggregates: Vec<Aggregate>,
    /// The file each aggregate came from, by index.
    paths: Vec<PathBuf>,
    seen: BTreeMap<(Span, String, String, String, LineItemType), usize>,
}

impl Grouped {
    fn new(grouping: Vec<String>) -> Self {
        Grouped {
            grouping,
            aggregates: Vec::new(),
            paths: Vec::new(),
            seen: BTreeMap::new(),
        }
    }

    fn add(&mut self, path: &Path, aggregates: Vec<Aggregate>) -> Result<(), ReadError> {
        for a in aggregates {
            let key = (
                (a.start, a.end),
                a.usage_account.clone(),
                a.usage_type.clone(),
                a.operation.clone(),
                a.line_item_type,
            );
            match self.seen.get(&key) {
                Some(&i)
                    if self.aggregates[i].cost == a.cost
                        && self.aggregates[i].quantity == a.quantity => {}
                Some(&i) => {
                    return Err(ReadError::CostExplorerOverlap {
                        path: path.to_owned(),
                        other: self.paths[i].clone(),
                        start: a.start,
                        problem: format!(
                            "has other figures for {} in the same period",
                            shown_usage_type(&a)
                        ),
                    })
                }
                None => {
                    self.seen.insert(key, self.aggregates.len());
                    self.aggregates.push(a);
                    self.paths.push(path.to_owned());
                }
            }
        }
        Ok(())
    }

    /// The key this grouping adds to the usage type, if any.
    fn second_key(&self) -> Option<&str> {
        self.grouping
            .iter()
            .map(String::as_str)
            .find(|k| *k != "USAGE_TYPE")
    }
}

fn shown_usage_type(a: &Aggregate) -> &str {
    if a.usage_type.is_empty() {
        "NoUsageType"
    } else {
        &a.usage_type
    }
}

/// Refuses periods that overlap without being the same period (a MONTHLY
/// file beside a DAILY one): their figures would be counted twice.
fn one_granularity(groupings: &[Grouped]) -> Result<(), ReadError> {
    let mut spans: BTreeMap<Span, &Path> = BTreeMap::new();
    for g in groupings {
        for (a, path) in g.aggregates.iter().zip(&g.paths) {
            spans.entry((a.start, a.end)).or_insert(path);
        }
    }
    let mut latest: Option<(Span, &Path)> = None;
    for (span, path) in spans {
        if let Some((before, other)) = latest.filter(|(before, _)| before.1 > span.0) {
            return Err(ReadError::CostExplorerOverlap {
                path: path.to_owned(),
                other: other.to_owned(),
                start: span.0,
                problem: format!(
                    "to {} is also in a period from {} to {}; give files of one granularity",
                    span.1, before.0, before.1
                ),
            });
        }
        if latest.is_none_or(|(before, _)| span.1 > before.1) {
            latest = Some((span, path));
        }
    }
    Ok(())
}

/// One period's rows of one usage type, in one grouping.
type Cell<'a> = Vec<(&'a Aggregate, &'a Path)>;

fn refine(groupings: &[Grouped]) -> Result<Vec<Aggregate>, ReadError> {
    let mut cells: BTreeMap<(Span, &str), Vec<Cell<'_>>> = BTreeMap::new();
    let mut first_grouping: BTreeMap<Span, usize> = BTreeMap::new();
    let mut present: BTreeMap<Span, Vec<bool>> = BTreeMap::new();
    for (g, grouped) in groupings.iter().enumerate() {
        for (a, path) in grouped.aggregates.iter().zip(&grouped.paths) {
            let span = (a.start, a.end);
            first_grouping.entry(span).or_insert(g);
            present
                .entry(span)
                .or_insert_with(|| vec![false; groupings.len()])[g] = true;
            cells
                .entry((span, a.usage_type.as_str()))
                .or_insert_with(|| vec![Vec::new(); groupings.len()])[g]
                .push((a, path.as_path()));
        }
    }
    let mut out = Vec::new();
    for ((span, _), by_grouping) in cells {
        let base = first_grouping[&span];
        let mut current: Vec<Aggregate> = by_grouping[base]
            .iter()
            .map(|(a, _)| (*a).clone())
            .collect();
        for g in (base + 1..groupings.len()).filter(|&g| present[&span][g]) {
            agree(&by_grouping[base], &by_grouping[g])?;
            current = split(current, &by_grouping[g], groupings[g].second_key());
        }
        out.extend(current);
    }
    Ok(out)
}

/// Refuses two groupings whose totals for a period and usage type differ.
fn agree(base: &Cell<'_>, other: &Cell<'_>) -> Result<(), ReadError> {
    let sum = |cell: &Cell<'_>| {
        cell.iter()
            .fold((Decimal::ZERO, Decimal::ZERO), |(c, q), (a, _)| {
                (c + a.cost, q + a.quantity)
            })
    };
    let (ours, theirs) = (sum(base), sum(other));
    if ours == theirs {
        return Ok(());
    }
    let (a, path) = other
        .first()
        .or(base.first())
        .copied()
        .expect("a cell is never empty");
    let other_path = base
        .first()
        .or(other.first())
        .map(|(_, p)| *p)
        .unwrap_or(path);
    Err(ReadError::CostExplorerOverlap {
        path: path.to_owned(),
        other: other_path.to_owned(),
        start: a.start,
        problem: format!(
            "has {} (quantity {}) for {} there and {} (quantity {}) here; the totals of two groupings must agree (were they asked at different times?)",
            ours.0.normalize(),
            ours.1.normalize(),
            shown_usage_type(a),
            theirs.0.normalize(),
            theirs.1.normalize()
        ),
    })
}

/// The rows of `current` with what `other`'s key adds: one row is split
/// into `other`'s rows; several rows all take `other`'s one value. Several
/// against several cannot be split (the joint figures are not in the data),
/// so the totals stay as they are.
fn split(current: Vec<Aggregate>, other: &Cell<'_>, key: Option<&str>) -> Vec<Aggregate> {
    let Some(key) = key else {
        return current;
    };
    match (current.as_slice(), other.as_slice()) {
        ([one], _) => other
            .iter()
            .map(|(o, _)| {
                let mut a = one.clone();
                a.cost = o.cost;
                a.quantity = o.quantity;
                take_key(&mut a, o, key);
                a
            })
            .collect(),
        (_, [(o, _)]) => current
            .into_iter()
            .map(|mut a| {
                take_key(&mut a, o, key);
                a
            })
            .collect(),
        _ => current,
    }
}

fn take_key(into: &mut Aggregate, from: &Aggregate, key: &str) {
    match key {
        "RECORD_TYPE" => into.line_item_type = from.line_item_type,
        "LINKED_ACCOUNT" => into.usage_account.clone_from(&from.usage_account),
        "OPERATION" => into.operation.clone_from(&from.operation),
        _ => {}
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of one period grouped by usage type and `second`, with rows
    /// `(usage type, second key, cost, quantity)`.
    fn file(
        second: &str,
        span: (&str, &str),
        rows: &[(&str, &str, &str, &str)],
    ) -> CostExplorerFile {
        let groups: Vec<Value> = rows
            .iter()
            .map(|(usage_type, key, cost, quantity)| {
                serde_json::json!({
                    "Keys": [usage_type, key],
                    "Metrics": {
                        "UnblendedCost": {"Amount": cost, "Unit": "USD"},
                        "UsageQuantity": {"Amount": quantity, "Unit": "N/A"}
                    }
                })
            })
            .collect();
        let json = serde_json::json!({
            "GroupDefinitions": [
                {"Type": "DIMENSION", "Key": "USAGE_TYPE"},
                {"Type": "DIMENSION", "Key": second}
            ],
            "ResultsByTime": [{
                "TimePeriod": {"Start": span.0, "End": span.1},
                "Groups": groups,
                "Estimated": false
            }]
        });
        read(json.to_string().as_bytes(), Path::new("x.json")).unwrap()
    }

    const DAY: (&str, &str) = ("2025-10-01", "2025-10-02");

    fn by_record_type() -> CostExplorerFile {
        file(
            "RECORD_TYPE",
            DAY,
            &[
                ("BoxUsage:t2.micro", "Usage", "0.2784", "48"),
                ("NoUsageType", "Tax", "0.03", "0"),
            ],
        )
    }

    fn by_account(first: &str) -> CostExplorerFile {
        file(
            "LINKED_ACCOUNT",
            DAY,
            &[
                ("BoxUsage:t2.micro", "111111111111", first, "24"),
                ("BoxUsage:t2.micro", "222222222222", "0.1392", "24"),
                ("NoUsageType", "111111111111", "0.03", "0"),
            ],
        )
    }

    #[test]
    fn a_second_grouping_refines_the_first_instead_of_adding_to_it() {
        let combined = combine(vec![
            (PathBuf::from("types.json"), by_record_type()),
            (PathBuf::from("accounts.json"), by_account("0.1392")),
        ])
        .unwrap();
        let rows: Vec<(&str, &str, LineItemType, String)> = combined
            .iter()
            .map(|a| {
                (
                    a.usage_type.as_str(),
                    a.usage_account.as_str(),
                    a.line_item_type,
                    a.cost.to_string(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("", "111111111111", LineItemType::Tax, "0.03".into()),
                (
                    "BoxUsage:t2.micro",
                    "111111111111",
                    LineItemType::Usage,
                    "0.1392".into()
                ),
                (
                    "BoxUsage:t2.micro",
                    "222222222222",
                    LineItemType::Usage,
                    "0.1392".into()
                ),
            ]
        );
        let total: Decimal = combined.iter().map(|a| a.cost).sum();
        assert_eq!(total, Decimal::new(3084, 4), "nothing counted twice");
    }

    #[test]
    fn groupings_whose_totals_disagree_are_refused_naming_both_files() {
        let error = combine(vec![
            (PathBuf::from("types.json"), by_record_type()),
            (PathBuf::from("accounts.json"), by_account("0.2")),
        ])
        .unwrap_err()
        .to_string();
        for part in [
            "accounts.json",
            "types.json",
            "BoxUsage:t2.micro",
            "0.2784",
            "0.3392",
            "must agree",
        ] {
            assert!(error.contains(part), "{part}: {error}");
        }
    }

    #[test]
    fn a_month_beside_its_days_is_refused() {
        let month = file(
            "RECORD_TYPE",
            ("2025-10-01", "2025-11-01"),
            &[("BoxUsage:t2.micro", "Usage", "8.56", "738")],
        );
        let error = combine(vec![
            (PathBuf::from("day.json"), by_record_type()),
            (PathBuf::from("month.json"), month),
        ])
        .unwrap_err()
        .to_string();
        assert!(error.contains("one granularity"), "{error}");
        assert!(
            error.contains("day.json") && error.contains("month.json"),
            "{error}"
        );
    }
}
