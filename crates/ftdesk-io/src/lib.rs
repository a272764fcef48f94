//! Readers for AWS billing exports.
//!
//! [`read_store`] reads every billing object under a prefix of a [`Store`]
//! (a folder on disk with [`LocalStore`], or an S3 prefix), and [`read_path`]
//! does the same for a file or folder path. Each object's format is told by
//! its content: Parquet by its `PAR1` magic bytes, CSV (plain or gzip) by its
//! header: legacy Cost and Usage Report (`lineItem/UsageType` or Athena
//! `line_item_usage_type`), CUR 2.0 (Data Exports) and FOCUS 1.x. Rows are
//! streamed into a sink one [`LineItem`] at a time; memory stays flat. Report
//! folders holding several snapshots of a billing period are read once per
//! period (see [`PeriodSnapshot`]). Every failure is a [`ReadError`] whose
//! message names the file or object and, where it applies, the row, column,
//! value and what was expected.
//!
//! ```no_run
//! use std::path::Path;
//! let mut rows = 0;
//! let summary = ftdesk_io::read_path(Path::new("cur/"), &mut |_item| {
//!     rows += 1;
//!     Ok(())
//! })?;
//! assert_eq!(summary.rows(), rows);
//! # Ok::<(), ftdesk_io::ReadError>(())
//! ```

mod columns;
pub mod cost_explorer;
mod csv_reader;
mod cur;
mod error;
mod focus;
mod format;
mod guard;
mod layout;
mod mapper;
mod parquet_pages;
mod parquet_reader;
pub mod pasted;
mod readahead;
mod source;
mod store;
mod watch;

use std::fs;
use std::path::{Path, PathBuf};

use ftdesk_core::{Catalog, Ledger, LineItem, PushError};

pub use columns::ColumnStyle;
pub use csv_reader::{MAX_FIELD_BYTES, MAX_ROW_BYTES};
pub use error::{ReadError, RowAt, Shown};
pub use format::Format;
pub use layout::{PeriodSnapshot, Plan};
pub use store::{LocalStore, ObjectMeta, Store, StoreError};
pub use watch::{Watch, Watched};

/// Caps on what one file may hold once read, so that a file from outside
/// (a mail attachment, an upload) cannot take unbounded memory or time.
/// `None` is no cap (a user's own files: `check`, `guard`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadLimits {
    /// Bytes a compressed file may inflate to: a gzip CSV, or the pages of a
    /// Parquet file's columns that are read (checked before any is decompressed).
    pub max_inflated_bytes: Option<u64>,
    /// Rows a file may hold: a CSV's data rows, read or skipped; the rows a
    /// Parquet footer declares.
    pub max_rows: Option<u64>,
}

/// Receives each row; an error stops the read and is reported at that row.
pub type Sink<'s> = dyn FnMut(&LineItem<'_>) -> Result<(), PushError> + 's;

/// Receives rows on several threads: the first run of a file's rows goes
/// into the caller's part, later runs each into a new part, merged into the
/// caller's in row order. [`Ledgers`] is one.
pub trait PartSink: Sync {
    type Part: Send;
    /// A new, empty part.
    fn part(&self) -> Self::Part;
    /// Adds one row to a part; an error stops the read at that row.
    fn push(&self, part: &mut Self::Part, item: &LineItem<'_>) -> Result<(), PushError>;
    /// Adds a part holding the rows that follow `into`'s.
    fn merge(&self, into: &mut Self::Part, part: Self::Part) -> Result<(), PushError>;
}

/// A [`Ledger`] per run, absorbed in row order: the report is the one a
/// single ledger fed every row would give.
pub struct Ledgers<'c> {
    pub catalog: &'c Catalog,
    /// The account filter of every ledger ([`Ledger::with_account_filter`]).
    pub account: Option<String>,
}

impl<'c> PartSink for Ledgers<'c> {
    type Part = Ledger<'c>;

    fn part(&self) -> Ledger<'c> {
        Ledger::new(self.catalog).with_account_filter(self.account.clone())
    }

    fn push(&self, part: &mut Ledger<'c>, item: &LineItem<'_>) -> Result<(), PushError> {
        part.push(item)
    }

    fn merge(&self, into: &mut Ledger<'c>, part: Ledger<'c>) -> Result<(), PushError> {
        into.absorb(part)
    }
}

/// What a read read: one entry per file in reading order, and per billing
/// period of a report folder the snapshot chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSummary {
    pub files: Vec<FileSummary>,
    pub periods: Vec<PeriodSnapshot>,
}

impl ReadSummary {
    /// Data rows handed to the sink over all files.
    pub fn rows(&self) -> u64 {
        self.files.iter().map(|f| f.rows).sum()
    }

    /// Rows skipped because they belong to another provider (FOCUS files).
    pub fn skipped_rows(&self) -> u64 {
        self.files.iter().map(|f| f.skipped_rows).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    /// The file, or the object as its store describes it (`s3://b/k`).
    pub path: PathBuf,
    /// Data rows handed to the sink (the header not counted); 0 for a header-only file.
    pub rows: u64,
    pub style: ColumnStyle,
    /// Whether the file was gzip-compressed (detected by its magic bytes).
    pub compressed: bool,
    /// The export format, detected from the content.
    pub format: Format,
    /// Rows of other providers (Microsoft, Oracle… in a FOCUS file): counted, not read.
    pub skipped_rows: u64,
}

/// Reads one billing file, or every billing file (`*.csv`, `*.csv.gz`,
/// `*.parquet`) under a folder, recursively, in sorted order, skipping hidden
/// entries and older snapshots of a billing period.
pub fn read_path(path: &Path, sink: &mut Sink<'_>) -> Result<ReadSummary, ReadError> {
    read_path_within(path, ReadLimits::default(), sink)
}

/// [`read_path`] refusing any file over `limits`.
pub fn read_path_within(
    path: &Path,
    limits: ReadLimits,
    sink: &mut Sink<'_>,
) -> Result<ReadSummary, ReadError> {
    visit_path(path, &mut |store, key| {
        read_object_within(store, key, limits, sink)
    })
}

/// [`read_path`] on up to `threads` threads into `into`: a Parquet file's
/// row groups are read in runs, each on its own thread (see [`PartSink`]).
/// CSV files are read on one.
pub fn read_path_parts<P: PartSink>(
    path: &Path,
    threads: usize,
    sink: &P,
    into: &mut P::Part,
) -> Result<ReadSummary, ReadError> {
    visit_path(path, &mut |store, key| {
        read_object_parts(store, key, threads, sink, into)
    })
}

/// [`read_path_parts`] telling `watch` each object and the bytes read.
pub fn read_path_parts_watched<P: PartSink>(
    path: &Path,
    threads: usize,
    sink: &P,
    into: &mut P::Part,
    watch: std::sync::Arc<dyn Watch>,
) -> Result<ReadSummary, ReadError> {
    visit_path(path, &mut |store, key| {
        watch.object(&store.describe(key), store.size(key)?);
        let watched = Watched::new(store, watch.clone());
        read_object_parts(&watched, key, threads, sink, into)
    })
}

/// [`read_store_parts`] telling `watch` each object and the bytes read.
pub fn read_store_parts_watched<P: PartSink>(
    store: &dyn Store,
    prefix: &str,
    threads: usize,
    sink: &P,
    into: &mut P::Part,
    watch: std::sync::Arc<dyn Watch>,
) -> Result<ReadSummary, ReadError> {
    visit_store(store, prefix, &mut |store, key| {
        watch.object(&store.describe(key), store.size(key)?);
        let watched = Watched::new(store, watch.clone());
        read_object_parts(&watched, key, threads, sink, into)
    })
}

/// Reads every billing object under `prefix` (see [`read_path`]).
pub fn read_store(
    store: &dyn Store,
    prefix: &str,
    sink: &mut Sink<'_>,
) -> Result<ReadSummary, ReadError> {
    visit_store(store, prefix, &mut |store, key| {
        read_object(store, key, sink)
    })
}

/// [`read_store`] on up to `threads` threads (see [`read_path_parts`]).
pub fn read_store_parts<P: PartSink>(
    store: &dyn Store,
    prefix: &str,
    threads: usize,
    sink: &P,
    into: &mut P::Part,
) -> Result<ReadSummary, ReadError> {
    visit_store(store, prefix, &mut |store, key| {
        read_object_parts(store, key, threads, sink, into)
    })
}

type Visit<'v> = dyn FnMut(&dyn Store, &str) -> Result<FileSummary, ReadError> + 'v;

fn visit_path(path: &Path, visit: &mut Visit<'_>) -> Result<ReadSummary, ReadError> {
    let metadata = fs::metadata(path).map_err(|source| ReadError::Io {
        path: path.to_owned(),
        source,
    })?;
    if metadata.is_dir() {
        let summary = visit_store(&LocalStore::new(path), "", visit);
        return match summary {
            Err(ReadError::NoBillingFiles { .. }) => Err(ReadError::NoBillingFiles {
                dir: path.to_owned(),
            }),
            other => other,
        };
    }
    let (parent, name) = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => (parent, name.to_string_lossy().into_owned()),
        _ => (Path::new(""), path.to_string_lossy().into_owned()),
    };
    let store = LocalStore::new(parent);
    let file = visit(&store, &name)?;
    Ok(ReadSummary {
        files: vec![file],
        periods: Vec::new(),
    })
}

fn visit_store(
    store: &dyn Store,
    prefix: &str,
    visit: &mut Visit<'_>,
) -> Result<ReadSummary, ReadError> {
    let objects = store.list(prefix)?;
    let plan = plan_listing(store, prefix, &objects)?;
    let mut files = Vec::with_capacity(plan.keys.len());
    for key in &plan.keys {
        let file = visit(store, key)?;
        tracing::debug!(
            path = %file.path.display(),
            rows = file.rows,
            skipped = file.skipped_rows,
            format = %file.format,
            compressed = file.compressed,
            "read billing file"
        );
        files.push(file);
    }
    Ok(ReadSummary {
        files,
        periods: plan.periods,
    })
}

/// Which of the listed `objects` under `prefix` a read reads, in reading
/// order, and the snapshot chosen per billing period; reads only manifests.
/// Callers that keep each object's work between runs read the keys one by
/// one with [`read_object`].
pub fn plan_listing(
    store: &dyn Store,
    prefix: &str,
    objects: &[ObjectMeta],
) -> Result<Plan, ReadError> {
    let plan = layout::plan(store, prefix, objects)?;
    if plan.keys.is_empty() {
        return Err(ReadError::NoBillingFiles {
            dir: PathBuf::from(store.describe(prefix)),
        });
    }
    Ok(plan)
}

/// Reads one object, Parquet or CSV by its first bytes.
pub fn read_object(
    store: &dyn Store,
    key: &str,
    sink: &mut Sink<'_>,
) -> Result<FileSummary, ReadError> {
    read_object_within(store, key, ReadLimits::default(), sink)
}

/// [`read_object`] refusing a file over `limits`, with an error that names it.
pub fn read_object_within(
    store: &dyn Store,
    key: &str,
    limits: ReadLimits,
    sink: &mut Sink<'_>,
) -> Result<FileSummary, ReadError> {
    let path = PathBuf::from(store.describe(key));
    let head = store.read_range(key, 0, 4)?;
    if head == parquet_reader::MAGIC {
        return parquet_reader::read(store, key, &path, limits, sink);
    }
    if key.to_ascii_lowercase().ends_with(".parquet") {
        return Err(ReadError::NotParquet {
            path,
            found: Shown::new(&String::from_utf8_lossy(&head)).to_string(),
        });
    }
    let source = source::open(store.open(key)?, &path, limits.max_inflated_bytes)?;
    csv_reader::read(source, &path, limits.max_rows, sink)
}

/// [`read_object`] on up to `threads` threads (see [`read_path_parts`]).
pub fn read_object_parts<P: PartSink>(
    store: &dyn Store,
    key: &str,
    threads: usize,
    sink: &P,
    into: &mut P::Part,
) -> Result<FileSummary, ReadError> {
    let path = PathBuf::from(store.describe(key));
    let head = store.read_range(key, 0, 4)?;
    if head != parquet_reader::MAGIC {
        return read_object(store, key, &mut |item| sink.push(into, item));
    }
    let (file, parts) = parquet_reader::read_parts(store, key, &path, threads, sink, into)?;
    for part in parts {
        sink.merge(into, part).map_err(|reason| ReadError::Merge {
            path: path.clone(),
            reason,
        })?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billing_file_names() {
        assert!(layout::is_billing_name("cur-00001.csv.gz"));
        assert!(layout::is_billing_name("Nov.CSV"));
        assert!(layout::is_billing_name("x/cur-00001.snappy.parquet"));
        assert!(!layout::is_billing_name("cur-Manifest.json"));
        assert!(!layout::is_billing_name("cur.csv.zip"));
    }
}
