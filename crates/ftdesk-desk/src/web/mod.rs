//! The desk's pages: server-rendered HTML (minijinja, auto-escaped), assets
//! embedded in the binary, sessions in HTTP-only SameSite=Strict cookies, a
//! CSRF token on every form.

mod handlers;
pub mod limits;
pub mod multipart;
mod words;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use minijinja::Environment;

use ftdesk_core::Clock;

use crate::{Analyst, Store};
pub use limits::WebLimits;
pub use words::Words;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("message.html", include_str!("../../templates/message.html")),
    ("queue.html", include_str!("../../templates/queue.html")),
    ("case.html", include_str!("../../templates/case.html")),
    ("audit.html", include_str!("../../templates/audit.html")),
    ("modules.html", include_str!("../../templates/modules.html")),
    ("users.html", include_str!("../../templates/users.html")),
    ("upload.html", include_str!("../../templates/upload.html")),
    (
        "settings.html",
        include_str!("../../templates/settings.html"),
    ),
];
const CSS: &str = include_str!("../../assets/desk.css");

/// Where replies go out, and as whom.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The outgoing SMTP server; without it, sending is refused.
    pub smtp_out: Option<crate::SmtpOut>,
    /// The From address of replies.
    pub mail_from: String,
    /// Mark cookies `Secure` (browsers keep them on http://localhost too).
    pub secure_cookies: bool,
    /// The largest upload (the whole form, files included), in bytes.
    pub max_upload: usize,
    pub limits: WebLimits,
}

/// Sends in flight are counted with permits of this semaphore size, so a
/// stopping desk can wait for all of them.
const SEND_SLOTS: u32 = 1024;

#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Arc<Store>,
    pub(crate) templates: Arc<Environment<'static>>,
    pub(crate) words: Arc<Words>,
    pub(crate) config: Arc<WebConfig>,
    pub(crate) analyst: Arc<dyn Analyst>,
    pub(crate) login_limits: Arc<limits::LoginLimits>,
    pub(crate) sends: Arc<tokio::sync::Semaphore>,
    pub(crate) clock: Arc<dyn Clock>,
}

impl AppState {
    pub fn new(
        store: Arc<Store>,
        analyst: Arc<dyn Analyst>,
        config: WebConfig,
        clock: Arc<dyn Clock>,
    ) -> AppState {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("embedded templates parse; a test renders each");
        }
        AppState {
            store,
            templates: Arc::new(env),
            words: Arc::new(Words::load()),
            login_limits: Arc::new(limits::LoginLimits::new(&config.limits)),
            config: Arc::new(config),
            analyst,
            sends: Arc::new(tokio::sync::Semaphore::new(SEND_SLOTS as usize)),
            clock,
        }
    }

    /// Seconds since the epoch, by the desk's clock.
    pub(crate) fn now(&self) -> i64 {
        self.clock.now().unix()
    }

    /// Waits until no reply is being sent (at shutdown).
    pub async fn sends_finished(&self) {
        let _all = self.sends.acquire_many(SEND_SLOTS).await;
    }
}

pub fn router(state: AppState) -> Router {
    use handlers::*;
    Router::new()
        .route("/", get(queue))
        .route("/healthz", get(healthz))
        .route("/assets/desk.css", get(css))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/report", get(report))
        .route("/cases/{id}/attachments/{file}", get(attachment))
        .route("/cases/{id}/draft", post(save_draft))
        .route("/cases/{id}/insert", post(insert_module))
        .route("/cases/{id}/send", post(send))
        .route("/cases/{id}/status", post(set_status))
        .route("/cases/{id}/assign", post(assign))
        .route("/cases/{id}/notes", post(add_note))
        .route("/audit", get(audit))
        .route("/modules", get(modules).post(save_module))
        .route("/upload", get(upload_page).post(upload))
        .route("/users", get(users).post(add_user))
        .route("/users/{id}/unlock", post(unlock_user))
        .route("/users/{id}/reset", post(reset_password))
        .route("/settings", get(settings).post(save_settings))
        .route("/settings/password", post(change_password))
        .fallback(not_found)
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            request_deadline,
        ))
        .with_state(state)
}

/// Ends a request that takes longer than the limit (a body trickled in, say)
/// with 408. A send runs in its own task, so a reply being sent still finishes.
async fn request_deadline(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let limit = std::time::Duration::from_secs(state.config.limits.request_timeout_seconds);
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (StatusCode::REQUEST_TIMEOUT, "request timeout").into_response(),
    }
}

/// For a load balancer or a process supervisor: the desk answers and its database reads.
async fn healthz(State(state): State<AppState>) -> Response {
    let store = state.store.clone();
    let read = tokio::task::spawn_blocking(move || store.schema_version()).await;
    match read {
        Ok(Ok(_)) => (StatusCode::OK, "ok").into_response(),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database cannot be read",
        )
            .into_response(),
    }
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name, value: &'static str| {
        headers
            .entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'",
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "SAMEORIGIN");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::CACHE_CONTROL, "no-store");
    response
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed_clock() -> Arc<dyn Clock> {
        Arc::new(ftdesk_core::FixedClock(ftdesk_core::Timestamp::from_unix(
            1_760_000_000,
        )))
    }

    fn state(dir: &std::path::Path, limits: WebLimits) -> AppState {
        let (store, _) = Store::init(&dir.join("d.sqlite"), "a@example.com", 0).unwrap();
        let config = WebConfig {
            smtp_out: None,
            mail_from: "desk@example.com".into(),
            secure_cookies: true,
            max_upload: 1024,
            limits,
        };
        AppState::new(
            Arc::new(store),
            Arc::new(crate::NoAnalysis),
            config,
            fixed_clock(),
        )
    }

    #[tokio::test]
    async fn a_login_above_the_checks_at_once_is_answered_503_without_a_check() {
        use tower::ServiceExt as _;
        let dir = tempfile::tempdir().unwrap();
        let limits = WebLimits {
            login_checks: 1,
            ..WebLimits::default()
        };
        let state = state(dir.path(), limits);
        let form = router(state.clone())
            .oneshot(
                axum::http::Request::get("/login")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let cookie = form.headers()[header::SET_COOKIE].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let token = cookie.split('=').nth(1).unwrap().to_owned();
        let held = state.login_limits.check_slot().expect("the one slot");
        let login = axum::http::Request::post("/login")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!(
                "email=a%40example.com&password=guess&csrf={token}"
            )))
            .unwrap();
        let busy = router(state.clone()).oneshot(login).await.unwrap();
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.headers()[header::RETRY_AFTER], "1");
        drop(held);
        let log = state.store.audit().latest(10).unwrap();
        assert!(
            !log.iter().any(|e| e.action.starts_with("login")),
            "no password was checked: {log:?}"
        );
    }

    #[test]
    fn the_embedded_templates_parse() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(dir.path(), WebLimits::default());
        for (name, _) in TEMPLATES {
            assert!(state.templates.get_template(name).is_ok(), "{name}");
        }
    }
}
