//! `ftdesk`: explains AWS Free Tier bills. Parsing and wiring only; the use
//! cases live in `ftdesk-app`, the work in the library crates.

use std::process::ExitCode;

mod args;
mod commands;
mod env;
mod output;

fn main() -> ExitCode {
    let args = args::parse();
    let env = env::Env::system();
    init_logging(args.verbose, env.settings.log_filter());
    match commands::run(args, &env) {
        Ok(code) => code,
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn init_logging(verbose: u8, log_filter: Option<String>) {
    let default = match verbose {
        0 => "warn",
        1 => "ftdesk=info,warn",
        _ => "debug",
    };
    let filter = log_filter
        .and_then(|f| tracing_subscriber::EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
