//! The desk's SQLite file: one connection behind a mutex, short transactions.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::mail::{self, Inbound};
use crate::schema::{MIGRATIONS, SCHEMA_VERSION};
use crate::{secret, Analysis, Analyst, DeskError};

/// After this many wrong passwords in a row an account is locked for [`LOCK_SECONDS`].
pub const MAX_FAILED_LOGINS: i64 = 10;
pub const LOCK_SECONDS: i64 = 15 * 60;
pub const SESSION_SECONDS: i64 = 12 * 3600;
/// How long a one-time password (from `desk init`, `desk user`, a reset) can be used.
pub const ONE_TIME_PASSWORD_SECONDS: i64 = 3 * 24 * 3600;
/// How long a send key (minted with a case page) stays usable.
pub const SEND_KEY_SECONDS: i64 = 24 * 3600;
/// The default first-response target for a new case.
pub const FIRST_RESPONSE_SECONDS: i64 = 24 * 3600;

pub struct Store {
    conn: Mutex<Connection>,
    path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub lang: String,
    /// Still on a one-time password: every page but Settings waits for a new one.
    pub must_change_password: bool,
}

impl User {
    pub fn is_lead(&self) -> bool {
        self.role == "lead"
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
}

/// Why a login failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginRefusal {
    WrongPassword,
    LockedUntil(i64),
}

/// Why a reply was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefusal {
    /// The key was used already, is unknown or belongs to another case: a second click.
    KeyUsed,
    /// Another reply on the case is being sent right now.
    InFlight,
}

/// What [`Store::intake`] did with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intake {
    pub case_id: i64,
    pub message_row: i64,
    pub new_case: bool,
    /// The message was stored before (same Message-ID): nothing was added.
    pub duplicate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueueRow {
    pub id: i64,
    pub subject: String,
    pub customer: Option<String>,
    pub status: String,
    pub assignee: Option<String>,
    pub lang: String,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub created_at: i64,
    pub first_response_due: i64,
    pub first_response_at: Option<i64>,
    pub overdue: bool,
}

#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<String>,
    /// `me` (with `me_id`), `none`, or an e-mail address.
    pub assignee: Option<String>,
    pub search: Option<String>,
    pub me_id: i64,
    /// Rows to return; 0 means [`QUEUE_PAGE`].
    pub limit: i64,
    /// Rows to skip, in queue order: `page × limit` for later pages.
    pub offset: i64,
}

/// The queue shows this many cases a page.
pub const QUEUE_PAGE: i64 = 50;

#[derive(Debug, Clone, Serialize)]
pub struct CaseRecord {
    pub id: i64,
    pub subject: String,
    pub customer: Option<String>,
    pub customer_name: Option<String>,
    pub status: String,
    pub assignee: Option<String>,
    pub assignee_id: Option<i64>,
    pub lang: String,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub created_at: i64,
    pub first_response_due: i64,
    pub first_response_at: Option<i64>,
    pub analysis: String,
    pub analysis_error: Option<String>,
    pub report_text: Option<String>,
    /// The case this one's first message answered, when its sender was not on that case.
    pub linked_case: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MessageRecord {
    pub id: i64,
    pub direction: String,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub refs: String,
    pub sender: Option<String>,
    pub recipients: String,
    pub subject: String,
    pub body: String,
    pub state: String,
    pub error: Option<String>,
    pub created_at: i64,
    pub attachments: Vec<AttachmentRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentRecord {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub lang: String,
    pub subject: String,
    pub composed: String,
    pub body: String,
    pub notes: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TextModule {
    pub id: i64,
    pub name: String,
    pub lang: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub user: Option<String>,
    pub action: String,
    pub case_id: Option<i64>,
    pub detail: String,
}

/// A reply about to be sent: recorded as `sending` before the SMTP exchange.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub case_id: i64,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub sender: String,
    pub recipients: Vec<String>,
    pub subject: String,
    pub body: String,
    pub raw: Vec<u8>,
    pub author_id: i64,
}

pub const STATUSES: &[&str] = &["new", "open", "waiting", "solved"];

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
        let users: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
        if users > 0 {
            return Err(DeskError::AlreadyInitialised(path.display().to_string()));
        }
        let password = store.add_user(admin, "lead", "en", now)?;
        store.seed_text_modules(now)?;
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

    // --- people and sessions -------------------------------------------------

    /// Adds an account and returns its one-time password (only its hash is kept).
    pub fn add_user(
        &self,
        email: &str,
        role: &str,
        lang: &str,
        now: i64,
    ) -> Result<String, DeskError> {
        let email = email.trim();
        if !email.contains('@') || email.contains(char::is_whitespace) {
            return Err(DeskError::Invalid(format!(
                "`{email}` is not an e-mail address"
            )));
        }
        if !["associate", "lead"].contains(&role) {
            return Err(DeskError::Invalid(format!(
                "role `{role}`: expected associate or lead"
            )));
        }
        let password = secret::one_time_password();
        let hash = secret::hash_password(&password);
        let conn = self.conn();
        let added = conn.execute(
            "INSERT INTO users (email, role, lang, password_hash, created_at, must_change_password,
                password_expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6) ON CONFLICT (email) DO NOTHING",
            params![
                email,
                role,
                lang,
                hash,
                now,
                now + ONE_TIME_PASSWORD_SECONDS
            ],
        )?;
        if added == 0 {
            return Err(DeskError::Invalid(format!(
                "{email} has an account already"
            )));
        }
        let id = conn.last_insert_rowid();
        audit_in(
            &conn,
            now,
            Some(id),
            "user-created",
            None,
            &format!("{email} as {role}"),
        )?;
        Ok(password)
    }

    fn user_row(row: &Row<'_>) -> rusqlite::Result<User> {
        Ok(User {
            id: row.get("id")?,
            email: row.get("email")?,
            role: row.get("role")?,
            lang: row.get("lang")?,
            must_change_password: row.get("must_change_password")?,
        })
    }

    pub fn users(&self) -> Result<Vec<User>, DeskError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, email, role, lang, must_change_password FROM users ORDER BY email",
        )?;
        let users = stmt
            .query_map([], Self::user_row)?
            .collect::<Result<_, _>>()?;
        Ok(users)
    }

    /// The password hash and its expiry (one-time passwords) for a login attempt.
    fn credentials(&self, email: &str) -> Result<Option<(User, String, Option<i64>)>, DeskError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, email, role, lang, password_hash, password_expires_at, must_change_password
                 FROM users WHERE email = ?1",
                [email.trim()],
                |row| Ok((Self::user_row(row)?, row.get(4)?, row.get(5)?)),
            )
            .optional()?)
    }

    /// The account with this address, if any.
    pub fn user_by_email(&self, email: &str) -> Result<Option<User>, DeskError> {
        Ok(self.credentials(email)?.map(|(user, _, _)| user))
    }

    /// Checks a password; locks the account after [`MAX_FAILED_LOGINS`] wrong
    /// ones in a row. Each check first takes one of the account's attempts in a
    /// single UPDATE, so parallel guesses get no more than that many checks per
    /// lock. A one-time password is spent by its first login. Every attempt is audited.
    pub fn login(
        &self,
        email: &str,
        password: &str,
        now: i64,
    ) -> Result<Result<User, LoginRefusal>, DeskError> {
        let Some((user, hash, expires_at)) = self.credentials(email)? else {
            // The same work as for a real account, so timing does not tell which exist.
            secret::verify_password(password, DUMMY_HASH);
            self.audit(None, "login-failed", None, "unknown account", now)?;
            return Ok(Err(LoginRefusal::WrongPassword));
        };
        let Some(attempt) = self.take_attempt(user.id, now)? else {
            secret::verify_password(password, DUMMY_HASH);
            self.audit(Some(user.id), "login-refused", None, "account locked", now)?;
            let until = self.locked_until(user.id)?.unwrap_or(now + LOCK_SECONDS);
            return Ok(Err(LoginRefusal::LockedUntil(until)));
        };
        let verified = secret::verify_password(password, &hash);
        if verified && expires_at.is_none_or(|at| at > now) && self.admit(user.id, now)? {
            return Ok(Ok(user));
        }
        let detail = match verified {
            true => "one-time password spent or expired".to_owned(),
            false => format!("{attempt} in a row"),
        };
        let conn = self.conn();
        audit_in(&conn, now, Some(user.id), "login-failed", None, &detail)?;
        if attempt >= MAX_FAILED_LOGINS {
            let until = now + LOCK_SECONDS;
            conn.execute(
                "UPDATE users SET failed_logins = 0, locked_until = ?2 WHERE id = ?1",
                params![user.id, until],
            )?;
            audit_in(&conn, now, Some(user.id), "account-locked", None, "")?;
            return Ok(Err(LoginRefusal::LockedUntil(until)));
        }
        Ok(Err(LoginRefusal::WrongPassword))
    }

    /// Counts an attempt before its check; `None` when the account is locked
    /// or its attempts are all taken by checks in flight.
    fn take_attempt(&self, user_id: i64, now: i64) -> Result<Option<i64>, DeskError> {
        Ok(self
            .conn()
            .query_row(
                "UPDATE users SET failed_logins = failed_logins + 1
                 WHERE id = ?1 AND coalesce(locked_until, 0) <= ?2 AND failed_logins < ?3
                 RETURNING failed_logins",
                params![user_id, now, MAX_FAILED_LOGINS],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn locked_until(&self, user_id: i64) -> Result<Option<i64>, DeskError> {
        Ok(self.conn().query_row(
            "SELECT locked_until FROM users WHERE id = ?1",
            [user_id],
            |r| r.get(0),
        )?)
    }

    /// After a right password: clears the count and spends a one-time password,
    /// unless the account was locked or the password spent meanwhile.
    fn admit(&self, user_id: i64, now: i64) -> Result<bool, DeskError> {
        let conn = self.conn();
        let admitted = conn.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL,
                password_expires_at = CASE WHEN must_change_password = 1 THEN ?2
                    ELSE password_expires_at END
             WHERE id = ?1 AND coalesce(locked_until, 0) <= ?2
                AND (password_expires_at IS NULL OR password_expires_at > ?2)",
            params![user_id, now],
        )? == 1;
        if admitted {
            audit_in(&conn, now, Some(user_id), "login", None, "")?;
        }
        Ok(admitted)
    }

    /// Sets the user's own password: every session of the account ends, and a
    /// new one is returned for the browser that made the change.
    pub fn set_password(
        &self,
        user_id: i64,
        password: &str,
        now: i64,
    ) -> Result<String, DeskError> {
        let hash = secret::hash_password(password);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE users SET password_hash = ?2, must_change_password = 0,
                password_expires_at = NULL WHERE id = ?1",
            params![user_id, hash],
        )?;
        tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
        let token = insert_session(&tx, user_id, now)?;
        audit_in(&tx, now, Some(user_id), "password-changed", None, "")?;
        tx.commit()?;
        Ok(token)
    }

    /// Accounts locked now, with the time each lock ends.
    pub fn locked_accounts(&self, now: i64) -> Result<Vec<(i64, i64)>, DeskError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, locked_until FROM users WHERE locked_until > ?1 ORDER BY id")?;
        let locked = stmt
            .query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(locked)
    }

    /// A lead (or the operator, `by` none) lifts a login lock; audited under the lead's name.
    pub fn unlock(&self, user_id: i64, by: Option<&User>, now: i64) -> Result<(), DeskError> {
        let conn = self.conn();
        let email = account_email(&conn, user_id)?;
        conn.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
            [user_id],
        )?;
        audit_in(
            &conn,
            now,
            by.map(|u| u.id),
            "account-unlocked",
            None,
            &email,
        )?;
        Ok(())
    }

    /// A lead gives an account a new one-time password (returned, shown once):
    /// the lock is lifted and the account's sessions end. Audited under the lead's name
    /// (none: the operator's `desk user reset`).
    pub fn reset_password(
        &self,
        user_id: i64,
        by: Option<&User>,
        now: i64,
    ) -> Result<String, DeskError> {
        let password = secret::one_time_password();
        let hash = secret::hash_password(&password);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let email = account_email(&tx, user_id)?;
        tx.execute(
            "UPDATE users SET password_hash = ?2, failed_logins = 0, locked_until = NULL,
                must_change_password = 1, password_expires_at = ?3 WHERE id = ?1",
            params![user_id, hash, now + ONE_TIME_PASSWORD_SECONDS],
        )?;
        tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
        audit_in(&tx, now, by.map(|u| u.id), "password-reset", None, &email)?;
        tx.commit()?;
        Ok(password)
    }

    pub fn set_language(&self, user_id: i64, lang: &str, now: i64) -> Result<(), DeskError> {
        if !["en", "ko"].contains(&lang) {
            return Err(DeskError::Invalid(format!(
                "language `{lang}`: expected en or ko"
            )));
        }
        let conn = self.conn();
        conn.execute(
            "UPDATE users SET lang = ?2 WHERE id = ?1",
            params![user_id, lang],
        )?;
        audit_in(
            &conn,
            now,
            Some(user_id),
            "settings",
            None,
            &format!("language {lang}"),
        )?;
        Ok(())
    }

    /// Starts a session; returns the cookie token (only its hash is stored).
    pub fn create_session(&self, user_id: i64, now: i64) -> Result<String, DeskError> {
        insert_session(&self.conn(), user_id, now)
    }

    /// Ends a session the browser presented (at a new login), whoever's it is.
    pub fn revoke_session(&self, token: &str) -> Result<(), DeskError> {
        self.conn().execute(
            "DELETE FROM sessions WHERE token_hash = ?1",
            [secret::token_hash(token)],
        )?;
        Ok(())
    }

    pub fn session(&self, token: &str, now: i64) -> Result<Option<Session>, DeskError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT u.id, u.email, u.role, u.lang, s.csrf, u.must_change_password
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                params![secret::token_hash(token), now],
                |row| {
                    Ok(Session {
                        user: Self::user_row(row)?,
                        csrf: row.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn end_session(&self, token: &str, user_id: i64, now: i64) -> Result<(), DeskError> {
        let conn = self.conn();
        conn.execute(
            "DELETE FROM sessions WHERE token_hash = ?1 OR expires_at <= ?2",
            params![secret::token_hash(token), now],
        )?;
        audit_in(&conn, now, Some(user_id), "logout", None, "")?;
        Ok(())
    }

    // --- intake ----------------------------------------------------------------

    /// Stores an inbound message in one transaction: a new case, or the case it
    /// answers (by In-Reply-To, then References); its attachments with checksums.
    /// A message stored before (same Message-ID) is not stored twice.
    /// It joins the case it answers only when its sender is the case's customer
    /// or was copied on it; otherwise it opens a new case linked to that one.
    pub fn intake(
        &self,
        raw: &[u8],
        extra: &[mail::Attachment],
        now: i64,
    ) -> Result<Intake, DeskError> {
        self.intake_with(raw, extra, None, now)
    }

    /// [`Store::intake`] for a message that came by SMTP: the envelope sender
    /// (`MAIL FROM`) must be on the case as well as the header `From`.
    pub fn intake_from(
        &self,
        raw: &[u8],
        envelope_sender: Option<&str>,
        now: i64,
    ) -> Result<Intake, DeskError> {
        self.intake_with(raw, &[], envelope_sender, now)
    }

    fn intake_with(
        &self,
        raw: &[u8],
        extra: &[mail::Attachment],
        envelope_sender: Option<&str>,
        now: i64,
    ) -> Result<Intake, DeskError> {
        let mut mail = mail::parse(raw)?;
        mail.attachments.extend(extra.iter().cloned());
        let inquiry = ftdesk_reply::Inquiry::parse(raw).ok();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if let Some((message_row, case_id)) = tx
            .query_row(
                "SELECT id, case_id FROM messages WHERE message_id = ?1",
                [&mail.message_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
        {
            return Ok(Intake {
                case_id,
                message_row,
                new_case: false,
                duplicate: true,
            });
        }
        let answered = thread_of(&tx, &mail)?;
        let joins = match answered {
            Some(case_id) => may_join(&tx, case_id, &mail, envelope_sender)?,
            None => false,
        };
        let (case_id, new_case) = match answered {
            Some(case_id) if joins => {
                tx.execute(
                    "UPDATE cases SET updated_at = ?2, status = CASE status WHEN 'new' THEN 'new' ELSE 'open' END WHERE id = ?1",
                    params![case_id, now],
                )?;
                (case_id, false)
            }
            linked => (
                create_case(&tx, &mail, inquiry.as_ref(), linked, now)?,
                true,
            ),
        };
        let message_row = insert_inbound(&tx, case_id, &mail, raw, now)?;
        audit_in(
            &tx,
            now,
            None,
            if new_case {
                "case-created"
            } else {
                "reply-received"
            },
            Some(case_id),
            &match answered.filter(|_| !joins) {
                Some(linked) => format!(
                    "message {}, linked to case {linked}: its sender is not on that case",
                    mail.message_id
                ),
                None => format!("message {}", mail.message_id),
            },
        )?;
        tx.commit()?;
        Ok(Intake {
            case_id,
            message_row,
            new_case,
            duplicate: false,
        })
    }

    /// The raw inbound message and its billing attachments, for the analyst.
    pub fn analysis_input(
        &self,
        message_row: i64,
    ) -> Result<(Vec<u8>, Vec<mail::Attachment>), DeskError> {
        let conn = self.conn();
        let raw: Vec<u8> = conn.query_row(
            "SELECT raw FROM messages WHERE id = ?1",
            [message_row],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare(
            "SELECT filename, content_type, data FROM attachments WHERE message_id = ?1 ORDER BY id",
        )?;
        let files = stmt
            .query_map([message_row], |r| {
                Ok(mail::Attachment {
                    filename: r.get(0)?,
                    content_type: r.get(1)?,
                    data: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((
            raw,
            files.into_iter().filter(|f| f.is_billing_data()).collect(),
        ))
    }

    /// Runs the analyst on a stored message's billing attachments and keeps the
    /// report and the draft on its case. A failure is kept as the case's analysis error.
    pub fn analyse(
        &self,
        analyst: &dyn Analyst,
        intake: Intake,
        now: i64,
    ) -> Result<(), DeskError> {
        let (raw, files) = self.analysis_input(intake.message_row)?;
        if files.is_empty() {
            if intake.new_case {
                self.conn().execute(
                    "UPDATE cases SET analysis = 'no-data' WHERE id = ?1",
                    [intake.case_id],
                )?;
            }
            return Ok(());
        }
        self.conn().execute(
            "UPDATE cases SET analysis_attempts = analysis_attempts + 1 WHERE id = ?1",
            [intake.case_id],
        )?;
        let result = analyse_files(analyst, &raw, &files)?;
        self.keep_analysis(intake.case_id, result, now)
    }

    /// Marks failed each case whose analysis started `max_attempts` times and
    /// never ended (it stopped the desk each time), so one poisoned message
    /// cannot crash the desk at every start; returns those cases.
    pub fn give_up_crashed_analyses(
        &self,
        max_attempts: u32,
        now: i64,
    ) -> Result<Vec<i64>, DeskError> {
        let cases: Vec<i64> = self
            .conn()
            .prepare("SELECT id FROM cases WHERE analysis = 'pending' AND analysis_attempts >= ?1")?
            .query_map([max_attempts], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for case in &cases {
            let why = format!(
                "the analysis started {max_attempts} times and the desk stopped during each \
                 (the data may crash it); it is not tried again"
            );
            self.keep_analysis(*case, Err(why), now)?;
        }
        Ok(cases)
    }

    /// Analyses first, then stores (uploads and `desk import`): billing data that
    /// cannot be read is refused with the analyst's sentence and nothing is stored.
    /// Without billing data the case is stored and marked as having none.
    pub fn intake_checked(
        &self,
        analyst: &dyn Analyst,
        raw: &[u8],
        extra: &[mail::Attachment],
        now: i64,
    ) -> Result<Intake, DeskError> {
        let mut billing = mail::parse(raw)?.attachments;
        billing.extend(extra.iter().cloned());
        billing.retain(mail::Attachment::is_billing_data);
        let analysis = match billing.is_empty() {
            true => None,
            false => Some(analyse_files(analyst, raw, &billing)?.map_err(DeskError::Invalid)?),
        };
        let intake = self.intake(raw, extra, now)?;
        if intake.duplicate {
            return Ok(intake);
        }
        match analysis {
            Some(analysis) => self.keep_analysis(intake.case_id, Ok(analysis), now)?,
            None => self.analyse(analyst, intake, now)?,
        }
        Ok(intake)
    }

    /// The first message of each case whose analysis never ran (the desk
    /// stopped between storing the mail and analysing it).
    pub fn pending_analyses(&self) -> Result<Vec<Intake>, DeskError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT c.id, min(m.id) FROM cases c JOIN messages m ON m.case_id = c.id
             WHERE c.analysis = 'pending' AND m.direction = 'in' GROUP BY c.id",
        )?;
        let pending = stmt
            .query_map([], |r| {
                Ok(Intake {
                    case_id: r.get(0)?,
                    message_row: r.get(1)?,
                    new_case: true,
                    duplicate: false,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(pending)
    }

    /// Keeps an analysis on its case. A later analysis (a customer's reply
    /// with new billing data) renews the report and the composed draft, but
    /// never overwrites a draft a person edited: its figures are then checked
    /// against the new report when it is sent. A later analysis that fails
    /// keeps the earlier report; its error is shown beside it.
    pub fn keep_analysis(
        &self,
        case_id: i64,
        result: Result<Analysis, String>,
        now: i64,
    ) -> Result<(), DeskError> {
        let conn = self.conn();
        match result {
            Ok(a) => {
                conn.execute(
                    "UPDATE cases SET analysis = 'ready', analysis_error = NULL, report_html = ?2, report_text = ?3, lang = ?4 WHERE id = ?1",
                    params![case_id, a.report_html, a.report_text, a.lang],
                )?;
                conn.execute(
                    "INSERT INTO drafts (case_id, lang, subject, composed, body, notes, figures, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7)
                     ON CONFLICT (case_id) DO UPDATE SET lang = ?2, subject = ?3, composed = ?4,
                        body = CASE WHEN drafts.updated_by IS NULL THEN ?4 ELSE drafts.body END,
                        notes = ?5, figures = ?6, updated_at = ?7",
                    params![case_id, a.lang, a.draft_subject, a.draft_text, a.notes, a.report_text, now],
                )?;
                audit_in(&conn, now, None, "analysed", Some(case_id), "")?;
            }
            Err(error) => {
                conn.execute(
                    "UPDATE cases SET analysis_error = ?2,
                        analysis = CASE WHEN report_html IS NULL THEN 'failed' ELSE analysis END
                     WHERE id = ?1",
                    params![case_id, error],
                )?;
                audit_in(&conn, now, None, "analysis-failed", Some(case_id), &error)?;
            }
        }
        Ok(())
    }

    // --- the queue and a case ------------------------------------------------

    /// One page of the queue: unanswered cases first, by first-response due time.
    /// Each filter has an index in this order (schema version 2): a page walks
    /// the index and stops when it is full, instead of sorting every open case.
    pub fn queue(&self, filter: &QueueFilter, now: i64) -> Result<Vec<QueueRow>, DeskError> {
        let (sql, args) = queue_sql(filter);
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                let due: i64 = r.get(9)?;
                let answered: Option<i64> = r.get(10)?;
                let status: String = r.get(3)?;
                Ok(QueueRow {
                    id: r.get(0)?,
                    subject: r.get(1)?,
                    customer: r.get(2)?,
                    overdue: answered.is_none() && status != "solved" && due < now,
                    status,
                    assignee: r.get(4)?,
                    lang: r.get(5)?,
                    amount: r.get(6)?,
                    currency: r.get(7)?,
                    created_at: r.get(8)?,
                    first_response_due: due,
                    first_response_at: answered,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn case(&self, id: i64) -> Result<Option<CaseRecord>, DeskError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT c.id, c.subject, c.customer, c.customer_name, c.status, u.email, c.assignee_id, c.lang,
                        c.amount, c.currency, c.created_at, c.first_response_due, c.first_response_at,
                        c.analysis, c.analysis_error, c.report_text, c.linked_case
                 FROM cases c LEFT JOIN users u ON u.id = c.assignee_id WHERE c.id = ?1",
                [id],
                |r| {
                    Ok(CaseRecord {
                        id: r.get(0)?,
                        subject: r.get(1)?,
                        customer: r.get(2)?,
                        customer_name: r.get(3)?,
                        status: r.get(4)?,
                        assignee: r.get(5)?,
                        assignee_id: r.get(6)?,
                        lang: r.get(7)?,
                        amount: r.get(8)?,
                        currency: r.get(9)?,
                        created_at: r.get(10)?,
                        first_response_due: r.get(11)?,
                        first_response_at: r.get(12)?,
                        analysis: r.get(13)?,
                        analysis_error: r.get(14)?,
                        report_text: r.get(15)?,
                        linked_case: r.get(16)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn report_html(&self, case_id: i64) -> Result<Option<String>, DeskError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT report_html FROM cases WHERE id = ?1",
                [case_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    pub fn messages(&self, case_id: i64) -> Result<Vec<MessageRecord>, DeskError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, direction, message_id, in_reply_to, refs, sender, recipients, subject, body, state, error, created_at
             FROM messages WHERE case_id = ?1 ORDER BY id",
        )?;
        let mut messages: Vec<MessageRecord> = stmt
            .query_map([case_id], |r| {
                Ok(MessageRecord {
                    id: r.get(0)?,
                    direction: r.get(1)?,
                    message_id: r.get(2)?,
                    in_reply_to: r.get(3)?,
                    refs: r.get(4)?,
                    sender: r.get(5)?,
                    recipients: r.get(6)?,
                    subject: r.get(7)?,
                    body: r.get(8)?,
                    state: r.get(9)?,
                    error: r.get(10)?,
                    created_at: r.get(11)?,
                    attachments: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut files = conn.prepare_cached(
            "SELECT id, filename, content_type, size, sha256 FROM attachments WHERE message_id = ?1 ORDER BY id",
        )?;
        for message in &mut messages {
            message.attachments = files
                .query_map([message.id], |r| {
                    Ok(AttachmentRecord {
                        id: r.get(0)?,
                        filename: r.get(1)?,
                        content_type: r.get(2)?,
                        size: r.get(3)?,
                        sha256: r.get(4)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
        }
        Ok(messages)
    }

    /// An attachment of the case, checked against its stored checksum.
    pub fn attachment(
        &self,
        case_id: i64,
        id: i64,
    ) -> Result<Option<(AttachmentRecord, Vec<u8>)>, DeskError> {
        let found = self
            .conn()
            .query_row(
                "SELECT a.id, a.filename, a.content_type, a.size, a.sha256, a.data FROM attachments a
                 JOIN messages m ON m.id = a.message_id WHERE a.id = ?1 AND m.case_id = ?2",
                params![id, case_id],
                |r| {
                    Ok((
                        AttachmentRecord {
                            id: r.get(0)?,
                            filename: r.get(1)?,
                            content_type: r.get(2)?,
                            size: r.get(3)?,
                            sha256: r.get(4)?,
                        },
                        r.get::<_, Vec<u8>>(5)?,
                    ))
                },
            )
            .optional()?;
        match found {
            Some((record, data)) => {
                let actual = mail::Attachment {
                    filename: String::new(),
                    content_type: String::new(),
                    data,
                };
                if actual.sha256() != record.sha256 {
                    return Err(DeskError::Invalid(format!(
                        "attachment {} ({}) does not match its stored SHA-256",
                        record.id, record.filename
                    )));
                }
                Ok(Some((record, actual.data)))
            }
            None => Ok(None),
        }
    }

    pub fn draft(&self, case_id: i64) -> Result<Option<Draft>, DeskError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT lang, subject, composed, body, notes, updated_at FROM drafts WHERE case_id = ?1",
                [case_id],
                |r| {
                    Ok(Draft {
                        lang: r.get(0)?,
                        subject: r.get(1)?,
                        composed: r.get(2)?,
                        body: r.get(3)?,
                        notes: r.get(4)?,
                        updated_at: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn save_draft(
        &self,
        case_id: i64,
        body: &str,
        user: &User,
        now: i64,
    ) -> Result<(), DeskError> {
        let conn = self.conn();
        let changed = conn.execute(
            "UPDATE drafts SET body = ?2, updated_at = ?3, updated_by = ?4 WHERE case_id = ?1",
            params![case_id, body.replace("\r\n", "\n"), now, user.id],
        )?;
        if changed == 0 {
            let (subject, lang): (String, String) = conn.query_row(
                "SELECT subject, lang FROM cases WHERE id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            conn.execute(
                "INSERT INTO drafts (case_id, lang, subject, composed, body, notes, figures, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, '', ?4, '', '', ?5, ?6)",
                params![case_id, lang, reply_subject(&subject), body.replace("\r\n", "\n"), now, user.id],
            )?;
        }
        audit_in(&conn, now, Some(user.id), "draft-edited", Some(case_id), "")?;
        Ok(())
    }

    pub fn comments(&self, case_id: i64) -> Result<Vec<Comment>, DeskError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT u.email, c.body, c.created_at FROM comments c JOIN users u ON u.id = c.author_id
             WHERE c.case_id = ?1 ORDER BY c.id",
        )?;
        let comments = stmt
            .query_map([case_id], |r| {
                Ok(Comment {
                    author: r.get(0)?,
                    body: r.get(1)?,
                    created_at: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(comments)
    }

    pub fn add_comment(
        &self,
        case_id: i64,
        body: &str,
        user: &User,
        now: i64,
    ) -> Result<(), DeskError> {
        if body.trim().is_empty() {
            return Err(DeskError::Invalid("the note is empty".into()));
        }
        let conn = self.conn();
        conn.execute(
            "INSERT INTO comments (case_id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![case_id, user.id, body, now],
        )?;
        audit_in(&conn, now, Some(user.id), "note-added", Some(case_id), "")?;
        Ok(())
    }

    pub fn set_status(
        &self,
        case_id: i64,
        status: &str,
        user: &User,
        now: i64,
    ) -> Result<(), DeskError> {
        if !STATUSES.contains(&status) {
            return Err(DeskError::Invalid(format!(
                "status `{status}`: expected one of {}",
                STATUSES.join(", ")
            )));
        }
        let conn = self.conn();
        conn.execute(
            "UPDATE cases SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![case_id, status, now],
        )?;
        audit_in(&conn, now, Some(user.id), "status", Some(case_id), status)?;
        Ok(())
    }

    /// Assigns the case to `assignee` (an account's e-mail) or to nobody.
    pub fn assign(
        &self,
        case_id: i64,
        assignee: Option<&str>,
        user: &User,
        now: i64,
    ) -> Result<(), DeskError> {
        let conn = self.conn();
        let assignee_id: Option<i64> = match assignee.filter(|a| !a.is_empty()) {
            None => None,
            Some(email) => Some(
                conn.query_row("SELECT id FROM users WHERE email = ?1", [email], |r| {
                    r.get(0)
                })
                .optional()?
                .ok_or_else(|| DeskError::Invalid(format!("no account {email}")))?,
            ),
        };
        conn.execute(
            "UPDATE cases SET assignee_id = ?2, updated_at = ?3,
                status = CASE status WHEN 'new' THEN 'open' ELSE status END WHERE id = ?1",
            params![case_id, assignee_id, now],
        )?;
        audit_in(
            &conn,
            now,
            Some(user.id),
            "assigned",
            Some(case_id),
            assignee.unwrap_or(""),
        )?;
        Ok(())
    }

    // --- sending -------------------------------------------------------------

    /// The In-Reply-To and References a reply on this case carries: the last
    /// inbound message and its own references.
    pub fn thread_headers(&self, case_id: i64) -> Result<(Option<String>, Vec<String>), DeskError> {
        let last = self
            .conn()
            .query_row(
                "SELECT message_id, refs FROM messages WHERE case_id = ?1 AND direction = 'in' ORDER BY id DESC LIMIT 1",
                [case_id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?;
        Ok(match last {
            None => (None, Vec::new()),
            Some((id, refs)) => {
                let mut references: Vec<String> =
                    refs.split_whitespace().map(str::to_owned).collect();
                references.push(id.clone());
                (Some(id), references)
            }
        })
    }

    /// A one-time key for the next send on a case (the case page carries it);
    /// keys older than [`SEND_KEY_SECONDS`] are dropped.
    pub fn mint_send_key(&self, case_id: i64, now: i64) -> Result<String, DeskError> {
        let key = secret::token(16);
        let conn = self.conn();
        conn.execute(
            "DELETE FROM send_keys WHERE created_at <= ?1",
            [now - SEND_KEY_SECONDS],
        )?;
        conn.execute(
            "INSERT INTO send_keys (key_hash, case_id, created_at) VALUES (?1, ?2, ?3)",
            params![secret::token_hash(&key), case_id, now],
        )?;
        Ok(key)
    }

    /// Records a reply as `sending` (committed) before it goes out, spending
    /// its send key; refused when the key was spent or another reply on the
    /// case is still being sent.
    pub fn begin_send(
        &self,
        out: &Outgoing,
        key: &str,
        now: i64,
    ) -> Result<Result<i64, SendRefusal>, DeskError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let spent = tx.execute(
            "UPDATE send_keys SET used_at = ?3
             WHERE key_hash = ?1 AND case_id = ?2 AND used_at IS NULL AND created_at > ?4",
            params![
                secret::token_hash(key),
                out.case_id,
                now,
                now - SEND_KEY_SECONDS
            ],
        )?;
        if spent == 0 {
            return Ok(Err(SendRefusal::KeyUsed));
        }
        let in_flight: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE case_id = ?1 AND state = 'sending')",
            [out.case_id],
            |r| r.get(0),
        )?;
        if in_flight {
            return Ok(Err(SendRefusal::InFlight));
        }
        tx.execute(
            "INSERT INTO messages (case_id, direction, message_id, in_reply_to, refs, sender, recipients, subject, body, raw, state, author_id, created_at)
             VALUES (?1, 'out', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'sending', ?10, ?11)",
            params![
                out.case_id,
                out.message_id,
                out.in_reply_to,
                out.references.join(" "),
                out.sender,
                out.recipients.join(", "),
                out.subject,
                out.body,
                out.raw,
                out.author_id,
                now
            ],
        )?;
        let row = tx.last_insert_rowid();
        audit_in(
            &tx,
            now,
            Some(out.author_id),
            "send-started",
            Some(out.case_id),
            &format!("message {}", out.message_id),
        )?;
        tx.commit()?;
        Ok(Ok(row))
    }

    /// Marks a reply sent (the SMTP server accepted it) or failed.
    pub fn finish_send(
        &self,
        row: i64,
        result: Result<(), String>,
        user_id: i64,
        now: i64,
    ) -> Result<(), DeskError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let case_id: i64 =
            tx.query_row("SELECT case_id FROM messages WHERE id = ?1", [row], |r| {
                r.get(0)
            })?;
        match result {
            Ok(()) => {
                tx.execute(
                    "UPDATE messages SET state = 'sent', sent_at = ?2 WHERE id = ?1",
                    params![row, now],
                )?;
                tx.execute(
                    "UPDATE cases SET status = 'waiting', updated_at = ?2,
                        first_response_at = coalesce(first_response_at, ?2) WHERE id = ?1",
                    params![case_id, now],
                )?;
                audit_in(&tx, now, Some(user_id), "sent", Some(case_id), "")?;
            }
            Err(error) => {
                tx.execute(
                    "UPDATE messages SET state = 'failed', error = ?2 WHERE id = ?1",
                    params![row, error],
                )?;
                audit_in(
                    &tx,
                    now,
                    Some(user_id),
                    "send-failed",
                    Some(case_id),
                    &error,
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Replies left `sending` by a crash: the server may or may not have them.
    /// They are marked failed with that explanation, never sent.
    pub fn settle_interrupted_sends(&self, now: i64) -> Result<usize, DeskError> {
        let conn = self.conn();
        let n = conn.execute(
            "UPDATE messages SET state = 'failed', error = 'interrupted: the desk stopped during sending; check the mail server before sending again'
             WHERE state = 'sending'",
            [],
        )?;
        if n > 0 {
            audit_in(
                &conn,
                now,
                None,
                "sends-interrupted",
                None,
                &format!("{n} replies"),
            )?;
        }
        Ok(n)
    }

    // --- text modules --------------------------------------------------------

    pub fn text_modules(&self, lang: Option<&str>) -> Result<Vec<TextModule>, DeskError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, lang, body FROM text_modules WHERE ?1 IS NULL OR lang = ?1 ORDER BY name, lang",
        )?;
        let modules = stmt
            .query_map([lang], |r| {
                Ok(TextModule {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    lang: r.get(2)?,
                    body: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(modules)
    }

    pub fn save_text_module(
        &self,
        name: &str,
        lang: &str,
        body: &str,
        user: &User,
        now: i64,
    ) -> Result<(), DeskError> {
        if name.trim().is_empty() || body.trim().is_empty() {
            return Err(DeskError::Invalid(
                "a text module needs a name and a text".into(),
            ));
        }
        if !["en", "ko"].contains(&lang) {
            return Err(DeskError::Invalid(format!(
                "language `{lang}`: expected en or ko"
            )));
        }
        let conn = self.conn();
        conn.execute(
            "INSERT INTO text_modules (name, lang, body, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name, lang) DO UPDATE SET body = ?3, updated_at = ?4",
            params![name.trim(), lang, body.replace("\r\n", "\n"), now],
        )?;
        audit_in(
            &conn,
            now,
            Some(user.id),
            "text-module-saved",
            None,
            &format!("{name} ({lang})"),
        )?;
        Ok(())
    }

    fn seed_text_modules(&self, now: i64) -> Result<(), DeskError> {
        let conn = self.conn();
        for (name, lang, body) in crate::web::SEED_TEXT_MODULES {
            conn.execute(
                "INSERT OR IGNORE INTO text_modules (name, lang, body, updated_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, lang, body, now],
            )?;
        }
        Ok(())
    }

    // --- audit ---------------------------------------------------------------

    pub fn audit(
        &self,
        user_id: Option<i64>,
        action: &str,
        case_id: Option<i64>,
        detail: &str,
        now: i64,
    ) -> Result<(), DeskError> {
        audit_in(&self.conn(), now, user_id, action, case_id, detail)
    }

    pub fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, DeskError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.at, u.email, a.action, a.case_id, a.detail FROM audit_log a
             LEFT JOIN users u ON u.id = a.user_id ORDER BY a.id DESC LIMIT ?1",
        )?;
        let entries = stmt
            .query_map([limit], |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    user: r.get(2)?,
                    action: r.get(3)?,
                    case_id: r.get(4)?,
                    detail: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(entries)
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

/// Writes the files to a temporary folder and runs the analyst on them; its
/// error names the attachment, not the temporary path.
fn analyse_files(
    analyst: &dyn Analyst,
    raw: &[u8],
    files: &[mail::Attachment],
) -> Result<Result<Analysis, String>, DeskError> {
    let dir = tempfile::tempdir().map_err(|source| DeskError::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let mut paths = Vec::new();
    for (index, file) in files.iter().enumerate() {
        // A numbered folder per file keeps two attachments of one name apart.
        let folder = dir.path().join(index.to_string());
        let path = folder.join(&file.filename);
        std::fs::create_dir_all(&folder)
            .and_then(|()| std::fs::write(&path, &file.data))
            .map_err(|source| DeskError::Io {
                path: path.clone(),
                source,
            })?;
        paths.push(path);
    }
    Ok(analyst.analyse(raw, &paths).map_err(|e| {
        let mut e = e.sentence();
        for (path, file) in paths.iter().zip(files) {
            e = e.replace(
                &path.display().to_string(),
                &format!("attachment {}", file.filename),
            );
        }
        e
    }))
}

fn account_email(conn: &Connection, user_id: i64) -> Result<String, DeskError> {
    conn.query_row("SELECT email FROM users WHERE id = ?1", [user_id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| DeskError::Invalid(format!("there is no account {user_id}")))
}

fn insert_session(conn: &Connection, user_id: i64, now: i64) -> Result<String, DeskError> {
    let token = secret::token(32);
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![secret::token_hash(&token), user_id, secret::token(32), now, now + SESSION_SECONDS],
    )?;
    Ok(token)
}

/// A fixed argon2 hash to verify against when the account does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2bMzN0OuwYcOnEQBoHLgNsXkzWq5VdYAXjUoJ6cc9j0";

fn audit_in(
    conn: &Connection,
    now: i64,
    user_id: Option<i64>,
    action: &str,
    case_id: Option<i64>,
    detail: &str,
) -> Result<(), DeskError> {
    conn.execute(
        "INSERT INTO audit_log (at, user_id, action, case_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![now, user_id, action, case_id, detail],
    )?;
    Ok(())
}

/// The case an inbound message answers, by In-Reply-To, then References (newest first).
fn thread_of(conn: &Connection, mail: &Inbound) -> Result<Option<i64>, DeskError> {
    let candidates = mail.in_reply_to.iter().chain(mail.references.iter().rev());
    for id in candidates {
        let found = conn
            .query_row(
                "SELECT case_id FROM messages WHERE message_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// Whether a message that answers `case_id` may join it: its senders (the
/// header `From`, and the envelope sender when given) are each the case's
/// customer or an address copied on one of its inbound messages.
fn may_join(
    conn: &Connection,
    case_id: i64,
    mail: &Inbound,
    envelope_sender: Option<&str>,
) -> Result<bool, DeskError> {
    let customer: Option<String> =
        conn.query_row("SELECT customer FROM cases WHERE id = ?1", [case_id], |r| {
            r.get(0)
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT recipients FROM messages WHERE case_id = ?1 AND direction = 'in'",
    )?;
    let copied: Vec<String> = stmt
        .query_map([case_id], |r| r.get::<_, String>(0))?
        .collect::<Result<_, _>>()?;
    let known: Vec<String> = customer
        .into_iter()
        .chain(
            copied
                .iter()
                .flat_map(|list| list.split(", ").map(str::to_owned)),
        )
        .map(|address| address.trim().to_lowercase())
        .filter(|address| !address.is_empty())
        .collect();
    let is_known = |address: &str| known.contains(&address.trim().to_lowercase());
    Ok(mail.from.as_deref().is_some_and(is_known) && envelope_sender.is_none_or(is_known))
}

fn create_case(
    conn: &Connection,
    mail: &Inbound,
    inquiry: Option<&ftdesk_reply::Inquiry>,
    linked_case: Option<i64>,
    now: i64,
) -> Result<i64, DeskError> {
    let lang = inquiry.map_or("en", |i| i.lang.code());
    let subject = if mail.subject.trim().is_empty() {
        "(no subject)".to_owned()
    } else {
        mail.subject.clone()
    };
    conn.execute(
        "INSERT INTO cases (subject, customer, customer_name, lang, amount, currency, created_at, first_response_due, updated_at, linked_case)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?9)",
        params![
            subject,
            mail.from,
            mail.from_name.clone().or_else(|| inquiry.and_then(|i| i.name.clone())),
            lang,
            inquiry.and_then(|i| i.amount).map(|a| a.to_string()),
            inquiry.and_then(|i| i.currency.clone()),
            now,
            now + FIRST_RESPONSE_SECONDS,
            linked_case,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn insert_inbound(
    conn: &Connection,
    case_id: i64,
    mail: &Inbound,
    raw: &[u8],
    now: i64,
) -> Result<i64, DeskError> {
    conn.execute(
        "INSERT INTO messages (case_id, direction, message_id, in_reply_to, refs, sender, recipients, subject, body, raw, state, created_at)
         VALUES (?1, 'in', ?2, ?3, ?4, ?5, ?10, ?6, ?7, ?8, 'received', ?9)",
        params![
            case_id,
            mail.message_id,
            mail.in_reply_to,
            mail.references.join(" "),
            mail.from,
            mail.subject,
            mail.body,
            raw,
            now,
            mail.cc.join(", "),
        ],
    )?;
    let row = conn.last_insert_rowid();
    for file in &mail.attachments {
        conn.execute(
            "INSERT INTO attachments (message_id, filename, content_type, size, sha256, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![row, file.filename, file.content_type, file.data.len() as i64, file.sha256(), file.data],
        )?;
    }
    Ok(row)
}

/// The queue's query and its arguments for a filter.
fn queue_sql(filter: &QueueFilter) -> (String, Vec<rusqlite::types::Value>) {
    let mut sql = String::from(
        "SELECT c.id, c.subject, c.customer, c.status, u.email, c.lang, c.amount, c.currency,
                c.created_at, c.first_response_due, c.first_response_at
         FROM cases c LEFT JOIN users u ON u.id = c.assignee_id WHERE 1 = 1",
    );
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(status) = filter.status.as_deref().filter(|s| STATUSES.contains(s)) {
        sql.push_str(" AND c.status = ?");
        args.push(status.to_owned().into());
    } else if filter.status.as_deref() != Some("all") {
        sql.push_str(" AND c.status != 'solved'");
    }
    match filter.assignee.as_deref() {
        Some("me") => {
            sql.push_str(" AND c.assignee_id = ?");
            args.push(filter.me_id.into());
        }
        Some("none") => sql.push_str(" AND c.assignee_id IS NULL"),
        Some(email) if !email.is_empty() => {
            // By id, so the assignee index serves it (a join on e-mail would scan).
            sql.push_str(" AND c.assignee_id = (SELECT id FROM users WHERE email = ?)");
            args.push(email.to_owned().into());
        }
        _ => {}
    }
    if let Some(query) = filter.search.as_deref().and_then(fts_query) {
        sql.push_str(
            " AND c.id IN (SELECT case_id FROM message_search WHERE message_search MATCH ?)",
        );
        args.push(query.into());
    }
    sql.push_str(
        " ORDER BY (c.first_response_at IS NOT NULL), c.first_response_due, c.id LIMIT ? OFFSET ?",
    );
    args.push(
        if filter.limit > 0 {
            filter.limit
        } else {
            QUEUE_PAGE
        }
        .into(),
    );
    args.push(filter.offset.max(0).into());
    (sql, args)
}

/// A full-text query from what a person types: each word a quoted prefix term.
fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// `Re: subject`, once.
pub fn reply_subject(subject: &str) -> String {
    let lower = subject.trim_start().to_ascii_lowercase();
    if lower.starts_with("re:") {
        subject.trim().to_owned()
    } else {
        format!("Re: {}", subject.trim())
    }
}

/// Reads billing files given on the command line as attachments of an imported case.
pub fn files_as_attachments(paths: &[PathBuf]) -> Result<Vec<mail::Attachment>, DeskError> {
    let mut files = Vec::new();
    for path in paths {
        collect_files(path, &mut files)?;
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let data = std::fs::read(&path).map_err(|source| DeskError::Io {
                path: path.clone(),
                source,
            })?;
            Ok(mail::Attachment {
                filename: mail::safe_filename(
                    &path.file_name().unwrap_or_default().to_string_lossy(),
                ),
                content_type: "application/octet-stream".to_owned(),
                data,
            })
        })
        .collect()
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), DeskError> {
    let io = |source| DeskError::Io {
        path: path.to_owned(),
        source,
    };
    if path.is_dir() {
        for entry in std::fs::read_dir(path).map_err(io)? {
            collect_files(&entry.map_err(io)?.path(), out)?;
        }
    } else {
        std::fs::metadata(path).map_err(io)?;
        out.push(path.to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests;
