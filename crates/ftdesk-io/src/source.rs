//! Opening a billing file: gzip detection by magic bytes, a look at the
//! first bytes to refuse what is clearly not a CSV, and BOM removal.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::error::ReadError;
use crate::readahead::ReadAhead;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const UTF8_BOM: [u8; 3] = [0xef, 0xbb, 0xbf];
const SNIFF_BYTES: usize = 64 * 1024;

/// An opened file, positioned after any BOM, decompressing if needed.
pub struct Source {
    pub reader: BufReader<Box<dyn Read + Send>>,
    pub compressed: bool,
}

/// Opens the object `raw` streams; `path` names it in messages. A gzip
/// stream that inflates past `max_inflated` bytes fails the read.
pub fn open(
    raw: Box<dyn Read + Send>,
    path: &Path,
    max_inflated: Option<u64>,
) -> Result<Source, ReadError> {
    let io_error = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let mut raw = BufReader::new(raw);
    let head = raw.fill_buf().map_err(io_error)?;
    if head.is_empty() {
        return Err(ReadError::Empty {
            path: path.to_owned(),
        });
    }
    let compressed = head.starts_with(&GZIP_MAGIC);
    let decoded: Box<dyn Read + Send> = if compressed {
        let inflated = Capped {
            inner: MultiGzDecoder::new(raw),
            left: max_inflated.unwrap_or(u64::MAX),
            limit: max_inflated.unwrap_or(u64::MAX),
        };
        Box::new(ReadAhead::new(Box::new(inflated)))
    } else {
        Box::new(raw)
    };
    let mut reader = BufReader::with_capacity(SNIFF_BYTES, decoded);
    let head = reader
        .fill_buf()
        .map_err(|e| read_error(path, compressed, e))?;
    if head.is_empty() {
        return Err(ReadError::Empty {
            path: path.to_owned(),
        });
    }
    if let Some(found) = refuse_content(head) {
        return Err(ReadError::NotBilling {
            path: path.to_owned(),
            found: found.to_owned(),
        });
    }
    if head.starts_with(&UTF8_BOM) {
        reader.consume(UTF8_BOM.len());
    }
    Ok(Source { reader, compressed })
}

/// Fails with [`OverLimit`] once more than `limit` bytes came out.
struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

/// The error a [`Capped`] reader fails with.
#[derive(Debug, thiserror::Error)]
#[error("more than {0} bytes")]
struct OverLimit(u64);

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // one byte more tells a file of exactly `limit` bytes from a bigger one
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(OverLimit(self.limit))),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let got = self.inner.read(&mut buf[..want])?;
        self.left -= got as u64;
        Ok(got)
    }
}

/// Maps an error while reading (possibly decompressing) the data.
pub fn read_error(path: &Path, compressed: bool, error: io::Error) -> ReadError {
    if let Some(OverLimit(limit)) = error.get_ref().and_then(|e| e.downcast_ref()) {
        return ReadError::InflatesTooMuch {
            path: path.to_owned(),
            limit: *limit,
        };
    }
    let gzip_failure = matches!(
        error.kind(),
        io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData
    );
    if compressed && gzip_failure {
        ReadError::CorruptGzip {
            path: path.to_owned(),
            detail: error.to_string(),
        }
    } else {
        ReadError::Io {
            path: path.to_owned(),
            source: error,
        }
    }
}

/// Names what the first bytes are when they clearly are not CSV text.
fn refuse_content(head: &[u8]) -> Option<&'static str> {
    let text = head.trim_ascii_start();
    if head.starts_with(b"PK\x03\x04") {
        return Some("a ZIP archive (unzip it first)");
    }
    if head.starts_with(b"PAR1") {
        return Some("a compressed Parquet file (Parquet compresses inside; do not gzip it)");
    }
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Some("UTF-16 text (save it as UTF-8)");
    }
    // Invalid UTF-8 alone is left to the CSV parser, which can say on which
    // row and column it is; control bytes mean this is not text at all.
    if head
        .iter()
        .any(|b| b.is_ascii_control() && !b"\t\n\r".contains(b))
    {
        return Some("binary data");
    }
    match text.first() {
        Some(b'{' | b'[') => Some("JSON"),
        Some(b'<') => Some("HTML or XML"),
        None => Some("only blank lines"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_csv_text() {
        assert_eq!(refuse_content(b"{\"a\":1}"), Some("JSON"));
        assert_eq!(refuse_content(b"  <!doctype html>"), Some("HTML or XML"));
        assert_eq!(refuse_content(b"\x00\x01\x02"), Some("binary data"));
        assert_eq!(refuse_content(b"a,b\n\xff\xfe,c"), None);
        assert_eq!(refuse_content(b"a,b\n\x1b[0m"), Some("binary data"));
        assert_eq!(refuse_content(b"\n\r\n"), Some("only blank lines"));
        assert_eq!(refuse_content(b"bill/PayerAccountId,x\n"), None);
        assert_eq!(refuse_content("caf\u{e9}".as_bytes()), None);
        assert_eq!(refuse_content(&"caf\u{e9}".as_bytes()[..4]), None);
    }
}
