//! The lead's pages: the audit log, text modules, accounts.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::{context, Value};
use serde::Deserialize;

use super::{blocking, internal, lang_of, utc, AppState, CsrfForm, Page};
use crate::{DeskError, Session};

// --- lead pages --------------------------------------------------------------

pub async fn audit(State(state): State<AppState>, headers: HeaderMap) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        state.lead(&session)?;
        let lang = lang_of(&session.user.lang);
        let entries: Vec<Value> = state
            .store
            .audit()
            .latest(1000)
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
    let modules = state.store.modules().list(None).map_err(internal)?;
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
        match state.store.modules().save(
            &form.name,
            &form.lang,
            &form.body,
            &session.user,
            state.now(),
        ) {
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
    let now = state.now();
    let locked = state
        .store
        .people()
        .locked_accounts(now)
        .map_err(internal)?;
    let users: Vec<Value> = state
        .store
        .people()
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
        match state
            .store
            .people()
            .add_user(&form.email, &form.role, "en", state.now())
        {
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
    let users = state.store.people().users().map_err(internal)?;
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
            .people()
            .unlock(id, Some(&session.user), state.now())
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
            .people()
            .reset_password(id, Some(&session.user), state.now())
            .map_err(internal)?;
        let email = state
            .store
            .people()
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
