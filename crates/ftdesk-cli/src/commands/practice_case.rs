//! `ftdesk practice case` and `ftdesk practice grade`: the take-home free-tier case.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use ftdesk_app::{CheckRequest, ReplyRequest, Scope};
use ftdesk_core::Catalog;
use ftdesk_practice::{CaseTruth, Lang, ModelReply};
use ftdesk_reply::Inquiry;

use crate::args::{CaseArgs, GradeArgs, GradeFormatArg, PracticeLangArg};
use crate::env::Env;
use crate::output;

const TRUTH: &str = ".truth.json";
const INQUIRY: &str = "inquiry.txt";
const ASSIGNMENT: &str = "ASSIGNMENT.txt";
const BILLING: &str = "billing";

pub fn case(args: CaseArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let lang = args.lang.map(|l| match l {
        PracticeLangArg::En => Lang::En,
        PracticeLangArg::Ko => Lang::Ko,
    });
    let plan = ftdesk_practice::plan_case(args.seed, args.difficulty, lang)?;
    prepare_folder(&args.out)?;
    let billing = args.out.join(BILLING);
    std::fs::create_dir_all(&billing).with_context(|| format!("creating {}", billing.display()))?;
    let catalog = Catalog::embedded();
    let rows = ftdesk_sample::generate_mix(&catalog, &plan.mix, &format!("case-{}", args.seed));
    let mut csv = Vec::new();
    ftdesk_sample::write_rows_csv(&rows, &mut csv).context("writing the billing data")?;
    let bill = billing.join(plan.billing_file());
    write(&bill, &csv)?;
    let request = CheckRequest {
        paths: vec![bill],
        ..CheckRequest::default()
    };
    let report = ftdesk_app::check(&catalog, &request, &env.settings)?.report;
    let truth = CaseTruth::from_report(&plan, &report);
    write(
        &args.out.join(ASSIGNMENT),
        ftdesk_practice::assignment_text(plan.lang).as_bytes(),
    )?;
    write(
        &args.out.join(INQUIRY),
        ftdesk_practice::inquiry_text(&plan, &truth).as_bytes(),
    )?;
    write(&args.out.join(TRUTH), truth.to_json().as_bytes())?;
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

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

pub fn grade(args: GradeArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let truth = read_truth(&args.case)?;
    let answer = std::fs::read_to_string(&args.answer)
        .with_context(|| format!("reading the answer {}", args.answer.display()))?;
    let grade = ftdesk_practice::grade(&answer, &truth)
        .with_context(|| format!("grading {}", args.answer.display()))?;
    let model = model_reply(&args.case, &truth, env)?;
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

/// The reply `ftdesk reply` drafts for the case's inquiry and bill.
fn model_reply(case: &Path, truth: &CaseTruth, env: &Env) -> anyhow::Result<ModelReply> {
    let inquiry_path = case.join(INQUIRY);
    let bytes = std::fs::read(&inquiry_path)
        .with_context(|| format!("reading the inquiry {}", inquiry_path.display()))?;
    let inquiry =
        Inquiry::parse(&bytes).with_context(|| format!("inquiry {}", inquiry_path.display()))?;
    let bill: PathBuf = case.join(&truth.billing);
    let request = ReplyRequest {
        inquiry,
        inquiry_path,
        paths: vec![bill],
        scope: Scope {
            month: truth.month.parse().ok(),
            ..Scope::default()
        },
        lang: Some(truth.lang()),
        templates: None,
        settle_month: true,
        limits: Default::default(),
    };
    let reply = ftdesk_app::draft_reply(&Catalog::embedded(), request, &env.settings)?.reply;
    Ok(ModelReply {
        text: reply.text,
        notes: reply.notes,
    })
}
