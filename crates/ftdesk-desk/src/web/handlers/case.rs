//! A case: its page, report, attachments, draft, reply, status, assignment and notes.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::{context, Value};
use serde::Deserialize;

use super::{
    amount_text, blocking, internal, lang_of, status_label, status_labels, utc, AppState, Page,
};
use crate::{service, CaseStatus, DeskError, Outgoing, SendRefusal, Session};

fn case_id(state: &AppState, session: &Session, id: &str) -> Result<i64, Response> {
    let found = id
        .parse::<i64>()
        .ok()
        .map(|id| state.store.queue().case(id).map(|c| c.map(|c| c.id)))
        .transpose()
        .map_err(internal)?
        .flatten();
    found.ok_or_else(|| state.not_found(session))
}

/// What the case page shows beside the stored case: a notice or error, and
/// the draft as the associate last submitted it.
#[derive(Default)]
struct CaseExtras {
    notice: Option<String>,
    error: Option<String>,
    status: Option<StatusCode>,
}

fn case_view(state: &AppState, session: &Session, id: i64, extras: CaseExtras) -> Page {
    let lang = lang_of(&session.user.lang);
    let store = &state.store;
    let case = store
        .queue()
        .case(id)
        .map_err(internal)?
        .ok_or_else(|| state.not_found(session))?;
    let messages = store.messages().of_case(id).map_err(internal)?;
    let draft = store.messages().draft(id).map_err(internal)?;
    let inquiry = service::inquiry_text(&messages);
    let unsupported = draft
        .as_ref()
        .map(|d| service::unsupported_figures(&case, d, &inquiry))
        .unwrap_or_default();
    let draft_lang = draft.as_ref().map_or(case.lang.clone(), |d| d.lang.clone());
    let modules = store.modules().list(Some(&draft_lang)).map_err(internal)?;
    let comments: Vec<Value> = store
        .queue()
        .comments(id)
        .map_err(internal)?
        .iter()
        .map(|c| context! { when => utc(c.created_at), ..Value::from_serialize(c) })
        .collect();
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| {
            context! {
                when => utc(m.created_at),
                state_label => state.words.get(lang, &format!("case-state-{}", m.state)),
                ..Value::from_serialize(m)
            }
        })
        .collect();
    let linked_from = store.queue().linked_from(id).map_err(internal)?;
    let users = store.people().users().map_err(internal)?;
    let now = state.now();
    let send_key = store.messages().mint_send_key(id, now).map_err(internal)?;
    let ctx = context! {
        case => Value::from_serialize(&case),
        status_label => status_label(state, lang, case.status),
        amount_text => amount_text(case.amount.as_deref(), case.currency.as_deref()),
        due_text => utc(case.first_response_due),
        overdue => case.overdue(now),
        messages,
        draft_subject => draft.as_ref().map_or_else(|| crate::reply_subject(&case.subject), |d| d.subject.clone()),
        draft_body => draft.as_ref().map(|d| d.body.clone()).unwrap_or_default(),
        draft_lang,
        notes => draft.as_ref().map(|d| d.notes.clone()).unwrap_or_default(),
        unsupported,
        modules => Value::from_serialize(&modules),
        comments,
        linked_from => Value::from_serialize(&linked_from),
        users => Value::from_serialize(&users),
        statuses => status_labels(state, lang),
        send_key,
        notice => extras.notice,
        error => extras.error,
        ..state.base(session, format!("#{} {}", case.id, case.subject))
    };
    Ok(state.render(
        extras.status.unwrap_or(StatusCode::OK),
        "case.html",
        lang,
        ctx,
    ))
}

pub async fn case_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        let id = case_id(&state, &session, &id)?;
        state
            .store
            .audit()
            .record(
                Some(session.user.id),
                "case-viewed",
                Some(id),
                "",
                state.now(),
            )
            .map_err(internal)?;
        case_view(&state, &session, id, CaseExtras::default())
    })
    .await
}

pub async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        let id = case_id(&state, &session, &id)?;
        let html = state
            .store
            .queue()
            .report_html(id)
            .map_err(internal)?
            .ok_or_else(|| state.not_found(&session))?;
        Ok((
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CONTENT_SECURITY_POLICY, REPORT_POLICY),
            ],
            html,
        )
            .into_response())
    })
    .await
}

/// The report is a page ftdesk renders itself, with inline styles and SVG charts.
const REPORT_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

pub async fn attachment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, file)): Path<(String, i64)>,
) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        let id = case_id(&state, &session, &id)?;
        let (record, data) = state
            .store
            .messages()
            .attachment(id, file)
            .map_err(internal)?
            .ok_or_else(|| state.not_found(&session))?;
        state
            .store
            .audit()
            .record(
                Some(session.user.id),
                "attachment-downloaded",
                Some(id),
                &record.filename,
                state.now(),
            )
            .map_err(internal)?;
        let name: String = record
            .filename
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        Ok((
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            data,
        )
            .into_response())
    })
    .await
}

#[derive(Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    module: Option<i64>,
    #[serde(default)]
    confirm_figures: Option<String>,
    /// The one-time key the case page carried (sending only).
    #[serde(default)]
    send_key: String,
}

pub async fn save_draft(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DraftForm>,
) -> Page {
    blocking(move || {
        let session = state.form_session(&headers, &form.csrf)?;
        let id = case_id(&state, &session, &id)?;
        state
            .store
            .messages()
            .save_draft(id, &form.body, &session.user, state.now())
            .map_err(internal)?;
        let notice = Some(state.words.get(lang_of(&session.user.lang), "case-saved"));
        case_view(
            &state,
            &session,
            id,
            CaseExtras {
                notice,
                ..CaseExtras::default()
            },
        )
    })
    .await
}

pub async fn insert_module(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DraftForm>,
) -> Page {
    blocking(move || {
        let session = state.form_session(&headers, &form.csrf)?;
        let id = case_id(&state, &session, &id)?;
        let case = state
            .store
            .queue()
            .case(id)
            .map_err(internal)?
            .ok_or_else(|| internal("case vanished"))?;
        let modules = state.store.modules().list(None).map_err(internal)?;
        let module = modules.iter().find(|m| Some(m.id) == form.module);
        let mut body = form.body.replace("\r\n", "\n");
        if let Some(module) = module {
            let amount = amount_text(case.amount.as_deref(), case.currency.as_deref());
            let text = service::fill_text_module(&module.body, &case, &amount);
            body = format!("{}\n\n{text}\n", body.trim_end());
        }
        state
            .store
            .messages()
            .save_draft(id, &body, &session.user, state.now())
            .map_err(internal)?;
        case_view(&state, &session, id, CaseExtras::default())
    })
    .await
}

/// A reply recorded as sending, ready to go to the SMTP server.
struct ReadyToSend {
    session: Session,
    id: i64,
    smtp_out: crate::SmtpOut,
    outgoing: Outgoing,
    row: i64,
}

/// Sends the draft: the database work on the blocking pool before and after,
/// the delivery in its own task (see [`deliver`]).
pub async fn send(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DraftForm>,
) -> Page {
    let ready = {
        let state = state.clone();
        blocking(move || begin_sending(&state, &headers, &id, &form)).await?
    };
    let ready = match ready {
        Ok(ready) => ready,
        Err(refused) => return Ok(refused),
    };
    let user_id = ready.session.user.id;
    let failed = deliver(
        &state,
        ready.smtp_out.clone(),
        ready.outgoing.clone(),
        ready.row,
        user_id,
    )
    .await
    .map_err(internal)?;
    blocking(move || sent_view(&state, &ready, failed)).await
}

fn send_refused(
    state: &AppState,
    session: &Session,
    id: i64,
    error: String,
    status: StatusCode,
) -> Result<Result<ReadyToSend, Response>, Response> {
    let extras = CaseExtras {
        error: Some(error),
        status: Some(status),
        ..CaseExtras::default()
    };
    case_view(state, session, id, extras).map(Err)
}

/// Checks the send and records the reply as sending; `Ok(Err(page))` when refused.
fn begin_sending(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    form: &DraftForm,
) -> Result<Result<ReadyToSend, Response>, Response> {
    let session = state.form_session(headers, &form.csrf)?;
    let lang = lang_of(&session.user.lang);
    let id = case_id(state, &session, id)?;
    let store = state.store.clone();
    store
        .messages()
        .save_draft(id, &form.body, &session.user, state.now())
        .map_err(internal)?;
    let refuse = |error: String, status| send_refused(state, &session, id, error, status);
    let Some(smtp_out) = state.config.smtp_out.clone() else {
        return refuse(state.words.get(lang, "case-no-smtp"), StatusCode::CONFLICT);
    };
    let case = store
        .queue()
        .case(id)
        .map_err(internal)?
        .ok_or_else(|| internal("case vanished"))?;
    let draft = store
        .messages()
        .draft(id)
        .map_err(internal)?
        .ok_or_else(|| internal("draft vanished"))?;
    let messages = store.messages().of_case(id).map_err(internal)?;
    let inquiry = service::inquiry_text(&messages);
    let unsupported = service::unsupported_figures(&case, &draft, &inquiry);
    if !unsupported.is_empty() && form.confirm_figures.is_none() {
        let error = format!(
            "{} {}",
            state.words.get(lang, "case-figures-warning"),
            unsupported.join(", ")
        );
        return refuse(error, StatusCode::CONFLICT);
    }
    let Some(to) = case.customer.clone() else {
        return refuse(
            "the case has no customer address".into(),
            StatusCode::CONFLICT,
        );
    };
    let mail_from = &state.config.mail_from;
    let outgoing = service::compose_reply(
        &store,
        mail_from,
        &case,
        &draft,
        &to,
        session.user.id,
        state.now(),
    )
    .map_err(internal)?;
    let began = store
        .messages()
        .begin_send(&outgoing, &form.send_key, state.now());
    let row = match began.map_err(internal)? {
        Ok(row) => row,
        Err(refusal) => {
            let why = match refusal {
                SendRefusal::KeyUsed => "case-send-twice",
                SendRefusal::InFlight => "case-send-in-flight",
            };
            return refuse(state.words.get(lang, why), StatusCode::CONFLICT);
        }
    };
    Ok(Ok(ReadyToSend {
        session,
        id,
        smtp_out,
        outgoing,
        row,
    }))
}

/// The case after a send: sent, or why the server refused it.
fn sent_view(state: &AppState, ready: &ReadyToSend, failed: Option<String>) -> Page {
    let lang = lang_of(&ready.session.user.lang);
    let extras = match failed {
        None => CaseExtras {
            notice: Some(state.words.get(lang, "case-sent")),
            ..CaseExtras::default()
        },
        Some(e) => CaseExtras {
            error: Some(format!("{} {e}", state.words.get(lang, "case-send-failed"))),
            status: Some(StatusCode::BAD_GATEWAY),
            ..CaseExtras::default()
        },
    };
    case_view(state, &ready.session, ready.id, extras)
}

/// Hands a reply recorded as sending to the SMTP server and records the
/// outcome (`Some(error)` when refused). It runs in its own task holding a
/// send slot, so neither a closed browser, a request timeout nor a stopping
/// desk cuts it short.
async fn deliver(
    state: &AppState,
    smtp_out: crate::SmtpOut,
    outgoing: Outgoing,
    row: i64,
    user_id: i64,
) -> Result<Option<String>, String> {
    let slot = state
        .sends
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| e.to_string())?;
    let (store, clock) = (state.store.clone(), state.clock.clone());
    let task = tokio::task::spawn_blocking(move || {
        let delivered = service::deliver(&store, &smtp_out, &outgoing, row, user_id, &*clock);
        drop(slot);
        delivered.map_err(|e| e.to_string())
    });
    task.await.map_err(|e| e.to_string())?
}

/// After a change on a case: back to it, or the case again with the reason
/// the change was refused (422).
fn back_to_case(
    state: &AppState,
    session: &Session,
    id: i64,
    changed: Result<(), DeskError>,
) -> Page {
    match changed {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(DeskError::Invalid(e)) => case_view(
            state,
            session,
            id,
            CaseExtras {
                error: Some(e),
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                ..CaseExtras::default()
            },
        ),
        Err(e) => Err(internal(e)),
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Page {
    change_case(state, headers, id, form.csrf, move |state, session, id| {
        let status = form.status.parse::<CaseStatus>()?;
        let queue = state.store.queue();
        queue.set_status(id, status, &session.user, state.now())
    })
    .await
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    assignee: String,
}

pub async fn assign(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<AssignForm>,
) -> Page {
    change_case(state, headers, id, form.csrf, move |state, session, id| {
        let assignee = Some(form.assignee.as_str());
        let queue = state.store.queue();
        queue.assign(id, assignee, &session.user, state.now())
    })
    .await
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
}

pub async fn add_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Page {
    change_case(state, headers, id, form.csrf, move |state, session, id| {
        let queue = state.store.queue();
        queue.add_comment(id, &form.body, &session.user, state.now())
    })
    .await
}

/// A form that changes one case: the session and its CSRF token checked,
/// the case looked up, `change` made, then back to the case.
async fn change_case(
    state: AppState,
    headers: HeaderMap,
    id: String,
    csrf: String,
    change: impl FnOnce(&AppState, &Session, i64) -> Result<(), DeskError> + Send + 'static,
) -> Page {
    blocking(move || {
        let session = state.form_session(&headers, &csrf)?;
        let id = case_id(&state, &session, &id)?;
        let changed = change(&state, &session, id);
        back_to_case(&state, &session, id, changed)
    })
    .await
}

#[cfg(test)]
mod tests;
