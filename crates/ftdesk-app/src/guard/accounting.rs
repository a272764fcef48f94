//! The accounting of the guard's billing files, kept per file in the state
//! database.
//!
//! When something changed, each billing file's ledger comes from the state
//! database if the file's content, the program, the catalogue and the account
//! filter are the same as when it was stored; only the other files are read.
//! The ledgers are merged in reading order into the one a single read of all
//! the files would give.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ftdesk_core::{Catalog, DataSource, Ledger, SavedLedger};
use ftdesk_io::{LocalStore, ObjectMeta, Store};

use super::cache::{CachedLedger, InputCache};
use super::inputs::{hash_file, Inputs, S3Source};
use super::GuardError;
use crate::notes::ReadingNote;
use crate::AppError;

/// The billing data of a cycle, merged, and where it came from.
pub struct Accounting<'c> {
    pub ledger: Ledger<'c>,
    /// The billing files, in reading order.
    pub files: Vec<PathBuf>,
    /// What each file was (a CUR, a Data Export), in reading order.
    pub sources: Vec<DataSource>,
    /// Files read this cycle, and files whose ledger came from the state.
    pub reread: usize,
    pub cached: usize,
    pub notes: Vec<ReadingNote>,
}

/// What a stored ledger depends on besides its file: the program (and so the
/// ledger's format), the catalogue (offer indices) and the account filter.
pub fn cache_key(catalog: &Catalog, account: Option<&str>) -> String {
    format!(
        "ftdesk {} (ledger form {}, with its source); catalogue {}; account {}",
        env!("CARGO_PKG_VERSION"),
        ftdesk_core::SavedLedger::FORMAT,
        catalog.identity(),
        account.map_or_else(|| "(all)".to_owned(), |a| format!("={a}"))
    )
}

/// Merges the ledgers of every billing file under `billing`, in the order
/// `ftdesk check` reads them, reading only files with no usable stored
/// ledger; forgets the stored ledgers of files that are gone.
pub fn account<'c>(
    cache: &mut InputCache,
    catalog: &'c Catalog,
    billing: &[&Path],
    inputs: &Inputs,
    account: Option<String>,
    threads: usize,
) -> Result<Accounting<'c>, AppError> {
    let mut reader = Reader {
        cache,
        threads,
        catalog,
        cache_key: cache_key(catalog, account.as_deref()),
        account: account.clone(),
        known: inputs
            .files
            .iter()
            .map(|f| (f.path.clone(), f.sha256.clone()))
            .collect(),
        accounting: Accounting {
            ledger: Ledger::new(catalog).with_account_filter(account),
            files: Vec::new(),
            sources: Vec::new(),
            reread: 0,
            cached: 0,
            notes: Vec::new(),
        },
    };
    for path in billing {
        match inputs.s3.iter().find(|s| s.path == **path) {
            Some(source) => reader.add_s3(source)?,
            None => reader.add_local(path)?,
        }
    }
    let kept: Vec<String> = reader
        .accounting
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let gone = reader.cache.keep_ledgers(&kept)?;
    if gone > 0 {
        tracing::info!(gone, "forgot the ledgers of files no longer present");
    }
    Ok(reader.accounting)
}

struct Reader<'o, 'c> {
    cache: &'o mut InputCache,
    threads: usize,
    catalog: &'c Catalog,
    cache_key: String,
    account: Option<String>,
    /// Path → content fingerprint, from this cycle's scan.
    known: HashMap<String, String>,
    accounting: Accounting<'c>,
}

impl<'c> Reader<'_, 'c> {
    fn add_local(&mut self, path: &Path) -> Result<(), AppError> {
        let meta = std::fs::metadata(path).map_err(|source| ftdesk_io::ReadError::Io {
            path: path.to_owned(),
            source,
        })?;
        if !meta.is_dir() {
            let parent = path.parent().unwrap_or(Path::new(""));
            let name = path.file_name().map_or_else(
                || path.to_string_lossy().into_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
            return self.add_object(&LocalStore::new(parent), &name, None);
        }
        let store = LocalStore::new(path);
        let objects = store.list("")?;
        let plan = ftdesk_io::plan_listing(&store, "", &objects).map_err(|e| match e {
            ftdesk_io::ReadError::NoBillingFiles { .. } => ftdesk_io::ReadError::NoBillingFiles {
                dir: path.to_owned(),
            },
            other => other,
        })?;
        self.accounting
            .notes
            .extend(ReadingNote::periods(&plan.periods));
        for key in &plan.keys {
            self.add_object(&store, key, None)?;
        }
        Ok(())
    }

    fn add_s3(&mut self, source: &S3Source) -> Result<(), AppError> {
        let objects: Vec<ObjectMeta> = source.objects.iter().map(|o| o.meta.clone()).collect();
        let plan = ftdesk_io::plan_listing(&source.store, &source.prefix, &objects)?;
        self.accounting
            .notes
            .extend(ReadingNote::periods(&plan.periods));
        for key in &plan.keys {
            let etag = source
                .objects
                .iter()
                .find(|o| &o.meta.key == key)
                .map(|o| format!("etag:{}:{}", o.etag, o.meta.size));
            self.add_object(&source.store, key, etag)?;
        }
        Ok(())
    }

    /// Adds one file's ledger, stored or read now.
    fn add_object(
        &mut self,
        store: &dyn Store,
        key: &str,
        fingerprint: Option<String>,
    ) -> Result<(), AppError> {
        let path = store.describe(key);
        let fingerprint = match fingerprint {
            Some(f) => f,
            None => match self.known.get(&path) {
                Some(sha256) => format!("sha256:{sha256}"),
                None => format!("sha256:{}", hash_file(Path::new(&path))?),
            },
        };
        let (ledger, source) = match self.stored(&path, &fingerprint)? {
            Some(stored) => {
                self.accounting.cached += 1;
                stored
            }
            None => {
                let (ledger, skipped, source) = crate::check::read_object(
                    self.catalog,
                    self.account.clone(),
                    store,
                    key,
                    self.threads,
                )?;
                self.accounting.notes.extend(skipped);
                self.store(&path, fingerprint, &ledger, source)?;
                self.accounting.reread += 1;
                (ledger, source)
            }
        };
        self.accounting.sources.push(source);
        self.accounting
            .ledger
            .absorb(ledger)
            .map_err(|source| GuardError::Merge {
                path: path.clone(),
                source,
            })?;
        self.accounting.files.push(PathBuf::from(path));
        Ok(())
    }

    /// The stored ledger of this content and what the file was, if there
    /// is a readable one (`{"source": ..., "ledger": ...}`).
    fn stored(
        &self,
        path: &str,
        fingerprint: &str,
    ) -> Result<Option<(Ledger<'c>, DataSource)>, AppError> {
        let Some(text) = self.cache.ledger(path, fingerprint, &self.cache_key)? else {
            return Ok(None);
        };
        let restored = serde_json::from_str::<serde_json::Value>(&text)
            .map_err(|e| e.to_string())
            .and_then(|mut stored| {
                let source = stored["source"].as_str().and_then(DataSource::parse);
                let source = source.ok_or("no source")?;
                let saved = serde_json::from_value::<SavedLedger>(stored["ledger"].take());
                let saved = saved.map_err(|e| e.to_string())?;
                let ledger = Ledger::restore(self.catalog, saved).map_err(|e| e.to_string())?;
                Ok((ledger, source))
            });
        match restored {
            Ok(ledger) => Ok(Some(ledger)),
            Err(error) => {
                tracing::warn!(path, %error, "stored accounting unreadable; reading the file again");
                Ok(None)
            }
        }
    }

    fn store(
        &self,
        path: &str,
        fingerprint: String,
        ledger: &Ledger<'_>,
        source: DataSource,
    ) -> Result<(), AppError> {
        let encode = |source| GuardError::Encode {
            path: path.to_owned(),
            source,
        };
        let saved = serde_json::to_value(ledger.save()).map_err(encode)?;
        let stored = serde_json::json!({ "source": source.as_str(), "ledger": saved });
        let entry = CachedLedger {
            path: path.to_owned(),
            fingerprint,
            cache_key: self.cache_key.clone(),
            ledger: serde_json::to_string(&stored).map_err(encode)?,
        };
        Ok(self.cache.store_ledger(&entry)?)
    }
}
