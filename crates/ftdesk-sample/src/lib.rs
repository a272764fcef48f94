//! Synthetic AWS billing data for named free-tier scenarios, each with its
//! known true answer.
//!
//! A scenario describes what an account ran in one month (instances, volumes,
//! NAT gateways, addresses, requests). [`Scenario::generate`] bills it the way
//! AWS does: hour by hour, the eligible usage of every resource draws from the
//! shared monthly free allowance until it runs out, giving zero-rate free rows
//! first and normally priced rows after. Prices come from the ftdesk-core
//! catalogue. The output is legacy Cost and Usage Report data: HOURLY rows with
//! resource ids, the real header, line item types and descriptions.
//!
//! Each scenario carries a [`Truth`] worked out by hand (formulas in the
//! source), so tests can hold the accounting to it.
//!
//! ```
//! use ftdesk_core::Catalog;
//! let catalog = Catalog::embedded();
//! let scenario = ftdesk_sample::find("two-instances").unwrap();
//! let generated = scenario.generate(&catalog);
//! assert_eq!(generated.month.to_string(), "2025-10");
//! assert_eq!(generated.truth.net.to_string(), "8.56");
//! let mut csv = Vec::new();
//! ftdesk_sample::write_csv(&generated, &mut csv).unwrap();
//! assert!(csv.starts_with(b"identity/LineItemId,identity/TimeInterval,"));
//! ```

mod build;
mod row;
mod scenarios;
mod sim;

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;
use ftdesk_core::catalog::{Catalog, Plan};
use ftdesk_core::report::Cause;
use ftdesk_core::time::{Date, Month};
use rust_decimal::Decimal;
use thiserror::Error;

pub use row::{CurRow, HEADER};

/// A named situation a free-tier user gets into.
#[derive(Debug)]
pub struct Scenario {
    /// Short kebab-case name (`two-instances`).
    pub name: &'static str,
    /// One line for `ftdesk sample --list`.
    pub summary: &'static str,
    spec: fn(&Catalog) -> sim::Spec,
    truth: fn() -> Truth,
}

/// The generated bill of a scenario and its answer.
#[derive(Debug, Clone)]
pub struct Generated {
    pub rows: Vec<CurRow>,
    pub truth: Truth,
    pub month: Month,
}

/// What a correct explanation of the scenario's bill says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    pub plan: Plan,
    /// What the user would tell ftdesk; `None` where the tool must infer it.
    pub account_created: Option<Date>,
    /// What the bill adds up to, to the cent.
    pub net: Decimal,
    /// Every charge except tax, before credits, to the cent.
    pub gross: Decimal,
    /// Credits (negative), to the cent.
    pub credits: Decimal,
    pub tax: Decimal,
    /// Cost per cause, to the cent; causes without cost are left out.
    pub by_cause: Vec<(Cause, Decimal)>,
    /// The free-tier offers the usage drew on.
    pub offers: Vec<TruthOffer>,
    /// Every charge, one per usage type and resource.
    pub charges: Vec<TruthCharge>,
}

/// An offer's monthly use: quantities to 3 decimals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthOffer {
    /// Offer id in the catalogue (`ec2-micro-linux`).
    pub id: &'static str,
    pub used: Decimal,
    pub limit: Decimal,
}

/// One charge: what was billed for a usage type of a resource, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthCharge {
    /// As on the bill (`APN2-BoxUsage:t2.micro`); empty for tax.
    pub usage_type: &'static str,
    /// Empty for tax.
    pub resource_id: &'static str,
    pub cause: Cause,
    /// To the cent.
    pub cost: Decimal,
}

#[derive(Debug, Error)]
pub enum SampleError {
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Every scenario, in a stable order.
pub fn scenarios() -> &'static [Scenario] {
    &scenarios::SCENARIOS
}

/// The scenario with this name.
pub fn find(name: &str) -> Option<&'static Scenario> {
    scenarios().iter().find(|s| s.name == name)
}

impl Scenario {
    /// Bills the scenario with the catalogue's prices. Deterministic: the same
    /// catalogue always gives the same rows.
    pub fn generate(&self, catalog: &Catalog) -> Generated {
        let spec = (self.spec)(catalog);
        Generated {
            rows: sim::simulate(&spec, self.name),
            truth: (self.truth)(),
            month: spec.month,
        }
    }

    /// `<name>-<YYYY-MM>.csv`, the file name [`write_scenario`] uses.
    pub fn file_name(&self, month: Month) -> String {
        format!("{}-{month}.csv", self.name)
    }
}

/// Writes the rows as legacy CUR CSV text.
pub fn write_csv(generated: &Generated, out: &mut dyn Write) -> io::Result<()> {
    row::write_rows(&generated.rows, out)
}

/// Generates the scenario and writes `<dir>/<name>-<YYYY-MM>.csv` (or
/// `.csv.gz`), creating `dir` if needed. Returns the file's path.
pub fn write_scenario(
    scenario: &Scenario,
    catalog: &Catalog,
    dir: &Path,
    gzip: bool,
) -> Result<PathBuf, SampleError> {
    let generated = scenario.generate(catalog);
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SampleError::Io { path, source }
    };
    fs::create_dir_all(dir).map_err(io_error(dir))?;
    let mut name = scenario.file_name(generated.month);
    if gzip {
        name.push_str(".gz");
    }
    let path = dir.join(name);
    write_file(&generated, &path, gzip).map_err(io_error(&path))?;
    Ok(path)
}

fn write_file(generated: &Generated, path: &Path, gzip: bool) -> io::Result<()> {
    let file = io::BufWriter::new(File::create(path)?);
    if gzip {
        let mut encoder = GzEncoder::new(file, Compression::default());
        write_csv(generated, &mut encoder)?;
        encoder.finish()?.flush()
    } else {
        let mut file = file;
        write_csv(generated, &mut file)?;
        file.flush()
    }
}
