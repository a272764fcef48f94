//! `ftdesk check`: billing files in, one explained report out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use ftdesk_core::{Catalog, Context, Ledger, Month, Report, Timestamp};
use ftdesk_io::{Ledgers, PartSink as _};

use crate::args::{CheckArgs, LiveSourceArg, ReportArgs};
use crate::output;

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::embedded();
    if args.live && args.source == LiveSourceArg::CostExplorer {
        return run_cost_explorer(args, &catalog);
    }
    if args.since.is_some() || args.yes || args.source != LiveSourceArg::FreeTier {
        bail!("--source, --since and --yes go with --live");
    }
    let api = match args.live {
        false => None,
        true => {
            let options = ftdesk_freetier::LiveOptions {
                endpoint_url: args.endpoint_url.clone(),
                profile: args.profile.clone(),
            };
            Some(ftdesk_freetier::fetch_live(&options)?)
        }
    };
    let context = Context {
        month: args.month,
        plan: args.plan.map(Into::into),
        account_created: args.account_created,
        api,
        now: Some(now()),
        unknowns: Vec::new(),
    };
    let report = match (&args.pasted, args.month) {
        (Some(file), Some(month)) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let lines = ftdesk_io::pasted::read(&text, file, &catalog)?;
            check_pasted(&catalog, &lines, month, file, &context)?
        }
        _ => check(&catalog, &args.paths, args.account, &context)?,
    };
    let started = std::time::Instant::now();
    emit(&report, &args.report)?;
    tracing::info!(elapsed = ?started.elapsed(), "report written");
    // The process ends here: freeing a report of 50,000 charges piece by
    // piece would only delay the exit.
    std::mem::forget(report);
    Ok(ExitCode::SUCCESS)
}

/// The one place the program reads the clock: the core is given the time.
pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Timestamp::from_unix(secs)
}

/// The first bytes of a file (empty for a folder or an unreadable file).
fn head_of(path: &Path) -> Vec<u8> {
    let mut head = vec![0u8; 64 * 1024];
    let read = path.is_file().then(|| {
        std::fs::File::open(path).and_then(|mut f| std::io::Read::read(&mut f, &mut head))
    });
    head.truncate(read.and_then(Result::ok).unwrap_or(0));
    head
}

/// Whether a path is Free Tier API output (JSON) rather than billing data.
fn is_api_json(path: &Path) -> bool {
    let head = head_of(path);
    ftdesk_freetier::looks_like_json(&head)
        && !ftdesk_io::cost_explorer::looks_like_cost_explorer(&head)
}

/// Whether a path is Cost Explorer output (`aws ce get-cost-and-usage`).
fn is_cost_explorer(path: &Path) -> bool {
    ftdesk_io::cost_explorer::looks_like_cost_explorer(&head_of(path))
}

/// Reads Cost Explorer files into `ledger`: their days put together, each
/// usage type's cost and quantity split into free and billed usage.
fn read_cost_explorer(
    ledger: &mut Ledger<'_>,
    files: &[&PathBuf],
    context: &mut Context,
) -> anyhow::Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    let mut read = Vec::new();
    for path in files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        read.push((
            path.to_path_buf(),
            ftdesk_io::cost_explorer::read(&bytes, path)?,
        ));
    }
    let estimated: usize = read.iter().map(|(_, f)| f.estimated_periods).sum();
    let granularity = read[0].1.granularity();
    let aggregates = ftdesk_io::cost_explorer::combine(read)?;
    let (lines, rates, assumed) =
        ftdesk_core::aggregate::split(ledger.catalog(), COST_EXPLORER_PAYER, aggregates);
    for (usage_type, (rate, source)) in &rates {
        tracing::debug!(%usage_type, %rate, ?source, "Cost Explorer split rate");
    }
    context.unknowns.extend(ftdesk_core::aggregate::unknowns(
        granularity,
        &rates,
        &assumed,
    ));
    tracing::info!(
        files = files.len(),
        estimated,
        lines = lines.len(),
        "Cost Explorer data read"
    );
    for line in &lines {
        ledger.push(&line.as_line_item())?;
    }
    Ok(())
}

/// Cost Explorer and the Bills page do not name the payer account.
const COST_EXPLORER_PAYER: &str = "unknown";

/// The report for `month` from lines of the Bills page quoted from `source`.
pub fn check_pasted(
    catalog: &Catalog,
    lines: &[ftdesk_io::pasted::PastedLine],
    month: Month,
    source: &Path,
    context: &Context,
) -> anyhow::Result<Report> {
    let mut context = Context {
        month: Some(month),
        ..context.clone()
    };
    let (aggregates, unknowns) = ftdesk_io::pasted::aggregates(catalog, lines, month);
    let (split, _, assumed) =
        ftdesk_core::aggregate::split_stated(catalog, COST_EXPLORER_PAYER, aggregates);
    context.unknowns.extend(unknowns);
    context
        .unknowns
        .extend(ftdesk_core::aggregate::unknowns_of_assumed(&assumed));
    let mut ledger = Ledger::new(catalog);
    for line in &split {
        ledger.push(&line.as_line_item())?;
    }
    let mut report = finish(&ledger, &[], &[source.to_path_buf()], &context)?;
    forget_crossing_hours(&mut report);
    Ok(report)
}

/// A month's totals cannot tell the hour an allowance ran out.
fn forget_crossing_hours(report: &mut Report) {
    for offer in &mut report.offers {
        offer.crossed_at = None;
    }
    for charge in &mut report.charges {
        if let ftdesk_core::report::ChargeContext::OverFreeLimit { crossed_at, .. } =
            &mut charge.context
        {
            *crossed_at = None;
        }
    }
}

/// How many threads read one file: the machine's cores, or `FTDESK_THREADS`.
fn reading_threads() -> usize {
    std::env::var("FTDESK_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
        .max(1)
}

/// Reads a local file or folder, or an `s3://bucket/prefix`, into `ledger`.
fn read_source<'c>(path: &Path, ledger: &mut Ledger<'c>) -> anyhow::Result<ftdesk_io::ReadSummary> {
    let parts = Ledgers {
        catalog: ledger.catalog(),
        account: ledger.account_filter().map(str::to_owned),
    };
    let threads = reading_threads();
    let text = path.to_string_lossy();
    if text.starts_with("s3://") {
        let (bucket, prefix) = ftdesk_s3::parse_url(&text)?;
        let store = ftdesk_s3::S3Store::connect(&bucket)?;
        return Ok(ftdesk_io::read_store_parts(
            &store, &prefix, threads, &parts, ledger,
        )?);
    }
    Ok(ftdesk_io::read_path_parts(path, threads, &parts, ledger)?)
}

/// Says on standard error which snapshot of each period was read.
pub fn tell_periods(periods: &[ftdesk_io::PeriodSnapshot]) {
    for p in periods
        .iter()
        .filter(|p| p.snapshots_seen > 1 || !p.snapshot.is_empty())
    {
        let how = if p.from_manifest {
            "named by the manifest"
        } else {
            "the newest by name; no manifest said"
        };
        eprintln!(
            "note: billing period {}: read snapshot {} ({how}; {} present){}",
            p.period,
            if p.snapshot.is_empty() {
                "(files in the period folder)"
            } else {
                &p.snapshot
            },
            p.snapshots_seen,
            match p.restated {
                Some(true) => "; restated after the month ended",
                _ => "",
            }
        );
    }
}

/// Says on standard error what a file's read skipped.
pub fn tell_skipped(file: &ftdesk_io::FileSummary) {
    if file.skipped_rows > 0 {
        eprintln!(
            "note: {}: {} rows of other providers skipped (counted, not read)",
            file.path.display(),
            file.skipped_rows
        );
    }
}

/// Says on standard error which snapshot of each period was read, and what was skipped.
fn tell_what_was_read(summary: &ftdesk_io::ReadSummary) {
    tell_periods(&summary.periods);
    summary.files.iter().for_each(tell_skipped);
}

/// Reads every path into one ledger (billing files) or into the Free Tier API
/// snapshot (its JSON output), and returns the single report asked for.
pub fn check(
    catalog: &Catalog,
    paths: &[PathBuf],
    account: Option<String>,
    context: &Context,
) -> anyhow::Result<Report> {
    let (billing, mut context) = api_inputs(paths, context)?;
    let (explorer, billing): (Vec<&PathBuf>, Vec<&PathBuf>) =
        billing.into_iter().partition(|p| is_cost_explorer(p));
    let mut ledger = Ledger::new(catalog).with_account_filter(account);
    let mut files = Vec::new();
    let started = std::time::Instant::now();
    read_cost_explorer(&mut ledger, &explorer, &mut context)?;
    for path in billing {
        let summary = read_source(path, &mut ledger)?;
        tell_what_was_read(&summary);
        files.extend(summary.files.into_iter().map(|f| f.path));
    }
    tracing::info!(rows = ledger.rows(), elapsed = ?started.elapsed(), "billing data read");
    let started = std::time::Instant::now();
    let report = finish(&ledger, &files, paths, &context);
    tracing::info!(elapsed = ?started.elapsed(), "accounting finished");
    report
}

/// Reads the Free Tier API JSON among `paths` into the context; returns the
/// other paths (billing data) and that context.
pub fn api_inputs<'p>(
    paths: &'p [PathBuf],
    context: &Context,
) -> anyhow::Result<(Vec<&'p PathBuf>, Context)> {
    let (api_files, billing): (Vec<&PathBuf>, Vec<&PathBuf>) =
        paths.iter().partition(|p| is_api_json(p));
    let mut context = context.clone();
    for file in api_files {
        ftdesk_freetier::read_file(file, context.api.get_or_insert_with(Default::default))?;
    }
    if billing.is_empty() && context.api.is_none() {
        bail!("nothing to check: give billing files or folders, Free Tier API JSON, or --live");
    }
    Ok((billing, context))
}

/// Reads one object of a store (a billing file) into a ledger of its own.
pub fn read_object<'c>(
    catalog: &'c Catalog,
    account: Option<String>,
    store: &dyn ftdesk_io::Store,
    key: &str,
) -> anyhow::Result<Ledger<'c>> {
    let parts = Ledgers { catalog, account };
    let mut ledger = parts.part();
    let file = ftdesk_io::read_object_parts(store, key, reading_threads(), &parts, &mut ledger)?;
    tell_skipped(&file);
    Ok(ledger)
}

/// The single report of a ledger holding all the billing data read from
/// `files` (given as `paths`), with the errors `ftdesk check` gives.
pub fn finish(
    ledger: &Ledger<'_>,
    files: &[PathBuf],
    paths: &[PathBuf],
    context: &Context,
) -> anyhow::Result<Report> {
    if ledger.rows() == 0 && !files.is_empty() {
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        bail!(
            "no billing rows in {}: the file has a header but no line items; expected at least one row of a billing export",
            names.join(", ")
        );
    }
    if let Some(account) = ledger
        .account_filter()
        .filter(|_| ledger.months().is_empty())
    {
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

/// `check --live --source cost-explorer`: each month from `--since` to this
/// one asked of Cost Explorer (after agreeing to the cost), cached when
/// closed, then checked with the other paths like files the customer saved.
fn run_cost_explorer(args: CheckArgs, catalog: &Catalog) -> anyhow::Result<ExitCode> {
    let now = now();
    let last = args.month.unwrap_or(now.month()).min(now.month());
    let first = args.since.unwrap_or(last);
    if first > last {
        bail!("--since {first} is after the last month asked for ({last})");
    }
    let mut months = vec![first];
    while let Some(&month) = months.last() {
        if month >= last {
            break;
        }
        months.push(month.plus_months(1));
    }
    let options = ftdesk_costexplorer::Options {
        months,
        endpoint_url: args.endpoint_url.clone(),
        profile: args.profile.clone(),
        cache_dir: cache_dir()?.join("cost-explorer"),
    };
    let yes = args.yes;
    let files = ftdesk_costexplorer::fetch(&options, &mut |question| confirm(question, yes))?;
    for file in &files {
        let how = if file.cached {
            "from the cache".to_owned()
        } else {
            format!("{} request(s)", file.requests)
        };
        eprintln!(
            "Cost Explorer {}: {how} ({})",
            file.month,
            file.path.display()
        );
    }
    let mut paths = args.paths.clone();
    paths.extend(files.into_iter().map(|f| f.path));
    let context = Context {
        month: args.month,
        plan: args.plan.map(Into::into),
        account_created: args.account_created,
        api: None,
        now: Some(now),
        unknowns: Vec::new(),
    };
    let report = check(catalog, &paths, args.account, &context)?;
    emit(&report, &args.report)?;
    Ok(ExitCode::SUCCESS)
}

/// Asks on the terminal, or takes `--yes`; with neither, refuses.
fn confirm(question: &str, yes: bool) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    eprintln!("{question}");
    if yes {
        eprintln!("yes (--yes)");
        return true;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("no terminal to ask on: give --yes to agree to the cost");
        return false;
    }
    eprint!("[y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes" | "Yes")
}

/// `$XDG_CACHE_HOME/ftdesk`, else `~/.cache/ftdesk`.
fn cache_dir() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("ftdesk"));
    }
    match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".cache/ftdesk")),
        None => bail!("neither XDG_CACHE_HOME nor HOME is set: there is nowhere to cache Cost Explorer's answers"),
    }
}
