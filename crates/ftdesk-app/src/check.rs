//! `check`: sources and a scope in, one explained report and reading notes out.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ftdesk_aws::AwsOptions;
use ftdesk_core::{
    ApiSnapshot, Catalog, Context, DataSource, Date, Ledger, Month, Plan, Report, Timestamp,
};
use ftdesk_io::{Ledgers, PartSink as _, ReadLimits, Watch};

use crate::notes::ReadingNote;
use crate::source::{Source, SourceKind};
use crate::{AppError, Settings};

/// What the report is about.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The month to report; `None` for the latest in the data.
    pub month: Option<Month>,
    pub plan: Option<Plan>,
    pub account_created: Option<Date>,
    /// The payer account to report when the data holds several.
    pub account: Option<String>,
    /// The time now: needed only when the Free Tier API is the sole source.
    pub now: Option<Timestamp>,
}

impl Scope {
    pub(crate) fn context(&self, api: Option<ApiSnapshot>) -> Context {
        Context {
            month: self.month,
            plan: self.plan,
            account_created: self.account_created,
            api,
            now: self.now,
            sources: Vec::new(),
            unknowns: Vec::new(),
            explorer: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CheckRequest {
    /// Billing files or folders, `s3://` prefixes, Free Tier API JSON, Cost Explorer JSON.
    pub paths: Vec<PathBuf>,
    pub scope: Scope,
    /// The Free Tier API's answer, asked live.
    pub api: Option<ApiSnapshot>,
    /// Caps on each billing file, checked as it is read (files from outside:
    /// the desk); none by default.
    pub limits: ReadLimits,
    /// The profile and region for `s3://` paths.
    pub aws: AwsOptions,
}

#[derive(Debug)]
pub struct Checked {
    pub report: Report,
    pub notes: Vec<ReadingNote>,
}

/// Reads every path into one ledger (billing files) or into the Free Tier API
/// snapshot (its JSON output), and returns the single report asked for.
pub fn check(
    catalog: &Catalog,
    request: &CheckRequest,
    settings: &Settings,
) -> Result<Checked, AppError> {
    check_telling(catalog, request, settings, &mut |_| {})
}

/// [`check`], handing each reading note to `tell` as soon as its source is
/// read, so a long read shows its progress and a failing one what it read
/// before. [`Checked::notes`] still holds them all.
pub fn check_telling(
    catalog: &Catalog,
    request: &CheckRequest,
    settings: &Settings,
    tell: &mut dyn FnMut(&ReadingNote),
) -> Result<Checked, AppError> {
    check_watching(catalog, request, settings, tell, None)
}

/// [`check_telling`], telling `watch` (a progress bar) each billing file or
/// object and the bytes read from it, from disk or S3.
pub fn check_watching(
    catalog: &Catalog,
    request: &CheckRequest,
    settings: &Settings,
    tell: &mut dyn FnMut(&ReadingNote),
    watch: Option<Arc<dyn Watch>>,
) -> Result<Checked, AppError> {
    let sources = Source::classify_all(&request.paths);
    let mut context = api_context(&sources, request.scope.context(request.api.clone()))?;
    let mut ledger = Ledger::new(catalog).with_account_filter(request.scope.account.clone());
    let started = std::time::Instant::now();
    let explorer = paths_of(&sources, SourceKind::CostExplorer);
    crate::cost_explorer::read_files(&mut ledger, &explorer, &mut context)?;
    let mut read_from = Vec::new();
    if !explorer.is_empty() {
        read_from.push(DataSource::CostExplorer);
    }
    let mut notes = Vec::new();
    let mut files = Vec::new();
    for path in paths_of(&sources, SourceKind::Billing) {
        let how = How {
            threads: settings.threads(),
            limits: request.limits,
            watch: watch.clone(),
            aws: &request.aws,
        };
        let summary = read_source(path, &mut ledger, &how)?;
        let read = ReadingNote::of_summary(&summary);
        read.iter().for_each(&mut *tell);
        notes.extend(read);
        read_from.extend(summary.files.iter().map(|f| f.format.data_source()));
        files.extend(summary.files.into_iter().map(|f| f.path));
    }
    context.sources = each_once(read_from);
    tracing::info!(rows = ledger.rows(), elapsed = ?started.elapsed(), "billing data read");
    let started = std::time::Instant::now();
    let report = finish(&ledger, &files, &request.paths, &context)?;
    tracing::info!(elapsed = ?started.elapsed(), "accounting finished");
    Ok(Checked { report, notes })
}

/// The sources in the order first read, each once.
pub(crate) fn each_once(sources: Vec<DataSource>) -> Vec<DataSource> {
    let mut once = Vec::new();
    for source in sources {
        if !once.contains(&source) {
            once.push(source);
        }
    }
    once
}

pub(crate) fn paths_of(sources: &[Source], kind: SourceKind) -> Vec<&Path> {
    sources
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.path.as_path())
        .collect()
}

/// Reads the Free Tier API JSON among `sources` into the context; refuses
/// a check with neither billing data nor the API's answer.
pub(crate) fn api_context(sources: &[Source], mut context: Context) -> Result<Context, AppError> {
    for file in paths_of(sources, SourceKind::FreeTierApi) {
        ftdesk_freetier::read_file(file, context.api.get_or_insert_with(Default::default))?;
    }
    let billing = sources.iter().any(|s| s.kind != SourceKind::FreeTierApi);
    if !billing && context.api.is_none() {
        return Err(AppError::NothingToCheck);
    }
    Ok(context)
}

/// How billing data is read: on how many threads, within which limits,
/// watched by what.
struct How<'a> {
    threads: usize,
    limits: ReadLimits,
    watch: Option<Arc<dyn Watch>>,
    /// The profile and region for `s3://` paths.
    aws: &'a AwsOptions,
}

/// Reads a local file or folder, or an `s3://bucket/prefix`, into `ledger`.
/// Files read within `limits` are read on one thread, each checked as it is
/// read, so a file over a limit stops the read where it passes it.
fn read_source(
    path: &Path,
    ledger: &mut Ledger<'_>,
    how: &How<'_>,
) -> Result<ftdesk_io::ReadSummary, AppError> {
    let parts = Ledgers {
        catalog: ledger.catalog(),
        account: ledger.account_filter().map(str::to_owned),
    };
    if how.limits != ReadLimits::default() {
        let push = &mut |item: &ftdesk_core::LineItem<'_>| parts.push(ledger, item);
        return Ok(ftdesk_io::read_path_within(path, how.limits, push)?);
    }
    let threads = how.threads;
    let text = path.to_string_lossy();
    if text.starts_with("s3://") {
        let (bucket, prefix) = ftdesk_s3::parse_url(&text)?;
        let store = ftdesk_s3::S3Store::connect(&bucket, how.aws)?;
        return Ok(match how.watch.clone() {
            Some(watch) => ftdesk_io::read_store_parts_watched(
                &store, &prefix, threads, &parts, ledger, watch,
            )?,
            None => ftdesk_io::read_store_parts(&store, &prefix, threads, &parts, ledger)?,
        });
    }
    Ok(match how.watch.clone() {
        Some(watch) => ftdesk_io::read_path_parts_watched(path, threads, &parts, ledger, watch)?,
        None => ftdesk_io::read_path_parts(path, threads, &parts, ledger)?,
    })
}

/// Reads one object of a store (a billing file) into a ledger of its own;
/// with what it was (a CUR, a Data Export).
pub(crate) fn read_object<'c>(
    catalog: &'c Catalog,
    account: Option<String>,
    store: &dyn ftdesk_io::Store,
    key: &str,
    threads: usize,
) -> Result<(Ledger<'c>, Option<ReadingNote>, DataSource), AppError> {
    let parts = Ledgers { catalog, account };
    let mut ledger = parts.part();
    let file = ftdesk_io::read_object_parts(store, key, threads, &parts, &mut ledger)?;
    Ok((
        ledger,
        ReadingNote::skipped(&file),
        file.format.data_source(),
    ))
}

/// The single report of a ledger holding all the billing data read from
/// `files` (given as `paths`), with the errors `ftdesk check` gives.
pub(crate) fn finish(
    ledger: &Ledger<'_>,
    files: &[PathBuf],
    paths: &[PathBuf],
    context: &Context,
) -> Result<Report, AppError> {
    if ledger.rows() == 0 && !files.is_empty() {
        return Err(AppError::NoBillingRows {
            files: describe(files),
        });
    }
    if let Some(account) = ledger
        .account_filter()
        .filter(|_| ledger.months().is_empty())
    {
        return Err(AppError::NoRowsForAccount {
            paths: describe(paths),
            account: account.to_owned(),
        });
    }
    let mut reports = ledger.finish(context).map_err(|source| AppError::Finish {
        paths: describe(paths),
        source,
    })?;
    if reports.len() > 1 {
        let payers: Vec<&str> = reports.iter().map(|r| r.payer_account.as_str()).collect();
        return Err(AppError::ManyPayers {
            count: payers.len(),
            payers: payers.join(", "),
        });
    }
    Ok(reports.remove(0))
}

pub(crate) fn describe(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
