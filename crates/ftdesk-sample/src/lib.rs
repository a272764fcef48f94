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
mod cost_explorer;
mod export;
mod large;
mod mix;
mod row;
mod scenarios;
mod sim;
mod table;

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

pub use cost_explorer::{
    write_cost_explorer_file, write_cost_explorer_json, write_cost_explorer_json_by,
    write_rows_cost_explorer_json, CostExplorerGrouping,
};
pub use export::OutputFormat;
pub use large::{write_large, LargeSpec, LargeSummary};
pub use mix::{generate_mix, write_rows_csv, Ingredient, Mix};

/// Writes `<dir>/large-<rows>-<month>.<ext>` (see [`write_large`]), creating
/// `dir` if needed. Returns the file's path and what it holds. `progress`
/// is told the rows written so far after each chunk of rows.
pub fn write_large_file(
    catalog: &Catalog,
    spec: LargeSpec,
    format: OutputFormat,
    gzip: bool,
    dir: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<(PathBuf, LargeSummary), SampleError> {
    let gzip = gzip && !format.is_parquet();
    fs::create_dir_all(dir).map_err(io_error(dir))?;
    let path = dir.join(format!(
        "large-{}-{}.{}{}",
        spec.rows,
        spec.month,
        format.extension(),
        if gzip { ".gz" } else { "" }
    ));
    let mut write = || -> io::Result<LargeSummary> {
        let file = io::BufWriter::with_capacity(1 << 20, File::create(&path)?);
        if gzip {
            let mut encoder = GzEncoder::new(file, Compression::default());
            let summary = write_large(catalog, spec, format, &mut encoder, progress)?;
            encoder.finish()?.flush()?;
            Ok(summary)
        } else {
            let mut file = file;
            let summary = write_large(catalog, spec, format, &mut file, progress)?;
            file.flush()?;
            Ok(summary)
        }
    };
    let summary = write().map_err(io_error(&path))?;
    Ok((path, summary))
}
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

/// How `write_scenario_as` lays the data out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One file, `<dir>/<name>-<YYYY-MM>.<ext>`.
    File,
    /// The folder AWS delivers to S3, with a manifest and two snapshots of
    /// the month: an older partial one and the newest complete one (the one
    /// the manifest names). Data Exports layout for CUR 2.0 and FOCUS, the
    /// `yyyymmdd-yyyymmdd/<assemblyId>/` layout for the legacy CUR.
    Export,
}

/// What `write_scenario_as` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    pub format: OutputFormat,
    /// Gzip CSV output (Parquet compresses inside with snappy).
    pub gzip: bool,
    pub layout: Layout,
}

/// The snapshot the manifest names: complete, but first by name, so a
/// reader that ignored the manifest would pick the wrong one.
pub const COMPLETE_SNAPSHOT: &str = "2b8e4f10-9c3a-4d7e-8f21-5e6d7c8b9a02";
/// An older delivery holding only the first half of the month.
pub const PARTIAL_SNAPSHOT: &str = "f3c9a0e1-6b7d-4c2a-9e55-0a1b2c3d4e01";
/// The bucket the manifests' `s3://` URIs name.
pub const SAMPLE_BUCKET: &str = "ftdesk-sample-bucket";

/// Generates the scenario and writes it in any format and layout, creating
/// `dir` if needed. Returns the file written (layout `File`) or the export's
/// root folder (layout `Export`).
pub fn write_scenario_as(
    scenario: &Scenario,
    catalog: &Catalog,
    dir: &Path,
    options: WriteOptions,
) -> Result<PathBuf, SampleError> {
    let generated = scenario.generate(catalog);
    match options.layout {
        Layout::File => {
            let name = format!(
                "{}-{}.{}",
                scenario.name,
                generated.month,
                file_extension(options)
            );
            let path = dir.join(name);
            write_data_file(&generated.rows, options, &path)?;
            Ok(path)
        }
        Layout::Export => write_export(scenario.name, &generated, options, dir),
    }
}

fn file_extension(options: WriteOptions) -> String {
    let gzip = options.gzip && !options.format.is_parquet();
    format!(
        "{}{}",
        options.format.extension(),
        if gzip { ".gz" } else { "" }
    )
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> SampleError {
    let path = path.to_path_buf();
    move |source| SampleError::Io { path, source }
}

fn write_data_file(rows: &[CurRow], options: WriteOptions, path: &Path) -> Result<(), SampleError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    let write = || -> io::Result<()> {
        let file = io::BufWriter::new(File::create(path)?);
        if options.gzip && !options.format.is_parquet() {
            let mut encoder = GzEncoder::new(file, Compression::default());
            export::write_rows(rows, options.format, &mut encoder)?;
            encoder.finish()?.flush()
        } else {
            let mut file = file;
            export::write_rows(rows, options.format, &mut file)?;
            file.flush()
        }
    };
    write().map_err(io_error(path))
}

fn write_export(
    name: &str,
    generated: &Generated,
    options: WriteOptions,
    dir: &Path,
) -> Result<PathBuf, SampleError> {
    let root = dir.join(name);
    let month = generated.month;
    let legacy = options.format == OutputFormat::CurCsv;
    let period = if legacy {
        format!("{}-{}", compact(month.start()), compact(month.end()))
    } else {
        format!("BILLING_PERIOD={month}")
    };
    let data = if legacy {
        period.clone()
    } else {
        format!("data/{period}")
    };
    let file = format!("{name}-00001.{}", file_extension(options));
    let half = month.start().plus_seconds(15 * 86_400);
    let partial: Vec<CurRow> = generated
        .rows
        .iter()
        .filter(|r| r.usage_start < half)
        .cloned()
        .collect();
    for (snapshot, rows) in [
        (PARTIAL_SNAPSHOT, &partial[..]),
        (COMPLETE_SNAPSHOT, &generated.rows[..]),
    ] {
        write_data_file(rows, options, &root.join(&data).join(snapshot).join(&file))?;
    }
    let key = format!("exports/{name}/{data}/{COMPLETE_SNAPSHOT}/{file}");
    let (manifest_dir, manifest) = if legacy {
        (root.join(&period), legacy_manifest(name, month, &key))
    } else {
        (
            root.join("metadata").join(&period),
            export_manifest(name, month, &key, options.format),
        )
    };
    let path = manifest_dir.join(format!("{name}-Manifest.json"));
    fs::create_dir_all(&manifest_dir).map_err(io_error(&manifest_dir))?;
    fs::write(&path, manifest.to_string()).map_err(io_error(&path))?;
    Ok(root)
}

/// `20251001`, the form of legacy report folder names.
fn compact(t: ftdesk_core::time::Timestamp) -> String {
    let d = t.date();
    format!("{:04}{:02}{:02}", d.year, d.month, d.day)
}

fn export_manifest(name: &str, month: Month, key: &str, format: OutputFormat) -> serde_json::Value {
    let table = match format {
        OutputFormat::FocusCsv | OutputFormat::FocusParquet => "FOCUS_1_0_AWS",
        _ => "COST_AND_USAGE_REPORT",
    };
    serde_json::json!({
        "executionId": COMPLETE_SNAPSHOT,
        "exportArn": format!("arn:aws:bcm-data-exports:us-east-1:111122223333:export/{name}"),
        "exportName": name,
        "query": format!("SELECT … FROM {table}"),
        "billingPeriod": {"start": month.start().to_string(), "end": month.end().to_string()},
        "dataFiles": [format!("s3://{SAMPLE_BUCKET}/{key}")],
    })
}

fn legacy_manifest(name: &str, month: Month, key: &str) -> serde_json::Value {
    serde_json::json!({
        "assemblyId": COMPLETE_SNAPSHOT,
        "reportName": name,
        "bucket": SAMPLE_BUCKET,
        "billingPeriod": {"start": format!("{}T000000.000Z", compact(month.start())), "end": format!("{}T000000.000Z", compact(month.end()))},
        "reportKeys": [key],
    })
}
