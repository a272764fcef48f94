//! What differs between the engines: quoting, literals and a few functions.

use std::fmt;

/// The SQL engines the accounting is generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB, reading the export files directly.
    DuckDb,
    /// Spark SQL (Spark 3.3 or later; tested with PySpark 4 in local mode).
    Spark,
    /// Amazon Athena (Trino / Presto SQL) over the CUR table in the Glue catalogue.
    Athena,
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::DuckDb => "duckdb",
            Self::Spark => "spark",
            Self::Athena => "athena",
        })
    }
}

/// Every exact number is carried at this type: sums stay exact, as the native
/// engine's decimals are (18 places hold every digit AWS writes).
pub(crate) const DECIMAL: &str = "DECIMAL(38, 18)";

impl Dialect {
    /// A quoted identifier (column or table name part).
    pub(crate) fn ident(self, name: &str) -> String {
        match self {
            Self::Spark => format!("`{}`", name.replace('`', "``")),
            Self::DuckDb | Self::Athena => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A string literal. Spark SQL reads backslash escapes inside literals and
    /// takes `''` as two adjacent literals, so it gets backslash escaping.
    pub(crate) fn string(self, text: &str) -> String {
        match self {
            Self::Spark => {
                let escaped = text.replace('\\', "\\\\").replace('\'', "\\'");
                format!("'{escaped}'")
            }
            Self::DuckDb | Self::Athena => format!("'{}'", text.replace('\'', "''")),
        }
    }

    pub(crate) fn text_type(self) -> &'static str {
        match self {
            Self::Spark => "STRING",
            Self::DuckDb | Self::Athena => "VARCHAR",
        }
    }

    /// Any value as text (`NULL` stays `NULL`).
    pub(crate) fn as_text(self, expr: &str) -> String {
        format!("CAST({expr} AS {})", self.text_type())
    }

    /// A decimal literal at the common decimal type.
    pub(crate) fn decimal(self, value: &str) -> String {
        format!("CAST({} AS {DECIMAL})", self.string(value))
    }

    /// Whether `haystack` contains `needle` (case-sensitive).
    pub(crate) fn contains(self, haystack: &str, needle: &str) -> String {
        match self {
            Self::Spark => format!("instr({haystack}, {needle}) > 0"),
            Self::DuckDb | Self::Athena => format!("strpos({haystack}, {needle}) > 0"),
        }
    }

    /// Whether the whole of `text` matches the regular expression `pattern`
    /// (a literal already anchored with `^…$`).
    pub(crate) fn regex_match(self, text: &str, pattern: &str) -> String {
        match self {
            Self::DuckDb => format!("regexp_matches({text}, {pattern})"),
            Self::Spark => format!("{text} RLIKE {pattern}"),
            Self::Athena => format!("regexp_like({text}, {pattern})"),
        }
    }

    /// The value under `key` of a map column, `NULL` when the key is absent.
    pub(crate) fn map_value(self, map: &str, key: &str) -> String {
        let key = self.string(key);
        match self {
            Self::DuckDb => format!("map_extract_value({map}, {key})"),
            Self::Spark => format!("{map}[{key}]"),
            Self::Athena => format!("element_at({map}, {key})"),
        }
    }

    /// The value under `key` of a JSON object held as text (CUR 2.0 CSV maps).
    pub(crate) fn json_value(self, json: &str, key: &str) -> String {
        let path = self.string(&format!("$.{key}"));
        match self {
            Self::DuckDb => format!("json_extract_string({json}, {path})"),
            Self::Spark => format!("get_json_object({json}, {path})"),
            Self::Athena => format!("json_extract_scalar({json}, {path})"),
        }
    }

    /// Hours in the month of a `YYYY-MM` text (UTC: every day has 24).
    pub(crate) fn hours_in_month(self, month: &str) -> String {
        let first = format!("CAST(concat({month}, '-01') AS DATE)");
        match self {
            Self::DuckDb | Self::Spark => format!("24 * day(last_day({first}))"),
            Self::Athena => format!("24 * day_of_month(last_day_of_month({first}))"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_identifiers_are_escaped_per_engine() {
        assert_eq!(Dialect::DuckDb.string("it's"), "'it''s'");
        assert_eq!(Dialect::Athena.string("it's"), "'it''s'");
        assert_eq!(Dialect::Spark.string("it's a \\"), r"'it\'s a \\'");
        assert_eq!(
            Dialect::Spark.ident("lineItem/UsageType"),
            "`lineItem/UsageType`"
        );
        assert_eq!(Dialect::DuckDb.ident("a\"b"), "\"a\"\"b\"");
    }
}
