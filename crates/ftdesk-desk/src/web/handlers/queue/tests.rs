use super::*;
use axum::http::{header, StatusCode};

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

#[tokio::test]
async fn the_queue_lists_cases_to_a_person_logged_in_and_sends_others_to_log_in() {
    use crate::web::handlers::test_support::{text, TestDesk};
    let desk = TestDesk::new(None);
    let case = desk.case();
    let anonymous = desk.get("/", None).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers()[header::LOCATION], "/login");

    let browser = desk.browser().await;
    let page = desk.get("/", Some(&browser.cookie)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = text(page).await;
    assert!(html.contains(&format!("/cases/{case}")), "{html}");
    assert!(html.contains("Charges of $19.63"), "{html}");
    let solved = desk.get("/?status=solved", Some(&browser.cookie)).await;
    assert!(!text(solved).await.contains(&format!("/cases/{case}")));
}
