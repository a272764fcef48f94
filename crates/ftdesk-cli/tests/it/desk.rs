//! `ftdesk desk`: the real binary on loopback: its SMTP listener fed by a raw
//! SMTP client, its pages read over HTTP, replies delivered to a real SMTP
//! server (aiosmtpd from the test venv).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mail_builder::headers::address::Address;
use mail_builder::MessageBuilder;
use mail_parser::MessageParser;

use crate::common::{cents, check_json, dec, ftdesk, write_scenario};

pub(crate) const INQUIRY: &str =
    "Hello,\n\nI only use the free tier, but my AWS bill for October 2025 shows charges. \
Could you explain what I am paying for and how to stop it?\n\nThanks,\nJane Doe\n";

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A new desk database in its own temporary folder: the folder, the
/// database and the lead's one-time password.
pub(crate) fn new_desk() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let password = init(&db);
    (dir, db, password)
}

/// Creates a desk database and returns the lead's one-time password.
pub(crate) fn init(db: &Path) -> String {
    let out = ftdesk()
        .args(["desk", "init", "--db"])
        .arg(db)
        .args(["--admin", "lead@example.com"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    password_in(&String::from_utf8_lossy(&out.stdout))
}

fn password_in(stdout: &str) -> String {
    stdout
        .split("one-time password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no password printed: {stdout}"))
        .to_owned()
}

pub(crate) fn add_user(db: &Path, email: &str, role: &str, lang: &str) -> String {
    let out = ftdesk()
        .args(["desk", "user", "--db"])
        .arg(db)
        .args(["--email", email, "--role", role, "--lang", lang])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    password_in(&String::from_utf8_lossy(&out.stdout))
}

pub(crate) struct Desk {
    pub(crate) child: Child,
    pub(crate) web: u16,
    pub(crate) smtp: u16,
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Desk {
    pub(crate) fn start(db: &Path, smtp_out: Option<u16>, max_size: usize) -> Desk {
        let out = smtp_out.map(|port| format!("smtp://127.0.0.1:{port}"));
        let args: Vec<&str> = match &out {
            Some(url) => vec!["--smtp-out", url],
            None => Vec::new(),
        };
        Desk::start_with(db, &args, &[], max_size)
    }

    /// A desk started with more arguments and environment variables.
    pub(crate) fn start_with(
        db: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        max_size: usize,
    ) -> Desk {
        let (web, smtp) = (free_port(), free_port());
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ftdesk"));
        cmd.args(["desk", "serve", "--db"])
            .arg(db)
            .args(["--listen", &format!("127.0.0.1:{web}")])
            .args(["--smtp-in", &format!("127.0.0.1:{smtp}")])
            .args(["--max-message-size", &max_size.to_string()])
            .args(["--mail-from", "support@desk.example.com"])
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd.args(args).envs(env.iter().copied());
        let desk = Desk {
            child: cmd.spawn().expect("the desk starts"),
            web,
            smtp,
        };
        wait_for_port(web, "the desk's web server");
        wait_for_port(smtp, "the desk's SMTP listener");
        desk
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.web)
    }

    /// Stops the desk with SIGKILL, as a crash would.
    pub(crate) fn kill9(&mut self) {
        kill9(&mut self.child);
    }
}

// --- a raw SMTP client -------------------------------------------------------

pub(crate) struct Smtp {
    pub(crate) reader: BufReader<TcpStream>,
    pub(crate) writer: TcpStream,
}

impl Smtp {
    pub(crate) fn connect(port: u16) -> Smtp {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut smtp = Smtp {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        };
        assert!(smtp.reply().starts_with("220"));
        smtp
    }

    /// One reply, all its lines.
    pub(crate) fn reply(&mut self) -> String {
        let mut text = String::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).unwrap();
            text.push_str(&line);
            if line.len() < 4 || line.as_bytes()[3] != b'-' {
                return text;
            }
        }
    }

    pub(crate) fn command(&mut self, line: &str) -> String {
        self.writer
            .write_all(format!("{line}\r\n").as_bytes())
            .unwrap();
        self.reply()
    }

    /// Sends a message; returns the reply to the end of DATA (or the first refusal).
    fn send(&mut self, raw: &[u8]) -> String {
        self.send_from("jane@example.com", raw)
    }

    /// Sends a message with `envelope` as the MAIL FROM address.
    pub(crate) fn send_from(&mut self, envelope: &str, raw: &[u8]) -> String {
        let ehlo = self.command("EHLO test.example.com");
        assert!(ehlo.contains("SIZE"), "{ehlo}");
        let mail_from = format!("MAIL FROM:<{envelope}>");
        for command in [mail_from.as_str(), "RCPT TO:<desk@example.com>"] {
            let reply = self.command(command);
            if !reply.starts_with("250") {
                return reply;
            }
        }
        let go = self.command("DATA");
        assert!(go.starts_with("354"), "{go}");
        let mut body = Vec::new();
        for line in raw.split_inclusive(|b| *b == b'\n') {
            if line.starts_with(b".") {
                body.push(b'.');
            }
            body.extend_from_slice(line);
        }
        if !body.ends_with(b"\r\n") {
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b".\r\n");
        self.writer.write_all(&body).unwrap();
        self.reply()
    }
}

pub(crate) fn deliver(desk: &Desk, raw: &[u8]) -> String {
    let mut smtp = Smtp::connect(desk.smtp);
    let reply = smtp.send(raw);
    smtp.command("QUIT");
    reply
}

pub(crate) fn inquiry_mail(id: &str, subject: &str, body: &str, billing: Option<&Path>) -> Vec<u8> {
    let mut builder = MessageBuilder::new()
        .from(Address::new_address(Some("Jane Doe"), "jane@example.com"))
        .to("desk@example.com")
        .subject(subject)
        .message_id(id)
        .date(1_762_000_000_i64)
        .text_body(body);
    if let Some(path) = billing {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        builder = builder.attachment("text/csv", name, std::fs::read(path).unwrap());
    }
    builder.write_to_vec().unwrap()
}

// --- a small HTTP client with a cookie jar --------------------------------------

pub(crate) struct Browser {
    agent: ureq::Agent,
    pub(crate) cookies: Vec<(String, String)>,
}

pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) body: String,
    pub(crate) location: Option<String>,
}

impl Browser {
    pub(crate) fn new() -> Browser {
        Browser {
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            cookies: Vec::new(),
        }
    }

    pub(crate) fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: ureq::Response) -> Page {
        for value in response.all("set-cookie") {
            let pair = value.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.retain(|(k, _)| k != name);
                if !value.is_empty() {
                    self.cookies.push((name.to_owned(), value.to_owned()));
                }
            }
        }
        let status = response.status();
        let location = response.header("location").map(str::to_owned);
        let mut body = String::new();
        response.into_reader().read_to_string(&mut body).unwrap();
        Page {
            status,
            body,
            location,
        }
    }

    fn answer(&mut self, result: Result<ureq::Response, ureq::Error>) -> Page {
        match result {
            Ok(response) | Err(ureq::Error::Status(_, response)) => self.keep(response),
            Err(e) => panic!("HTTP request failed: {e}"),
        }
    }

    pub(crate) fn get(&mut self, url: &str) -> Page {
        let request = self.agent.get(url).set("Cookie", &self.cookie_header());
        let result = request.call();
        self.answer(result)
    }

    pub(crate) fn post(&mut self, url: &str, form: &[(&str, &str)]) -> Page {
        let request = self.agent.post(url).set("Cookie", &self.cookie_header());
        let result = request.send_form(form);
        self.answer(result)
    }

    /// Posts `multipart/form-data`: `(name, filename, content)`, a file when it has a name.
    pub(crate) fn post_multipart(
        &mut self,
        url: &str,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Page {
        let boundary = "----ftdeskTestBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, filename, content) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let disposition = match filename {
                Some(file) => format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n"
                ),
                None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
            };
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = self
            .agent
            .post(url)
            .set("Cookie", &self.cookie_header())
            .set(
                "Content-Type",
                &format!("multipart/form-data; boundary={boundary}"),
            );
        let result = request.send_bytes(&body);
        self.answer(result)
    }

    /// Logs in as a user holding `password`. A first login with a one-time
    /// password replaces it, as the desk demands, with [`own_password`]; later
    /// logins in this test process send that one.
    /// A new browser logged in as the lead.
    pub(crate) fn lead(desk: &Desk, password: &str) -> Browser {
        let mut browser = Browser::new();
        browser.login(desk, "lead@example.com", password);
        browser
    }

    pub(crate) fn login(&mut self, desk: &Desk, email: &str, password: &str) -> Page {
        let key = (email.to_owned(), password.to_owned());
        let replaced = REPLACED.lock().unwrap().contains(&key);
        let sent = match replaced {
            true => own_password(password),
            false => password.to_owned(),
        };
        let page = self.post_login(desk, email, &sent);
        if page.location.as_deref() == Some("/settings") {
            let changed = self.replace_password(desk, &sent, &own_password(password));
            assert_eq!(changed.status, 200, "{}", changed.body);
            REPLACED.lock().unwrap().insert(key);
        }
        page
    }

    pub(crate) fn post_login(&mut self, desk: &Desk, email: &str, password: &str) -> Page {
        let page = self.get(&desk.url("/login"));
        let token = hidden(&page.body, "csrf");
        self.post(
            &desk.url("/login"),
            &[("email", email), ("password", password), ("csrf", &token)],
        )
    }

    pub(crate) fn replace_password(&mut self, desk: &Desk, current: &str, new: &str) -> Page {
        let settings = self.get(&desk.url("/settings"));
        let csrf = hidden(&settings.body, "csrf");
        self.post(
            &desk.url("/settings/password"),
            &[("csrf", &csrf), ("current", current), ("new", new)],
        )
    }
}

/// One-time passwords this test process replaced: (email, password). Each
/// `desk init` or `desk user` makes a new random password, so the pair is unique.
static REPLACED: std::sync::Mutex<std::collections::BTreeSet<(String, String)>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// The password a test's user chooses in place of its one-time `password`.
pub(crate) fn own_password(password: &str) -> String {
    format!("{password}-own")
}

/// The value of the first hidden input `name` in a page.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field in {html}"))
        + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

/// The text of the first `<textarea name="body">`, unescaped.
pub(crate) fn textarea(html: &str) -> String {
    let start = html.find("<textarea name=\"body\"").expect("a draft");
    let start = html[start..].find('>').unwrap() + start + 1;
    let end = html[start..].find("</textarea>").unwrap() + start;
    unescape(&html[start..end])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// Waits until the case's report and draft are ready (the analysis runs after the 250).
pub(crate) fn ready_case(browser: &mut Browser, desk: &Desk, case: u32) -> Page {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let page = browser.get(&desk.url(&format!("/cases/{case}")));
        assert_eq!(page.status, 200, "{}", page.body);
        if page.body.contains(&format!("/cases/{case}/report\"")) {
            return page;
        }
        assert!(
            !page.body.contains("could not be read"),
            "analysis failed: {}",
            page.body
        );
        assert!(Instant::now() < deadline, "the case was never analysed");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Sends case `case`'s draft as the desk composed it, once the case is
/// ready: the page the send answered with, and the draft.
pub(crate) fn send_ready_draft(browser: &mut Browser, desk: &Desk, case: u32) -> (Page, String) {
    let page = ready_case(browser, desk, case);
    let (draft, csrf) = (textarea(&page.body), hidden(&page.body, "csrf"));
    let send_key = hidden(&page.body, "send_key");
    let sent = browser.post(
        &desk.url(&format!("/cases/{case}/send")),
        &[("csrf", &csrf), ("body", &draft), ("send_key", &send_key)],
    );
    (sent, draft)
}

// --- aiosmtpd, the real receiving server -----------------------------------------

fn python() -> PathBuf {
    crate::common::test_python("the desk test needs aiosmtpd")
}

pub(crate) struct Receiver {
    child: Child,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start_receiver(port: u16, maildir: &Path) -> Receiver {
    let child = Command::new(python())
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("aiosmtpd starts");
    let receiver = Receiver { child };
    wait_for_port(port, "aiosmtpd");
    receiver
}

/// A desk whose replies go to a receiver keeping them in `dir/maildir` (read
/// them with [`received`]); the receiver outlives the desk.
pub(crate) fn desk_with_receiver(dir: &Path, db: &Path) -> (Receiver, Desk, PathBuf) {
    let maildir = dir.join("maildir");
    let out_port = free_port();
    let receiver = start_receiver(out_port, &maildir);
    let desk = Desk::start(db, Some(out_port), 64 * 1024 * 1024);
    (receiver, desk, maildir)
}

pub(crate) fn received(maildir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    entries
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect()
}

// --- the tests ---------------------------------------------------------------------

#[test]
fn a_case_arrives_by_smtp_and_is_answered_in_the_browser() {
    let (dir, db, password) = new_desk();
    let (_receiver, desk, maildir) = desk_with_receiver(dir.path(), &db);
    let data = write_scenario("two-instances", &dir.path().join("billing"));
    let net = cents(dec(&check_json(&[data.to_str().unwrap()])["net_cost"]));
    let due = format!("${net}");

    let mail = inquiry_mail(
        "inquiry-1@example.com",
        "Unexpected charges on my bill",
        INQUIRY,
        Some(&data),
    );
    let accepted = deliver(&desk, &mail);
    assert!(accepted.starts_with("250"), "{accepted}");
    assert!(accepted.contains("case 1"), "{accepted}");

    let mut browser = Browser::new();
    let login = browser.login(&desk, "lead@example.com", &password);
    assert_eq!(login.status, 303, "{}", login.body);
    assert_eq!(
        login.location.as_deref(),
        Some("/settings"),
        "a one-time password is replaced first"
    );
    let session = browser
        .cookies
        .iter()
        .find(|(k, _)| k == "desk_session")
        .expect("a session cookie");
    assert_eq!(session.1.len(), 64);

    let queue = browser.get(&desk.url("/"));
    assert_eq!(queue.status, 200);
    assert!(
        queue.body.contains("Unexpected charges on my bill"),
        "{}",
        queue.body
    );
    assert!(queue.body.contains("jane@example.com"));

    let case = ready_case(&mut browser, &desk, 1);
    assert!(
        case.body.contains("two-instances-2025-10.csv"),
        "the attachment is listed"
    );
    let draft = textarea(&case.body);
    assert!(
        draft.contains(&due),
        "the draft states the net due {due}:\n{draft}"
    );
    let report = browser.get(&desk.url("/cases/1/report"));
    assert_eq!(report.status, 200);
    assert!(report.body.contains(&due), "the report states {due}");
    let csrf = hidden(&case.body, "csrf");

    // An invented figure is flagged and stops the send until confirmed.
    let edited = format!("{draft}\nWe will refund $99.99 right away.\n");
    let saved = browser.post(
        &desk.url("/cases/1/draft"),
        &[("csrf", &csrf), ("body", &edited)],
    );
    assert_eq!(saved.status, 200);
    assert!(
        saved.body.contains("class=\"figure\">99.99<"),
        "{}",
        saved.body
    );
    let send_key = hidden(&saved.body, "send_key");
    let refused = browser.post(
        &desk.url("/cases/1/send"),
        &[("csrf", &csrf), ("body", &edited), ("send_key", &send_key)],
    );
    assert_eq!(refused.status, 409);
    assert!(received(&maildir).is_empty(), "nothing was sent");

    // A text module goes in, then the reply goes out.
    let module = case
        .body
        .split("<option value=\"")
        .skip(1)
        .find(|o| o.contains("closing (en)"))
        .and_then(|o| o.split('"').next())
        .expect("the closing module is offered")
        .to_owned();
    let inserted = browser.post(
        &desk.url("/cases/1/insert"),
        &[("csrf", &csrf), ("body", &draft), ("module", &module)],
    );
    let with_module = textarea(&inserted.body);
    assert!(
        with_module.contains("If anything is unclear about case #1"),
        "{with_module}"
    );
    let send_key = hidden(&inserted.body, "send_key");
    let sent = browser.post(
        &desk.url("/cases/1/send"),
        &[
            ("csrf", &csrf),
            ("body", &with_module),
            ("send_key", &send_key),
        ],
    );
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("The reply was sent."), "{}", sent.body);

    let mails = received(&maildir);
    assert_eq!(mails.len(), 1, "one reply reached the SMTP server");
    let message = MessageParser::default().parse(&mails[0]).unwrap();
    assert_eq!(
        message.in_reply_to().as_text(),
        Some("inquiry-1@example.com")
    );
    assert_eq!(
        message.references().as_text_list().unwrap_or_default(),
        vec!["inquiry-1@example.com"]
    );
    let to = message
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address());
    assert_eq!(to, Some("jane@example.com"));
    assert!(message.subject().unwrap().starts_with("Re: "));
    let body = message.body_text(0).unwrap();
    assert!(body.contains(&due), "the sent reply states {due}");
    assert!(body.contains("If anything is unclear about case #1"));
    let sent_id = message.message_id().unwrap().to_owned();

    // The sent message is kept, and the case waits on the customer.
    let case = browser.get(&desk.url("/cases/1"));
    assert!(case.body.contains("reply · sent"), "{}", case.body);
    assert!(
        case.body.contains("&gt; · waiting on customer ·"),
        "{}",
        case.body
    );

    // The customer's answer threads into the same case.
    let answer = format!(
        "From: jane@example.com\r\nTo: desk@example.com\r\nSubject: Re: Unexpected charges\r\n\
Message-ID: <answer-1@example.com>\r\nIn-Reply-To: <{sent_id}>\r\nReferences: <inquiry-1@example.com> <{sent_id}>\r\n\r\n\
Thank you, I stopped the second instance.\r\n"
    );
    let threaded = deliver(&desk, answer.as_bytes());
    assert!(threaded.contains("case 1"), "{threaded}");
    let case = browser.get(&desk.url("/cases/1"));
    assert!(case.body.contains("I stopped the second instance"));
    let search = browser.get(&desk.url("/?q=second+instance&status=all"));
    assert!(
        search.body.contains("/cases/1\""),
        "full-text search finds the answer"
    );
    let none = browser.get(&desk.url("/?q=kubernetes&status=all"));
    assert!(!none.body.contains("/cases/1\""));

    // The lead reads the audit log, which recorded the send.
    let audit = browser.get(&desk.url("/audit"));
    assert_eq!(audit.status, 200);
    for action in ["login", "case-viewed", "draft-edited", "sent"] {
        assert!(
            audit.body.contains(&format!("<td>{action}</td>")),
            "audit lacks {action}"
        );
    }
}

#[test]
fn a_one_time_password_must_be_replaced_before_anything_else() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 1024 * 1024);
    let mut browser = Browser::new();
    let first = browser.post_login(&desk, "lead@example.com", &password);
    assert_eq!(first.location.as_deref(), Some("/settings"));
    for page in ["/", "/audit", "/cases/1", "/upload"] {
        let blocked = browser.get(&desk.url(page));
        assert_eq!(blocked.status, 303, "{page}");
        assert_eq!(blocked.location.as_deref(), Some("/settings"), "{page}");
    }
    let settings = browser.get(&desk.url("/settings"));
    assert!(
        settings.body.contains("works only once"),
        "{}",
        settings.body
    );
    let same = browser.replace_password(&desk, &password, &password);
    assert!(same.body.contains("must differ"), "{}", same.body);
    assert_eq!(browser.get(&desk.url("/")).status, 303);
    let own = "a password of my own, 2026";
    let changed = browser.replace_password(&desk, &password, own);
    assert!(changed.body.contains("Saved."), "{}", changed.body);
    assert_eq!(browser.get(&desk.url("/")).status, 200);

    let mut again = Browser::new();
    assert_eq!(
        again
            .post_login(&desk, "lead@example.com", &password)
            .status,
        401,
        "the one-time password works once"
    );
    let second = again.post_login(&desk, "lead@example.com", own);
    assert_eq!(second.location.as_deref(), Some("/"));
}

#[test]
fn forms_without_their_csrf_token_are_refused() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 1024 * 1024);
    let mail = inquiry_mail("q@example.com", "A question", INQUIRY, None);
    assert!(deliver(&desk, &mail).starts_with("250"));
    let mut browser = Browser::new();
    assert_eq!(
        browser.login(&desk, "lead@example.com", &password).status,
        303
    );
    for form in [
        vec![("body", "a note")],
        vec![("body", "a note"), ("csrf", "forged")],
    ] {
        let refused = browser.post(&desk.url("/cases/1/notes"), &form);
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert!(refused.body.contains("security token"));
    }
    let case = browser.get(&desk.url("/cases/1"));
    assert!(!case.body.contains("a note"), "no note was added");
    let csrf = hidden(&case.body, "csrf");
    let added = browser.post(
        &desk.url("/cases/1/notes"),
        &[("body", "a note"), ("csrf", &csrf)],
    );
    assert_eq!(added.status, 303);
    assert!(browser.get(&desk.url("/cases/1")).body.contains("a note"));
    // The login form has its own token, bound to a cookie.
    let mut stranger = Browser::new();
    let forged = stranger.post(
        &desk.url("/login"),
        &[
            ("email", "lead@example.com"),
            ("password", &password),
            ("csrf", "x"),
        ],
    );
    assert_eq!(forged.status, 403);
    assert!(!stranger.cookies.iter().any(|(k, _)| k == "desk_session"));
}

#[test]
fn an_associate_cannot_read_the_audit_log_or_lead_pages() {
    let (_dir, db, lead_password) = new_desk();
    let password = add_user(&db, "ann@example.com", "associate", "en");
    let desk = Desk::start(&db, None, 1024 * 1024);
    let mut lead = Browser::new();
    assert_eq!(
        lead.login(&desk, "lead@example.com", &lead_password).status,
        303
    );
    for page in ["/audit", "/modules", "/users", "/settings"] {
        assert_eq!(lead.get(&desk.url(page)).status, 200, "{page}");
    }
    let people = lead.get(&desk.url("/users"));
    let csrf = hidden(&people.body, "csrf");
    let added = lead.post(
        &desk.url("/users"),
        &[
            ("csrf", &csrf),
            ("email", "bo@example.com"),
            ("role", "associate"),
        ],
    );
    assert_eq!(added.status, 200);
    let bo_password = added
        .body
        .split("class=\"password\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the one-time password is shown")
        .to_owned();
    let mut bo = Browser::new();
    assert_eq!(bo.login(&desk, "bo@example.com", &bo_password).status, 303);

    let mut browser = Browser::new();
    assert_eq!(
        browser.login(&desk, "ann@example.com", &password).status,
        303
    );
    assert_eq!(browser.get(&desk.url("/")).status, 200);
    for page in ["/audit", "/modules", "/users"] {
        let refused = browser.get(&desk.url(page));
        assert_eq!(refused.status, 403, "{page}");
        assert!(refused.body.contains("Only a lead"), "{page}");
        assert!(!refused.body.contains("login-failed"));
    }
    let mut anonymous = Browser::new();
    let redirected = anonymous.get(&desk.url("/audit"));
    assert_eq!(redirected.status, 303);
    assert_eq!(redirected.location.as_deref(), Some("/login"));
}

#[test]
fn markup_in_an_inquiry_is_shown_as_text() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 1024 * 1024);
    let mail = inquiry_mail(
        "xss@example.com",
        "<img src=x onerror=alert(1)>",
        "Hello <script>alert('desk')</script> world",
        None,
    );
    assert!(deliver(&desk, &mail).starts_with("250"));
    let mut browser = Browser::lead(&desk, &password);
    for page in ["/", "/cases/1"] {
        let body = browser.get(&desk.url(page)).body;
        assert!(!body.contains("<script>alert"), "{page}: {body}");
        assert!(!body.contains("<img src=x"), "{page}");
        assert!(
            body.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{page}"
        );
    }
    let case = browser.get(&desk.url("/cases/1")).body;
    assert!(case.contains("&lt;script&gt;alert("), "{case}");
}

#[test]
fn oversized_and_malformed_mail_is_refused_and_nothing_is_stored() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 64 * 1024);
    let big = "x".repeat(100) + "\n";
    let huge = inquiry_mail("big@example.com", "Huge message", &big.repeat(1000), None);
    let refused = deliver(&desk, &huge);
    assert!(refused.starts_with("552"), "{refused}");
    assert!(refused.contains("65536"), "the limit is named: {refused}");
    // Declared up front, the size is refused before the data is sent.
    let mut smtp = Smtp::connect(desk.smtp);
    smtp.command("EHLO test.example.com");
    let declared = smtp.command(&format!("MAIL FROM:<jane@example.com> SIZE={}", huge.len()));
    assert!(declared.starts_with("552"), "{declared}");
    let malformed = deliver(&desk, b"this is not an e-mail message\r\n");
    assert!(malformed.starts_with("554"), "{malformed}");
    let fine = inquiry_mail("small@example.com", "Small message", INQUIRY, None);
    assert!(
        deliver(&desk, &fine).contains("case 1"),
        "the first stored case is number 1"
    );
    let mut browser = Browser::lead(&desk, &password);
    let queue = browser.get(&desk.url("/?status=all")).body;
    assert!(!queue.contains("Huge message"));
    assert!(queue.contains("Small message"));
}

#[test]
fn ten_wrong_passwords_lock_the_login_without_saying_so_and_the_operator_unlocks_it() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 1024 * 1024);
    let mut browser = Browser::new();
    for attempt in 1..=10 {
        let page = browser.login(&desk, "lead@example.com", "wrong password");
        assert_eq!(page.status, 401, "attempt {attempt}");
    }
    let locked = browser.login(&desk, "lead@example.com", &password);
    let unknown = browser.login(&desk, "nobody@example.com", "wrong password");
    assert_eq!(
        locked.status, 401,
        "the right password is refused while locked"
    );
    let without_token = |body: &str| body.replace(&hidden(body, "csrf"), "");
    assert_eq!(
        (locked.status, without_token(&locked.body)),
        (unknown.status, without_token(&unknown.body)),
        "a locked account is answered as an unknown one"
    );
    assert!(!browser.cookies.iter().any(|(k, _)| k == "desk_session"));

    let out = ftdesk()
        .args(["desk", "user", "unlock", "--db"])
        .arg(&db)
        .args(["--email", "lead@example.com"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = browser.login(&desk, "lead@example.com", &password);
    assert_eq!(page.status, 303, "{}", page.body);

    let out = ftdesk()
        .args(["desk", "user", "reset", "--db"])
        .arg(&db)
        .args(["--email", "lead@example.com"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = password_in(&String::from_utf8_lossy(&out.stdout));
    assert!(
        browser.get(&desk.url("/")).location.as_deref() == Some("/login"),
        "a reset ends the account's sessions"
    );
    let mut again = Browser::new();
    let page = again.post_login(&desk, "lead@example.com", &fresh);
    assert_eq!(page.location.as_deref(), Some("/settings"), "{}", page.body);

    let out = ftdesk()
        .args(["desk", "user", "unlock", "--db"])
        .arg(&db)
        .args(["--email", "nobody@example.com"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no account nobody@example.com"));
}

#[test]
fn the_interface_follows_the_users_language() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 1024 * 1024);
    let mut browser = Browser::lead(&desk, &password);
    let english = browser.get(&desk.url("/settings"));
    assert!(english.body.contains("Interface language"));
    let csrf = hidden(&english.body, "csrf");
    let saved = browser.post(&desk.url("/settings"), &[("csrf", &csrf), ("lang", "ko")]);
    assert!(saved.body.contains("저장했습니다"), "{}", saved.body);
    let queue = browser.get(&desk.url("/"));
    assert!(queue.body.contains("대기열"));
    assert!(queue.body.contains("lang=\"ko\""));
}

#[test]
fn import_makes_a_case_and_refuses_bad_input_with_exit_2() {
    let (dir, db, password) = new_desk();
    let data = write_scenario("nat-gateway", &dir.path().join("billing"));
    let eml = dir.path().join("case.eml");
    std::fs::write(
        &eml,
        inquiry_mail("imp@example.com", "NAT charges", INQUIRY, None),
    )
    .unwrap();

    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("broken.csv"), "not,a,bill\n1,2,3\n").unwrap();
    let out = ftdesk()
        .args(["desk", "import", "--db"])
        .arg(&db)
        .arg(&eml)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.csv"), "the file is named: {stderr}");
    assert!(!stderr.contains("panicked"));

    let not_mail = dir.path().join("note.txt");
    std::fs::write(&not_mail, "just words").unwrap();
    let out = ftdesk()
        .args(["desk", "import", "--db"])
        .arg(&db)
        .arg(&not_mail)
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("note.txt"));

    let out = ftdesk()
        .args(["desk", "import", "--db"])
        .arg(&db)
        .arg(&eml)
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("case 1 created"),
        "bad imports stored nothing"
    );

    let again = ftdesk()
        .args(["desk", "init", "--db"])
        .arg(&db)
        .args(["--admin", "x@example.com"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already set up"));

    let desk = Desk::start(&db, None, 1024 * 1024);
    let mut browser = Browser::lead(&desk, &password);
    let case = browser.get(&desk.url("/cases/1"));
    let net = cents(dec(&check_json(&[data.to_str().unwrap()])["net_cost"]));
    assert!(textarea(&case.body).contains(&format!("${net}")));
    assert!(case.body.contains("nat-gateway-2025-10.csv"));

    let copy = dir.path().join("copy.sqlite");
    let out = ftdesk()
        .args(["desk", "backup", "--db"])
        .arg(&db)
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop(desk);
    let copy_desk = Desk::start(&copy, None, 1024 * 1024);
    let mut browser = Browser::new();
    browser.login(&copy_desk, "lead@example.com", &password);
    assert!(
        browser
            .get(&copy_desk.url("/"))
            .body
            .contains("NAT charges"),
        "the backup holds the case"
    );
}

#[test]
fn killed_mid_mail_and_mid_send_the_desk_loses_nothing_and_claims_nothing() {
    let (_dir, db, password) = new_desk();
    // An SMTP server that greets and then never answers: the send hangs.
    let stuck = TcpListener::bind("127.0.0.1:0").unwrap();
    let stuck_port = stuck.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in stuck.incoming().take(1) {
            let mut stream = stream.unwrap();
            stream
                .write_all(b"220 stuck.example.com ESMTP\r\n")
                .unwrap();
            held.push(stream);
            std::thread::sleep(Duration::from_secs(30));
        }
    });
    let mut desk = Desk::start(&db, Some(stuck_port), 1024 * 1024);
    let accepted = deliver(
        &desk,
        &inquiry_mail(
            "kept@example.com",
            "Accepted before the kill",
            INQUIRY,
            None,
        ),
    );
    assert!(accepted.starts_with("250"), "{accepted}");

    // A message cut off mid-DATA by the kill.
    let mut partial = Smtp::connect(desk.smtp);
    partial.command("EHLO test.example.com");
    partial.command("MAIL FROM:<jane@example.com>");
    partial.command("RCPT TO:<desk@example.com>");
    assert!(partial.command("DATA").starts_with("354"));
    partial
        .writer
        .write_all(b"From: jane@example.com\r\nSubject: Cut off mid-message\r\n\r\nhalf a")
        .unwrap();

    // A reply caught mid-send.
    let mut browser = Browser::lead(&desk, &password);
    let case = browser.get(&desk.url("/cases/1"));
    let csrf = hidden(&case.body, "csrf");
    let send_key = hidden(&case.body, "send_key");
    let cookie = browser.cookie_header();
    let url = desk.url("/cases/1/send");
    let sender = std::thread::spawn(move || {
        let _ = ureq::post(&url).set("Cookie", &cookie).send_form(&[
            ("csrf", &csrf),
            ("body", "Hello Jane, here is the answer."),
            ("send_key", &send_key),
        ]);
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let audit = browser.get(&desk.url("/audit")).body;
        if audit.contains("<td>send-started</td>") {
            break;
        }
        assert!(Instant::now() < deadline, "the send never started");
        std::thread::sleep(Duration::from_millis(100));
    }
    kill9(&mut desk.child);
    drop(partial);
    let _ = sender.join();

    let desk = Desk::start(&db, None, 1024 * 1024);
    let mut browser = Browser::lead(&desk, &password);
    let queue = browser.get(&desk.url("/?status=all")).body;
    assert!(
        queue.contains("Accepted before the kill"),
        "accepted mail survives"
    );
    assert!(
        !queue.contains("Cut off mid-message"),
        "a cut-off message is not stored"
    );
    let case = browser.get(&desk.url("/cases/1")).body;
    assert!(
        !case.contains("reply · sent"),
        "no reply is marked sent: {case}"
    );
    assert!(case.contains("reply · not sent"), "{case}");
    assert!(case.contains("interrupted"), "{case}");
}

fn kill9(child: &mut Child) {
    let status = Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = child.wait();
}
