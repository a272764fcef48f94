//! The desk's replies over TLS: `--smtp-out smtp+starttls://USER@…` and
//! `smtps://USER@…`, with the password from FTDESK_SMTP_PASSWORD and the
//! server's certificate from a private CA made for the test (trusted only
//! through `--smtp-ca-file`). The receiver is guard_servers.py (aiosmtpd).

use std::path::{Path, PathBuf};

use mail_parser::MessageParser;

use crate::common::{cents, check_json, dec, ftdesk, write_scenario};
use crate::desk::{
    deliver, free_port, init, inquiry_mail, new_desk, received, send_ready_draft, Browser, Desk,
    Page, INQUIRY,
};
use crate::guard::SmtpServer;
use crate::guard_tls::{certs, start_smtp, PASSWORD, USER};

/// A desk whose replies go to a TLS SMTP server that wants a login.
struct TlsDesk {
    desk: Desk,
    _server: SmtpServer,
    maildir: PathBuf,
    lead_password: String,
}

fn tls_desk(dir: &Path, mode: &str, scheme: &str, password: &str) -> TlsDesk {
    let port = free_port();
    let maildir = dir.join("maildir");
    let certs = certs(dir);
    let server = start_smtp(mode, port, &maildir, &certs);
    let db = dir.join("desk.sqlite");
    let lead_password = init(&db);
    let url = format!("{scheme}://{USER}@127.0.0.1:{port}");
    let ca = certs.join("ca.pem");
    let desk = Desk::start_with(
        &db,
        &["--smtp-out", &url, "--smtp-ca-file", ca.to_str().unwrap()],
        &[("FTDESK_SMTP_PASSWORD", password)],
        64 * 1024 * 1024,
    );
    TlsDesk {
        desk,
        _server: server,
        maildir,
        lead_password,
    }
}

/// Delivers an inquiry with billing data and sends its draft; returns the
/// page the send answered with and the net due the reply must state.
fn send_first_case(dir: &Path, tls: &TlsDesk) -> (Page, String) {
    let data = write_scenario("two-instances", &dir.join("billing"));
    let due = format!(
        "${}",
        cents(dec(&check_json(&[data.to_str().unwrap()])["net_cost"]))
    );
    let mail = inquiry_mail("tls-1@example.com", "My bill", INQUIRY, Some(&data));
    assert!(deliver(&tls.desk, &mail).starts_with("250"));
    let mut browser = Browser::new();
    browser.login(&tls.desk, "lead@example.com", &tls.lead_password);
    let (sent, _) = send_ready_draft(&mut browser, &tls.desk, 1);
    (sent, due)
}

fn reply_goes_over(mode: &str, scheme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tls = tls_desk(dir.path(), mode, scheme, PASSWORD);
    let (sent, due) = send_first_case(dir.path(), &tls);
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("The reply was sent."), "{}", sent.body);
    let mails = received(&tls.maildir);
    assert_eq!(mails.len(), 1, "one reply crossed {mode}");
    let message = MessageParser::default().parse(&mails[0]).unwrap();
    assert_eq!(message.in_reply_to().as_text(), Some("tls-1@example.com"));
    assert!(message.body_text(0).unwrap().contains(&due));
}

#[test]
fn replies_go_over_starttls_with_a_login() {
    reply_goes_over("starttls", "smtp+starttls");
}

#[test]
fn replies_go_over_implicit_tls_with_a_login() {
    reply_goes_over("tls", "smtps");
}

#[test]
fn a_refused_login_leaves_the_reply_unsent() {
    let dir = tempfile::tempdir().unwrap();
    let tls = tls_desk(dir.path(), "tls", "smtps", "not-the-password");
    let (sent, _) = send_first_case(dir.path(), &tls);
    assert_eq!(sent.status, 502, "{}", sent.body);
    assert!(received(&tls.maildir).is_empty());
    let mut browser = Browser::new();
    browser.login(&tls.desk, "lead@example.com", &tls.lead_password);
    let case = browser.get(&tls.desk.url("/cases/1"));
    assert!(!case.body.contains("reply · sent"), "{}", case.body);
}

fn serve_refusal(args: &[&str]) -> String {
    let (_dir, db, _) = new_desk();
    let out = ftdesk()
        .args(["desk", "serve", "--db"])
        .arg(&db)
        .args(["--listen", &format!("127.0.0.1:{}", free_port())])
        .args(args)
        .env_remove("FTDESK_SMTP_PASSWORD")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn a_login_without_its_password_or_an_unreadable_ca_stops_the_start() {
    let no_password = serve_refusal(&["--smtp-out", "smtps://desk@127.0.0.1:2465"]);
    assert!(
        no_password.contains("FTDESK_SMTP_PASSWORD"),
        "{no_password}"
    );
    let in_url = serve_refusal(&["--smtp-out", "smtps://desk:pw@127.0.0.1:2465"]);
    assert!(in_url.contains("not in the URL"), "{in_url}");
    let missing_ca = serve_refusal(&[
        "--smtp-out",
        "smtps://127.0.0.1:2465",
        "--smtp-ca-file",
        "/nonexistent/ca.pem",
    ]);
    assert!(missing_ca.contains("/nonexistent/ca.pem"), "{missing_ca}");
}
