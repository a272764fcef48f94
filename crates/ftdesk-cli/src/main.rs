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
    output::set_quiet(args.quiet);
    let env = match env::Env::load(args.color) {
        Ok(env) => env,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::from(2);
        }
    };
    init_logging(args.verbose, args.quiet, &env);
    match commands::run(args, &env) {
        Ok(code) => code,
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs to standard error, in colour as `--color` says (auto: only on a
/// terminal and without NO_COLOR).
fn init_logging(verbose: u8, quiet: bool, env: &env::Env) {
    use std::io::IsTerminal;
    let settings = &env.settings;
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
        .with_ansi(output::use_color(
            env.color,
            settings,
            std::io::stderr().is_terminal(),
        ))
        .with_target(false)
        .init();
}
