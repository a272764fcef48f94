//! Where results go: a rendered report to standard output or a file, reading
//! notes (and the one question `check --live` may ask) to standard error.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context as _;
use ftdesk_app::{ReadingNote, Settings};
use ftdesk_core::Report;

use crate::args::{ColorArg, ReportArgs};
use crate::env::Env;

static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `--quiet`: from now on [`say!`] prints nothing.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, std::sync::atomic::Ordering::Relaxed);
}

pub fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// A line on standard error for people (what was read or written), which
/// `--quiet` silences; errors go through `main`, never through this.
macro_rules! say {
    ($($arg:tt)*) => {
        if !$crate::output::quiet() {
            eprintln!($($arg)*);
        }
    };
}
pub(crate) use say;

/// Whether to colour a stream: `--color`, where `auto` means a terminal
/// and no NO_COLOR.
pub fn use_color(choice: ColorArg, settings: &Settings, terminal: bool) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => !settings.no_color() && terminal,
    }
}

/// Renders the report as `--format`, `--lang` and `--color` ask, to `--output`.
pub fn emit_report(report: &Report, args: &ReportArgs, env: &Env) -> anyhow::Result<()> {
    let color =
        args.out.is_none() && use_color(env.color, &env.settings, std::io::stdout().is_terminal());
    let lang = env.lang(args.lang);
    let options = ftdesk_render::Options {
        color,
        all: args.all,
    };
    let out = args.out.as_deref().map(Path::new);
    write_with(out, |w| {
        ftdesk_render::render_to(w, report, args.format.into(), lang, options).map_err(Into::into)
    })
}

/// Says on standard error what was read, skipped or taken from a cache.
pub fn tell(notes: &[ReadingNote]) {
    notes.iter().for_each(tell_one);
}

/// [`tell`] for one note, as a read goes on.
pub fn tell_one(note: &ReadingNote) {
    say!("{note}");
}

pub fn write(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    write_with(out, |w| Ok(w.write_all(text.as_bytes())?))
}

/// Lets `fill` write through a buffer to the file `out` (its folder made
/// if missing) or to standard output.
pub fn write_with(
    out: Option<&Path>,
    fill: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    match out {
        Some(path) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating folder {}", parent.display()))?;
            }
            let writing = || format!("writing {}", path.display());
            let file = std::fs::File::create(path).with_context(writing)?;
            let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
            fill(&mut w).with_context(writing)?;
            w.flush().with_context(writing)?;
            tracing::info!("wrote {}", path.display());
            Ok(())
        }
        None => {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            fill(&mut w)?;
            w.flush()?;
            Ok(())
        }
    }
}

pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Asks on the terminal, or takes `--yes`; with neither, refuses.
pub fn confirm(question: &str, yes: bool) -> bool {
    use std::io::BufRead;
    eprintln!("{question}");
    if yes {
        eprintln!("yes (--yes)");
        return true;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("no terminal to ask on: give --yes to agree to the cost");
        return false;
    }
    eprint!("[y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes" | "Yes")
}
