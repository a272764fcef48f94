//! A case's messages and its draft, and the record of each reply sent.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::audit::audit_in;
use super::kinds::{Direction, MessageState};
use super::Store;
use crate::{mail, secret, DeskError, User};

/// How long a send key (minted with a case page) stays usable.
pub const SEND_KEY_SECONDS: i64 = 24 * 3600;

#[derive(Debug, Clone, Serialize)]
pub struct MessageRecord {
    pub id: i64,
    pub direction: Direction,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub refs: String,
    pub sender: Option<String>,
    pub recipients: String,
    pub subject: String,
    pub body: String,
    pub state: MessageState,
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

/// Why a reply was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefusal {
    /// The key was used already, is unknown or belongs to another case: a second click.
    KeyUsed,
    /// Another reply on the case is being sent right now.
    InFlight,
}

/// The messages and drafts of the desk's one database.
pub struct Messages<'s>(pub(super) &'s Store);

impl Messages<'_> {
    /// A case's messages, oldest first, each with its attachments.
    pub fn of_case(&self, case_id: i64) -> Result<Vec<MessageRecord>, DeskError> {
        let conn = self.0.conn();
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
                .query_map([message.id], attachment_row)?
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
            .0
            .conn()
            .query_row(
                "SELECT a.id, a.filename, a.content_type, a.size, a.sha256, a.data FROM attachments a
                 JOIN messages m ON m.id = a.message_id WHERE a.id = ?1 AND m.case_id = ?2",
                params![id, case_id],
                |r| Ok((attachment_row(r)?, r.get::<_, Vec<u8>>(5)?)),
            )
            .optional()?;
        let Some((record, data)) = found else {
            return Ok(None);
        };
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

    pub fn draft(&self, case_id: i64) -> Result<Option<Draft>, DeskError> {
        Ok(self
            .0
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
        let conn = self.0.conn();
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

    /// The In-Reply-To and References a reply on this case carries: the last
    /// inbound message and its own references.
    pub fn thread_headers(&self, case_id: i64) -> Result<(Option<String>, Vec<String>), DeskError> {
        let last = self
            .0
            .conn()
            .query_row(
                "SELECT message_id, refs FROM messages WHERE case_id = ?1 AND direction = ?2 ORDER BY id DESC LIMIT 1",
                params![case_id, Direction::In],
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
        let conn = self.0.conn();
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
        let mut conn = self.0.conn();
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
        let mut conn = self.0.conn();
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
        let conn = self.0.conn();
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
}

fn attachment_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AttachmentRecord> {
    Ok(AttachmentRecord {
        id: r.get(0)?,
        filename: r.get(1)?,
        content_type: r.get(2)?,
        size: r.get(3)?,
        sha256: r.get(4)?,
    })
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
