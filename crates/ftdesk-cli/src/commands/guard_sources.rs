//! Which of the guard's inputs changed since the last evaluated cycle.
//!
//! Each local file is remembered in the state database by size and mtime, and
//! by the SHA-256 of its bytes; a file whose size and mtime are unchanged is
//! not opened at all, and one that was only touched (same bytes) counts as
//! unchanged. The cycle's fingerprint also covers the configuration and the
//! UTC date (the plan-end and 12-month rules depend on the day), and
//! `s3://` sources, which cannot be checked cheaply, always count as changed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::Context as _;
use ftdesk_notify::{Outbox, SourceFile};
use sha2::{Digest, Sha256};

/// The state key under which the last evaluated cycle's fingerprint is kept.
pub const INPUTS_KEY: &str = "inputs";

/// The inputs as they are now.
pub struct Inputs {
    pub files: Vec<SourceFile>,
    /// How many files differ from what the state remembers.
    pub changed: usize,
    pub fingerprint: String,
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
    let mut changed = 0;
    for path in paths {
        if path.to_string_lossy().starts_with("s3://") {
            changed += 1;
            hasher.update(format!("{}|{}", path.display(), unique_marker()).as_bytes());
            continue;
        }
        for file in list_files(path, state)? {
            let (now, was_changed) = fingerprint(outbox, &file)?;
            changed += usize::from(was_changed);
            hasher.update(format!("\0{}|{}|{}", now.path, now.size, now.sha256).as_bytes());
            files.push(now);
        }
    }
    Ok(Inputs {
        files,
        changed,
        fingerprint: hex(&hasher.finalize()),
    })
}

/// A value no earlier cycle used: an s3:// source is re-read every cycle.
fn unique_marker() -> u128 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
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

/// The SQLite file and its journal, WAL and shared-memory companions.
fn is_state_file(path: &Path, state: &Path) -> bool {
    let (Ok(path), Some(name)) = (std::path::absolute(path), state.file_name()) else {
        return false;
    };
    let Ok(state_dir) = std::path::absolute(state.parent().unwrap_or(Path::new("."))) else {
        return false;
    };
    let name = name.to_string_lossy();
    path.parent() == Some(state_dir.as_path())
        && ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
            path.file_name()
                .is_some_and(|f| f.to_string_lossy() == format!("{name}{suffix}"))
        })
}

/// The file's fingerprint now, and whether its bytes differ from the
/// remembered ones. The bytes are hashed only when size or mtime moved.
fn fingerprint(outbox: &Outbox, path: &Path) -> anyhow::Result<(SourceFile, bool)> {
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
        return Ok((known.clone(), false));
    }
    let sha256 = hash_file(path)?;
    let changed = known.is_none_or(|k| k.sha256 != sha256);
    Ok((
        SourceFile {
            path: shown,
            size,
            mtime_ns,
            sha256,
        },
        changed,
    ))
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
