//! The interactive interview: the terminal loop (or piped answers), printing
//! what the app layer says. Reading answers, timing them, saving the session
//! and writing the report are `ftdesk_app::interview`'s.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use anyhow::Context as _;
use ftdesk_app::interview::answer::{Answer, Line, Lines, Piped};
use ftdesk_app::interview::{Interview, InterviewRequest};
use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

use crate::args::InterviewArgs;
use crate::env::Env;

pub fn run(args: &InterviewArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let principles = args.chosen_principles()?;
    let request = InterviewRequest {
        principles: &principles,
        lang: args.lang_or(env),
        mode: args.mode.into(),
        resume: args.resume.clone(),
        save: args.save.clone(),
        stories: args.stories.clone(),
        seed: args
            .seed
            .unwrap_or_else(|| env.clock.now().unix().unsigned_abs()),
    };
    let mut interview = Interview::start(request, &env.settings, env.clock.clone())?;
    let terminal = std::io::stdin().is_terminal();
    let mut lines: Box<dyn Lines> = if terminal {
        Box::new(Terminal(
            DefaultEditor::new().context("starting the line editor")?,
        ))
    } else {
        Box::new(Piped(std::io::stdin().lock()))
    };
    let reader = interview.answer_reader(&env.settings, args.editor, terminal);
    for line in interview.intro(args.resume.is_some()) {
        println!("{line}");
    }
    let path = interview.session_path.display().to_string();
    while let Some(prompt) = interview.ask()? {
        if let Some(heading) = interview.heading(&prompt) {
            println!("\n== {heading} ==");
        }
        println!(
            "{}: {}",
            interview.messages.text("interviewer"),
            prompt.text()
        );
        let Answer::Given(answer) = reader.read(lines.as_mut(), prompt.text())? else {
            println!(
                "\n{}",
                interview.messages.get("live-saved", &[("path", &path)])
            );
            return Ok(ExitCode::SUCCESS);
        };
        for note in interview.answer(&prompt, answer)? {
            println!("   {note}");
        }
    }
    let finished = interview.finish()?;
    println!("\n{}\n\n{}", finished.total, finished.report);
    let report_path = finished.report_path.display().to_string();
    eprintln!(
        "{}",
        interview
            .messages
            .get("live-report", &[("path", &report_path)])
    );
    println!(
        "{}",
        interview.messages.get("live-done", &[("path", &path)])
    );
    Ok(ExitCode::SUCCESS)
}

/// The terminal's lines, through rustyline (arrows, Home, End, Ctrl-W, this
/// session's history, kept in memory only: the answers go to the session file).
struct Terminal(DefaultEditor);

impl Lines for Terminal {
    fn read_line(&mut self, prompt: &str) -> std::io::Result<Line> {
        match self.0.readline(prompt) {
            Ok(line) => {
                let _ = self.0.add_history_entry(line.as_str());
                Ok(Line::Text(line))
            }
            Err(ReadlineError::Interrupted) => Ok(Line::Interrupted),
            Err(ReadlineError::Eof) => Ok(Line::End),
            Err(ReadlineError::Io(err)) => Err(err),
            Err(err) => Err(std::io::Error::other(err)),
        }
    }

    fn note(&mut self, text: &str) {
        println!("   {text}");
    }
}
