//! Where the billing rows come from and how each export format names the
//! fields of a line item: the SQL twin of `ftdesk-io`'s readers
//! (`docs/focus-mapping.md` documents the mapping).

use crate::dialect::{Dialect, DECIMAL};
use crate::SqlError;

/// The billing export the rows are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Legacy Cost and Usage Report: `lineItem/UsageType` in CSV, `line_item_usage_type` in Athena and Parquet.
    Cur,
    /// CUR 2.0 (Data Exports): snake-case names, the region in the `product` map.
    Cur2,
    /// FOCUS 1.0 as AWS exports it (`ChargeCategory`, `x_UsageType`, `x_Operation`, `x_ServiceCode`).
    Focus,
}

/// Where the rows are: a table the engine knows, or files it reads itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A table name, optionally qualified (`cur_db.cur_table`).
    Table(String),
    /// A file or glob: `.parquet`, `.csv` or `.csv.gz`.
    Path(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Storage {
    /// Typed columns (Parquet files, catalogue tables): numbers may be doubles, maps are maps.
    Typed,
    /// CSV text: every cell is text, CUR 2.0 maps are JSON objects.
    Csv,
}

/// The table expression rows are read from, and statements that must run first.
pub(crate) struct Relation {
    pub preamble: Vec<String>,
    pub relation: String,
    pub storage: Storage,
}

/// The view name Spark gets for files, since its SQL cannot pass reader options inline.
const SPARK_VIEW: &str = "ftdesk_source";

pub(crate) fn relation(dialect: Dialect, source: &Source) -> Result<Relation, SqlError> {
    match source {
        Source::Table(name) => Ok(Relation {
            preamble: Vec::new(),
            relation: table_name(dialect, name)?,
            storage: Storage::Typed,
        }),
        Source::Path(path) => {
            let storage = file_storage(path)?;
            let literal = dialect.string(path);
            match (dialect, storage) {
                (Dialect::Athena, _) => Err(SqlError::AthenaNeedsTable { path: path.clone() }),
                (Dialect::DuckDb, Storage::Typed) => Ok(Relation {
                    preamble: Vec::new(),
                    relation: format!("read_parquet({literal}, union_by_name = true)"),
                    storage,
                }),
                (Dialect::DuckDb, Storage::Csv) => Ok(Relation {
                    preamble: Vec::new(),
                    relation: format!(
                        "read_csv({literal}, header = true, all_varchar = true, union_by_name = true)"
                    ),
                    storage,
                }),
                (Dialect::Spark, _) => {
                    let options = match storage {
                        Storage::Typed => format!("USING parquet OPTIONS (path {literal})"),
                        Storage::Csv => format!(
                            "USING csv OPTIONS (path {literal}, header 'true', escape '\"', multiLine 'true')"
                        ),
                    };
                    Ok(Relation {
                        preamble: vec![format!(
                            "CREATE OR REPLACE TEMPORARY VIEW {SPARK_VIEW} {options}"
                        )],
                        relation: SPARK_VIEW.to_owned(),
                        storage,
                    })
                }
            }
        }
    }
}

fn file_storage(path: &str) -> Result<Storage, SqlError> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".parquet") {
        Ok(Storage::Typed)
    } else if lower.ends_with(".csv") || lower.ends_with(".csv.gz") {
        Ok(Storage::Csv)
    } else {
        Err(SqlError::UnknownFileType { path: path.into() })
    }
}

fn table_name(dialect: Dialect, name: &str) -> Result<String, SqlError> {
    let parts: Vec<&str> = name.split('.').collect();
    let valid = |p: &&str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if parts.len() > 3 || !parts.iter().all(valid) {
        return Err(SqlError::BadTableName { name: name.into() });
    }
    Ok(parts
        .iter()
        .map(|p| dialect.ident(p))
        .collect::<Vec<_>>()
        .join("."))
}

/// The expressions that turn one source row into the fields of a line item.
pub(crate) struct Fields {
    pub payer_account: String,
    pub usage_account: String,
    pub billing_month: String,
    pub line_item_type: String,
    pub product_code: String,
    pub usage_type: String,
    pub operation: String,
    pub row_region: String,
    pub resource_id: String,
    pub usage_amount: String,
    pub rate: String,
    pub cost: String,
    pub public_rate: String,
    pub description: String,
    /// Rows to keep (FOCUS files carry other providers' rows).
    pub filter: Option<String>,
}

/// Every `lineItem/LineItemType` ftdesk tells apart; anything else is `Other`
/// (the names of `ftdesk_core::LineItemType`, checked by a test).
pub(crate) const LINE_ITEM_TYPES: [&str; 12] = [
    "Usage",
    "DiscountedUsage",
    "SavingsPlanCoveredUsage",
    "SavingsPlanNegation",
    "Tax",
    "Credit",
    "Refund",
    "Fee",
    "RIFee",
    "SavingsPlanUpfrontFee",
    "SavingsPlanRecurringFee",
    "Discount",
];

/// Types AWS writes that ftdesk counts as `Discount`.
pub(crate) const DISCOUNT_TYPES: [&str; 4] = [
    "BundledDiscount",
    "EdpDiscount",
    "PrivateRateDiscount",
    "SppDiscount",
];

/// FOCUS `ChargeCategory` → line item type, as `ftdesk-io`'s FOCUS reader maps it.
pub(crate) const FOCUS_CATEGORIES: [(&str, &str); 5] = [
    ("Usage", "Usage"),
    ("Purchase", "Fee"),
    ("Tax", "Tax"),
    ("Credit", "Credit"),
    ("Adjustment", "Refund"),
];

struct Reader {
    dialect: Dialect,
    storage: Storage,
    /// FOCUS writes a missing value as the bare word `NULL`.
    null_token: bool,
}

impl Reader {
    fn column(&self, name: &str) -> String {
        self.dialect.ident(name)
    }

    /// A text field, `''` when absent.
    fn text(&self, name: &str) -> String {
        self.text_of(&self.column(name))
    }

    fn text_of(&self, expr: &str) -> String {
        let text = self.dialect.as_text(expr);
        if self.null_token {
            format!("CASE WHEN {text} = 'NULL' THEN '' ELSE coalesce({text}, '') END")
        } else {
            format!("coalesce({text}, '')")
        }
    }

    /// The first of several text fields that is not empty.
    fn first_text(&self, names: &[&str]) -> String {
        let mut expr = String::from("''");
        for name in names.iter().rev() {
            let text = self.text(name);
            expr = format!("CASE WHEN {text} <> '' THEN {text} ELSE {expr} END");
        }
        expr
    }

    /// An exact number, `NULL` when empty. Numbers go through their shortest
    /// text first: Parquet exports store doubles, and `0.0116` must stay `0.0116`.
    fn number(&self, name: &str) -> String {
        let text = format!("trim({})", self.dialect.as_text(&self.column(name)));
        format!(
            "CAST(CASE WHEN upper({text}) IN ('', 'NULL') THEN NULL ELSE {text} END AS {DECIMAL})"
        )
    }

    /// The `YYYY-MM` of a timestamp column, text or typed (read in UTC).
    fn month_of(&self, name: &str) -> String {
        format!("substr({}, 1, 7)", self.text(name))
    }
}

/// One of the two names of a legacy CUR column: as the CSV header writes it,
/// or as Athena and Parquet do (snake case).
fn cur_name(storage: Storage, slash: &'static str, snake: &'static str) -> &'static str {
    match storage {
        Storage::Csv => slash,
        Storage::Typed => snake,
    }
}

pub(crate) fn fields(dialect: Dialect, format: ExportFormat, storage: Storage) -> Fields {
    match format {
        ExportFormat::Cur | ExportFormat::Cur2 => cur_fields(dialect, format, storage),
        ExportFormat::Focus => focus_fields(dialect, storage),
    }
}

fn accounts(payer: String, usage: String) -> (String, String) {
    (
        format!("CASE WHEN {payer} = '' THEN {usage} ELSE {payer} END"),
        format!("CASE WHEN {usage} = '' THEN {payer} ELSE {usage} END"),
    )
}

fn month_with_fallback(r: &Reader, period: &str, start: &str) -> String {
    let period_text = r.text(period);
    format!(
        "CASE WHEN {period_text} <> '' THEN {} ELSE {} END",
        r.month_of(period),
        r.month_of(start)
    )
}

fn cur_fields(dialect: Dialect, format: ExportFormat, storage: Storage) -> Fields {
    let r = Reader {
        dialect,
        storage,
        null_token: false,
    };
    // CUR 2.0 is snake case in CSV too; legacy CSV uses the slash names.
    let n = |slash: &'static str, snake: &'static str| match format {
        ExportFormat::Cur => cur_name(storage, slash, snake),
        _ => snake,
    };
    let (payer_account, usage_account) = accounts(
        r.text(n("bill/PayerAccountId", "bill_payer_account_id")),
        r.text(n("lineItem/UsageAccountId", "line_item_usage_account_id")),
    );
    let kind = r.text(n("lineItem/LineItemType", "line_item_line_item_type"));
    let line_item_type = format!(
        "CASE WHEN {kind} IN ({}) THEN {kind} WHEN {kind} IN ({}) THEN 'Discount' ELSE 'Other' END",
        quoted_list(dialect, &LINE_ITEM_TYPES),
        quoted_list(dialect, &DISCOUNT_TYPES),
    );
    let row_region = match format {
        ExportFormat::Cur => r.text(n("product/region", "product_region")),
        _ => {
            let product = r.column("product");
            let value = match r.storage {
                Storage::Typed => dialect.map_value(&product, "region"),
                Storage::Csv => dialect.json_value(&product, "region"),
            };
            r.text_of(&value)
        }
    };
    Fields {
        payer_account,
        usage_account,
        billing_month: month_with_fallback(
            &r,
            n(
                "bill/BillingPeriodStartDate",
                "bill_billing_period_start_date",
            ),
            n("lineItem/UsageStartDate", "line_item_usage_start_date"),
        ),
        line_item_type,
        product_code: r.text(n("lineItem/ProductCode", "line_item_product_code")),
        usage_type: r.text(n("lineItem/UsageType", "line_item_usage_type")),
        operation: r.text(n("lineItem/Operation", "line_item_operation")),
        row_region,
        resource_id: r.text(n("lineItem/ResourceId", "line_item_resource_id")),
        usage_amount: format!(
            "coalesce({}, 0)",
            r.number(n("lineItem/UsageAmount", "line_item_usage_amount"))
        ),
        rate: r.number(n("lineItem/UnblendedRate", "line_item_unblended_rate")),
        cost: r.number(n("lineItem/UnblendedCost", "line_item_unblended_cost")),
        public_rate: r.number(n(
            "pricing/publicOnDemandRate",
            "pricing_public_on_demand_rate",
        )),
        description: r.text(n(
            "lineItem/LineItemDescription",
            "line_item_line_item_description",
        )),
        filter: None,
    }
}

fn focus_fields(dialect: Dialect, storage: Storage) -> Fields {
    let r = Reader {
        dialect,
        storage,
        null_token: true,
    };
    let (payer_account, usage_account) =
        accounts(r.text("BillingAccountId"), r.text("SubAccountId"));
    let category = r.text("ChargeCategory");
    let mut line_item_type = String::from("CASE");
    for (category_name, kind) in FOCUS_CATEGORIES {
        line_item_type.push_str(&format!(
            " WHEN {category} = {} THEN {}",
            dialect.string(category_name),
            dialect.string(kind)
        ));
    }
    line_item_type.push_str(" ELSE 'Other' END");
    let consumed = r.text("ConsumedQuantity");
    let provider = r.text("ProviderName");
    Fields {
        payer_account,
        usage_account,
        billing_month: month_with_fallback(&r, "BillingPeriodStart", "ChargePeriodStart"),
        line_item_type,
        product_code: r.first_text(&["x_ServiceCode", "ServiceName"]),
        usage_type: r.text("x_UsageType"),
        operation: r.text("x_Operation"),
        row_region: r.text("RegionId"),
        resource_id: r.text("ResourceId"),
        usage_amount: format!(
            "coalesce(CASE WHEN {consumed} <> '' THEN {} ELSE {} END, 0)",
            r.number("ConsumedQuantity"),
            r.number("PricingQuantity")
        ),
        rate: r.number("ContractedUnitPrice"),
        cost: r.number("BilledCost"),
        public_rate: r.number("ListUnitPrice"),
        description: r.text("ChargeDescription"),
        filter: Some(format!(
            "({provider} = '' OR substr({provider}, 1, 3) = 'AWS' OR substr({provider}, 1, 6) = 'Amazon')"
        )),
    }
}

pub(crate) fn quoted_list(dialect: Dialect, items: &[&str]) -> String {
    items
        .iter()
        .map(|i| dialect.string(i))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ftdesk_core::LineItemType;

    #[test]
    fn line_item_types_are_the_cores() {
        for name in LINE_ITEM_TYPES {
            assert_eq!(LineItemType::parse(name).as_str(), name);
        }
        for name in DISCOUNT_TYPES {
            assert_eq!(LineItemType::parse(name), LineItemType::Discount);
        }
        assert_eq!(LineItemType::parse("SomethingNew"), LineItemType::Other);
    }

    #[test]
    fn files_are_told_apart_by_extension() {
        assert_eq!(file_storage("a/b.snappy.parquet").unwrap(), Storage::Typed);
        assert_eq!(file_storage("a/*.csv.gz").unwrap(), Storage::Csv);
        assert!(matches!(
            file_storage("report.json"),
            Err(SqlError::UnknownFileType { .. })
        ));
    }

    #[test]
    fn table_names_are_quoted_part_by_part() {
        assert_eq!(
            table_name(Dialect::Athena, "cur_db.my-table").unwrap(),
            "\"cur_db\".\"my-table\""
        );
        assert_eq!(table_name(Dialect::Spark, "cur").unwrap(), "`cur`");
        assert!(table_name(Dialect::Spark, "a;drop").is_err());
        assert!(table_name(Dialect::Spark, "a..b").is_err());
    }
}
