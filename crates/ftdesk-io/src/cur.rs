//! Cost and Usage Report rows (legacy CSV, Athena snake case, CUR 2.0 CSV and
//! Parquet) to line items.

use ftdesk_core::{Handles, LineItem, LineItemType};
use rust_decimal::Decimal;

use crate::columns::{Column, ColumnStyle};
use crate::mapper::{accounts, FieldProblem, FieldSpec, Parsers, RowMapper};

/// The slot after [`Column::ALL`]: CUR 2.0 keeps the region in the `product` map.
const PRODUCT_REGION: usize = Column::ALL.len();

/// Every field a CUR reader fills, in [`Column::ALL`] order, then the map key.
pub(crate) const CUR_FIELDS: [FieldSpec; Column::ALL.len() + 1] = {
    let mut fields = [FieldSpec::plain("", false); Column::ALL.len() + 1];
    let mut i = 0;
    while i < Column::ALL.len() {
        let column = Column::ALL[i];
        fields[i] = FieldSpec::plain(column.slash_name(), column.is_required());
        i += 1;
    }
    fields[PRODUCT_REGION] = FieldSpec {
        name: "product",
        map_key: Some("region"),
        required: false,
    };
    fields
};

pub(crate) struct CurMapper {
    style: ColumnStyle,
    parsers: Parsers,
}

impl CurMapper {
    pub fn new(style: ColumnStyle) -> Self {
        CurMapper {
            style,
            parsers: Parsers::new(CUR_FIELDS.len()),
        }
    }

    fn column_label(&self, column: Column) -> String {
        column.name_in(self.style)
    }
}

impl RowMapper for CurMapper {
    fn fields(&self) -> &[FieldSpec] {
        &CUR_FIELDS
    }

    fn label(&self, field: usize) -> String {
        match Column::ALL.get(field) {
            Some(column) => self.column_label(*column),
            None => CUR_FIELDS[field].label(),
        }
    }

    fn currency_field(&self) -> usize {
        Column::Currency as usize
    }

    fn missing(&self, present: &[bool]) -> Option<String> {
        let has = |c: Column| present[c as usize];
        if !has(Column::UsageAccount) && !has(Column::PayerAccount) {
            return Some(format!(
                "{} (or {})",
                self.column_label(Column::UsageAccount),
                self.column_label(Column::PayerAccount)
            ));
        }
        Column::ALL
            .iter()
            .find(|c| c.is_required() && !has(**c))
            .map(|c| self.column_label(*c))
    }

    fn handle_slots(&self) -> [Option<usize>; 6] {
        [
            Column::UsageAccount,
            Column::ProductCode,
            Column::UsageType,
            Column::Operation,
            Column::ResourceId,
            Column::Description,
        ]
        .map(|c| Some(c as usize))
    }

    fn is_number(&self, field: usize) -> bool {
        [
            Column::UsageAmount,
            Column::UnblendedRate,
            Column::UnblendedCost,
            Column::PublicOnDemandRate,
        ]
        .iter()
        .any(|c| *c as usize == field)
    }

    fn parsers(&mut self) -> &mut Parsers {
        &mut self.parsers
    }

    fn line_item<'r>(&mut self, text: &[&'r str]) -> Result<Option<LineItem<'r>>, FieldProblem> {
        let t = |column: Column| text[column as usize];
        let p = &mut self.parsers;
        let start = p.timestamp(Column::UsageStart as usize, t(Column::UsageStart))?;
        let end = match t(Column::UsageEnd) {
            "" => start,
            value => p.timestamp(Column::UsageEnd as usize, value)?,
        };
        let billing_period = match t(Column::BillingPeriodStart) {
            "" => start.month(),
            value => p
                .timestamp(Column::BillingPeriodStart as usize, value)?
                .month(),
        };
        let (payer_account, usage_account) =
            accounts(t(Column::PayerAccount), t(Column::UsageAccount));
        let region = [
            t(Column::Region),
            text[PRODUCT_REGION],
            t(Column::RegionCode),
        ]
        .into_iter()
        .find(|r| !r.is_empty())
        .unwrap_or("");
        let number = |p: &mut Parsers, c: Column| p.decimal(c as usize, t(c));
        Ok(Some(LineItem {
            payer_account,
            usage_account,
            billing_period,
            start,
            end,
            line_item_type: LineItemType::parse(t(Column::LineItemType)),
            product_code: t(Column::ProductCode),
            usage_type: t(Column::UsageType),
            operation: t(Column::Operation),
            region,
            resource_id: t(Column::ResourceId),
            usage_amount: number(p, Column::UsageAmount)?.unwrap_or(Decimal::ZERO),
            unit: t(Column::Unit),
            rate: number(p, Column::UnblendedRate)?,
            cost: p.required_decimal(Column::UnblendedCost as usize, t(Column::UnblendedCost))?,
            public_rate: number(p, Column::PublicOnDemandRate)?,
            description: t(Column::Description),
            currency: t(Column::Currency),
            billing_entity: t(Column::BillingEntity),
            legal_entity: t(Column::LegalEntity),
            tax_type: t(Column::TaxType),
            handles: Handles::NONE,
        }))
    }
}
