//! `ftdesk sample`: synthetic billing data for named scenarios.

use std::process::ExitCode;

use anyhow::bail;
use std::path::Path;

use anyhow::Context as _;
use ftdesk_core::Catalog;

use crate::args::{GroupByArg, LayoutArg, SampleArgs, SampleFormatArg};
use crate::output::say;
use crate::progress::Progress;

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
        bail!("--scenario and --out-dir are required unless --list is given");
    };
    let Some(scenario) = ftdesk_sample::find(&name) else {
        let names: Vec<&str> = ftdesk_sample::scenarios().iter().map(|s| s.name).collect();
        bail!(
            "no scenario named `{name}`; expected one of: {}",
            names.join(", ")
        );
    };
    let catalog = Catalog::embedded();
    if args.group_by != GroupByArg::RecordType && !matches!(args.format, SampleFormatArg::CeJson) {
        bail!("--group-by is for Cost Explorer JSON: add --as ce-json");
    }
    if let SampleFormatArg::CeJson = args.format {
        let generated = scenario.generate(&catalog);
        let path = ftdesk_sample::write_cost_explorer_file(
            &generated,
            scenario.name,
            args.group_by.into(),
            &out,
        )
        .with_context(|| format!("writing into {}", out.display()))?;
        say!("wrote {}", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    let Some(format) = args.format.export() else {
        let path = ftdesk_app::write_freetier_sample(scenario, &catalog, &out)?;
        say!("wrote {}", path.display());
        return Ok(ExitCode::SUCCESS);
    };
    let options = ftdesk_sample::WriteOptions {
        format,
        gzip: args.gzip,
        layout: args.layout.unwrap_or(LayoutArg::File).into(),
    };
    let path = ftdesk_sample::write_scenario_as(scenario, &catalog, &out, options)?;
    say!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// `large-<rows>-<month>.<ext>`: an Organization-sized file for speed tests.
fn write_large(rows: u64, args: &SampleArgs, dir: &Path) -> anyhow::Result<ExitCode> {
    let Some(format) = args.format.export() else {
        bail!("--rows writes billing files; choose a billing --as, not freetier-json or ce-json");
    };
    let spec = ftdesk_sample::LargeSpec {
        rows,
        seed: args.seed,
        month: args.month,
    };
    let catalog = Catalog::embedded();
    let progress = Progress::rows(rows);
    let mut tell = |written: u64| progress.iter().for_each(|p| p.set(written));
    let (path, summary) =
        ftdesk_sample::write_large_file(&catalog, spec, format, args.gzip, dir, &mut tell)?;
    drop(progress);
    say!(
        "wrote {} ({} rows, {} accounts, {} usage types, {} resources)",
        path.display(),
        summary.rows,
        summary.accounts,
        summary.usage_types,
        summary.resources
    );
    Ok(ExitCode::SUCCESS)
}
