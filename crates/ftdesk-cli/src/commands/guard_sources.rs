//! Which of the guard's inputs changed since the last evaluated cycle, and
//! the accounting of the billing files, kept per file in the state database.
//!
//! Each local file is remembered in the state database by size and mtime, and
//! by the SHA-256 of its bytes; a file whose size and mtime are unchanged is
//! not opened at all, and one that was only touched (same bytes) counts as
//! unchanged. An `s3://` object is remembered by its ETag and size from the
//! listing, so an unchanged object is not downloaded. The cycle's fingerprint
//! also covers the configuration and the UTC date (the plan-end and 12-month
//! rules depend on the day).
//!
//! When something changed, each billing file's ledger comes from the state
//! database if the file's content, the program, the catalogue and the account
//! filter are the same as when it was stored; only the other files are read.
//! The ledgers are merged in reading order into the one a single read of all
//! the files would give.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::Context as _;
use ftdesk_core::{Catalog, Ledger, SavedLedger};
use ftdesk_io::{LocalStore, ObjectMeta, Store};
use ftdesk_notify::{CachedLedger, Outbox, SourceFile};
use ftdesk_s3::{S3Store, TaggedObject};
use sha2::{Digest, Sha256};

use crate::commands::check;

/// The state key under which the last evaluated cycle's fingerprint is kept.
pub const INPUTS_KEY: &str = "inputs";

/// The inputs as they are now.
pub struct Inputs {
    /// Local files and S3 objects (`sha256` holds `etag:<etag>` for those).
    pub files: Vec<SourceFile>,
    /// How many files differ from what the state remembers.
    pub changed: usize,
    pub fingerprint: String,
    /// The listing of each `s3://` source, reused for the accounting.
    pub s3: Vec<S3Source>,
}

/// An `s3://bucket/prefix` source as listed this cycle.
pub struct S3Source {
    pub path: PathBuf,
    pub store: S3Store,
    pub prefix: String,
    pub objects: Vec<TaggedObject>,
}

/// Lists and fingerprints every local file under `paths`, except the state
/// database's own files.
pub fn scan(
    outbox: &Outbox,
    paths: &[PathBuf],
    state: &Path,
    config_text: &str,
    day: &str,
) -> anyhow::Result<Inputs> {
    let mut hasher = Sha256::new();
    hasher.update(hex(&Sha256::digest(config_text.as_bytes())));
    hasher.update(day.as_bytes());
    let mut files = Vec::new();
    let mut s3 = Vec::new();
    for path in paths {
        if path.to_string_lossy().starts_with("s3://") {
            let source = list_s3(path)?;
            files.extend(source.objects.iter().map(|o| s3_file(&source, o)));
            s3.push(source);
            continue;
        }
        for file in list_files(path, state)? {
            files.push(fingerprint(outbox, &file)?);
        }
    }
    let mut changed = 0;
    for file in &files {
        let known = outbox.source(&file.path)?;
        changed +=
            usize::from(known.is_none_or(|k| k.sha256 != file.sha256 || k.size != file.size));
        hasher.update(format!("\0{}|{}|{}", file.path, file.size, file.sha256).as_bytes());
    }
    Ok(Inputs {
        files,
        changed,
        fingerprint: hex(&hasher.finalize()),
        s3,
    })
}

fn list_s3(path: &Path) -> anyhow::Result<S3Source> {
    let (bucket, prefix) = ftdesk_s3::parse_url(&path.to_string_lossy())?;
    let store = S3Store::connect(&bucket)?;
    let mut objects = store.list_tagged(&prefix)?;
    objects.sort_by(|a, b| a.meta.key.cmp(&b.meta.key));
    Ok(S3Source {
        path: path.to_path_buf(),
        store,
        prefix,
        objects,
    })
}

/// An S3 object as a remembered source: its ETag stands for its bytes.
fn s3_file(source: &S3Source, object: &TaggedObject) -> SourceFile {
    SourceFile {
        path: source.store.describe(&object.meta.key),
        size: i64::try_from(object.meta.size).unwrap_or(i64::MAX),
        mtime_ns: 0,
        sha256: format!("etag:{}", object.etag),
    }
}

fn list_files(path: &Path, state: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)
            .with_context(|| format!("reading folder {}", folder.display()))?
        {
            let entry = entry.with_context(|| format!("reading folder {}", folder.display()))?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file() && !is_state_file(&path, state) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The SQLite file and its journal, WAL and shared-memory companions, and
/// the run lock (another SQLite file) with its journal.
fn is_state_file(path: &Path, state: &Path) -> bool {
    let (Ok(path), Some(name)) = (std::path::absolute(path), state.file_name()) else {
        return false;
    };
    let Ok(state_dir) = std::path::absolute(state.parent().unwrap_or(Path::new("."))) else {
        return false;
    };
    let name = name.to_string_lossy();
    path.parent() == Some(state_dir.as_path())
        && ["", "-wal", "-shm", "-journal", ".lock", ".lock-journal"]
            .iter()
            .any(|suffix| {
                path.file_name()
                    .is_some_and(|f| f.to_string_lossy() == format!("{name}{suffix}"))
            })
}

/// The file's fingerprint now. The bytes are hashed only when size or
/// mtime moved since the state last saw the file.
fn fingerprint(outbox: &Outbox, path: &Path) -> anyhow::Result<SourceFile> {
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    let size = i64::try_from(meta.len()).unwrap_or(i64::MAX);
    let shown = path.display().to_string();
    let known = outbox.source(&shown)?;
    if let Some(known) = known
        .as_ref()
        .filter(|k| k.size == size && k.mtime_ns == mtime_ns)
    {
        return Ok(known.clone());
    }
    Ok(SourceFile {
        path: shown,
        size,
        mtime_ns,
        sha256: hash_file(path)?,
    })
}

fn hash_file(path: &Path) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut buffer)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The billing data of a cycle, merged, and where it came from.
pub struct Accounting<'c> {
    pub ledger: Ledger<'c>,
    /// The billing files, in reading order.
    pub files: Vec<PathBuf>,
    /// Files read this cycle, and files whose ledger came from the state.
    pub reread: usize,
    pub cached: usize,
}

/// What a stored ledger depends on besides its file: the program (and so the
/// ledger's format), the catalogue (offer indices) and the account filter.
pub fn cache_key(catalog: &Catalog, account: Option<&str>) -> String {
    format!(
        "ftdesk {} (ledger form {}); catalogue {}; account {}",
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
    outbox: &mut Outbox,
    catalog: &'c Catalog,
    billing: &[&PathBuf],
    inputs: &Inputs,
    account: Option<String>,
) -> anyhow::Result<Accounting<'c>> {
    let mut reader = Reader {
        outbox,
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
            reread: 0,
            cached: 0,
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
    let gone = reader.outbox.keep_ledgers(&kept)?;
    if gone > 0 {
        tracing::info!(gone, "forgot the ledgers of files no longer present");
    }
    Ok(reader.accounting)
}

struct Reader<'o, 'c> {
    outbox: &'o mut Outbox,
    catalog: &'c Catalog,
    cache_key: String,
    account: Option<String>,
    /// Path → content fingerprint, from this cycle's scan.
    known: HashMap<String, String>,
    accounting: Accounting<'c>,
}

impl<'c> Reader<'_, 'c> {
    fn add_local(&mut self, path: &Path) -> anyhow::Result<()> {
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
        check::tell_periods(&plan.periods);
        for key in &plan.keys {
            self.add_object(&store, key, None)?;
        }
        Ok(())
    }

    fn add_s3(&mut self, source: &S3Source) -> anyhow::Result<()> {
        let objects: Vec<ObjectMeta> = source.objects.iter().map(|o| o.meta.clone()).collect();
        let plan = ftdesk_io::plan_listing(&source.store, &source.prefix, &objects)?;
        check::tell_periods(&plan.periods);
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
    ) -> anyhow::Result<()> {
        let path = store.describe(key);
        let fingerprint = match fingerprint {
            Some(f) => f,
            None => match self.known.get(&path) {
                Some(sha256) => format!("sha256:{sha256}"),
                None => format!("sha256:{}", hash_file(Path::new(&path))?),
            },
        };
        let ledger = match self.stored(&path, &fingerprint)? {
            Some(ledger) => {
                self.accounting.cached += 1;
                ledger
            }
            None => {
                let ledger = check::read_object(self.catalog, self.account.clone(), store, key)?;
                self.store(&path, fingerprint, &ledger)?;
                self.accounting.reread += 1;
                ledger
            }
        };
        self.accounting
            .ledger
            .absorb(ledger)
            .with_context(|| path.clone())?;
        self.accounting.files.push(PathBuf::from(path));
        Ok(())
    }

    /// The stored ledger of this content, if there is a readable one.
    fn stored(&self, path: &str, fingerprint: &str) -> anyhow::Result<Option<Ledger<'c>>> {
        let Some(text) = self.outbox.ledger(path, fingerprint, &self.cache_key)? else {
            return Ok(None);
        };
        let restored = serde_json::from_str::<SavedLedger>(&text)
            .map_err(|e| e.to_string())
            .and_then(|saved| Ledger::restore(self.catalog, saved).map_err(|e| e.to_string()));
        match restored {
            Ok(ledger) => Ok(Some(ledger)),
            Err(error) => {
                tracing::warn!(path, %error, "stored accounting unreadable; reading the file again");
                Ok(None)
            }
        }
    }

    fn store(&self, path: &str, fingerprint: String, ledger: &Ledger<'_>) -> anyhow::Result<()> {
        let entry = CachedLedger {
            path: path.to_owned(),
            fingerprint,
            cache_key: self.cache_key.clone(),
            ledger: serde_json::to_string(&ledger.save())
                .with_context(|| format!("encoding the accounting of {path}"))?,
        };
        Ok(self.outbox.store_ledger(&entry)?)
    }
}
