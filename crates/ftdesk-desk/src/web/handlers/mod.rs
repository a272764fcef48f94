//! One function per page or form.

// A refusal is an HTTP response (login redirect, 403 page), returned early
// with `?`; boxing each one would only add noise on a path taken once per request.
#![allow(clippy::result_large_err)]

mod auth;
mod case;
mod lead;
mod queue;
mod settings;
#[cfg(test)]
mod test_support;
mod upload;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use ftdesk_render::dates::utc;
use ftdesk_render::Lang;
use minijinja::{context, Value};
use serde::Deserialize;

use super::words::lang_of;
use super::AppState;
use crate::{secret, CaseStatus, Session};

pub use auth::{login, login_page, logout};
pub use case::{
    add_note, assign, attachment, case_page, insert_module, report, save_draft, send, set_status,
};
pub use lead::{add_user, audit, modules, reset_password, save_module, unlock_user, users};
pub use queue::queue;
pub use settings::{change_password, save_settings, settings};
pub use upload::{upload, upload_page};

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

/// The value of the cookie `name` the browser presented (the first, if it
/// sent several), parsed by the `cookie` crate; malformed pairs are skipped.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
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

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Strict`, `Path=/`, and `Secure`
/// when the desk is told its cookies travel over https (or a trusted proxy says so).
fn set_cookie(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age: i64,
) -> String {
    let https = super::limits::over_https(&state.config.limits, headers);
    Cookie::build((cookie_name(state, headers, name), value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(max_age))
        .secure(state.config.secure_cookies || https)
        .build()
        .to_string()
}

/// The session token the browser presented.
fn session_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
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
            .map(|token| self.store.people().session(&token, self.now()))
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
                .audit()
                .record(Some(session.user.id), "csrf-refused", None, "", self.now())
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
        let _ = self.store.audit().record(
            Some(session.user.id),
            "forbidden",
            None,
            "lead page",
            self.now(),
        );
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
    CaseStatus::ALL
        .iter()
        .map(|status| context! { code => status.as_str(), label => status_label(state, lang, *status) })
        .collect()
}

/// A case status in the person's language.
fn status_label(state: &AppState, lang: Lang, status: CaseStatus) -> String {
    state.words.get(lang, &format!("status-{status}"))
}

fn amount_text(amount: Option<&str>, currency: Option<&str>) -> String {
    match (amount, currency) {
        (Some(a), Some("USD") | None) => format!("${a}"),
        (Some(a), Some(c)) => format!("{a} {c}"),
        (None, _) => String::new(),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}
