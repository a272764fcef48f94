//! `ftdesk practice`: the Leadership-Principles interview drill and its scorecard.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use ftdesk_practice::Session;

use crate::args::{InterviewArgs, PracticeFormatArg, PracticeReportArgs};
use crate::env::Env;
use crate::output;

/// The scripted interview (`--script`); without a script the interview is live.
pub fn interview(args: InterviewArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let principles = args.chosen_principles()?;
    let Some(script_path) = &args.script else {
        bail!("the interview without --script is the live one");
    };
    let script = read_text(script_path, "the answer script")?;
    let answers = ftdesk_practice::split_answers(&script);
    if answers.is_empty() {
        bail!("the answer script {} has no answers", script_path.display());
    }
    let session =
        ftdesk_practice::run_script(answers, &principles, args.lang_or(env), args.mode.into())?;
    if let Some(path) = &args.save {
        std::fs::write(path, session.to_json())
            .with_context(|| format!("saving the session to {}", path.display()))?;
    }
    let text = format!(
        "{}\n{}",
        ftdesk_practice::transcript(&session),
        ftdesk_practice::scorecard(&session)
    );
    output::write(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

pub fn report(args: PracticeReportArgs) -> anyhow::Result<ExitCode> {
    let text = read_text(&args.session, "the session")?;
    let session = Session::from_json(&text)
        .with_context(|| format!("reading the session {}", args.session.display()))?;
    let text = match args.format {
        PracticeFormatArg::Text => ftdesk_practice::scorecard(&session),
        PracticeFormatArg::Html => ftdesk_practice::scorecard_html(&session),
    };
    output::write(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn read_text(path: &Path, what: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {what} {}", path.display()))
}
