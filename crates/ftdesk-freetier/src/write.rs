//! Writes a report's offers as `aws freetier get-free-tier-usage` would print
//! them: for `ftdesk sample --format freetier-json`.

use ftdesk_core::catalog::{OfferKind, Pool};
use ftdesk_core::report::OfferUsage;
use ftdesk_core::{Catalog, Report};
use serde_json::{json, Map, Value};

/// The CLI JSON for every offer of `report` that the catalogue knows.
pub fn to_cli_json(report: &Report, catalog: &Catalog) -> String {
    let usages: Vec<Value> = report
        .offers
        .iter()
        .filter_map(|o| entry(o, catalog))
        .collect();
    let mut text =
        serde_json::to_string_pretty(&json!({ "freeTierUsages": usages })).unwrap_or_default();
    text.push('\n');
    text
}

fn entry(offer: &OfferUsage, catalog: &Catalog) -> Option<Value> {
    let known = catalog.offer(&offer.id)?;
    let matcher = known.matchers.first()?;
    let meter = known
        .api_usage_types
        .first()
        .or(matcher.usage_types.first())?;
    let product = if matcher.product.is_empty() {
        "AWSDataTransfer"
    } else {
        &matcher.product
    };
    let (prefix, region) = match (known.pool, &offer.region) {
        (Pool::PerRegion, Some(region)) => {
            let code = catalog
                .region_by_id(region)
                .map_or("Global", |r| r.code.as_str());
            (code.to_owned(), region.clone())
        }
        _ => ("Global".to_owned(), "global".to_owned()),
    };
    let usage_type = format!("{prefix}-{meter}");
    let (kind, phrase) = match known.kind {
        OfferKind::TwelveMonth => ("12 Months Free", "for free for 12 months"),
        OfferKind::AlwaysFree => ("Always Free", "are always free per month"),
        OfferKind::Trial => ("Free Trial", "for free as a trial"),
    };
    let mut o = Map::new();
    o.insert(
        "service".into(),
        json!(catalog.product_name(product).unwrap_or(product)),
    );
    o.insert(
        "operation".into(),
        json!(matcher.operations.first().cloned().unwrap_or_default()),
    );
    o.insert("usageType".into(), json!(usage_type));
    o.insert("region".into(), json!(region));
    o.insert("actualUsageAmount".into(), number(offer.used));
    o.insert("forecastedUsageAmount".into(), number(offer.forecast));
    o.insert("limit".into(), number(offer.limit));
    o.insert("unit".into(), json!(offer.unit));
    o.insert(
        "description".into(),
        json!(format!(
            "{} {} {phrase} as part of AWS Free Usage Tier ({usage_type})",
            offer.limit, offer.unit
        )),
    );
    o.insert("freeTierType".into(), json!(kind));
    Some(Value::Object(o))
}

fn number(d: rust_decimal::Decimal) -> Value {
    d.normalize()
        .to_string()
        .parse::<serde_json::Number>()
        .map(Value::Number)
        .unwrap_or(Value::Null)
}
