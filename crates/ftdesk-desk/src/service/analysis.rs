//! A case's analysis: the analyst run on its billing files, the result kept on the case.

use std::path::{Path, PathBuf};

use crate::{mail, Analysis, Analyst, DeskError, Intake, Store};

/// Runs the analyst on a stored message's billing attachments (or, on a new
/// case without any, on the Bills-page lines its message quotes) and keeps
/// the report and the draft on its case. A failure is kept as the case's analysis error.
pub fn analyse(
    store: &Store,
    analyst: &dyn Analyst,
    intake: Intake,
    now: i64,
) -> Result<(), DeskError> {
    let inbox = store.inbox();
    let (raw, files) = inbox.analysis_input(intake.message_row)?;
    let from_quoted_lines = intake.new_case && analyst.quotes_bill(&raw);
    if files.is_empty() && !from_quoted_lines {
        if intake.new_case {
            inbox.mark_no_data(intake.case_id)?;
        }
        return Ok(());
    }
    inbox.count_attempt(intake.case_id)?;
    let result = analyse_files(analyst, &raw, &files)?;
    inbox.keep_analysis(intake.case_id, result, now)
}

/// Marks failed each case whose analysis started `max_attempts` times and
/// never ended (it stopped the desk each time), so one poisoned message
/// cannot crash the desk at every start; returns those cases.
pub fn give_up_crashed_analyses(
    store: &Store,
    max_attempts: u32,
    now: i64,
) -> Result<Vec<i64>, DeskError> {
    let inbox = store.inbox();
    let cases = inbox.stalled_analyses(max_attempts)?;
    for case in &cases {
        let why = format!(
            "the analysis started {max_attempts} times and the desk stopped during each \
             (the data may crash it); it is not tried again"
        );
        inbox.keep_analysis(*case, Err(why), now)?;
    }
    Ok(cases)
}

/// Analyses first, then stores (uploads and `desk import`): billing data that
/// cannot be read is refused with the analyst's sentence and nothing is stored.
/// Without billing data the case is stored and marked as having none.
pub fn intake_checked(
    store: &Store,
    analyst: &dyn Analyst,
    raw: &[u8],
    extra: &[mail::Attachment],
    now: i64,
) -> Result<Intake, DeskError> {
    let mut billing = mail::parse(raw)?.attachments;
    billing.extend(extra.iter().cloned());
    billing.retain(mail::Attachment::is_billing_data);
    let analysis = match billing.is_empty() {
        true => None,
        false => Some(analyse_files(analyst, raw, &billing)?.map_err(DeskError::Invalid)?),
    };
    let intake = store.inbox().receive(raw, extra, now)?;
    if intake.duplicate {
        return Ok(intake);
    }
    match analysis {
        Some(analysis) => store
            .inbox()
            .keep_analysis(intake.case_id, Ok(analysis), now)?,
        None => analyse(store, analyst, intake, now)?,
    }
    Ok(intake)
}

/// Writes the files to a temporary folder and runs the analyst on them; its
/// error names the attachment, not the temporary path.
fn analyse_files(
    analyst: &dyn Analyst,
    raw: &[u8],
    files: &[mail::Attachment],
) -> Result<Result<Analysis, String>, DeskError> {
    let dir = tempfile::tempdir().map_err(|source| DeskError::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let mut paths = Vec::new();
    for (index, file) in files.iter().enumerate() {
        // A numbered folder per file keeps two attachments of one name apart.
        let folder = dir.path().join(index.to_string());
        let path = folder.join(&file.filename);
        std::fs::create_dir_all(&folder)
            .and_then(|()| std::fs::write(&path, &file.data))
            .map_err(|source| DeskError::Io {
                path: path.clone(),
                source,
            })?;
        paths.push(path);
    }
    Ok(analyst.analyse(raw, &paths).map_err(|e| {
        let mut e = e.sentence();
        for (path, file) in paths.iter().zip(files) {
            e = e.replace(
                &path.display().to_string(),
                &format!("attachment {}", file.filename),
            );
        }
        e
    }))
}

/// Reads billing files given on the command line as attachments of an imported case.
pub fn files_as_attachments(paths: &[PathBuf]) -> Result<Vec<mail::Attachment>, DeskError> {
    let mut files = Vec::new();
    for path in paths {
        collect_files(path, &mut files)?;
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let data = std::fs::read(&path).map_err(|source| DeskError::Io {
                path: path.clone(),
                source,
            })?;
            Ok(mail::Attachment {
                filename: mail::safe_filename(
                    &path.file_name().unwrap_or_default().to_string_lossy(),
                ),
                content_type: "application/octet-stream".to_owned(),
                data,
            })
        })
        .collect()
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), DeskError> {
    let io = |source| DeskError::Io {
        path: path.to_owned(),
        source,
    };
    if path.is_dir() {
        for entry in std::fs::read_dir(path).map_err(io)? {
            collect_files(&entry.map_err(io)?.path(), out)?;
        }
    } else {
        std::fs::metadata(path).map_err(io)?;
        out.push(path.to_owned());
    }
    Ok(())
}
