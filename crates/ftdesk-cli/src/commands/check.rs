//! `ftdesk check`: billing files in, one explained report out.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::bail;
use ftdesk_app::{AwsOptions, CheckRequest, LiveRequest, Scope};
use ftdesk_core::{Catalog, Report};

use crate::args::{CheckArgs, LiveSourceArg};
use crate::env::Env;
use crate::output;
use crate::progress::Progress;

pub fn run(args: CheckArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::embedded();
    let live_explorer = args.live && args.source == LiveSourceArg::CostExplorer;
    if !live_explorer
        && (args.since.is_some() || args.yes || args.source != LiveSourceArg::FreeTier)
    {
        bail!("--source, --since and --yes go with --live");
    }
    let aws = env.aws(&args.aws);
    let mut request = CheckRequest {
        paths: args.paths.clone(),
        scope: scope(&args, env),
        aws: aws.clone(),
        ..CheckRequest::default()
    };
    let live_aws = AwsOptions {
        endpoint_url: args.endpoint_url.clone(),
        ..aws
    };
    if live_explorer {
        let live = LiveRequest {
            month: args.month,
            since: args.since,
            aws: live_aws,
        };
        let yes = args.yes;
        let (files, notes) =
            ftdesk_app::fetch_months(&live, env.clock.now(), &env.settings, &mut |question| {
                output::confirm(question, yes)
            })?;
        output::tell(&notes);
        request.paths.extend(files);
    } else if args.live {
        request.api = Some(ftdesk_app::fetch_free_tier(&live_aws)?);
    }
    let report = match (&args.pasted, args.month) {
        (Some(file), Some(month)) if !live_explorer => {
            let lines = ftdesk_app::read_pasted(file, &catalog)?;
            let api = request.api.take();
            ftdesk_app::check_pasted(&catalog, &lines, month, file, &request.scope, api)?
        }
        _ => checked(&catalog, &request, env)?,
    };
    let started = std::time::Instant::now();
    output::emit_report(&report, &args.report, env)?;
    tracing::info!(elapsed = ?started.elapsed(), "report written");
    let verdict = ftdesk_app::judge(&report, &args.fail_on);
    // The process ends here: freeing a report of 50,000 charges piece by
    // piece would only delay the exit.
    std::mem::forget(report);
    for line in verdict.unknown.iter().chain(&verdict.failed) {
        eprintln!("fail-on: {line}");
    }
    Ok(if verdict.fails() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn scope(args: &CheckArgs, env: &Env) -> Scope {
    Scope {
        month: args.month,
        plan: args.plan.map(Into::into).or(env.config.plan),
        account_created: args.account_created.or(env.config.account_created),
        account: args.account.clone(),
        now: Some(env.clock.now()),
    }
}

/// Checks with a progress bar over the bytes read, on a terminal.
fn checked(catalog: &Catalog, request: &CheckRequest, env: &Env) -> anyhow::Result<Report> {
    let progress = Progress::bytes().map(Arc::new);
    let watch = progress.clone().map(|p| p as Arc<dyn ftdesk_io::Watch>);
    let tell = &mut |note: &ftdesk_app::ReadingNote| match &progress {
        Some(p) => p.suspend(|| output::tell_one(note)),
        None => output::tell_one(note),
    };
    let checked = ftdesk_app::check_watching(catalog, request, &env.settings, tell, watch)?;
    Ok(checked.report)
}
