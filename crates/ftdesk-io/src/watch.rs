//! Progress of a read, for a progress bar: the bytes of each object as
//! they are read, whether from disk or S3.

use std::io::{self, Read};
use std::sync::Arc;

use crate::store::{ObjectMeta, Store, StoreError};

/// Told how far a read has come; called from the reading threads.
pub trait Watch: Send + Sync {
    /// An object of `size` bytes is about to be read.
    fn object(&self, name: &str, size: u64);
    /// `bytes` more bytes were read (of the current object).
    fn read(&self, bytes: u64);
}

/// A [`Store`] that tells a [`Watch`] every byte read through it.
pub struct Watched<'s> {
    inner: &'s dyn Store,
    watch: Arc<dyn Watch>,
}

impl<'s> Watched<'s> {
    pub fn new(inner: &'s dyn Store, watch: Arc<dyn Watch>) -> Self {
        Watched { inner, watch }
    }
}

impl Store for Watched<'_> {
    fn describe(&self, key: &str) -> String {
        self.inner.describe(key)
    }

    fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>, StoreError> {
        self.inner.list(prefix)
    }

    fn open(&self, key: &str) -> Result<Box<dyn Read + Send>, StoreError> {
        let inner = self.inner.open(key)?;
        let watch = Arc::clone(&self.watch);
        Ok(Box::new(Counting { inner, watch }))
    }

    fn read_range(&self, key: &str, start: u64, len: u64) -> Result<Vec<u8>, StoreError> {
        let bytes = self.inner.read_range(key, start, len)?;
        self.watch.read(bytes.len() as u64);
        Ok(bytes)
    }

    fn size(&self, key: &str) -> Result<u64, StoreError> {
        self.inner.size(key)
    }

    fn modified(&self, key: &str) -> Result<Option<i64>, StoreError> {
        self.inner.modified(key)
    }
}

struct Counting {
    inner: Box<dyn Read + Send>,
    watch: Arc<dyn Watch>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.watch.read(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;
    use crate::LocalStore;

    #[derive(Default)]
    struct Tally(AtomicU64);

    impl Watch for Tally {
        fn object(&self, _name: &str, _size: u64) {}
        fn read(&self, bytes: u64) {
            self.0.fetch_add(bytes, Ordering::Relaxed);
        }
    }

    #[test]
    fn counts_every_byte_read_through_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), b"0123456789").unwrap();
        let store = LocalStore::new(dir.path());
        let tally = Arc::new(Tally::default());
        let watched = Watched::new(&store, tally.clone());
        let mut text = String::new();
        watched
            .open("a.csv")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(tally.0.load(Ordering::Relaxed), 10);
        assert_eq!(watched.read_range("a.csv", 2, 3).unwrap(), b"234");
        assert_eq!(tally.0.load(Ordering::Relaxed), 13);
    }
}
