//! Readers for AWS billing exports.
//!
//! [`read_path`] streams a legacy Cost and Usage Report CSV (`.csv` or
//! `.csv.gz`, slash-style `lineItem/UsageType` or Athena snake_case
//! `line_item_usage_type` headers), or every such file under a folder, into a
//! sink one [`LineItem`] at a time. Memory stays flat whatever the file size:
//! one record buffer is reused and no row is kept. Every failure is a
//! [`ReadError`] whose message names the file, row, line, column and value.
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
mod cur_csv;
mod error;
mod guard;
mod source;

use std::fs;
use std::path::{Path, PathBuf};

use ftdesk_core::{LineItem, PushError};

pub use columns::ColumnStyle;
pub use cur_csv::{MAX_FIELD_BYTES, MAX_ROW_BYTES};
pub use error::{ReadError, RowAt, Shown};

/// Receives each row; an error stops the read and is reported at that row.
pub type Sink<'s> = dyn FnMut(&LineItem<'_>) -> Result<(), PushError> + 's;

/// What [`read_path`] read, one entry per file in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSummary {
    pub files: Vec<FileSummary>,
}

impl ReadSummary {
    /// Data rows over all files.
    pub fn rows(&self) -> u64 {
        self.files.iter().map(|f| f.rows).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    pub path: PathBuf,
    /// Data rows (the header not counted); 0 for a header-only file.
    pub rows: u64,
    pub style: ColumnStyle,
    /// Whether the file was gzip-compressed (detected by its magic bytes).
    pub compressed: bool,
}

/// Reads one billing file, or every `*.csv` and `*.csv.gz` file under a
/// folder (recursively, in sorted order, skipping hidden entries), handing
/// each row to `sink`.
pub fn read_path(path: &Path, sink: &mut Sink<'_>) -> Result<ReadSummary, ReadError> {
    let files = billing_files(path)?;
    let mut summary = ReadSummary {
        files: Vec::with_capacity(files.len()),
    };
    for file in &files {
        let read = cur_csv::read_file(file, sink)?;
        tracing::debug!(
            path = %read.path.display(),
            rows = read.rows,
            style = ?read.style,
            compressed = read.compressed,
            "read billing file"
        );
        summary.files.push(read);
    }
    Ok(summary)
}

/// The files to read: `path` itself, or the billing files found under it.
fn billing_files(path: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let io_error = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    if !fs::metadata(path).map_err(io_error)?.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files = Vec::new();
    collect_billing_files(path, &mut files)?;
    if files.is_empty() {
        return Err(ReadError::NoBillingFiles {
            dir: path.to_owned(),
        });
    }
    files.sort();
    Ok(files)
}

fn collect_billing_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let io_error = |source| ReadError::Io {
        path: dir.to_owned(),
        source,
    };
    for entry in fs::read_dir(dir).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        // file_type() does not follow symlinks, so a link cannot loop the walk.
        let file_type = entry.file_type().map_err(io_error)?;
        if file_type.is_dir() {
            collect_billing_files(&path, files)?;
        } else if is_billing_file_name(&name) && path.is_file() {
            files.push(path);
        }
    }
    Ok(())
}

fn is_billing_file_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".csv") || name.ends_with(".csv.gz")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billing_file_names() {
        assert!(is_billing_file_name("cur-00001.csv.gz"));
        assert!(is_billing_file_name("Nov.CSV"));
        assert!(!is_billing_file_name("cur-Manifest.json"));
        assert!(!is_billing_file_name("cur.csv.zip"));
    }
}
