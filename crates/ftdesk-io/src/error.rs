//! The one error type of the readers. Every message names the file and,
//! where it applies, the row, line, column, the bad value and what was
//! expected, so a user can open the file and fix it.

use std::fmt;
use std::io;
use std::path::PathBuf;

use ftdesk_core::PushError;
use thiserror::Error;

use crate::columns::ColumnStyle;
use crate::format::Format;
use crate::store::StoreError;

/// Longest value quoted back in a message, in characters.
const MAX_SHOWN_CHARS: usize = 80;

/// The codecs the workspace's `parquet` features decompress, for messages;
/// a test in `parquet_reader` checks the crate agrees.
pub(crate) const READABLE_CODECS: &str = "UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4, LZ4_RAW or BROTLI";

/// Where a row sits: its 1-based number among the data rows, and the 1-based
/// line of the file on which it starts (the header is line 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowAt {
    pub row: u64,
    pub line: u64,
}

impl fmt::Display for RowAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {} (line {})", self.row, self.line)
    }
}

/// A field value as quoted in a message: truncated, with its full length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown(pub String);

impl Shown {
    pub fn new(value: &str) -> Self {
        let mut chars = value.chars();
        let head: String = chars.by_ref().take(MAX_SHOWN_CHARS).collect();
        if chars.next().is_some() {
            Shown(format!("{head}… ({} bytes)", value.len()))
        } else {
            Shown(head)
        }
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

#[derive(Debug, Error)]
pub enum ReadError {
    #[error("{}: cannot read the file: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },

    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("{}: no billing files (*.csv, *.csv.gz or *.parquet) in this folder or its subfolders", .dir.display())]
    NoBillingFiles { dir: PathBuf },

    #[error("{}: the file is empty (0 bytes of data); expected a Cost and Usage Report CSV", .path.display())]
    Empty { path: PathBuf },

    #[error("{}: found {found}; expected a Cost and Usage Report CSV (.csv or .csv.gz)", .path.display())]
    NotBilling { path: PathBuf, found: String },

    #[error("{}: gzip data is truncated or corrupt ({detail}); download the file again", .path.display())]
    CorruptGzip { path: PathBuf, detail: String },

    #[error("{}: inflates to more than {limit} bytes, the limit for one file; expected a smaller export (or raise the limit)", .path.display())]
    InflatesTooMuch { path: PathBuf, limit: u64 },

    #[error("{}: {at}: more than {limit} rows, the limit for one file; expected a smaller export (or raise the limit)", .path.display())]
    TooManyRows {
        path: PathBuf,
        at: RowAt,
        limit: u64,
    },

    #[error("{}: the header has no column {column} (detected {style}); a billing export needs it", .path.display())]
    MissingColumn {
        path: PathBuf,
        column: String,
        style: ColumnStyle,
    },

    #[error("{}: {at}, column {column}: {value} is not a number; expected a decimal such as 0.0116 or 2.1E-4", .path.display())]
    BadNumber {
        path: PathBuf,
        at: RowAt,
        column: String,
        value: Shown,
    },

    #[error("{}: {at}, column {column}: the value is empty; expected a decimal such as 0.0116 or 2.1E-4", .path.display())]
    EmptyValue {
        path: PathBuf,
        at: RowAt,
        column: String,
    },

    #[error("{}: {at}, column {column}: {value} is not a date; expected a UTC timestamp such as 2023-11-01T00:00:00Z or 2023-11-01 00:00:00", .path.display())]
    BadDate {
        path: PathBuf,
        at: RowAt,
        column: String,
        value: Shown,
    },

    #[error("{}: {at} has {found} fields; expected {expected} like the header", .path.display())]
    FieldCount {
        path: PathBuf,
        at: RowAt,
        found: usize,
        expected: usize,
    },

    #[error("{}: {at}, column {column}: the value is not valid UTF-8 text; expected a UTF-8 Cost and Usage Report CSV", .path.display())]
    NotUtf8 {
        path: PathBuf,
        at: RowAt,
        column: String,
    },

    #[error("{}: {at}, column {column}: the value is {size} bytes long; expected at most {limit} bytes (is the file damaged?)", .path.display())]
    FieldTooLarge {
        path: PathBuf,
        at: RowAt,
        column: String,
        size: usize,
        limit: usize,
    },

    #[error("{}: {at} is longer than {limit} bytes, expected a row of a few kilobytes (an unclosed quote or a damaged file?)", .path.display())]
    RowTooLarge {
        path: PathBuf,
        at: RowAt,
        limit: usize,
    },

    #[error("{}: {at}: not readable as CSV: {detail}", .path.display())]
    Csv {
        path: PathBuf,
        at: RowAt,
        detail: String,
    },

    #[error("{}: not a Parquet file: it does not start with the Parquet magic bytes PAR1 (found {found})", .path.display())]
    NotParquet { path: PathBuf, found: String },

    #[error(
        "{}: no line of the Bills page found; line {line} (`{found}`) is not one: expected a description, a quantity with its unit and an amount in columns separated by a tab, two or more spaces or ` / `, e.g. `$0.0116 per On Demand Linux t2.micro Instance Hour  738.000 Hrs  $8.56`",
        .path.display()
    )]
    NoPastedLines {
        path: PathBuf,
        line: usize,
        found: String,
    },

    #[error("{}: Cost Explorer output: {at} {problem}", .path.display())]
    CostExplorer {
        path: PathBuf,
        /// Where in the JSON: `ResultsByTime[3].Groups[1].Metrics.UnblendedCost.Amount`.
        at: String,
        problem: String,
    },

    #[error(
        "{}: Cost Explorer output grouped by {grouping} has no usage types, so the free tier cannot be told from what was billed; get it grouped by usage type with:\n  {command}",
        .path.display()
    )]
    CostExplorerNoUsageType {
        path: PathBuf,
        grouping: String,
        command: String,
    },

    #[error(
        "{}: Cost Explorer output overlaps {}: the period from {start} {problem}",
        .path.display(),
        .other.display()
    )]
    CostExplorerOverlap {
        path: PathBuf,
        other: PathBuf,
        start: ftdesk_core::Timestamp,
        problem: String,
    },

    #[error("{}: Parquet data is truncated or corrupt ({detail}); download the file again", .path.display())]
    CorruptParquet { path: PathBuf, detail: String },

    #[error("{}: the Parquet footer declares {rows} rows, more than {limit}, the limit for one file; expected a smaller export (or raise the limit)", .path.display())]
    ParquetTooManyRows {
        path: PathBuf,
        rows: u64,
        limit: u64,
    },

    #[error("{}: row group {row_group}, column {column}: a page decompresses to more than the {declared} bytes its header declares; the file is damaged or made to exhaust memory", .path.display())]
    ParquetPageLies {
        path: PathBuf,
        row_group: usize,
        column: String,
        declared: u64,
    },

    #[error("{}: Parquet column {column} is compressed with {codec}, which ftdesk cannot decompress; expected one of {}", .path.display(), READABLE_CODECS)]
    UnsupportedCodec {
        path: PathBuf,
        column: String,
        codec: String,
    },

    #[error("{}: the Parquet schema has no column {column} (detected {format}); a billing export needs it", .path.display())]
    MissingParquetColumn {
        path: PathBuf,
        column: String,
        format: Format,
    },

    #[error("{}: Parquet column {column} has type {found}; expected {expected}", .path.display())]
    ParquetType {
        path: PathBuf,
        column: String,
        found: String,
        expected: &'static str,
    },

    #[error("{}: row {row}, column {column}: {detail}", .path.display())]
    ParquetValue {
        path: PathBuf,
        row: u64,
        column: String,
        detail: String,
    },

    #[error("{}: {detail}", .manifest)]
    Manifest { manifest: String, detail: String },

    #[error("{manifest}: the manifest names data file {file}, which is not in {listed}")]
    ManifestFileMissing {
        manifest: String,
        file: String,
        listed: String,
    },

    /// The sink refused the row, e.g. its currency differs from earlier rows.
    #[error("{}: {at}, column {column}: {reason}", .path.display())]
    Rejected {
        path: PathBuf,
        at: RowAt,
        column: String,
        /// Not a `source`: the message already says it, and error chains would repeat it.
        reason: PushError,
    },

    /// Parts of one file read apart disagree (a currency that changes
    /// between row groups); the row is not known.
    #[error("{}: {reason}", .path.display())]
    Merge { path: PathBuf, reason: PushError },
}

impl ReadError {
    /// Errors about one row's content, as opposed to the file as a whole.
    pub(crate) fn is_row_error(&self) -> bool {
        matches!(
            self,
            Self::BadNumber { .. }
                | Self::EmptyValue { .. }
                | Self::BadDate { .. }
                | Self::FieldCount { .. }
                | Self::NotUtf8 { .. }
                | Self::FieldTooLarge { .. }
                | Self::RowTooLarge { .. }
                | Self::Csv { .. }
        )
    }
}
