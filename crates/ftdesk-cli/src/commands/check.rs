//! `ftdesk check`: billing files in, one explained report out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use ftdesk_core::{Catalog, Context, Ledger, Report};

use crate::args::{CheckArgs, ReportArgs};
use crate::output;

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::embedded();
    let context = Context {
        month: args.month,
        plan: args.plan.map(Into::into),
        account_created: args.account_created,
    };
    let report = check(&catalog, &args.paths, args.account, &context)?;
    emit(&report, &args.report)?;
    Ok(ExitCode::SUCCESS)
}

/// Reads every path into one ledger and returns the single report asked for.
pub fn check(
    catalog: &Catalog,
    paths: &[PathBuf],
    account: Option<String>,
    context: &Context,
) -> anyhow::Result<Report> {
    let mut ledger = Ledger::new(catalog).with_account_filter(account.clone());
    let mut files = Vec::new();
    for path in paths {
        let summary = ftdesk_io::read_path(path, &mut |item| ledger.push(item))?;
        files.extend(summary.files);
    }
    if ledger.rows() == 0 {
        let names: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
        bail!(
            "no billing rows in {}: the file has a header but no line items; expected at least one row of a Cost and Usage Report",
            names.join(", ")
        );
    }
    if let Some(account) = account.as_deref().filter(|_| ledger.months().is_empty()) {
        bail!("{}: no rows for account {account}", describe(paths));
    }
    let mut reports = ledger.finish(context).with_context(|| describe(paths))?;
    if reports.len() > 1 {
        let payers: Vec<&str> = reports.iter().map(|r| r.payer_account.as_str()).collect();
        bail!(
            "the data holds {} payer accounts ({}); choose one with --account",
            payers.len(),
            payers.join(", ")
        );
    }
    Ok(reports.remove(0))
}

fn describe(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn emit(report: &Report, args: &ReportArgs) -> anyhow::Result<()> {
    let color = args.out.is_none() && output::color_for_stdout(args.color);
    let text = ftdesk_render::render(report, args.format.into(), args.lang.into(), color)?;
    output::write(args.out.as_deref().map(Path::new), &text)
}
