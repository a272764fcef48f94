//! One module per subcommand.

use std::process::ExitCode;

use crate::args::{Cli, Command};

mod check;
mod demo;
mod desk;
mod guard;
mod guard_plan;
mod guard_sources;
mod practice;
mod practice_case;
mod practice_live;
mod reply;
mod sample;
mod sql;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Sources(args) => {
            crate::output::write(None, &ftdesk_render::sources::text(args.lang.into()))?;
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Sample(args) => sample::run(args),
        Command::Reply(args) => reply::run(args),
        Command::Practice(args) => practice::run(args),
        Command::Guard(args) => guard::run(args),
        Command::Desk(args) => desk::run(args),
        Command::Sql(args) => sql::run(args),
    }
}
