//! `draft_reply`: the one place a reply is drafted, for `ftdesk reply`, the
//! practice case's model answer and the desk.

use std::path::{Path, PathBuf};

use ftdesk_core::{Catalog, Month, Report};
use ftdesk_reply::{Inquiry, Lang, MonthMention, Reply, Templates};

use crate::check::{check, CheckRequest, Scope};
use crate::notes::ReadingNote;
use crate::{AppError, Settings};

#[derive(Debug, Clone)]
pub struct ReplyRequest {
    pub inquiry: Inquiry,
    /// Where the inquiry came from (`-` for standard input), for messages.
    pub inquiry_path: PathBuf,
    /// The billing data; none when the inquiry quotes the Bills page.
    pub paths: Vec<PathBuf>,
    /// `scope.month` is the month asked for outright (`--month`).
    pub scope: Scope,
    /// The reply's language; `None` for the customer's.
    pub lang: Option<Lang>,
    /// A folder of templates overriding the built-in ones.
    pub templates: Option<PathBuf>,
    /// The case is known to be about the report's month: the inquiry is
    /// taken as naming it (the practice case's model answer).
    pub settle_month: bool,
    /// Caps on each billing file (see [`CheckRequest::limits`]).
    pub limits: ftdesk_io::ReadLimits,
    /// The profile and region for `s3://` paths.
    pub aws: ftdesk_aws::AwsOptions,
}

#[derive(Debug)]
pub struct Drafted {
    pub report: Report,
    pub reply: Reply,
    /// The inquiry, its month placed against the data.
    pub inquiry: Inquiry,
    pub notes: Vec<ReadingNote>,
}

/// Why a case cannot be answered.
#[derive(Debug, thiserror::Error)]
pub enum ReplyRefusal {
    #[error(
        "nothing to answer from: no billing files were given and the inquiry {inquiry} quotes no line of the Bills page \
         (a description, a quantity with its unit and an amount, e.g. `$0.0116 per On Demand Linux t2.micro Instance Hour  738.000 Hrs  $8.56`); \
         give the billing files or folders after --inquiry"
    )]
    NothingQuoted { inquiry: String },
    #[error(
        "the inquiry {inquiry} quotes lines of the Bills page but names no month with its year; give it with --month YYYY-MM"
    )]
    NoMonth { inquiry: String },
    #[error(
        "cannot answer this case: {asker} about {month}, but the billing data covers only {available}; \
         add the billing data for {month}, or choose a month it covers with --month"
    )]
    MonthNotCovered {
        asker: &'static str,
        month: String,
        available: String,
    },
}

/// The report for the case, and the reply drafted from it.
pub fn draft_reply(
    catalog: &Catalog,
    request: ReplyRequest,
    settings: &Settings,
) -> Result<Drafted, AppError> {
    let (report, notes) = report_for(catalog, &request, settings)?;
    let mut inquiry = request.inquiry;
    if request.settle_month {
        inquiry.month = Some(report.month);
        inquiry.month_mention = None;
    } else {
        place_month(&mut inquiry, &report);
    }
    let lang = request.lang.unwrap_or(inquiry.lang);
    let templates = Templates::load(lang, request.templates.as_deref())?;
    let reply = ftdesk_reply::compose(&report, &inquiry, &templates);
    Ok(Drafted {
        report,
        reply,
        inquiry,
        notes,
    })
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

/// How messages name the inquiry's source.
pub fn describe_inquiry(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "on standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

/// The report for the month the case is about: the month asked for, else
/// the month the customer names, else the latest month in the data.
fn report_for(
    catalog: &Catalog,
    request: &ReplyRequest,
    settings: &Settings,
) -> Result<(Report, Vec<ReadingNote>), AppError> {
    if request.paths.is_empty() {
        return Ok((report_from_quoted_lines(catalog, request)?, Vec::new()));
    }
    let run = |month: Option<Month>| {
        let scope = Scope {
            month,
            ..request.scope.clone()
        };
        let request = CheckRequest {
            paths: request.paths.clone(),
            scope,
            api: None,
            limits: request.limits,
            aws: request.aws.clone(),
        };
        check(catalog, &request, settings).map(|c| (c.report, c.notes))
    };
    let flagged = request.scope.month.is_some();
    let asked = request.scope.month.or(request.inquiry.month);
    if asked.is_some() {
        return run(asked).map_err(|err| month_refusal(err, asked, flagged));
    }
    let (latest, notes) = run(None)?;
    match request.inquiry.month_mention {
        Some(MonthMention::Named(number)) => {
            let placed = MonthMention::Named(number).resolve(Some(latest.month));
            if placed == Some(latest.month) {
                return Ok((latest, notes));
            }
            run(placed).map_err(|err| month_refusal(err, placed, false))
        }
        _ => Ok((latest, notes)),
    }
}

/// Without billing files: the Bills-page lines the customer quoted are the
/// bill of the month they name (or the month asked for).
fn report_from_quoted_lines(catalog: &Catalog, request: &ReplyRequest) -> Result<Report, AppError> {
    let inquiry = describe_inquiry(&request.inquiry_path);
    let lines = ftdesk_io::pasted::parse(&request.inquiry.body, catalog);
    if lines.is_empty() {
        return Err(ReplyRefusal::NothingQuoted { inquiry }.into());
    }
    let Some(month) = request.scope.month.or(request.inquiry.month) else {
        return Err(ReplyRefusal::NoMonth { inquiry }.into());
    };
    let scope = Scope {
        month: None,
        ..request.scope.clone()
    };
    crate::pasted::check_pasted(catalog, &lines, month, &request.inquiry_path, &scope, None)
}

/// Turns "no rows for that month" into a refusal that names the case's month.
fn month_refusal(err: AppError, month: Option<Month>, from_flag: bool) -> AppError {
    let Some(available) = err.month_not_found() else {
        return err;
    };
    ReplyRefusal::MonthNotCovered {
        asker: if from_flag {
            "--month asks"
        } else {
            "the customer asks"
        },
        month: month.map(|m| m.to_string()).unwrap_or_default(),
        available: available.to_owned(),
    }
    .into()
}
