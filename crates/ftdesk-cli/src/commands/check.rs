//! `ftdesk check`: billing files in, one explained report out.

use std::process::ExitCode;

use anyhow::bail;
use ftdesk_app::{CheckRequest, LiveRequest, Scope};
use ftdesk_core::{Catalog, Report};

use crate::args::{CheckArgs, LiveSourceArg};
use crate::env::Env;
use crate::output;

pub fn run(args: CheckArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::embedded();
    let live_explorer = args.live && args.source == LiveSourceArg::CostExplorer;
    if !live_explorer
        && (args.since.is_some() || args.yes || args.source != LiveSourceArg::FreeTier)
    {
        bail!("--source, --since and --yes go with --live");
    }
    let mut request = CheckRequest {
        paths: args.paths.clone(),
        scope: scope(&args, env),
        ..CheckRequest::default()
    };
    if live_explorer {
        let live = LiveRequest {
            month: args.month,
            since: args.since,
            endpoint_url: args.endpoint_url.clone(),
            profile: args.profile.clone(),
        };
        let yes = args.yes;
        let (files, notes) =
            ftdesk_app::fetch_months(&live, env.clock.now(), &env.settings, &mut |question| {
                confirm(question, yes)
            })?;
        output::tell(&notes);
        request.paths.extend(files);
    } else if args.live {
        let options = ftdesk_freetier::LiveOptions {
            endpoint_url: args.endpoint_url.clone(),
            profile: args.profile.clone(),
        };
        request.api = Some(ftdesk_freetier::fetch_live(&options)?);
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
    output::emit_report(&report, &args.report, &env.settings)?;
    tracing::info!(elapsed = ?started.elapsed(), "report written");
    // The process ends here: freeing a report of 50,000 charges piece by
    // piece would only delay the exit.
    std::mem::forget(report);
    Ok(ExitCode::SUCCESS)
}

fn scope(args: &CheckArgs, env: &Env) -> Scope {
    Scope {
        month: args.month,
        plan: args.plan.map(Into::into),
        account_created: args.account_created,
        account: args.account.clone(),
        now: Some(env.clock.now()),
    }
}

fn checked(catalog: &Catalog, request: &CheckRequest, env: &Env) -> anyhow::Result<Report> {
    let checked = ftdesk_app::check(catalog, request, &env.settings)?;
    output::tell(&checked.notes);
    Ok(checked.report)
}

/// Asks on the terminal, or takes `--yes`; with neither, refuses.
fn confirm(question: &str, yes: bool) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    eprintln!("{question}");
    if yes {
        eprintln!("yes (--yes)");
        return true;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("no terminal to ask on: give --yes to agree to the cost");
        return false;
    }
    eprint!("[y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes" | "Yes")
}
