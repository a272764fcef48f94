//! The pages of a Parquet file from outside, checked before any is
//! decompressed. A page header declares the page's decompressed size, and
//! the decoder allocates that much up front; for gzip, zstd and brotli it
//! then inflates to the end of the stream whatever the header said. So a
//! file of a few kilobytes can ask for gigabytes. This walks every page
//! header of the columns that will be read (a few bytes of Thrift each),
//! refuses a file whose pages add up to more than the limit, and inflates
//! each compressed page with a cap at its declared size.
//!
//! The header format is the Thrift compact protocol (parquet-format's
//! `PageHeader`); only the fields needed here are decoded, the rest skipped.

use std::io::Read;
use std::path::Path;

use parquet::basic::Compression;

use crate::error::ReadError;
use crate::store::Store;

/// Most bytes one page header may take (statistics included).
const MAX_HEADER_BYTES: u64 = 256 * 1024;
/// Deepest nesting of Thrift structs and lists a header may have.
const MAX_DEPTH: usize = 16;

/// One column chunk to check.
pub(crate) struct Chunk {
    pub row_group: usize,
    pub column: String,
    pub codec: Compression,
    pub start: u64,
    pub len: u64,
}

/// Checks every page of `chunks` against `max_inflated` bytes in all.
pub(crate) fn check(
    store: &dyn Store,
    key: &str,
    path: &Path,
    chunks: &[Chunk],
    max_inflated: u64,
) -> Result<(), ReadError> {
    let mut inflated = 0u64;
    for chunk in chunks {
        let mut pages = Pages {
            store,
            key,
            path,
            chunk,
            at: chunk.start,
        };
        while let Some(page) = pages.next_page()? {
            inflated = inflated.saturating_add(page.declared);
            if inflated > max_inflated {
                return Err(ReadError::InflatesTooMuch {
                    path: path.to_owned(),
                    limit: max_inflated,
                });
            }
            pages.check_inflation(&page)?;
        }
    }
    Ok(())
}

/// A page as its header describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Page {
    /// Where the page's data starts (after its header).
    body: u64,
    compressed: u64,
    /// The decompressed size the header declares.
    declared: u64,
    /// Bytes of levels before the compressed data (data page v2).
    levels: u64,
    /// False for a data page v2 stored uncompressed.
    is_compressed: bool,
}

struct Pages<'a> {
    store: &'a dyn Store,
    key: &'a str,
    path: &'a Path,
    chunk: &'a Chunk,
    at: u64,
}

impl Pages<'_> {
    fn end(&self) -> u64 {
        self.chunk.start.saturating_add(self.chunk.len)
    }

    fn corrupt(&self, detail: impl std::fmt::Display) -> ReadError {
        ReadError::CorruptParquet {
            path: self.path.to_owned(),
            detail: format!(
                "row group {}, column {}, page header at byte {}: {detail}",
                self.chunk.row_group, self.chunk.column, self.at
            ),
        }
    }

    fn next_page(&mut self) -> Result<Option<Page>, ReadError> {
        if self.at >= self.end() {
            return Ok(None);
        }
        let want = (self.end() - self.at).min(MAX_HEADER_BYTES);
        let bytes = self.store.read_range(self.key, self.at, want)?;
        let (header, used) = decode_header(&bytes).map_err(|e| self.corrupt(e))?;
        let body = self.at + used as u64;
        if body.saturating_add(header.compressed) > self.end() {
            return Err(self.corrupt(format!(
                "the page claims {} bytes, past the end of its column chunk",
                header.compressed
            )));
        }
        let page = Page { body, ..header };
        self.at = body + header.compressed;
        Ok(Some(page))
    }

    /// Inflates a compressed page with a cap at its declared size: more is
    /// an error, never an allocation.
    fn check_inflation(&self, page: &Page) -> Result<(), ReadError> {
        let streams = matches!(
            self.chunk.codec,
            Compression::GZIP(_)
                | Compression::ZSTD(_)
                | Compression::BROTLI(_)
                | Compression::SNAPPY
        );
        if !streams || !page.is_compressed || page.compressed <= page.levels {
            return Ok(());
        }
        let data = self.store.read_range(
            self.key,
            page.body + page.levels,
            page.compressed - page.levels,
        )?;
        let cap = page.declared.saturating_sub(page.levels);
        let inflated = match self.chunk.codec {
            Compression::SNAPPY => snap::raw::decompress_len(&data)
                .map(|n| n as u64)
                .map_err(|e| self.corrupt(e))?,
            Compression::GZIP(_) => capped(flate2::read::MultiGzDecoder::new(&data[..]), cap)
                .map_err(|e| self.corrupt(e))?,
            Compression::ZSTD(_) => {
                let decoder = zstd::stream::read::Decoder::with_buffer(&data[..])
                    .map_err(|e| self.corrupt(e))?;
                capped(decoder, cap).map_err(|e| self.corrupt(e))?
            }
            _ => capped(brotli::Decompressor::new(&data[..], 4096), cap)
                .map_err(|e| self.corrupt(e))?,
        };
        if inflated > cap {
            return Err(ReadError::ParquetPageLies {
                path: self.path.to_owned(),
                row_group: self.chunk.row_group,
                column: self.chunk.column.clone(),
                declared: page.declared,
            });
        }
        Ok(())
    }
}

/// Bytes `reader` yields, reading no more than `cap + 1`.
fn capped(reader: impl Read, cap: u64) -> std::io::Result<u64> {
    std::io::copy(
        &mut reader.take(cap.saturating_add(1)),
        &mut std::io::sink(),
    )
}

/// Decodes a `PageHeader`; returns it (with `body` 0) and the bytes it took.
fn decode_header(bytes: &[u8]) -> Result<(Page, usize), String> {
    let mut input = Compact { bytes, at: 0 };
    let mut page = Page {
        body: 0,
        compressed: 0,
        declared: 0,
        levels: 0,
        is_compressed: true,
    };
    let (mut has_declared, mut has_compressed) = (false, false);
    let mut last = 0i16;
    while let Some((id, kind)) = input.field(&mut last)? {
        match (id, kind) {
            (2, I32) => {
                page.declared = size(input.i32()?, "uncompressed_page_size")?;
                has_declared = true;
            }
            (3, I32) => {
                page.compressed = size(input.i32()?, "compressed_page_size")?;
                has_compressed = true;
            }
            (8, STRUCT) => decode_v2(&mut input, &mut page)?,
            _ => input.skip(kind, 0)?,
        }
    }
    if !(has_declared && has_compressed) {
        return Err("the page header has no page sizes".to_owned());
    }
    Ok((page, input.at))
}

/// `DataPageHeaderV2`: the levels' lengths and `is_compressed`.
fn decode_v2(input: &mut Compact<'_>, page: &mut Page) -> Result<(), String> {
    let mut last = 0i16;
    let mut levels = 0u64;
    while let Some((id, kind)) = input.field(&mut last)? {
        match (id, kind) {
            (5 | 6, I32) => levels += size(input.i32()?, "levels_byte_length")?,
            (7, BOOL_TRUE) => page.is_compressed = true,
            (7, BOOL_FALSE) => page.is_compressed = false,
            _ => input.skip(kind, 1)?,
        }
    }
    if levels > page.compressed.max(page.declared) {
        return Err(format!("{levels} bytes of levels in a smaller page"));
    }
    page.levels = levels;
    Ok(())
}

fn size(value: i32, field: &str) -> Result<u64, String> {
    u64::try_from(value).map_err(|_| format!("{field} is negative ({value})"))
}

const BOOL_TRUE: u8 = 1;
const BOOL_FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;

/// A reader of the Thrift compact protocol over a byte slice.
struct Compact<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Compact<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| "the page header is cut short".to_owned())?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number in the page header is too long".to_owned())
    }

    fn zigzag(&mut self) -> Result<i64, String> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    fn i32(&mut self) -> Result<i32, String> {
        i32::try_from(self.zigzag()?).map_err(|_| "a 32-bit field is out of range".to_owned())
    }

    /// The next field's id and type, or `None` at the struct's end.
    fn field(&mut self, last: &mut i16) -> Result<Option<(i16, u8)>, String> {
        let b = self.byte()?;
        if b == 0 {
            return Ok(None);
        }
        let delta = (b >> 4) as i16;
        let id = if delta == 0 {
            i16::try_from(self.zigzag()?).map_err(|_| "a field id is out of range".to_owned())?
        } else {
            last.saturating_add(delta)
        };
        *last = id;
        Ok(Some((id, b & 0x0f)))
    }

    fn advance(&mut self, n: u64) -> Result<(), String> {
        let end = (self.at as u64).saturating_add(n);
        if end > self.bytes.len() as u64 {
            return Err("the page header is cut short".to_owned());
        }
        self.at = end as usize;
        Ok(())
    }

    /// Skips one value of type `kind`.
    fn skip(&mut self, kind: u8, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("the page header nests too deeply".to_owned());
        }
        match kind {
            BOOL_TRUE | BOOL_FALSE => Ok(()),
            BYTE => self.advance(1),
            I16 | I32 | I64 => self.varint().map(drop),
            DOUBLE => self.advance(8),
            BINARY => {
                let n = self.varint()?;
                self.advance(n)
            }
            LIST | SET => {
                let b = self.byte()?;
                let n = match b >> 4 {
                    15 => self.varint()?,
                    n => u64::from(n),
                };
                let element = b & 0x0f;
                for _ in 0..n {
                    // A boolean in a list takes a byte of its own.
                    match element {
                        BOOL_TRUE | BOOL_FALSE => self.advance(1)?,
                        _ => self.skip(element, depth + 1)?,
                    }
                }
                Ok(())
            }
            MAP => {
                let n = self.varint()?;
                if n == 0 {
                    return Ok(());
                }
                let kinds = self.byte()?;
                for _ in 0..n {
                    self.skip(kinds >> 4, depth + 1)?;
                    self.skip(kinds & 0x0f, depth + 1)?;
                }
                Ok(())
            }
            STRUCT => {
                let mut last = 0i16;
                while let Some((_, kind)) = self.field(&mut last)? {
                    self.skip(kind, depth + 1)?;
                }
                Ok(())
            }
            other => Err(format!("unknown Thrift type {other} in the page header")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compact-protocol `PageHeader` with the given sizes and a v1 data
    /// page header (num_values 3, encodings PLAIN).
    fn header(declared: i32, compressed: i32) -> Vec<u8> {
        let mut out = vec![0x15, 0x00]; // field 1, i32: DATA_PAGE (0)
        out.push(0x15);
        varint(&mut out, zigzag(declared));
        out.push(0x15);
        varint(&mut out, zigzag(compressed));
        // field 5, struct: DataPageHeader { 1: 3, 2: 0, 3: 0, 4: 0 }
        out.extend([0x2c, 0x15, 0x06, 0x15, 0x00, 0x15, 0x00, 0x15, 0x00, 0x00]);
        out.push(0x00);
        out
    }

    fn zigzag(v: i32) -> u64 {
        ((v << 1) ^ (v >> 31)) as u32 as u64
    }

    fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    #[test]
    fn reads_the_sizes_of_a_v1_page() {
        let bytes = header(2_000_000_000, 123);
        let (page, used) = decode_header(&bytes).unwrap();
        assert_eq!(used, bytes.len());
        assert_eq!((page.declared, page.compressed), (2_000_000_000, 123));
        assert!(page.is_compressed);
    }

    #[test]
    fn refuses_negative_and_cut_headers() {
        assert!(decode_header(&header(-5, 10))
            .unwrap_err()
            .contains("negative"));
        let bytes = header(10, 10);
        for cut in 0..bytes.len() {
            assert!(decode_header(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn refuses_deep_nesting() {
        // field 5 as a struct whose first field is a struct, and so on.
        let mut bytes = vec![0x15, 0x00, 0x15, 0x02, 0x15, 0x02];
        bytes.extend(std::iter::repeat_n(0x1c, 100));
        assert!(decode_header(&bytes).unwrap_err().contains("deeply"));
    }

    #[test]
    fn caps_what_it_inflates() {
        let data = vec![b'a'; 10_000];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &data).unwrap();
        let gz = gz.finish().unwrap();
        let read = capped(flate2::read::MultiGzDecoder::new(&gz[..]), 100).unwrap();
        assert_eq!(read, 101);
        let read = capped(flate2::read::MultiGzDecoder::new(&gz[..]), 20_000).unwrap();
        assert_eq!(read, 10_000);
    }
}
