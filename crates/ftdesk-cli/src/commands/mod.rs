//! One module per subcommand; none uses another.

use std::process::ExitCode;

use crate::args::{Cli, Command, DeskCommand, GuardCommand, PracticeCommand};
use crate::env::Env;

mod check;
mod demo;
mod desk;
mod desk_serve;
mod guard;
mod guard_plan;
mod practice;
mod practice_case;
mod practice_live;
mod reply;
mod sample;
mod shell;
mod sql;

pub fn run(cli: Cli, env: &Env) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check::run(args, env),
        Command::Demo(args) => demo::run(args, env),
        Command::Sources(args) => {
            let lang = env.lang(args.lang);
            crate::output::write(None, &ftdesk_render::sources::text(lang))?;
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Sample(args) => sample::run(args),
        Command::Reply(args) => reply::run(args, env),
        Command::Practice(args) => match args.command {
            PracticeCommand::Interview(args) if args.script.is_none() => {
                practice_live::run(&args, env)
            }
            PracticeCommand::Interview(args) => practice::interview(args, env),
            PracticeCommand::Report(args) => practice::report(args),
            PracticeCommand::Case(args) => practice_case::case(args, env),
            PracticeCommand::Grade(args) => practice_case::grade(args, env),
        },
        Command::Guard(mut args) => match args.command.take() {
            Some(GuardCommand::Plan(plan)) => guard_plan::run(plan),
            Some(GuardCommand::Run(run)) => guard::run(run, env),
            None => guard::run(args.run, env),
        },
        Command::Desk(args) => match args.command {
            command @ DeskCommand::Serve { .. } => desk_serve::run(command, env),
            command => desk::run(command, env),
        },
        Command::Sql(args) => sql::run(args, env),
        Command::Completions(args) => shell::completions(args),
        Command::Man(args) => shell::man(args),
    }
}
