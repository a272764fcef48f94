//! People and their sessions: accounts, passwords, login locks.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::audit::audit_in;
use super::Store;
use crate::{secret, DeskError};

/// After this many wrong passwords in a row an account is locked for [`LOCK_SECONDS`].
pub const MAX_FAILED_LOGINS: i64 = 10;
pub const LOCK_SECONDS: i64 = 15 * 60;
pub const SESSION_SECONDS: i64 = 12 * 3600;
/// How long a one-time password (from `desk init`, `desk user`, a reset) can be used.
pub const ONE_TIME_PASSWORD_SECONDS: i64 = 3 * 24 * 3600;

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

/// The accounts and sessions of the desk's one database.
pub struct People<'s>(pub(super) &'s Store);

impl People<'_> {
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
        let conn = self.0.conn();
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

    pub fn users(&self) -> Result<Vec<User>, DeskError> {
        let conn = self.0.conn();
        let mut stmt = conn.prepare(
            "SELECT id, email, role, lang, must_change_password FROM users ORDER BY email",
        )?;
        let users = stmt.query_map([], user_row)?.collect::<Result<_, _>>()?;
        Ok(users)
    }

    /// The password hash and its expiry (one-time passwords) for a login attempt.
    fn credentials(&self, email: &str) -> Result<Option<(User, String, Option<i64>)>, DeskError> {
        Ok(self
            .0
            .conn()
            .query_row(
                "SELECT id, email, role, lang, password_hash, password_expires_at, must_change_password
                 FROM users WHERE email = ?1",
                [email.trim()],
                |row| Ok((user_row(row)?, row.get(4)?, row.get(5)?)),
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
        let audit = self.0.audit();
        let Some((user, hash, expires_at)) = self.credentials(email)? else {
            // The same work as for a real account, so timing does not tell which exist.
            secret::verify_password(password, DUMMY_HASH);
            audit.record(None, "login-failed", None, "unknown account", now)?;
            return Ok(Err(LoginRefusal::WrongPassword));
        };
        let Some(attempt) = self.take_attempt(user.id, now)? else {
            secret::verify_password(password, DUMMY_HASH);
            audit.record(Some(user.id), "login-refused", None, "account locked", now)?;
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
        let conn = self.0.conn();
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
            .0
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
        Ok(self.0.conn().query_row(
            "SELECT locked_until FROM users WHERE id = ?1",
            [user_id],
            |r| r.get(0),
        )?)
    }

    /// After a right password: clears the count and spends a one-time password,
    /// unless the account was locked or the password spent meanwhile.
    fn admit(&self, user_id: i64, now: i64) -> Result<bool, DeskError> {
        let conn = self.0.conn();
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
        let mut conn = self.0.conn();
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
        let conn = self.0.conn();
        let mut stmt =
            conn.prepare("SELECT id, locked_until FROM users WHERE locked_until > ?1 ORDER BY id")?;
        let locked = stmt
            .query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(locked)
    }

    /// A lead (or the operator, `by` none) lifts a login lock; audited under the lead's name.
    pub fn unlock(&self, user_id: i64, by: Option<&User>, now: i64) -> Result<(), DeskError> {
        let conn = self.0.conn();
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
        let mut conn = self.0.conn();
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
        let conn = self.0.conn();
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
        insert_session(&self.0.conn(), user_id, now)
    }

    /// Ends a session the browser presented (at a new login), whoever's it is.
    pub fn revoke_session(&self, token: &str) -> Result<(), DeskError> {
        self.0.conn().execute(
            "DELETE FROM sessions WHERE token_hash = ?1",
            [secret::token_hash(token)],
        )?;
        Ok(())
    }

    pub fn session(&self, token: &str, now: i64) -> Result<Option<Session>, DeskError> {
        Ok(self
            .0
            .conn()
            .query_row(
                "SELECT u.id, u.email, u.role, u.lang, s.csrf, u.must_change_password
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                params![secret::token_hash(token), now],
                |row| {
                    Ok(Session {
                        user: user_row(row)?,
                        csrf: row.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn end_session(&self, token: &str, user_id: i64, now: i64) -> Result<(), DeskError> {
        let conn = self.0.conn();
        conn.execute(
            "DELETE FROM sessions WHERE token_hash = ?1 OR expires_at <= ?2",
            params![secret::token_hash(token), now],
        )?;
        audit_in(&conn, now, Some(user_id), "logout", None, "")?;
        Ok(())
    }
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

/// The users table's count (whether a desk is set up).
pub(super) fn count_users(conn: &Connection) -> Result<i64, DeskError> {
    Ok(conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
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
