//! The guard's input cache in the state database: what the inputs looked
//! like at the last evaluated cycle, and each billing file's accounting.
//!
//! The tables keep the names and columns the outbox's migrations 3 and 4
//! gave them (existing state databases open as they are; those migrations
//! are never edited): this module owns them now and creates them when
//! missing. The outbox only delivers.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::GuardError;

const TABLES: &str = "
    CREATE TABLE IF NOT EXISTS sources (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        sha256 TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS guard_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ledgers (
        path TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        cache_key TEXT NOT NULL,
        ledger TEXT NOT NULL
    );";

/// A billing file as the guard last saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub size: i64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

/// The accounting of one billing file, as stored by [`InputCache::store_ledger`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedLedger {
    pub path: String,
    /// What the file's content was: `sha256:<hex>` or an S3 `etag:<etag>:<size>`.
    pub fingerprint: String,
    /// The program, catalogue and account filter that made it.
    pub cache_key: String,
    /// The encoded ledger (opaque here).
    pub ledger: String,
}

pub struct InputCache {
    conn: Connection,
    shown: String,
}

impl InputCache {
    /// Opens the cache in the state database at `path`, creating its tables.
    pub fn open(path: &Path) -> Result<Self, GuardError> {
        let shown = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| GuardError::Cache {
            path: shown.clone(),
            source,
        })?;
        let cache = InputCache { conn, shown };
        cache.sql(cache.conn.busy_timeout(std::time::Duration::from_secs(5)))?;
        cache.sql(cache.conn.execute_batch(TABLES))?;
        Ok(cache)
    }

    fn sql<T>(&self, result: rusqlite::Result<T>) -> Result<T, GuardError> {
        result.map_err(|source| GuardError::Cache {
            path: self.shown.clone(),
            source,
        })
    }

    /// The remembered fingerprint of the file at `path`.
    pub fn source(&self, path: &str) -> Result<Option<SourceFile>, GuardError> {
        self.sql(
            self.conn
                .query_row(
                    "SELECT path, size, mtime_ns, sha256 FROM sources WHERE path = ?1",
                    params![path],
                    |row| {
                        Ok(SourceFile {
                            path: row.get(0)?,
                            size: row.get(1)?,
                            mtime_ns: row.get(2)?,
                            sha256: row.get(3)?,
                        })
                    },
                )
                .optional(),
        )
    }

    /// Remembers the inputs of a cycle whose alerts are all enqueued: the
    /// files (replacing the previous set) and the cycle's fingerprint, in one
    /// transaction.
    pub fn remember_inputs(
        &mut self,
        files: &[SourceFile],
        key: &str,
        fingerprint: &str,
    ) -> Result<(), GuardError> {
        let shown = self.shown.clone();
        let write = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            tx.execute("DELETE FROM sources", [])?;
            for f in files {
                tx.execute(
                    "INSERT OR REPLACE INTO sources (path, size, mtime_ns, sha256) VALUES (?1, ?2, ?3, ?4)",
                    params![f.path, f.size, f.mtime_ns, f.sha256],
                )?;
            }
            tx.execute(
                "INSERT OR REPLACE INTO guard_state (key, value) VALUES (?1, ?2)",
                params![key, fingerprint],
            )?;
            tx.commit()
        };
        write(&mut self.conn).map_err(|source| GuardError::Cache {
            path: shown,
            source,
        })
    }

    pub fn state(&self, key: &str) -> Result<Option<String>, GuardError> {
        self.sql(
            self.conn
                .query_row(
                    "SELECT value FROM guard_state WHERE key = ?1",
                    params![key],
                    |row| row.get(0),
                )
                .optional(),
        )
    }

    pub fn set_state(&self, key: &str, value: &str) -> Result<(), GuardError> {
        self.sql(self.conn.execute(
            "INSERT OR REPLACE INTO guard_state (key, value) VALUES (?1, ?2)",
            params![key, value],
        ))?;
        Ok(())
    }

    /// The stored accounting of the file at `path`, if it was made from the
    /// same content (`fingerprint`) by the same program and settings (`cache_key`).
    pub fn ledger(
        &self,
        path: &str,
        fingerprint: &str,
        cache_key: &str,
    ) -> Result<Option<String>, GuardError> {
        self.sql(
            self.conn
                .query_row(
                    "SELECT ledger FROM ledgers WHERE path = ?1 AND fingerprint = ?2 AND cache_key = ?3",
                    params![path, fingerprint, cache_key],
                    |row| row.get(0),
                )
                .optional(),
        )
    }

    /// Stores a file's accounting, replacing what was stored for the path.
    pub fn store_ledger(&self, entry: &CachedLedger) -> Result<(), GuardError> {
        self.sql(self.conn.execute(
            "INSERT OR REPLACE INTO ledgers (path, fingerprint, cache_key, ledger) VALUES (?1, ?2, ?3, ?4)",
            params![entry.path, entry.fingerprint, entry.cache_key, entry.ledger],
        ))?;
        Ok(())
    }

    /// Forgets the accounting of every file not in `paths` (files that
    /// disappeared); returns how many entries went.
    pub fn keep_ledgers(&mut self, paths: &[String]) -> Result<usize, GuardError> {
        let shown = self.shown.clone();
        let keep = |conn: &mut Connection| -> rusqlite::Result<usize> {
            let tx = conn.transaction()?;
            tx.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS kept (path TEXT PRIMARY KEY); DELETE FROM kept;",
            )?;
            for path in paths {
                tx.execute(
                    "INSERT OR IGNORE INTO kept (path) VALUES (?1)",
                    params![path],
                )?;
            }
            let gone = tx.execute(
                "DELETE FROM ledgers WHERE path NOT IN (SELECT path FROM kept)",
                [],
            )?;
            tx.execute("DELETE FROM kept", [])?;
            tx.commit()?;
            Ok(gone)
        };
        keep(&mut self.conn).map_err(|source| GuardError::Cache {
            path: shown,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_3_database_gains_the_ledger_cache_and_keeps_its_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            // The outbox's migrations 1 to 3, as a version-3 state database has them.
            conn.execute_batch(
                "CREATE TABLE alerts (id TEXT PRIMARY KEY, payload TEXT NOT NULL, created_at INTEGER NOT NULL);
                 CREATE TABLE deliveries (alert_id TEXT NOT NULL REFERENCES alerts(id), channel TEXT NOT NULL,
                     attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, sent_at INTEGER,
                     last_error TEXT, PRIMARY KEY (alert_id, channel));
                 CREATE TABLE sources (path TEXT PRIMARY KEY, size INTEGER NOT NULL,
                     mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL);
                 CREATE TABLE guard_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 3).unwrap();
            conn.execute(
                "INSERT INTO sources (path, size, mtime_ns, sha256) VALUES ('a.csv', 1, 2, 'ab')",
                [],
            )
            .unwrap();
        }
        let outbox = ftdesk_notify::Outbox::open(&path).unwrap();
        assert_eq!(
            outbox.schema_version().unwrap(),
            ftdesk_notify::SCHEMA_VERSION
        );
        let cache = InputCache::open(&path).unwrap();
        assert_eq!(cache.source("a.csv").unwrap().unwrap().sha256, "ab");
        assert_eq!(cache.ledger("a.csv", "sha256:ab", "k").unwrap(), None);
    }

    #[test]
    fn a_cached_ledger_is_found_only_for_the_same_content_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = InputCache::open(&dir.path().join("o.sqlite")).unwrap();
        let entry = |path: &str, fingerprint: &str| CachedLedger {
            path: path.into(),
            fingerprint: fingerprint.into(),
            cache_key: "v1".into(),
            ledger: format!("ledger of {path} at {fingerprint}"),
        };
        cache.store_ledger(&entry("a.csv", "sha256:1")).unwrap();
        cache.store_ledger(&entry("b.csv", "sha256:1")).unwrap();
        let found = |c: &InputCache, path, fp, key| c.ledger(path, fp, key).unwrap();
        assert_eq!(
            found(&cache, "a.csv", "sha256:1", "v1").as_deref(),
            Some("ledger of a.csv at sha256:1")
        );
        assert_eq!(found(&cache, "a.csv", "sha256:2", "v1"), None);
        assert_eq!(found(&cache, "a.csv", "sha256:1", "v2"), None);
        // new content replaces the old entry; a file gone is forgotten
        cache.store_ledger(&entry("a.csv", "sha256:2")).unwrap();
        assert_eq!(found(&cache, "a.csv", "sha256:1", "v1"), None);
        assert_eq!(cache.keep_ledgers(&["a.csv".into()]).unwrap(), 1);
        assert_eq!(found(&cache, "b.csv", "sha256:1", "v1"), None);
        assert!(found(&cache, "a.csv", "sha256:2", "v1").is_some());
    }

    #[test]
    fn remembered_inputs_replace_the_previous_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = InputCache::open(&dir.path().join("o.sqlite")).unwrap();
        let file = |path: &str, size| SourceFile {
            path: path.into(),
            size,
            mtime_ns: 7,
            sha256: "ab".into(),
        };
        assert_eq!(cache.state("inputs").unwrap(), None);
        cache
            .remember_inputs(&[file("a", 1), file("b", 2)], "inputs", "f1")
            .unwrap();
        cache
            .remember_inputs(&[file("b", 3)], "inputs", "f2")
            .unwrap();
        assert_eq!(cache.source("a").unwrap(), None);
        assert_eq!(cache.source("b").unwrap(), Some(file("b", 3)));
        assert_eq!(cache.state("inputs").unwrap().as_deref(), Some("f2"));
    }
}
