//! One legacy CUR row, and the CSV text AWS would write for it.

use std::borrow::Cow;
use std::io;

use ftdesk_core::model::{LineItem, LineItemType};
use ftdesk_core::time::{Month, Timestamp};
use rust_decimal::Decimal;

/// The legacy CUR header: the 94 columns of the real small-account sample
/// (billing-formats.md §7.1) plus `lineItem/ResourceId`, placed where AWS
/// puts it when resource ids are included.
pub const HEADER: [&str; 95] = [
    "identity/LineItemId",
    "identity/TimeInterval",
    "bill/InvoiceId",
    "bill/InvoicingEntity",
    "bill/BillingEntity",
    "bill/BillType",
    "bill/PayerAccountId",
    "bill/BillingPeriodStartDate",
    "bill/BillingPeriodEndDate",
    "lineItem/UsageAccountId",
    "lineItem/LineItemType",
    "lineItem/UsageStartDate",
    "lineItem/UsageEndDate",
    "lineItem/ProductCode",
    "lineItem/UsageType",
    "lineItem/Operation",
    "lineItem/AvailabilityZone",
    "lineItem/ResourceId",
    "lineItem/UsageAmount",
    "lineItem/NormalizationFactor",
    "lineItem/NormalizedUsageAmount",
    "lineItem/CurrencyCode",
    "lineItem/UnblendedRate",
    "lineItem/UnblendedCost",
    "lineItem/BlendedRate",
    "lineItem/BlendedCost",
    "lineItem/LineItemDescription",
    "lineItem/TaxType",
    "lineItem/LegalEntity",
    "product/ProductName",
    "product/availability",
    "product/durability",
    "product/eventType",
    "product/feeCode",
    "product/feeDescription",
    "product/fromLocation",
    "product/fromLocationType",
    "product/fromRegionCode",
    "product/group",
    "product/groupDescription",
    "product/location",
    "product/locationType",
    "product/messageDeliveryFrequency",
    "product/messageDeliveryOrder",
    "product/operation",
    "product/overhead",
    "product/productFamily",
    "product/productType",
    "product/queueType",
    "product/region",
    "product/regionCode",
    "product/servicecode",
    "product/servicename",
    "product/sku",
    "product/storageClass",
    "product/storageMedia",
    "product/toLocation",
    "product/toLocationType",
    "product/toRegionCode",
    "product/transferType",
    "product/usagetype",
    "product/version",
    "product/volumeType",
    "pricing/RateCode",
    "pricing/RateId",
    "pricing/currency",
    "pricing/publicOnDemandCost",
    "pricing/publicOnDemandRate",
    "pricing/term",
    "pricing/unit",
    "reservation/AmortizedUpfrontCostForUsage",
    "reservation/AmortizedUpfrontFeeForBillingPeriod",
    "reservation/EffectiveCost",
    "reservation/EndTime",
    "reservation/ModificationStatus",
    "reservation/NormalizedUnitsPerReservation",
    "reservation/NumberOfReservations",
    "reservation/RecurringFeeForUsage",
    "reservation/StartTime",
    "reservation/SubscriptionId",
    "reservation/TotalReservedNormalizedUnits",
    "reservation/TotalReservedUnits",
    "reservation/UnitsPerReservation",
    "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod",
    "reservation/UnusedNormalizedUnitQuantity",
    "reservation/UnusedQuantity",
    "reservation/UnusedRecurringFee",
    "reservation/UpfrontValue",
    "savingsPlan/TotalCommitmentToDate",
    "savingsPlan/SavingsPlanARN",
    "savingsPlan/SavingsPlanRate",
    "savingsPlan/UsedCommitment",
    "savingsPlan/SavingsPlanEffectiveCost",
    "savingsPlan/AmortizedUpfrontCommitmentForBillingPeriod",
    "savingsPlan/RecurringCommitmentForBillingPeriod",
];

/// One row of a legacy CUR file, with every column the generator fills.
/// Columns not listed here are written empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurRow {
    pub line_item_id: String,
    /// `identity/TimeInterval`: the hour (or, for monthly rows, the first hour) the row belongs to.
    pub interval_start: Timestamp,
    pub interval_end: Timestamp,
    pub invoicing_entity: String,
    pub billing_entity: String,
    pub bill_type: String,
    pub payer_account: String,
    pub billing_period: Month,
    pub usage_account: String,
    pub line_item_type: LineItemType,
    pub usage_start: Timestamp,
    pub usage_end: Timestamp,
    pub product_code: String,
    pub usage_type: String,
    pub operation: String,
    pub availability_zone: String,
    pub resource_id: String,
    pub usage_amount: Decimal,
    pub currency: String,
    /// `lineItem/UnblendedRate` (also written as the blended rate); empty on tax and credit rows.
    pub rate: Option<Decimal>,
    /// `lineItem/UnblendedCost` (also written as the blended cost).
    pub cost: Decimal,
    pub description: String,
    pub tax_type: String,
    pub legal_entity: String,
    pub product_name: String,
    pub product_family: String,
    pub location: String,
    pub location_type: String,
    /// `product/region` and `product/regionCode`; empty on tax and credit rows.
    pub region: String,
    pub service_code: String,
    pub service_name: String,
    pub volume_type: String,
    pub public_rate: Option<Decimal>,
    pub public_cost: Option<Decimal>,
    /// `pricing/currency`: set on usage rows, empty on tax and credit rows.
    pub pricing_currency: String,
    pub pricing_term: String,
    pub pricing_unit: String,
}

impl CurRow {
    /// The row as ftdesk-core sees it: the same values a CSV reader parses
    /// from [`write_csv`](crate::write_csv)'s output.
    pub fn as_line_item(&self) -> LineItem<'_> {
        LineItem {
            payer_account: &self.payer_account,
            usage_account: &self.usage_account,
            billing_period: self.billing_period,
            start: self.usage_start,
            end: self.usage_end,
            line_item_type: self.line_item_type,
            product_code: &self.product_code,
            usage_type: &self.usage_type,
            operation: &self.operation,
            region: &self.region,
            resource_id: &self.resource_id,
            usage_amount: self.usage_amount,
            unit: &self.pricing_unit,
            rate: self.rate,
            cost: self.cost,
            public_rate: self.public_rate,
            description: &self.description,
            currency: &self.currency,
            billing_entity: &self.billing_entity,
            legal_entity: &self.legal_entity,
            tax_type: &self.tax_type,
            handles: ftdesk_core::Handles::NONE,
        }
    }

    /// The text of one column, empty for columns the generator does not fill.
    pub fn cell(&self, column: &str) -> Cow<'_, str> {
        match column {
            "identity/LineItemId" => Cow::Borrowed(&self.line_item_id),
            "identity/TimeInterval" => {
                Cow::Owned(format!("{}/{}", self.interval_start, self.interval_end))
            }
            "bill/InvoicingEntity" => Cow::Borrowed(&self.invoicing_entity),
            "bill/BillingEntity" => Cow::Borrowed(&self.billing_entity),
            "bill/BillType" => Cow::Borrowed(&self.bill_type),
            "bill/PayerAccountId" => Cow::Borrowed(&self.payer_account),
            "bill/BillingPeriodStartDate" => Cow::Owned(aws_time(self.billing_period.start())),
            "bill/BillingPeriodEndDate" => Cow::Owned(aws_time(self.billing_period.end())),
            "lineItem/UsageAccountId" => Cow::Borrowed(&self.usage_account),
            "lineItem/LineItemType" => Cow::Borrowed(self.line_item_type.as_str()),
            "lineItem/UsageStartDate" => Cow::Owned(aws_time(self.usage_start)),
            "lineItem/UsageEndDate" => Cow::Owned(aws_time(self.usage_end)),
            "lineItem/ProductCode" => Cow::Borrowed(&self.product_code),
            "lineItem/UsageType" | "product/usagetype" => Cow::Borrowed(&self.usage_type),
            "lineItem/Operation" | "product/operation" => Cow::Borrowed(&self.operation),
            "lineItem/AvailabilityZone" => Cow::Borrowed(&self.availability_zone),
            "lineItem/ResourceId" => Cow::Borrowed(&self.resource_id),
            "lineItem/UsageAmount" => Cow::Owned(aws_number(self.usage_amount)),
            "lineItem/CurrencyCode" => Cow::Borrowed(&self.currency),
            "pricing/currency" => Cow::Borrowed(&self.pricing_currency),
            "lineItem/UnblendedRate" | "lineItem/BlendedRate" => optional_number(self.rate),
            "lineItem/UnblendedCost" | "lineItem/BlendedCost" => Cow::Owned(aws_number(self.cost)),
            "lineItem/LineItemDescription" => Cow::Borrowed(&self.description),
            "lineItem/TaxType" => Cow::Borrowed(&self.tax_type),
            "lineItem/LegalEntity" => Cow::Borrowed(&self.legal_entity),
            "product/ProductName" => Cow::Borrowed(&self.product_name),
            "product/location" => Cow::Borrowed(&self.location),
            "product/locationType" => Cow::Borrowed(&self.location_type),
            "product/productFamily" => Cow::Borrowed(&self.product_family),
            "product/region" | "product/regionCode" => Cow::Borrowed(&self.region),
            "product/servicecode" => Cow::Borrowed(&self.service_code),
            "product/servicename" => Cow::Borrowed(&self.service_name),
            "product/volumeType" => Cow::Borrowed(&self.volume_type),
            "pricing/publicOnDemandCost" => optional_number(self.public_cost),
            "pricing/publicOnDemandRate" => optional_number(self.public_rate),
            "pricing/term" => Cow::Borrowed(&self.pricing_term),
            "pricing/unit" => Cow::Borrowed(&self.pricing_unit),
            _ => Cow::Borrowed(""),
        }
    }
}

/// Writes the header and every row as legacy CUR CSV text (LF line ends,
/// quotes only where needed, numbers the way AWS's Java writer prints them).
pub(crate) fn write_rows(rows: &[CurRow], out: &mut dyn io::Write) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    writer.write_record(HEADER)?;
    for row in rows {
        writer.write_record(
            HEADER
                .iter()
                .map(|column| row.cell(column))
                .map(|c| c.into_owned()),
        )?;
    }
    writer.flush()
}

/// `2025-10-01T00:00:00.000Z`, the form of the CUR's date columns.
pub(crate) fn aws_time(t: Timestamp) -> String {
    let text = t.to_string();
    match text.strip_suffix('Z') {
        Some(stem) => format!("{stem}.000Z"),
        None => text,
    }
}

fn optional_number(value: Option<Decimal>) -> Cow<'static, str> {
    value.map_or(Cow::Borrowed(""), |d| Cow::Owned(aws_number(d)))
}

/// Formats a number as Java's `Double.toString` does, which is what the CUR
/// contains: `1.0`, `0.0116`, and scientific below 10⁻³ (`5.0E-6`).
pub(crate) fn aws_number(value: Decimal) -> String {
    let value = value.normalize();
    if value.is_zero() {
        return "0.0".to_owned();
    }
    if value.abs() >= Decimal::new(1, 3) {
        let text = value.to_string();
        return if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        };
    }
    let digits = value.mantissa().unsigned_abs().to_string();
    let exponent = digits.len() as i64 - 1 - i64::from(value.scale());
    let (first, rest) = digits.split_at(1);
    let rest = if rest.is_empty() { "0" } else { rest };
    let sign = if value.is_sign_negative() { "-" } else { "" };
    format!("{sign}{first}.{rest}E{exponent}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ftdesk_core::parse_decimal;

    #[test]
    fn numbers_look_like_aws_and_parse_back() {
        let cases = [
            ("0", "0.0"),
            ("1", "1.0"),
            ("744", "744.0"),
            ("0.0116", "0.0116"),
            ("-5.00", "-5.0"),
            ("0.000005", "5.0E-6"),
            ("0.0000004", "4.0E-7"),
            ("0.000000016", "1.6E-8"),
            ("-0.0002123027", "-2.123027E-4"),
            ("0.001", "0.001"),
        ];
        for (input, want) in cases {
            let d: Decimal = input.parse().unwrap();
            let text = aws_number(d);
            assert_eq!(text, want, "{input}");
            assert_eq!(parse_decimal(&text).unwrap(), Some(d), "{input}");
        }
    }

    #[test]
    fn times_look_like_aws() {
        let t = Timestamp::from_civil(2025, 10, 1, 17, 0, 0);
        assert_eq!(aws_time(t), "2025-10-01T17:00:00.000Z");
    }
}
