//! `ftdesk completions SHELL` and `ftdesk man [COMMAND]`: both from the clap
//! definitions, so they never drift from `--help`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs, ManArgs};

pub fn completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "ftdesk", &mut script);
    crate::output::write(None, &String::from_utf8(script)?)?;
    Ok(ExitCode::SUCCESS)
}

pub fn man(args: ManArgs) -> anyhow::Result<ExitCode> {
    let mut ftdesk = Cli::command();
    ftdesk.build();
    let page = match &args.command {
        None => ftdesk,
        Some(name) => match ftdesk.find_subcommand(name) {
            Some(command) => {
                // Once per process: the page's title, `ftdesk-check(1)`.
                let title: &'static str = format!("ftdesk-{name}").leak();
                command.clone().name(title)
            }
            None => {
                let known: Vec<&str> = ftdesk.get_subcommands().map(|c| c.get_name()).collect();
                bail!(
                    "man: no command `{name}`; the commands are {}",
                    known.join(", ")
                );
            }
        },
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .context("writing the manual page")?;
    std::io::stdout().lock().write_all(&roff)?;
    Ok(ExitCode::SUCCESS)
}
