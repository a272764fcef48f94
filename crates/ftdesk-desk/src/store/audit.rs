//! The append-only audit log (the schema refuses updates and deletes).

use rusqlite::{params, Connection};
use serde::Serialize;

use super::Store;
use crate::DeskError;

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub user: Option<String>,
    pub action: String,
    pub case_id: Option<i64>,
    pub detail: String,
}

/// The audit log of the desk's one database.
pub struct AuditLog<'s>(pub(super) &'s Store);

impl AuditLog<'_> {
    pub fn record(
        &self,
        user_id: Option<i64>,
        action: &str,
        case_id: Option<i64>,
        detail: &str,
        now: i64,
    ) -> Result<(), DeskError> {
        audit_in(&self.0.conn(), now, user_id, action, case_id, detail)
    }

    /// The newest `limit` entries, newest first.
    pub fn latest(&self, limit: i64) -> Result<Vec<AuditEntry>, DeskError> {
        let conn = self.0.conn();
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
}

/// Records an entry on a connection (or in a transaction) another repository holds.
pub(super) fn audit_in(
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
