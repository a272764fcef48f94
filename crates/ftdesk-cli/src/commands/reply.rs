//! `ftdesk reply`: a customer's message and billing data in, a draft reply out.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use ftdesk_core::{Catalog, Context, FinishError, Month, Report};
use ftdesk_reply::{eml, Inquiry, Lang, MonthMention, Reply, Templates, TEMPLATES_ENV};

use crate::args::{ReplyArgs, ReplyFormatArg, ReplyLangArg};
use crate::commands::check;
use crate::output;

pub fn run(args: ReplyArgs) -> anyhow::Result<ExitCode> {
    let mut inquiry = read_inquiry(&args.inquiry)?;
    let (_, reply) = draft(&args, &mut inquiry)?;
    emit(&args, &reply, &inquiry)?;
    Ok(ExitCode::SUCCESS)
}

/// The report for the case and the reply drafted from it (also the desk's draft).
pub fn draft(args: &ReplyArgs, inquiry: &mut Inquiry) -> anyhow::Result<(Report, Reply)> {
    let report = report_for(args, inquiry)?;
    place_month(inquiry, &report);
    let lang = match args.lang {
        ReplyLangArg::Auto => inquiry.lang,
        ReplyLangArg::En => Lang::En,
        ReplyLangArg::Ko => Lang::Ko,
    };
    let templates = Templates::load(lang, templates_dir(args).as_deref())?;
    let reply = ftdesk_reply::compose(&report, inquiry, &templates);
    Ok((report, reply))
}

/// A month named without a year was placed against the data: record where.
fn place_month(inquiry: &mut Inquiry, report: &Report) {
    if let Some(MonthMention::Named(number)) = inquiry.month_mention {
        if report.month.number() == number {
            inquiry.month = Some(report.month);
            inquiry.month_mention = None;
        }
    }
}

fn read_inquiry(path: &Path) -> anyhow::Result<Inquiry> {
    let bytes = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading the inquiry from standard input")?;
        bytes
    } else {
        std::fs::read(path).with_context(|| format!("reading the inquiry {}", path.display()))?
    };
    Inquiry::parse(&bytes).with_context(|| format!("inquiry {}", describe_source(path)))
}

fn describe_source(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "on standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

fn templates_dir(args: &ReplyArgs) -> Option<PathBuf> {
    args.templates.clone().or_else(|| {
        std::env::var_os(TEMPLATES_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// The report for the month the case is about: `--month`, else the month the
/// customer names, else the latest month in the data.
fn report_for(args: &ReplyArgs, inquiry: &Inquiry) -> anyhow::Result<Report> {
    let catalog = Catalog::embedded();
    let context = |month: Option<Month>| Context {
        month,
        plan: args.plan.map(Into::into),
        account_created: args.account_created,
        // Free Tier API output alone has no billing month: it is this one.
        now: Some(check::now()),
        ..Context::default()
    };
    if args.paths.is_empty() {
        return report_from_quoted_lines(args, inquiry, &catalog, &context);
    }
    let run = |month: Option<Month>| {
        check::check(&catalog, &args.paths, args.account.clone(), &context(month))
    };
    let asked = args.month.or(inquiry.month);
    if asked.is_some() {
        return run(asked).map_err(|err| month_refusal(err, asked, args.month.is_some()));
    }
    let latest = run(None)?;
    match inquiry.month_mention {
        Some(MonthMention::Named(number)) => {
            let placed = MonthMention::Named(number).resolve(Some(latest.month));
            if placed == Some(latest.month) {
                return Ok(latest);
            }
            run(placed).map_err(|err| month_refusal(err, placed, false))
        }
        _ => Ok(latest),
    }
}

/// Without billing files: the Bills-page lines the customer quoted are the
/// bill of the month they name (or `--month`).
fn report_from_quoted_lines(
    args: &ReplyArgs,
    inquiry: &Inquiry,
    catalog: &Catalog,
    context: &dyn Fn(Option<Month>) -> Context,
) -> anyhow::Result<Report> {
    let source = describe_source(&args.inquiry);
    let lines = ftdesk_io::pasted::parse(&inquiry.body, catalog);
    if lines.is_empty() {
        bail!(
            "nothing to answer from: no billing files were given and the inquiry {source} quotes no line of the Bills page \
             (a description, a quantity with its unit and an amount, e.g. `$0.0116 per On Demand Linux t2.micro Instance Hour  738.000 Hrs  $8.56`); \
             give the billing files or folders after --inquiry"
        );
    }
    let Some(month) = args.month.or(inquiry.month) else {
        bail!(
            "the inquiry {source} quotes lines of the Bills page but names no month with its year; give it with --month YYYY-MM"
        );
    };
    check::check_pasted(catalog, &lines, month, &args.inquiry, &context(None))
}

/// Turns "no rows for that month" into a refusal that names the case's month.
fn month_refusal(err: anyhow::Error, month: Option<Month>, from_flag: bool) -> anyhow::Error {
    let Some(FinishError::MonthNotFound { available, .. }) = err.downcast_ref::<FinishError>()
    else {
        return err;
    };
    let month = month.map(|m| m.to_string()).unwrap_or_default();
    let source = if from_flag {
        "--month asks"
    } else {
        "the customer asks"
    };
    anyhow::anyhow!(
        "cannot answer this case: {source} about {month}, but the billing data covers only {available}; \
         add the billing data for {month}, or choose a month it covers with --month"
    )
}

fn emit(args: &ReplyArgs, reply: &Reply, inquiry: &Inquiry) -> anyhow::Result<()> {
    let out = args.out.as_deref();
    match args.format {
        ReplyFormatArg::Text => {
            let mut text = reply.text.clone();
            if args.with_notes {
                text.push_str(&format!("\n{}\n\n{}", "-".repeat(72), reply.notes));
            }
            output::write(out, &text)
        }
        ReplyFormatArg::Html => {
            let mut html = reply.html.clone();
            if args.with_notes {
                let notes = format!("<hr>\n<pre>{}</pre>\n</body>", escape(&reply.notes));
                html = html.replacen("</body>", &notes, 1);
            }
            output::write(out, &html)
        }
        ReplyFormatArg::Eml => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            let bytes = eml::render(reply, inquiry, &eml::Sender::default(), now)?;
            let text = String::from_utf8(bytes).context("the .eml is 7-bit text")?;
            if args.with_notes {
                eprintln!("{}", reply.notes);
            }
            if text.is_empty() {
                bail!("the .eml message came out empty");
            }
            output::write(out, &text)
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
