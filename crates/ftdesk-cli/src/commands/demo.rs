//! `ftdesk demo`: the main job on a bundled synthetic account.

use std::process::ExitCode;

use anyhow::Context as _;
use ftdesk_core::{Catalog, Context};

use crate::args::DemoArgs;
use crate::commands::check;

/// The scenario the demo shows: a student's Seoul account in an open month.
const DEMO_SCENARIO: &str = "seoul-student";

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::embedded();
    let scenario = ftdesk_sample::find(DEMO_SCENARIO)
        .context("the demo scenario is missing from this build")?;
    let dir = tempfile::tempdir().context("creating a temporary folder for the demo data")?;
    let path = ftdesk_sample::write_scenario(scenario, &catalog, dir.path(), false)?;
    eprintln!("Demo on bundled synthetic data: {}\n", scenario.summary);
    tracing::info!("demo data written to {}", path.display());
    let generated = scenario.generate(&catalog);
    let context = Context {
        month: Some(generated.month),
        plan: None,
        account_created: generated.truth.account_created,
        ..Context::default()
    };
    let report = check::check(&catalog, &[path], None, &context)?;
    check::emit(&report, &args.report)?;
    Ok(ExitCode::SUCCESS)
}
