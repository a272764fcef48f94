//! Answering from the Bills-page lines a customer pastes into the message:
//! `reply` without billing files, and `check --pasted FILE`.

use std::path::Path;

use crate::common::{check_json, dec, ftdesk, stdout_of, write_scenario};

const LINES: &str = "\
Elastic Compute Cloud\t$8.56
{region}\t$8.56
$0.00 per Linux t2.micro instance-hour (or partial hour) under monthly free tier  750.000 Hrs  $0.00
$0.0116 per On Demand Linux t2.micro Instance Hour / 738.000 Hrs / $8.56
";

fn english_inquiry() -> String {
    format!(
        "Hello,\n\nMy October 2025 bill shows $8.56 although I only use the free tier. The Bills page says:\n\n{}\nWhy?\n\nThanks,\nJane Doe\n",
        LINES.replace("{region}", "US East (N. Virginia)")
    )
}

fn korean_inquiry() -> String {
    format!(
        "안녕하세요.\n\n프리 티어만 쓰는데 2025년 10월 청구서에 요금이 나왔습니다. 청구서 페이지 내용입니다.\n\n{}\n왜 청구되었는지 알려 주세요.\n\n김민수 드림\n",
        LINES.replace("{region}", "미국 동부(버지니아 북부)")
    )
}

fn run_reply(dir: &Path, inquiry: &str, data: Option<&Path>) -> std::process::Output {
    let path = dir.join("case.txt");
    std::fs::write(&path, inquiry).unwrap();
    let mut command = ftdesk();
    command.arg("reply").arg("--inquiry").arg(&path);
    if let Some(data) = data {
        command.arg(data);
    }
    command.output().expect("runs")
}

fn reply_text(dir: &Path, inquiry: &str, data: Option<&Path>) -> String {
    let out = run_reply(dir, inquiry, data);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The heading line of the reply's first charge group (`1. EC2 ...: $8.56`).
fn first_group(reply: &str) -> &str {
    reply
        .lines()
        .find(|l| l.starts_with("1. "))
        .expect("a charge group")
}

fn same_figures_as_the_scenario(inquiry: &str, rests_on: &str) {
    let dir = tempfile::tempdir().unwrap();
    let pasted = reply_text(dir.path(), inquiry, None);
    let data = write_scenario("two-instances", dir.path());
    let from_export = reply_text(dir.path(), inquiry, Some(&data));
    assert_eq!(first_group(&pasted), first_group(&from_export));
    assert!(first_group(&pasted).contains("738"), "{pasted}");
    assert!(first_group(&pasted).contains("$8.56"), "{pasted}");
    assert!(pasted.contains(rests_on), "{pasted}");
    assert!(!from_export.contains(rests_on), "{from_export}");
}

#[test]
fn an_english_reply_from_pasted_lines_alone_has_the_exports_figures() {
    same_figures_as_the_scenario(
        &english_inquiry(),
        "This answer rests on the 2 lines of the Bills page you quoted",
    );
}

#[test]
fn a_korean_reply_from_pasted_lines_alone_has_the_exports_figures() {
    same_figures_as_the_scenario(&korean_inquiry(), "인용해 주신 청구서 페이지의 2개 행");
}

#[test]
fn check_reads_a_pasted_file_as_the_months_bill() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bill.txt");
    std::fs::write(&file, LINES.replace("{region}", "US East (N. Virginia)")).unwrap();
    let report = check_json(&["--pasted", file.to_str().unwrap(), "--month", "2025-10"]);
    assert_eq!(dec(&report["net_cost"]), "8.56".parse().unwrap());
    let offer = &report["offers"][0];
    assert_eq!(offer["id"], "ec2-micro-linux");
    assert_eq!(dec(&offer["used"]), 1488.into());
}

#[test]
fn a_pasted_file_without_a_bill_line_is_refused_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bill.txt");
    std::fs::write(&file, "\nElastic Compute Cloud total eight dollars\n").unwrap();
    let out = ftdesk()
        .args(["check", "--month", "2025-10", "--pasted"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bill.txt") && stderr.contains("line 2"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_reply_with_neither_billing_files_nor_pasted_lines_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_reply(
        dir.path(),
        "Hello, why was I charged in October 2025?\n",
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing to answer from"), "{stderr}");
    assert!(stderr.contains("case.txt"), "{stderr}");
}

/// The HTML report names the quoted lines as the source of its figures.
#[test]
fn the_html_report_names_the_quoted_lines_as_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bill.txt");
    std::fs::write(&file, LINES.replace("{region}", "US East (N. Virginia)")).unwrap();
    for (lang, label) in [
        ("en", "source: Bills-page lines the customer quoted"),
        ("ko", "출처: 고객이 인용한 청구서 페이지 행"),
    ] {
        let pasted = [
            "check",
            "--pasted",
            file.to_str().unwrap(),
            "--month",
            "2025-10",
        ];
        let html = stdout_of(
            ftdesk()
                .args(pasted)
                .args(["--format", "html", "--lang", lang]),
        );
        let html = String::from_utf8(html).unwrap();
        assert!(
            html.matches(label).count() >= 3,
            "totals, the charge, the offer: {html}"
        );
    }
}
