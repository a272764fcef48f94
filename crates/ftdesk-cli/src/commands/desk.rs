//! `ftdesk desk`: the web desk. The desk crate keeps the cases; this module
//! gives it the accounting (`check`) and the draft (`reply`) as its analyst.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use ftdesk_desk::{Analysis, Analyst, ServeOptions, Store};
use ftdesk_render::{Format, Lang};
use ftdesk_reply::Inquiry;

use crate::args::{
    DeskArgs, DeskCommand, DeskRoleArg, LangArg, ReplyArgs, ReplyFormatArg, ReplyLangArg,
};
use crate::commands::reply;

pub fn run(args: DeskArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        DeskCommand::Init { db, admin } => init(&db, &admin),
        DeskCommand::Import { db, eml, paths } => import(&db, &eml, &paths),
        DeskCommand::Serve {
            db,
            listen,
            smtp_in,
            smtp_out,
            smtp_ca_file,
            mail_from,
            max_message_size,
            smtp_max_connections,
            smtp_session_timeout,
            smtp_line_timeout,
        } => {
            let smtp_out = smtp_out
                .map(|url| smtp_out_server(&url, smtp_ca_file))
                .transpose()?;
            let store = Store::open(&db)?;
            let options = ServeOptions {
                listen,
                smtp_in,
                web: ftdesk_desk::web::WebConfig {
                    smtp_out,
                    mail_from,
                    secure_cookies: true,
                    max_upload: max_message_size,
                },
                smtp: ftdesk_desk::smtp::SmtpConfig {
                    max_size: max_message_size,
                    max_connections: smtp_max_connections as usize,
                    session_timeout: Duration::from_secs(smtp_session_timeout),
                    line_timeout: Duration::from_secs(smtp_line_timeout),
                    ..Default::default()
                },
            };
            ftdesk_desk::serve(store, Arc::new(CheckAndReply), options)?;
            Ok(ExitCode::SUCCESS)
        }
        DeskCommand::User {
            db,
            email,
            role,
            lang,
        } => {
            let store = Store::open(&db)?;
            let role = match role {
                DeskRoleArg::Associate => "associate",
                DeskRoleArg::Lead => "lead",
            };
            let lang = match lang {
                LangArg::En => "en",
                LangArg::Ko => "ko",
            };
            let password = store.add_user(&email, role, lang, ftdesk_desk::now())?;
            println!("{email} ({role}): one-time password {password}");
            Ok(ExitCode::SUCCESS)
        }
        DeskCommand::Backup { db, out } => {
            Store::open(&db)?.backup(&out)?;
            println!(
                "desk: consistent copy of {} written to {}",
                db.display(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn init(db: &Path, admin: &str) -> anyhow::Result<ExitCode> {
    let (_, password) = Store::init(db, admin, ftdesk_desk::now())?;
    println!("desk: created {}", db.display());
    println!("lead {admin}: one-time password {password}");
    println!("start it with: ftdesk desk serve --db {}", db.display());
    Ok(ExitCode::SUCCESS)
}

/// Analyses first, so bad billing data stores nothing; then keeps the case
/// (the same path as the upload form).
fn import(db: &Path, eml: &Path, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let store = Store::open(db)?;
    let raw =
        std::fs::read(eml).with_context(|| format!("reading the message {}", eml.display()))?;
    let files = ftdesk_desk::files_as_attachments(paths)?;
    let intake = match store.intake_checked(&CheckAndReply, &raw, &files, ftdesk_desk::now()) {
        Ok(intake) => intake,
        // The analyst's sentence names the billing file already.
        Err(ftdesk_desk::DeskError::Invalid(why)) => anyhow::bail!(why),
        Err(e) => return Err(anyhow::Error::new(e).context(eml.display().to_string())),
    };
    if intake.duplicate {
        println!(
            "desk: {} is in case {} already",
            eml.display(),
            intake.case_id
        );
        return Ok(ExitCode::SUCCESS);
    }
    let verb = if intake.new_case {
        "created"
    } else {
        "added to"
    };
    println!(
        "desk: case {} {verb} from {}",
        intake.case_id,
        eml.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `check` and `reply` as the desk's analyst.
struct CheckAndReply;

impl Analyst for CheckAndReply {
    fn analyse(&self, inquiry: &[u8], billing: &[PathBuf]) -> Result<Analysis, String> {
        analyse(inquiry, billing).map_err(|e| format!("{e:#}"))
    }
}

fn analyse(raw: &[u8], billing: &[PathBuf]) -> anyhow::Result<Analysis> {
    let mut inquiry = Inquiry::parse(raw).context("the customer's message")?;
    let args = ReplyArgs {
        inquiry: PathBuf::new(),
        paths: billing.to_vec(),
        lang: ReplyLangArg::Auto,
        format: ReplyFormatArg::Text,
        out: None,
        with_notes: false,
        templates: None,
        month: None,
        account: None,
        account_created: None,
        plan: None,
    };
    let (report, reply) = reply::draft(&args, &mut inquiry)?;
    let lang = reply.lang;
    Ok(Analysis {
        report_html: ftdesk_render::render(&report, Format::Html, lang, false)?,
        report_text: ftdesk_render::render(&report, Format::Text, lang, false)?,
        draft_subject: reply.subject,
        draft_text: reply.text,
        notes: reply.notes,
        lang: match lang {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
        .to_owned(),
    })
}

/// The outgoing server, checked before the desk starts: a bad URL or an
/// unreadable CA file is an error now, not at the first reply.
fn smtp_out_server(url: &str, ca_file: Option<PathBuf>) -> anyhow::Result<ftdesk_desk::SmtpOut> {
    let password = std::env::var("FTDESK_SMTP_PASSWORD").ok();
    let out = ftdesk_desk::SmtpOut::parse(url, password, ca_file).map_err(anyhow::Error::msg)?;
    out.relay().context("--smtp-ca-file")?;
    Ok(out)
}
