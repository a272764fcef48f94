//! `ftdesk desk` in a real headless browser: Debian's Chromium driven over
//! WebDriver. A case arrives by SMTP, a lead logs in with the one-time
//! password (and changes it), opens the case, edits the draft, inserts a text
//! module and sends; aiosmtpd receives the reply, which the test parses. An
//! associate whose language is Korean then sees Korean pages. Screenshots of
//! the queue and the case view are kept under `test-artefacts/desk/` in the
//! target directory.

use std::path::PathBuf;

use mail_parser::MessageParser;

use crate::common::{cents, check_json, dec, write_scenario};
use crate::desk::{
    add_user, deliver, desk_with_receiver, inquiry_mail, new_desk, received, Desk, INQUIRY,
};
use crate::webdriver::Browser;

const SUBJECT: &str = "Unexpected charges on my bill";
const EDIT: &str = "I checked both instances in your account myself.";
const MODULE_TEXT: &str = "If anything is unclear about case #1";
const NEW_PASSWORD: &str = "a long new password 42";

/// `$CARGO_TARGET_DIR/test-artefacts/desk`, else beside the test binary's target dir.
fn artefacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let exe = std::env::current_exe().unwrap();
            // target/debug/deps/it-HASH
            exe.ancestors().nth(3).unwrap().to_owned()
        });
    let dir = target.join("test-artefacts/desk");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `1488` as `1,488`.
fn grouped(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn screenshot(browser: &Browser, name: &str) -> PathBuf {
    let path = artefacts().join(name);
    browser.screenshot(&path);
    println!("screenshot: {}", path.display());
    path
}

/// Fills and submits the login form.
fn submit_login(browser: &Browser, desk: &Desk, email: &str, password: &str) {
    browser.goto(&desk.url("/login"));
    let field = browser.find("input[name=email]");
    browser.type_text(&field, email);
    let field = browser.find("input[name=password]");
    browser.type_text(&field, password);
    browser.click(&browser.find("form[action='/login'] button"));
}

/// Logs in and waits for the queue.
fn log_in(browser: &Browser, desk: &Desk, email: &str, password: &str, queue_title: &str) {
    submit_login(browser, desk, email, password);
    browser.find_text("main h1", queue_title);
    assert_eq!(browser.url(), desk.url("/"));
}

fn log_out(browser: &Browser, desk: &Desk) {
    browser.click(&browser.find("form[action='/logout'] button"));
    browser.wait("the login page", |b| {
        (b.url() == desk.url("/login")).then_some(())
    });
}

/// Words of the settings page in the user's language: its title and the notice after saving.
struct SettingsWords {
    title: &'static str,
    saved: &'static str,
}

const SETTINGS_EN: SettingsWords = SettingsWords {
    title: "Settings",
    saved: "Saved.",
};
const SETTINGS_KO: SettingsWords = SettingsWords {
    title: "설정",
    saved: "저장했습니다.",
};

/// A first login as a real user makes it: the one-time password lands on
/// Settings, which asks for a new one before anything else.
fn replace_one_time_password(
    browser: &Browser,
    desk: &Desk,
    email: &str,
    one_time: &str,
    words: &SettingsWords,
) {
    submit_login(browser, desk, email, one_time);
    browser.find_text("main h1", words.title);
    assert_eq!(browser.url(), desk.url("/settings"));
    // The one-time password was spent by this login: Settings asks only for a new one.
    browser.type_text(&browser.find("input[name=new]"), NEW_PASSWORD);
    browser.click(&browser.find("form[action='/settings/password'] button"));
    browser.find_text("p.notice", words.saved);
    log_out(browser, desk);
}

/// Opens the case from the queue and waits (reloading) until its report is ready.
fn open_ready_case(browser: &Browser, subject: &str) {
    browser.click(&browser.find_text("table.queue a", subject));
    browser.find_text("main h1", subject);
    browser.wait("the case's report", |b| {
        if b.all("a[href='/cases/1/report']").is_empty() {
            assert!(
                b.all("section p.error").is_empty(),
                "the analysis failed: {}",
                b.source()
            );
            b.refresh();
            return None;
        }
        Some(())
    });
}

#[test]
fn a_case_is_answered_end_to_end_in_a_headless_browser() {
    let (dir, db, lead_password) = new_desk();
    let ko_password = add_user(&db, "min@example.com", "associate", "ko");
    let (_receiver, desk, maildir) = desk_with_receiver(dir.path(), &db);
    let data = write_scenario("two-instances", &dir.path().join("billing"));
    let report = check_json(&[data.to_str().unwrap()]);
    let due = format!("${}", cents(dec(&report["net_cost"])));

    let inquiry = inquiry_mail("inquiry-7@example.com", SUBJECT, INQUIRY, Some(&data));
    let accepted = deliver(&desk, &inquiry);
    assert!(accepted.starts_with("250"), "{accepted}");

    let browser = Browser::start();
    replace_one_time_password(
        &browser,
        &desk,
        "lead@example.com",
        &lead_password,
        &SETTINGS_EN,
    );
    log_in(&browser, &desk, "lead@example.com", NEW_PASSWORD, "Queue");
    let row = browser.find_text("table.queue tr", SUBJECT);
    assert!(browser.text(&row).contains("jane@example.com"));
    let queue = std::fs::read(screenshot(&browser, "queue-en.png")).unwrap();
    let height = u32::from_be_bytes(queue[20..24].try_into().unwrap());
    assert!(
        (100..800).contains(&height),
        "a one-case queue's picture ends below its content, not at the window's 1,000 px: {height} px"
    );

    open_ready_case(&browser, SUBJECT);
    let draft = browser.find("textarea[name=body]");
    let composed = browser.value(&draft);
    assert!(
        composed.contains(&due),
        "the draft states {due}:\n{composed}"
    );
    browser.type_text(&draft, &format!("\n{EDIT}\n"));
    let option = browser.find_text("select[name=module] option", "closing (en)");
    browser.click(&option);
    browser.click(&browser.find("#insert-module"));
    browser.wait("the text module in the draft", |b| {
        let body = b.value(&b.find("textarea[name=body]"));
        body.contains(MODULE_TEXT).then_some(())
    });
    let edited = browser.value(&browser.find("textarea[name=body]"));
    assert!(edited.contains(EDIT), "the edit survived the insertion");
    browser.click(&browser.find("#send-reply"));
    browser.find_text("p.notice", "The reply was sent.");
    browser.find_text("article.message.out header", "sent");
    screenshot(&browser, "case-en.png");

    let mails = received(&maildir);
    assert_eq!(mails.len(), 1, "one reply reached the SMTP server");
    let reply = MessageParser::default().parse(&mails[0]).unwrap();
    assert_eq!(reply.in_reply_to().as_text(), Some("inquiry-7@example.com"));
    assert_eq!(
        reply.references().as_text_list().unwrap_or_default(),
        vec!["inquiry-7@example.com"]
    );
    let to = reply.to().and_then(|a| a.first()).and_then(|a| a.address());
    assert_eq!(to, Some("jane@example.com"));
    let body = reply.body_text(0).unwrap();
    assert!(body.contains(&due), "the reply states the report's {due}");
    let hours = report["offers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|o| o["unit"] == "Hrs" && o["status"] == "exceeded")
        .expect("the scenario exceeds an hourly offer");
    for field in ["limit", "used", "charged_quantity"] {
        let figure = format!(
            "{} hours",
            grouped(&dec(&hours[field]).normalize().to_string())
        );
        assert!(
            body.contains(&figure),
            "the reply states the report's {field}: {figure}"
        );
    }
    assert!(body.contains(EDIT), "the reply carries the edit");
    assert!(body.contains(MODULE_TEXT), "the reply carries the module");
    log_out(&browser, &desk);

    // An associate whose language is Korean sees Korean pages.
    replace_one_time_password(
        &browser,
        &desk,
        "min@example.com",
        &ko_password,
        &SETTINGS_KO,
    );
    log_in(&browser, &desk, "min@example.com", NEW_PASSWORD, "대기열");
    assert!(browser.source().contains("lang=\"ko\""));
    browser.find_text("table.queue th", "고객");
    screenshot(&browser, "queue-ko.png");
    browser.click(&browser.find_text("table.queue a", SUBJECT));
    browser.find_text("h2", "답변 초안");
    browser.find_text("#send-reply", "답변 보내기");
    screenshot(&browser, "case-ko.png");

    // The same associate makes a case with the upload form and a real file input.
    browser.click(&browser.find_text("nav a", "새 케이스"));
    browser.find_text("main h1", "업로드");
    browser.type_text(&browser.find("input[name=customer]"), "kim@example.com");
    browser.type_text(&browser.find("input[name=subject]"), "NAT 게이트웨이 요금");
    let question =
        "안녕하세요. 2025년 10월 청구서에 NAT 게이트웨이 요금이 있습니다. 왜 청구되었나요?";
    browser.type_text(&browser.find("textarea[name=inquiry]"), question);
    let nat = write_scenario("nat-gateway", &dir.path().join("nat"));
    browser.type_text(&browser.find("input[name=billing]"), nat.to_str().unwrap());
    browser.click(&browser.find("#upload-form button"));
    browser.find_text("main h1", "#2 NAT 게이트웨이 요금");
    browser.find("a[href='/cases/2/report']");
    let nat_due = format!(
        "${}",
        cents(dec(&check_json(&[nat.to_str().unwrap()])["net_cost"]))
    );
    let draft = browser.value(&browser.find("textarea[name=body]"));
    assert!(
        draft.contains(&nat_due),
        "the Korean draft states {nat_due}:\n{draft}"
    );
    screenshot(&browser, "upload-case-ko.png");
}
