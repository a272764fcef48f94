//! `ftdesk reply`: drafts for every scenario in both languages, their figures,
//! the .eml form, template overrides and bad input.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ftdesk_core::Timestamp;
use ftdesk_render::{format, Lang};
use mail_parser::{MessageParser, MimeHeaders};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{dec, ftdesk, write_scenario};

const ENGLISH_INQUIRY: &str = "Hello,\n\nI only use the free tier, but my AWS bill shows charges. \
Could you explain what I am paying for and how to stop it?\n\nThanks,\nJane Doe\n";
const KOREAN_INQUIRY: &str = "안녕하세요.\n\n프리 티어만 사용하고 있는데 요금이 청구되었습니다. \
어떤 항목 때문인지, 어떻게 멈출 수 있는지 알려 주시면 감사하겠습니다.\n\n김민수 드림\n";

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

fn write_inquiry(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn reply(inquiry: &Path, data: &Path, extra: &[&str]) -> std::process::Output {
    ftdesk()
        .arg("reply")
        .arg("--inquiry")
        .arg(inquiry)
        .arg(data)
        .args(extra)
        .output()
        .expect("runs")
}

fn reply_ok(inquiry: &Path, data: &Path, extra: &[&str]) -> String {
    let out = reply(inquiry, data, extra);
    assert!(
        out.status.success(),
        "reply {extra:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn refusal(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(2), "expected a refusal");
    assert!(out.stdout.is_empty(), "a refusal writes no reply");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

struct Case {
    name: &'static str,
    data: PathBuf,
}

/// Every scenario `ftdesk sample` knows, so a new one gets its replies checked too.
fn cases(dir: &Path) -> Vec<Case> {
    ftdesk_sample::scenarios()
        .iter()
        .map(|s| Case {
            name: s.name,
            data: write_scenario(s.name, dir),
        })
        .collect()
}

fn inquiries(dir: &Path) -> [(Lang, PathBuf); 2] {
    [
        (Lang::En, write_inquiry(dir, "en.txt", ENGLISH_INQUIRY)),
        (Lang::Ko, write_inquiry(dir, "ko.txt", KOREAN_INQUIRY)),
    ]
}

#[test]
fn replies_for_every_scenario_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let inquiries = inquiries(dir.path());
    for case in cases(dir.path()) {
        for (lang, inquiry) in &inquiries {
            let text = reply_ok(inquiry, &case.data, &[]);
            let name = format!("reply-{}.{}.txt", case.name, lang.code());
            settings().bind(|| insta::assert_snapshot!(name, text));
        }
    }
}

#[test]
fn every_figure_in_every_reply_comes_from_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let inquiries = inquiries(dir.path());
    for case in cases(dir.path()) {
        let report_figures = figures_of_report(&case.data);
        for (lang, inquiry) in &inquiries {
            let text = reply_ok(inquiry, &case.data, &[]);
            let mut allowed = report_figures.clone();
            for group in groups(&text) {
                let sum: Decimal = group.resources.iter().map(|(amount, _)| amount).sum();
                assert_eq!(
                    group.subtotal,
                    sum,
                    "{} ({}): the subtotal of {:?} is not the sum of its resources {:?}",
                    case.name,
                    lang.code(),
                    group.lead,
                    group.resources
                );
                allowed.insert(format::money(group.subtotal, "USD"));
            }
            let stray: Vec<String> = figures(&text)
                .into_iter()
                .filter(|f| !allowed.contains(f))
                .collect();
            assert!(
                stray.is_empty(),
                "{} ({}): figures not in the report: {stray:?}\n{text}",
                case.name,
                lang.code()
            );
        }
    }
}

#[test]
fn eml_replies_parse_back_to_the_text_reply() {
    let dir = tempfile::tempdir().unwrap();
    let inquiries = inquiries(dir.path());
    let mut subjects = String::new();
    for case in cases(dir.path()) {
        for (lang, inquiry) in &inquiries {
            let text = reply_ok(inquiry, &case.data, &[]);
            let eml = reply_ok(inquiry, &case.data, &["--format", "eml"]);
            let message = MessageParser::default()
                .parse(eml.as_bytes())
                .expect("a valid message");
            let subject = message.subject().expect("a Subject").to_owned();
            subjects.push_str(&format!("{}.{}: {subject}\n", case.name, lang.code()));
            let part = message.part(message.text_body[0]).expect("a text part");
            let content_type = part.content_type().expect("a Content-Type");
            assert_eq!(content_type.ctype(), "text");
            assert_eq!(content_type.subtype(), Some("plain"));
            assert_eq!(
                content_type
                    .attribute("charset")
                    .map(str::to_ascii_lowercase),
                Some("utf-8".to_owned())
            );
            assert!(message.date().is_some(), "a Date header");
            assert!(message.message_id().is_some(), "a Message-ID");
            let body = message
                .body_text(0)
                .expect("a text body")
                .replace("\r\n", "\n");
            assert_eq!(body, text, "{} ({})", case.name, lang.code());
            assert!(message.body_html(0).is_some(), "an HTML alternative");
        }
    }
    settings().bind(|| insta::assert_snapshot!("reply-subjects.txt", subjects));
}

#[test]
fn an_eml_inquiry_threads_the_reply_and_keeps_the_customers_language() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_scenario("seoul-student", dir.path());
    // Base64 UTF-8 body in a multipart message, name and subject as encoded words.
    let body = "11월 청구서에 19.63달러가 나왔습니다. 프리 티어인데 왜 그런가요?";
    let eml = format!(
        "From: =?UTF-8?B?6rmA66+87IiY?= <minsu@example.com>\r\n\
Subject: =?UTF-8?B?7JqU6riIIOusuOydmA==?=\r\n\
Date: Tue, 25 Nov 2025 10:00:00 +0900\r\n\
Message-ID: <case-1@example.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
--b1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b1--\r\n",
        base64(body.as_bytes())
    );
    let inquiry = write_inquiry(dir.path(), "case.eml", &eml);
    let text = reply_ok(&inquiry, &data, &[]);
    assert!(text.starts_with("안녕하세요, 김민수 고객님."), "{text}");
    assert!(text.contains("말씀하신 $19.63와 일치합니다."), "{text}");
    let out = reply_ok(&inquiry, &data, &["--format", "eml"]);
    let message = MessageParser::default().parse(out.as_bytes()).unwrap();
    assert_eq!(message.subject(), Some("Re: 요금 문의"));
    assert_eq!(message.in_reply_to().as_text(), Some("case-1@example.com"));
    let to = message.to().and_then(|a| a.first()).unwrap();
    assert_eq!(to.address(), Some("minsu@example.com"));
}

#[test]
fn language_can_be_overridden_and_the_inquiry_read_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_scenario("two-instances", dir.path());
    let out = ftdesk()
        .args(["reply", "--inquiry", "-", "--lang", "en"])
        .arg(&data)
        .write_stdin(KOREAN_INQUIRY)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Hello 김민수,"), "{text}");
}

#[test]
fn a_quoted_amount_that_does_not_match_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_scenario("tax-and-credits", dir.path());
    let wrong = write_inquiry(
        dir.path(),
        "q.txt",
        "Why did I pay $23.41 in October 2025? Regards,\nTom",
    );
    let text = reply_ok(&wrong, &data, &[]);
    assert!(
        text.contains("You mention $23.41, but the October 2025 data shows $4.42"),
        "{text}"
    );
    let won = write_inquiry(
        dir.path(),
        "w.txt",
        "2025년 10월에 카드에서 6,100원이 빠져나갔습니다.",
    );
    let text = reply_ok(&won, &data, &[]);
    assert!(
        text.contains("말씀하신 금액은 KRW 6,100.00입니다. 청구서는 USD로 작성되므로"),
        "{text}"
    );
    let gross = write_inquiry(dir.path(), "g.txt", "My bill says $8.56 for October 2025.");
    let text = reply_ok(&gross, &data, &[]);
    assert!(text.contains("The $8.56 you mention is the charges before tax and credits; after them, $4.42 is due."), "{text}");
}

#[test]
fn with_notes_adds_evidence_unknowns_and_a_proposal() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_scenario("two-instances", dir.path());
    let inquiry = write_inquiry(dir.path(), "q.txt", ENGLISH_INQUIRY);
    let text = reply_ok(&inquiry, &data, &["--with-notes"]);
    for expected in [
        "Associate's notes (not for the customer)",
        "Charge 1: BoxUsage:t2.micro",
        "What the data could not decide",
        "Improvement proposal",
        "Warn at 80% of EC2 t2.micro / t3.micro Linux hours (750 hours)",
    ] {
        assert!(text.contains(expected), "missing {expected:?}\n{text}");
    }
}

#[test]
fn a_templates_folder_overrides_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_scenario("two-instances", dir.path());
    let inquiry = write_inquiry(dir.path(), "q.txt", ENGLISH_INQUIRY);
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(templates.join("en")).unwrap();
    std::fs::write(
        templates.join("en/team.ftl"),
        "closing-thanks = Thanks for building on AWS. — The Seoul billing desk\n",
    )
    .unwrap();
    let plain = reply_ok(&inquiry, &data, &[]);
    let custom = reply_ok(
        &inquiry,
        &data,
        &["--templates", templates.to_str().unwrap()],
    );
    assert!(custom.contains("Thanks for building on AWS. — The Seoul billing desk"));
    assert!(!plain.contains("Seoul billing desk"));
    let from_env = ftdesk()
        .arg("reply")
        .arg("--inquiry")
        .arg(&inquiry)
        .arg(&data)
        .env("FTDESK_REPLY_TEMPLATES", &templates)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(from_env.stdout).unwrap(), custom);
}

#[test]
fn an_empty_inquiry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_scenario("two-instances", dir.path());
    let out = ftdesk()
        .args(["reply", "--inquiry", "-"])
        .arg(&data)
        .write_stdin("  \n")
        .output()
        .unwrap();
    let stderr = refusal(&out);
    assert!(stderr.contains("the inquiry is empty"), "{stderr}");
}

#[test]
fn an_undecodable_inquiry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_scenario("two-instances", dir.path());
    let binary = dir.path().join("scan.bin");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe").unwrap();
    let stderr = refusal(&reply(&binary, &data, &[]));
    assert!(
        stderr.contains("cannot be read") && stderr.contains("binary"),
        "{stderr}"
    );
    let attachment_only = write_inquiry(
        dir.path(),
        "only.eml",
        "From: a@example.com\r\nSubject: bill\r\nMIME-Version: 1.0\r\n\
Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n",
    );
    let stderr = refusal(&reply(&attachment_only, &data, &[]));
    assert!(stderr.contains("no readable text part"), "{stderr}");
}

#[test]
fn an_inquiry_about_a_month_not_in_the_data_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_scenario("seoul-student", dir.path());
    let inquiry = write_inquiry(
        dir.path(),
        "q.txt",
        "I was charged $40.00 in December 2025. Why?",
    );
    let stderr = refusal(&reply(&inquiry, &data, &[]));
    assert!(
        stderr
            .contains("the customer asks about 2025-12, but the billing data covers only 2025-11"),
        "{stderr}"
    );
    let korean = write_inquiry(dir.path(), "k.txt", "9월 요금이 왜 나왔나요?");
    let stderr = refusal(&reply(&korean, &data, &[]));
    assert!(stderr.contains("about 2025-09"), "{stderr}");
    let stderr = refusal(&reply(&korean, &data, &["--month", "2025-10"]));
    assert!(stderr.contains("--month asks about 2025-10"), "{stderr}");
}

// ------------------------------------------------------------------ helpers

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Every figure (amount, quantity, rate, date part) the report shows or holds:
/// the rendered reports in both languages, and each JSON number and timestamp
/// formatted the ways the renderers format them.
fn figures_of_report(data: &Path) -> BTreeSet<String> {
    let mut shown = String::new();
    for lang in ["en", "ko"] {
        let out = ftdesk()
            .arg("check")
            .arg(data)
            .args(["--lang", lang])
            .output()
            .unwrap();
        shown.push_str(&String::from_utf8(out.stdout).unwrap());
    }
    let out = ftdesk()
        .arg("check")
        .arg(data)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    collect_json_figures(&json, &mut shown);
    figures(&shown).into_iter().collect()
}

fn collect_json_figures(value: &Value, out: &mut String) {
    match value {
        Value::Number(_) => {
            let d = dec(value);
            for text in [
                format::money(d, "USD"),
                format::rate(d, "USD"),
                format::number(d, 0),
                format::number(d, 2),
                format::quantity_number(d),
            ] {
                out.push_str(&format!(" {text} "));
            }
        }
        Value::String(s) => {
            if let Ok(t) = Timestamp::parse(s) {
                for lang in [Lang::En, Lang::Ko] {
                    out.push_str(&format!(" {} ", format::timestamp(t, lang)));
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_json_figures(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_json_figures(v, out)),
        _ => {}
    }
}

/// Figures in running text: `$12.74`, `1,488`, `0.0116`, `03:00`. Digits glued
/// to letters or hyphens (ids, usage types, `t2.micro`, `12-month`) are names, not figures.
fn figures(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || matches!(chars[i], '.' | ',' | ':'))
        {
            i += 1;
        }
        let before = start.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i).copied();
        let glued = |c: Option<char>| {
            c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/'))
        };
        let dollar = before == Some('$');
        let glued_before = !dollar && glued(before);
        let token: String = chars[start..i].iter().collect();
        let token = token.trim_end_matches(['.', ',', ':']).to_owned();
        if glued_before || glued(after) && !token.ends_with(':') {
            continue;
        }
        found.push(if dollar { format!("${token}") } else { token });
    }
    found
}

/// One item of "where the charges come from": its numbered lead, whose last
/// amount is the subtotal, and the resources listed under it with their amounts.
#[derive(Debug)]
struct Group {
    lead: String,
    subtotal: Decimal,
    resources: Vec<(Decimal, String)>,
}

fn groups(text: &str) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for line in text.lines() {
        let numbered = line
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if numbered {
            let (_, subtotal) = line
                .rsplit_once(": ")
                .expect("a lead ends with its subtotal");
            groups.push(Group {
                lead: line.to_owned(),
                subtotal: money(subtotal),
                resources: Vec::new(),
            });
        } else if let Some(resource) = line.strip_prefix("   - $") {
            let (amount, what) = resource
                .split_once(": ")
                .expect("an amount, then the resource");
            let group = groups.last_mut().expect("a resource under a numbered item");
            group.resources.push((money(amount), what.to_owned()));
        }
    }
    groups
}

fn money(text: &str) -> Decimal {
    text.trim_start_matches('$')
        .replace(',', "")
        .parse()
        .unwrap_or_else(|e| panic!("{text:?} is not an amount: {e}"))
}

#[test]
fn the_subtotal_check_reads_groups_and_their_resources() {
    let text = "Where\n\n1. EC2 hours: 1,488 hours used: $1,008.56\n   Why.\n   - $1,004.28: BoxUsage:t2.micro (i-1, us-east-1)\n      369 hours\n   - $4.28: BoxUsage:t2.micro (i-2, us-east-1)\n2. NAT: $0.27\n   - $0.27: NatGateway-Bytes (nat-1, us-east-1)\n\n- $3.00: an action, not a resource\n";
    let found = groups(text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].subtotal, "1008.56".parse::<Decimal>().unwrap());
    assert_eq!(
        found[0].resources,
        vec![
            (
                "1004.28".parse().unwrap(),
                "BoxUsage:t2.micro (i-1, us-east-1)".to_owned()
            ),
            (
                "4.28".parse().unwrap(),
                "BoxUsage:t2.micro (i-2, us-east-1)".to_owned()
            ),
        ]
    );
    assert_eq!(found[1].resources.len(), 1);
}

#[test]
fn two_instances_sharing_one_pool_are_explained_per_offer_then_per_instance() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_scenario("two-instances", dir.path());
    let inquiries = inquiries(dir.path());
    let en = reply_ok(&inquiries[0].1, &data, &[]);
    let offer = "1. EC2 t2.micro / t3.micro Linux hours: 1,488 hours used, 738 hours over the free allowance of 750 hours: $8.56";
    let lines: Vec<&str> = en.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == offer)
        .unwrap_or_else(|| panic!("no {offer:?}\n{en}"));
    let under: Vec<&str> = lines[at + 1..]
        .iter()
        .filter(|l| l.starts_with("   - "))
        .take(2)
        .copied()
        .collect();
    assert_eq!(
        under,
        [
            "   - $4.28: BoxUsage:t2.micro (i-0a1b2c3d4e5f60001, us-east-1)",
            "   - $4.28: BoxUsage:t2.micro (i-0a1b2c3d4e5f60002, us-east-1)",
        ],
        "{en}"
    );
    assert_eq!(en.matches("Remember that").count(), 1, "{en}");
    assert_eq!(
        en.matches("1,488 hours").count(),
        1,
        "the pool's figures are said once\n{en}"
    );
    let ko = reply_ok(&inquiries[1].1, &data, &[]);
    assert!(
        ko.contains("1. EC2 t2.micro / t3.micro Linux 사용 시간 혜택: 1,488시간 사용, 무료 한도 750시간을 738시간 초과: $8.56\n"),
        "{ko}"
    );
    assert_eq!(ko.matches("기억해 주십시오").count(), 1, "{ko}");
}

#[test]
fn the_figure_check_sees_figures_and_skips_names() {
    assert_eq!(
        figures(
            "pay $1.23 for 5 hours on t2.micro i-0a1b2, a 12-month offer, at 03:00 UTC (1,488)."
        ),
        vec!["$1.23", "5", "03:00", "1,488"]
    );
}

#[test]
fn last_month_is_read_against_the_message_date() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_scenario("seoul-student", dir.path());
    let dated = write_inquiry(
        dir.path(),
        "dated.eml",
        "From: Jane Doe <jane@example.com>\r\nSubject: Bill\r\nDate: Wed, 3 Dec 2025 09:00:00 +0000\r\n\
Content-Type: text/plain; charset=us-ascii\r\n\r\nMy bill last month was a surprise.\r\n",
    );
    let text = reply_ok(&dated, &data, &["--with-notes"]);
    assert!(text.contains("month 2025-11;"), "{text}");
    let september = write_inquiry(
        dir.path(),
        "sept.eml",
        "From: Jane Doe <jane@example.com>\r\nSubject: Bill\r\nDate: Wed, 15 Oct 2025 09:00:00 +0000\r\n\
Content-Type: text/plain; charset=us-ascii\r\n\r\nMy bill last month was a surprise.\r\n",
    );
    let stderr = refusal(&reply(&september, &data, &[]));
    assert!(stderr.contains("about 2025-09"), "{stderr}");
    let undated = write_inquiry(
        dir.path(),
        "undated.txt",
        "My bill last month was a surprise.",
    );
    let text = reply_ok(&undated, &data, &["--with-notes"]);
    assert!(text.contains("could not be placed in a year"), "{text}");
}

/// Free Tier API output holds usage, not charges: the reply states no amount
/// as a fact, says what the data cannot tell and which data would.
#[test]
fn a_reply_from_free_tier_api_output_alone_states_no_amount() {
    let dir = tempfile::tempdir().unwrap();
    let usage = write_inquiry(
        dir.path(),
        "freetier-usage.json",
        r#"{"freeTierUsages":[{"service":"Amazon Elastic Compute Cloud","operation":"RunInstances",
        "usageType":"Global-BoxUsage:freetier.micro","region":"global","actualUsageAmount":840.0,
        "forecastedUsageAmount":1224.0,"limit":750.0,"unit":"Hrs",
        "description":"750.0 Hrs for free for 12 months as part of AWS Free Usage Tier (Global-BoxUsage:freetier.micro)",
        "freeTierType":"12 Months Free"}]}"#,
    );
    for (lang, text, says) in [
        ("en", ENGLISH_INQUIRY, "cannot yet tell you"),
        ("ko", KOREAN_INQUIRY, "아직 말씀드릴 수 없습니다"),
    ] {
        let inquiry = write_inquiry(dir.path(), &format!("q.{lang}.txt"), text);
        let out = reply(&inquiry, &usage, &["--with-notes"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let draft = String::from_utf8(out.stdout).unwrap();
        assert!(draft.contains(says), "{draft}");
        assert!(draft.contains("Cost Explorer"), "{draft}");
        let customer_part = draft.split("\n-----").next().unwrap();
        assert!(!customer_part.contains("$0.00"), "{draft}");
        assert!(!customer_part.contains("no charges"), "{draft}");
        assert!(!customer_part.contains("nothing to stop"), "{draft}");
    }
}
