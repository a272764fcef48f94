//! Header handling: column style detection, Athena name normalisation and
//! the lookup of the columns a [`LineItem`](ftdesk_core::LineItem) needs.

use std::fmt;

/// How the header spells column names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnStyle {
    /// Legacy CUR CSV: `lineItem/UsageType`.
    Slash,
    /// Athena / flattened snake case: `line_item_usage_type` (also CUR 2.0).
    Snake,
    /// FOCUS: `BilledCost`, `ChargeCategory`.
    Pascal,
}

impl fmt::Display for ColumnStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Slash => "slash-style names (lineItem/UsageType)",
            Self::Snake => "snake_case names (line_item_usage_type)",
            Self::Pascal => "FOCUS names (BilledCost)",
        })
    }
}

/// The column categories of a legacy CUR header (`<category>/<Name>`).
const CATEGORIES: [&str; 11] = [
    "identity",
    "bill",
    "lineItem",
    "product",
    "pricing",
    "reservation",
    "savingsPlan",
    "discount",
    "resourceTags",
    "costCategory",
    "splitLineItem",
];

/// Categories whose names are free text (tag keys, cost category names) and
/// may legitimately contain `/`.
const FREE_TEXT_CATEGORIES: [&str; 2] = ["resourceTags", "costCategory"];

/// Applies AWS's Athena rules to a column name: an underscore before each
/// uppercase letter, lowercase, non-alphanumerics to `_`, runs of `_`
/// collapsed, no leading or trailing `_`. Idempotent on snake_case names.
pub fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let push_underscore = |out: &mut String| {
        if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    };
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            push_underscore(&mut out);
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            push_underscore(&mut out);
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

fn slash_category(cell: &str) -> Option<&str> {
    let (category, _) = cell.split_once('/')?;
    CATEGORIES.contains(&category).then_some(category)
}

/// Detects the style from the header cells, or `None` when the header has no
/// Cost and Usage Report column at all.
pub fn detect_style(header: &[&str]) -> Option<ColumnStyle> {
    if header.iter().any(|cell| slash_category(cell).is_some()) {
        return Some(ColumnStyle::Slash);
    }
    let snake_prefixes = ["line_item_", "bill_", "identity_"];
    header
        .iter()
        .any(|cell| snake_prefixes.iter().any(|p| cell.starts_with(p)))
        .then_some(ColumnStyle::Snake)
}

/// Counts header cells where two names were glued into one, such as koku's
/// `pricing/OfferingClasspricing/PurchaseOption`. Rows of such files carry
/// fewer fields than the header has cells, so each glued cell allows one
/// missing trailing field per row.
pub fn glued_cells(header: &[&str]) -> usize {
    header
        .iter()
        .filter(|cell| match slash_category(cell) {
            Some(category) if !FREE_TEXT_CATEGORIES.contains(&category) => {
                cell.matches('/').count() > 1
            }
            _ => false,
        })
        .count()
}

/// A column the reader knows, by its legacy CSV name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    PayerAccount,
    UsageAccount,
    BillingPeriodStart,
    UsageStart,
    UsageEnd,
    LineItemType,
    ProductCode,
    UsageType,
    Operation,
    Region,
    RegionCode,
    ResourceId,
    UsageAmount,
    Unit,
    UnblendedRate,
    UnblendedCost,
    PublicOnDemandRate,
    Description,
    Currency,
    BillingEntity,
    LegalEntity,
    TaxType,
}

impl Column {
    pub const ALL: [Column; 22] = [
        Self::PayerAccount,
        Self::UsageAccount,
        Self::BillingPeriodStart,
        Self::UsageStart,
        Self::UsageEnd,
        Self::LineItemType,
        Self::ProductCode,
        Self::UsageType,
        Self::Operation,
        Self::Region,
        Self::RegionCode,
        Self::ResourceId,
        Self::UsageAmount,
        Self::Unit,
        Self::UnblendedRate,
        Self::UnblendedCost,
        Self::PublicOnDemandRate,
        Self::Description,
        Self::Currency,
        Self::BillingEntity,
        Self::LegalEntity,
        Self::TaxType,
    ];

    /// Columns without which a row cannot be accounted for (the account is
    /// checked separately: either the usage account or the payer will do).
    const REQUIRED: [Column; 6] = [
        Self::LineItemType,
        Self::UsageStart,
        Self::UsageType,
        Self::UnblendedCost,
        Self::UsageAmount,
        Self::Currency,
    ];

    pub const fn is_required(self) -> bool {
        let mut i = 0;
        while i < Self::REQUIRED.len() {
            if Self::REQUIRED[i] as usize == self as usize {
                return true;
            }
            i += 1;
        }
        false
    }

    pub const fn slash_name(self) -> &'static str {
        match self {
            Self::PayerAccount => "bill/PayerAccountId",
            Self::UsageAccount => "lineItem/UsageAccountId",
            Self::BillingPeriodStart => "bill/BillingPeriodStartDate",
            Self::UsageStart => "lineItem/UsageStartDate",
            Self::UsageEnd => "lineItem/UsageEndDate",
            Self::LineItemType => "lineItem/LineItemType",
            Self::ProductCode => "lineItem/ProductCode",
            Self::UsageType => "lineItem/UsageType",
            Self::Operation => "lineItem/Operation",
            Self::Region => "product/region",
            Self::RegionCode => "product/regionCode",
            Self::ResourceId => "lineItem/ResourceId",
            Self::UsageAmount => "lineItem/UsageAmount",
            Self::Unit => "pricing/unit",
            Self::UnblendedRate => "lineItem/UnblendedRate",
            Self::UnblendedCost => "lineItem/UnblendedCost",
            Self::PublicOnDemandRate => "pricing/publicOnDemandRate",
            Self::Description => "lineItem/LineItemDescription",
            Self::Currency => "lineItem/CurrencyCode",
            Self::BillingEntity => "bill/BillingEntity",
            Self::LegalEntity => "lineItem/LegalEntity",
            Self::TaxType => "lineItem/TaxType",
        }
    }

    /// The name as a header of the given style spells it.
    pub fn name_in(self, style: ColumnStyle) -> String {
        match style {
            ColumnStyle::Slash => self.slash_name().to_owned(),
            ColumnStyle::Snake | ColumnStyle::Pascal => normalise(self.slash_name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_athena() {
        for (slash, snake) in [
            ("lineItem/UsageAccountId", "line_item_usage_account_id"),
            (
                "reservation/ReservationARN",
                "reservation_reservation_a_r_n",
            ),
            (
                "savingsPlan/SavingsPlanARN",
                "savings_plan_savings_plan_a_r_n",
            ),
            ("resourceTags/user:Name", "resource_tags_user_name"),
            (
                "pricing/publicOnDemandRate",
                "pricing_public_on_demand_rate",
            ),
            ("product/regionCode", "product_region_code"),
            ("costCategory/Charge type", "cost_category_charge_type"),
            ("line_item_usage_type", "line_item_usage_type"),
            ("_odd__Name_", "odd_name"),
        ] {
            assert_eq!(normalise(slash), snake, "{slash}");
        }
    }

    #[test]
    fn column_table_matches_the_documented_snake_names() {
        assert_eq!(
            Column::LineItemType.name_in(ColumnStyle::Snake),
            "line_item_line_item_type"
        );
        assert_eq!(
            Column::Description.name_in(ColumnStyle::Snake),
            "line_item_line_item_description"
        );
        assert_eq!(
            Column::PayerAccount.name_in(ColumnStyle::Snake),
            "bill_payer_account_id"
        );
        for (i, column) in Column::ALL.iter().enumerate() {
            assert_eq!(*column as usize, i, "Column::ALL is in declaration order");
        }
    }

    #[test]
    fn detects_style_and_glued_cells() {
        let slash = [
            "identity/LineItemId",
            "pricing/OfferingClasspricing/PurchaseOption",
        ];
        assert_eq!(detect_style(&slash), Some(ColumnStyle::Slash));
        assert_eq!(glued_cells(&slash), 1);
        assert_eq!(glued_cells(&["resourceTags/user:kubernetes.io/cluster"]), 0);
        assert_eq!(
            detect_style(&["line_item_usage_type", "x"]),
            Some(ColumnStyle::Snake)
        );
        assert_eq!(detect_style(&["BilledCost", "ChargeCategory"]), None);
    }
}
