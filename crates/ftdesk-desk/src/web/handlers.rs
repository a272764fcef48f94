//! One function per page or form.

// A refusal is an HTTP response (login redirect, 403 page), returned early
// with `?`; boxing each one would only add noise on a path taken once per request.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use ftdesk_render::Lang;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::multipart;
use super::words::lang_of;
use super::{utc, AppState};
use crate::{
    figures, mail, now, secret, DeskError, Outgoing, QueueFilter, SendRefusal, Session, QUEUE_PAGE,
    STATUSES,
};

const SESSION_COOKIE: &str = "desk_session";
const LOGIN_COOKIE: &str = "desk_login";

/// What a handler returns: a page, or a page explaining why not.
type Page = Result<Response, Response>;

/// Runs a handler's work, which reads and writes the database, on the
/// blocking pool, so a slow query or a held lock never stalls the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Response> + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(work).await.map_err(internal)?
}

// --- plumbing --------------------------------------------------------------

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A cookie's name: `__Host-` prefixed when the browser came over https (a
/// trusted proxy says so), which binds it to this host, path `/` and https.
/// Over plain http (local use) browsers refuse that prefix, so it is left off.
fn cookie_name(state: &AppState, headers: &HeaderMap, name: &str) -> String {
    if super::limits::over_https(&state.config.limits, headers) {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

fn set_cookie(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age: i64,
) -> String {
    let https = super::limits::over_https(&state.config.limits, headers);
    let secure = if state.config.secure_cookies || https {
        "; Secure"
    } else {
        ""
    };
    let name = cookie_name(state, headers, name);
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The session token the browser presented.
fn session_token<'a>(state: &AppState, headers: &'a HeaderMap) -> Option<&'a str> {
    cookie(headers, &cookie_name(state, headers, SESSION_COOKIE))
}

/// A response that sets the session cookie.
fn with_session_cookie(
    state: &AppState,
    headers: &HeaderMap,
    mut response: Response,
    token: &str,
) -> Response {
    let value = set_cookie(
        state,
        headers,
        SESSION_COOKIE,
        token,
        crate::SESSION_SECONDS,
    );
    if let Ok(value) = value.parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!("desk: {e}");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error; see the desk's log",
    )
        .into_response()
}

impl AppState {
    fn render(&self, status: StatusCode, name: &str, lang: Lang, ctx: Value) -> Response {
        let t = Value::from_serialize(self.words.table(lang));
        let ctx = context! { t => t, lang => lang.code(), ..ctx };
        match self
            .templates
            .get_template(name)
            .and_then(|tpl| tpl.render(ctx))
        {
            Ok(html) => (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html,
            )
                .into_response(),
            Err(e) => internal(format!("template {name}: {e:#}")),
        }
    }

    /// A short page with a title only: refusals and errors.
    fn message(
        &self,
        status: StatusCode,
        session: Option<&Session>,
        lang: Lang,
        id: &str,
    ) -> Response {
        let title = self.words.get(lang, id);
        let (user, csrf) = match session {
            Some(s) => (Value::from_serialize(&s.user), s.csrf.clone()),
            None => (Value::UNDEFINED, String::new()),
        };
        self.render(status, "message.html", lang, context! { title, user, csrf })
    }

    /// The "not found" page, in the session's language.
    fn not_found(&self, session: &Session) -> Response {
        let lang = lang_of(&session.user.lang);
        self.message(StatusCode::NOT_FOUND, Some(session), lang, "not-found")
    }

    /// The logged-in session, or a redirect: to the login page, or to Settings
    /// while the account is still on its one-time password.
    fn session(&self, headers: &HeaderMap) -> Result<Session, Response> {
        let session = self.any_session(headers)?;
        if session.user.must_change_password {
            return Err(Redirect::to("/settings").into_response());
        }
        Ok(session)
    }

    /// The logged-in session, even on a one-time password (Settings, logout).
    fn any_session(&self, headers: &HeaderMap) -> Result<Session, Response> {
        let found = session_token(self, headers)
            .map(|token| self.store.session(token, now()))
            .transpose()
            .map_err(internal)?
            .flatten();
        found.ok_or_else(|| Redirect::to("/login").into_response())
    }

    /// The session of a form post whose CSRF token matches.
    fn form_session(&self, headers: &HeaderMap, csrf: &str) -> Result<Session, Response> {
        let session = self.session(headers)?;
        self.check_csrf(&session, csrf)?;
        Ok(session)
    }

    /// As [`AppState::form_session`], even on a one-time password.
    fn any_form_session(&self, headers: &HeaderMap, csrf: &str) -> Result<Session, Response> {
        let session = self.any_session(headers)?;
        self.check_csrf(&session, csrf)?;
        Ok(session)
    }

    /// Refuses (403, audited) a form whose CSRF token is not the session's.
    fn check_csrf(&self, session: &Session, csrf: &str) -> Result<(), Response> {
        if !secret::same(csrf, &session.csrf) {
            self.store
                .audit(Some(session.user.id), "csrf-refused", None, "", now())
                .map_err(internal)?;
            let lang = lang_of(&session.user.lang);
            return Err(self.message(StatusCode::FORBIDDEN, Some(session), lang, "csrf-refused"));
        }
        Ok(())
    }

    fn lead(&self, session: &Session) -> Result<(), Response> {
        if session.user.is_lead() {
            return Ok(());
        }
        let _ = self
            .store
            .audit(Some(session.user.id), "forbidden", None, "lead page", now());
        Err(self.message(
            StatusCode::FORBIDDEN,
            Some(session),
            lang_of(&session.user.lang),
            "forbidden",
        ))
    }

    fn base(&self, session: &Session, title: String) -> Value {
        context! { user => Value::from_serialize(&session.user), csrf => session.csrf.clone(), title }
    }
}

fn status_labels(state: &AppState, lang: Lang) -> Vec<Value> {
    STATUSES
        .iter()
        .map(|code| context! { code => *code, label => state.words.get(lang, &format!("status-{code}")) })
        .collect()
}

fn amount_text(amount: Option<&str>, currency: Option<&str>) -> String {
    match (amount, currency) {
        (Some(a), Some("USD") | None) => format!("${a}"),
        (Some(a), Some(c)) => format!("{a} {c}"),
        (None, _) => String::new(),
    }
}

// --- login -----------------------------------------------------------------

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    login_form(&state, &headers, StatusCode::OK, None)
}

fn login_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let token = secret::token(16);
    let title = state.words.get(Lang::En, "login-title");
    let mut page = state.render(
        status,
        "login.html",
        Lang::En,
        context! { title, login_csrf => token.clone(), error },
    );
    if let Ok(value) = set_cookie(state, headers, LOGIN_COOKIE, &token, 3600).parse() {
        page.headers_mut().append(header::SET_COOKIE, value);
    }
    page
}

/// A refusal the client should retry after `seconds`.
fn retry_after(mut response: Response, seconds: i64) -> Response {
    if let Ok(value) = seconds.to_string().parse() {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Checks a password within the limits: a budget of failures per client
/// address (429) and a cap on checks at once (503). A wrong password, a locked
/// account and an unknown one get the same answer.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = cookie(&headers, &cookie_name(&state, &headers, LOGIN_COOKIE)).unwrap_or("");
    if expected.is_empty() || !secret::same(&form.csrf, expected) {
        let error = state.words.get(Lang::En, "login-expired");
        return login_form(&state, &headers, StatusCode::FORBIDDEN, Some(error));
    }
    let limits = &state.login_limits;
    let client = super::limits::client_address(&state.config.limits, &extensions, &headers);
    if let Err(wait) = limits.take(client, now()) {
        let error = state.words.get(Lang::En, "login-too-many");
        let page = login_form(&state, &headers, StatusCode::TOO_MANY_REQUESTS, Some(error));
        return retry_after(page, wait);
    }
    let Some(slot) = limits.check_slot() else {
        limits.give_back(client);
        let error = state.words.get(Lang::En, "login-busy");
        let page = login_form(
            &state,
            &headers,
            StatusCode::SERVICE_UNAVAILABLE,
            Some(error),
        );
        return retry_after(page, 1);
    };
    let store = state.store.clone();
    let (email, password) = (form.email.clone(), form.password.clone());
    let outcome = tokio::task::spawn_blocking(move || {
        let outcome = store.login(&email, &password, now());
        drop(slot);
        outcome
    })
    .await;
    let user = match outcome {
        Ok(Ok(Ok(user))) => user,
        Ok(Ok(Err(_))) => {
            let error = state.words.get(Lang::En, "login-wrong");
            return login_form(&state, &headers, StatusCode::UNAUTHORIZED, Some(error));
        }
        Ok(Err(e)) => return internal(e),
        Err(e) => return internal(e),
    };
    limits.give_back(client);
    let started = blocking(move || start_session(&state, &headers, &user).map_err(internal)).await;
    started.unwrap_or_else(|refused| refused)
}

/// A new session for a login; the one the browser presented (someone else's,
/// perhaps, planted before) ends.
fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    user: &crate::User,
) -> Result<Response, DeskError> {
    if let Some(presented) = session_token(state, headers) {
        state.store.revoke_session(presented)?;
    }
    let token = state.store.create_session(user.id, now())?;
    let home = if user.must_change_password {
        "/settings"
    } else {
        "/"
    };
    let mut response =
        with_session_cookie(state, headers, Redirect::to(home).into_response(), &token);
    if let Ok(value) = set_cookie(state, headers, LOGIN_COOKIE, "", 0).parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Page {
    blocking(move || {
        let session = state.any_form_session(&headers, &form.csrf)?;
        let token = session_token(&state, &headers).unwrap_or("");
        state
            .store
            .end_session(token, session.user.id, now())
            .map_err(internal)?;
        let mut response = Redirect::to("/login").into_response();
        if let Ok(value) = set_cookie(&state, &headers, SESSION_COOKIE, "", 0).parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        Ok(response)
    })
    .await
}

// --- the queue -------------------------------------------------------------

#[derive(Deserialize, Serialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    q: String,
    /// 1 for the first page; anything unreadable is the first page.
    #[serde(default)]
    page: Option<String>,
}

impl QueueQuery {
    fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| (1..=1_000_000).contains(p))
            .unwrap_or(1)
    }

    /// The link to another page of the same filters.
    fn link(&self, page: i64) -> String {
        let mut pairs = vec![
            ("status", self.status.as_str()),
            ("assignee", self.assignee.as_str()),
            ("q", self.q.as_str()),
        ];
        pairs.retain(|(_, value)| !value.is_empty());
        let page = page.to_string();
        pairs.push(("page", &page));
        let query: Vec<String> = pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", query_escape(value)))
            .collect();
        format!("/?{}", query.join("&"))
    }
}

/// Percent-encodes a query-string value (everything but RFC 3986's unreserved characters).
fn query_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<QueueQuery>,
) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        let lang = lang_of(&session.user.lang);
        let page = query.page();
        let filter = QueueFilter {
            status: Some(query.status.clone()).filter(|s| !s.is_empty()),
            assignee: Some(query.assignee.clone()).filter(|s| !s.is_empty()),
            search: Some(query.q.clone()).filter(|s| !s.trim().is_empty()),
            me_id: session.user.id,
            // One row more than a page tells whether there is a next one.
            limit: QUEUE_PAGE + 1,
            offset: (page - 1) * QUEUE_PAGE,
        };
        let now = now();
        let mut rows = state.store.queue(&filter, now).map_err(internal)?;
        let more = rows.len() as i64 > QUEUE_PAGE;
        rows.truncate(QUEUE_PAGE as usize);
        let first = filter.offset + 1;
        let last = filter.offset + rows.len() as i64;
        let rows: Vec<Value> = rows
            .iter()
            .map(|r| {
                let extra = context! {
                    status_label => state.words.get(lang, &format!("status-{}", r.status)),
                    amount_text => amount_text(r.amount.as_deref(), r.currency.as_deref()),
                    due_text => utc(r.first_response_due),
                };
                context! { ..extra, ..Value::from_serialize(r) }
            })
            .collect();
        let users = state.store.users().map_err(internal)?;
        let title = state.words.get(lang, "queue-title");
        let pages = context! {
            first, last,
            previous => (page > 1).then(|| query.link(page - 1)),
            next => more.then(|| query.link(page + 1)),
        };
        let ctx = context! {
            rows, users => Value::from_serialize(&users), filter => Value::from_serialize(&query),
            pages, statuses => status_labels(&state, lang), ..state.base(&session, title)
        };
        Ok(state.render(StatusCode::OK, "queue.html", lang, ctx))
    })
    .await
}

#[cfg(test)]
mod queue_tests {
    use super::*;

    fn query(status: &str, assignee: &str, q: &str, page: Option<&str>) -> QueueQuery {
        QueueQuery {
            status: status.into(),
            assignee: assignee.into(),
            q: q.into(),
            page: page.map(str::to_owned),
        }
    }

    #[test]
    fn page_links_keep_the_filters_escaped() {
        let q = query("open", "ann@example.com", "EBS 스냅샷 & co", Some("2"));
        assert_eq!(q.page(), 2);
        assert_eq!(
            q.link(3),
            "/?status=open&assignee=ann%40example.com&q=EBS%20%EC%8A%A4%EB%83%85%EC%83%B7%20%26%20co&page=3"
        );
        assert_eq!(query("", "", "", None).link(2), "/?page=2");
    }

    #[test]
    fn an_unreadable_page_is_the_first() {
        for page in [
            None,
            Some(""),
            Some("0"),
            Some("-3"),
            Some("x"),
            Some("99999999999"),
        ] {
            assert_eq!(query("", "", "", page).page(), 1, "{page:?}");
        }
    }
}

// --- a case ----------------------------------------------------------------

fn case_id(state: &AppState, session: &Session, id: &str) -> Result<i64, Response> {
    let found = id
        .parse::<i64>()
        .ok()
        .map(|id| state.store.case(id).map(|c| c.map(|c| c.id)))
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
        .case(id)
        .map_err(internal)?
        .ok_or_else(|| state.not_found(session))?;
    let messages = store.messages(id).map_err(internal)?;
    let draft = store.draft(id).map_err(internal)?;
    let inquiry_text: String = messages
        .iter()
        .filter(|m| m.direction == "in")
        .map(|m| m.body.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let unsupported = draft
        .as_ref()
        .map(|d| {
            figures::unsupported(
                &d.body,
                &[
                    case.report_text.as_deref().unwrap_or(""),
                    &d.composed,
                    &inquiry_text,
                ],
            )
        })
        .unwrap_or_default();
    let draft_lang = draft.as_ref().map_or(case.lang.clone(), |d| d.lang.clone());
    let modules = store.text_modules(Some(&draft_lang)).map_err(internal)?;
    let comments: Vec<Value> = store
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
    let users = store.users().map_err(internal)?;
    let now = now();
    let send_key = store.mint_send_key(id, now).map_err(internal)?;
    let overdue = case.first_response_at.is_none()
        && case.status != "solved"
        && case.first_response_due < now;
    let ctx = context! {
        case => Value::from_serialize(&case),
        status_label => state.words.get(lang, &format!("status-{}", case.status)),
        amount_text => amount_text(case.amount.as_deref(), case.currency.as_deref()),
        due_text => utc(case.first_response_due),
        overdue,
        messages,
        draft_subject => draft.as_ref().map_or_else(|| crate::reply_subject(&case.subject), |d| d.subject.clone()),
        draft_body => draft.as_ref().map(|d| d.body.clone()).unwrap_or_default(),
        draft_lang,
        notes => draft.as_ref().map(|d| d.notes.clone()).unwrap_or_default(),
        unsupported,
        modules => Value::from_serialize(&modules),
        comments,
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
            .audit(Some(session.user.id), "case-viewed", Some(id), "", now())
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
            .attachment(id, file)
            .map_err(internal)?
            .ok_or_else(|| state.not_found(&session))?;
        state
            .store
            .audit(
                Some(session.user.id),
                "attachment-downloaded",
                Some(id),
                &record.filename,
                now(),
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
            .save_draft(id, &form.body, &session.user, now())
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
            .case(id)
            .map_err(internal)?
            .ok_or_else(|| internal("case vanished"))?;
        let modules = state.store.text_modules(None).map_err(internal)?;
        let module = modules.iter().find(|m| Some(m.id) == form.module);
        let mut body = form.body.replace("\r\n", "\n");
        if let Some(module) = module {
            let text = module
                .body
                .replace("{customer}", case.customer_name.as_deref().unwrap_or(""))
                .replace("{case}", &format!("#{}", case.id))
                .replace(
                    "{amount}",
                    &amount_text(case.amount.as_deref(), case.currency.as_deref()),
                );
            body = format!("{}\n\n{text}\n", body.trim_end());
        }
        state
            .store
            .save_draft(id, &body, &session.user, now())
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
        .save_draft(id, &form.body, &session.user, now())
        .map_err(internal)?;
    let refuse = |error: String, status| send_refused(state, &session, id, error, status);
    let Some(smtp_out) = state.config.smtp_out.clone() else {
        return refuse(state.words.get(lang, "case-no-smtp"), StatusCode::CONFLICT);
    };
    let case = store
        .case(id)
        .map_err(internal)?
        .ok_or_else(|| internal("case vanished"))?;
    let draft = store
        .draft(id)
        .map_err(internal)?
        .ok_or_else(|| internal("draft vanished"))?;
    let inquiry: String = store
        .messages(id)
        .map_err(internal)?
        .iter()
        .filter(|m| m.direction == "in")
        .map(|m| m.body.clone())
        .collect::<Vec<_>>()
        .join("\n");
    let unsupported = figures::unsupported(
        &draft.body,
        &[
            case.report_text.as_deref().unwrap_or(""),
            &draft.composed,
            &inquiry,
        ],
    );
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
    let outgoing = compose_outgoing(state, &session, &case, &draft, &to).map_err(internal)?;
    let row = match store
        .begin_send(&outgoing, &form.send_key, now())
        .map_err(internal)?
    {
        Ok(row) => row,
        Err(SendRefusal::KeyUsed) => {
            return refuse(
                state.words.get(lang, "case-send-twice"),
                StatusCode::CONFLICT,
            )
        }
        Err(SendRefusal::InFlight) => {
            return refuse(
                state.words.get(lang, "case-send-in-flight"),
                StatusCode::CONFLICT,
            )
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
    let store = state.store.clone();
    let task = tokio::task::spawn_blocking(move || {
        let to = outgoing.recipients.clone();
        let sent = smtp_out
            .relay()
            .and_then(|relay| relay.send_raw(&outgoing.sender, &to, &outgoing.raw))
            .map_err(|e| e.to_string());
        let failed = sent.as_ref().err().cloned();
        let recorded = store.finish_send(row, sent, user_id, now());
        drop(slot);
        recorded.map(|()| failed).map_err(|e| e.to_string())
    });
    task.await.map_err(|e| e.to_string())?
}

fn compose_outgoing(
    state: &AppState,
    session: &Session,
    case: &crate::CaseRecord,
    draft: &crate::Draft,
    to: &str,
) -> Result<Outgoing, DeskError> {
    use mail_builder::headers::address::Address;
    use mail_builder::headers::message_id::MessageId;
    // Every header value again without control characters, whatever the store holds.
    let (in_reply_to, references) = state.store.thread_headers(case.id)?;
    let in_reply_to = in_reply_to.as_deref().map(mail::header_text);
    let references: Vec<String> = references.iter().map(|r| mail::header_text(r)).collect();
    let message_id = format!("desk-{}-{}@ftdesk.desk", case.id, secret::token(8));
    let from = mail::header_text(&state.config.mail_from);
    let (to, name) = (
        mail::header_text(to),
        case.customer_name.as_deref().map(mail::header_text),
    );
    let subject = mail::header_text(&draft.subject);
    let mut builder = mail_builder::MessageBuilder::new()
        .from(Address::new_address(Some("Free Tier Desk"), from.as_str()))
        .to(Address::new_address(name.as_deref(), to.as_str()))
        .subject(subject.as_str())
        .message_id(message_id.as_str())
        .date(now())
        .text_body(draft.body.as_str());
    if let Some(parent) = &in_reply_to {
        builder = builder
            .in_reply_to(parent.as_str())
            .references(MessageId::from(
                references.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            ));
    }
    let raw = builder
        .write_to_vec()
        .map_err(|e| DeskError::Invalid(format!("the reply could not be written: {e}")))?;
    Ok(Outgoing {
        case_id: case.id,
        message_id,
        in_reply_to,
        references,
        sender: from,
        recipients: vec![to],
        subject,
        body: draft.body.clone(),
        raw,
        author_id: session.user.id,
    })
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
    blocking(move || {
        let session = state.form_session(&headers, &form.csrf)?;
        let id = case_id(&state, &session, &id)?;
        let changed = state
            .store
            .set_status(id, &form.status, &session.user, now());
        back_to_case(&state, &session, id, changed)
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
    blocking(move || {
        let session = state.form_session(&headers, &form.csrf)?;
        let id = case_id(&state, &session, &id)?;
        let changed = state
            .store
            .assign(id, Some(form.assignee.as_str()), &session.user, now());
        back_to_case(&state, &session, id, changed)
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
    blocking(move || {
        let session = state.form_session(&headers, &form.csrf)?;
        let id = case_id(&state, &session, &id)?;
        let changed = state
            .store
            .add_comment(id, &form.body, &session.user, now());
        back_to_case(&state, &session, id, changed)
    })
    .await
}

// --- lead pages --------------------------------------------------------------

pub async fn audit(State(state): State<AppState>, headers: HeaderMap) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        state.lead(&session)?;
        let lang = lang_of(&session.user.lang);
        let entries: Vec<Value> = state
            .store
            .audit_log(1000)
            .map_err(internal)?
            .iter()
            .map(|e| context! { when => utc(e.at), ..Value::from_serialize(e) })
            .collect();
        let title = state.words.get(lang, "audit-title");
        Ok(state.render(
            StatusCode::OK,
            "audit.html",
            lang,
            context! { entries, ..state.base(&session, title) },
        ))
    })
    .await
}

pub async fn modules(State(state): State<AppState>, headers: HeaderMap) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        state.lead(&session)?;
        modules_page(&state, &session, None)
    })
    .await
}

fn modules_page(state: &AppState, session: &Session, error: Option<String>) -> Page {
    let lang = lang_of(&session.user.lang);
    let modules = state.store.text_modules(None).map_err(internal)?;
    let title = state.words.get(lang, "modules-title");
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(state.render(status, "modules.html", lang, context! { modules => Value::from_serialize(&modules), error, ..state.base(session, title) }))
}

#[derive(Deserialize)]
pub struct ModuleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    body: String,
}

pub async fn save_module(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ModuleForm>,
) -> Page {
    blocking(move || {
        let session = state.form_session(&headers, &form.csrf)?;
        state.lead(&session)?;
        match state
            .store
            .save_text_module(&form.name, &form.lang, &form.body, &session.user, now())
        {
            Ok(()) => Ok(Redirect::to("/modules").into_response()),
            Err(DeskError::Invalid(e)) => modules_page(&state, &session, Some(e)),
            Err(e) => Err(internal(e)),
        }
    })
    .await
}

pub async fn users(State(state): State<AppState>, headers: HeaderMap) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        state.lead(&session)?;
        users_page(&state, &session, None, None)
    })
    .await
}

/// `created` is a one-time password to show once: `(email, password)`.
fn users_page(
    state: &AppState,
    session: &Session,
    created: Option<(String, String)>,
    error: Option<String>,
) -> Page {
    let lang = lang_of(&session.user.lang);
    let now = now();
    let locked = state.store.locked_accounts(now).map_err(internal)?;
    let users: Vec<Value> = state
        .store
        .users()
        .map_err(internal)?
        .iter()
        .map(|u| {
            let until = locked
                .iter()
                .find(|(id, _)| *id == u.id)
                .map(|(_, t)| utc(*t));
            context! { locked_until => until, ..Value::from_serialize(u) }
        })
        .collect();
    let title = state.words.get(lang, "users-title");
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(state.render(
        status,
        "users.html",
        lang,
        context! { users, created, error, ..state.base(session, title) },
    ))
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

pub async fn add_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<UserForm>,
) -> Page {
    blocking(move || {
        let session = state.form_session(&headers, &form.csrf)?;
        state.lead(&session)?;
        let email = form.email.trim().to_owned();
        match state.store.add_user(&form.email, &form.role, "en", now()) {
            Ok(password) => users_page(&state, &session, Some((email, password)), None),
            Err(DeskError::Invalid(e)) => users_page(&state, &session, None, Some(e)),
            Err(e) => Err(internal(e)),
        }
    })
    .await
}

/// A lead's form about an account: the lead's session and the account's id.
fn lead_on_account(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
    id: &str,
) -> Result<(Session, i64), Response> {
    let session = state.form_session(headers, csrf)?;
    state.lead(&session)?;
    let users = state.store.users().map_err(internal)?;
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|id| users.iter().any(|u| u.id == *id));
    match id {
        Some(id) => Ok((session, id)),
        None => Err(state.not_found(&session)),
    }
}

pub async fn unlock_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Page {
    blocking(move || {
        let (session, id) = lead_on_account(&state, &headers, &form.csrf, &id)?;
        state
            .store
            .unlock(id, Some(&session.user), now())
            .map_err(internal)?;
        Ok(Redirect::to("/users").into_response())
    })
    .await
}

pub async fn reset_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Page {
    blocking(move || {
        let (session, id) = lead_on_account(&state, &headers, &form.csrf, &id)?;
        let password = state
            .store
            .reset_password(id, Some(&session.user), now())
            .map_err(internal)?;
        let email = state
            .store
            .users()
            .map_err(internal)?
            .into_iter()
            .find(|u| u.id == id)
            .map(|u| u.email)
            .unwrap_or_default();
        users_page(&state, &session, Some((email, password)), None)
    })
    .await
}

// --- settings ----------------------------------------------------------------

pub async fn settings(State(state): State<AppState>, headers: HeaderMap) -> Page {
    blocking(move || {
        let session = state.any_session(&headers)?;
        let first = session.user.must_change_password.then(|| {
            state
                .words
                .get(lang_of(&session.user.lang), "settings-first-password")
        });
        settings_page(&state, &session, first, None)
    })
    .await
}

fn settings_page(
    state: &AppState,
    session: &Session,
    notice: Option<String>,
    error: Option<String>,
) -> Page {
    let lang = lang_of(&session.user.lang);
    let title = state.words.get(lang, "settings-title");
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(state.render(
        status,
        "settings.html",
        lang,
        context! { notice, error, ..state.base(session, title) },
    ))
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
}

pub async fn save_settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SettingsForm>,
) -> Page {
    blocking(move || {
        let mut session = state.any_form_session(&headers, &form.csrf)?;
        match state.store.set_language(session.user.id, &form.lang, now()) {
            Ok(()) => {
                session.user.lang = form.lang.clone();
                let notice = state.words.get(lang_of(&form.lang), "settings-saved");
                settings_page(&state, &session, Some(notice), None)
            }
            Err(DeskError::Invalid(e)) => settings_page(&state, &session, None, Some(e)),
            Err(e) => Err(internal(e)),
        }
    })
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Page {
    let session = {
        let (state, headers, csrf) = (state.clone(), headers.clone(), form.csrf.clone());
        blocking(move || state.any_form_session(&headers, &csrf)).await?
    };
    let lang = lang_of(&session.user.lang);
    let refusal = if form.new.chars().count() < 12 {
        Some("settings-password-short")
    } else if form.new == form.current {
        Some("settings-password-same")
    } else {
        None
    };
    if let Some(refusal) = refusal {
        return settings_page(&state, &session, None, Some(state.words.get(lang, refusal)));
    }
    let store: Arc<crate::Store> = state.store.clone();
    let (email, user_id) = (session.user.email.clone(), session.user.id);
    // A one-time password was spent by the login that made this session.
    let on_one_time = session.user.must_change_password;
    let changed = tokio::task::spawn_blocking(move || -> Result<Option<String>, DeskError> {
        if !on_one_time && store.login(&email, &form.current, now())?.is_err() {
            return Ok(None);
        }
        store.set_password(user_id, &form.new, now()).map(Some)
    })
    .await
    .map_err(internal)?
    .map_err(internal)?;
    let Some(token) = changed else {
        return settings_page(
            &state,
            &session,
            None,
            Some(state.words.get(lang, "settings-password-wrong")),
        );
    };
    blocking(move || {
        let mut session = session;
        session.user.must_change_password = false;
        session.csrf = state
            .store
            .session(&token, now())
            .map_err(internal)?
            .map(|s| s.csrf)
            .unwrap_or_default();
        let saved = Some(state.words.get(lang, "settings-saved"));
        let page = settings_page(&state, &session, saved, None)?;
        Ok(with_session_cookie(&state, &headers, page, &token))
    })
    .await
}

// --- a case from the browser ---------------------------------------------------

/// What the upload form holds, kept to fill it again after a refusal.
#[derive(Default, Serialize)]
struct UploadFields {
    customer: String,
    name: String,
    subject: String,
    inquiry: String,
}

pub async fn upload_page(State(state): State<AppState>, headers: HeaderMap) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        upload_form(
            &state,
            &session,
            StatusCode::OK,
            None,
            &UploadFields::default(),
        )
    })
    .await
}

fn upload_form(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    error: Option<String>,
    fields: &UploadFields,
) -> Page {
    let lang = lang_of(&session.user.lang);
    let title = state.words.get(lang, "upload-title");
    let limit = megabytes(state.config.max_upload);
    let ctx = context! {
        fields => Value::from_serialize(fields), error, limit, ..state.base(session, title)
    };
    Ok(state.render(status, "upload.html", lang, ctx))
}

fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u64 * 10).div_ceil(1024 * 1024);
    format!("{}.{} MiB", tenths / 10, tenths % 10)
}

/// Why an upload is refused: the status and the message shown above the form.
struct Refusal {
    status: StatusCode,
    id: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Refusal {
    fn new(status: StatusCode, id: &'static str) -> Refusal {
        Refusal {
            status,
            id,
            args: Vec::new(),
        }
    }

    fn with(mut self, key: &'static str, value: impl Into<String>) -> Refusal {
        self.args.push((key, value.into()));
        self
    }
}

/// Creates a case from the upload form: the inquiry as text or an `.eml`
/// file, plus billing files; analysed before it is stored, like `desk import`.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Page {
    let session = {
        let (state, headers) = (state.clone(), headers.clone());
        blocking(move || state.session(&headers)).await?
    };
    let refuse = |refusal: Refusal, fields: &UploadFields| {
        let lang = lang_of(&session.user.lang);
        let args: Vec<(&str, &str)> = refusal.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let error = state.words.format(lang, refusal.id, &args);
        upload_form(&state, &session, refusal.status, Some(error), fields)
    };
    let parts = match upload_parts(&headers, body, state.config.max_upload).await {
        Ok(parts) => parts,
        Err(refusal) => return refuse(refusal, &UploadFields::default()),
    };
    {
        let (state, session, csrf) = (state.clone(), session.clone(), field(&parts, "csrf"));
        blocking(move || state.check_csrf(&session, &csrf)).await?;
    }
    let fields = UploadFields {
        customer: mail::header_text(&field(&parts, "customer")),
        name: mail::header_text(&field(&parts, "name")),
        subject: mail::header_text(&field(&parts, "subject")),
        inquiry: field(&parts, "inquiry"),
    };
    let prepared = billing_files(&parts)
        .and_then(|billing| Ok((inquiry_raw(&state, &parts, &fields)?, billing)));
    let (raw, billing) = match prepared {
        Ok(prepared) => prepared,
        Err(refusal) => return refuse(refusal, &fields),
    };
    let (store, analyst) = (state.store.clone(), state.analyst.clone());
    let stored = tokio::task::spawn_blocking(move || {
        store.intake_checked(analyst.as_ref(), &raw, &billing, now())
    })
    .await
    .map_err(internal)?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    match stored {
        Ok(intake) => {
            let (user, case) = (Some(session.user.id), Some(intake.case_id));
            let store = state.store.clone();
            blocking(move || {
                store
                    .audit(user, "case-uploaded", case, "", now())
                    .map_err(internal)
            })
            .await?;
            Ok(Redirect::to(&format!("/cases/{}", intake.case_id)).into_response())
        }
        Err(DeskError::Malformed(why)) => refuse(
            Refusal::new(unprocessable, "upload-bad-eml").with("why", why),
            &fields,
        ),
        Err(DeskError::Invalid(why)) => refuse(
            Refusal::new(unprocessable, "upload-bad-billing").with("why", why),
            &fields,
        ),
        Err(e) => Err(internal(e)),
    }
}

/// The form's parts, from a body within the limit.
async fn upload_parts(
    headers: &HeaderMap,
    body: axum::body::Body,
    limit: usize,
) -> Result<Vec<multipart::Part>, Refusal> {
    let bytes = read_limited(body, limit).await.ok_or_else(|| {
        Refusal::new(StatusCode::PAYLOAD_TOO_LARGE, "upload-too-large")
            .with("limit", megabytes(limit))
    })?;
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(multipart::boundary)
        .and_then(|boundary| multipart::parse(&bytes, &boundary))
        .ok_or_else(|| Refusal::new(StatusCode::BAD_REQUEST, "upload-not-multipart"))
}

/// A text field, trimmed, with the browser's CRLF as LF.
fn field(parts: &[multipart::Part], name: &str) -> String {
    parts
        .iter()
        .find(|p| p.name == name && p.filename.is_none())
        .map(|p| {
            String::from_utf8_lossy(&p.data)
                .trim()
                .replace("\r\n", "\n")
        })
        .unwrap_or_default()
}

/// The files chosen in a file input (an empty one sends a part with an empty file name).
fn files<'a>(parts: &'a [multipart::Part], name: &str) -> Vec<&'a multipart::Part> {
    parts
        .iter()
        .filter(|p| p.name == name && p.filename.as_deref().is_some_and(|f| !f.is_empty()))
        .collect()
}

/// The billing files; one that is not billing data by its name refuses the upload.
fn billing_files(parts: &[multipart::Part]) -> Result<Vec<mail::Attachment>, Refusal> {
    files(parts, "billing")
        .into_iter()
        .map(|part| {
            let file = mail::Attachment {
                filename: mail::safe_filename(part.filename.as_deref().unwrap_or("")),
                content_type: part.content_type.clone(),
                data: part.data.clone(),
            };
            if file.is_billing_data() {
                Ok(file)
            } else {
                Err(
                    Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "upload-not-billing")
                        .with("file", file.filename),
                )
            }
        })
        .collect()
}

/// The inquiry as a message: the `.eml` file, else the typed text as the customer's e-mail.
fn inquiry_raw(
    state: &AppState,
    parts: &[multipart::Part],
    fields: &UploadFields,
) -> Result<Vec<u8>, Refusal> {
    if let Some(eml) = files(parts, "eml").first() {
        return Ok(eml.data.clone());
    }
    if fields.inquiry.is_empty() || !fields.customer.contains('@') {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "upload-no-inquiry",
        ));
    }
    inquiry_message(state, fields).map_err(|e| {
        tracing::error!("desk: the uploaded inquiry could not be written as a message: {e}");
        Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "upload-failed")
    })
}

/// Reads a body of at most `limit` bytes. A larger one is read on to its end
/// (within reason) and dropped, so the browser sees the refusal page rather
/// than a connection reset mid-upload.
async fn read_limited(mut body: axum::body::Body, limit: usize) -> Option<Vec<u8>> {
    use axum::body::HttpBody;
    let drain = limit.saturating_mul(4).max(64 << 20);
    let (mut data, mut seen) = (Vec::new(), 0usize);
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let Ok(chunk) = frame.ok()?.into_data() else {
            continue;
        };
        seen = seen.saturating_add(chunk.len());
        if seen <= limit {
            data.extend_from_slice(&chunk);
        } else if seen > drain {
            break;
        }
    }
    (seen <= limit).then_some(data)
}

/// The typed inquiry as the customer's e-mail, so it takes the path every case takes.
fn inquiry_message(state: &AppState, fields: &UploadFields) -> Result<Vec<u8>, std::io::Error> {
    use mail_builder::headers::address::Address;
    let name = Some(fields.name.as_str()).filter(|n| !n.is_empty());
    let subject = Some(fields.subject.as_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("(no subject)");
    mail_builder::MessageBuilder::new()
        .from(Address::new_address(name, fields.customer.as_str()))
        .to(state.config.mail_from.as_str())
        .subject(subject)
        .message_id(format!("upload-{}@ftdesk.desk", secret::token(8)))
        .date(now())
        .text_body(fields.inquiry.as_str())
        .write_to_vec()
}
