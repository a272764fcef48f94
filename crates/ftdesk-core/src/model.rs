//! The normalised line item every reader produces, whatever the export format.

use rust_decimal::Decimal;

use crate::time::{Month, Timestamp};

/// What kind of row this is (`lineItem/LineItemType`, FOCUS `ChargeCategory`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum LineItemType {
    Usage,
    DiscountedUsage,
    SavingsPlanCoveredUsage,
    SavingsPlanNegation,
    Tax,
    Credit,
    Refund,
    Fee,
    RiFee,
    SavingsPlanUpfrontFee,
    SavingsPlanRecurringFee,
    Discount,
    /// A type we do not know yet; AWS adds new ones. Counted, never dropped.
    Other,
}

impl LineItemType {
    pub fn parse(s: &str) -> Self {
        match s {
            "Usage" => Self::Usage,
            "DiscountedUsage" => Self::DiscountedUsage,
            "SavingsPlanCoveredUsage" => Self::SavingsPlanCoveredUsage,
            "SavingsPlanNegation" => Self::SavingsPlanNegation,
            "Tax" => Self::Tax,
            "Credit" => Self::Credit,
            "Refund" => Self::Refund,
            "Fee" => Self::Fee,
            "RIFee" => Self::RiFee,
            "SavingsPlanUpfrontFee" => Self::SavingsPlanUpfrontFee,
            "SavingsPlanRecurringFee" => Self::SavingsPlanRecurringFee,
            "Discount"
            | "BundledDiscount"
            | "EdpDiscount"
            | "PrivateRateDiscount"
            | "SppDiscount" => Self::Discount,
            _ => Self::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Usage => "Usage",
            Self::DiscountedUsage => "DiscountedUsage",
            Self::SavingsPlanCoveredUsage => "SavingsPlanCoveredUsage",
            Self::SavingsPlanNegation => "SavingsPlanNegation",
            Self::Tax => "Tax",
            Self::Credit => "Credit",
            Self::Refund => "Refund",
            Self::Fee => "Fee",
            Self::RiFee => "RIFee",
            Self::SavingsPlanUpfrontFee => "SavingsPlanUpfrontFee",
            Self::SavingsPlanRecurringFee => "SavingsPlanRecurringFee",
            Self::Discount => "Discount",
            Self::Other => "Other",
        }
    }

    /// The line-item type of a Cost Explorer `RECORD_TYPE` value (its own
    /// spelling: `Usage`, `Tax`, `Recurring reservation fee`, …); unknown
    /// ones are [`LineItemType::Other`], counted, never dropped.
    pub fn from_record_type(record_type: &str) -> Self {
        match record_type {
            "Usage" => Self::Usage,
            "Tax" => Self::Tax,
            "Credit" => Self::Credit,
            "Refund" => Self::Refund,
            "Discounted Usage" | "DiscountedUsage" => Self::DiscountedUsage,
            "Savings Plan covered usage" => Self::SavingsPlanCoveredUsage,
            "Savings Plan negation" => Self::SavingsPlanNegation,
            "Savings Plan upfront fee" => Self::SavingsPlanUpfrontFee,
            "Savings Plan recurring fee" => Self::SavingsPlanRecurringFee,
            "Recurring reservation fee" => Self::RiFee,
            "Upfront reservation fee" | "Support fee" | "Fee" => Self::Fee,
            "Bundled Discount"
            | "Discount"
            | "Enterprise Discount Program Discount"
            | "Private Rate Card Discount"
            | "Solution Provider Program Discount"
            | "Distributor Discount" => Self::Discount,
            other => Self::parse(other),
        }
    }

    /// How Cost Explorer's `RECORD_TYPE` spells this type.
    pub fn record_type(self) -> &'static str {
        match self {
            Self::Usage => "Usage",
            Self::DiscountedUsage => "Discounted Usage",
            Self::SavingsPlanCoveredUsage => "Savings Plan covered usage",
            Self::SavingsPlanNegation => "Savings Plan negation",
            Self::Tax => "Tax",
            Self::Credit => "Credit",
            Self::Refund => "Refund",
            Self::Fee => "Fee",
            Self::RiFee => "Recurring reservation fee",
            Self::SavingsPlanUpfrontFee => "Savings Plan upfront fee",
            Self::SavingsPlanRecurringFee => "Savings Plan recurring fee",
            Self::Discount => "Bundled Discount",
            Self::Other => "Other",
        }
    }

    /// Rows that measure consumption of a service.
    pub fn is_usage(self) -> bool {
        matches!(
            self,
            Self::Usage | Self::DiscountedUsage | Self::SavingsPlanCoveredUsage
        )
    }
}

/// Where a row's most varied strings sit in the reader's dictionaries (a
/// Parquet column chunk's dictionary page): the ledger then looks each
/// dictionary value up once instead of hashing the string on every row.
/// The order is [`Handles::FIELDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handles {
    /// Per field, which dictionary: a number the reader never gives to
    /// another dictionary (0: the field has no handle on this row).
    pub dictionary: [u64; 6],
    /// Per field, the value's index in that dictionary.
    pub index: [u32; 6],
}

impl Handles {
    /// The fields handles can stand for, in order.
    pub const FIELDS: [&'static str; 6] = [
        "usage_account",
        "product_code",
        "usage_type",
        "operation",
        "resource_id",
        "description",
    ];
    pub const NONE: Handles = Handles {
        dictionary: [0; 6],
        index: [0; 6],
    };
}

/// One billing row, borrowed from the reader's buffer. Readers fill what their
/// format has and leave the rest empty; the accounting never needs more.
#[derive(Debug, Clone, Copy)]
pub struct LineItem<'a> {
    pub payer_account: &'a str,
    pub usage_account: &'a str,
    pub billing_period: Month,
    pub start: Timestamp,
    pub end: Timestamp,
    pub line_item_type: LineItemType,
    pub product_code: &'a str,
    pub usage_type: &'a str,
    pub operation: &'a str,
    /// Region id from the product columns (`us-east-1`, `global`), may be empty.
    pub region: &'a str,
    pub resource_id: &'a str,
    pub usage_amount: Decimal,
    pub unit: &'a str,
    pub rate: Option<Decimal>,
    pub cost: Decimal,
    pub public_rate: Option<Decimal>,
    pub description: &'a str,
    pub currency: &'a str,
    pub billing_entity: &'a str,
    pub legal_entity: &'a str,
    pub tax_type: &'a str,
    /// Where the reader found the strings, if in dictionaries
    /// ([`Handles::NONE`] otherwise); the accounting does not depend on it.
    pub handles: Handles,
}

/// Parses a decimal as AWS writes it: plain (`0.0116`), Java-style scientific
/// (`2.123027E-4`), or with a leading `+`. Empty input is `None`.
pub fn parse_decimal(s: &str) -> Result<Option<Decimal>, rust_decimal::Error> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("null") {
        return Ok(None);
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.contains(['e', 'E']) {
        Decimal::from_scientific(s).map(Some)
    } else {
        s.parse::<Decimal>().map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_as_aws_writes_them() {
        let d = |s: &str| parse_decimal(s).unwrap().unwrap().to_string();
        assert_eq!(d("2.123027E-4"), "0.0002123027");
        assert_eq!(d("4.0E-7"), "0.00000040");
        assert_eq!(d("0.0116"), "0.0116");
        assert_eq!(d("-1.5"), "-1.5");
        assert_eq!(d("1e2"), "100");
        assert_eq!(parse_decimal(""), Ok(None));
        assert_eq!(parse_decimal("NULL"), Ok(None));
        assert!(parse_decimal("12,5").is_err());
        assert!(parse_decimal("abc").is_err());
    }
}
