//! A progress bar on standard error for long work: billing data read (bytes,
//! from disk or S3) and a large sample written (rows). Drawn only on a
//! terminal, never with `--quiet`, and only once the work has taken a second.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work shorter than this shows no bar.
const SHOW_AFTER: Duration = Duration::from_secs(1);
const BYTES: &str = "{msg} {wide_bar} {binary_bytes}/{binary_total_bytes} {eta}";
const ROWS: &str = "{wide_bar} {human_pos}/{human_len} rows {eta}";

/// Whether a bar may be drawn at all.
pub fn wanted(stderr_is_terminal: bool, quiet: bool) -> bool {
    stderr_is_terminal && !quiet
}

/// A bar that stays hidden until [`SHOW_AFTER`] has passed.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: AtomicBool,
}

impl Progress {
    /// A bar over the bytes of each billing object read, or `None` when no bar is wanted.
    pub fn bytes() -> Option<Self> {
        Self::new(0, BYTES)
    }

    /// A bar over `total` rows written, or `None` when no bar is wanted.
    pub fn rows(total: u64) -> Option<Self> {
        Self::new(total, ROWS)
    }

    fn new(total: u64, template: &str) -> Option<Self> {
        if !wanted(std::io::stderr().is_terminal(), crate::output::quiet()) {
            return None;
        }
        let style = ProgressStyle::with_template(template).expect("the templates are valid");
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden())
            .with_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
        Some(Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        })
    }

    /// Moves the bar to `position`.
    pub fn set(&self, position: u64) {
        self.bar.set_position(position);
        self.show_if_slow();
    }

    /// Runs `f` (a line on standard error) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    fn show_if_slow(&self) {
        if !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() >= SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

impl ftdesk_io::Watch for Progress {
    fn object(&self, name: &str, size: u64) {
        let name = name.rsplit('/').next().unwrap_or(name).to_owned();
        self.bar.set_message(name);
        self.bar.set_length(size);
        self.bar.set_position(0);
    }

    fn read(&self, bytes: u64) {
        self.bar.inc(bytes);
        self.show_if_slow();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_on_a_terminal_and_never_quiet() {
        assert!(wanted(true, false));
        assert!(!wanted(false, false));
        assert!(!wanted(true, true));
        assert!(!wanted(false, true));
    }
}
