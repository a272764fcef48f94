//! `ftdesk practice`: the Leadership-Principles interview drill and its scorecard.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use ftdesk_practice::{bank, Lang, Mode, Principle, Session};

use crate::args::{
    InterviewArgs, ModeArg, PracticeArgs, PracticeCommand, PracticeFormatArg, PracticeLangArg,
    PracticeReportArgs,
};
use crate::output;

/// Asked when `--principles` is not given: the principles most often tested at associate level.
const DEFAULT_PRINCIPLES: [&str; 6] = [
    "customer-obsession",
    "ownership",
    "bias-for-action",
    "earn-trust",
    "dive-deep",
    "deliver-results",
];

pub fn run(args: PracticeArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        PracticeCommand::Interview(args) => interview(args),
        PracticeCommand::Report(args) => report(args),
        PracticeCommand::Case(args) => super::practice_case::case(args),
        PracticeCommand::Grade(args) => super::practice_case::grade(args),
    }
}

fn interview(args: InterviewArgs) -> anyhow::Result<ExitCode> {
    let principles = chosen_principles(&args.principles)?;
    let Some(script_path) = &args.script else {
        let lang = lang(args.lang);
        let mode = mode(args.mode);
        return super::practice_live::run(&args, &principles, lang, mode);
    };
    let script = read_text(script_path, "the answer script")?;
    let answers = ftdesk_practice::split_answers(&script);
    if answers.is_empty() {
        bail!("the answer script {} has no answers", script_path.display());
    }
    let session =
        ftdesk_practice::run_script(answers, &principles, lang(args.lang), mode(args.mode))?;
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

fn report(args: PracticeReportArgs) -> anyhow::Result<ExitCode> {
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

fn chosen_principles(ids: &[String]) -> anyhow::Result<Vec<&'static Principle>> {
    let bank = bank();
    if ids.is_empty() {
        return Ok(DEFAULT_PRINCIPLES
            .iter()
            .filter_map(|id| bank.principle(id))
            .collect());
    }
    ids.iter()
        .map(|id| {
            bank.principle(id.trim()).with_context(|| {
                let known: Vec<&str> = bank.principles.iter().map(|p| p.id.as_str()).collect();
                format!("unknown principle `{id}`; known: {}", known.join(", "))
            })
        })
        .collect()
}

fn lang(arg: PracticeLangArg) -> Lang {
    match arg {
        PracticeLangArg::En => Lang::En,
        PracticeLangArg::Ko => Lang::Ko,
    }
}

fn mode(arg: ModeArg) -> Mode {
    match arg {
        ModeArg::Coach => Mode::Coach,
        ModeArg::Realistic => Mode::Realistic,
        ModeArg::BarRaiser => Mode::BarRaiser,
    }
}
