//! `guard`: one cycle (read what changed, evaluate the rules, enqueue the
//! alerts), then the deliveries that are due, through `ftdesk-notify`.

mod accounting;
mod cache;
mod cost_explorer;
mod inputs;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ftdesk_aws::AwsOptions;
use ftdesk_core::{Catalog, Context, DataSource, Timestamp};
use ftdesk_guard::{GuardConfig, NotifierSpec};
use ftdesk_notify::{Notifier, Outbox, OutboxError, Retry, RunLock};

pub use cache::{CachedLedger, InputCache, SourceFile};
pub use cost_explorer::paced_allowance;

use crate::check::{api_context, each_once, finish, paths_of};
use crate::notes::ReadingNote;
use crate::source::{Source, SourceKind};
use crate::{AppError, Clock, Settings};

/// The state key under which the last evaluated cycle's fingerprint is kept.
pub const INPUTS_KEY: &str = "inputs";
/// How long a run waits for another run on the same state database.
const RUN_LOCK_WAIT: Duration = Duration::from_secs(30 * 60);

#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error(transparent)]
    Config(#[from] ftdesk_guard::ConfigError),
    #[error(transparent)]
    Notify(#[from] ftdesk_notify::NotifyError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error("another guard run on this state database did not finish in time")]
    Locked(#[source] OutboxError),
    #[error("input cache {path}: {source}")]
    Cache {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("reading folder {}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}")]
    Merge {
        path: String,
        #[source]
        source: ftdesk_core::PushError,
    },
    #[error("encoding the accounting of {path}")]
    Encode {
        path: String,
        #[source]
        source: serde_json::Error,
    },
}

/// Reads and checks a guard.toml, returning it with its text.
pub fn read_config(config_path: &Path) -> Result<(GuardConfig, String), AppError> {
    let text = std::fs::read_to_string(config_path).map_err(|source| AppError::Io {
        path: config_path.to_path_buf(),
        source,
    })?;
    let config =
        GuardConfig::parse(&text, &config_path.display().to_string()).map_err(GuardError::from)?;
    Ok((config, text))
}

/// A relative path in the config is relative to the config file's folder.
fn beside(config: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() || path.to_string_lossy().starts_with("s3://") {
        return path.to_path_buf();
    }
    config.parent().unwrap_or(Path::new(".")).join(path)
}

pub struct Guard {
    pub config: GuardConfig,
    /// The file as read: part of the inputs' fingerprint.
    config_text: String,
    paths: Vec<PathBuf>,
    /// `[cost_explorer] paths`, resolved.
    explorer_paths: Vec<PathBuf>,
    state: PathBuf,
    notifiers: Vec<Box<dyn Notifier>>,
    threads: usize,
    /// The profile and region for `s3://` paths and Cost Explorer.
    aws: AwsOptions,
}

/// What one cycle did, for the caller to tell.
#[derive(Debug, Default)]
pub struct CycleReport {
    /// What was read (snapshots, skipped rows), in reading order.
    pub notes: Vec<ReadingNote>,
    /// Deliveries parked or failed, each a sentence.
    pub warnings: Vec<String>,
    /// The one-line summary of the cycle.
    pub summary: String,
    /// What the figures of this cycle's accounting were read from, as a
    /// `check` report records it (empty when the inputs were unchanged).
    pub sources: Vec<DataSource>,
    pub sent: usize,
    pub failed: usize,
    pub parked: usize,
}

impl CycleReport {
    /// Whether every delivery due went out.
    pub fn delivered_all(&self) -> bool {
        self.failed + self.parked == 0
    }
}

/// What a cycle's accounting and rules did.
struct Evaluation {
    /// Files read (the Free Tier API's JSON is always read).
    reread: usize,
    /// Billing files whose ledger came from the state database.
    cached: usize,
    alerts: usize,
    new: usize,
    /// What the figures were read from, as a `check` report records it.
    sources: Vec<DataSource>,
}

impl Guard {
    /// The guard a config file describes; `lang` is its language when the
    /// file names none, `aws` how it reaches AWS (`[cost_explorer]`'s own
    /// profile and endpoint win for Cost Explorer).
    pub fn load(
        config_path: &Path,
        settings: &Settings,
        lang: ftdesk_render::Lang,
        aws: AwsOptions,
    ) -> Result<Self, AppError> {
        let (mut config, config_text) = read_config(config_path)?;
        config.default_lang(lang);
        for spec in &mut config.notify {
            if let Some(file) = spec.tls_ca_file_mut() {
                *file = beside(config_path, file);
            }
        }
        let paths = config
            .paths
            .iter()
            .map(|p| beside(config_path, p))
            .collect();
        let explorer_paths = config
            .cost_explorer
            .iter()
            .flat_map(|c| &c.paths)
            .map(|p| beside(config_path, p))
            .collect();
        let state = beside(config_path, &config.state);
        let notifiers = build_notifiers(&config, settings).map_err(GuardError::from)?;
        Ok(Guard {
            config,
            config_text,
            paths,
            explorer_paths,
            state,
            notifiers,
            threads: settings.threads(),
            aws,
        })
    }

    fn channels(&self) -> Vec<String> {
        self.notifiers
            .iter()
            .map(|n| n.channel().to_owned())
            .collect()
    }

    fn retry(&self) -> Retry {
        Retry {
            base_seconds: self.config.outbox.retry_base_seconds,
            max_seconds: self.config.outbox.retry_max_seconds,
        }
    }

    /// One cycle: when the inputs changed, evaluate and enqueue (before any
    /// send); then deliver what is due, until `stop` is set.
    pub fn cycle(&self, clock: &dyn Clock, stop: &AtomicBool) -> Result<CycleReport, AppError> {
        let _run = self.run_lock()?;
        let now = clock.now();
        let mut outbox = Outbox::open(&self.state).map_err(GuardError::from)?;
        let mut cache = InputCache::open(&self.state)?;
        let mut report = CycleReport::default();
        let summary = self.evaluate_if_changed(&mut outbox, &mut cache, now, &mut report)?;
        self.deliver(&outbox, clock, stop, &mut report)
            .map_err(GuardError::from)?;
        report.summary = format!(
            "guard: {summary}, {} deliveries sent, {} failed, {} waiting, {} parked",
            report.sent,
            report.failed,
            outbox.pending().map_err(GuardError::from)?,
            outbox.parked().map_err(GuardError::from)?
        );
        Ok(report)
    }

    fn evaluate_if_changed(
        &self,
        outbox: &mut Outbox,
        cache: &mut InputCache,
        now: Timestamp,
        report: &mut CycleReport,
    ) -> Result<String, AppError> {
        let day = now.date().to_string();
        let explorer = self.explorer_files(cache, now, report)?;
        let mut scanned = self.paths.clone();
        scanned.extend(explorer.iter().cloned());
        let inputs = inputs::scan(
            cache,
            &scanned,
            &self.state,
            &self.config_text,
            &day,
            &self.aws,
        )?;
        let unchanged = cache.state(INPUTS_KEY)?.as_deref() == Some(&inputs.fingerprint);
        if unchanged {
            tracing::info!(
                files = inputs.files.len(),
                "inputs unchanged; no accounting"
            );
            // Touched files (same bytes) keep their new mtime: no rehash next time.
            cache.remember_inputs(&inputs.files, INPUTS_KEY, &inputs.fingerprint)?;
            return Ok("inputs unchanged since the last cycle, 0 new alerts".to_owned());
        }
        tracing::info!(
            changed = inputs.changed,
            files = inputs.files.len(),
            "inputs changed"
        );
        let evaluation = self.evaluate(outbox, cache, &inputs, &explorer, now, report)?;
        cache.remember_inputs(&inputs.files, INPUTS_KEY, &inputs.fingerprint)?;
        report.sources = evaluation.sources.clone();
        Ok(format!(
            "{} of {} files re-read ({} from the cache), {} alerts ({} new), figures from {}",
            evaluation.reread,
            evaluation.reread + evaluation.cached,
            evaluation.cached,
            evaluation.alerts,
            evaluation.new,
            self.sources_label(&evaluation.sources)
        ))
    }

    /// The sources read, by name; Cost Explorer marked live where the
    /// config asks it live.
    fn sources_label(&self, sources: &[DataSource]) -> String {
        let live = self.config.cost_explorer.as_ref().is_some_and(|c| c.live);
        let names: Vec<String> = sources
            .iter()
            .map(|s| match s {
                DataSource::CostExplorer if live => format!("{} (live)", s.as_str()),
                _ => s.as_str().to_owned(),
            })
            .collect();
        if names.is_empty() {
            "no billing data".to_owned()
        } else {
            names.join(", ")
        }
    }

    /// The Cost Explorer files of this cycle: those of `[cost_explorer]
    /// paths` (folders listed), then this month asked live within the budget.
    fn explorer_files(
        &self,
        cache: &InputCache,
        now: Timestamp,
        report: &mut CycleReport,
    ) -> Result<Vec<PathBuf>, AppError> {
        let mut files = Vec::new();
        for path in &self.explorer_paths {
            files.extend(inputs::list_files(path, &self.state)?);
        }
        if let Some(config) = self.config.cost_explorer.as_ref().filter(|c| c.live) {
            let cache_dir = inputs::explorer_cache_dir(&self.state);
            let refresh = cost_explorer::refresh(config, &self.aws, &cache_dir, cache, now)?;
            report.notes.extend(refresh.notes);
            report.warnings.extend(refresh.warnings);
            files.extend(refresh.files);
        }
        Ok(files)
    }

    /// Holds `<state>.lock` for the cycle, so that two guard runs on one
    /// state database never send the same deliveries; a second run waits.
    fn run_lock(&self) -> Result<RunLock, GuardError> {
        let mut path = self.state.clone().into_os_string();
        path.push(".lock");
        RunLock::acquire(Path::new(&path), RUN_LOCK_WAIT).map_err(GuardError::Locked)
    }

    /// Reads the inputs (only the billing files whose ledger the state does
    /// not hold), applies the rules and enqueues every alert.
    fn evaluate(
        &self,
        outbox: &mut Outbox,
        cache: &mut InputCache,
        inputs: &inputs::Inputs,
        explorer: &[PathBuf],
        now: Timestamp,
        report: &mut CycleReport,
    ) -> Result<Evaluation, AppError> {
        let catalog = Catalog::embedded();
        let context = Context {
            account_created: self.config.account_created,
            now: Some(now),
            ..Context::default()
        };
        let mut sources = Source::classify_all(&self.paths);
        sources.extend(explorer.iter().map(|path| Source {
            path: path.clone(),
            kind: SourceKind::CostExplorer,
        }));
        let mut context = api_context(&sources, context)?;
        let billing = paths_of(&sources, SourceKind::Billing);
        let json_files = sources.len() - billing.len();
        let mut accounting = accounting::account(
            cache,
            &catalog,
            &billing,
            inputs,
            self.config.account.clone(),
            self.threads,
        )?;
        tracing::info!(
            reread = accounting.reread,
            cached = accounting.cached,
            "billing files accounted"
        );
        report.notes.extend(accounting.notes.iter().cloned());
        let explorer = paths_of(&sources, SourceKind::CostExplorer);
        crate::cost_explorer::read_files(&mut accounting.ledger, &explorer, &mut context)?;
        let from_explorer = (!explorer.is_empty()).then_some(DataSource::CostExplorer);
        let read_from = from_explorer
            .into_iter()
            .chain(accounting.sources.iter().copied());
        context.sources = each_once(read_from.collect());
        let read: Vec<PathBuf> = sources.iter().map(|s| s.path.clone()).collect();
        let checked = finish(&accounting.ledger, &accounting.files, &read, &context)?;
        let alerts = ftdesk_guard::evaluate(&checked, &self.config, now);
        let channels = self.channels();
        let mut new = 0;
        for alert in &alerts {
            let queued = outbox
                .enqueue(alert, &channels, now.unix())
                .map_err(GuardError::from)?;
            new += usize::from(queued);
        }
        tracing::info!(alerts = alerts.len(), new, "rules evaluated");
        Ok(Evaluation {
            reread: accounting.reread + json_files,
            cached: accounting.cached,
            alerts: alerts.len(),
            new,
            sources: checked.sources.clone(),
        })
    }

    /// Sends what is due. A channel that fails is not tried again this
    /// cycle (a blackholed receiver costs one timeout, and the other channels
    /// still go); a delivery for a channel no longer configured is parked.
    fn deliver(
        &self,
        outbox: &Outbox,
        clock: &dyn Clock,
        stop: &AtomicBool,
        report: &mut CycleReport,
    ) -> Result<(), OutboxError> {
        for (channel, count) in
            outbox.park_removed_channels(&self.channels(), clock.now().unix())?
        {
            report.warnings.push(format!(
                "warning: channel `{channel}` is no longer in the config; \
                 its {count} waiting deliveries are parked"
            ));
            report.parked += count;
        }
        let mut failed_channels = Vec::new();
        for delivery in outbox.due(clock.now().unix())? {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let id = &delivery.alert.id;
            let Some(notifier) = self
                .notifiers
                .iter()
                .find(|n| n.channel() == delivery.channel)
            else {
                continue; // parked above
            };
            if failed_channels.contains(&delivery.channel) {
                continue;
            }
            match notifier.send(&delivery.alert) {
                Ok(()) => {
                    outbox.mark_sent(id, &delivery.channel, clock.now().unix())?;
                    tracing::info!(alert = %id, channel = %delivery.channel, "sent");
                    report.sent += 1;
                }
                Err(error) => {
                    let attempts = outbox.mark_failed(
                        id,
                        &delivery.channel,
                        &error.to_string(),
                        clock.now().unix(),
                        self.retry(),
                    )?;
                    tracing::warn!(alert = %id, attempts, %error, "send failed; will retry");
                    report.warnings.push(format!(
                        "warning: {error} (alert {id}, attempt {attempts}; kept for retry)"
                    ));
                    report.failed += 1;
                    failed_channels.push(delivery.channel.clone());
                }
            }
        }
        Ok(())
    }
}

fn build_notifiers(
    config: &GuardConfig,
    settings: &Settings,
) -> Result<Vec<Box<dyn Notifier>>, ftdesk_notify::NotifyError> {
    let default = [NotifierSpec::Stdout {
        name: Some("stdout".into()),
    }];
    let specs = if config.notify.is_empty() {
        &default[..]
    } else {
        &config.notify[..]
    };
    let env = |var: &str| settings.var(var);
    let timeout = Duration::from_secs(config.outbox.send_timeout_seconds);
    specs
        .iter()
        .enumerate()
        .map(|(index, spec)| ftdesk_notify::build(spec, spec.channel(index), &env, timeout))
        .collect()
}
