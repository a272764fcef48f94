//! `ftdesk`: explains AWS Free Tier bills. Parsing and wiring only; the use
//! cases live in `ftdesk-app`, the work in the library crates.

use std::process::ExitCode;

mod args;
mod commands;
mod env;
mod output;
mod progress;

fn main() -> ExitCode {
    let args = args::parse();
    let env = env::Env::system();
    output::set_quiet(args.quiet);
    init_logging(args.verbose, args.quiet, &env.settings);
    match commands::run(args, &env) {
        Ok(code) => code,
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs to standard error, in colour only on a terminal and without NO_COLOR.
fn init_logging(verbose: u8, quiet: bool, settings: &ftdesk_app::Settings) {
    use std::io::IsTerminal;
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "ftdesk=info,warn",
        _ => "debug",
    };
    let filter = settings
        .log_filter()
        .and_then(|f| tracing_subscriber::EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal() && !settings.no_color())
        .with_target(false)
        .init();
}
