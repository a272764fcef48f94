//! Logging in and out.

use axum::extract::State;
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use ftdesk_render::Lang;
use minijinja::context;
use serde::Deserialize;

use super::{
    blocking, cookie, cookie_name, internal, session_token, set_cookie, with_session_cookie,
    AppState, CsrfForm, Page, LOGIN_COOKIE, SESSION_COOKIE,
};
use crate::web::limits;
use crate::{secret, DeskError};

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
    let expected =
        cookie(&headers, &cookie_name(&state, &headers, LOGIN_COOKIE)).unwrap_or_default();
    if expected.is_empty() || !secret::same(&form.csrf, &expected) {
        let error = state.words.get(Lang::En, "login-expired");
        return login_form(&state, &headers, StatusCode::FORBIDDEN, Some(error));
    }
    let limits = &state.login_limits;
    let client = limits::client_address(&state.config.limits, &extensions, &headers);
    if let Err(wait) = limits.take(client, state.now()) {
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
    let (store, clock) = (state.store.clone(), state.clock.clone());
    let (email, password) = (form.email.clone(), form.password.clone());
    let outcome = tokio::task::spawn_blocking(move || {
        let outcome = store.people().login(&email, &password, clock.now().unix());
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
        state.store.people().revoke_session(&presented)?;
    }
    let token = state.store.people().create_session(user.id, state.now())?;
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

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Page {
    blocking(move || {
        let session = state.any_form_session(&headers, &form.csrf)?;
        let token = session_token(&state, &headers).unwrap_or_default();
        state
            .store
            .people()
            .end_session(&token, session.user.id, state.now())
            .map_err(internal)?;
        let mut response = Redirect::to("/login").into_response();
        if let Ok(value) = set_cookie(&state, &headers, SESSION_COOKIE, "", 0).parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        Ok(response)
    })
    .await
}

#[cfg(test)]
mod tests;
