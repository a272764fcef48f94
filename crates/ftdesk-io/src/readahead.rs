//! Decompression on its own thread: a gzip stream inflates on one core
//! while the CSV parser and the accounting run on another. A bounded queue
//! of large buffers keeps memory flat whatever the file size.

use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver};
use std::thread;

const CHUNK_BYTES: usize = 1 << 20;
/// Buffers in flight: enough to ride out the parser's pauses.
const QUEUE: usize = 4;

/// Reads what a background thread reads from `inner`, in order.
pub(crate) struct ReadAhead {
    chunks: Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    at: usize,
    done: bool,
}

impl ReadAhead {
    pub(crate) fn new(mut inner: Box<dyn Read + Send>) -> Self {
        let (tx, chunks) = sync_channel(QUEUE);
        thread::spawn(move || loop {
            let mut chunk = vec![0; CHUNK_BYTES];
            let result = fill(&mut inner, &mut chunk).map(|n| {
                chunk.truncate(n);
                chunk
            });
            let last = !matches!(&result, Ok(c) if !c.is_empty());
            // The reader was dropped: nobody wants the rest.
            if tx.send(result).is_err() || last {
                return;
            }
        });
        ReadAhead {
            chunks,
            current: Vec::new(),
            at: 0,
            done: false,
        }
    }
}

/// Reads until `buf` is full or the stream ends; returns the bytes read.
fn fill(inner: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match inner.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

impl Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.current.len() {
            if self.done {
                return Ok(0);
            }
            match self.chunks.recv() {
                Ok(Ok(chunk)) if chunk.is_empty() => self.done = true,
                Ok(Ok(chunk)) => {
                    self.current = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => self.done = true,
            }
        }
        let n = buf.len().min(self.current.len() - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Failing(usize);

    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "corrupt"));
            }
            let n = buf.len().min(self.0);
            buf[..n].fill(b'x');
            self.0 -= n;
            Ok(n)
        }
    }

    #[test]
    fn passes_every_byte_in_order() {
        let data: Vec<u8> = (0..3 * CHUNK_BYTES + 17).map(|i| (i % 251) as u8).collect();
        let mut out = Vec::new();
        ReadAhead::new(Box::new(io::Cursor::new(data.clone())))
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, data);
    }

    #[test]
    fn passes_the_error_after_the_good_bytes() {
        let mut reader = ReadAhead::new(Box::new(Failing(CHUNK_BYTES + 5)));
        let mut out = Vec::new();
        let error = reader.read_to_end(&mut out).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert_eq!(out.len(), CHUNK_BYTES);
    }
}
