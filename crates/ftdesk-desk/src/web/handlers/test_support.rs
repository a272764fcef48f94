//! An in-process desk for the route tests: a real SQLite file in a temporary
//! folder, the router driven with `tower::ServiceExt::oneshot`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use ftdesk_core::{FixedClock, Timestamp};
use tower::ServiceExt as _;

use super::queue::query_escape;
use crate::web::{router, AppState, WebConfig, WebLimits};
use crate::{NoAnalysis, SmtpOut, Store};

/// The test desk's clock stands still at this moment (2025-10-09 08:53 UTC).
pub(crate) const NOW: i64 = 1_760_000_000;
pub(crate) const LEAD: &str = "lead@example.com";
pub(crate) const PASSWORD: &str = "a long enough password";
pub(crate) const INQUIRY: &str = "From: Jane Doe <jane@example.com>\r\nTo: desk@example.com\r\n\
Subject: Charges of $19.63\r\nMessage-ID: <q1@example.com>\r\n\r\n\
Why was I charged $19.63? I only use the free tier.\r\n";

pub(crate) struct TestDesk {
    _dir: tempfile::TempDir,
    pub(crate) state: AppState,
}

/// A logged-in browser: its session cookie and the session's CSRF token.
pub(crate) struct Browser {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

impl TestDesk {
    /// A desk whose lead has chosen [`PASSWORD`]; replies go to `smtp_out`.
    pub(crate) fn new(smtp_out: Option<SmtpOut>) -> TestDesk {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::init(&dir.path().join("desk.sqlite"), LEAD, NOW).unwrap();
        let lead = store.people().user_by_email(LEAD).unwrap().unwrap();
        store.people().set_password(lead.id, PASSWORD, NOW).unwrap();
        let config = WebConfig {
            smtp_out,
            mail_from: "desk@example.com".into(),
            secure_cookies: false,
            max_upload: 1 << 20,
            limits: WebLimits::default(),
        };
        let clock = Arc::new(FixedClock(Timestamp::from_unix(NOW)));
        let state = AppState::new(Arc::new(store), Arc::new(NoAnalysis), config, clock);
        TestDesk { _dir: dir, state }
    }

    pub(crate) fn store(&self) -> &Store {
        &self.state.store
    }

    /// Stores the inquiry as mail that came in; returns its case.
    pub(crate) fn case(&self) -> i64 {
        let intake = self.store().inbox().receive(INQUIRY.as_bytes(), &[], NOW);
        intake.unwrap().case_id
    }

    pub(crate) async fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub(crate) async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Response {
        let body: Vec<String> = form
            .iter()
            .map(|(key, value)| format!("{key}={}", query_escape(value)))
            .collect();
        let request = Request::post(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .unwrap();
        self.send(request).await
    }

    async fn send(&self, request: Request<Body>) -> Response {
        router(self.state.clone()).oneshot(request).await.unwrap()
    }

    /// Logs in through the login page and form, as a browser does.
    pub(crate) async fn log_in(&self, password: &str) -> Response {
        let form = self.get("/login", None).await;
        let login_cookie = first_cookie(&form);
        let token = login_cookie.split_once('=').unwrap().1.to_owned();
        let fields = [("email", LEAD), ("password", password), ("csrf", &token)];
        self.post("/login", &login_cookie, &fields).await
    }

    /// A browser logged in as the lead.
    pub(crate) async fn browser(&self) -> Browser {
        let response = self.log_in(PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let cookie = first_cookie(&response);
        let token = cookie.split_once('=').unwrap().1;
        let session = self.store().people().session(token, NOW).unwrap();
        Browser {
            csrf: session.expect("the login made a session").csrf,
            cookie,
        }
    }
}

/// `name=value` of the response's first Set-Cookie.
pub(crate) fn first_cookie(response: &Response) -> String {
    let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

pub(crate) async fn text(response: Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The value of a page's hidden input `name`.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect(name) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}
