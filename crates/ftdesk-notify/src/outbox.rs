//! The SQLite outbox and its migrations (`PRAGMA user_version`).

use std::path::Path;

use ftdesk_guard::Alert;
use rusqlite::{params, Connection, OptionalExtension};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum OutboxError {
    #[error("outbox {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("outbox: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("outbox: alert {id} has an unreadable payload: {source}")]
    Payload {
        id: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("outbox {path} has schema version {found}, newer than this program's {SCHEMA_VERSION}; upgrade ftdesk")]
    TooNew { path: String, found: i64 },
}

/// Each migration takes the database from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: the first release kept one row per alert and a sent flag.
    "CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        sent INTEGER NOT NULL DEFAULT 0
    );",
    // 2: one delivery per channel, with attempts and backoff.
    "CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE deliveries (
        alert_id TEXT NOT NULL REFERENCES alerts(id),
        channel TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        sent_at INTEGER,
        last_error TEXT,
        PRIMARY KEY (alert_id, channel)
    );
    INSERT INTO alerts (id, payload, created_at) SELECT id, payload, created_at FROM outbox;
    INSERT INTO deliveries (alert_id, channel, next_attempt_at, sent_at)
        SELECT id, '*', created_at, CASE sent WHEN 0 THEN NULL ELSE created_at END FROM outbox;
    DROP TABLE outbox;",
    // 3: what the inputs looked like at the last evaluated cycle (the guard's
    // input cache, owned by `ftdesk-app` since; kept so old databases migrate alike).
    "CREATE TABLE sources (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        sha256 TEXT NOT NULL
    );
    CREATE TABLE guard_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );",
    // 4: each billing file's accounting, to re-read only the files that changed
    // (also the guard's input cache, now in `ftdesk-app`).
    "CREATE TABLE ledgers (
        path TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        cache_key TEXT NOT NULL,
        ledger TEXT NOT NULL
    );",
    // 5: deliveries that cannot go out (unreadable payload, channel removed) are
    // set aside with their error instead of blocking or waiting forever.
    "ALTER TABLE deliveries ADD COLUMN parked_at INTEGER;",
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a failed delivery waits: `base × 2^(attempts-1)`, at most `max`.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub base_seconds: u64,
    pub max_seconds: u64,
}

impl Retry {
    pub fn delay_after(self, attempts: u32) -> i64 {
        let doubling = 2u64.saturating_pow(attempts.saturating_sub(1));
        let delay = self
            .base_seconds
            .saturating_mul(doubling)
            .min(self.max_seconds);
        i64::try_from(delay).unwrap_or(i64::MAX)
    }
}

/// A delivery that is due: the alert and the channel it goes to.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub alert: Alert,
    pub channel: String,
    pub attempts: u32,
}

pub struct Outbox {
    conn: Connection,
}

/// Held by one guard run at a time, so that two runs on one state database
/// never send the same deliveries: an exclusive SQLite transaction on a lock
/// file beside it (a file lock the kernel releases if the process dies).
pub struct RunLock {
    _held: Connection,
}

impl RunLock {
    /// Takes the lock at `path`, waiting up to `wait` for another run to end.
    pub fn acquire(path: &Path, wait: std::time::Duration) -> Result<Self, OutboxError> {
        let open_error = |source| OutboxError::Open {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(open_error)?;
        conn.busy_timeout(wait).map_err(open_error)?;
        conn.execute_batch("BEGIN EXCLUSIVE").map_err(open_error)?;
        Ok(RunLock { _held: conn })
    }
}

impl Outbox {
    /// Opens (creating if needed) and migrates the outbox at `path`.
    pub fn open(path: &Path) -> Result<Self, OutboxError> {
        let shown = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| OutboxError::Open {
            path: shown.clone(),
            source,
        })?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut outbox = Outbox { conn };
        outbox.migrate(&shown)?;
        Ok(outbox)
    }

    pub fn schema_version(&self) -> Result<i64, OutboxError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    fn migrate(&mut self, shown: &str) -> Result<(), OutboxError> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(OutboxError::TooNew {
                path: shown.to_owned(),
                found,
            });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
            tx.commit()?;
            tracing::info!(version = index + 1, "outbox migrated");
        }
        Ok(())
    }

    /// Writes the alert and one pending delivery per channel, in one
    /// transaction. An alert already there (same id) is left as it is; a
    /// channel added since gets its delivery. Returns whether the alert is new.
    pub fn enqueue(
        &mut self,
        alert: &Alert,
        channels: &[String],
        now: i64,
    ) -> Result<bool, OutboxError> {
        let payload = serde_json::to_string(alert).map_err(|source| OutboxError::Payload {
            id: alert.id.clone(),
            source,
        })?;
        let tx = self.conn.transaction()?;
        let new = tx.execute(
            "INSERT OR IGNORE INTO alerts (id, payload, created_at) VALUES (?1, ?2, ?3)",
            params![alert.id, payload, now],
        )? == 1;
        let migrated_pending: Option<i64> = tx
            .query_row(
                "SELECT sent_at FROM deliveries WHERE alert_id = ?1 AND channel = '*'",
                params![alert.id],
                |row| row.get(0),
            )
            .optional()?
            .flatten();
        for channel in channels {
            tx.execute(
                "INSERT OR IGNORE INTO deliveries (alert_id, channel, next_attempt_at, sent_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![alert.id, channel, now, migrated_pending],
            )?;
        }
        tx.commit()?;
        Ok(new)
    }

    /// Deliveries not yet sent whose next attempt is due at `now`, oldest first.
    /// Rows from the first schema (channel `*`) go to every current channel.
    /// A delivery whose payload cannot be read is parked with the error, so
    /// the others still go.
    pub fn due(&self, now: i64) -> Result<Vec<Delivery>, OutboxError> {
        let mut statement = self.conn.prepare(
            "SELECT a.id, a.payload, d.channel, d.attempts FROM deliveries d
             JOIN alerts a ON a.id = d.alert_id
             WHERE d.sent_at IS NULL AND d.parked_at IS NULL
               AND d.next_attempt_at <= ?1 AND d.channel <> '*'
             ORDER BY a.created_at, a.id, d.channel",
        )?;
        let rows = statement.query_map(params![now], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, u32>(3)?,
            ))
        })?;
        let mut due = Vec::new();
        for row in rows {
            let (id, payload, channel, attempts) = row?;
            let alert = match serde_json::from_str(&payload) {
                Ok(alert) => alert,
                Err(source) => {
                    let error = OutboxError::Payload {
                        id: id.clone(),
                        source,
                    }
                    .to_string();
                    tracing::warn!(alert = %id, %channel, %error, "delivery parked");
                    self.park(&id, &channel, &error, now)?;
                    continue;
                }
            };
            due.push(Delivery {
                alert,
                channel,
                attempts,
            });
        }
        Ok(due)
    }

    pub fn mark_sent(&self, alert_id: &str, channel: &str, now: i64) -> Result<(), OutboxError> {
        self.conn.execute(
            "UPDATE deliveries SET sent_at = ?3, attempts = attempts + 1, last_error = NULL
             WHERE alert_id = ?1 AND channel = ?2",
            params![alert_id, channel, now],
        )?;
        Ok(())
    }

    /// Counts the failed attempt and sets when to try again.
    pub fn mark_failed(
        &self,
        alert_id: &str,
        channel: &str,
        error: &str,
        now: i64,
        retry: Retry,
    ) -> Result<u32, OutboxError> {
        let attempts: u32 = self.conn.query_row(
            "UPDATE deliveries SET attempts = attempts + 1, last_error = ?3
             WHERE alert_id = ?1 AND channel = ?2 RETURNING attempts",
            params![alert_id, channel, error],
            |row| row.get(0),
        )?;
        self.conn.execute(
            "UPDATE deliveries SET next_attempt_at = ?3 WHERE alert_id = ?1 AND channel = ?2",
            params![alert_id, channel, now + retry.delay_after(attempts)],
        )?;
        Ok(attempts)
    }

    /// Sets the delivery aside with `error`: it is not tried again, and it
    /// counts in [`Outbox::parked`] instead of [`Outbox::pending`].
    pub fn park(
        &self,
        alert_id: &str,
        channel: &str,
        error: &str,
        now: i64,
    ) -> Result<(), OutboxError> {
        self.conn.execute(
            "UPDATE deliveries SET parked_at = ?3, last_error = ?4
             WHERE alert_id = ?1 AND channel = ?2",
            params![alert_id, channel, now, error],
        )?;
        Ok(())
    }

    /// Parks every waiting delivery whose channel is not in `channels` (a
    /// channel removed from the config); returns each such channel with how
    /// many deliveries it had.
    pub fn park_removed_channels(
        &self,
        channels: &[String],
        now: i64,
    ) -> Result<Vec<(String, usize)>, OutboxError> {
        let waiting: Vec<String> = self
            .conn
            .prepare(
                "SELECT DISTINCT channel FROM deliveries
                 WHERE sent_at IS NULL AND parked_at IS NULL AND channel <> '*' ORDER BY channel",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut parked = Vec::new();
        for channel in waiting.into_iter().filter(|c| !channels.contains(c)) {
            let count = self.conn.execute(
                "UPDATE deliveries SET parked_at = ?2, last_error = ?3
                 WHERE channel = ?1 AND sent_at IS NULL AND parked_at IS NULL",
                params![
                    channel,
                    now,
                    format!("channel `{channel}` is no longer in the config")
                ],
            )?;
            parked.push((channel, count));
        }
        Ok(parked)
    }

    /// Deliveries set aside by [`Outbox::park`].
    pub fn parked(&self) -> Result<u64, OutboxError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM deliveries WHERE parked_at IS NOT NULL",
            [],
            |row| row.get(0),
        )?)
    }

    /// Deliveries still waiting (for the exit status and the logs).
    pub fn pending(&self) -> Result<u64, OutboxError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM deliveries
             WHERE sent_at IS NULL AND parked_at IS NULL AND channel <> '*'",
            [],
            |row| row.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use ftdesk_guard::{alert_id, AlertKind};

    use super::*;

    fn alert(subject: &str) -> Alert {
        Alert {
            id: alert_id("111", "2026-11", AlertKind::NeverFree, subject, "any"),
            kind: AlertKind::NeverFree,
            account: "111".into(),
            month: "2026-11".into(),
            subject: subject.into(),
            threshold: "any".into(),
            lang: "en".into(),
            title: format!("{subject} is never free"),
            amount: "$1.00".into(),
            by_when: None,
            action: vec![],
        }
    }

    const RETRY: Retry = Retry {
        base_seconds: 60,
        max_seconds: 3600,
    };

    #[test]
    fn an_alert_is_queued_once_and_sent_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut outbox = Outbox::open(&dir.path().join("o.sqlite")).unwrap();
        let channels = vec!["mail".to_owned()];
        assert!(outbox.enqueue(&alert("nat-1"), &channels, 100).unwrap());
        assert!(!outbox.enqueue(&alert("nat-1"), &channels, 200).unwrap());
        let due = outbox.due(100).unwrap();
        assert_eq!(due.len(), 1);
        outbox.mark_sent(&due[0].alert.id, "mail", 101).unwrap();
        assert!(outbox.due(10_000).unwrap().is_empty());
        assert!(!outbox.enqueue(&alert("nat-1"), &channels, 300).unwrap());
        assert!(outbox.due(10_000).unwrap().is_empty());
    }

    #[test]
    fn a_failed_send_waits_longer_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut outbox = Outbox::open(&dir.path().join("o.sqlite")).unwrap();
        let a = alert("ip-1");
        outbox.enqueue(&a, &["hook".to_owned()], 0).unwrap();
        assert_eq!(
            outbox
                .mark_failed(&a.id, "hook", "refused", 0, RETRY)
                .unwrap(),
            1
        );
        assert!(outbox.due(59).unwrap().is_empty());
        assert_eq!(outbox.due(60).unwrap().len(), 1);
        assert_eq!(
            outbox
                .mark_failed(&a.id, "hook", "refused", 60, RETRY)
                .unwrap(),
            2
        );
        assert!(outbox.due(179).unwrap().is_empty());
        assert_eq!(outbox.due(180).unwrap()[0].attempts, 2);
        assert_eq!(RETRY.delay_after(30), 3600);
    }

    #[test]
    fn the_outbox_survives_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.sqlite");
        Outbox::open(&path)
            .unwrap()
            .enqueue(&alert("a"), &["c".to_owned()], 1)
            .unwrap();
        let outbox = Outbox::open(&path).unwrap();
        assert_eq!(outbox.pending().unwrap(), 1);
    }

    #[test]
    fn an_old_schema_database_is_migrated_and_keeps_its_alerts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            let (sent, unsent) = (alert("sent"), alert("unsent"));
            for (a, flag) in [(&sent, 1), (&unsent, 0)] {
                conn.execute(
                    "INSERT INTO outbox (id, payload, created_at, sent) VALUES (?1, ?2, 5, ?3)",
                    params![a.id, serde_json::to_string(a).unwrap(), flag],
                )
                .unwrap();
            }
        }
        let mut outbox = Outbox::open(&path).unwrap();
        assert_eq!(outbox.schema_version().unwrap(), SCHEMA_VERSION);
        let channels = vec!["mail".to_owned()];
        // The next cycle finds both conditions again: only the unsent one goes out.
        assert!(!outbox.enqueue(&alert("sent"), &channels, 10).unwrap());
        assert!(!outbox.enqueue(&alert("unsent"), &channels, 10).unwrap());
        let due = outbox.due(10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].alert.subject, "unsent");
    }

    #[test]
    fn an_unreadable_payload_is_parked_and_the_others_still_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.sqlite");
        let mut outbox = Outbox::open(&path).unwrap();
        let channels = vec!["mail".to_owned()];
        let (bad, good) = (alert("bad"), alert("good"));
        outbox.enqueue(&bad, &channels, 1).unwrap();
        outbox.enqueue(&good, &channels, 2).unwrap();
        outbox
            .conn
            .execute(
                "UPDATE alerts SET payload = '{not json' WHERE id = ?1",
                params![bad.id],
            )
            .unwrap();
        let due = outbox.due(10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].alert.subject, "good");
        assert_eq!(
            (outbox.pending().unwrap(), outbox.parked().unwrap()),
            (1, 1)
        );
        let error: String = outbox
            .conn
            .query_row(
                "SELECT last_error FROM deliveries WHERE alert_id = ?1",
                params![bad.id],
                |row| row.get(0),
            )
            .unwrap();
        assert!(error.contains("unreadable payload"), "{error}");
        assert_eq!(outbox.due(20).unwrap().len(), 1);
    }

    #[test]
    fn deliveries_for_a_removed_channel_are_parked_due_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let mut outbox = Outbox::open(&dir.path().join("o.sqlite")).unwrap();
        let a = alert("a");
        outbox
            .enqueue(&a, &["old".to_owned(), "new".to_owned()], 0)
            .unwrap();
        outbox
            .mark_failed(&a.id, "old", "refused", 0, RETRY)
            .unwrap();
        let parked = outbox
            .park_removed_channels(&["new".to_owned()], 1)
            .unwrap();
        assert_eq!(parked, vec![("old".to_owned(), 1)]);
        assert_eq!(
            (outbox.pending().unwrap(), outbox.parked().unwrap()),
            (1, 1)
        );
        assert_eq!(outbox.due(10_000).unwrap()[0].channel, "new");
    }

    #[test]
    fn the_run_lock_is_held_by_one_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.sqlite.lock");
        let wait = std::time::Duration::from_millis(50);
        let first = RunLock::acquire(&path, wait).unwrap();
        assert!(RunLock::acquire(&path, wait).is_err());
        drop(first);
        assert!(RunLock::acquire(&path, wait).is_ok());
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.sqlite");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = Outbox::open(&path).err().unwrap().to_string();
        assert!(err.contains("newer"), "{err}");
    }
}
