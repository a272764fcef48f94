//! A person's own settings: language and password.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Form;
use minijinja::context;
use serde::Deserialize;

use super::{blocking, internal, lang_of, with_session_cookie, AppState, Page};
use crate::{DeskError, Session};

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
        match state
            .store
            .people()
            .set_language(session.user.id, &form.lang, state.now())
        {
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
    let (store, clock) = (state.store.clone(), state.clock.clone());
    let (email, user_id) = (session.user.email.clone(), session.user.id);
    // A one-time password was spent by the login that made this session.
    let on_one_time = session.user.must_change_password;
    let changed = tokio::task::spawn_blocking(move || -> Result<Option<String>, DeskError> {
        if !on_one_time
            && store
                .people()
                .login(&email, &form.current, clock.now().unix())?
                .is_err()
        {
            return Ok(None);
        }
        store
            .people()
            .set_password(user_id, &form.new, clock.now().unix())
            .map(Some)
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
            .people()
            .session(&token, state.now())
            .map_err(internal)?
            .map(|s| s.csrf)
            .unwrap_or_default();
        let saved = Some(state.words.get(lang, "settings-saved"));
        let page = settings_page(&state, &session, saved, None)?;
        Ok(with_session_cookie(&state, &headers, page, &token))
    })
    .await
}
