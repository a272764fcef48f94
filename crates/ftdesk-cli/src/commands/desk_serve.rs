//! `ftdesk desk serve`: the web desk and its mail intake, with the
//! application layer's `DeskAnalyst` as the analyst.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use ftdesk_app::DeskAnalyst;
use ftdesk_desk::{ServeOptions, Store};
use ftdesk_io::ReadLimits;

use crate::args::DeskCommand;
use crate::env::Env;

/// Where the web pages listen when neither `--listen` nor config.toml says.
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

pub fn run(command: DeskCommand, env: &Env) -> anyhow::Result<ExitCode> {
    let DeskCommand::Serve {
        db,
        listen,
        smtp_in,
        smtp_out,
        smtp_ca_file,
        mail_from,
        max_message_size,
        web_limits,
        max_inflated_mib,
        max_rows,
        analysis_timeout_seconds,
        max_analyses,
        analysis_attempts,
        smtp_max_connections,
        smtp_session_timeout,
        smtp_line_timeout,
    } = command
    else {
        unreachable!("desk_serve runs `desk serve` only");
    };
    let analyst = DeskAnalyst::new(
        ReadLimits {
            max_inflated_bytes: Some(max_inflated_mib.saturating_mul(1024 * 1024)),
            max_rows: Some(max_rows),
        },
        Duration::from_secs(analysis_timeout_seconds),
        max_analyses,
        env.settings.clone(),
        Arc::clone(&env.clock),
    );
    let smtp_out = smtp_out
        .map(|url| smtp_out_server(&url, smtp_ca_file, env))
        .transpose()?;
    let store = Store::open(&env.desk_db(db)?)?;
    let options = ServeOptions {
        listen: listen
            .or_else(|| env.config.listen.clone())
            .unwrap_or_else(|| DEFAULT_LISTEN.to_owned()),
        smtp_in,
        web: ftdesk_desk::web::WebConfig {
            smtp_out,
            mail_from,
            secure_cookies: true,
            max_upload: max_message_size,
            limits: web_limits.into(),
        },
        smtp: ftdesk_desk::smtp::SmtpConfig {
            max_size: max_message_size,
            max_connections: smtp_max_connections as usize,
            session_timeout: Duration::from_secs(smtp_session_timeout),
            line_timeout: Duration::from_secs(smtp_line_timeout),
            ..Default::default()
        },
        analysis_attempts: analysis_attempts.max(1),
        clock: Arc::clone(&env.clock),
    };
    ftdesk_desk::serve(store, Arc::new(analyst), options)?;
    Ok(ExitCode::SUCCESS)
}

/// The outgoing server, checked before the desk starts: a bad URL or an
/// unreadable CA file is an error now, not at the first reply.
fn smtp_out_server(
    url: &str,
    ca_file: Option<PathBuf>,
    env: &Env,
) -> anyhow::Result<ftdesk_desk::SmtpOut> {
    let password = env.settings.smtp_password();
    let out = ftdesk_desk::SmtpOut::parse(url, password, ca_file).map_err(anyhow::Error::msg)?;
    out.relay().context("--smtp-ca-file")?;
    Ok(out)
}
