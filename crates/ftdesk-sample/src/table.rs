//! The same rows as CUR 2.0 and FOCUS tables: one column definition list per
//! format, written as CSV text or as Parquet.

use std::borrow::Cow;

use ftdesk_core::model::LineItemType;
use ftdesk_core::time::Timestamp;
use rust_decimal::Decimal;

use crate::row::CurRow;

/// What a column holds, which decides how each output spells it.
pub(crate) enum Cell<'r> {
    Text(Cow<'r, str>),
    /// `None` is written as an empty CSV field / Parquet null (`NULL` in FOCUS CSV).
    Number(Option<Decimal>),
    Time(Timestamp),
    /// A CUR 2.0 map column: JSON text in CSV, `map<string,string>` in Parquet.
    Map(Vec<(&'static str, Cow<'r, str>)>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Number,
    Time,
    Map,
}

pub(crate) struct ColumnDef {
    pub name: &'static str,
    pub kind: Kind,
    pub get: for<'r> fn(&'r CurRow) -> Cell<'r>,
}

const fn col(name: &'static str, kind: Kind, get: for<'r> fn(&'r CurRow) -> Cell<'r>) -> ColumnDef {
    ColumnDef { name, kind, get }
}

fn text(s: &str) -> Cell<'_> {
    Cell::Text(Cow::Borrowed(s))
}

/// A CUR 2.0 rate column: AWS types `*_rate` as string.
fn rate_text(rate: Option<Decimal>) -> Cell<'static> {
    Cell::Text(rate.map_or(Cow::Borrowed(""), |r| Cow::Owned(crate::row::aws_number(r))))
}

/// CUR 2.0 columns the generator fills (a subset of the 125, in AWS's order).
pub(crate) const CUR2: &[ColumnDef] = &[
    col("bill_bill_type", Kind::Text, |r| text(&r.bill_type)),
    col("bill_billing_entity", Kind::Text, |r| {
        text(&r.billing_entity)
    }),
    col("bill_billing_period_end_date", Kind::Time, |r| {
        Cell::Time(r.billing_period.end())
    }),
    col("bill_billing_period_start_date", Kind::Time, |r| {
        Cell::Time(r.billing_period.start())
    }),
    col("bill_invoicing_entity", Kind::Text, |r| {
        text(&r.invoicing_entity)
    }),
    col("bill_payer_account_id", Kind::Text, |r| {
        text(&r.payer_account)
    }),
    col("bill_payer_account_name", Kind::Text, |_| {
        text("ftdesk sample")
    }),
    col("identity_line_item_id", Kind::Text, |r| {
        text(&r.line_item_id)
    }),
    col("identity_time_interval", Kind::Text, |r| {
        Cell::Text(Cow::Owned(format!(
            "{}/{}",
            r.interval_start, r.interval_end
        )))
    }),
    col("line_item_availability_zone", Kind::Text, |r| {
        text(&r.availability_zone)
    }),
    col("line_item_currency_code", Kind::Text, |r| text(&r.currency)),
    col("line_item_legal_entity", Kind::Text, |r| {
        text(&r.legal_entity)
    }),
    col("line_item_line_item_description", Kind::Text, |r| {
        text(&r.description)
    }),
    col("line_item_line_item_type", Kind::Text, |r| {
        text(r.line_item_type.as_str())
    }),
    col("line_item_operation", Kind::Text, |r| text(&r.operation)),
    col("line_item_product_code", Kind::Text, |r| {
        text(&r.product_code)
    }),
    col("line_item_resource_id", Kind::Text, |r| {
        text(&r.resource_id)
    }),
    col("line_item_tax_type", Kind::Text, |r| text(&r.tax_type)),
    col("line_item_unblended_cost", Kind::Number, |r| {
        Cell::Number(Some(r.cost))
    }),
    col("line_item_unblended_rate", Kind::Text, |r| {
        rate_text(r.rate)
    }),
    col("line_item_usage_account_id", Kind::Text, |r| {
        text(&r.usage_account)
    }),
    col("line_item_usage_amount", Kind::Number, |r| {
        Cell::Number(Some(r.usage_amount))
    }),
    col("line_item_usage_end_date", Kind::Time, |r| {
        Cell::Time(r.usage_end)
    }),
    col("line_item_usage_start_date", Kind::Time, |r| {
        Cell::Time(r.usage_start)
    }),
    col("line_item_usage_type", Kind::Text, |r| text(&r.usage_type)),
    col("pricing_public_on_demand_cost", Kind::Number, |r| {
        Cell::Number(r.public_cost)
    }),
    col("pricing_public_on_demand_rate", Kind::Text, |r| {
        rate_text(r.public_rate)
    }),
    col("pricing_term", Kind::Text, |r| text(&r.pricing_term)),
    col("pricing_unit", Kind::Text, |r| text(&r.pricing_unit)),
    col("product", Kind::Map, |r| {
        let mut map = Vec::new();
        for (key, value) in [
            ("product_name", &r.product_name),
            ("region", &r.region),
            ("servicecode", &r.service_code),
            ("product_family", &r.product_family),
        ] {
            if !value.is_empty() {
                map.push((key, Cow::Borrowed(value.as_str())));
            }
        }
        Cell::Map(map)
    }),
    col("product_region_code", Kind::Text, |r| text(&r.region)),
    col("resource_tags", Kind::Map, |_| Cell::Map(Vec::new())),
];

/// Whether AWS shows the row as free-tier usage: FOCUS then has list cost
/// and list unit price 0 (billing-formats.md §0.8), unlike the CUR.
fn is_free(r: &CurRow) -> bool {
    r.line_item_type == LineItemType::Usage
        && r.cost.is_zero()
        && r.rate.is_none_or(|rate| rate.is_zero())
        && r.public_rate.is_some_and(|p| p > Decimal::ZERO)
}

fn list_unit_price(r: &CurRow) -> Option<Decimal> {
    if is_free(r) {
        Some(Decimal::ZERO)
    } else {
        r.public_rate
    }
}

fn charge_category(t: LineItemType) -> &'static str {
    match t {
        LineItemType::Tax => "Tax",
        LineItemType::Credit => "Credit",
        LineItemType::Refund => "Adjustment",
        LineItemType::Fee
        | LineItemType::RiFee
        | LineItemType::SavingsPlanUpfrontFee
        | LineItemType::SavingsPlanRecurringFee => "Purchase",
        _ => "Usage",
    }
}

fn optional_text(s: &str) -> Cell<'_> {
    if s.is_empty() {
        Cell::Text(Cow::Borrowed("NULL"))
    } else {
        text(s)
    }
}

/// FOCUS 1.0 columns as AWS's `FOCUS_1_0_AWS` table names them, plus its
/// `x_` columns.
pub(crate) const FOCUS: &[ColumnDef] = &[
    col("AvailabilityZone", Kind::Text, |r| {
        optional_text(&r.availability_zone)
    }),
    col("BilledCost", Kind::Number, |r| Cell::Number(Some(r.cost))),
    col("BillingAccountId", Kind::Text, |r| text(&r.payer_account)),
    col("BillingAccountName", Kind::Text, |_| text("ftdesk sample")),
    col("BillingCurrency", Kind::Text, |r| text(&r.currency)),
    col("BillingPeriodEnd", Kind::Time, |r| {
        Cell::Time(r.billing_period.end())
    }),
    col("BillingPeriodStart", Kind::Time, |r| {
        Cell::Time(r.billing_period.start())
    }),
    col("ChargeCategory", Kind::Text, |r| {
        text(charge_category(r.line_item_type))
    }),
    col("ChargeDescription", Kind::Text, |r| {
        optional_text(&r.description)
    }),
    col("ChargePeriodEnd", Kind::Time, |r| Cell::Time(r.usage_end)),
    col("ChargePeriodStart", Kind::Time, |r| {
        Cell::Time(r.usage_start)
    }),
    col("ConsumedQuantity", Kind::Number, |r| {
        Cell::Number(Some(r.usage_amount))
    }),
    col("ConsumedUnit", Kind::Text, |r| {
        optional_text(&r.pricing_unit)
    }),
    col("ContractedCost", Kind::Number, |r| {
        Cell::Number(Some(r.cost))
    }),
    col("ContractedUnitPrice", Kind::Number, |r| {
        Cell::Number(r.rate)
    }),
    col("EffectiveCost", Kind::Number, |r| {
        Cell::Number(Some(r.cost))
    }),
    col("InvoiceIssuerName", Kind::Text, |r| {
        text(&r.invoicing_entity)
    }),
    col("ListCost", Kind::Number, |r| {
        Cell::Number(list_unit_price(r).map(|p| p * r.usage_amount))
    }),
    col("ListUnitPrice", Kind::Number, |r| {
        Cell::Number(list_unit_price(r))
    }),
    col("PricingQuantity", Kind::Number, |r| {
        Cell::Number(Some(r.usage_amount))
    }),
    col("PricingUnit", Kind::Text, |r| {
        optional_text(&r.pricing_unit)
    }),
    col("ProviderName", Kind::Text, |_| text("AWS")),
    col("PublisherName", Kind::Text, |r| text(&r.legal_entity)),
    col("RegionId", Kind::Text, |r| optional_text(&r.region)),
    col("ResourceId", Kind::Text, |r| optional_text(&r.resource_id)),
    col("ServiceName", Kind::Text, |r| text(&r.product_name)),
    col("SubAccountId", Kind::Text, |r| text(&r.usage_account)),
    col("x_Operation", Kind::Text, |r| optional_text(&r.operation)),
    col("x_ServiceCode", Kind::Text, |r| text(&r.product_code)),
    col("x_UsageType", Kind::Text, |r| optional_text(&r.usage_type)),
];
