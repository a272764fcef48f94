//! The application layer's errors. Their texts are the ones users see: the
//! CLI prints the chain, `outer: inner: innermost`.

use std::path::PathBuf;

use ftdesk_core::FinishError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("reading {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("nothing to check: give billing files or folders, Free Tier API JSON, or --live")]
    NothingToCheck,
    #[error("no billing rows in {files}: the file has a header but no line items; expected at least one row of a billing export")]
    NoBillingRows { files: String },
    #[error("{paths}: no rows for account {account}")]
    NoRowsForAccount { paths: String, account: String },
    /// The accounting refused the data; `paths` names what was read.
    #[error("{paths}")]
    Finish {
        paths: String,
        #[source]
        source: FinishError,
    },
    #[error("the data holds {count} payer accounts ({payers}); choose one with --account")]
    ManyPayers { count: usize, payers: String },
    #[error("--since {first} is after the last month asked for ({last})")]
    SinceAfterLast {
        first: ftdesk_core::Month,
        last: ftdesk_core::Month,
    },
    #[error(
        "neither XDG_CACHE_HOME nor HOME is set: there is nowhere to cache Cost Explorer's answers"
    )]
    NoCacheDir,
    #[error("the customer's message")]
    Message(#[source] ftdesk_reply::ReplyError),
    #[error(transparent)]
    Reply(#[from] crate::reply::ReplyRefusal),
    #[error(transparent)]
    Read(#[from] ftdesk_io::ReadError),
    #[error(transparent)]
    Store(#[from] ftdesk_io::StoreError),
    #[error(transparent)]
    S3(#[from] ftdesk_s3::S3Error),
    #[error(transparent)]
    Push(#[from] ftdesk_core::PushError),
    #[error(transparent)]
    FreeTier(#[from] ftdesk_freetier::ApiError),
    #[error(transparent)]
    CostExplorer(#[from] ftdesk_costexplorer::CostExplorerError),
    #[error(transparent)]
    Templates(#[from] ftdesk_reply::ReplyError),
    #[error(transparent)]
    Render(#[from] ftdesk_render::RenderError),
    #[error(transparent)]
    Guard(#[from] crate::guard::GuardError),
    #[error("the case folder {} does not exist: write one with `ftdesk practice case --out-dir {}`", case.display(), case.display())]
    NoCase { case: PathBuf },
    #[error("no readable answer key at {}: `ftdesk practice case` writes it beside the case folder; give --key FILE if you moved it", path.display())]
    NoKey {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not the answer key `ftdesk practice case` writes", path.display())]
    BadKey {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

impl AppError {
    /// The month the accounting found no rows for, and what the data covers.
    pub fn month_not_found(&self) -> Option<&str> {
        match self {
            AppError::Finish {
                source: FinishError::MonthNotFound { available, .. },
                ..
            } => Some(available),
            _ => None,
        }
    }
}
