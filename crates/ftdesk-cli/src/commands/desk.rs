//! `ftdesk desk init|import|user|backup`: the desk's database, from the
//! command line (`desk serve` is `desk_serve`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use ftdesk_app::{DeskAnalyst, DEFAULT_DEADLINE, DEFAULT_LIMITS};
use ftdesk_desk::Store;

use crate::args::{DeskCommand, DeskRoleArg, DeskUserAction, LangArg};
use crate::env::Env;

pub fn run(command: DeskCommand, env: &Env) -> anyhow::Result<ExitCode> {
    match command {
        DeskCommand::Init { db, admin } => init(&db, &admin, env),
        DeskCommand::Import { db, eml, paths } => import(&db, &eml, &paths, env),
        DeskCommand::Serve { .. } => unreachable!("`desk serve` is desk_serve's"),
        DeskCommand::User {
            action: Some(action),
            ..
        } => user_action(action, env),
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
                .add_user(&email, role, lang, env.clock.now().unix())?;
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

/// The operator's `desk user unlock` and `desk user reset` (audited without a user).
fn user_action(action: DeskUserAction, env: &Env) -> anyhow::Result<ExitCode> {
    let (db, email) = match &action {
        DeskUserAction::Unlock { db, email } | DeskUserAction::Reset { db, email } => (db, email),
    };
    let store = Store::open(db)?;
    let Some(user) = store.people().user_by_email(email)? else {
        anyhow::bail!("{}: there is no account {email}", db.display());
    };
    let now = env.clock.now().unix();
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

fn init(db: &Path, admin: &str, env: &Env) -> anyhow::Result<ExitCode> {
    let (_, password) = Store::init(db, admin, env.clock.now().unix())?;
    println!("desk: created {}", db.display());
    println!("lead {admin}: one-time password {password}");
    println!("start it with: ftdesk desk serve --db {}", db.display());
    Ok(ExitCode::SUCCESS)
}

/// Analyses first, so bad billing data stores nothing; then keeps the case
/// (the same path as the upload form).
fn import(db: &Path, eml: &Path, paths: &[PathBuf], env: &Env) -> anyhow::Result<ExitCode> {
    let store = Store::open(db)?;
    let raw =
        std::fs::read(eml).with_context(|| format!("reading the message {}", eml.display()))?;
    let files = ftdesk_desk::service::files_as_attachments(paths)?;
    let analyst = DeskAnalyst::new(
        DEFAULT_LIMITS,
        DEFAULT_DEADLINE,
        1,
        env.settings.clone(),
        Arc::clone(&env.clock),
    );
    let intake = match ftdesk_desk::service::intake_checked(
        &store,
        &analyst,
        &raw,
        &files,
        env.clock.now().unix(),
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
