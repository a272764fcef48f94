//! What the operator does to accounts from the command line (`ftdesk desk
//! user`), outside the pages: no one is signed in, so the audit log names no
//! user.

use std::path::Path;

use crate::{DeskError, Store};

/// What happens to an existing account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    /// Lifts a lock-out after too many failed logins.
    Unlock,
    /// Replaces the password with a new one-time password.
    NewPassword,
}

/// Applies `change` to the account `email` of the desk at `db`; returns the
/// new one-time password for [`AccountChange::NewPassword`].
pub fn change_account(
    db: &Path,
    email: &str,
    change: AccountChange,
    now: i64,
) -> Result<Option<String>, DeskError> {
    let store = Store::open(db)?;
    let Some(user) = store.people().user_by_email(email)? else {
        return Err(DeskError::Invalid(format!(
            "{}: there is no account {email}",
            db.display()
        )));
    };
    match change {
        AccountChange::Unlock => store.people().unlock(user.id, None, now).map(|()| None),
        AccountChange::NewPassword => store.people().reset_password(user.id, None, now).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_gets_a_new_one_time_password_and_a_missing_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.sqlite");
        let (_, first) = Store::init(&db, "lead@example.com", 0).unwrap();
        let change = AccountChange::NewPassword;
        let second = change_account(&db, "lead@example.com", change, 1).unwrap();
        assert!(second.is_some_and(|p| p != first));
        let missing = change_account(&db, "nobody@example.com", AccountChange::Unlock, 1);
        let message = missing.unwrap_err().to_string();
        assert!(
            message.ends_with("there is no account nobody@example.com"),
            "{message}"
        );
    }
}
