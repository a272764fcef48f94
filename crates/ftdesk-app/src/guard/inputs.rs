//! Which of the guard's inputs changed since the last evaluated cycle.
//!
//! Each local file is remembered in the state database by size and mtime, and
//! by the SHA-256 of its bytes; a file whose size and mtime are unchanged is
//! not opened at all, and one that was only touched (same bytes) counts as
//! unchanged. An `s3://` object is remembered by its ETag and size from the
//! listing, so an unchanged object is not downloaded. The cycle's fingerprint
//! also covers the configuration and the UTC date (the plan-end and 12-month
//! rules depend on the day).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use ftdesk_aws::AwsOptions;
use ftdesk_io::Store as _;
use ftdesk_s3::{S3Store, TaggedObject};
use sha2::{Digest, Sha256};

use super::cache::{InputCache, SourceFile};
use super::GuardError;
use crate::AppError;

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
    cache: &InputCache,
    paths: &[PathBuf],
    state: &Path,
    config_text: &str,
    day: &str,
    aws: &AwsOptions,
) -> Result<Inputs, AppError> {
    let mut hasher = Sha256::new();
    hasher.update(hex::encode(Sha256::digest(config_text.as_bytes())));
    hasher.update(day.as_bytes());
    let mut files = Vec::new();
    let mut s3 = Vec::new();
    for path in paths {
        if path.to_string_lossy().starts_with("s3://") {
            let source = list_s3(path, aws)?;
            files.extend(source.objects.iter().map(|o| s3_file(&source, o)));
            s3.push(source);
            continue;
        }
        for file in list_files(path, state)? {
            files.push(fingerprint(cache, &file)?);
        }
    }
    let mut changed = 0;
    for file in &files {
        let known = cache.source(&file.path)?;
        changed +=
            usize::from(known.is_none_or(|k| k.sha256 != file.sha256 || k.size != file.size));
        hasher.update(format!("\0{}|{}|{}", file.path, file.size, file.sha256).as_bytes());
    }
    Ok(Inputs {
        files,
        changed,
        fingerprint: hex::encode(hasher.finalize()),
        s3,
    })
}

fn list_s3(path: &Path, aws: &AwsOptions) -> Result<S3Source, AppError> {
    let (bucket, prefix) = ftdesk_s3::parse_url(&path.to_string_lossy())?;
    let store = S3Store::connect(&bucket, aws)?;
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

pub(super) fn list_files(path: &Path, state: &Path) -> Result<Vec<PathBuf>, AppError> {
    let meta = std::fs::metadata(path).map_err(|e| read_error(path, e))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let folder_error = |source| GuardError::Folder {
            path: folder.clone(),
            source,
        };
        for entry in std::fs::read_dir(&folder).map_err(folder_error)? {
            let entry = entry.map_err(folder_error)?;
            let kind = entry.file_type().map_err(folder_error)?;
            let path = entry.path();
            if kind.is_dir() {
                if !is_state_folder(&path, state) {
                    folders.push(path);
                }
            } else if kind.is_file() && !is_state_file(&path, state) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The folder where the guard keeps Cost Explorer's answers: `<state>.cost-explorer`.
pub(super) fn explorer_cache_dir(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".cost-explorer");
    PathBuf::from(name)
}

fn is_state_folder(path: &Path, state: &Path) -> bool {
    match (
        std::path::absolute(path),
        std::path::absolute(explorer_cache_dir(state)),
    ) {
        (Ok(path), Ok(cache)) => path == cache,
        _ => false,
    }
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
fn fingerprint(cache: &InputCache, path: &Path) -> Result<SourceFile, AppError> {
    let meta = std::fs::metadata(path).map_err(|e| read_error(path, e))?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    let size = i64::try_from(meta.len()).unwrap_or(i64::MAX);
    let shown = path.display().to_string();
    let known = cache.source(&shown)?;
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

pub(super) fn hash_file(path: &Path) -> Result<String, AppError> {
    let mut file = std::fs::File::open(path).map_err(|e| read_error(path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer).map_err(|e| read_error(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn read_error(path: &Path, source: std::io::Error) -> AppError {
    AppError::Io {
        path: path.to_path_buf(),
        source,
    }
}
