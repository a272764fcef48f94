//! The take-home case: its billing folder, inquiry and answer key written,
//! and the model reply the grader shows beside the candidate's.

use std::path::{Path, PathBuf};

use ftdesk_core::Catalog;
use ftdesk_practice::{CasePlan, CaseTruth, ModelReply};
use ftdesk_reply::Inquiry;

use crate::check::{check, CheckRequest, Scope};
use crate::reply::{draft_reply, ReplyRequest};
use crate::{AppError, Settings};

/// Where cases written before the key moved out of the folder keep it.
pub const OLD_TRUTH: &str = ".truth.json";
pub const INQUIRY: &str = "inquiry.txt";
pub const ASSIGNMENT: &str = "ASSIGNMENT.txt";

/// The answer key of the case folder `case`: beside it as `<case>.key.json`,
/// so a candidate who reads the folder does not open it by accident.
pub fn key_path(case: &Path) -> PathBuf {
    let name = case
        .file_name()
        .map_or_else(|| "case".into(), |n| n.to_string_lossy().into_owned());
    case.with_file_name(format!("{name}.key.json"))
}

/// Writes the case into the (empty) folder `out`: the billing file the plan
/// says (CUR or Cost Explorer JSON) under `billing/`, the assignment and the
/// inquiry; and beside it, at [`key_path`], the answer key made from `check`'s
/// accounting of that file.
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
    write(&key_path(out), truth.to_json().as_bytes())?;
    Ok(truth)
}

/// The answer key of the case folder `case`: `key` when given, else the one
/// beside the folder, else the one inside it that older cases have.
pub fn read_case_key(case: &Path, key: Option<&Path>) -> Result<CaseTruth, AppError> {
    if !case.is_dir() {
        return Err(AppError::NoCase {
            case: case.to_path_buf(),
        });
    }
    let beside = key_path(&case.canonicalize().map_err(|e| io(case, e))?);
    let path = match key {
        Some(key) => key.to_path_buf(),
        None if !beside.exists() && case.join(OLD_TRUTH).exists() => case.join(OLD_TRUTH),
        None => beside,
    };
    let text = std::fs::read_to_string(&path).map_err(|source| AppError::NoKey {
        path: path.clone(),
        source,
    })?;
    CaseTruth::from_json(&text).map_err(|source| AppError::BadKey { path, source })
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
        aws: Default::default(),
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
