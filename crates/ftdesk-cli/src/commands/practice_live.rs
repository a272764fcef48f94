//! The interactive interview: a terminal loop with line editing, a timer per
//! answer, a session saved after every answer (Ctrl-C or /quit stops and keeps
//! it), `--resume`, and the story bank's reuse warnings.

use std::io::IsTerminal as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use ftdesk_app::interview::{Interview, InterviewRequest};
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
    let request = InterviewRequest {
        principles: &principles,
        lang: args.lang_or(&env.settings),
        mode: args.mode.into(),
        resume: args.resume.clone(),
        save: args.save.clone(),
        stories: args.stories.clone(),
        seed: args
            .seed
            .unwrap_or_else(|| env.clock.now().unix().unsigned_abs()),
    };
    let mut interview = Interview::start(request, &env.settings)?;
    let path = interview.session_path.display().to_string();
    let mut editor = DefaultEditor::new().context("starting the line editor")?;
    for line in interview.intro(args.resume.is_some()) {
        println!("{line}");
    }
    while let Some(prompt) = interview.session.next_prompt() {
        if let Some(heading) = interview.heading(&prompt) {
            println!("\n== {heading} ==");
        }
        let interviewer = interview.messages.text("interviewer");
        println!("{interviewer}: {}", prompt.text());
        interview.save()?;
        let started = Instant::now();
        let Some(answer) = read_answer(&mut editor)? else {
            let saved = interview.messages.get("live-saved", &[("path", &path)]);
            println!("\n{saved}");
            return Ok(ExitCode::SUCCESS);
        };
        let time = clock(started.elapsed());
        println!(
            "   {}",
            interview.messages.get("live-time", &[("time", &time)])
        );
        if let Some(reuse) = interview.answer(&prompt, answer)? {
            println!("   {}", interview.reuse_warning(&reuse));
        }
    }
    println!("\n{}", ftdesk_practice::scorecard(&interview.session));
    println!(
        "{}",
        interview.messages.get("live-done", &[("path", &path)])
    );
    Ok(ExitCode::SUCCESS)
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

fn clock(elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    format!("{}:{:02}", secs / 60, secs % 60)
}
