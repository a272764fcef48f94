//! The interactive interview: a terminal loop with line editing, a timer per
//! answer, a session saved after every answer (Ctrl-C or /quit stops and keeps
//! it), `--resume`, and the story bank's reuse warnings.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use ftdesk_practice::{bank, Lang, Messages, Mode, Prompt, Session, StoryBank};
use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

use crate::args::InterviewArgs;
use crate::env::Env;

pub fn run(args: &InterviewArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let principles = args.chosen_principles()?;
    if !std::io::stdin().is_terminal() {
        bail!(
            "no --script and standard input is not a terminal: run the interview in a terminal, \
             or give the answers with --script FILE"
        );
    }
    let (mut session, path) = match &args.resume {
        Some(path) => (
            load_session(path)?,
            args.save.clone().unwrap_or(path.clone()),
        ),
        None => {
            let seed = args
                .seed
                .unwrap_or_else(|| env.clock.now().unix().unsigned_abs());
            let session =
                ftdesk_practice::new_session(&principles, args.lang.into(), args.mode.into(), seed);
            let path = match &args.save {
                Some(path) => path.clone(),
                None => data_dir(env)?
                    .join("sessions")
                    .join(format!("session-{seed}.json")),
            };
            (session, path)
        }
    };
    let bank_path = match &args.stories {
        Some(path) => path.clone(),
        None => data_dir(env)?.join("stories.json"),
    };
    let mut stories = load_bank(&bank_path)?;
    let m = Messages::new(session.lang());
    let mut editor = DefaultEditor::new().context("starting the line editor")?;
    intro(&m, &session, args.resume.is_some());
    while let Some(prompt) = session.next_prompt() {
        show(&m, &session, &prompt);
        save(&session, &path)?;
        let started = Instant::now();
        let Some(answer) = read_answer(&mut editor)? else {
            println!("\n{}", m.get("live-saved", &[("path", &shown(&path))]));
            return Ok(ExitCode::SUCCESS);
        };
        println!(
            "   {}",
            m.get("live-time", &[("time", &clock(started.elapsed()))])
        );
        if let Prompt::Question { principle, .. } = &prompt {
            warn_on_reuse(&m, &mut stories, principle, &answer, session.lang());
            save_bank(&stories, &bank_path)?;
        }
        session.answer(&prompt, answer);
        save(&session, &path)?;
    }
    println!("\n{}", ftdesk_practice::scorecard(&session));
    println!("{}", m.get("live-done", &[("path", &shown(&path))]));
    Ok(ExitCode::SUCCESS)
}

fn intro(m: &Messages, session: &Session, resumed: bool) {
    let mode = m.text(match session.mode {
        Mode::Coach => "mode-coach",
        Mode::Realistic => "mode-realistic",
        Mode::BarRaiser => "mode-bar-raiser",
    });
    println!("{}", m.get("live-intro", &[("mode", &mode)]));
    if resumed {
        let answers: usize = session.stories.iter().map(|s| s.turns.len()).sum();
        println!("{}", m.get("live-resumed", &[("n", &answers.to_string())]));
    }
}

fn show(m: &Messages, session: &Session, prompt: &Prompt) {
    if let Prompt::Question { n, principle, .. } = prompt {
        let n = n.to_string();
        let heading = match (session.mode, bank().principle(principle)) {
            (Mode::Coach, Some(p)) => {
                m.get("story-about", &[("n", &n), ("principle", p.name(m.lang()))])
            }
            _ => m.get("story-heading", &[("n", &n)]),
        };
        println!("\n== {heading} ==");
    }
    println!("{}: {}", m.text("interviewer"), prompt.text());
}

/// One answer; `None` when the candidate stops (Ctrl-C, Ctrl-D or /quit).
fn read_answer(editor: &mut DefaultEditor) -> anyhow::Result<Option<String>> {
    loop {
        match editor.readline("> ") {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) if line.trim() == "/quit" => return Ok(None),
            Ok(line) => {
                // In-memory only: the answers go to the session file, not a history file.
                let _ = editor.add_history_entry(line.as_str());
                return Ok(Some(line.trim().to_owned()));
            }
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => return Ok(None),
            Err(err) => return Err(err).context("reading the answer"),
        }
    }
}

fn warn_on_reuse(m: &Messages, stories: &mut StoryBank, principle: &str, answer: &str, lang: Lang) {
    if let Some(reuse) = stories.record(principle, answer, lang) {
        let names: Vec<&str> = reuse
            .principles
            .iter()
            .map(|id| bank().principle(id).map_or(id.as_str(), |p| p.name(lang)))
            .collect();
        println!(
            "   {}",
            m.get(
                "live-reuse",
                &[
                    ("n", &reuse.told.to_string()),
                    ("principles", &names.join(", "))
                ]
            )
        );
    }
}

fn clock(elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// `$XDG_DATA_HOME/ftdesk`, else `~/.local/share/ftdesk`.
fn data_dir(env: &Env) -> anyhow::Result<PathBuf> {
    match env.settings.data_dir() {
        Some(dir) => Ok(dir),
        None => bail!("neither XDG_DATA_HOME nor HOME is set: give --save and --stories"),
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn load_session(path: &Path) -> anyhow::Result<Session> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the session {}", path.display()))?;
    let session = Session::from_json(&text)
        .with_context(|| format!("reading the session {}", path.display()))?;
    if session.plan.is_empty() {
        bail!(
            "{} is a scripted session with no question plan: only interactive sessions can be resumed",
            path.display()
        );
    }
    Ok(session)
}

fn save(session: &Session, path: &Path) -> anyhow::Result<()> {
    write_file(path, &session.to_json())
}

fn load_bank(path: &Path) -> anyhow::Result<StoryBank> {
    match std::fs::read_to_string(path) {
        Ok(text) => StoryBank::from_json(&text).with_context(|| {
            format!(
                "{} is not a story bank (expected the JSON ftdesk writes)",
                path.display()
            )
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(StoryBank::default()),
        Err(err) => Err(err).with_context(|| format!("reading the story bank {}", path.display())),
    }
}

fn save_bank(bank: &StoryBank, path: &Path) -> anyhow::Result<()> {
    write_file(path, &bank.to_json())
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("saving {}", path.display()))
}
