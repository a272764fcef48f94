//! The desk's web side under attack (issue 17, items 6-9): login floods and
//! lockout, one-time passwords and sessions, double sends, slow clients and
//! stopping. The real binary on loopback; replies go to aiosmtpd or to a slow
//! SMTP server in the test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use crate::common::write_scenario;
use crate::desk::{
    add_user, deliver, hidden, init, inquiry_mail, ready_case, received, start_receiver, textarea,
    Browser, Desk, INQUIRY,
};

/// GETs the login form and POSTs a login with its token: (status, Retry-After).
fn raw_login(desk: &Desk, email: &str, password: &str) -> (u16, Option<String>) {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let form = agent.get(&desk.url("/login")).call().unwrap();
    let cookie = form
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let token = hidden(&form.into_string().unwrap(), "csrf");
    let answer = agent
        .post(&desk.url("/login"))
        .set("Cookie", &cookie)
        .send_form(&[("email", email), ("password", password), ("csrf", &token)]);
    let response = match answer {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(e) => panic!("the login request failed: {e}"),
    };
    (
        response.status(),
        response.header("retry-after").map(str::to_owned),
    )
}

/// The case page's send key ("" from a desk without them, where the attack succeeds).
fn send_key(page: &str) -> String {
    if page.contains("name=\"send_key\"") {
        hidden(page, "send_key")
    } else {
        String::new()
    }
}

#[test]
fn a_login_flood_is_held_to_the_address_budget_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    init(&db);
    let desk = Arc::new(Desk::start(&db, None, 1024 * 1024));
    let start = Arc::new(Barrier::new(64));
    let floods: Vec<_> = (0..64)
        .map(|n| {
            let (desk, start) = (desk.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                raw_login(&desk, "lead@example.com", &format!("guess {n}"))
            })
        })
        .collect();
    let answers: Vec<(u16, Option<String>)> =
        floods.into_iter().map(|f| f.join().unwrap()).collect();
    let checked = answers.iter().filter(|(s, _)| *s == 401).count();
    let busy: Vec<_> = answers.iter().filter(|(s, _)| *s == 503).collect();
    assert_eq!(checked + busy.len(), 64, "{answers:?}");
    assert!(
        !busy.is_empty(),
        "64 at once exceed the password checks: {answers:?}"
    );
    for (_, retry) in busy {
        assert_eq!(retry.as_deref(), Some("1"));
    }
    // One by one, the address runs out of its budget of 20 failures.
    let mut limited = None;
    for _ in 0..=20 - checked {
        let (status, retry) = raw_login(&desk, "lead@example.com", "one more guess");
        if status == 429 {
            limited = retry;
            break;
        }
        assert_eq!(status, 401);
    }
    let seconds: u64 = limited.expect("429 with Retry-After").parse().unwrap();
    assert!((1..=900).contains(&seconds), "Retry-After {seconds}");
    // Behind a trusted proxy, the budget is the forwarded client's.
    let desk = Desk::start_with(&db, &["--trusted-proxy", "127.0.0.1"], &[], 1024 * 1024);
    let login_from = |client: &str| {
        let agent = ureq::AgentBuilder::new().redirects(0).build();
        let form = agent
            .get(&desk.url("/login"))
            .set("X-Forwarded-For", client)
            .call()
            .unwrap();
        let cookie = form
            .header("set-cookie")
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let token = hidden(&form.into_string().unwrap(), "csrf");
        let answer = agent
            .post(&desk.url("/login"))
            .set("Cookie", &cookie)
            .set("X-Forwarded-For", client)
            .send_form(&[
                ("email", "x@example.com"),
                ("password", "x"),
                ("csrf", &token),
            ]);
        match answer {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r.status(),
            Err(e) => panic!("{e}"),
        }
    };
    for _ in 0..20 {
        assert_eq!(login_from("203.0.113.1"), 401);
    }
    assert_eq!(login_from("203.0.113.1"), 429);
    assert_eq!(
        login_from("203.0.113.2"),
        401,
        "another client has its own budget"
    );
}

#[test]
fn a_one_time_password_works_once_and_sessions_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    init(&db);
    let otp = add_user(&db, "ann@example.com", "associate", "en");
    let desk = Desk::start(&db, None, 1024 * 1024);

    let mut first = Browser::new();
    let page = first.post_login(&desk, "ann@example.com", &otp);
    assert_eq!(page.location.as_deref(), Some("/settings"));
    let mut second = Browser::new();
    let page = second.post_login(&desk, "ann@example.com", &otp);
    assert_eq!(page.status, 401, "a one-time password works once");

    let settings = first.get(&desk.url("/settings")).body;
    assert!(
        !settings.contains("name=\"current\""),
        "the spent password is not asked"
    );
    let own = "ann's own long password";
    let changed = first.replace_password(&desk, "", own);
    assert_eq!(changed.status, 200, "{}", changed.body);
    let mut other = Browser::new();
    assert_eq!(other.post_login(&desk, "ann@example.com", own).status, 303);
    assert_eq!(other.get(&desk.url("/")).status, 200);
    let before = first.cookie_header();

    let changed = first.replace_password(&desk, own, "ann's second long password");
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_ne!(first.cookie_header(), before, "the session is rotated");
    assert_eq!(first.get(&desk.url("/")).status, 200);
    let old = ureq::AgentBuilder::new().redirects(0).build();
    let answer = old
        .get(&desk.url("/"))
        .set("Cookie", &before)
        .call()
        .unwrap();
    assert_eq!(
        answer.header("location"),
        Some("/login"),
        "the old session ended"
    );
    assert_eq!(
        other.get(&desk.url("/")).location.as_deref(),
        Some("/login"),
        "other sessions end"
    );

    // A login ends the session the browser presented (a planted one, say).
    let presented = first.cookie_header();
    let page = first.post_login(&desk, "ann@example.com", "ann's second long password");
    assert_eq!(page.status, 303);
    let answer = old
        .get(&desk.url("/"))
        .set("Cookie", &presented)
        .call()
        .unwrap();
    assert_eq!(answer.header("location"), Some("/login"));
}

#[test]
fn cookies_are_host_prefixed_behind_an_https_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let password = init(&db);
    let desk = Desk::start_with(&db, &["--trusted-proxy", "127.0.0.1"], &[], 1024 * 1024);
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let form = agent
        .get(&desk.url("/login"))
        .set("X-Forwarded-Proto", "https")
        .call()
        .unwrap();
    let set = form.header("set-cookie").unwrap().to_owned();
    assert!(set.starts_with("__Host-desk_login="), "{set}");
    let token = hidden(&form.into_string().unwrap(), "csrf");
    let login_cookie = set.split(';').next().unwrap().to_owned();
    let answer = agent
        .post(&desk.url("/login"))
        .set("X-Forwarded-Proto", "https")
        .set("Cookie", &login_cookie)
        .send_form(&[
            ("email", "lead@example.com"),
            ("password", &password),
            ("csrf", &token),
        ])
        .unwrap();
    let session = answer
        .all("set-cookie")
        .into_iter()
        .find(|c| c.starts_with("__Host-desk_session="))
        .unwrap_or_else(|| panic!("{:?}", answer.all("set-cookie")))
        .to_owned();
    assert!(
        session.contains("; Secure") && session.contains("Path=/"),
        "{session}"
    );
    assert!(!session.contains("Domain"), "{session}");
    let settings = agent
        .get(&desk.url("/settings"))
        .set("X-Forwarded-Proto", "https")
        .set("Cookie", session.split(';').next().unwrap())
        .call()
        .unwrap();
    assert_eq!(settings.status(), 200);
}

#[test]
fn two_clicks_on_send_send_one_reply() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let password = init(&db);
    let (port, maildir) = (crate::desk::free_port(), dir.path().join("maildir"));
    let _receiver = start_receiver(port, &maildir);
    let desk = Desk::start(&db, Some(port), 64 * 1024 * 1024);
    let data = write_scenario("two-instances", &dir.path().join("billing"));
    let mail = inquiry_mail("twice@example.com", "My bill", INQUIRY, Some(&data));
    assert!(deliver(&desk, &mail).starts_with("250"));
    let mut browser = Browser::new();
    browser.login(&desk, "lead@example.com", &password);
    let case = ready_case(&mut browser, &desk, 1);
    let form = [
        ("csrf".to_owned(), hidden(&case.body, "csrf")),
        ("send_key".to_owned(), send_key(&case.body)),
        ("body".to_owned(), textarea(&case.body)),
    ];
    let (cookie, url) = (browser.cookie_header(), desk.url("/cases/1/send"));
    let start = Arc::new(Barrier::new(2));
    let clicks: Vec<_> = (0..2)
        .map(|_| {
            let (form, cookie, url, start) =
                (form.clone(), cookie.clone(), url.clone(), start.clone());
            std::thread::spawn(move || {
                let pairs: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                start.wait();
                match ureq::post(&url).set("Cookie", &cookie).send_form(&pairs) {
                    Ok(r) | Err(ureq::Error::Status(_, r)) => r.status(),
                    Err(e) => panic!("{e}"),
                }
            })
        })
        .collect();
    let mut statuses: Vec<u16> = clicks.into_iter().map(|c| c.join().unwrap()).collect();
    statuses.sort();
    assert_eq!(statuses, vec![200, 409]);
    assert_eq!(
        received(&maildir).len(),
        1,
        "one reply reached the SMTP server"
    );
}

/// An SMTP server that takes `delay` before accepting each message; returns
/// its port and the messages it accepted.
fn slow_smtp(delay: Duration) -> (u16, Arc<Mutex<Vec<Vec<u8>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let kept = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(stream) = stream else { return };
            let mut writer = stream.try_clone().unwrap();
            let mut reader = BufReader::new(stream);
            let _ = writer.write_all(b"220 slow.example.com ESMTP\r\n");
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                let answer: &[u8] = match verb.as_str() {
                    "DATA" => {
                        let _ = writer.write_all(b"354 go on\r\n");
                        let mut message = Vec::new();
                        let mut data = String::new();
                        while reader.read_line(&mut data).unwrap_or(0) > 0 && data != ".\r\n" {
                            message.extend_from_slice(data.as_bytes());
                            data.clear();
                        }
                        std::thread::sleep(delay);
                        kept.lock().unwrap().push(message);
                        b"250 queued\r\n"
                    }
                    "QUIT" => {
                        let _ = writer.write_all(b"221 bye\r\n");
                        break;
                    }
                    _ => b"250 ok\r\n",
                };
                let _ = writer.write_all(answer);
                line.clear();
            }
        }
    });
    (port, accepted)
}

#[test]
fn sigterm_during_a_send_delivers_it_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let password = init(&db);
    let (port, accepted) = slow_smtp(Duration::from_secs(3));
    let mut desk = Desk::start(&db, Some(port), 64 * 1024 * 1024);
    let data = write_scenario("two-instances", &dir.path().join("billing"));
    let mail = inquiry_mail("term@example.com", "My bill", INQUIRY, Some(&data));
    assert!(deliver(&desk, &mail).starts_with("250"));
    let mut browser = Browser::new();
    browser.login(&desk, "lead@example.com", &password);
    let case = ready_case(&mut browser, &desk, 1);
    let form = [
        ("csrf".to_owned(), hidden(&case.body, "csrf")),
        ("send_key".to_owned(), send_key(&case.body)),
        ("body".to_owned(), textarea(&case.body)),
    ];
    let (cookie, url) = (browser.cookie_header(), desk.url("/cases/1/send"));
    let sender = std::thread::spawn(move || {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        match ureq::post(&url).set("Cookie", &cookie).send_form(&pairs) {
            Ok(r) | Err(ureq::Error::Status(_, r)) => (r.status(), r.into_string().unwrap()),
            Err(e) => panic!("{e}"),
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while !browser
        .get(&desk.url("/audit"))
        .body
        .contains("<td>send-started</td>")
    {
        assert!(Instant::now() < deadline, "the send never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = desk.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = desk.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the desk did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{status:?}");
    let (sent, page) = sender.join().unwrap();
    assert_eq!(sent, 200, "{page}");
    assert!(page.contains("The reply was sent."), "{page}");
    assert_eq!(accepted.lock().unwrap().len(), 1, "the reply was delivered");
}

#[test]
fn a_client_that_trickles_its_headers_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    init(&db);
    let desk = Desk::start(&db, None, 1024 * 1024);
    let mut stream = TcpStream::connect(("127.0.0.1", desk.web)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(900)))
        .unwrap();
    let request =
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    let started = Instant::now();
    let mut cut_off = false;
    for byte in request.iter().take(30) {
        if stream.write_all(&[*byte]).is_err() {
            cut_off = true;
            break;
        }
        let mut buf = [0u8; 256];
        match stream.read(&mut buf) {
            Ok(_) => {
                cut_off = true;
                break;
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                cut_off = true;
                break;
            }
        }
    }
    assert!(cut_off, "still connected after {:?}", started.elapsed());
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

/// Headers on time, then a body a byte at a time: the request as a whole
/// has a deadline, answered with 408.
#[test]
fn a_client_that_trickles_its_body_gets_408_at_the_request_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    init(&db);
    let desk = Desk::start_with(&db, &["--request-timeout", "2"], &[], 1024 * 1024);
    let mut stream = TcpStream::connect(("127.0.0.1", desk.web)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let body = "email=lead%40example.com&password=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    for byte in body.bytes() {
        if stream.write_all(&[byte]).is_err() {
            break;
        }
        let mut buf = [0u8; 512];
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                break;
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => break,
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "{answer:?} after {:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn healthz_answers_without_a_login() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    init(&db);
    let desk = Desk::start(&db, None, 1024 * 1024);
    let health = ureq::get(&desk.url("/healthz")).call().unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.into_string().unwrap(), "ok");
}

/// Reads what arrives on `stream` within `wait`, if anything.
fn answer_within(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut answer = [0u8; 64];
    match stream.read(&mut answer) {
        Ok(n) if n > 0 => Some(String::from_utf8_lossy(&answer[..n]).into_owned()),
        _ => None,
    }
}

/// Two silent connections fill a cap of two: a third is not served until
/// one of them goes, and then it is.
#[test]
fn connections_above_the_cap_wait_until_one_ends() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    init(&db);
    let args = ["--max-connections", "2", "--header-timeout", "60"];
    let desk = Desk::start_with(&db, &args, &[], 1024 * 1024);
    let first = TcpStream::connect(("127.0.0.1", desk.web)).unwrap();
    let second = TcpStream::connect(("127.0.0.1", desk.web)).unwrap();
    let mut third = TcpStream::connect(("127.0.0.1", desk.web)).unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let waiting = answer_within(&mut third, Duration::from_millis(800));
    assert_eq!(waiting, None, "a third connection was served above the cap");
    drop(first);
    let served = answer_within(&mut third, Duration::from_secs(20)).unwrap_or_default();
    assert!(served.starts_with("HTTP/1.1 200"), "{served:?}");
    drop(second);
}
