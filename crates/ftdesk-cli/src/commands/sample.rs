//! `ftdesk sample`: synthetic billing data for named scenarios.

use std::process::ExitCode;

use anyhow::bail;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use ftdesk_core::{Catalog, Context, Ledger};

use crate::args::{LayoutArg, SampleArgs, SampleFormatArg};

pub fn run(args: SampleArgs) -> anyhow::Result<ExitCode> {
    if args.list {
        let width = ftdesk_sample::scenarios()
            .iter()
            .map(|s| s.name.len())
            .max()
            .unwrap_or(0);
        let list: String = ftdesk_sample::scenarios()
            .iter()
            .map(|s| format!("{:width$}  {}\n", s.name, s.summary))
            .collect();
        // Through the writer that treats a closed pipe (`| head`) as done, not a panic.
        crate::output::write(None, &list)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let (Some(rows), Some(out)) = (args.rows, &args.out) {
        return write_large(rows, &args, out);
    }
    let (Some(name), Some(out)) = (args.scenario, args.out) else {
        bail!("--scenario and --out are required unless --list is given");
    };
    let Some(scenario) = ftdesk_sample::find(&name) else {
        let names: Vec<&str> = ftdesk_sample::scenarios().iter().map(|s| s.name).collect();
        bail!(
            "no scenario named `{name}`; expected one of: {}",
            names.join(", ")
        );
    };
    let catalog = Catalog::embedded();
    if let SampleFormatArg::CeJson = args.format {
        let path = write_cost_explorer_json(scenario, &catalog, &out)?;
        eprintln!("wrote {}", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    let Some(format) = args.format.export() else {
        let path = write_freetier_json(scenario, &catalog, &out)?;
        eprintln!("wrote {}", path.display());
        return Ok(ExitCode::SUCCESS);
    };
    let options = ftdesk_sample::WriteOptions {
        format,
        gzip: args.gzip,
        layout: args.layout.unwrap_or(LayoutArg::File).into(),
    };
    let path = ftdesk_sample::write_scenario_as(scenario, &catalog, &out, options)?;
    eprintln!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// `large-<rows>-<month>.<ext>`: an Organization-sized file for speed tests.
fn write_large(rows: u64, args: &SampleArgs, dir: &Path) -> anyhow::Result<ExitCode> {
    let Some(format) = args.format.export() else {
        bail!(
            "--rows writes billing files; choose a billing --format, not freetier-json or ce-json"
        );
    };
    let spec = ftdesk_sample::LargeSpec {
        rows,
        seed: args.seed,
        month: args.month,
    };
    let catalog = Catalog::embedded();
    let (path, summary) = ftdesk_sample::write_large_file(&catalog, spec, format, args.gzip, dir)?;
    eprintln!(
        "wrote {} ({} rows, {} accounts, {} usage types, {} resources)",
        path.display(),
        summary.rows,
        summary.accounts,
        summary.usage_types,
        summary.resources
    );
    Ok(ExitCode::SUCCESS)
}

/// The Free Tier API's view of the scenario's month: its offers as the AWS CLI prints them.
fn write_freetier_json(
    scenario: &ftdesk_sample::Scenario,
    catalog: &Catalog,
    dir: &Path,
) -> anyhow::Result<PathBuf> {
    let generated = scenario.generate(catalog);
    let mut ledger = Ledger::new(catalog);
    for row in &generated.rows {
        ledger.push(&row.as_line_item())?;
    }
    let context = Context {
        month: Some(generated.month),
        account_created: generated.truth.account_created,
        ..Context::default()
    };
    let report = ledger.finish(&context)?.remove(0);
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(format!(
        "{}-{}-freetier-usage.json",
        scenario.name, generated.month
    ));
    std::fs::write(&path, ftdesk_freetier::to_cli_json(&report, catalog))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// The scenario's month as Cost Explorer shows it.
fn write_cost_explorer_json(
    scenario: &ftdesk_sample::Scenario,
    catalog: &Catalog,
    dir: &Path,
) -> anyhow::Result<PathBuf> {
    let generated = scenario.generate(catalog);
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(format!(
        "{}-{}-cost-explorer.json",
        scenario.name, generated.month
    ));
    let mut out = Vec::new();
    ftdesk_sample::write_cost_explorer_json(&generated, &mut out)?;
    std::fs::write(&path, out).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}
