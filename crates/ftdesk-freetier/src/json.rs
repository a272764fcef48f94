//! The JSON that `aws freetier get-free-tier-usage` and `get-account-plan-state` print.

use std::path::Path;

use ftdesk_core::api::{ApiPlanState, ApiSnapshot, ApiUsage};
use ftdesk_core::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::ApiError;

/// Whether a file's first bytes look like a JSON object rather than billing data.
pub fn looks_like_json(head: &[u8]) -> bool {
    head.iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
        == Some(b'{')
}

/// Reads one file of AWS CLI output into `snapshot`: usage entries, the plan state, or both.
pub fn read_file(path: &Path, snapshot: &mut ApiSnapshot) -> Result<(), ApiError> {
    let text = std::fs::read_to_string(path).map_err(|source| ApiError::Io {
        path: path.to_owned(),
        source,
    })?;
    read_str(&path.display().to_string(), &text, snapshot)
}

/// Parses AWS CLI JSON output named `name` (for messages) into `snapshot`.
pub fn read_str(name: &str, text: &str, snapshot: &mut ApiSnapshot) -> Result<(), ApiError> {
    let shape = |field: String, expected: &str| ApiError::Shape {
        name: name.to_owned(),
        field,
        expected: expected.to_owned(),
    };
    let value: Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| ApiError::Json {
            name: name.to_owned(),
            message: e.to_string(),
        })?;
    let object = value
        .as_object()
        .ok_or_else(|| shape("(top level)".into(), "a JSON object"))?;
    let usages = object.get("freeTierUsages");
    let plan = object.contains_key("accountPlanType") || object.contains_key("accountId");
    if usages.is_none() && !plan {
        return Err(ApiError::NotApiJson {
            name: name.to_owned(),
        });
    }
    if let Some(usages) = usages {
        let list = usages
            .as_array()
            .ok_or_else(|| shape("freeTierUsages".into(), "an array"))?;
        for (i, entry) in list.iter().enumerate() {
            let field = |f: &str| format!("freeTierUsages[{i}].{f}");
            let entry = entry
                .as_object()
                .ok_or_else(|| shape(format!("freeTierUsages[{i}]"), "an object"))?;
            snapshot
                .usages
                .push(usage(entry, &field).map_err(|(f, e)| shape(f, e))?);
        }
    }
    if plan {
        snapshot.plan_state = Some(plan_state(object).map_err(|(f, e)| shape(f, e))?);
    }
    if snapshot.source.is_empty() {
        snapshot.source = name.to_owned();
    } else if !snapshot.source.contains(name) {
        snapshot.source = format!("{}, {name}", snapshot.source);
    }
    Ok(())
}

type ShapeError = (String, &'static str);

fn text(
    o: &Map<String, Value>,
    key: &str,
    field: impl Fn(&str) -> String,
) -> Result<String, ShapeError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err((field(key), "a string")),
    }
}

fn number(
    o: &Map<String, Value>,
    key: &str,
    field: impl Fn(&str) -> String,
) -> Result<Decimal, ShapeError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(Decimal::ZERO),
        Some(Value::Number(n)) => decimal(&n.to_string()).ok_or((field(key), "a number")),
        Some(_) => Err((field(key), "a number")),
    }
}

fn decimal(s: &str) -> Option<Decimal> {
    ftdesk_core::parse_decimal(s).ok().flatten()
}

fn usage(o: &Map<String, Value>, field: &dyn Fn(&str) -> String) -> Result<ApiUsage, ShapeError> {
    let usage = ApiUsage {
        service: text(o, "service", field)?,
        operation: text(o, "operation", field)?,
        usage_type: text(o, "usageType", field)?,
        region: text(o, "region", field)?,
        actual: number(o, "actualUsageAmount", field)?,
        forecast: number(o, "forecastedUsageAmount", field)?,
        limit: number(o, "limit", field)?,
        unit: text(o, "unit", field)?,
        description: text(o, "description", field)?,
        free_tier_type: text(o, "freeTierType", field)?,
    };
    if usage.usage_type.is_empty() {
        return Err((
            field("usageType"),
            "a usage type such as Global-BoxUsage:freetier.micro",
        ));
    }
    Ok(usage)
}

fn plan_state(o: &Map<String, Value>) -> Result<ApiPlanState, ShapeError> {
    let field = |f: &str| f.to_owned();
    let (remaining_credits, credits_currency) = match o.get("accountPlanRemainingCredits") {
        None | Some(Value::Null) => (None, None),
        Some(Value::Object(m)) => {
            let amount = number(m, "amount", |f| format!("accountPlanRemainingCredits.{f}"))?;
            let unit = text(m, "unit", |f| format!("accountPlanRemainingCredits.{f}"))?;
            (Some(amount), Some(unit).filter(|u| !u.is_empty()))
        }
        Some(_) => {
            return Err((
                "accountPlanRemainingCredits".into(),
                "an object with amount and unit",
            ))
        }
    };
    let expires = match o.get("accountPlanExpirationDate") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n
            .as_f64()
            .map(|secs| Timestamp::from_unix(secs as i64))
            .map(Some)
            .ok_or(("accountPlanExpirationDate".to_owned(), "a timestamp"))?,
        Some(Value::String(s)) => {
            Some(parse_time(s).ok_or(("accountPlanExpirationDate".to_owned(), "a timestamp"))?)
        }
        Some(_) => return Err(("accountPlanExpirationDate".into(), "a timestamp")),
    };
    Ok(ApiPlanState {
        account_id: text(o, "accountId", field)?,
        plan_type: text(o, "accountPlanType", field)?,
        status: text(o, "accountPlanStatus", field)?,
        remaining_credits,
        credits_currency,
        expires,
    })
}

/// The AWS CLI prints `2026-03-18T00:00:00+00:00`; other offsets are converted.
fn parse_time(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Some(cut) = s.len().checked_sub(6).filter(|&i| {
        s.is_char_boundary(i)
            && matches!(&s.as_bytes()[i], b'+' | b'-')
            && s.as_bytes().get(i + 3) == Some(&b':')
    }) {
        let (time, offset) = s.split_at(cut);
        let sign = if offset.starts_with('-') { 1 } else { -1 };
        let hours: i64 = offset[1..3].parse().ok()?;
        let minutes: i64 = offset[4..6].parse().ok()?;
        let base = Timestamp::parse(time).ok()?;
        return Some(base.plus_seconds(sign * (hours * 3600 + minutes * 60)));
    }
    Timestamp::parse(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's own example response (Billing User Guide, "Using the Free Tier API").
    const USAGE: &str = r#"{
        "freeTierUsages": [{
            "service": "AWS Glue", "operation": "Request", "usageType": "Catalog-Request",
            "region": "global", "actualUsageAmount": 287.0, "forecastedUsageAmount": 2224.25,
            "limit": 1000000.0, "unit": "Request",
            "description": "1000000.0 Request are always free per month as part of AWS Free Usage Tier (Global-Catalog-Request)",
            "freeTierType": "Always Free"
        }]
    }"#;

    #[test]
    fn reads_the_usage_output_exactly() {
        let mut s = ApiSnapshot::default();
        read_str("usage.json", USAGE, &mut s).unwrap();
        assert_eq!(s.usages.len(), 1);
        assert_eq!(s.usages[0].forecast.to_string(), "2224.25");
        assert_eq!(s.usages[0].limit, Decimal::from(1_000_000));
        assert_eq!(s.source, "usage.json");
    }

    #[test]
    fn reads_the_plan_state() {
        let mut s = ApiSnapshot::default();
        let json = r#"{"accountId":"123456789012","accountPlanType":"FREE","accountPlanStatus":"ACTIVE",
            "accountPlanRemainingCredits":{"amount":87.35,"unit":"USD"},"accountPlanExpirationDate":"2027-03-18T09:00:00+09:00"}"#;
        read_str("plan.json", json, &mut s).unwrap();
        let p = s.plan_state.unwrap();
        assert_eq!(p.remaining_credits.unwrap().to_string(), "87.35");
        assert_eq!(p.expires.unwrap().to_string(), "2027-03-18T00:00:00Z");
        assert_eq!(p.plan(), Some(ftdesk_core::Plan::FreePlan));
    }

    #[test]
    fn wrong_shapes_name_the_field() {
        let mut s = ApiSnapshot::default();
        let err = read_str(
            "x.json",
            r#"{"freeTierUsages":[{"usageType":"A","limit":"lots"}]}"#,
            &mut s,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("x.json")
                && err.to_string().contains("freeTierUsages[0].limit"),
            "{err}"
        );
        let err = read_str("y.json", r#"{"Buckets":[]}"#, &mut s).unwrap_err();
        assert!(err.to_string().contains("get-free-tier-usage"), "{err}");
        let err = read_str("z.json", "{not json", &mut s).unwrap_err();
        assert!(err.to_string().contains("z.json"), "{err}");
        assert!(looks_like_json(b"  {\"a\":1}"));
        assert!(!looks_like_json(b"identity/LineItemId,"));
    }
}
