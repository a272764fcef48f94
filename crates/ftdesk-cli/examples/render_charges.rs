//! Times rendering a report of many charges, apart from reading the data.
//!
//! ```text
//! cargo run --release -p ftdesk-cli --example render_charges [CHARGES] [ROUNDS]
//! ```
//!
//! Writes a large Organization-shaped sample (`ftdesk sample --rows`) to a
//! temporary folder, checks it, repeats its charges to exactly CHARGES
//! (default 50,000) with distinct resource ids, then renders the report in
//! every format and both languages ROUNDS times (default 3), each time into
//! a buffered sink, and prints the median time of each. `--all` is on for
//! the human layouts, so they write every charge too.

use std::io::Write;
use std::time::{Duration, Instant};

use ftdesk_core::report::Report;
use ftdesk_core::Catalog;
use ftdesk_render::{Format, Lang, Options};
use ftdesk_sample::{LargeSpec, OutputFormat};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let charges: usize = args.next().map_or(Ok(50_000), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(3), |a| a.parse())?;
    let report = report_with(charges)?;
    println!(
        "{} charges, median of {rounds} rounds",
        report.charges.len()
    );
    for format in [Format::Json, Format::Text, Format::Markdown, Format::Html] {
        for lang in [Lang::En, Lang::Ko] {
            let median = median_of(rounds, || render(&report, format, lang))?;
            println!("{format:?} {}: {:.3} s", lang.code(), median.as_secs_f64());
        }
    }
    Ok(())
}

/// The report of a large sample, its charges repeated to exactly `charges`.
fn report_with(charges: usize) -> anyhow::Result<Report> {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir()?;
    let spec = LargeSpec {
        rows: 400_000,
        seed: 42,
        month: "2025-11".parse()?,
    };
    let (path, _) = ftdesk_sample::write_large_file(
        &catalog,
        spec,
        OutputFormat::Cur2Parquet,
        false,
        dir.path(),
        &mut |_| {},
    )?;
    let request = ftdesk_app::CheckRequest {
        paths: vec![path],
        ..Default::default()
    };
    let settings = ftdesk_app::Settings::from_pairs(&[]);
    let mut report = ftdesk_app::check(&catalog, &request, &settings)?.report;
    anyhow::ensure!(!report.charges.is_empty(), "the sample has no charges");
    let base = std::mem::take(&mut report.charges);
    report.charges = (0..charges)
        .map(|i| {
            let mut c = base[i % base.len()].clone();
            if i >= base.len() {
                c.resource_id = format!("{}-{}", c.resource_id, i / base.len());
            }
            c
        })
        .collect();
    Ok(report)
}

fn render(report: &Report, format: Format, lang: Lang) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::sink());
    let options = Options {
        color: false,
        all: true,
    };
    ftdesk_render::render_to(&mut out, report, format, lang, options)?;
    out.flush()?;
    Ok(started.elapsed())
}

fn median_of(
    rounds: usize,
    mut run: impl FnMut() -> anyhow::Result<Duration>,
) -> anyhow::Result<Duration> {
    let mut times = (0..rounds.max(1))
        .map(|_| run())
        .collect::<anyhow::Result<Vec<_>>>()?;
    times.sort();
    Ok(times[times.len() / 2])
}
