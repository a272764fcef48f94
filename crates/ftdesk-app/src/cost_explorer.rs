//! Cost Explorer output: files the customer saved, or months asked of AWS live.

use std::path::{Path, PathBuf};

use ftdesk_aws::AwsOptions;
use ftdesk_core::report::Unknown;
use ftdesk_core::{Context, Ledger, Month, Timestamp};

use crate::notes::ReadingNote;
use crate::{AppError, Settings};

/// Cost Explorer and the Bills page do not name the payer account.
pub(crate) const UNNAMED_PAYER: &str = "unknown";

/// Reads Cost Explorer files into `ledger`: their days put together, each
/// usage type's cost and quantity split into free and billed usage.
pub(crate) fn read_files(
    ledger: &mut Ledger<'_>,
    files: &[&Path],
    context: &mut Context,
) -> Result<(), AppError> {
    if files.is_empty() {
        return Ok(());
    }
    let mut read = Vec::new();
    for path in files {
        let bytes = std::fs::read(path).map_err(|source| AppError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        read.push((
            path.to_path_buf(),
            ftdesk_io::cost_explorer::read(&bytes, path)?,
        ));
    }
    let estimated: usize = read.iter().map(|(_, f)| f.estimated_periods).sum();
    let granularity = read[0].1.granularity();
    let aggregates = ftdesk_io::cost_explorer::combine(read)?;
    context.explorer = ftdesk_core::aggregate::read_per_month(&aggregates);
    let (lines, rates, assumed) =
        ftdesk_core::aggregate::split(ledger.catalog(), UNNAMED_PAYER, aggregates);
    for ((usage_type, operation), (rate, source)) in &rates {
        tracing::debug!(%usage_type, %operation, %rate, ?source, "Cost Explorer split rate");
    }
    context.unknowns.extend(ftdesk_core::aggregate::unknowns(
        granularity,
        &rates,
        &assumed,
    ));
    if estimated > 0 {
        let periods = estimated;
        context.unknowns.push(Unknown::Estimated { periods });
    }
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

/// Which months to ask Cost Explorer about, and how.
#[derive(Debug, Clone, Default)]
pub struct LiveRequest {
    /// The last month (default: this one; never later than this one).
    pub month: Option<Month>,
    /// The first month (default: the last one).
    pub since: Option<Month>,
    /// The profile and endpoint (Cost Explorer answers from us-east-1 alone).
    pub aws: AwsOptions,
}

/// Each month from `since` to the last one asked of Cost Explorer (after
/// `confirm` agrees to the cost), cached when closed: the saved files, and a
/// note for each on where it came from.
pub fn fetch_months(
    request: &LiveRequest,
    now: Timestamp,
    settings: &Settings,
    confirm: &mut dyn FnMut(&str) -> bool,
) -> Result<(Vec<PathBuf>, Vec<ReadingNote>), AppError> {
    let last = request.month.unwrap_or(now.month()).min(now.month());
    let first = request.since.unwrap_or(last);
    if first > last {
        return Err(AppError::SinceAfterLast { first, last });
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
        aws: request.aws.clone(),
        cache_dir: settings
            .cache_dir()
            .ok_or(AppError::NoCacheDir)?
            .join("cost-explorer"),
    };
    let files = ftdesk_costexplorer::fetch(&options, confirm)?;
    let notes = files
        .iter()
        .map(|file| ReadingNote::CostExplorer {
            month: file.month,
            path: file.path.clone(),
            cached: file.cached,
            requests: file.requests,
        })
        .collect();
    Ok((files.into_iter().map(|f| f.path).collect(), notes))
}
