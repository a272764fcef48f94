//! `ftdesk demo`: the main job on a bundled synthetic account.

use std::process::ExitCode;

use anyhow::Context as _;
use ftdesk_app::{CheckRequest, Scope};
use ftdesk_core::Catalog;

use crate::args::DemoArgs;
use crate::env::Env;
use crate::output;
use crate::output::say;

/// The scenario the demo shows: a student's Seoul account in an open month.
const DEMO_SCENARIO: &str = "seoul-student";

pub fn run(args: DemoArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::embedded();
    let scenario = ftdesk_sample::find(DEMO_SCENARIO)
        .context("the demo scenario is missing from this build")?;
    let dir = tempfile::tempdir().context("creating a temporary folder for the demo data")?;
    let path = ftdesk_sample::write_scenario(scenario, &catalog, dir.path(), false)?;
    say!("Demo on bundled synthetic data: {}\n", scenario.summary);
    tracing::info!("demo data written to {}", path.display());
    let generated = scenario.generate(&catalog);
    let request = CheckRequest {
        paths: vec![path],
        scope: Scope {
            month: Some(generated.month),
            account_created: generated.truth.account_created,
            ..Scope::default()
        },
        ..CheckRequest::default()
    };
    let checked =
        ftdesk_app::check_telling(&catalog, &request, &env.settings, &mut output::tell_one)?;
    output::emit_report(&checked.report, &args.report, env)?;
    Ok(ExitCode::SUCCESS)
}
