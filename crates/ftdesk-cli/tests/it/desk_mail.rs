//! Issue 17, mail in: attacks played against the real `ftdesk desk serve` on
//! loopback: header injection into replies, SMTP smuggling, SMTP resource
//! limits, and threading into someone else's case by Message-ID.

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use mail_parser::MessageParser;

use crate::common::write_scenario;
use crate::desk::{
    deliver, desk_with_receiver, hidden, inquiry_mail, new_desk, ready_case, received,
    send_ready_draft, textarea, Browser, Desk, Smtp, INQUIRY,
};

/// The header block of a message, one header a line (folded lines joined).
fn header_names(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let head = text.split("\n\n").next().unwrap_or("");
    head.split('\n')
        .filter(|line| !line.starts_with([' ', '\t']))
        .filter_map(|line| {
            line.split_once(':')
                .map(|(name, _)| name.to_ascii_lowercase())
        })
        .collect()
}

#[test]
fn an_encoded_crlf_in_a_subject_adds_no_header_to_the_reply() {
    let (dir, db, password) = new_desk();
    let (_receiver, desk, maildir) = desk_with_receiver(dir.path(), &db);
    let data = write_scenario("two-instances", &dir.path().join("billing"));
    let mail = inquiry_mail("inject-1@example.com", "SUBJECT", INQUIRY, Some(&data));
    let attack = "=?us-ascii?Q?Invoice=0D=0AReply-To:_x@evil.example?=";
    let mail = String::from_utf8(mail).unwrap().replacen(
        "Subject: SUBJECT",
        &format!("Subject: {attack}"),
        1,
    );
    let accepted = deliver(&desk, mail.as_bytes());
    assert!(accepted.contains("case 1"), "{accepted}");

    let mut browser = Browser::lead(&desk, &password);
    let (sent, draft) = send_ready_draft(&mut browser, &desk, 1);
    assert_eq!(sent.status, 200, "{}", sent.body);

    let mails = received(&maildir);
    assert_eq!(mails.len(), 1, "one reply reached the SMTP server");
    let names = header_names(&mails[0]);
    let subjects = names.iter().filter(|n| *n == "subject").count();
    assert_eq!(subjects, 1, "exactly one Subject header: {names:?}");
    assert!(!names.contains(&"reply-to".to_owned()), "{names:?}");
    let reply = MessageParser::default().parse(&mails[0]).unwrap();
    assert!(reply.reply_to().is_none());
    let subject = reply.subject().unwrap();
    assert!(subject.starts_with("Re: Invoice"), "{subject}");
    assert!(!subject.contains(['\r', '\n']), "{subject:?}");
    let body = reply.body_text(0).unwrap().replace("\r\n", "\n");
    assert_eq!(body.trim(), draft.trim(), "the body is the draft, intact");
}

/// The upload form is a way in too: CR and LF typed (or posted) into its
/// subject, name and address fields add no header to the reply either.
#[test]
fn crlf_in_the_upload_form_adds_no_header_to_the_reply() {
    let (dir, db, password) = new_desk();
    let (_receiver, desk, maildir) = desk_with_receiver(dir.path(), &db);
    let data = write_scenario("two-instances", &dir.path().join("billing"));
    let mut browser = Browser::lead(&desk, &password);
    let csrf = hidden(&browser.get(&desk.url("/upload")).body, "csrf");
    let bill = std::fs::read(&data).unwrap();
    let refused = browser.post_multipart(
        &desk.url("/upload"),
        &[
            ("csrf", None, csrf.as_bytes()),
            (
                "customer",
                None,
                b"jane@example.com\r\nBcc: list@evil.example",
            ),
            ("inquiry", None, INQUIRY.as_bytes()),
            ("billing", Some("bill.csv"), &bill),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("is not one e-mail address"),
        "{}",
        refused.body
    );
    assert_eq!(
        browser.get(&desk.url("/cases/1")).status,
        404,
        "nothing stored"
    );
    let created = browser.post_multipart(
        &desk.url("/upload"),
        &[
            ("csrf", None, csrf.as_bytes()),
            ("customer", None, b"jane@example.com"),
            ("name", None, b"Jane\r\nReply-To: x@evil.example"),
            ("subject", None, b"Invoice\r\nX-Evil: 1\r\n\r\nforged body"),
            ("inquiry", None, INQUIRY.as_bytes()),
            ("eml", Some(""), b""),
            ("billing", Some("bill.csv"), &bill),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let (sent, draft) = send_ready_draft(&mut browser, &desk, 1);
    assert_eq!(sent.status, 200, "{}", sent.body);

    let mails = received(&maildir);
    assert_eq!(mails.len(), 1, "one reply reached the SMTP server");
    let names = header_names(&mails[0]);
    for forged in ["reply-to", "x-evil"] {
        assert!(!names.contains(&forged.to_owned()), "{forged}: {names:?}");
    }
    assert_eq!(
        names.iter().filter(|n| *n == "subject").count(),
        1,
        "{names:?}"
    );
    let reply = MessageParser::default().parse(&mails[0]).unwrap();
    let subject = reply.subject().unwrap();
    assert!(subject.starts_with("Re: Invoice"), "{subject}");
    assert!(!subject.contains(['\r', '\n']), "{subject:?}");
    let body = reply.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(!body.contains("forged body"), "{body}");
    assert_eq!(body.trim(), draft.trim(), "the body is the draft, intact");
}

/// Opens a transaction and sends `payload` as DATA as it is (no dot-stuffing, no ending added).
fn smuggle(smtp: &mut Smtp, payload: &[u8]) -> String {
    for command in ["MAIL FROM:<jane@example.com>", "RCPT TO:<desk@example.com>"] {
        let reply = smtp.command(command);
        assert!(reply.starts_with("250"), "{reply}");
    }
    let go = smtp.command("DATA");
    assert!(go.starts_with("354"), "{go}");
    smtp.writer.write_all(payload).unwrap();
    smtp.reply()
}

#[test]
fn smuggled_messages_are_refused_whole_and_a_clean_one_is_accepted() {
    let (_dir, db, _) = new_desk();
    let desk = Desk::start(&db, None, 1024 * 1024);
    let forged = "MAIL FROM:<ceo@example.com>\r\nRCPT TO:<desk@example.com>\r\nDATA\r\n\
From: ceo@example.com\r\nSubject: forged\r\nMessage-ID: <forged@example.com>\r\n\r\n\
Pay the invoice.\r\n.\r\n";
    let head = "From: jane@example.com\r\nSubject: smuggler\r\n";
    let payloads = [
        // `\n.\r\n`: a relay that keeps it passes the forged message on as data.
        format!("{head}Message-ID: <s1@example.com>\r\n\r\nhello\n.\r\n{forged}"),
        // `.\n` after a bare LF.
        format!("{head}Message-ID: <s2@example.com>\r\n\r\nhello\n.\n{forged}"),
        // A bare CR.
        format!("{head}Message-ID: <s3@example.com>\r\n\r\nhello\r.\r\n{forged}"),
    ];
    let mut smtp = Smtp::connect(desk.smtp);
    assert!(smtp.command("EHLO test.example.com").starts_with("250"));
    for payload in &payloads {
        let refused = smuggle(&mut smtp, payload.as_bytes());
        assert!(refused.starts_with("554"), "{payload:?} → {refused}");
        assert!(refused.contains("bare LF or CR"), "{refused}");
        // The session is in step: the next reply answers the next command.
        assert_eq!(smtp.command("NOOP"), "250 2.0.0 ok\r\n");
    }
    let clean = inquiry_mail("clean@example.com", "Clean message", INQUIRY, None);
    let accepted = deliver(&desk, &clean);
    assert!(
        accepted.contains("case 1"),
        "nothing was stored before the clean message: {accepted}"
    );
}

/// Connects and returns the stream and its first reply, or "" when the server closed at once.
fn greeting(port: u16) -> (TcpStream, String) {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut line = String::new();
    let _ = std::io::BufReader::new(stream.try_clone().unwrap()).read_line(&mut line);
    (stream, line)
}

/// A connection the desk greeted with 220; retried while earlier sessions wind down.
fn greeted(port: u16) -> TcpStream {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (stream, line) = greeting(port);
        if line.starts_with("220") {
            return stream;
        }
        assert!(Instant::now() < deadline, "never greeted: {line}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn connections_above_the_cap_are_answered_421() {
    let (_dir, db, _) = new_desk();
    let args = ["--smtp-max-connections", "2"];
    let desk = Desk::start_with(&db, &args, &[], 1024 * 1024);
    let first = greeted(desk.smtp);
    let _second = greeted(desk.smtp);
    let (_third, busy) = greeting(desk.smtp);
    assert!(busy.starts_with("421"), "{busy}");
    drop(first);
    // The freed slot serves the next client.
    let _again = greeted(desk.smtp);
}

#[test]
fn a_session_that_dribbles_past_its_deadline_is_closed() {
    let (_dir, db, _) = new_desk();
    let args = ["--smtp-session-timeout", "2"];
    let desk = Desk::start_with(&db, &args, &[], 1024 * 1024);
    let mut smtp = Smtp::connect(desk.smtp);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(20);
    let last = loop {
        assert!(Instant::now() < deadline, "the session was never closed");
        // One byte at a time: each line arrives well within the line timeout.
        for byte in b"NOOP\r\n" {
            if smtp.writer.write_all(&[*byte]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut line = String::new();
        match smtp.reader.read_line(&mut line) {
            Ok(0) | Err(_) => break line,
            Ok(_) if line.starts_with("421") => break line,
            Ok(_) => assert!(line.starts_with("250"), "{line}"),
        }
    };
    assert!(last.starts_with("421"), "told why: {last:?}");
    assert!(started.elapsed() >= Duration::from_millis(1500));
    let mut rest = Vec::new();
    let closed = smtp.reader.read_to_end(&mut rest);
    assert!(closed.is_ok(), "then closed: {closed:?}");
}

/// A message from `from` answering `parent`, with an optional billing file.
fn answer(id: &str, from: &str, parent: &str, billing: Option<(&str, &[u8])>) -> Vec<u8> {
    use mail_builder::headers::address::Address;
    let mut builder = mail_builder::MessageBuilder::new()
        .from(Address::new_address(None::<&str>, from))
        .to("desk@example.com")
        .subject("Re: Unexpected charges")
        .message_id(id)
        .in_reply_to(parent)
        .references(parent)
        .date(1_762_000_100_i64)
        .text_body("Here is more.\n");
    if let Some((name, data)) = billing {
        builder = builder.attachment("text/csv", name, data.to_vec());
    }
    builder.write_to_vec().unwrap()
}

fn send_as(desk: &Desk, envelope: &str, raw: &[u8]) -> String {
    let mut smtp = Smtp::connect(desk.smtp);
    let reply = smtp.send_from(envelope, raw);
    smtp.command("QUIT");
    reply
}

#[test]
fn only_the_customer_threads_into_a_case_and_a_bad_reply_keeps_the_report() {
    let (dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 64 * 1024 * 1024);
    let mine = write_scenario("two-instances", &dir.path().join("mine"));
    let theirs = std::fs::read(write_scenario("nat-gateway", &dir.path().join("theirs"))).unwrap();
    let first = inquiry_mail("inquiry-1@example.com", "Charges", INQUIRY, Some(&mine));
    assert!(deliver(&desk, &first).contains("case 1"));
    let mut browser = Browser::lead(&desk, &password);
    ready_case(&mut browser, &desk, 1);
    let report = browser.get(&desk.url("/cases/1/report")).body;

    // A stranger who knows the Message-ID opens a case of their own, linked.
    let stranger = answer(
        "stranger-1@evil.example",
        "mallory@evil.example",
        "inquiry-1@example.com",
        Some(("theirs.csv", &theirs)),
    );
    let stored = send_as(&desk, "mallory@evil.example", &stranger);
    assert!(stored.contains("case 2"), "{stored}");
    let linked = ready_case(&mut browser, &desk, 2);
    assert!(
        linked.body.contains("<a href=\"/cases/1\">#1</a>"),
        "{}",
        linked.body
    );
    assert_eq!(browser.get(&desk.url("/cases/1/report")).body, report);
    let original = browser.get(&desk.url("/cases/1")).body;
    assert!(
        original.contains("<a href=\"/cases/2\">#2</a> &lt;mallory@evil.example&gt;"),
        "the original case lists the case linked to it: {original}"
    );

    // The customer's header From with a stranger's envelope sender is not the customer.
    let forged = answer(
        "forged-1@evil.example",
        "jane@example.com",
        "inquiry-1@example.com",
        None,
    );
    let stored = send_as(&desk, "mallory@evil.example", &forged);
    assert!(stored.contains("case 3"), "{stored}");

    // The customer's own reply threads.
    let own = answer(
        "answer-1@example.com",
        "Jane@Example.com",
        "inquiry-1@example.com",
        None,
    );
    assert!(deliver(&desk, &own).contains("case 1"));

    // Her reply with an unreadable billing file keeps the earlier report.
    let broken = answer(
        "answer-2@example.com",
        "jane@example.com",
        "answer-1@example.com",
        Some(("broken.csv", b"this,is\nnot,a bill\n")),
    );
    assert!(deliver(&desk, &broken).contains("case 1"));
    let deadline = Instant::now() + Duration::from_secs(60);
    let case = loop {
        let page = browser.get(&desk.url("/cases/1")).body;
        if page.contains("Later billing data could not be read") {
            break page;
        }
        assert!(
            Instant::now() < deadline,
            "the failure is never shown: {page}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(case.contains("broken.csv"), "the reason names the file");
    assert!(
        case.contains("/cases/1/report\""),
        "the report is still shown"
    );
    assert_eq!(browser.get(&desk.url("/cases/1/report")).body, report);
}

/// A customer who attaches Cost Explorer output (no Cost and Usage Report)
/// gets a case analysed from it, with the same figures.
#[test]
fn a_mail_with_cost_explorer_json_is_analysed_from_it() {
    let (dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 64 * 1024 * 1024);
    let data = crate::common::write_scenario_as(
        "two-instances",
        &dir.path().join("billing"),
        &["--format", "ce-json"],
    );
    let mail = inquiry_mail("ce-1@example.com", "My October bill", INQUIRY, Some(&data));
    let accepted = deliver(&desk, &mail);
    assert!(accepted.contains("case 1"), "{accepted}");
    let mut browser = Browser::lead(&desk, &password);
    let case = ready_case(&mut browser, &desk, 1);
    let draft = textarea(&case.body);
    assert!(draft.contains("$8.56"), "{draft}");
    assert!(draft.contains("738 hours over"), "{draft}");
}

/// No attachment, but lines copied from the Bills page in the message: the
/// case is analysed from them, and the draft says the answer rests on them.
#[test]
fn a_mail_quoting_the_bills_page_without_attachment_is_analysed_from_the_lines() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 64 * 1024 * 1024);
    let body = "Hello,\n\nMy October 2025 bill shows $8.56 although I only use the free tier. \
The Bills page says:\n\n\
Elastic Compute Cloud\t$8.56\nUS East (N. Virginia)\t$8.56\n\
$0.00 per Linux t2.micro instance-hour (or partial hour) under monthly free tier  750.000 Hrs  $0.00\n\
$0.0116 per On Demand Linux t2.micro Instance Hour  738.000 Hrs  $8.56\n\nThanks,\nJane Doe\n";
    let mail = inquiry_mail("pasted-1@example.com", "My October bill", body, None);
    let accepted = deliver(&desk, &mail);
    assert!(accepted.contains("case 1"), "{accepted}");
    let mut browser = Browser::new();
    browser.login(&desk, "lead@example.com", &password);
    let case = ready_case(&mut browser, &desk, 1);
    let draft = textarea(&case.body);
    assert!(draft.contains("$8.56"), "{draft}");
    assert!(draft.contains("rests on"), "{draft}");
}
