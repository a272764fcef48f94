//! `ftdesk guard` end to end: real receivers on loopback (an HTTP server here,
//! aiosmtpd from the test venv), the real binary, its SQLite outbox.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::common::{ftdesk, write_scenario};

pub const SECRET: &str = "test-secret-for-the-hook";

/// One request as the receiver saw it.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub signature_ok: bool,
    pub body: Value,
}

/// A webhook receiver on loopback that records requests, then answers
/// after `delay` (a slow receiver) with 200.
pub struct Receiver {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

impl Receiver {
    pub fn start(port: u16, delay: Duration) -> Receiver {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("receiver binds");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, stopped) = (Arc::clone(&received), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let log = Arc::clone(&log);
                std::thread::spawn(move || serve(stream, &log, delay));
            }
        });
        Receiver {
            port,
            received,
            stop,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Received>>, delay: Duration) {
    let mut reader = BufReader::new(stream);
    let mut headers = BTreeMap::new();
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
        line.clear();
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    if length == 0 || reader.read_exact(&mut body).is_err() {
        return;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(&body);
    let expected = hex::encode(mac.finalize().into_bytes());
    log.lock().unwrap().push(Received {
        id: headers.get("idempotency-key").cloned().unwrap_or_default(),
        signature_ok: headers.get("x-ftdesk-signature") == Some(&format!("sha256={expected}")),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    });
    std::thread::sleep(delay);
    let mut stream = reader.into_inner();
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A folder with the nat-gateway scenario and a guard.toml whose notifiers are `notify`.
pub fn setup(notify: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let bill = write_scenario("nat-gateway", dir.path());
    let config = dir.path().join("guard.toml");
    let text = format!(
        "paths = [\"{}\"]\nstate = \"guard.sqlite\"\n[outbox]\nretry_base_seconds = 1\n{notify}",
        bill.file_name().unwrap().to_string_lossy()
    );
    std::fs::write(&config, text).unwrap();
    (dir, config)
}

pub fn webhook(url: &str) -> String {
    format!(
        "[[notify]]\nkind = \"webhook\"\nname = \"hook\"\nurl = \"{url}\"\nsecret_env = \"FTDESK_TEST_HOOK_SECRET\"\n"
    )
}

pub fn guard_once(config: &Path) -> std::process::Output {
    ftdesk()
        .args(["guard", "--once", "--config"])
        .arg(config)
        .env("FTDESK_TEST_HOOK_SECRET", SECRET)
        .output()
        .expect("runs")
}

pub fn ids(received: &[Received]) -> BTreeSet<String> {
    received.iter().map(|r| r.id.clone()).collect()
}

#[test]
fn stdout_prints_each_alert_once() {
    let (_dir, config) = setup("");
    let first = guard_once(&config);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let text = String::from_utf8_lossy(&first.stdout);
    assert!(text.contains("never free"), "{text}");
    assert!(text.contains("Console:"), "{text}");
    let second = guard_once(&config);
    assert!(second.status.success());
    assert!(
        second.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&second.stdout)
    );
    assert!(String::from_utf8_lossy(&second.stderr)
        .contains("inputs unchanged since the last cycle, 0 new alerts"));
}

/// `guard run --once` is `guard --once`: the second run of either finds
/// the alerts the first put out.
#[test]
fn guard_run_is_the_same_cycle_as_guard() {
    let (_dir, config) = setup("");
    let run = ftdesk()
        .args(["guard", "run", "--once", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("never free"));
    let again = guard_once(&config);
    assert!(again.status.success());
    assert!(
        again.stdout.is_empty(),
        "each alert once, whichever spelling ran it"
    );
    let bare = ftdesk().args(["guard", "run"]).output().unwrap();
    assert_eq!(bare.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bare.stderr).contains("guard run needs --config FILE"));
}

#[test]
fn a_bad_config_names_the_file_and_key() {
    let (_dir, config) = setup("[rules]\nthresholds = \"high\"\n");
    let out = guard_once(&config);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("guard.toml") && err.contains("thresholds"),
        "{err}"
    );
}

#[test]
fn webhooks_are_signed_carry_the_alert_id_and_go_once() {
    let receiver = Receiver::start(0, Duration::ZERO);
    let (_dir, config) = setup(&webhook(&receiver.url()));
    let out = guard_once(&config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let received = receiver.received();
    assert!(!received.is_empty());
    for r in &received {
        assert!(r.signature_ok, "{r:?}");
        assert_eq!(r.body["alert"]["id"], Value::String(r.id.clone()));
    }
    assert_eq!(ids(&received).len(), received.len(), "no id twice");
    let again = guard_once(&config);
    assert!(again.status.success());
    assert_eq!(
        receiver.received().len(),
        received.len(),
        "the second run sends nothing"
    );
}

#[test]
fn a_receiver_that_is_down_gets_its_alerts_late_and_once() {
    let port = free_port();
    let (_dir, config) = setup(&webhook(&format!("http://127.0.0.1:{port}/hook")));
    let down = guard_once(&config);
    assert_eq!(
        down.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
    let receiver = Receiver::start(port, Duration::ZERO);
    std::thread::sleep(Duration::from_millis(1100)); // the first retry waits 1 s
    let up = guard_once(&config);
    assert!(
        up.status.success(),
        "{}",
        String::from_utf8_lossy(&up.stderr)
    );
    let received = receiver.received();
    assert!(!received.is_empty());
    assert_eq!(ids(&received).len(), received.len(), "each alert once");
    std::thread::sleep(Duration::from_millis(1100));
    assert!(guard_once(&config).status.success());
    assert_eq!(receiver.received().len(), received.len());
}

/// The alert's condition as the payload states it.
fn condition(r: &Received) -> String {
    let a = &r.body["alert"];
    format!(
        "{}|{}|{}|{}",
        a["kind"], a["month"], a["subject"], a["threshold"]
    )
}

#[test]
fn killed_mid_send_then_restarted_loses_nothing_and_keeps_ids() {
    let reference = Receiver::start(0, Duration::ZERO);
    let (_ref_dir, ref_config) = setup(&webhook(&reference.url()));
    assert!(guard_once(&ref_config).status.success());
    let expected = ids(&reference.received());
    assert!(
        expected.len() >= 2,
        "the scenario should give several alerts"
    );

    for kill_after_ms in [0u64, 150, 400, 700, 1000, 1600] {
        let slow = Receiver::start(0, Duration::from_millis(300));
        let (_dir, config) = setup(&webhook(&slow.url()));
        let mut child: Child = Command::new(assert_cmd::cargo::cargo_bin("ftdesk"))
            .args(["guard", "--once", "--config"])
            .arg(&config)
            .env("FTDESK_TEST_HOOK_SECRET", SECRET)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(kill_after_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !guard_once(&config).status.success() {
            assert!(
                Instant::now() < deadline,
                "restarts never delivered everything"
            );
            std::thread::sleep(Duration::from_millis(1100));
        }
        let received = slow.received();
        assert_eq!(ids(&received), expected, "killed after {kill_after_ms} ms");
        let mut per_condition: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for r in &received {
            assert!(r.signature_ok);
            per_condition
                .entry(condition(r))
                .or_default()
                .insert(r.id.clone());
        }
        assert!(
            per_condition.values().all(|ids| ids.len() == 1),
            "one id per condition: {per_condition:?}"
        );
        for id in &expected {
            let n = received.iter().filter(|r| &r.id == id).count();
            assert!(n <= 2, "{id} delivered {n} times after one kill");
        }
    }
}

pub fn python() -> PathBuf {
    crate::common::test_python("the SMTP test needs aiosmtpd")
}

pub struct SmtpServer {
    pub child: Child,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_aiosmtpd(port: u16, maildir: &Path) -> SmtpServer {
    let child = Command::new(python())
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("aiosmtpd starts");
    let server = SmtpServer { child };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "aiosmtpd did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

pub fn mails(maildir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    entries
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect()
}

#[test]
fn emails_reach_a_real_smtp_server_with_the_alert_id_as_message_id() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("maildir");
    let port = free_port();
    let _server = start_aiosmtpd(port, &maildir);
    let smtp = format!(
        "[[notify]]\nkind = \"smtp\"\nhost = \"127.0.0.1\"\nport = {port}\nfrom = \"guard@example.com\"\nto = [\"me@example.com\"]\n[[notify]]\nkind = \"stdout\"\n"
    );
    let (_data, config) = setup(&smtp);
    let out = guard_once(&config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    let printed_ids: BTreeSet<String> = printed
        .lines()
        .filter_map(|l| {
            l.strip_prefix('[')?
                .split_once(']')
                .map(|(id, _)| id.to_owned())
        })
        .collect();
    let raw = mails(&maildir);
    assert_eq!(raw.len(), printed_ids.len(), "one email per alert");
    let mut mail_ids = BTreeSet::new();
    for bytes in &raw {
        let message = mail_parser::MessageParser::default()
            .parse(bytes)
            .expect("parses");
        let id = message.message_id().expect("has a Message-ID");
        let alert_id = id.strip_suffix("@ftdesk.guard").expect("ftdesk id");
        mail_ids.insert(alert_id.to_owned());
        assert!(message
            .subject()
            .unwrap_or("")
            .starts_with("[ftdesk guard]"));
        assert!(message
            .body_text(0)
            .unwrap_or_default()
            .contains("Console:"));
    }
    assert_eq!(mail_ids, printed_ids);
    assert!(guard_once(&config).status.success());
    assert_eq!(
        mails(&maildir).len(),
        raw.len(),
        "the second run sends nothing"
    );
}

#[test]
fn guard_without_a_config_says_what_it_needs() {
    let out = crate::common::ftdesk().arg("guard").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--config FILE"), "{err}");
}
