//! Issue 17, item 10: the guard's outbox under attack or neglect: a poisoned
//! payload, two runs at once, a blackholed receiver, a removed channel, a
//! login over plain SMTP, webhook URLs in errors.

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::common::ftdesk;
use crate::guard::{free_port, guard_once, ids, setup, webhook, Receiver, SECRET};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn state(config: &Path) -> Connection {
    Connection::open(config.with_file_name("guard.sqlite")).unwrap()
}

fn stored_errors(config: &Path) -> Vec<String> {
    let db = state(config);
    let mut statement = db
        .prepare("SELECT last_error FROM deliveries WHERE last_error IS NOT NULL")
        .unwrap();
    let rows = statement.query_map([], |row| row.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

/// A first run against a receiver that is down, so the deliveries stay queued.
fn queue_for_a_receiver_that_is_down(port: u16) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, config) = setup(&webhook(&format!("http://127.0.0.1:{port}/hook")));
    let down = guard_once(&config);
    assert_eq!(down.status.code(), Some(3), "{}", stderr(&down));
    (dir, config)
}

#[test]
fn an_unreadable_payload_is_parked_and_the_other_alerts_still_go() {
    let port = free_port();
    let (_dir, config) = queue_for_a_receiver_that_is_down(port);
    let poisoned: String = state(&config)
        .query_row(
            "UPDATE alerts SET payload = '{\"id\": 7' WHERE id = (SELECT MIN(id) FROM alerts) RETURNING id",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let receiver = Receiver::start(port, Duration::ZERO);
    std::thread::sleep(Duration::from_millis(1100)); // the first retry waits 1 s
    let out = guard_once(&config);
    let err = stderr(&out);
    assert!(err.contains("1 parked"), "{err}");
    let received = receiver.received();
    assert!(!received.is_empty(), "{err}");
    assert!(!ids(&received).contains(&poisoned));
    let parked_error: String = state(&config)
        .query_row(
            "SELECT last_error FROM deliveries WHERE alert_id = ?1 AND parked_at IS NOT NULL",
            [&poisoned],
            |row| row.get(0),
        )
        .unwrap();
    assert!(
        parked_error.contains("unreadable payload"),
        "{parked_error}"
    );
}

#[test]
fn two_guard_runs_at_once_send_each_alert_once() {
    let receiver = Receiver::start(0, Duration::from_millis(300));
    let (_dir, config) = setup(&webhook(&receiver.url()));
    let start = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("ftdesk"))
            .args(["guard", "--once", "--config"])
            .arg(&config)
            .env("FTDESK_TEST_HOOK_SECRET", SECRET)
            .env_remove("RUST_LOG")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("starts")
    };
    let (first, second) = (start(), start());
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let received = receiver.received();
    assert!(!received.is_empty());
    assert_eq!(
        ids(&received).len(),
        received.len(),
        "each alert once: {received:?}"
    );
}

#[test]
fn a_blackholed_receiver_does_not_stall_the_other_channel() {
    // accepts (the kernel's backlog) and never answers
    let blackhole = TcpListener::bind("127.0.0.1:0").unwrap();
    let hole = format!(
        "http://127.0.0.1:{}/hook",
        blackhole.local_addr().unwrap().port()
    );
    let receiver = Receiver::start(0, Duration::ZERO);
    let notify = format!(
        "send_timeout_seconds = 2\n{}{}",
        webhook(&hole).replace("\"hook\"", "\"a-hole\""),
        webhook(&receiver.url()).replace("\"hook\"", "\"b-hook\"")
    );
    let (_dir, config) = setup(&notify);
    let started = Instant::now();
    let out = guard_once(&config);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let received = receiver.received();
    let alerts: i64 = state(&config)
        .query_row("SELECT COUNT(*) FROM alerts", [], |row| row.get(0))
        .unwrap();
    assert!(alerts > 1, "the scenario gives several alerts");
    assert_eq!(received.len() as i64, alerts, "{}", stderr(&out));
    // one timeout for the blackholed channel, not one per alert
    assert!(took < Duration::from_secs(2 * 2), "took {took:?}");
    drop(blackhole);
}

#[test]
fn deliveries_for_a_removed_channel_are_reported_not_left_pending() {
    let port = free_port();
    let (_dir, config) = queue_for_a_receiver_that_is_down(port);
    let text = std::fs::read_to_string(&config).unwrap();
    let kept = &text[..text.find("[[notify]]").unwrap()];
    std::fs::write(&config, format!("{kept}[[notify]]\nkind = \"stdout\"\n")).unwrap();
    let out = guard_once(&config);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("channel `hook` is no longer in the config"),
        "{err}"
    );
    let pending_for_hook: i64 = state(&config)
        .query_row(
            "SELECT COUNT(*) FROM deliveries WHERE channel = 'hook' AND parked_at IS NULL AND sent_at IS NULL",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(pending_for_hook, 0);
}

#[test]
fn a_login_over_plain_smtp_is_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let (_dir, config) = setup(&format!(
        "[[notify]]\nkind = \"smtp\"\nhost = \"127.0.0.1\"\nport = {port}\n\
         from = \"guard@example.com\"\nto = [\"me@example.com\"]\n\
         username = \"guard\"\npassword_env = \"FTDESK_TEST_SMTP_PASSWORD\"\n"
    ));
    let out = ftdesk()
        .args(["guard", "--once", "--config"])
        .arg(&config)
        .env("FTDESK_TEST_SMTP_PASSWORD", "hunter2")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("username") && err.contains("plain SMTP"),
        "{err}"
    );
    assert!(listener.accept().is_err(), "no connection was made");
}

#[test]
fn a_webhook_url_never_appears_in_logs_or_stored_errors() {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/services/T0AAA/B0BBB/s3cretT0ken");
    let (_dir, config) = setup(&webhook(&url));
    let out = ftdesk()
        .args(["guard", "--once", "--config"])
        .arg(&config)
        .env("FTDESK_TEST_HOOK_SECRET", SECRET)
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains(&format!("127.0.0.1:{port}/…")), "{err}");
    let errors = stored_errors(&config);
    assert!(!errors.is_empty());
    for text in errors.iter().map(String::as_str).chain([err.as_str()]) {
        assert!(
            !text.contains("s3cretT0ken") && !text.contains("/services/"),
            "{text}"
        );
    }
}
