//! FOCUS 1.x rows (AWS's `FOCUS_1_0_AWS` / `FOCUS_1_2_AWS` exports and the
//! FinOps Foundation sample) to line items. The mapping is documented in
//! `docs/focus-mapping.md`.

use ftdesk_core::{Handles, LineItem, LineItemType};
use rust_decimal::Decimal;

use crate::mapper::{accounts, FieldProblem, FieldSpec, Parsers, RowMapper};

/// The fields read, in slot order; the slot constants below index them.
pub(crate) const FOCUS_FIELDS: [FieldSpec; 25] = [
    FieldSpec::plain("BilledCost", true),
    FieldSpec::plain("BillingAccountId", false),
    FieldSpec::plain("BillingCurrency", true),
    FieldSpec::plain("BillingPeriodStart", false),
    FieldSpec::plain("ChargeCategory", true),
    FieldSpec::plain("ChargeDescription", false),
    FieldSpec::plain("ChargePeriodStart", true),
    FieldSpec::plain("ChargePeriodEnd", false),
    FieldSpec::plain("ConsumedQuantity", false),
    FieldSpec::plain("PricingQuantity", false),
    FieldSpec::plain("ConsumedUnit", false),
    FieldSpec::plain("PricingUnit", false),
    FieldSpec::plain("ContractedUnitPrice", false),
    FieldSpec::plain("ListUnitPrice", false),
    FieldSpec::plain("SubAccountId", false),
    FieldSpec::plain("x_UsageType", false),
    FieldSpec::plain("SkuMeter", false),
    FieldSpec::plain("SkuId", false),
    FieldSpec::plain("x_Operation", false),
    FieldSpec::plain("x_ServiceCode", false),
    FieldSpec::plain("ServiceName", false),
    FieldSpec::plain("RegionId", false),
    FieldSpec::plain("ResourceId", false),
    FieldSpec::plain("PublisherName", false),
    FieldSpec::plain("ProviderName", false),
];

const BILLED_COST: usize = 0;
const BILLING_ACCOUNT: usize = 1;
const CURRENCY: usize = 2;
const BILLING_PERIOD_START: usize = 3;
const CHARGE_CATEGORY: usize = 4;
const DESCRIPTION: usize = 5;
const CHARGE_START: usize = 6;
const CHARGE_END: usize = 7;
const CONSUMED_QUANTITY: usize = 8;
const PRICING_QUANTITY: usize = 9;
const CONSUMED_UNIT: usize = 10;
const PRICING_UNIT: usize = 11;
const CONTRACTED_UNIT_PRICE: usize = 12;
const LIST_UNIT_PRICE: usize = 13;
const SUB_ACCOUNT: usize = 14;
const X_USAGE_TYPE: usize = 15;
const SKU_METER: usize = 16;
const SKU_ID: usize = 17;
const X_OPERATION: usize = 18;
const X_SERVICE_CODE: usize = 19;
const SERVICE_NAME: usize = 20;
const REGION: usize = 21;
const RESOURCE: usize = 22;
const PUBLISHER: usize = 23;
const PROVIDER: usize = 24;

/// The line item type of a FOCUS `ChargeCategory`.
pub fn line_item_type(charge_category: &str) -> LineItemType {
    match charge_category {
        "Usage" => LineItemType::Usage,
        "Purchase" => LineItemType::Fee,
        "Tax" => LineItemType::Tax,
        "Credit" => LineItemType::Credit,
        "Adjustment" => LineItemType::Refund,
        _ => LineItemType::Other,
    }
}

/// Whether a `ProviderName` is AWS; an absent provider (FOCUS 1.3 drops the
/// column) counts as AWS, since the file came from an AWS export.
pub fn is_aws_provider(provider: &str) -> bool {
    provider.is_empty() || provider.starts_with("AWS") || provider.starts_with("Amazon")
}

#[derive(Debug)]
pub(crate) struct FocusMapper {
    parsers: Parsers,
}

impl FocusMapper {
    pub fn new() -> Self {
        FocusMapper {
            parsers: Parsers::new(FOCUS_FIELDS.len()),
        }
    }
}

/// FOCUS writes a missing value as `NULL`; the real sample leaves it unquoted.
fn value(text: &str) -> &str {
    if text == "NULL" {
        ""
    } else {
        text
    }
}

fn first_of<'r>(text: &[&'r str], slots: &[usize]) -> (usize, &'r str) {
    slots
        .iter()
        .map(|&slot| (slot, value(text[slot])))
        .find(|(_, v)| !v.is_empty())
        .unwrap_or((slots[0], ""))
}

impl RowMapper for FocusMapper {
    fn fields(&self) -> &[FieldSpec] {
        &FOCUS_FIELDS
    }

    fn currency_field(&self) -> usize {
        CURRENCY
    }

    fn handle_slots(&self) -> [Option<usize>; 6] {
        [
            SUB_ACCOUNT,
            X_SERVICE_CODE,
            X_USAGE_TYPE,
            X_OPERATION,
            RESOURCE,
            DESCRIPTION,
        ]
        .map(Some)
    }

    fn is_number(&self, field: usize) -> bool {
        [
            BILLED_COST,
            CONSUMED_QUANTITY,
            PRICING_QUANTITY,
            CONTRACTED_UNIT_PRICE,
            LIST_UNIT_PRICE,
        ]
        .contains(&field)
    }

    fn parsers(&mut self) -> &mut Parsers {
        &mut self.parsers
    }

    fn line_item<'r>(&mut self, text: &[&'r str]) -> Result<Option<LineItem<'r>>, FieldProblem> {
        let t = |slot: usize| value(text[slot]);
        if !is_aws_provider(t(PROVIDER)) {
            return Ok(None);
        }
        let p = &mut self.parsers;
        let start = p.timestamp(CHARGE_START, t(CHARGE_START))?;
        let end = match t(CHARGE_END) {
            "" => start,
            v => p.timestamp(CHARGE_END, v)?,
        };
        let billing_period = match t(BILLING_PERIOD_START) {
            "" => start.month(),
            v => p.timestamp(BILLING_PERIOD_START, v)?.month(),
        };
        let (payer_account, usage_account) = accounts(t(BILLING_ACCOUNT), t(SUB_ACCOUNT));
        let (quantity_slot, quantity) = first_of(text, &[CONSUMED_QUANTITY, PRICING_QUANTITY]);
        let publisher = t(PUBLISHER);
        Ok(Some(LineItem {
            payer_account,
            usage_account,
            billing_period,
            start,
            end,
            line_item_type: line_item_type(t(CHARGE_CATEGORY)),
            product_code: first_of(text, &[X_SERVICE_CODE, SERVICE_NAME]).1,
            usage_type: first_of(text, &[X_USAGE_TYPE, SKU_METER, SKU_ID]).1,
            operation: t(X_OPERATION),
            region: t(REGION),
            resource_id: t(RESOURCE),
            usage_amount: p.decimal(quantity_slot, quantity)?.unwrap_or(Decimal::ZERO),
            unit: first_of(text, &[CONSUMED_UNIT, PRICING_UNIT]).1,
            rate: p.decimal(CONTRACTED_UNIT_PRICE, t(CONTRACTED_UNIT_PRICE))?,
            cost: p.required_decimal(BILLED_COST, t(BILLED_COST))?,
            public_rate: p.decimal(LIST_UNIT_PRICE, t(LIST_UNIT_PRICE))?,
            description: t(DESCRIPTION),
            currency: t(CURRENCY),
            billing_entity: billing_entity(publisher),
            legal_entity: publisher,
            tax_type: "",
            handles: Handles::NONE,
        }))
    }
}

/// CUR's `bill/BillingEntity`: marketplace when a third party publishes.
fn billing_entity(publisher: &str) -> &'static str {
    if publisher.is_empty() || publisher.starts_with("Amazon") || publisher.starts_with("AWS") {
        "AWS"
    } else {
        "AWS Marketplace"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charge_categories_and_providers() {
        assert_eq!(line_item_type("Credit"), LineItemType::Credit);
        assert_eq!(line_item_type("Purchase"), LineItemType::Fee);
        assert_eq!(line_item_type("Adjustment"), LineItemType::Refund);
        assert!(is_aws_provider("AWS"));
        assert!(!is_aws_provider("Microsoft"));
        assert_eq!(billing_entity("Red Hat, Inc."), "AWS Marketplace");
    }
}
