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
