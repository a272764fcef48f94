//! Where billing objects live: a folder on disk or (in another crate) an S3
//! prefix. Readers only see keys, so both are read by the same code.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use thiserror::Error;

/// One object of a listing. Keys use `/` whatever the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    pub key: String,
    pub size: u64,
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{name}: not found")]
    NotFound { name: String },
    #[error("{name}: permission denied")]
    PermissionDenied { name: String },
    #[error("{name}: cannot read: {source}")]
    Io {
        name: String,
        #[source]
        source: io::Error,
    },
}

impl StoreError {
    /// Classifies an io error on the object described as `name`.
    pub fn from_io(name: String, source: io::Error) -> Self {
        match source.kind() {
            io::ErrorKind::NotFound => Self::NotFound { name },
            io::ErrorKind::PermissionDenied => Self::PermissionDenied { name },
            _ => Self::Io { name, source },
        }
    }
}

/// A place holding billing objects under keys.
pub trait Store: Send + Sync {
    /// The object's name for messages: `/data/x.csv` or `s3://bucket/key`.
    fn describe(&self, key: &str) -> String;
    /// Every object whose key starts with `prefix`, recursively, in any order.
    fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>, StoreError>;
    /// A streaming reader over the whole object.
    fn open(&self, key: &str) -> Result<Box<dyn Read + Send>, StoreError>;
    /// `len` bytes from `start` (fewer only at the end of the object).
    fn read_range(&self, key: &str, start: u64, len: u64) -> Result<Vec<u8>, StoreError>;
    fn size(&self, key: &str) -> Result<u64, StoreError>;
    /// When the object was last written, in Unix seconds, where the store
    /// knows it reliably (S3's `LastModified`). A local copy's modification
    /// time is when it was downloaded, so [`LocalStore`] says `None`.
    fn modified(&self, _key: &str) -> Result<Option<i64>, StoreError> {
        Ok(None)
    }
}

/// A folder on disk; keys are paths relative to it with `/` separators.
/// Hidden entries (names starting with `.`) are not listed, and symbolic
/// links to folders are not followed, so a link cannot loop the walk.
#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalStore { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> PathBuf {
        if key.is_empty() {
            return self.root.clone();
        }
        key.split('/')
            .fold(self.root.clone(), |path, part| path.join(part))
    }

    fn error(&self, key: &str) -> impl FnOnce(io::Error) -> StoreError + '_ {
        let name = self.describe(key);
        move |source| StoreError::from_io(name, source)
    }

    fn walk(&self, dir: &Path, key: &str, out: &mut Vec<ObjectMeta>) -> Result<(), StoreError> {
        let entries = fs::read_dir(dir).map_err(self.error(key))?;
        for entry in entries {
            let entry = entry.map_err(self.error(key))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let child = if key.is_empty() {
                name
            } else {
                format!("{key}/{name}")
            };
            let file_type = entry.file_type().map_err(self.error(&child))?;
            if file_type.is_dir() {
                self.walk(&entry.path(), &child, out)?;
            } else if let Ok(meta) = fs::metadata(entry.path()) {
                if meta.is_file() {
                    out.push(ObjectMeta {
                        key: child,
                        size: meta.len(),
                    });
                }
            }
        }
        Ok(())
    }
}

impl Store for LocalStore {
    fn describe(&self, key: &str) -> String {
        self.path(key).display().to_string()
    }

    fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>, StoreError> {
        let start = prefix.trim_end_matches('/');
        let path = self.path(start);
        let meta = fs::metadata(&path).map_err(self.error(start))?;
        let mut out = Vec::new();
        if meta.is_dir() {
            self.walk(&path, start, &mut out)?;
        } else {
            out.push(ObjectMeta {
                key: start.to_owned(),
                size: meta.len(),
            });
        }
        Ok(out)
    }

    fn open(&self, key: &str) -> Result<Box<dyn Read + Send>, StoreError> {
        let file = File::open(self.path(key)).map_err(self.error(key))?;
        Ok(Box::new(file))
    }

    fn read_range(&self, key: &str, start: u64, len: u64) -> Result<Vec<u8>, StoreError> {
        let mut file = File::open(self.path(key)).map_err(self.error(key))?;
        file.seek(SeekFrom::Start(start)).map_err(self.error(key))?;
        let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        file.take(len)
            .read_to_end(&mut buf)
            .map_err(self.error(key))?;
        Ok(buf)
    }

    fn size(&self, key: &str) -> Result<u64, StoreError> {
        Ok(fs::metadata(self.path(key)).map_err(self.error(key))?.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_recursively_and_reads_ranges() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a/b")).unwrap();
        fs::write(dir.path().join("a/b/x.csv"), b"0123456789").unwrap();
        fs::write(dir.path().join(".hidden"), b"no").unwrap();
        let store = LocalStore::new(dir.path());
        let listed = store.list("").unwrap();
        assert_eq!(
            listed,
            [ObjectMeta {
                key: "a/b/x.csv".into(),
                size: 10
            }]
        );
        assert_eq!(store.read_range("a/b/x.csv", 8, 5).unwrap(), b"89");
        assert_eq!(store.size("a/b/x.csv").unwrap(), 10);
        assert!(matches!(
            store.open("a/none"),
            Err(StoreError::NotFound { .. })
        ));
    }
}
