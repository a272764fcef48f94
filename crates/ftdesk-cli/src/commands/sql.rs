//! `ftdesk sql`: the accounting as SQL for the engine where the report lives.

use std::process::ExitCode;

use ftdesk_core::Catalog;
use ftdesk_sql::{Options, Source};

use crate::args::SqlArgs;
use crate::env::Env;

pub fn run(args: SqlArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let source = match (args.table, args.path) {
        (Some(table), _) => Source::Table(table),
        (None, Some(path)) => Source::Path(path),
        (None, None) => anyhow::bail!("give --table NAME or --path FILE_OR_GLOB"),
    };
    let options = Options {
        dialect: args.dialect.into(),
        format: args.format.into(),
        source,
        month: args.month,
        plan: args.plan.map(Into::into).or(env.config.plan),
    };
    let sql = ftdesk_sql::generate(&Catalog::embedded(), &options)?;
    crate::output::write(args.out.as_deref(), &sql)?;
    Ok(ExitCode::SUCCESS)
}
