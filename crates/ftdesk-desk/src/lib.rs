//! The web desk: where a support team answers free-tier billing cases.
//!
//! [`Store`] is the one SQLite file (cases, their mail and attachments, drafts,
//! notes, people, sessions, the append-only audit log). Mail comes in through
//! [`smtp`] (a small, strict SMTP listener) or [`Inbox::receive`]; the accounting
//! and the draft are made by an [`Analyst`] the caller provides (the `ftdesk`
//! binary wires `check` and `reply`); [`service`] runs the workflow (analyse,
//! draft, send) over the store. [`web`] serves the pages.
//!
//! The desk does no accounting and drafts nothing itself (that is the
//! [`Analyst`]'s), and sends through `ftdesk_notify`'s relay.
//!
//! ```
//! use ftdesk_desk::{DeskError, Store, SCHEMA_VERSION};
//!
//! let dir = tempfile::tempdir()?;
//! let db = dir.path().join("desk.sqlite");
//! let now = 1_760_000_000;
//! let (store, one_time_password) = Store::init(&db, "lead@example.com", now)?;
//! assert_eq!(store.schema_version()?, SCHEMA_VERSION);
//! let lead = store.people().login("lead@example.com", &one_time_password, now)?;
//! assert!(lead.is_ok());
//! assert!(matches!(
//!     Store::init(&db, "other@example.com", now),
//!     Err(DeskError::AlreadyInitialised(_))
//! ));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod figures;
pub mod mail;
pub mod outgoing;
mod schema;
pub mod secret;
pub mod service;
pub mod smtp;
mod store;
pub mod web;

use std::path::PathBuf;
use std::sync::Arc;

use ftdesk_core::Clock;
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
    /// The error's text (with its causes) is a complete sentence naming the
    /// file and what was wrong.
    fn analyse(&self, inquiry: &[u8], billing: &[PathBuf]) -> Result<Analysis, AnalysisError>;

    /// Whether the message quotes lines of the Bills page, enough to answer
    /// from with no billing file attached.
    fn quotes_bill(&self, _inquiry: &[u8]) -> bool {
        false
    }
}

/// An analyst for tests that makes nothing.
#[cfg(test)]
pub(crate) struct NoAnalysis;

#[cfg(test)]
impl Analyst for NoAnalysis {
    fn analyse(&self, _: &[u8], _: &[PathBuf]) -> Result<Analysis, AnalysisError> {
        Err(AnalysisError::msg("no analysis in this test"))
    }
}

/// Why an [`Analyst`] made nothing for a case.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("the analysis took longer than {seconds} s, the limit (desk serve --analysis-timeout-seconds)")]
    TimedOut { seconds: u64 },
    #[error("the analysis stopped unexpectedly")]
    Stopped,
    /// The billing data or the message could not be analysed.
    #[error(transparent)]
    Failed(Box<dyn std::error::Error + Send + Sync>),
}

impl AnalysisError {
    /// A failure told by its text alone.
    pub fn msg(text: impl Into<String>) -> Self {
        AnalysisError::Failed(text.into().into())
    }

    /// The sentence the case shows: the error and its causes, `outer: inner`.
    pub fn sentence(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(e) = cause {
            text.push_str(": ");
            text.push_str(&e.to_string());
            cause = e.source();
        }
        text
    }
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

/// How `desk serve` listens.
pub struct ServeOptions {
    pub listen: String,
    pub smtp_in: Option<String>,
    pub web: web::WebConfig,
    pub smtp: smtp::SmtpConfig,
    /// Starts of a case's analysis after which, if the desk stopped during
    /// each, the case is marked failed instead of analysed again.
    pub analysis_attempts: u32,
    /// The desk's one clock (the machine's when served; tests fix it).
    pub clock: Arc<dyn Clock>,
}

/// Runs the web pages and the SMTP listener until the process is stopped.
/// First settles what a crash may have left: replies caught mid-send are
/// marked not sent, cases whose analysis stopped the desk too often are
/// marked failed, and cases whose analysis never ran are analysed.
pub fn serve(
    store: Store,
    analyst: Arc<dyn Analyst>,
    options: ServeOptions,
) -> Result<(), DeskError> {
    let clock = options.clock.clone();
    let now = || clock.now().unix();
    let interrupted = store.messages().settle_interrupted_sends(now())?;
    if interrupted > 0 {
        eprintln!("desk: {interrupted} replies were being sent when the desk stopped; they are marked not sent");
    }
    for case in service::give_up_crashed_analyses(&store, options.analysis_attempts, now())? {
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
        let pending = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || store.inbox().pending_analyses())
                .await
                .map_err(|e| DeskError::Invalid(e.to_string()))??
        };
        for intake in pending {
            let (store, analyst, clock) = (store.clone(), analyst.clone(), clock.clone());
            tokio::task::spawn_blocking(move || {
                service::analyse(&store, analyst.as_ref(), intake, clock.now().unix())
            });
        }
        let intake = smtp_listener.map(|listener| {
            tokio::spawn(smtp::serve(
                listener,
                store.clone(),
                analyst.clone(),
                options.smtp,
                clock.clone(),
            ))
        });
        let state = web::AppState::new(store, analyst, options.web, clock);
        let limits = state.config.limits.clone();
        let stop = stop_signal();
        serve_web(web_listener, state.clone(), &limits, stop).await?;
        // Intake stops with the web pages; mail in mid-session is not acknowledged,
        // so its sender retries it.
        if let Some(intake) = intake {
            intake.abort();
        }
        state.sends_finished().await;
        eprintln!("desk: stopped");
        Ok(())
    })
}

/// Resolves at SIGTERM or SIGINT (Ctrl-C).
async fn stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).ok();
    let term = async {
        match term.as_mut() {
            Some(term) => {
                term.recv().await;
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = term => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

/// How long a stopping desk waits for requests in progress.
const DRAIN_SECONDS: u64 = 60;

/// Serves HTTP/1 connections until `stop`: at most `max_connections` at once
/// (more wait in the listen queue), each with a deadline for its headers. At
/// `stop` it accepts no more, lets requests in progress finish (replies being
/// sent included), and closes idle connections.
async fn serve_web(
    listener: tokio::net::TcpListener,
    state: web::AppState,
    limits: &web::WebLimits,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), DeskError> {
    use std::time::Duration;
    let router = web::router(state);
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let (stopping, _) = tokio::sync::watch::channel(false);
    let header_timeout = Duration::from_secs(limits.header_timeout_seconds.max(1));
    tokio::pin!(stop);
    loop {
        let slot = tokio::select! {
            _ = &mut stop => break,
            slot = slots.clone().acquire_owned() => slot,
        };
        let Ok(slot) = slot else { break };
        let accepted = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, say: wait rather than spin.
                tracing::warn!("desk: accepting a connection failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let service = connection_service(router.clone(), peer);
        let mut stopping = stopping.subscribe();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout);
            let connection =
                builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = async { stopping.wait_for(|stop| *stop).await.is_ok() } => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(slot);
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let drained =
        tokio::time::timeout(Duration::from_secs(DRAIN_SECONDS), slots.acquire_many(all)).await;
    if drained.is_err() {
        eprintln!("desk: requests still open after {DRAIN_SECONDS} s are cut off");
    }
    Ok(())
}

/// The router for one connection, which knows the peer's address.
fn connection_service(
    router: axum::Router,
    peer: std::net::SocketAddr,
) -> hyper_util::service::TowerToHyperService<
    impl tower::Service<
            hyper::Request<hyper::body::Incoming>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
            Future = impl Send,
        > + Clone,
> {
    use tower::ServiceExt as _;
    let service = router.map_request(move |mut request: hyper::Request<hyper::body::Incoming>| {
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        request
    });
    hyper_util::service::TowerToHyperService::new(service)
}
