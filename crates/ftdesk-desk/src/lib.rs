//! The web desk: where a support team answers free-tier billing cases.
//!
//! [`Store`] is the one SQLite file (cases, their mail and attachments, drafts,
//! notes, people, sessions, the append-only audit log). Mail comes in through
//! [`smtp`] (a small, strict SMTP listener) or [`Store::intake`]; the accounting
//! and the draft are made by an [`Analyst`] the caller provides (the `ftdesk`
//! binary wires `check` and `reply`). [`web`] serves the pages.

pub mod figures;
pub mod mail;
pub mod outgoing;
mod schema;
pub mod secret;
pub mod smtp;
mod store;
pub mod web;

use std::path::PathBuf;

use thiserror::Error;

pub use outgoing::SmtpOut;
pub use schema::SCHEMA_VERSION;
pub use store::*;

#[derive(Debug, Error)]
pub enum DeskError {
    #[error("database {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database {path} has schema version {found}, newer than this program's {SCHEMA_VERSION}; upgrade ftdesk")]
    TooNew { path: String, found: i64 },
    #[error("database {0} is already set up (it has users); use another --db or `desk serve`")]
    AlreadyInitialised(String),
    #[error(
        "database {0} does not exist; create it with `ftdesk desk init --db {0} --admin EMAIL`"
    )]
    Missing(String),
    #[error("the message is malformed: {0}")]
    Malformed(String),
    #[error("{0}")]
    Invalid(String),
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The accounting and the draft for a case, made from its inquiry and billing files.
pub trait Analyst: Send + Sync {
    /// `inquiry` is the customer's message as received; `billing` are files on disk.
    /// The error is a complete sentence naming the file and what was wrong.
    fn analyse(&self, inquiry: &[u8], billing: &[PathBuf]) -> Result<Analysis, String>;
}

/// What an [`Analyst`] made for a case.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The `check` report as a standalone HTML page (with its charts).
    pub report_html: String,
    /// The report as text, in the draft's language: the figures a draft may state.
    pub report_text: String,
    pub draft_subject: String,
    pub draft_text: String,
    /// The associate's notes and the improvement proposal.
    pub notes: String,
    /// `en` or `ko`.
    pub lang: String,
}

/// Seconds since the epoch: the desk's one clock.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// How `desk serve` listens.
pub struct ServeOptions {
    pub listen: String,
    pub smtp_in: Option<String>,
    pub web: web::WebConfig,
    pub smtp: smtp::SmtpConfig,
    /// Starts of a case's analysis after which, if the desk stopped during
    /// each, the case is marked failed instead of analysed again.
    pub analysis_attempts: u32,
}

/// Runs the web pages and the SMTP listener until the process is stopped.
/// First settles what a crash may have left: replies caught mid-send are
/// marked not sent, cases whose analysis stopped the desk too often are
/// marked failed, and cases whose analysis never ran are analysed.
pub fn serve(
    store: Store,
    analyst: std::sync::Arc<dyn Analyst>,
    options: ServeOptions,
) -> Result<(), DeskError> {
    use std::sync::Arc;
    let interrupted = store.settle_interrupted_sends(now())?;
    if interrupted > 0 {
        eprintln!("desk: {interrupted} replies were being sent when the desk stopped; they are marked not sent");
    }
    for case in store.give_up_crashed_analyses(options.analysis_attempts, now())? {
        eprintln!(
            "desk: case {case}: its analysis stopped the desk {} times; marked failed",
            options.analysis_attempts
        );
    }
    let store = Arc::new(store);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| DeskError::Io {
            path: PathBuf::from("(runtime)"),
            source,
        })?;
    runtime.block_on(async move {
        let bind = |addr: String, what: &'static str| async move {
            tokio::net::TcpListener::bind(&addr)
                .await
                .map_err(|e| DeskError::Invalid(format!("{what} {addr}: cannot listen: {e}")))
        };
        let web_listener = bind(options.listen.clone(), "--listen").await?;
        let smtp_listener = match options.smtp_in.clone() {
            Some(addr) => Some(bind(addr, "--smtp-in").await?),
            None => None,
        };
        println!(
            "desk: http://{}/",
            web_listener
                .local_addr()
                .map_err(|e| DeskError::Invalid(e.to_string()))?
        );
        if let Some(listener) = &smtp_listener {
            println!(
                "desk: SMTP intake on {}",
                listener
                    .local_addr()
                    .map_err(|e| DeskError::Invalid(e.to_string()))?
            );
        }
        let pending = store.pending_analyses()?;
        for intake in pending {
            let (store, analyst) = (store.clone(), analyst.clone());
            tokio::task::spawn_blocking(move || store.analyse(analyst.as_ref(), intake, now()));
        }
        if let Some(listener) = smtp_listener {
            tokio::spawn(smtp::serve(
                listener,
                store.clone(),
                analyst.clone(),
                options.smtp,
            ));
        }
        let state = web::AppState::new(store, analyst, options.web);
        axum::serve(web_listener, web::router(state))
            .await
            .map_err(|e| DeskError::Invalid(format!("the web server stopped: {e}")))
    })
}
