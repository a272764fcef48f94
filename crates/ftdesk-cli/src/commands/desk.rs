//! `ftdesk desk init|import|user|backup`: the desk's database, from the
//! command line (`desk serve` is `desk_serve`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use ftdesk_desk::service::{change_account, AccountChange};
use ftdesk_desk::{DeskError, Store};

use crate::args::{DeskCommand, DeskRoleArg, DeskUserAction};
use crate::env::Env;

pub fn run(command: DeskCommand, env: &Env) -> anyhow::Result<ExitCode> {
    let now = env.clock.now().unix();
    match command {
        DeskCommand::Init { db, admin } => {
            let db = env.desk_db(db)?;
            let (_, password) = Store::init(&db, &admin, now)?;
            println!("desk: created {}", db.display());
            println!("lead {admin}: one-time password {password}");
            println!("start it with: ftdesk desk serve --db {}", db.display());
        }
        DeskCommand::Import { db, eml, paths } => import(&env.desk_db(db)?, &eml, &paths, env)?,
        DeskCommand::Serve { .. } => unreachable!("`desk serve` is desk_serve's"),
        DeskCommand::User {
            action: Some(action),
            ..
        } => {
            let (db, email, change) = match action {
                DeskUserAction::Unlock { db, email } => (db, email, AccountChange::Unlock),
                DeskUserAction::Reset { db, email } => (db, email, AccountChange::NewPassword),
            };
            match change_account(&env.desk_db(db)?, &email, change, now)? {
                Some(password) => println!("{email}: one-time password {password}"),
                None => println!("{email}: unlocked"),
            }
        }
        DeskCommand::User {
            action: None,
            db,
            email,
            role,
            lang,
        } => {
            let Some(email) = email else {
                anyhow::bail!("desk user: --email is required to add an account");
            };
            let db = env.desk_db(db)?;
            let role = match role {
                DeskRoleArg::Associate => "associate",
                DeskRoleArg::Lead => "lead",
            };
            let lang = env.lang(lang).code();
            let password = Store::open(&db)?
                .people()
                .add_user(&email, role, lang, now)?;
            println!("{email} ({role}): one-time password {password}");
        }
        DeskCommand::Backup { db, out } => {
            let db = env.desk_db(db)?;
            Store::open(&db)?.backup(&out)?;
            let (db, out) = (db.display(), out.display());
            println!("desk: consistent copy of {db} written to {out}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn import(db: &Path, eml: &Path, paths: &[PathBuf], env: &Env) -> anyhow::Result<()> {
    let store = Store::open(db)?;
    let raw =
        std::fs::read(eml).with_context(|| format!("reading the message {}", eml.display()))?;
    let files = ftdesk_desk::service::files_as_attachments(paths)?;
    let (settings, clock) = (env.settings.clone(), Arc::clone(&env.clock));
    let intake = match ftdesk_app::import_case(&store, &raw, &files, settings, clock) {
        Ok(intake) => intake,
        // The analyst's sentence names the billing file already.
        Err(DeskError::Invalid(why)) => anyhow::bail!(why),
        Err(e) => return Err(anyhow::Error::new(e).context(eml.display().to_string())),
    };
    let (case, eml) = (intake.case_id, eml.display());
    match (intake.duplicate, intake.new_case) {
        (true, _) => println!("desk: {eml} is in case {case} already"),
        (false, true) => println!("desk: case {case} created from {eml}"),
        (false, false) => println!("desk: case {case} added to from {eml}"),
    }
    Ok(())
}
