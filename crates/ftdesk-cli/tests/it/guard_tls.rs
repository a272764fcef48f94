//! `ftdesk guard` over TLS: SMTP with STARTTLS and with implicit TLS, both
//! requiring AUTH, and an HTTPS webhook. The receivers (guard_servers.py, in
//! the test venv) present a certificate from a private CA made for the test;
//! the guard trusts it only through `tls_ca_file`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::guard::{free_port, guard_once, mails, python, setup, SmtpServer};

pub(crate) const USER: &str = "guard";
pub(crate) const PASSWORD: &str = "s3cret-for-the-test";

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/guard_servers.py")
}

/// A private CA and a server certificate for 127.0.0.1, in `dir/certs`.
pub(crate) fn certs(dir: &Path) -> PathBuf {
    let folder = dir.join("certs");
    let status = Command::new(python())
        .arg(script())
        .arg("certs")
        .arg(&folder)
        .status()
        .expect("python runs");
    assert!(status.success(), "the certificates were not made");
    folder
}

/// Starts a guard_servers.py server and waits for its "ready" line.
fn start_server(args: &[&str]) -> SmtpServer {
    let mut child = Command::new(python())
        .arg(script())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("guard_servers.py starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let server = SmtpServer { child };
    assert_eq!(line.trim(), "ready", "the test server did not start");
    server
}

pub(crate) fn start_smtp(mode: &str, port: u16, maildir: &Path, certs: &Path) -> SmtpServer {
    start_server(&[
        "smtp",
        "--port",
        &port.to_string(),
        "--maildir",
        &maildir.to_string_lossy(),
        "--certs",
        &certs.to_string_lossy(),
        "--mode",
        mode,
        "--user",
        USER,
        "--password",
        PASSWORD,
    ])
}

fn smtp_notifier(port: u16, security: &str, ca_file: Option<&Path>) -> String {
    let ca = ca_file.map_or_else(String::new, |f| {
        format!("tls_ca_file = \"{}\"\n", f.display())
    });
    format!(
        "[[notify]]\nkind = \"smtp\"\nname = \"mail\"\nhost = \"127.0.0.1\"\nport = {port}\n\
         from = \"guard@example.com\"\nto = [\"me@example.com\"]\n{security}\n{ca}\
         username = \"{USER}\"\npassword_env = \"FTDESK_TEST_SMTP_PASSWORD\"\n"
    )
}

fn run_guard(config: &Path, password: &str) -> std::process::Output {
    crate::common::ftdesk()
        .args(["guard", "--once", "--config"])
        .arg(config)
        .env("FTDESK_TEST_SMTP_PASSWORD", password)
        .output()
        .expect("runs")
}

fn assert_mails_carry_alert_ids(maildir: &Path) -> usize {
    let raw = mails(maildir);
    assert!(!raw.is_empty(), "no email arrived");
    for bytes in &raw {
        let message = mail_parser::MessageParser::default()
            .parse(bytes)
            .expect("parses");
        let id = message.message_id().expect("has a Message-ID");
        assert!(id.ends_with("@ftdesk.guard"), "{id}");
        assert!(message
            .subject()
            .unwrap_or("")
            .starts_with("[ftdesk guard]"));
    }
    raw.len()
}

fn email_over(mode: &str, security: &str) {
    let dir = tempfile::tempdir().unwrap();
    let certs = certs(dir.path());
    let maildir = dir.path().join("maildir");
    let port = free_port();
    let _server = start_smtp(mode, port, &maildir, &certs);
    let (_data, config) = setup(&smtp_notifier(port, security, Some(&certs.join("ca.pem"))));
    let out = run_guard(&config, PASSWORD);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sent = assert_mails_carry_alert_ids(&maildir);
    assert!(run_guard(&config, PASSWORD).status.success());
    assert_eq!(mails(&maildir).len(), sent, "the second run sends nothing");
}

#[test]
fn email_goes_over_starttls_with_auth() {
    email_over("starttls", "starttls = true");
}

#[test]
fn email_goes_over_implicit_tls_with_auth() {
    email_over("tls", "tls = true");
}

#[test]
fn a_wrong_password_or_an_untrusted_certificate_keeps_the_alert_queued() {
    let dir = tempfile::tempdir().unwrap();
    let certs = certs(dir.path());
    let maildir = dir.path().join("maildir");
    let port = free_port();
    let _server = start_smtp("starttls", port, &maildir, &certs);

    let (_a, trusted) = setup(&smtp_notifier(
        port,
        "starttls = true",
        Some(&certs.join("ca.pem")),
    ));
    let refused = run_guard(&trusted, "wrong password");
    assert_eq!(refused.status.code(), Some(3));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("mail: sending failed"), "{err}");

    let (_b, untrusted) = setup(&smtp_notifier(port, "starttls = true", None));
    let out = run_guard(&untrusted, PASSWORD);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    assert!(mails(&maildir).is_empty(), "nothing got through");

    // The queued alerts go out once the password is right.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(run_guard(&trusted, PASSWORD).status.success());
    assert_mails_carry_alert_ids(&maildir);
}

#[test]
fn starttls_and_tls_together_are_a_config_error() {
    let (_dir, config) = setup(&smtp_notifier(1, "starttls = true\ntls = true", None));
    let out = run_guard(&config, PASSWORD);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("guard.toml") && err.contains("`starttls` and `tls`"),
        "{err}"
    );
}

/// The posts an HTTPS receiver logged, one JSON object each.
fn posts(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn an_https_webhook_is_verified_against_the_configured_ca() {
    let dir = tempfile::tempdir().unwrap();
    let certs = certs(dir.path());
    let log = dir.path().join("posts.jsonl");
    let port = free_port();
    let _server = start_server(&[
        "https",
        "--port",
        &port.to_string(),
        "--certs",
        &certs.to_string_lossy(),
        "--log",
        &log.to_string_lossy(),
    ]);
    let hook = |ca: &str| {
        format!(
            "[[notify]]\nkind = \"webhook\"\nname = \"slack\"\nstyle = \"slack\"\n\
             url = \"https://127.0.0.1:{port}/services/T000/B000/XXXX\"\n{ca}"
        )
    };

    let (_a, untrusted) = setup(&hook(""));
    let out = guard_once(&untrusted);
    assert_eq!(out.status.code(), Some(3), "an unknown CA is refused");
    assert!(posts(&log).is_empty());

    let ca = format!("tls_ca_file = \"{}\"\n", certs.join("ca.pem").display());
    let (_b, trusted) = setup(&hook(&ca));
    let out = guard_once(&trusted);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let received = posts(&log);
    assert!(!received.is_empty());
    for post in &received {
        assert_eq!(post["path"], "/services/T000/B000/XXXX");
        assert_eq!(post["headers"]["content-type"], "application/json");
        let key = post["headers"]["idempotency-key"].as_str().unwrap();
        assert_eq!(key.len(), 32, "{post}");
        let body: Value = serde_json::from_str(post["body"].as_str().unwrap()).unwrap();
        assert!(body["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
}
