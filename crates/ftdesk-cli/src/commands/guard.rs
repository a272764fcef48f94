//! `ftdesk guard`: read the billing data, evaluate the rules, put new alerts
//! in the outbox, deliver what is due; once, or every `interval_seconds`
//! until SIGTERM or Ctrl-C (the send under way is finished first).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use ftdesk_core::{Catalog, Context, Timestamp};
use ftdesk_guard::{GuardConfig, NotifierSpec};
use ftdesk_notify::{Notifier, Outbox, Retry, RunLock};

use crate::args::{GuardArgs, GuardCommand};
use crate::commands::{check, guard_plan, guard_sources};

/// Exit status of `--once` when some delivery failed (it stays queued).
const DELIVERY_FAILED: u8 = 3;
/// How long a run waits for another run on the same state database.
const RUN_LOCK_WAIT: Duration = Duration::from_secs(30 * 60);

pub fn run(args: GuardArgs) -> anyhow::Result<ExitCode> {
    if let Some(GuardCommand::Plan(plan)) = args.command {
        return guard_plan::run(plan);
    }
    let Some(config) = args.config else {
        bail!("ftdesk guard needs --config FILE (see examples/guard.toml), or `ftdesk guard plan`");
    };
    let guard = Guard::load(&config)?;
    let stop = stop_flag()?;
    loop {
        let outcome = guard.cycle(&stop)?;
        if args.once {
            return Ok(outcome.exit_code());
        }
        if wait_or_stop(&stop, Duration::from_secs(guard.config.interval_seconds)) {
            tracing::info!("stopping: signal received");
            return Ok(ExitCode::SUCCESS);
        }
    }
}

/// Set by SIGTERM or SIGINT; checked between sends and while waiting.
fn stop_flag() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("installing the signal handler")?;
    }
    Ok(stop)
}

/// Sleeps up to `total`; true when a stop was asked for.
fn wait_or_stop(stop: &AtomicBool, total: Duration) -> bool {
    let until = Instant::now() + total;
    while Instant::now() < until {
        if stop.load(Ordering::SeqCst) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.load(Ordering::SeqCst)
}

struct Guard {
    config: GuardConfig,
    /// The file as read: part of the inputs' fingerprint.
    config_text: String,
    paths: Vec<PathBuf>,
    state: PathBuf,
    notifiers: Vec<Box<dyn Notifier>>,
}

/// What a cycle's accounting and rules did.
struct Evaluation {
    /// Files read (the Free Tier API's JSON is always read).
    reread: usize,
    /// Billing files whose ledger came from the state database.
    cached: usize,
    alerts: usize,
    new: usize,
}

#[derive(Debug, Default)]
struct Outcome {
    sent: usize,
    failed: usize,
    parked: usize,
}

impl Outcome {
    fn exit_code(&self) -> ExitCode {
        match self.failed + self.parked {
            0 => ExitCode::SUCCESS,
            _ => ExitCode::from(DELIVERY_FAILED),
        }
    }
}

/// A relative path in the config is relative to the config file's folder.
fn beside(config: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() || path.to_string_lossy().starts_with("s3://") {
        return path.to_path_buf();
    }
    config.parent().unwrap_or(Path::new(".")).join(path)
}

/// Reads and checks a guard.toml.
pub fn read_config(config_path: &Path) -> anyhow::Result<GuardConfig> {
    Ok(read_config_text(config_path)?.0)
}

fn read_config_text(config_path: &Path) -> anyhow::Result<(GuardConfig, String)> {
    let text = std::fs::read_to_string(config_path)
        .with_context(|| format!("reading {}", config_path.display()))?;
    let config = GuardConfig::parse(&text, &config_path.display().to_string())?;
    Ok((config, text))
}

impl Guard {
    fn load(config_path: &Path) -> anyhow::Result<Self> {
        let (mut config, config_text) = read_config_text(config_path)?;
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
        let state = beside(config_path, &config.state);
        let notifiers = build_notifiers(&config)?;
        Ok(Guard {
            config,
            config_text,
            paths,
            state,
            notifiers,
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
    /// send); then deliver what is due.
    fn cycle(&self, stop: &AtomicBool) -> anyhow::Result<Outcome> {
        let _run = self.run_lock()?;
        let now = check::now();
        let mut outbox = Outbox::open(&self.state)?;
        let inputs = guard_sources::scan(
            &outbox,
            &self.paths,
            &self.state,
            &self.config_text,
            &now.date().to_string(),
        )?;
        let unchanged =
            outbox.state(guard_sources::INPUTS_KEY)?.as_deref() == Some(&inputs.fingerprint);
        let summary = if unchanged {
            tracing::info!(
                files = inputs.files.len(),
                "inputs unchanged; no accounting"
            );
            // Touched files (same bytes) keep their new mtime: no rehash next time.
            outbox.remember_inputs(
                &inputs.files,
                guard_sources::INPUTS_KEY,
                &inputs.fingerprint,
            )?;
            "inputs unchanged since the last cycle, 0 new alerts".to_owned()
        } else {
            tracing::info!(
                changed = inputs.changed,
                files = inputs.files.len(),
                "inputs changed"
            );
            let evaluation = self.evaluate(&mut outbox, &inputs, now)?;
            outbox.remember_inputs(
                &inputs.files,
                guard_sources::INPUTS_KEY,
                &inputs.fingerprint,
            )?;
            format!(
                "{} of {} files re-read ({} from the cache), {} alerts ({} new)",
                evaluation.reread,
                evaluation.reread + evaluation.cached,
                evaluation.cached,
                evaluation.alerts,
                evaluation.new
            )
        };
        let outcome = self.deliver(&outbox, stop)?;
        eprintln!(
            "guard: {summary}, {} deliveries sent, {} failed, {} waiting, {} parked",
            outcome.sent,
            outcome.failed,
            outbox.pending()?,
            outbox.parked()?
        );
        Ok(outcome)
    }

    /// Holds `<state>.lock` for the cycle, so that two guard runs on one
    /// state database never send the same deliveries; a second run waits.
    fn run_lock(&self) -> anyhow::Result<RunLock> {
        let mut path = self.state.clone().into_os_string();
        path.push(".lock");
        RunLock::acquire(Path::new(&path), RUN_LOCK_WAIT)
            .context("another guard run on this state database did not finish in time")
    }

    /// Reads the inputs (only the billing files whose ledger the state does
    /// not hold), applies the rules and enqueues every alert.
    fn evaluate(
        &self,
        outbox: &mut Outbox,
        inputs: &guard_sources::Inputs,
        now: Timestamp,
    ) -> anyhow::Result<Evaluation> {
        let catalog = Catalog::embedded();
        let context = Context {
            account_created: self.config.account_created,
            now: Some(now),
            ..Context::default()
        };
        let (billing, context) = check::api_inputs(&self.paths, &context)?;
        let api_files = self.paths.len() - billing.len();
        let accounting = guard_sources::account(
            outbox,
            &catalog,
            &billing,
            inputs,
            self.config.account.clone(),
        )?;
        tracing::info!(
            reread = accounting.reread,
            cached = accounting.cached,
            "billing files accounted"
        );
        let report = check::finish(&accounting.ledger, &accounting.files, &self.paths, &context)?;
        let alerts = ftdesk_guard::evaluate(&report, &self.config, now);
        let channels = self.channels();
        let mut new = 0;
        for alert in &alerts {
            new += usize::from(outbox.enqueue(alert, &channels, now.unix())?);
        }
        tracing::info!(alerts = alerts.len(), new, "rules evaluated");
        Ok(Evaluation {
            reread: accounting.reread + api_files,
            cached: accounting.cached,
            alerts: alerts.len(),
            new,
        })
    }

    /// Sends what is due. A channel that fails is not tried again this
    /// cycle (a blackholed receiver costs one timeout, and the other channels
    /// still go); a delivery for a channel no longer configured is parked.
    fn deliver(&self, outbox: &Outbox, stop: &AtomicBool) -> anyhow::Result<Outcome> {
        let mut outcome = Outcome::default();
        for (channel, count) in
            outbox.park_removed_channels(&self.channels(), check::now().unix())?
        {
            eprintln!(
                "warning: channel `{channel}` is no longer in the config; \
                 its {count} waiting deliveries are parked"
            );
            outcome.parked += count;
        }
        let mut failed_channels = Vec::new();
        for delivery in outbox.due(check::now().unix())? {
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
                    outbox.mark_sent(id, &delivery.channel, check::now().unix())?;
                    tracing::info!(alert = %id, channel = %delivery.channel, "sent");
                    outcome.sent += 1;
                }
                Err(error) => {
                    let attempts = outbox.mark_failed(
                        id,
                        &delivery.channel,
                        &error.to_string(),
                        check::now().unix(),
                        self.retry(),
                    )?;
                    tracing::warn!(alert = %id, attempts, %error, "send failed; will retry");
                    eprintln!("warning: {error} (alert {id}, attempt {attempts}; kept for retry)");
                    outcome.failed += 1;
                    failed_channels.push(delivery.channel.clone());
                }
            }
        }
        Ok(outcome)
    }
}

fn build_notifiers(config: &GuardConfig) -> anyhow::Result<Vec<Box<dyn Notifier>>> {
    let default = [NotifierSpec::Stdout {
        name: Some("stdout".into()),
    }];
    let specs = if config.notify.is_empty() {
        &default[..]
    } else {
        &config.notify[..]
    };
    let env = |var: &str| std::env::var(var).ok();
    let timeout = Duration::from_secs(config.outbox.send_timeout_seconds);
    specs
        .iter()
        .enumerate()
        .map(|(index, spec)| {
            Ok(ftdesk_notify::build(
                spec,
                spec.channel(index),
                &env,
                timeout,
            )?)
        })
        .collect()
}
