//! A byte stream wrapper that stops a runaway row before the CSV parser
//! buffers it: the parser keeps a whole record in memory, so an unclosed
//! quote in a multi-gigabyte file would otherwise grow its buffer without end.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Read};
use std::rc::Rc;

/// The io error payload when a row exceeds the limit.
#[derive(Debug)]
pub struct RowTooLong {
    pub limit: usize,
}

impl fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a row exceeds {} bytes", self.limit)
    }
}

impl std::error::Error for RowTooLong {}

/// Counts the bytes read since the parser last finished a record. The row
/// loop calls [`RowBudget::row_done`] after each record; the parser reads
/// ahead by at most its buffer, so the count bounds the record being built.
#[derive(Debug, Clone, Default)]
pub struct RowBudget(Rc<Cell<usize>>);

impl RowBudget {
    pub fn row_done(&self) {
        self.0.set(0);
    }
}

pub struct RowGuard<R> {
    inner: R,
    budget: RowBudget,
    limit: usize,
}

impl<R: Read> RowGuard<R> {
    pub fn new(inner: R, budget: RowBudget, limit: usize) -> Self {
        RowGuard {
            inner,
            budget,
            limit,
        }
    }

    /// The wrapped stream, to drain it without the row limit.
    pub fn inner_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

impl<R: Read> Read for RowGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let since_row = self.budget.0.get().saturating_add(n);
        self.budget.0.set(since_row);
        if since_row > self.limit {
            return Err(io::Error::other(RowTooLong { limit: self.limit }));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_read_past_the_limit_until_a_row_is_done() {
        let budget = RowBudget::default();
        let mut guard = RowGuard::new(&[7u8; 100][..], budget.clone(), 50);
        let mut buf = [0; 30];
        assert_eq!(guard.read(&mut buf).unwrap(), 30);
        budget.row_done();
        assert_eq!(guard.read(&mut buf).unwrap(), 30);
        let err = guard.read(&mut buf).unwrap_err();
        assert!(err.get_ref().unwrap().is::<RowTooLong>());
    }
}
