//! The desk's SQLite file: one connection behind a mutex, short transactions.
//! [`Store`] owns the connection and hands out one repository per concern
//! ([`Store::people`], [`Store::inbox`], [`Store::queue`], [`Store::messages`],
//! [`Store::modules`], [`Store::audit`]); the workflow over them is in
//! [`crate::service`].

mod audit;
mod intake;
mod kinds;
mod messages;
mod modules;
mod people;
mod queue;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::schema::{MIGRATIONS, SCHEMA_VERSION};
use crate::DeskError;

pub use audit::{AuditEntry, AuditLog};
pub use intake::{Inbox, Intake};
pub use kinds::{AnalysisState, CaseStatus, Direction, MessageState};
pub use messages::{
    reply_subject, AttachmentRecord, Draft, MessageRecord, Messages, Outgoing, SendRefusal,
    SEND_KEY_SECONDS,
};
pub use modules::{seed_text_modules, SeedModule, TextModule, TextModules};
pub use people::{
    LoginRefusal, People, Session, User, LOCK_SECONDS, MAX_FAILED_LOGINS,
    ONE_TIME_PASSWORD_SECONDS, SESSION_SECONDS,
};
pub use queue::{
    CaseRecord, Comment, LinkedCase, Queue, QueueFilter, QueueRow, FIRST_RESPONSE_SECONDS,
    QUEUE_PAGE,
};

/// The one owner of the desk's database connection.
pub struct Store {
    conn: Mutex<Connection>,
    path: String,
}

impl Store {
    /// Opens an existing desk database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, DeskError> {
        if !path.exists() {
            return Err(DeskError::Missing(path.display().to_string()));
        }
        Self::open_or_create(path)
    }

    /// Creates the database (or opens an empty one) and its first lead.
    /// Returns the store and the lead's one-time password.
    pub fn init(path: &Path, admin: &str, now: i64) -> Result<(Store, String), DeskError> {
        let store = Self::open_or_create(path)?;
        if people::count_users(&store.conn())? > 0 {
            return Err(DeskError::AlreadyInitialised(path.display().to_string()));
        }
        let password = store.people().add_user(admin, "lead", "en", now)?;
        modules::seed(&store.conn(), now)?;
        Ok((store, password))
    }

    fn open_or_create(path: &Path) -> Result<Store, DeskError> {
        let shown = path.display().to_string();
        let open_error = |source| DeskError::Open {
            path: shown.clone(),
            source,
        };
        let conn = Connection::open(path).map_err(open_error)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_error)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let store = Store {
            conn: Mutex::new(conn),
            path: shown,
        };
        store.migrate()?;
        Ok(store)
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back).
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn people(&self) -> People<'_> {
        People(self)
    }

    pub fn inbox(&self) -> Inbox<'_> {
        Inbox(self)
    }

    pub fn queue(&self) -> Queue<'_> {
        Queue(self)
    }

    pub fn messages(&self) -> Messages<'_> {
        Messages(self)
    }

    pub fn modules(&self) -> TextModules<'_> {
        TextModules(self)
    }

    pub fn audit(&self) -> AuditLog<'_> {
        AuditLog(self)
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64, DeskError> {
        Ok(self
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    fn migrate(&self) -> Result<(), DeskError> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(DeskError::TooNew {
                path: self.path.clone(),
                found,
            });
        }
        let mut conn = self.conn();
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
            tx.commit()?;
            tracing::info!(version = index + 1, "desk database migrated");
        }
        Ok(())
    }

    /// Writes a consistent copy of the database while it is in use (SQLite's online backup).
    pub fn backup(&self, to: &Path) -> Result<(), DeskError> {
        if to.exists() {
            return Err(DeskError::Invalid(format!(
                "{} exists already; the backup writes a new file",
                to.display()
            )));
        }
        let conn = self.conn();
        let mut target = Connection::open(to).map_err(|source| DeskError::Open {
            path: to.display().to_string(),
            source,
        })?;
        let backup = rusqlite::backup::Backup::new(&conn, &mut target)?;
        backup.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
        Ok(())
    }

    /// Runs raw SQL; for tests that check what the schema refuses.
    #[doc(hidden)]
    pub fn execute_raw(&self, sql: &str) -> Result<usize, DeskError> {
        Ok(self.conn().execute(sql, [])?)
    }

    pub fn count(&self, table: &str) -> Result<i64, DeskError> {
        const TABLES: &[&str] = &[
            "cases",
            "messages",
            "attachments",
            "drafts",
            "comments",
            "audit_log",
            "users",
        ];
        if !TABLES.contains(&table) {
            return Err(DeskError::Invalid(format!("no table {table}")));
        }
        Ok(self
            .conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    }
}

#[cfg(test)]
pub(crate) mod tests;
