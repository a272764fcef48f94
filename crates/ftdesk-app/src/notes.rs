//! Reading notes: what a use case read, skipped or took from a cache, for
//! the caller to show (the CLI prints them on standard error).

use std::fmt;
use std::path::PathBuf;

use ftdesk_core::Month;
use ftdesk_io::{FileSummary, PeriodSnapshot, ReadSummary};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadingNote {
    /// Which snapshot of a billing period was read.
    Period(PeriodSnapshot),
    /// Rows of other providers a file held (counted, not read).
    Skipped { path: PathBuf, rows: u64 },
    /// A month of Cost Explorer output: from the cache, or asked of AWS.
    CostExplorer {
        month: Month,
        path: PathBuf,
        cached: bool,
        requests: u32,
    },
    /// The guard did not ask Cost Explorer again: the day's budget.
    CostExplorerSkipped {
        month: Month,
        /// `max_requests_per_day`.
        budget: u32,
        /// Requests sent today.
        used: u32,
        /// Requests the budget allows by now (it is spread over the day).
        allowed: u32,
        /// The last answer, used instead.
        kept: Option<PathBuf>,
    },
}

impl ReadingNote {
    /// The notes worth telling about one period (several snapshots, or a named one).
    pub fn periods(periods: &[PeriodSnapshot]) -> Vec<ReadingNote> {
        periods
            .iter()
            .filter(|p| p.snapshots_seen > 1 || !p.snapshot.is_empty())
            .cloned()
            .map(ReadingNote::Period)
            .collect()
    }

    pub fn skipped(file: &FileSummary) -> Option<ReadingNote> {
        (file.skipped_rows > 0).then(|| ReadingNote::Skipped {
            path: file.path.clone(),
            rows: file.skipped_rows,
        })
    }

    /// Which snapshot of each period was read, and what was skipped.
    pub fn of_summary(summary: &ReadSummary) -> Vec<ReadingNote> {
        let mut notes = Self::periods(&summary.periods);
        notes.extend(summary.files.iter().filter_map(Self::skipped));
        notes
    }
}

impl fmt::Display for ReadingNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadingNote::Period(p) => write_period(f, p),
            ReadingNote::Skipped { path, rows } => write!(
                f,
                "note: {}: {rows} rows of other providers skipped (counted, not read)",
                path.display()
            ),
            ReadingNote::CostExplorer {
                month,
                path,
                cached,
                requests,
            } => {
                let how = if *cached {
                    "from the cache".to_owned()
                } else {
                    format!("{requests} request(s)")
                };
                write!(f, "Cost Explorer {month}: {how} ({})", path.display())
            }
            ReadingNote::CostExplorerSkipped {
                month,
                budget,
                used,
                allowed,
                kept,
            } => {
                write!(
                    f,
                    "note: Cost Explorer {month}: refresh skipped to stay within max_requests_per_day = {budget} \
                     ($0.01 each; {used} sent today, {allowed} allowed by this time of day); "
                )?;
                match kept {
                    Some(path) => write!(f, "using the last answer ({})", path.display()),
                    None => write!(f, "no earlier answer is kept"),
                }
            }
        }
    }
}

fn write_period(f: &mut fmt::Formatter<'_>, p: &PeriodSnapshot) -> fmt::Result {
    let how = if p.from_manifest {
        "named by the manifest"
    } else {
        "the newest by name; no manifest said"
    };
    write!(
        f,
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
    )
}
