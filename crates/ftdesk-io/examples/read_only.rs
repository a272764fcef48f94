//! Reads billing files without accounting them: what `ftdesk check` spends
//! decoding and mapping rows, apart from the ledger. `bench/run.sh` times it
//! beside `ftdesk check` and DuckDB.
//!
//! ```text
//! cargo run --release -p ftdesk-io --example read_only -- [--threads N] FILE...
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use ftdesk_core::{LineItem, PushError};
use ftdesk_io::PartSink;

/// Counts rows, and keeps the one field a compiler could not guess.
struct Count;

impl PartSink for Count {
    type Part = (u64, usize);

    fn part(&self) -> (u64, usize) {
        (0, 0)
    }

    fn push(&self, part: &mut (u64, usize), item: &LineItem<'_>) -> Result<(), PushError> {
        part.0 += 1;
        part.1 += item.resource_id.len();
        Ok(())
    }

    fn merge(&self, into: &mut (u64, usize), part: (u64, usize)) -> Result<(), PushError> {
        into.0 += part.0;
        into.1 += part.1;
        Ok(())
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    let mut threads = std::thread::available_parallelism().map_or(1, usize::from);
    if args.peek().is_some_and(|a| a == "--threads") {
        args.next();
        match args.next().and_then(|n| n.parse().ok()) {
            Some(n) => threads = n,
            None => {
                eprintln!("read_only: --threads wants a number");
                return ExitCode::from(2);
            }
        }
    }
    let files: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if files.is_empty() {
        eprintln!("usage: read_only [--threads N] FILE...");
        return ExitCode::from(2);
    }
    for file in files {
        let started = Instant::now();
        let mut counted = (0, 0);
        if let Err(error) = ftdesk_io::read_path_parts(&file, threads, &Count, &mut counted) {
            eprintln!("read_only: {error}");
            return ExitCode::from(2);
        }
        println!(
            "{}\t{} rows\t{:.3} s\t{} threads",
            file.display(),
            counted.0,
            started.elapsed().as_secs_f64(),
            threads
        );
    }
    ExitCode::SUCCESS
}
