//! Which export a file is, told by its content: Parquet by its magic bytes,
//! CSV by its header names, never by the file name.

use std::fmt;

use crate::columns::{detect_style, ColumnStyle};
use crate::cur::CurMapper;
use crate::focus::FocusMapper;
use crate::mapper::RowMapper;

/// The detected kind of a billing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Legacy CUR CSV with `lineItem/UsageType` names.
    LegacyCsv,
    /// Legacy CUR with Athena snake_case names (`line_item_usage_type`).
    AthenaCsv,
    /// CUR 2.0 (Data Exports) CSV: snake_case plus `bill_payer_account_name` or map columns.
    Cur2Csv,
    /// FOCUS 1.x CSV (`BilledCost`, `ChargeCategory`, …).
    FocusCsv,
    /// Legacy CUR delivered as Parquet (Athena integration), snake_case names.
    AthenaParquet,
    Cur2Parquet,
    FocusParquet,
}

impl Format {
    pub fn is_parquet(self) -> bool {
        matches!(
            self,
            Self::AthenaParquet | Self::Cur2Parquet | Self::FocusParquet
        )
    }

    pub fn style(self) -> ColumnStyle {
        match self {
            Self::LegacyCsv => ColumnStyle::Slash,
            Self::FocusCsv | Self::FocusParquet => ColumnStyle::Pascal,
            _ => ColumnStyle::Snake,
        }
    }

    /// The source a report names for figures read from this format.
    pub fn data_source(self) -> ftdesk_core::DataSource {
        match self {
            Self::LegacyCsv | Self::AthenaCsv | Self::AthenaParquet => ftdesk_core::DataSource::Cur,
            Self::Cur2Csv | Self::Cur2Parquet | Self::FocusCsv | Self::FocusParquet => {
                ftdesk_core::DataSource::DataExport
            }
        }
    }

    pub(crate) fn mapper(self) -> Box<dyn RowMapper> {
        match self {
            Self::FocusCsv | Self::FocusParquet => Box::new(FocusMapper::new()),
            other => Box::new(CurMapper::new(other.style())),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::LegacyCsv => "legacy Cost and Usage Report CSV",
            Self::AthenaCsv => "legacy Cost and Usage Report CSV with Athena column names",
            Self::Cur2Csv => "CUR 2.0 CSV",
            Self::FocusCsv => "FOCUS CSV",
            Self::AthenaParquet => "legacy Cost and Usage Report Parquet",
            Self::Cur2Parquet => "CUR 2.0 Parquet",
            Self::FocusParquet => "FOCUS Parquet",
        })
    }
}

/// The export family a header (CSV) or schema (Parquet) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Legacy(ColumnStyle),
    Cur2,
    Focus,
}

pub(crate) fn family(names: &[&str]) -> Option<Family> {
    let has = |name: &str| names.contains(&name);
    if has("BilledCost") || has("ChargeCategory") {
        return Some(Family::Focus);
    }
    match detect_style(names)? {
        ColumnStyle::Snake
            if has("bill_payer_account_name") || has("product") || has("resource_tags") =>
        {
            Some(Family::Cur2)
        }
        style => Some(Family::Legacy(style)),
    }
}

impl Family {
    pub(crate) fn csv_format(self) -> Format {
        match self {
            Self::Legacy(ColumnStyle::Slash) => Format::LegacyCsv,
            Self::Legacy(_) => Format::AthenaCsv,
            Self::Cur2 => Format::Cur2Csv,
            Self::Focus => Format::FocusCsv,
        }
    }

    pub(crate) fn parquet_format(self) -> Format {
        match self {
            Self::Legacy(_) => Format::AthenaParquet,
            Self::Cur2 => Format::Cur2Parquet,
            Self::Focus => Format::FocusParquet,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_names_legacy_files_a_cur_and_the_others_a_data_export() {
        use ftdesk_core::DataSource::{Cur, DataExport};
        assert_eq!(Format::AthenaParquet.data_source(), Cur);
        assert_eq!(Format::LegacyCsv.data_source(), Cur);
        assert_eq!(Format::Cur2Csv.data_source(), DataExport);
        assert_eq!(Format::FocusParquet.data_source(), DataExport);
    }

    #[test]
    fn families_by_header() {
        assert_eq!(
            family(&["identity/LineItemId", "lineItem/UsageType"]),
            Some(Family::Legacy(ColumnStyle::Slash))
        );
        assert_eq!(
            family(&["line_item_usage_type", "product_region"]),
            Some(Family::Legacy(ColumnStyle::Snake))
        );
        assert_eq!(
            family(&["bill_payer_account_name", "line_item_usage_type"]),
            Some(Family::Cur2)
        );
        assert_eq!(
            family(&["line_item_usage_type", "product"]),
            Some(Family::Cur2)
        );
        assert_eq!(family(&["Id", "BilledCost"]), Some(Family::Focus));
        assert_eq!(family(&["a", "b"]), None);
    }
}
