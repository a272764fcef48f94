//! The desk's upload form and a lead's account repairs, through the real
//! binary over HTTP: a case from the browser takes the same analyse-then-store
//! path as `desk import`; refusals store nothing and say why on the page.

use std::path::Path;

use crate::common::{cents, check_json, dec, write_scenario, write_scenario_as};
use crate::desk::{
    add_user, hidden, inquiry_mail, new_desk, textarea, Browser, Desk, Page, INQUIRY,
};

fn lead(desk: &Desk, password: &str) -> (Browser, String) {
    let mut browser = Browser::new();
    assert_eq!(
        browser.login(desk, "lead@example.com", password).status,
        303
    );
    let form = browser.get(&desk.url("/upload"));
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    let csrf = hidden(&form.body, "csrf");
    (browser, csrf)
}

fn stored_cases(browser: &mut Browser, desk: &Desk) -> usize {
    browser
        .get(&desk.url("/?status=all"))
        .body
        .matches("<tr class=")
        .count()
}

fn name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn an_upload_makes_a_case_with_its_report() {
    let (dir, db, password) = new_desk();
    let ann_password = add_user(&db, "ann@example.com", "associate", "en");
    let desk = Desk::start(&db, None, 64 * 1024 * 1024);
    let data = write_scenario("two-instances", &dir.path().join("billing"));
    let due = format!(
        "${}",
        cents(dec(&check_json(&[data.to_str().unwrap()])["net_cost"]))
    );

    let (mut browser, csrf) = lead(&desk, &password);
    let csv = std::fs::read(&data).unwrap();
    let name = name_of(&data);
    let created = upload(&mut browser, &desk, &csrf, INQUIRY, Some((&name, &csv)));
    assert_eq!(created.location.as_deref(), Some("/cases/1"));
    let case = browser.get(&desk.url("/cases/1"));
    assert!(case.body.contains("Charges on my October bill"));
    assert!(case.body.contains(&name), "the billing file is kept");
    assert!(
        case.body.contains("/cases/1/report\""),
        "the report is ready at once"
    );
    assert!(
        textarea(&case.body).contains(&due),
        "the draft states {due}"
    );
    assert!(case.body.contains("Jane Doe &lt;jane@example.com&gt;"));
    let audit = browser.get(&desk.url("/audit")).body;
    assert!(audit.contains("<td>case-uploaded</td>"));

    // An associate uploads an .eml with a gzipped CSV and a Parquet export.
    let gz = write_scenario_as("nat-gateway", &dir.path().join("gz"), &["--gzip"]);
    let parquet = write_scenario_as(
        "nat-gateway",
        &dir.path().join("pq"),
        &["--format", "cur2-parquet"],
    );
    assert!(name_of(&gz).ends_with(".csv.gz") && name_of(&parquet).ends_with(".parquet"));
    let eml = inquiry_mail(
        "uploaded-eml@example.com",
        "NAT gateway charges",
        INQUIRY,
        None,
    );
    let mut ann = Browser::new();
    assert_eq!(
        ann.login(&desk, "ann@example.com", &ann_password).status,
        303
    );
    let csrf = hidden(&ann.get(&desk.url("/upload")).body, "csrf");
    let created = ann.post_multipart(
        &desk.url("/upload"),
        &[
            ("csrf", None, csrf.as_bytes()),
            ("eml", Some("case.eml"), &eml),
            ("billing", Some(&name_of(&gz)), &std::fs::read(&gz).unwrap()),
        ],
    );
    assert_eq!(
        created.location.as_deref(),
        Some("/cases/2"),
        "{}",
        created.body
    );
    let case = ann.get(&desk.url("/cases/2")).body;
    assert!(case.contains("NAT gateway charges") && case.contains(&name_of(&gz)));
    let nat = cents(dec(&check_json(&[gz.to_str().unwrap()])["net_cost"]));
    assert!(
        textarea(&case).contains(&format!("${nat}")),
        "the draft states ${nat}"
    );
    let csrf = hidden(&case, "csrf");
    let again = ann.post_multipart(
        &desk.url("/upload"),
        &[
            ("csrf", None, csrf.as_bytes()),
            ("customer", None, b"kim@example.com"),
            ("inquiry", None, b"Why am I charged for a NAT gateway?"),
            (
                "billing",
                Some(&name_of(&parquet)),
                &std::fs::read(&parquet).unwrap(),
            ),
        ],
    );
    assert_eq!(
        again.location.as_deref(),
        Some("/cases/3"),
        "{}",
        again.body
    );
    let case = ann.get(&desk.url("/cases/3")).body;
    assert!(
        textarea(&case).contains(&format!("${nat}")),
        "Parquet gives the same figure"
    );
}

#[test]
fn an_upload_without_its_csrf_token_is_refused() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 1024 * 1024);
    let (mut browser, _) = lead(&desk, &password);
    for csrf in [None, Some("forged")] {
        let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![
            ("customer", None, b"jane@example.com"),
            ("inquiry", None, b"Why was I charged?"),
        ];
        if let Some(token) = csrf {
            parts.push(("csrf", None, token.as_bytes()));
        }
        let refused = browser.post_multipart(&desk.url("/upload"), &parts);
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert!(refused.body.contains("security token"));
    }
    assert_eq!(stored_cases(&mut browser, &desk), 0);
    let mut anonymous = Browser::new();
    let redirected = anonymous.post_multipart(&desk.url("/upload"), &[("inquiry", None, b"x")]);
    assert_eq!(redirected.status, 303);
    assert_eq!(redirected.location.as_deref(), Some("/login"));
}

#[test]
fn an_oversized_upload_is_refused_and_nothing_is_stored() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 64 * 1024);
    let (mut browser, csrf) = lead(&desk, &password);
    let big = "usage,cost\n".repeat(10_000);
    let refused = browser.post_multipart(
        &desk.url("/upload"),
        &[
            ("csrf", None, csrf.as_bytes()),
            ("customer", None, b"jane@example.com"),
            ("inquiry", None, b"Why was I charged?"),
            ("billing", Some("huge.csv"), big.as_bytes()),
        ],
    );
    assert_eq!(refused.status, 413, "{}", refused.body);
    assert!(
        refused.body.contains("larger than the limit"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("0.1 MiB"),
        "the limit is named: {}",
        refused.body
    );
    assert_eq!(stored_cases(&mut browser, &desk), 0);
}

#[test]
fn an_upload_with_too_many_parts_or_an_oversized_field_is_refused_by_name() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 4 * 1024 * 1024);
    let (mut browser, csrf) = lead(&desk, &password);
    let mut many: Vec<(&str, Option<&str>, &[u8])> = vec![("csrf", None, csrf.as_bytes())];
    many.extend(std::iter::repeat_n(
        ("billing", Some("a.csv"), &b"x"[..]),
        64,
    ));
    let refused = browser.post_multipart(&desk.url("/upload"), &many);
    assert_eq!(refused.status, 413, "{}", refused.body);
    assert!(
        refused.body.contains("more than 64 fields and files"),
        "{}",
        refused.body
    );

    let long = "Why was I charged? ".repeat(14_000);
    let refused = browser.post_multipart(
        &desk.url("/upload"),
        &[
            ("csrf", None, csrf.as_bytes()),
            ("customer", None, b"jane@example.com"),
            ("inquiry", None, long.as_bytes()),
        ],
    );
    assert_eq!(refused.status, 413, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("“inquiry” is larger than the limit of 0.3 MiB"),
        "{}",
        refused.body
    );

    let nameless = browser.post_multipart(&desk.url("/upload"), &[("", None, b"x")]);
    assert_eq!(nameless.status, 400, "{}", nameless.body);
    assert!(
        nameless.body.contains("a part without a name"),
        "{}",
        nameless.body
    );
    assert_eq!(stored_cases(&mut browser, &desk), 0);
}

#[test]
fn an_upload_of_a_file_that_is_not_billing_data_is_explained_on_the_page() {
    let (_dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 1024 * 1024);
    let (mut browser, csrf) = lead(&desk, &password);
    let inquiry = b"Hello <script>alert('x')</script>, why was I charged?";
    let refused = browser.post_multipart(
        &desk.url("/upload"),
        &[
            ("csrf", None, csrf.as_bytes()),
            ("customer", None, b"jane@example.com"),
            ("inquiry", None, inquiry),
            ("billing", Some("notes.txt"), b"my notes"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("notes.txt"), "{}", refused.body);
    assert!(refused.body.contains("is not a billing file"));
    assert!(
        refused.body.contains("&lt;script&gt;alert("),
        "the inquiry is kept, escaped"
    );
    assert!(!refused.body.contains("<script>alert"));

    let broken = browser.post_multipart(
        &desk.url("/upload"),
        &[
            ("csrf", None, csrf.as_bytes()),
            ("customer", None, b"jane@example.com"),
            ("inquiry", None, b"Why was I charged?"),
            ("billing", Some("broken.csv"), b"not,a,bill\n1,2,3\n"),
        ],
    );
    assert_eq!(broken.status, 422, "{}", broken.body);
    assert!(broken.body.contains("could not be read"), "{}", broken.body);
    assert!(broken.body.contains("broken.csv"));

    let not_mail = browser.post_multipart(
        &desk.url("/upload"),
        &[
            ("csrf", None, csrf.as_bytes()),
            ("eml", Some("case.eml"), b"just words"),
        ],
    );
    assert_eq!(not_mail.status, 422, "{}", not_mail.body);
    assert!(
        not_mail.body.contains(".eml file was refused"),
        "{}",
        not_mail.body
    );

    let empty = browser.post_multipart(&desk.url("/upload"), &[("csrf", None, csrf.as_bytes())]);
    assert_eq!(empty.status, 422);
    assert!(
        empty.body.contains("customer&#x27;s e-mail address"),
        "{}",
        empty.body
    );
    assert_eq!(stored_cases(&mut browser, &desk), 0, "nothing was stored");
}

/// The path of a form on the people page, `/users/{id}/ACTION`, in an account's entry.
fn account_action(page: &str, email: &str, action: &str) -> Option<String> {
    let item = page
        .split("<li data-user=\"")
        .find(|li| li.starts_with(&format!("{email}\"")))?;
    let item = &item[..item.find("</li>").unwrap_or(item.len())];
    item.split("action=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|path| path.starts_with("/users/") && path.ends_with(&format!("/{action}")))
        .map(str::to_owned)
}

#[test]
fn a_lead_unlocks_a_locked_login_and_resets_a_password() {
    let (_dir, db, password) = new_desk();
    let ann_password = add_user(&db, "ann@example.com", "associate", "en");
    let desk = Desk::start(&db, None, 1024 * 1024);
    let mut ann = Browser::new();
    for _ in 0..10 {
        ann.login(&desk, "ann@example.com", "wrong password");
    }
    assert_eq!(
        ann.login(&desk, "ann@example.com", &ann_password).status,
        401
    );

    let (mut lead, csrf) = lead(&desk, &password);
    let people = lead.get(&desk.url("/users")).body;
    assert!(people.contains("locked until"), "{people}");
    let unlock = account_action(&people, "ann@example.com", "unlock").expect("an unlock button");
    assert!(account_action(&people, "lead@example.com", "unlock").is_none());
    let refused = lead.post(&desk.url(&unlock), &[]);
    assert_eq!(refused.status, 403, "the unlock form needs its token");
    assert_eq!(
        ann.login(&desk, "ann@example.com", &ann_password).status,
        401
    );
    let unlocked = lead.post(&desk.url(&unlock), &[("csrf", &csrf)]);
    assert_eq!(unlocked.status, 303, "{}", unlocked.body);
    assert!(!lead.get(&desk.url("/users")).body.contains("locked until"));
    assert_eq!(
        ann.login(&desk, "ann@example.com", &ann_password).status,
        303
    );
    assert_eq!(ann.get(&desk.url("/")).status, 200);

    // An associate cannot do it.
    let ann_csrf = hidden(&ann.get(&desk.url("/")).body, "csrf");
    let reset = account_action(&people, "ann@example.com", "reset").expect("a reset button");
    let lead_reset = account_action(&people, "lead@example.com", "reset").unwrap();
    let forbidden = ann.post(&desk.url(&lead_reset), &[("csrf", &ann_csrf)]);
    assert_eq!(forbidden.status, 403);
    assert!(forbidden.body.contains("Only a lead"));

    let reset_page = lead.post(&desk.url(&reset), &[("csrf", &csrf)]);
    assert_eq!(reset_page.status, 200, "{}", reset_page.body);
    let fresh = reset_page
        .body
        .split("class=\"password\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the new one-time password is shown")
        .to_owned();
    assert!(reset_page.body.contains("ann@example.com: <code"));
    assert_eq!(ann.get(&desk.url("/")).status, 303, "ann's session ended");
    assert_eq!(
        ann.login(&desk, "ann@example.com", &ann_password).status,
        401
    );
    assert_eq!(ann.login(&desk, "ann@example.com", &fresh).status, 303);

    let audit = lead.get(&desk.url("/audit")).body;
    for action in ["account-unlocked", "password-reset"] {
        assert!(
            audit.contains(&format!("<td>{action}</td>")),
            "audit lacks {action}"
        );
    }
    assert!(
        !audit.contains(&fresh),
        "the password is not in the audit log"
    );
}

/// Posts the upload form as Jane Doe; the desk answers with a redirect to the new case.
fn upload(
    browser: &mut Browser,
    desk: &Desk,
    csrf: &str,
    inquiry: &str,
    billing: Option<(&str, &[u8])>,
) -> Page {
    let (name, bytes) = billing.unwrap_or(("", b""));
    let created = browser.post_multipart(
        &desk.url("/upload"),
        &[
            ("csrf", None, csrf.as_bytes()),
            ("customer", None, b"jane@example.com"),
            ("name", None, b"Jane Doe"),
            ("subject", None, b"Charges on my October bill"),
            ("inquiry", None, inquiry.as_bytes()),
            ("eml", Some(""), b""),
            ("billing", Some(name), bytes),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    created
}

/// Cost Explorer output uploaded through the form, and an inquiry that only
/// quotes the Bills page, are each analysed at once.
#[test]
fn an_upload_of_cost_explorer_json_or_of_quoted_lines_is_analysed() {
    let (dir, db, password) = new_desk();
    let desk = Desk::start(&db, None, 64 * 1024 * 1024);
    let (mut browser, csrf) = lead(&desk, &password);
    let ce = write_scenario_as(
        "two-instances",
        &dir.path().join("ce"),
        &["--format", "ce-json"],
    );
    let json = std::fs::read(&ce).unwrap();
    upload(
        &mut browser,
        &desk,
        &csrf,
        INQUIRY,
        Some((&name_of(&ce), &json)),
    );
    let case = browser.get(&desk.url("/cases/1"));
    assert!(case.body.contains("/cases/1/report\""), "{}", case.body);
    assert!(textarea(&case.body).contains("$8.56"), "{}", case.body);

    let quoted = "My October 2025 bill shows $8.56. The Bills page says:\n\n\
$0.00 per Linux t2.micro instance-hour (or partial hour) under monthly free tier  750.000 Hrs  $0.00\n\
$0.0116 per On Demand Linux t2.micro Instance Hour  738.000 Hrs  $8.56\n\nJane Doe\n";
    let csrf = hidden(&browser.get(&desk.url("/upload")).body, "csrf");
    upload(&mut browser, &desk, &csrf, quoted, None);
    let case = browser.get(&desk.url("/cases/2"));
    assert!(case.body.contains("/cases/2/report\""), "{}", case.body);
    let draft = textarea(&case.body);
    assert!(
        draft.contains("$8.56") && draft.contains("rests on"),
        "{draft}"
    );
}
