use std::sync::Arc;

use axum::http::StatusCode;
use ftdesk_core::{FixedClock, Timestamp};

use crate::web::handlers::test_support::{hidden, text, TestDesk, NOW};
use crate::{smtp, CaseStatus, MessageState, NoAnalysis, SmtpOut, Store};

#[tokio::test]
async fn the_case_page_shows_the_inquiry_and_is_audited() {
    let desk = TestDesk::new(None);
    let case = desk.case();
    let browser = desk.browser().await;
    let page = desk
        .get(&format!("/cases/{case}"), Some(&browser.cookie))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = text(page).await;
    assert!(html.contains("I only use the free tier."), "{html}");
    assert!(!hidden(&html, "send_key").is_empty());
    // The test desk's clock stands at NOW, 2025-10-09 08:53:20 UTC.
    assert!(html.contains("2025-10-09 08:53 UTC"), "{html}");
    let log = desk.store().audit().latest(10).unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "case-viewed" && e.case_id == Some(case)));
    let viewed = log.iter().find(|e| e.action == "case-viewed").unwrap();
    assert_eq!(viewed.at, NOW);

    let missing = desk.get("/cases/999", Some(&browser.cookie)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// Another desk's SMTP intake on loopback, as the customer's mail server:
/// its store, and the URL to send to.
async fn mail_server(dir: &std::path::Path) -> (Arc<Store>, SmtpOut) {
    let (store, _) = Store::init(&dir.join("inbox.sqlite"), "x@example.com", 0).unwrap();
    let store = Arc::new(store);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let config = smtp::SmtpConfig::default();
    tokio::spawn(smtp::serve(
        listener,
        store.clone(),
        Arc::new(NoAnalysis),
        config,
        Arc::new(FixedClock(Timestamp::from_unix(NOW))),
    ));
    (store, SmtpOut::parse(&url, None, None).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_goes_out_over_smtp_once_and_the_case_waits_for_the_customer() {
    let dir = tempfile::tempdir().unwrap();
    let (inbox, smtp_out) = mail_server(dir.path()).await;
    let desk = TestDesk::new(Some(smtp_out));
    let case = desk.case();
    let browser = desk.browser().await;
    let page = text(
        desk.get(&format!("/cases/{case}"), Some(&browser.cookie))
            .await,
    )
    .await;
    let key = hidden(&page, "send_key");
    let form = [
        ("csrf", browser.csrf.as_str()),
        ("body", "Hello Jane, the charge is explained below."),
        ("send_key", key.as_str()),
    ];
    let path = format!("/cases/{case}/send");
    let sent = desk.post(&path, &browser.cookie, &form).await;
    assert_eq!(sent.status(), StatusCode::OK, "{}", text(sent).await);

    let record = desk.store().queue().case(case).unwrap().unwrap();
    assert_eq!(record.status, CaseStatus::Waiting);
    let messages = desk.store().messages().of_case(case).unwrap();
    assert_eq!(messages.last().unwrap().state, MessageState::Sent);
    let received = inbox.messages().of_case(1).unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0].body.contains("the charge is explained below"));
    assert_eq!(received[0].in_reply_to.as_deref(), Some("q1@example.com"));

    let again = desk.post(&path, &browser.cookie, &form).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(
        inbox.count("messages").unwrap(),
        1,
        "a second click sends nothing"
    );
}
