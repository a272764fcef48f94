//! `ftdesk desk`: the web desk. The desk crate keeps the cases; this module
//! gives it the accounting (`check`) and the draft (`reply`) as its analyst.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use ftdesk_desk::{Analysis, Analyst, ServeOptions, Store};
use ftdesk_io::ReadLimits;
use ftdesk_render::{Format, Lang};
use ftdesk_reply::Inquiry;

use crate::args::{
    DeskArgs, DeskCommand, DeskRoleArg, DeskUserAction, DeskWebLimits, LangArg, ReplyArgs,
    ReplyFormatArg, ReplyLangArg,
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
            web_limits,
            max_inflated_mib,
            max_rows,
            analysis_timeout_seconds,
            max_analyses,
            analysis_attempts,
            smtp_max_connections,
            smtp_session_timeout,
            smtp_line_timeout,
        } => {
            let analyst = CheckAndReply::new(
                ReadLimits {
                    max_inflated_bytes: Some(max_inflated_mib.saturating_mul(1024 * 1024)),
                    max_rows: Some(max_rows),
                },
                Duration::from_secs(analysis_timeout_seconds),
                max_analyses,
            );
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
                    limits: web_limits_of(web_limits),
                },
                smtp: ftdesk_desk::smtp::SmtpConfig {
                    max_size: max_message_size,
                    max_connections: smtp_max_connections as usize,
                    session_timeout: Duration::from_secs(smtp_session_timeout),
                    line_timeout: Duration::from_secs(smtp_line_timeout),
                    ..Default::default()
                },
                analysis_attempts: analysis_attempts.max(1),
            };
            ftdesk_desk::serve(store, Arc::new(analyst), options)?;
            Ok(ExitCode::SUCCESS)
        }
        DeskCommand::User {
            action: Some(action),
            ..
        } => user_action(action),
        DeskCommand::User {
            action: None,
            db,
            email,
            role,
            lang,
        } => {
            let (Some(db), Some(email)) = (db, email) else {
                anyhow::bail!("desk user: --db and --email are required to add an account");
            };
            let store = Store::open(&db)?;
            let role = match role {
                DeskRoleArg::Associate => "associate",
                DeskRoleArg::Lead => "lead",
            };
            let lang = match lang {
                LangArg::En => "en",
                LangArg::Ko => "ko",
            };
            let password = store
                .people()
                .add_user(&email, role, lang, ftdesk_desk::now())?;
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

fn web_limits_of(flags: DeskWebLimits) -> ftdesk_desk::web::WebLimits {
    ftdesk_desk::web::WebLimits {
        login_checks: flags.login_checks,
        login_failures: flags.login_failures,
        trusted_proxy: flags.trusted_proxy,
        header_timeout_seconds: flags.header_timeout,
        request_timeout_seconds: flags.request_timeout,
        max_connections: flags.max_connections,
        ..Default::default()
    }
}

/// The operator's `desk user unlock` and `desk user reset` (audited without a user).
fn user_action(action: DeskUserAction) -> anyhow::Result<ExitCode> {
    let (db, email) = match &action {
        DeskUserAction::Unlock { db, email } | DeskUserAction::Reset { db, email } => (db, email),
    };
    let store = Store::open(db)?;
    let Some(user) = store.people().user_by_email(email)? else {
        anyhow::bail!("{}: there is no account {email}", db.display());
    };
    let now = ftdesk_desk::now();
    match action {
        DeskUserAction::Unlock { .. } => {
            store.people().unlock(user.id, None, now)?;
            println!("{email}: unlocked");
        }
        DeskUserAction::Reset { .. } => {
            let password = store.people().reset_password(user.id, None, now)?;
            println!("{email}: one-time password {password}");
        }
    }
    Ok(ExitCode::SUCCESS)
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
    let files = ftdesk_desk::service::files_as_attachments(paths)?;
    let analyst = CheckAndReply::new(DEFAULT_LIMITS, DEFAULT_DEADLINE, 1);
    let intake = match ftdesk_desk::service::intake_checked(
        &store,
        &analyst,
        &raw,
        &files,
        ftdesk_desk::now(),
    ) {
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

/// `desk serve`'s defaults, also for `desk import`.
const DEFAULT_LIMITS: ReadLimits = ReadLimits {
    max_inflated_bytes: Some(512 * 1024 * 1024),
    max_rows: Some(10_000_000),
};

const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

/// `check` and `reply` as the desk's analyst, for billing files from outside:
/// within reading limits, a deadline, and a number of analyses at a time.
struct CheckAndReply {
    limits: ReadLimits,
    deadline: Duration,
    slots: Arc<Slots>,
}

impl CheckAndReply {
    fn new(limits: ReadLimits, deadline: Duration, at_a_time: usize) -> Self {
        CheckAndReply {
            limits,
            deadline,
            slots: Arc::new(Slots::new(at_a_time.max(1))),
        }
    }
}

impl Analyst for CheckAndReply {
    /// Runs on its own thread, which keeps its slot until it ends: an
    /// analysis past the deadline fails its case at once, and still counts
    /// against the analyses at a time while it finishes.
    fn analyse(&self, inquiry: &[u8], billing: &[PathBuf]) -> Result<Analysis, String> {
        let slot = Slots::take(&self.slots);
        let (done, outcome) = mpsc::channel();
        let (inquiry, billing, limits) = (inquiry.to_vec(), billing.to_vec(), self.limits);
        std::thread::spawn(move || {
            let _slot = slot;
            let result = within_limits(&billing, limits)
                .and_then(|()| analyse(&inquiry, &billing))
                .map_err(|e| format!("{e:#}"));
            let _ = done.send(result);
        });
        match outcome.recv_timeout(self.deadline) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
                "the analysis took longer than {} s, the limit (desk serve --analysis-timeout-seconds)",
                self.deadline.as_secs()
            )),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err("the analysis stopped unexpectedly".to_owned())
            }
        }
    }
}

/// A counting semaphore for blocking threads.
struct Slots {
    busy: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

/// A taken slot, given back when dropped.
struct Slot(Arc<Slots>);

impl Slots {
    fn new(max: usize) -> Self {
        Slots {
            busy: Mutex::new(0),
            freed: Condvar::new(),
            max,
        }
    }

    /// Waits for a free slot.
    fn take(slots: &Arc<Slots>) -> Slot {
        let mut busy = slots.busy.lock().unwrap_or_else(|e| e.into_inner());
        while *busy >= slots.max {
            busy = slots.freed.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        *busy += 1;
        Slot(Arc::clone(slots))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(|e| e.into_inner());
        *busy -= 1;
        self.0.freed.notify_one();
    }
}

/// Reads each file once, keeping nothing, and stops at the first limit
/// passed: a gzip bomb or an endless file costs bounded time and memory
/// before the accounting reads it in earnest.
fn within_limits(billing: &[PathBuf], limits: ReadLimits) -> anyhow::Result<()> {
    for path in billing.iter().filter(|p| !is_json(p)) {
        ftdesk_io::read_path_within(path, limits, &mut |_| Ok(()))?;
    }
    Ok(())
}

/// JSON (Free Tier API or Cost Explorer output) is read whole by its own
/// reader, never inflated: the message's size limit bounds it.
fn is_json(path: &Path) -> bool {
    let mut head = [0u8; 64];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .is_ok_and(|n| ftdesk_freetier::looks_like_json(&head[..n]))
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
