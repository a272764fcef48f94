//! Issue 17, item 4: billing files from outside are read within limits. A
//! gzip bomb attached to a mail marks its case failed with the reason on the
//! case page, and the desk stays up.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::write_scenario;
use mail_builder::headers::address::Address;
use mail_builder::MessageBuilder;

use crate::desk::{deliver, init, inquiry_mail, Browser, Desk};

/// The scenario's CSV with its last data row repeated until the file holds
/// `rows` rows, gzip-compressed: it inflates to far more than its size.
fn write_bomb(scenario: &Path, out: &Path, rows: usize) {
    let text = std::fs::read_to_string(scenario).unwrap();
    let last = text.trim_end().lines().last().unwrap();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(out).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(text.as_bytes()).unwrap();
    let block = format!("{last}\n").repeat(1000);
    for _ in 0..rows / 1000 {
        gz.write_all(block.as_bytes()).unwrap();
    }
    gz.finish().unwrap();
}

/// An inquiry with `file` attached as `application/gzip`, as mail clients send it.
fn mail_with_gzip(id: &str, file: &Path) -> Vec<u8> {
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    MessageBuilder::new()
        .from(Address::new_address(Some("Jane Doe"), "jane@example.com"))
        .to("desk@example.com")
        .subject("My bill")
        .message_id(id)
        .date(1_762_000_000_i64)
        .text_body("See attached.")
        .attachment("application/gzip", name, std::fs::read(file).unwrap())
        .write_to_vec()
        .unwrap()
}

/// The case page once the analysis ended (failed or ready).
fn analysed_case(browser: &mut Browser, desk: &Desk, case: u32) -> String {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let page = browser.get(&desk.url(&format!("/cases/{case}")));
        assert_eq!(page.status, 200, "{}", page.body);
        let ended = page.body.contains("could not be read")
            || page.body.contains(&format!("/cases/{case}/report\""));
        if ended {
            return page.body;
        }
        assert!(Instant::now() < deadline, "the case was never analysed");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_gzip_bomb_in_a_mail_fails_its_case_with_the_reason_shown() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let password = init(&db);
    let csv = write_scenario("two-instances", &dir.path().join("billing"));
    let bomb = dir.path().join("bill.csv.gz");
    write_bomb(&csv, &bomb, 20_000); // a few MiB inflated
                                     // under the limit as sent, over it once inflated
    let sent = std::fs::metadata(&bomb).unwrap().len();
    assert!(sent < 1024 * 1024, "{sent} bytes");
    let desk = Desk::start_with(&db, &["--max-inflated-mib", "1"], &[], 10 * 1024 * 1024);

    let mail = mail_with_gzip("bomb-1@example.com", &bomb);
    let accepted = deliver(&desk, &mail);
    assert!(accepted.starts_with("250"), "{accepted}");

    let mut browser = Browser::new();
    let login = browser.login(&desk, "lead@example.com", &password);
    assert_eq!(login.status, 303, "{}", login.body);
    let page = analysed_case(&mut browser, &desk, 1);
    assert!(page.contains("could not be read"), "{page}");
    assert!(page.contains("more than 1048576 bytes"), "{page}");
    assert!(page.contains("bill.csv.gz"), "{page}");

    // the desk is still up and reads a file within the limits
    let mail = inquiry_mail("ok-1@example.com", "My bill", "See attached.", Some(&csv));
    assert!(deliver(&desk, &mail).starts_with("250"));
    let page = analysed_case(&mut browser, &desk, 2);
    assert!(!page.contains("could not be read"), "{page}");
}

/// The scenario's header row, then `mib` MiB of empty lines: a reader that
/// kept what it inflated would hold all of it.
fn write_blank_bomb(scenario: &Path, out: &Path, mib: usize) {
    let text = std::fs::read_to_string(scenario).unwrap();
    let header = text.lines().next().unwrap();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(out).unwrap(),
        flate2::Compression::best(),
    );
    writeln!(gz, "{header}").unwrap();
    let mebibyte = vec![b'\n'; 1024 * 1024];
    for _ in 0..mib {
        gz.write_all(&mebibyte).unwrap();
    }
    gz.finish().unwrap();
}

/// The most memory the process `pid` ever held (Linux's `VmHWM`), in KiB.
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_600_mib_bomb_fails_at_the_default_limit_without_holding_what_it_inflated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let password = init(&db);
    let csv = write_scenario("two-instances", &dir.path().join("billing"));
    let bomb = dir.path().join("bill.csv.gz");
    write_blank_bomb(&csv, &bomb, 600);
    let sent = std::fs::metadata(&bomb).unwrap().len();
    assert!(sent < 2 * 1024 * 1024, "{sent} bytes");
    let desk = Desk::start_with(&db, &[], &[], 10 * 1024 * 1024); // default limits

    let mail = mail_with_gzip("bomb-600@example.com", &bomb);
    assert!(deliver(&desk, &mail).starts_with("250"));
    let mut browser = Browser::new();
    let login = browser.login(&desk, "lead@example.com", &password);
    assert_eq!(login.status, 303, "{}", login.body);
    let page = analysed_case(&mut browser, &desk, 1);
    assert!(page.contains("could not be read"), "{page}");
    assert!(page.contains("more than 536870912 bytes"), "{page}");

    let peak_mib = peak_kib(desk.child.id()) / 1024;
    assert!(peak_mib < 128, "the desk held {peak_mib} MiB at its peak");
}

/// The scenario's CSV followed by `members` gzip members of 10,000 copies of
/// its last row (concatenated members, as `cat a.gz b.gz`): millions of rows,
/// written in an instant.
fn write_long_file(scenario: &Path, out: &Path, members: usize) {
    let text = std::fs::read_to_string(scenario).unwrap();
    let last = text.trim_end().lines().last().unwrap();
    let gzip = |bytes: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    };
    let mut file = std::fs::File::create(out).unwrap();
    file.write_all(&gzip(text.as_bytes())).unwrap();
    let member = gzip(format!("{last}\n").repeat(10_000).as_bytes());
    for _ in 0..members {
        file.write_all(&member).unwrap();
    }
}

#[test]
fn an_analysis_past_its_deadline_fails_its_case_at_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let password = init(&db);
    let csv = write_scenario("two-instances", &dir.path().join("billing"));
    let long = dir.path().join("long.csv.gz");
    write_long_file(&csv, &long, 500); // 5 million rows: many seconds to read
    let desk = Desk::start_with(
        &db,
        &[
            "--analysis-timeout-seconds",
            "1",
            "--max-inflated-mib",
            "100000",
            "--max-rows",
            "100000000",
        ],
        &[],
        64 * 1024 * 1024,
    );
    let mail = mail_with_gzip("long-1@example.com", &long);
    let sent = Instant::now();
    let accepted = deliver(&desk, &mail);
    assert!(
        accepted.starts_with("250"),
        "{accepted} ({} bytes)",
        mail.len()
    );

    let mut browser = Browser::new();
    let login = browser.login(&desk, "lead@example.com", &password);
    assert_eq!(login.status, 303, "{}", login.body);
    let page = analysed_case(&mut browser, &desk, 1);
    let took = sent.elapsed();
    assert!(page.contains("could not be read"), "{page}");
    assert!(page.contains("took longer than 1 s"), "{page}");
    assert!(
        took < Duration::from_secs(30),
        "cut at the deadline, not after {took:?}"
    );
}

fn case_state(db: &Path) -> (String, i64, Option<String>) {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT analysis, analysis_attempts, analysis_error FROM cases WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

/// Waits until case 1's analysis has started `attempts` times.
fn wait_for_attempt(db: &Path, attempts: i64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while case_state(db).1 < attempts {
        assert!(
            Instant::now() < deadline,
            "attempt {attempts} never started"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(case_state(db).0, "pending");
}

#[test]
fn an_analysis_that_kills_the_desk_is_retried_a_bounded_number_of_times() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let password = init(&db);
    let csv = write_scenario("two-instances", &dir.path().join("billing"));
    let long = dir.path().join("long.csv.gz");
    write_long_file(&csv, &long, 500); // a slow analysis, killed while it runs
    let args = [
        "--analysis-attempts",
        "2",
        "--max-inflated-mib",
        "100000",
        "--max-rows",
        "100000000",
    ];
    let start = || Desk::start_with(&db, &args, &[], 64 * 1024 * 1024);
    let mut desk = start();
    let mail = mail_with_gzip("poison-1@example.com", &long);
    assert!(deliver(&desk, &mail).starts_with("250"));
    wait_for_attempt(&db, 1);
    desk.kill9();

    let mut desk = start(); // analyses the pending case again: attempt 2
    wait_for_attempt(&db, 2);
    desk.kill9();

    let desk = start(); // the bound is reached: failed, not analysed a third time
    let (analysis, attempts, error) = case_state(&db);
    assert_eq!((analysis.as_str(), attempts), ("failed", 2), "{error:?}");
    let mut browser = Browser::new();
    let login = browser.login(&desk, "lead@example.com", &password);
    assert_eq!(login.status, 303, "the desk stays up: {}", login.body);
    let page = analysed_case(&mut browser, &desk, 1);
    assert!(page.contains("started 2 times"), "{page}");
}
