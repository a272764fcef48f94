//! The accounting of `ftdesk check` as SQL, for the engines where large
//! billing data already lives: DuckDB over local files, Spark on a cluster,
//! Athena over the CUR table in S3.
//!
//! Everything AWS decides comes from the [`Catalog`]: the offers become a
//! VALUES table, the region prefixes and the offer matching become CASE
//! expressions in catalogue order. The query mirrors `ftdesk_core`'s ledger:
//! rows are grouped as the report's charges are, free rows are told apart the
//! same way (zero cost with a zero rate and a public price, or a free-tier
//! description), usage is pooled per offer (per region where the offer is),
//! and the plan and the end of the 12 months are read from the bill unless
//! given.
//!
//! It writes the query and never runs it: no engine is linked here.
//!
//! ```
//! use ftdesk_core::Catalog;
//! use ftdesk_sql::{generate, Dialect, ExportFormat, Options, Source};
//! let options = Options {
//!     dialect: Dialect::DuckDb,
//!     format: ExportFormat::Cur2,
//!     source: Source::Path("cur2/*.parquet".into()),
//!     month: None,
//!     plan: None,
//! };
//! let sql = generate(&Catalog::embedded(), &options).unwrap();
//! assert!(sql.contains("read_parquet('cur2/*.parquet'"));
//! ```

mod catalogue;
mod dialect;
mod source;

use ftdesk_core::{Catalog, Month, Plan};
use thiserror::Error;

pub use dialect::Dialect;
pub use source::{ExportFormat, Source};

use catalogue::{plan_column, MeterColumns, PLANS};
use dialect::DECIMAL;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum SqlError {
    #[error("Athena reads tables, not files: give --table with the CUR table's name instead of --path {path}")]
    AthenaNeedsTable { path: String },
    #[error(
        "cannot tell the file type of {path}: expected a name ending in .parquet, .csv or .csv.gz"
    )]
    UnknownFileType { path: String },
    #[error("bad table name `{name}`: expected [catalog.][database.]table of letters, digits, `_` and `-`")]
    BadTableName { name: String },
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub dialect: Dialect,
    pub format: ExportFormat,
    pub source: Source,
    /// The billing month; `None` takes the latest month in the data, as `ftdesk check` does.
    pub month: Option<Month>,
    /// The free-tier plan; `None` reads it from the bill, as `ftdesk check` does without `--plan`.
    pub plan: Option<Plan>,
}

/// The script: setup statements (if the engine needs them), then one query.
/// Statements end with `;` at the end of a line.
pub fn generate(catalog: &Catalog, options: &Options) -> Result<String, SqlError> {
    let from = source::relation(options.dialect, &options.source)?;
    let q = Query {
        d: options.dialect,
        catalog,
        options,
    };
    let mut script = q.header();
    for statement in q.setup().into_iter().chain(from.preamble) {
        script.push_str(&statement);
        script.push_str(";\n\n");
    }
    let fields = source::fields(options.dialect, options.format, from.storage);
    script.push_str(&q.query(&fields, &from.relation));
    script.push_str(";\n");
    Ok(script)
}

struct Query<'a> {
    d: Dialect,
    catalog: &'a Catalog,
    options: &'a Options,
}

impl Query<'_> {
    fn header(&self) -> String {
        let format = match self.options.format {
            ExportFormat::Cur => "legacy Cost and Usage Report",
            ExportFormat::Cur2 => "CUR 2.0",
            ExportFormat::Focus => "FOCUS 1.0 (AWS)",
        };
        let month = match self.options.month {
            Some(m) => m.to_string(),
            None => "the latest billing month in the data".to_owned(),
        };
        let plan = match self.options.plan {
            Some(p) => format!("{} (given)", p.as_str()),
            None => "read from the bill, as `ftdesk check` does without --plan".to_owned(),
        };
        format!(
            "-- ftdesk sql: the free-tier accounting of `ftdesk check`, as {} SQL over a {format} export.\n\
             -- Catalogue: {} (ftdesk {}). Regenerate when the catalogue changes.\n\
             -- Month: {month}. Plan: {plan}.\n\
             -- One result, one row per figure, told apart by `section`:\n\
             --   total   name (gross_cost, tax, credits, refunds, net_cost), amount\n\
             --   offer   offer_id, region (per-region pools), quantity (used), free_limit, free_on_bill,\n\
             --           charged_quantity, amount (charged cost)\n\
             --   charge  usage_account, product_code, usage_type, operation, resource_id, line_item_type,\n\
             --           region, quantity, amount (the charged rows, grouped as the report's charges)\n\n",
            self.d,
            self.catalog.version,
            env!("CARGO_PKG_VERSION"),
        )
    }

    /// Timestamps are read as UTC, as AWS writes them.
    fn setup(&self) -> Vec<String> {
        match self.d {
            Dialect::DuckDb => vec!["SET TimeZone = 'UTC'".to_owned()],
            Dialect::Spark => vec!["SET spark.sql.session.timeZone = UTC".to_owned()],
            Dialect::Athena => Vec::new(),
        }
    }

    fn s(&self, text: &str) -> String {
        self.d.string(text)
    }

    fn null_text(&self) -> String {
        format!("CAST(NULL AS {})", self.d.text_type())
    }

    fn query(&self, f: &source::Fields, relation: &str) -> String {
        let ctes = [
            ("items", self.items(f, relation)),
            ("month_items", self.month_items()),
            ("plans", self.plans()),
            ("groups", GROUPS.to_owned()),
            ("meter_split", self.meter_split()),
            ("meters", self.meters()),
            ("meter_offers", self.meter_offers()),
            (
                "catalogue_offers",
                catalogue::offers_values(self.d, self.catalog),
            ),
            ("granted", self.granted()),
            ("pool_rows", self.pool_rows()),
            ("pools", POOLS.to_owned()),
            ("twelve_months", TWELVE_MONTHS.to_owned()),
            ("totals", TOTALS.to_owned()),
            ("report", self.report()),
        ];
        let body: Vec<String> = ctes
            .iter()
            .map(|(name, sql)| format!("{name} AS (\n  {sql}\n)"))
            .collect();
        format!(
            "WITH\n{}\nSELECT * FROM report\nORDER BY CASE section WHEN 'total' THEN 1 WHEN 'offer' THEN 2 ELSE 3 END,\n  \
             payer_account, name, offer_id, region, usage_account, product_code, usage_type, operation,\n  \
             resource_id, line_item_type",
            body.join(",\n")
        )
    }

    fn items(&self, f: &source::Fields, relation: &str) -> String {
        let columns = [
            (&f.payer_account, "payer_account"),
            (&f.usage_account, "usage_account"),
            (&f.billing_month, "billing_month"),
            (&f.line_item_type, "line_item_type"),
            (&f.product_code, "product_code"),
            (&f.usage_type, "usage_type"),
            (&f.operation, "operation"),
            (&f.row_region, "row_region"),
            (&f.resource_id, "resource_id"),
            (&f.usage_amount, "usage_amount"),
            (&f.rate, "rate"),
            (&f.cost, "cost"),
            (&f.public_rate, "public_rate"),
            (&f.description, "description"),
        ];
        let select: Vec<String> = columns
            .iter()
            .map(|(expr, alias)| format!("{expr} AS {alias}"))
            .collect();
        let filter = f
            .filter
            .as_ref()
            .map(|w| format!("\n  WHERE {w}"))
            .unwrap_or_default();
        format!(
            "SELECT\n    {}\n  FROM {relation}{filter}",
            select.join(",\n    ")
        )
    }

    fn any_contains(&self, text: &str, needles: &[String]) -> String {
        if needles.is_empty() {
            return "FALSE".to_owned();
        }
        let parts: Vec<String> = needles
            .iter()
            .map(|n| self.d.contains(text, &self.s(n)))
            .collect();
        format!("({})", parts.join(" OR "))
    }

    fn month_items(&self) -> String {
        let (free, excluded) = self.catalog.free_row_patterns();
        let description_free = format!(
            "{} AND NOT {}",
            self.any_contains("lower(description)", free),
            self.any_contains("lower(description)", excluded)
        );
        let month = match self.options.month {
            Some(m) => self.s(&m.to_string()),
            None => "(SELECT max(billing_month) FROM items)".to_owned(),
        };
        format!(
            "SELECT items.*,\n    \
             line_item_type IN ('Credit', 'Refund', 'Discount') AS is_credit,\n    \
             coalesce(line_item_type = 'Usage' AND cost = 0 AND (\n      \
             ((rate IS NULL OR rate = 0) AND public_rate > 0)\n      \
             OR ({description_free})\n    ), FALSE) AS is_free\n  \
             FROM items\n  WHERE billing_month = {month}"
        )
    }

    fn plans(&self) -> String {
        if let Some(plan) = self.options.plan {
            return format!(
                "SELECT DISTINCT payer_account, {} AS plan FROM month_items",
                self.s(plan.as_str())
            );
        }
        let credit =
            self.any_contains("description", &self.catalog.credit_plan.credit_descriptions);
        format!(
            "SELECT payer_account,\n    \
             CASE WHEN max(CASE WHEN is_credit AND {credit} THEN 1 ELSE 0 END) = 1\n      \
             THEN CASE WHEN sum(cost) > 0 THEN 'paid-plan' ELSE 'free-plan' END\n      \
             ELSE 'legacy' END AS plan\n  \
             FROM month_items GROUP BY payer_account"
        )
    }

    fn meter_split(&self) -> String {
        format!(
            "SELECT product_code, usage_type, operation,\n    \
             min(CASE WHEN row_region <> '' THEN row_region END) AS row_region,\n    \
             {} AS split_region,\n    \
             {} AS prefix_length\n  \
             FROM month_items WHERE NOT is_credit\n  \
             GROUP BY product_code, usage_type, operation",
            catalogue::split_region(self.d, self.catalog, "usage_type"),
            catalogue::prefix_length(self.d, self.catalog, "usage_type"),
        )
    }

    fn meters(&self) -> String {
        let m = MeterColumns {
            product: "product_code",
            meter: "meter",
            operation: "operation",
            split_region: "split_region",
        };
        let mut columns = vec![format!(
            "{} AS any_offer",
            catalogue::offer_case(self.d, self.catalog, None, &m)
        )];
        for plan in PLANS {
            columns.push(format!(
                "{} AS {}",
                catalogue::offer_case(self.d, self.catalog, Some(plan), &m),
                plan_column("strict", plan)
            ));
        }
        format!(
            "SELECT product_code, usage_type, operation,\n    \
             CASE WHEN split_region = 'global' AND row_region IS NOT NULL THEN row_region ELSE split_region END AS region,\n    \
             {}\n  \
             FROM (SELECT meter_split.*, substr(usage_type, prefix_length + 1) AS meter FROM meter_split) split",
            columns.join(",\n    ")
        )
    }

    fn meter_offers(&self) -> String {
        let loose: Vec<String> = PLANS
            .iter()
            .map(|&plan| {
                format!(
                    "{} AS {}",
                    catalogue::loose_case(self.d, self.catalog, plan, "any_offer"),
                    plan_column("loose", plan)
                )
            })
            .collect();
        format!(
            "SELECT meters.*,\n    {}\n  FROM meters",
            loose.join(",\n    ")
        )
    }

    /// `CASE p.plan WHEN <plan> THEN m.<column for plan> ... END`.
    fn per_plan(&self, column: impl Fn(Plan) -> String) -> String {
        let mut case = String::from("CASE p.plan");
        for plan in PLANS {
            case.push_str(&format!(
                "\n      WHEN {} THEN {}",
                self.s(plan.as_str()),
                column(plan)
            ));
        }
        case.push_str("\n    END");
        case
    }

    /// The usage types the bill made partly free in a month, where an offer
    /// could pool them: their charged rows join that offer's pool whatever
    /// the catalogue's region rule says (the bill is the truth).
    fn granted(&self) -> String {
        let loose = self.per_plan(|plan| format!("m.{}", plan_column("loose", plan)));
        format!(
            "SELECT DISTINCT g.payer_account, g.billing_month, g.usage_type\n  \
             FROM groups g\n  \
             JOIN meter_offers m ON g.product_code = m.product_code AND g.usage_type = m.usage_type AND g.operation = m.operation\n  \
             JOIN plans p ON g.payer_account = p.payer_account\n  \
             WHERE g.is_free AND g.line_item_type IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage')\n    \
             AND {loose} IS NOT NULL"
        )
    }

    fn pool_rows(&self) -> String {
        let offer = self.per_plan(|plan| {
            let (loose, strict) = (plan_column("loose", plan), plan_column("strict", plan));
            format!(
                "CASE WHEN g.is_free THEN m.{loose} \
                 WHEN m.{strict} IS NOT NULL THEN m.{strict} \
                 WHEN gr.usage_type IS NOT NULL THEN m.{loose} END"
            )
        });
        let hours = self.d.hours_in_month("g.billing_month");
        format!(
            "SELECT g.payer_account, g.billing_month, p.plan, o.offer_id, o.kind, g.is_free, g.quantity, g.cost,\n    \
             CASE WHEN o.pool = 'per-region' THEN m.region END AS region,\n    \
             CASE WHEN o.per_hour THEN o.free_limit * {hours} ELSE o.free_limit END AS free_limit\n  \
             FROM groups g\n  \
             JOIN meter_offers m ON g.product_code = m.product_code AND g.usage_type = m.usage_type AND g.operation = m.operation\n  \
             JOIN plans p ON g.payer_account = p.payer_account\n  \
             LEFT JOIN granted gr ON g.payer_account = gr.payer_account AND g.billing_month = gr.billing_month\n    \
             AND g.usage_type = gr.usage_type\n  \
             JOIN catalogue_offers o ON o.offer_id = {offer}\n  \
             WHERE g.line_item_type IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage')"
        )
    }

    fn report(&self) -> String {
        let t = self.null_text();
        let n = format!("CAST(NULL AS {DECIMAL})");
        let totals = ["gross_cost", "tax", "credits", "refunds", "net_cost"];
        let names: Vec<String> = totals.iter().map(|x| format!("({})", self.s(x))).collect();
        let mut amount = String::from("CASE n.name");
        for name in totals {
            amount.push_str(&format!(" WHEN {} THEN t.{name}", self.s(name)));
        }
        amount.push_str(" END");
        format!(
            "SELECT 'total' AS section, t.payer_account, t.billing_month, p.plan, n.name,\n    \
             {t} AS offer_id, {t} AS region, {t} AS usage_account, {t} AS product_code, {t} AS usage_type,\n    \
             {t} AS operation, {t} AS resource_id, {t} AS line_item_type,\n    \
             {n} AS quantity, {amount} AS amount, {n} AS free_limit, {n} AS free_on_bill, {n} AS charged_quantity\n  \
             FROM totals t JOIN plans p ON t.payer_account = p.payer_account\n  \
             CROSS JOIN (VALUES {}) AS n(name)\n  \
             UNION ALL\n  \
             SELECT 'offer', o.payer_account, o.billing_month, o.plan, {t}, o.offer_id, o.region,\n    \
             {t}, {t}, {t}, {t}, {t}, {t},\n    \
             o.free_on_bill + o.charged_quantity, o.charged_cost, o.free_limit, o.free_on_bill, o.charged_quantity\n  \
             FROM pools o LEFT JOIN twelve_months w ON o.payer_account = w.payer_account\n  \
             WHERE NOT (coalesce(w.expired, FALSE) AND o.kind = '12-month')\n  \
             UNION ALL\n  \
             SELECT 'charge', g.payer_account, g.billing_month, p.plan, {t}, {t},\n    \
             CASE WHEN g.usage_type = '' THEN '' ELSE m.region END,\n    \
             g.usage_account, g.product_code, g.usage_type, g.operation, g.resource_id, g.line_item_type,\n    \
             g.quantity, g.cost, {n}, {n}, {n}\n  \
             FROM groups g\n  \
             JOIN plans p ON g.payer_account = p.payer_account\n  \
             JOIN meters m ON g.product_code = m.product_code AND g.usage_type = m.usage_type AND g.operation = m.operation\n  \
             WHERE NOT g.is_free AND g.cost <> 0",
            names.join(", ")
        )
    }
}

/// Non-credit rows grouped as the ledger groups them (`GroupKey`).
const GROUPS: &str = "SELECT payer_account, billing_month, usage_account, product_code, usage_type, operation,\n    \
    resource_id, line_item_type, is_free, sum(usage_amount) AS quantity, sum(cost) AS cost\n  \
    FROM month_items WHERE NOT is_credit\n  \
    GROUP BY payer_account, billing_month, usage_account, product_code, usage_type, operation,\n    \
    resource_id, line_item_type, is_free";

/// Usage per offer pool: what the bill gave free and what it charged.
const POOLS: &str =
    "SELECT payer_account, billing_month, plan, offer_id, kind, region, free_limit,\n    \
    sum(CASE WHEN is_free THEN quantity ELSE 0 END) AS free_on_bill,\n    \
    sum(CASE WHEN is_free THEN 0 ELSE quantity END) AS charged_quantity,\n    \
    sum(CASE WHEN is_free THEN 0 ELSE cost END) AS charged_cost\n  \
    FROM pool_rows\n  \
    GROUP BY payer_account, billing_month, plan, offer_id, kind, region, free_limit";

/// Legacy accounts without a creation date: the 12 months have ended when a
/// 12-month offer's usage was charged and none of it was free.
const TWELVE_MONTHS: &str = "SELECT payer_account,\n    \
    max(CASE WHEN kind = '12-month' AND free_on_bill > 0 THEN 1 ELSE 0 END) = 0\n    \
    AND max(CASE WHEN kind = '12-month' AND charged_quantity > 0 THEN 1 ELSE 0 END) = 1\n    \
    AND max(plan) = 'legacy' AS expired\n  \
    FROM pools GROUP BY payer_account";

const TOTALS: &str = "SELECT payer_account, billing_month,\n    \
    sum(CASE WHEN NOT is_credit AND line_item_type <> 'Tax' THEN cost ELSE 0 END) AS gross_cost,\n    \
    sum(CASE WHEN line_item_type = 'Tax' THEN cost ELSE 0 END) AS tax,\n    \
    sum(CASE WHEN line_item_type IN ('Credit', 'Discount') THEN cost ELSE 0 END) AS credits,\n    \
    sum(CASE WHEN line_item_type = 'Refund' THEN cost ELSE 0 END) AS refunds,\n    \
    sum(cost) AS net_cost\n  \
    FROM month_items GROUP BY payer_account, billing_month";

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(dialect: Dialect, format: ExportFormat, source: Source) -> Result<String, SqlError> {
        let options = Options {
            dialect,
            format,
            source,
            month: Some("2025-11".parse().unwrap()),
            plan: None,
        };
        generate(&Catalog::embedded(), &options)
    }

    #[test]
    fn every_offer_of_the_catalogue_is_in_the_sql() {
        let catalog = Catalog::embedded();
        let text = sql(
            Dialect::Athena,
            ExportFormat::Cur2,
            Source::Table("cur.data".into()),
        )
        .unwrap();
        assert!(text.contains(&catalog.version));
        for offer in &catalog.offers {
            assert!(text.contains(&format!("('{}', ", offer.id)), "{}", offer.id);
        }
        assert!(text.contains("FROM \"cur\".\"data\""));
        assert!(text.contains("element_at(\"product\", 'region')"));
    }

    #[test]
    fn statements_end_at_line_ends_only() {
        let text = sql(
            Dialect::Spark,
            ExportFormat::Cur,
            Source::Path("/data/cur.csv.gz".into()),
        )
        .unwrap();
        let statements = text.matches(";\n").count();
        assert_eq!(statements, 3, "SET, CREATE VIEW, the query");
        assert!(text.contains("`lineItem/UsageType`"));
    }

    #[test]
    fn athena_refuses_files() {
        assert_eq!(
            sql(
                Dialect::Athena,
                ExportFormat::Cur,
                Source::Path("x.parquet".into())
            ),
            Err(SqlError::AthenaNeedsTable {
                path: "x.parquet".into()
            })
        );
    }
}
