//! The take-home case: its billing folder, inquiry and answer key written,
//! and the model reply the grader shows beside the candidate's.

use std::path::Path;

use ftdesk_core::Catalog;
use ftdesk_practice::{CasePlan, CaseTruth, ModelReply};
use ftdesk_reply::Inquiry;

use crate::check::{check, CheckRequest, Scope};
use crate::reply::{draft_reply, ReplyRequest};
use crate::{AppError, Settings};

pub const TRUTH: &str = ".truth.json";
pub const INQUIRY: &str = "inquiry.txt";
pub const ASSIGNMENT: &str = "ASSIGNMENT.txt";

/// Writes the case into the (empty) folder `out`: the billing file the plan
/// says (CUR or Cost Explorer JSON) under `billing/`, the assignment, the
/// inquiry, and the answer key made from `check`'s accounting of that file.
pub fn write_practice_case(
    plan: &CasePlan,
    out: &Path,
    settings: &Settings,
) -> Result<CaseTruth, AppError> {
    let catalog = Catalog::embedded();
    let rows = ftdesk_sample::generate_mix(&catalog, &plan.mix, &format!("case-{}", plan.seed));
    let bill = out.join("billing").join(plan.billing_file());
    write(&bill, &plan.billing_bytes(&rows).map_err(|e| io(&bill, e))?)?;
    let request = CheckRequest {
        paths: vec![bill],
        ..CheckRequest::default()
    };
    let report = check(&catalog, &request, settings)?.report;
    let truth = CaseTruth::from_report(plan, &report);
    let assignment = ftdesk_practice::assignment_text(plan.lang);
    write(&out.join(ASSIGNMENT), assignment.as_bytes())?;
    let inquiry = ftdesk_practice::inquiry_text(plan, &truth);
    write(&out.join(INQUIRY), inquiry.as_bytes())?;
    write(&out.join(TRUTH), truth.to_json().as_bytes())?;
    Ok(truth)
}

/// The reply `ftdesk reply` drafts for the case's inquiry and bill.
pub fn practice_model_reply(
    case: &Path,
    truth: &CaseTruth,
    settings: &Settings,
) -> Result<ModelReply, AppError> {
    let inquiry_path = case.join(INQUIRY);
    let bytes = std::fs::read(&inquiry_path).map_err(|e| io(&inquiry_path, e))?;
    let inquiry = Inquiry::parse(&bytes).map_err(AppError::Message)?;
    let request = ReplyRequest {
        inquiry,
        inquiry_path,
        paths: vec![case.join(&truth.billing)],
        scope: Scope {
            month: truth.month.parse().ok(),
            ..Scope::default()
        },
        lang: Some(truth.lang()),
        templates: None,
        settle_month: true,
        limits: Default::default(),
    };
    let reply = draft_reply(&Catalog::embedded(), request, settings)?.reply;
    Ok(ModelReply {
        text: reply.text,
        notes: reply.notes,
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| io(path, e))
}

fn io(path: &Path, source: std::io::Error) -> AppError {
    AppError::Io {
        path: path.to_path_buf(),
        source,
    }
}
