//! The queue and a case: finding cases, their state, notes and assignment.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::audit::audit_in;
use super::kinds::{AnalysisState, CaseStatus};
use super::Store;
use crate::{DeskError, User};

/// A case opened from a message that answered another case.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LinkedCase {
    pub id: i64,
    pub sender: String,
}

/// The default first-response target for a new case.
pub const FIRST_RESPONSE_SECONDS: i64 = 24 * 3600;
/// The queue shows this many cases a page.
pub const QUEUE_PAGE: i64 = 50;

#[derive(Debug, Clone, Serialize)]
pub struct QueueRow {
    pub id: i64,
    pub subject: String,
    pub customer: Option<String>,
    pub status: CaseStatus,
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
    /// A status, `all`, or (none, or anything else) every case not solved.
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

#[derive(Debug, Clone, Serialize)]
pub struct CaseRecord {
    pub id: i64,
    pub subject: String,
    pub customer: Option<String>,
    pub customer_name: Option<String>,
    pub status: CaseStatus,
    pub assignee: Option<String>,
    pub assignee_id: Option<i64>,
    pub lang: String,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub created_at: i64,
    pub first_response_due: i64,
    pub first_response_at: Option<i64>,
    pub analysis: AnalysisState,
    pub analysis_error: Option<String>,
    pub report_text: Option<String>,
    /// The case this one's first message answered, when its sender was not on that case.
    pub linked_case: Option<i64>,
}

impl CaseRecord {
    /// Unanswered past its first-response target, and not solved.
    pub fn overdue(&self, now: i64) -> bool {
        overdue(
            self.status,
            self.first_response_at,
            self.first_response_due,
            now,
        )
    }
}

fn overdue(status: CaseStatus, answered: Option<i64>, due: i64, now: i64) -> bool {
    answered.is_none() && status != CaseStatus::Solved && due < now
}

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

/// The cases of the desk's one database, as the queue and the case page see them.
pub struct Queue<'s>(pub(super) &'s Store);

impl Queue<'_> {
    /// One page of the queue: unanswered cases first, by first-response due time.
    /// Each filter has an index in this order (schema version 2): a page walks
    /// the index and stops when it is full, instead of sorting every open case.
    pub fn page(&self, filter: &QueueFilter, now: i64) -> Result<Vec<QueueRow>, DeskError> {
        let (sql, args) = queue_sql(filter);
        let conn = self.0.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                let due: i64 = r.get(9)?;
                let answered: Option<i64> = r.get(10)?;
                let status: CaseStatus = r.get(3)?;
                Ok(QueueRow {
                    id: r.get(0)?,
                    subject: r.get(1)?,
                    customer: r.get(2)?,
                    overdue: overdue(status, answered, due, now),
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
            .0
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
            .0
            .conn()
            .query_row(
                "SELECT report_html FROM cases WHERE id = ?1",
                [case_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// The cases opened from messages that answered `case_id` but came from
    /// senders not on it, oldest first.
    pub fn linked_from(&self, case_id: i64) -> Result<Vec<LinkedCase>, DeskError> {
        let conn = self.0.conn();
        let mut stmt = conn
            .prepare_cached("SELECT id, customer FROM cases WHERE linked_case = ?1 ORDER BY id")?;
        let linked = stmt
            .query_map([case_id], |r| {
                Ok(LinkedCase {
                    id: r.get(0)?,
                    sender: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(linked)
    }

    pub fn comments(&self, case_id: i64) -> Result<Vec<Comment>, DeskError> {
        let conn = self.0.conn();
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
        let conn = self.0.conn();
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
        status: CaseStatus,
        user: &User,
        now: i64,
    ) -> Result<(), DeskError> {
        let conn = self.0.conn();
        conn.execute(
            "UPDATE cases SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![case_id, status, now],
        )?;
        audit_in(
            &conn,
            now,
            Some(user.id),
            "status",
            Some(case_id),
            status.as_str(),
        )?;
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
        let conn = self.0.conn();
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
}

/// The queue's query and its arguments for a filter.
pub(super) fn queue_sql(filter: &QueueFilter) -> (String, Vec<rusqlite::types::Value>) {
    let mut sql = String::from(
        "SELECT c.id, c.subject, c.customer, c.status, u.email, c.lang, c.amount, c.currency,
                c.created_at, c.first_response_due, c.first_response_at
         FROM cases c LEFT JOIN users u ON u.id = c.assignee_id WHERE 1 = 1",
    );
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let status = filter.status.as_deref();
    if let Some(status) = status.and_then(|s| s.parse::<CaseStatus>().ok()) {
        sql.push_str(" AND c.status = ?");
        args.push(status.as_str().to_owned().into());
    } else if status != Some("all") {
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
