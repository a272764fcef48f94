//! Shared helpers: where the samples and the corpus are, and a sink that
//! totals what it is given.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ftdesk_core::{LineItem, LineItemType, PushError};
use ftdesk_io::{read_path, ReadError, ReadSummary};
use rust_decimal::Decimal;

/// `<repo root>/../shared/samples`; fails loudly when it is absent so that a
/// missing checkout of the shared folder cannot make the tests pass vacuously.
pub fn samples_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("../shared/samples");
    assert!(
        dir.is_dir(),
        "the public billing samples are missing: expected the folder {} \
         (shared/samples beside the repository root)",
        dir.display()
    );
    dir
}

pub fn sample(relative: &str) -> PathBuf {
    let path = samples_dir().join(relative);
    assert!(path.is_file(), "sample file {} is missing", path.display());
    path
}

pub fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

/// What a sink saw.
#[derive(Debug, Default)]
pub struct Totals {
    pub rows: u64,
    pub cost: Decimal,
    pub cost_by_type: BTreeMap<LineItemType, Decimal>,
    pub rows_by_type: BTreeMap<LineItemType, u64>,
    pub currencies: BTreeMap<String, u64>,
}

impl Totals {
    pub fn add(&mut self, item: &LineItem<'_>) {
        self.rows += 1;
        self.cost += item.cost;
        *self.cost_by_type.entry(item.line_item_type).or_default() += item.cost;
        *self.rows_by_type.entry(item.line_item_type).or_default() += 1;
        *self.currencies.entry(item.currency.to_owned()).or_default() += 1;
    }
}

pub fn read_totals(path: &Path) -> Result<(ReadSummary, Totals), ReadError> {
    let mut totals = Totals::default();
    let summary = read_path(path, &mut |item| {
        totals.add(item);
        Ok(())
    })?;
    Ok((summary, totals))
}

pub fn read_error(path: &Path) -> ReadError {
    read_with(path, &mut |_| Ok(())).expect_err("expected the read to fail")
}

pub fn read_with(
    path: &Path,
    sink: &mut dyn FnMut(&LineItem<'_>) -> Result<(), PushError>,
) -> Result<ReadSummary, ReadError> {
    read_path(path, sink)
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Asserts that the error message contains every given part.
pub fn assert_mentions(error: &ReadError, parts: &[&str]) {
    let message = error.to_string();
    for part in parts {
        assert!(
            message.contains(part),
            "message {message:?} should mention {part:?}"
        );
    }
}
