//! Intake: inbound mail into cases, and the analysis kept on each case.

use rusqlite::{params, Connection, OptionalExtension};

use super::audit::audit_in;
use super::queue::FIRST_RESPONSE_SECONDS;
use super::Store;
use crate::mail::{self, Inbound};
use crate::{Analysis, DeskError};

/// What [`Inbox::receive`] did with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intake {
    pub case_id: i64,
    pub message_row: i64,
    pub new_case: bool,
    /// The message was stored before (same Message-ID): nothing was added.
    pub duplicate: bool,
}

/// Inbound mail and analyses in the desk's one database.
pub struct Inbox<'s>(pub(super) &'s Store);

impl Inbox<'_> {
    /// Stores an inbound message in one transaction: a new case, or the case it
    /// answers (by In-Reply-To, then References); its attachments with checksums.
    /// A message stored before (same Message-ID) is not stored twice.
    /// It joins the case it answers only when its sender is the case's customer
    /// or was copied on it; otherwise it opens a new case linked to that one.
    pub fn receive(
        &self,
        raw: &[u8],
        extra: &[mail::Attachment],
        now: i64,
    ) -> Result<Intake, DeskError> {
        self.receive_with(raw, extra, None, now)
    }

    /// [`Inbox::receive`] for a message that came by SMTP: the envelope sender
    /// (`MAIL FROM`) must be on the case as well as the header `From`.
    pub fn receive_from(
        &self,
        raw: &[u8],
        envelope_sender: Option<&str>,
        now: i64,
    ) -> Result<Intake, DeskError> {
        self.receive_with(raw, &[], envelope_sender, now)
    }

    fn receive_with(
        &self,
        raw: &[u8],
        extra: &[mail::Attachment],
        envelope_sender: Option<&str>,
        now: i64,
    ) -> Result<Intake, DeskError> {
        let mut mail = mail::parse(raw)?;
        mail.attachments.extend(extra.iter().cloned());
        let inquiry = ftdesk_reply::Inquiry::parse(raw).ok();
        let mut conn = self.0.conn();
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
        let action = if new_case {
            "case-created"
        } else {
            "reply-received"
        };
        let detail = match answered.filter(|_| !joins) {
            Some(linked) => format!(
                "message {}, linked to case {linked}: its sender is not on that case",
                mail.message_id
            ),
            None => format!("message {}", mail.message_id),
        };
        audit_in(&tx, now, None, action, Some(case_id), &detail)?;
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
        let conn = self.0.conn();
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

    /// Marks a case as having no billing data to analyse.
    pub fn mark_no_data(&self, case_id: i64) -> Result<(), DeskError> {
        self.0.conn().execute(
            "UPDATE cases SET analysis = 'no-data' WHERE id = ?1",
            [case_id],
        )?;
        Ok(())
    }

    /// Counts a start of a case's analysis (before it runs: one that stops the desk stays counted).
    pub fn count_attempt(&self, case_id: i64) -> Result<(), DeskError> {
        self.0.conn().execute(
            "UPDATE cases SET analysis_attempts = analysis_attempts + 1 WHERE id = ?1",
            [case_id],
        )?;
        Ok(())
    }

    /// Cases whose analysis started `max_attempts` times and never ended.
    pub fn stalled_analyses(&self, max_attempts: u32) -> Result<Vec<i64>, DeskError> {
        let conn = self.0.conn();
        let mut stmt = conn.prepare(
            "SELECT id FROM cases WHERE analysis = 'pending' AND analysis_attempts >= ?1",
        )?;
        let cases = stmt
            .query_map([max_attempts], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(cases)
    }

    /// The first message of each case whose analysis never ran (the desk
    /// stopped between storing the mail and analysing it).
    pub fn pending_analyses(&self) -> Result<Vec<Intake>, DeskError> {
        let conn = self.0.conn();
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
        let conn = self.0.conn();
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
