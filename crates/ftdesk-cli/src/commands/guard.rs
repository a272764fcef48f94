//! `ftdesk guard`: read the billing data, evaluate the rules, put new alerts
//! in the outbox, deliver what is due; once, or every `interval_seconds`
//! until SIGTERM or Ctrl-C (the send under way is finished first).

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use ftdesk_app::guard::Guard;

use crate::args::GuardRunArgs;
use crate::env::Env;
use crate::output;
use crate::output::say;

/// Exit status of `--once` when some delivery failed (it stays queued).
const DELIVERY_FAILED: u8 = 3;

pub fn run(args: GuardRunArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let Some(config) = args.config else {
        bail!("ftdesk guard run needs --config FILE (see examples/guard.toml), or `ftdesk guard plan`");
    };
    let guard = Guard::load(&config, &env.settings, env.lang(None), env.aws(&args.aws))?;
    let stop = stop_flag()?;
    loop {
        let cycle = guard.cycle(env.clock.as_ref(), &stop)?;
        output::tell(&cycle.notes);
        for warning in &cycle.warnings {
            say!("{warning}");
        }
        say!("{}", cycle.summary);
        if args.once {
            return Ok(match cycle.delivered_all() {
                true => ExitCode::SUCCESS,
                false => ExitCode::from(DELIVERY_FAILED),
            });
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
