//! `ftdesk practice case` and `ftdesk practice grade`: the take-home free-tier case.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use ftdesk_app::practice::{ASSIGNMENT, TRUTH};
use ftdesk_practice::{CaseSource, CaseTruth, Lang};

use crate::args::{CaseArgs, CaseSourceArg, GradeArgs, GradeFormatArg, PracticeLangArg};
use crate::env::Env;
use crate::output;

pub fn case(args: CaseArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let lang = args.lang.map(|l| match l {
        PracticeLangArg::En => Lang::En,
        PracticeLangArg::Ko => Lang::Ko,
    });
    let mut plan = ftdesk_practice::plan_case(args.seed, args.difficulty, lang)?;
    plan.source = match args.source {
        CaseSourceArg::Cur => CaseSource::Cur,
        CaseSourceArg::CostExplorer => CaseSource::CostExplorer,
    };
    prepare_folder(&args.out)?;
    ftdesk_app::write_practice_case(&plan, &args.out, &env.settings)?;
    eprintln!(
        "wrote the case to {}: read {ASSIGNMENT} first, then grade your answer with `ftdesk practice grade {} answer.txt`",
        args.out.display(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Creates the folder, refusing one that already holds files (a case is never overwritten).
fn prepare_folder(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .with_context(|| format!("--out {} is not a folder", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "--out {} is not empty: give a new folder for the case",
                dir.display()
            );
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

pub fn grade(args: GradeArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let truth = read_truth(&args.case)?;
    let answer = std::fs::read_to_string(&args.answer)
        .with_context(|| format!("reading the answer {}", args.answer.display()))?;
    let grade = ftdesk_practice::grade(&answer, &truth)
        .with_context(|| format!("grading {}", args.answer.display()))?;
    let model = ftdesk_app::practice_model_reply(&args.case, &truth, &env.settings)?;
    let email = ftdesk_practice::Answer::split(&answer).email;
    let text = match args.format {
        GradeFormatArg::Text => ftdesk_practice::grade_text(&grade, &email, &model),
        GradeFormatArg::Json => ftdesk_practice::grade_json(&grade, &model),
        GradeFormatArg::Html => ftdesk_practice::grade_html(&grade, &email, &model),
    };
    output::write(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn read_truth(case: &Path) -> anyhow::Result<CaseTruth> {
    if !case.is_dir() {
        bail!(
            "the case folder {} does not exist: write one with `ftdesk practice case --out {}`",
            case.display(),
            case.display()
        );
    }
    let path = case.join(TRUTH);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} has no readable {TRUTH}: expected a folder written by `ftdesk practice case`",
            case.display()
        )
    })?;
    CaseTruth::from_json(&text).with_context(|| {
        format!(
            "{}: not the answer key `ftdesk practice case` writes",
            path.display()
        )
    })
}
