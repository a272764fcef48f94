//! A byte stream wrapper that stops a runaway row before the CSV parser
//! buffers it: the parser keeps a whole record in memory, so an unclosed
//! quote in a multi-gigabyte file would otherwise grow its buffer without end.

use std::fmt;
use std::io::{self, Read};

/// Follows the quoting of RFC 4180 CSV (as the `csv` crate parses it) just
/// far enough to know where a record ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// The io error payload when a record exceeds the limit.
#[derive(Debug)]
pub struct RowTooLong {
    /// 1-based line on which the offending record starts.
    pub line: u64,
    pub limit: usize,
}

impl fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the record starting on line {} exceeds {} bytes",
            self.line, self.limit
        )
    }
}

impl std::error::Error for RowTooLong {}

pub struct RowGuard<R> {
    inner: R,
    limit: usize,
    state: Quoting,
    bytes_in_record: usize,
    line: u64,
    record_start_line: u64,
}

impl<R: Read> RowGuard<R> {
    pub fn new(inner: R, limit: usize) -> Self {
        RowGuard {
            inner,
            limit,
            state: Quoting::FieldStart,
            bytes_in_record: 0,
            line: 1,
            record_start_line: 1,
        }
    }

    /// The wrapped stream, to drain it without the row limit.
    pub fn inner_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    fn track(&mut self, bytes: &[u8]) -> io::Result<()> {
        for &byte in bytes {
            if byte == b'\n' {
                self.line += 1;
            }
            self.state = match (self.state, byte) {
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) => Quoting::Quoted,
                (Quoting::FieldStart | Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
                (_, b',') => Quoting::FieldStart,
                (_, b'\n') => {
                    self.bytes_in_record = 0;
                    self.record_start_line = self.line;
                    Quoting::FieldStart
                }
                (Quoting::FieldStart, b'\r') => Quoting::FieldStart,
                _ => Quoting::Unquoted,
            };
            self.bytes_in_record += 1;
            if self.bytes_in_record > self.limit {
                return Err(io::Error::other(RowTooLong {
                    line: self.record_start_line,
                    limit: self.limit,
                }));
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for RowGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.track(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &str, limit: usize) -> io::Result<u64> {
        let mut guard = RowGuard::new(input.as_bytes(), limit);
        io::copy(&mut guard, &mut io::sink())?;
        Ok(guard.line)
    }

    #[test]
    fn quoted_newlines_and_escaped_quotes_stay_in_the_record() {
        let input = "a,\"x\ny \"\"q\"\" z\"\nb,c\n";
        assert!(read_all(input, 64).is_ok());
        let err = read_all(input, 8).unwrap_err();
        let inner = err.get_ref().unwrap().downcast_ref::<RowTooLong>().unwrap();
        assert_eq!(inner.line, 1);
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_literal() {
        let input = "5\" disk,b\nnext,row\n";
        let mut guard = RowGuard::new(input.as_bytes(), 12);
        io::copy(&mut guard, &mut io::sink()).unwrap();
        assert_eq!(guard.state, Quoting::FieldStart);
    }

    #[test]
    fn reports_the_line_where_the_long_record_starts() {
        let input = format!("h\nshort\n\"{}", "x".repeat(100));
        let err = read_all(&input, 50).unwrap_err();
        let inner = err.get_ref().unwrap().downcast_ref::<RowTooLong>().unwrap();
        assert_eq!(inner.line, 3);
    }
}
