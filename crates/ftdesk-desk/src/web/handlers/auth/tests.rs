use axum::http::{header, StatusCode};

use crate::web::handlers::test_support::{first_cookie, TestDesk, PASSWORD};

#[tokio::test]
async fn the_right_password_starts_a_session_and_a_wrong_one_is_refused() {
    let desk = TestDesk::new(None);
    let wrong = desk.log_in("not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    let right = desk.log_in(PASSWORD).await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    assert_eq!(right.headers()[header::LOCATION], "/");
    let cookie = first_cookie(&right);
    assert!(cookie.starts_with("desk_session="), "{cookie}");
    let home = desk.get("/", Some(&cookie)).await;
    assert_eq!(home.status(), StatusCode::OK);
    let log = desk.store().audit().latest(10).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"login") && actions.contains(&"login-failed"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_form_with_another_csrf_token_is_refused_audited_and_changes_nothing() {
    let desk = TestDesk::new(None);
    let case = desk.case();
    let browser = desk.browser().await;
    let path = format!("/cases/{case}/notes");
    let forged = [("csrf", "not-the-token"), ("body", "a forged note")];
    let refused = desk.post(&path, &browser.cookie, &forged).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(desk.store().count("comments").unwrap(), 0);
    let log = desk.store().audit().latest(10).unwrap();
    assert!(log.iter().any(|e| e.action == "csrf-refused"), "{log:?}");

    let genuine = [("csrf", browser.csrf.as_str()), ("body", "a real note")];
    let kept = desk.post(&path, &browser.cookie, &genuine).await;
    assert_eq!(kept.status(), StatusCode::SEE_OTHER);
    assert_eq!(desk.store().count("comments").unwrap(), 1);
}

/// Every `Set-Cookie` of a response.
fn set_cookies(response: &axum::response::Response) -> Vec<String> {
    let all = response.headers().get_all(header::SET_COOKIE);
    all.iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn session_cookies_are_http_only_strict_site_wide_and_secure_when_told() {
    let mut desk = TestDesk::new(None);
    let plain = set_cookies(&desk.log_in(PASSWORD).await);
    let session = plain
        .iter()
        .find(|c| c.starts_with("desk_session="))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(session.contains(attribute), "{attribute} in {session}");
    }
    assert!(!session.contains("Secure"), "{session}");
    let spent = plain
        .iter()
        .find(|c| c.starts_with("desk_login=;"))
        .unwrap();
    assert!(
        spent.contains("Max-Age=0"),
        "the login cookie is cleared: {spent}"
    );

    let mut config = (*desk.state.config).clone();
    config.secure_cookies = true;
    desk.state.config = std::sync::Arc::new(config);
    let secure = set_cookies(&desk.log_in(PASSWORD).await);
    assert!(secure.iter().all(|c| c.contains("; Secure")), "{secure:?}");
}

#[tokio::test]
async fn the_session_is_found_among_other_and_malformed_cookies() {
    let desk = TestDesk::new(None);
    let session = first_cookie(&desk.log_in(PASSWORD).await);
    let crowded = format!("junk; =x; theme=dark; {session}; desk_session=forged");
    let home = desk.get("/", Some(&crowded)).await;
    assert_eq!(
        home.status(),
        StatusCode::OK,
        "the first desk_session counts"
    );
    let forged_first = format!("desk_session=forged; {session}");
    let refused = desk.get("/", Some(&forged_first)).await;
    assert_eq!(
        refused.status(),
        StatusCode::SEE_OTHER,
        "a forged one is not skipped"
    );
    let unterminated = desk.get("/", Some("desk_session")).await;
    assert_eq!(unterminated.status(), StatusCode::SEE_OTHER);
}
