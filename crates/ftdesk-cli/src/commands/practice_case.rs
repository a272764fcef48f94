//! `ftdesk practice case` and `ftdesk practice grade`: the take-home free-tier case.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use ftdesk_app::practice::ASSIGNMENT;
use ftdesk_practice::{CaseSource, Lang};

use crate::args::{CaseArgs, CaseSourceArg, GradeArgs, GradeFormatArg, PracticeLangArg};
use crate::env::Env;
use crate::output;
use crate::output::say;

pub fn case(args: CaseArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let lang = args.lang.map(|l| match l {
        PracticeLangArg::En => Lang::En,
        PracticeLangArg::Ko => Lang::Ko,
    });
    let seed = args.seed.unwrap_or_else(new_seed);
    let mut plan = ftdesk_practice::plan_case(seed, args.difficulty, lang)?;
    plan.source = match args.source {
        CaseSourceArg::Cur => CaseSource::Cur,
        CaseSourceArg::CostExplorer => CaseSource::CostExplorer,
    };
    let out = prepare_folder(&args.out)?;
    ftdesk_app::write_practice_case(&plan, &out, &env.settings)?;
    say!(
        "wrote the case to {} (seed {seed}: `--seed {seed}` writes it again) and its answer key to {}",
        args.out.display(),
        ftdesk_app::key_path(&out).display()
    );
    say!(
        "read {ASSIGNMENT} first, then grade your answer with `ftdesk practice grade {} answer.txt`",
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A seed nobody chose, short enough to type back.
fn new_seed() -> u64 {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    u64::from(u32::from_le_bytes(bytes))
}

/// Creates the folder, refusing one that already holds files or whose answer
/// key exists (a case is never overwritten); returns its full path.
fn prepare_folder(dir: &Path) -> anyhow::Result<PathBuf> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .with_context(|| format!("--out-dir {} is not a folder", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "--out-dir {} is not empty: give a new folder for the case",
                dir.display()
            );
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let dir = dir
        .canonicalize()
        .with_context(|| format!("finding {}", dir.display()))?;
    let key = ftdesk_app::key_path(&dir);
    if key.exists() {
        bail!(
            "{} exists: give a folder whose answer key would not overwrite another case's",
            key.display()
        );
    }
    Ok(dir)
}

pub fn grade(args: GradeArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let truth = ftdesk_app::read_case_key(&args.case, args.key.as_deref())?;
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
