//! `ftdesk practice case` and `ftdesk practice grade`: reproducible cases, the
//! answer key from the accounting, and grading of good, wrong and bad answers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{dec, ftdesk};

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

fn write_case(dir: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join("case");
    let run = ftdesk()
        .args(["practice", "case", "--out"])
        .arg(&out)
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "case {extra:?} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

/// The answer key `practice case` writes beside the folder.
fn key_of(case: &Path) -> std::path::PathBuf {
    let name = case.file_name().unwrap().to_string_lossy();
    case.with_file_name(format!("{name}.key.json"))
}

fn truth(case: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(key_of(case)).unwrap()).unwrap()
}

/// Every file of a folder, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// What `ftdesk reply` drafts for the case: the model answer.
fn model_reply(case: &Path) -> String {
    let out = ftdesk()
        .args(["reply", "--inquiry"])
        .arg(case.join("inquiry.txt"))
        .arg(case.join("billing"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const PROPOSAL_EN: &str = "---
Impact: this customer paid a charge they did not expect, and it cost us 1 support case.
Root cause: the customer was surprised because these resources have no free tier or a shared limit.
They did not know because the console does not warn when such a resource is created.
- Warn \"not covered by the free tier\" when such a resource is created. Owner: console team, by 2026-03-31.
- Create a zero-spend budget by default on new accounts. Owner: billing team, by 2026-06-30.
We check the metric monthly: the share of free-tier tickets about these resources.
";

const PROPOSAL_KO: &str = "---
영향: 이 고객은 예상하지 못한 요금을 냈고, 문의 1건이 생겼습니다.
근본 원인: 고객이 놀란 것은 이 리소스에 프리 티어가 없거나 한도를 나눠 쓴다는 것을 몰랐기 때문입니다.
몰랐던 이유는 리소스를 만들 때 콘솔이 경고하지 않기 때문입니다.
- 프리 티어가 적용되지 않는 리소스를 만들 때 경고를 표시합니다. 담당: 콘솔 팀, 2026년 3월 31일까지.
- 새 계정에 제로 지출 예산을 기본으로 만듭니다. 담당: 결제 팀, 2026년 6월 30일까지.
";

fn grade(case: &Path, answer: &str, format: &str) -> std::process::Output {
    let path = case.parent().unwrap().join("answer.txt");
    std::fs::write(&path, answer).unwrap();
    ftdesk()
        .args(["practice", "grade"])
        .arg(case)
        .arg(&path)
        .args(["--format", format])
        .output()
        .expect("runs")
}

fn grade_json(case: &Path, answer: &str) -> Value {
    let out = grade(case, answer, "json");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn refusal(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(2), "expected a refusal");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn practice_case_same_seed_same_folder_byte_for_byte() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let args = ["--seed", "42", "--difficulty", "3"];
    write_case(a.path(), &args);
    write_case(b.path(), &args);
    let (first, second) = (files(a.path()), files(b.path()));
    let names: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "case.key.json",
            "case/ASSIGNMENT.txt",
            "case/billing/cur-2025-09-us-east-1.csv",
            "case/inquiry.txt"
        ],
        "the key is beside the folder, not in it"
    );
    assert!(first == second, "the same seed wrote different folders");
    write_case(c.path(), &["--seed", "43", "--difficulty", "3"]);
    let other = files(c.path());
    assert_ne!(first.get("case.key.json"), other.get("case.key.json"));
}

#[test]
fn practice_case_without_a_seed_chooses_one_and_prints_it_for_a_replay() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let seed_of = |dir: &Path, extra: &[&str]| -> String {
        let run = ftdesk()
            .args(["practice", "case", "--out"])
            .arg(dir.join("case"))
            .args(extra)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let said = String::from_utf8_lossy(&run.stderr).into_owned();
        let seed = said
            .split("(seed ")
            .nth(1)
            .and_then(|s| s.split(':').next());
        seed.unwrap_or_else(|| panic!("no seed in {said}"))
            .to_owned()
    };
    let chosen = seed_of(a.path(), &[]);
    let replayed = seed_of(b.path(), &["--seed", &chosen]);
    assert_eq!(chosen, replayed);
    assert!(
        files(a.path()) == files(b.path()),
        "--seed {chosen} wrote another case"
    );
}

#[test]
fn practice_case_truth_is_the_accounting_of_its_bill() {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(
        dir.path(),
        &["--seed", "7", "--difficulty", "3", "--lang", "ko"],
    );
    let truth = truth(&case);
    assert_eq!(truth["lang"], "ko");
    assert_eq!(truth["topics"].as_array().unwrap().len(), 3);
    let check = ftdesk()
        .args(["check", "--format", "json"])
        .arg(case.join("billing"))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    let net = dec(&report["net_cost"]);
    assert_eq!(dec(&truth["net"]), net.round_dp(2));
    let causes: Decimal = truth["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| dec(&t["cost"]))
        .sum();
    assert!(
        (causes - net).abs() <= Decimal::new(3, 2),
        "{causes} vs {net}"
    );
    let inquiry = std::fs::read_to_string(case.join("inquiry.txt")).unwrap();
    assert!(inquiry.contains("2025년"), "{inquiry}");
}

#[test]
fn practice_grade_the_model_reply_scores_high_in_both_languages() {
    for (lang, proposal) in [("en", PROPOSAL_EN), ("ko", PROPOSAL_KO)] {
        let dir = tempfile::tempdir().unwrap();
        let case = write_case(
            dir.path(),
            &["--seed", "42", "--difficulty", "2", "--lang", lang],
        );
        let answer = format!("{}\n{proposal}", model_reply(&case));
        let g = &grade_json(&case, &answer)["grade"];
        assert_eq!(g["critical"].as_array().unwrap().len(), 0, "{lang}: {g:#}");
        assert!(g["email_score"].as_u64().unwrap() >= 80, "{lang}: {g:#}");
        assert!(g["proposal_score"].as_u64().unwrap() >= 80, "{lang}: {g:#}");
        assert_eq!(g["passed"], true, "{lang}");
    }
}

#[test]
fn practice_grade_one_wrong_figure_fails_accuracy_first() {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(
        dir.path(),
        &["--seed", "42", "--difficulty", "2", "--lang", "en"],
    );
    let truth = truth(&case);
    let net = dec(&truth["net"]);
    let right = format!("${net:.2}");
    let wrong = format!("${:.2}", net + Decimal::new(111, 2));
    let model = model_reply(&case);
    assert!(model.contains(&right), "{model}");
    let answer = format!("{}\n{PROPOSAL_EN}", model.replacen(&right, &wrong, 1));
    let g = &grade_json(&case, &answer)["grade"];
    assert_eq!(g["email_score"], 0);
    assert_eq!(g["passed"], false);
    let critical = g["critical"].as_array().unwrap();
    assert_eq!(critical.len(), 1, "{g:#}");
    assert!(critical[0]["text"].as_str().unwrap().starts_with(&wrong));
    assert!(critical[0]["quote"].as_str().unwrap().contains(&wrong));
    let text = String::from_utf8(grade(&case, &answer, "text").stdout).unwrap();
    let critical_at = text.find("Critical failures").expect("critical section");
    assert!(critical_at < text.find("The email:").unwrap());
}

#[test]
fn practice_grade_a_wrong_quantity_and_a_wrong_cause_cost_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(
        dir.path(),
        &["--seed", "42", "--difficulty", "2", "--lang", "en"],
    );
    let model = model_reply(&case);
    let hours_at = model.find(" hours").expect("the model reply states hours");
    let start = model[..hours_at]
        .rfind(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .map_or(0, |i| i + 1);
    let stated: Decimal = model[start..hours_at].replace(',', "").parse().unwrap();
    let wrong = format!("{} hours", stated + Decimal::from(13));
    let answer = format!(
        "{}{wrong}{}\n{PROPOSAL_EN}",
        &model[..start],
        &model[hours_at + " hours".len()..]
    );
    let g = &grade_json(&case, &answer)["grade"];
    assert_eq!(g["critical"].as_array().unwrap().len(), 0, "{g:#}");
    let accuracy = &g["email"][0];
    assert_eq!(accuracy["earned"], 20, "{accuracy:#}");
    let point = accuracy["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["ok"] == false)
        .unwrap();
    assert!(
        point["text"].as_str().unwrap().starts_with(&wrong),
        "{point}"
    );
    assert!(point["quote"].as_str().unwrap().contains(&wrong));

    let on_bill: Vec<String> = truth(&case)["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["topic"].as_str().unwrap().to_owned())
        .collect();
    let (_, claim) = [
        (
            "nat-gateway",
            "Part of the charge comes from your NAT gateway.",
        ),
        (
            "rds-multi-az",
            "Part of the charge comes from your Multi-AZ database.",
        ),
        (
            "extra-volume",
            "Part of the charge comes from your EBS volume.",
        ),
    ]
    .into_iter()
    .find(|(topic, _)| !on_bill.iter().any(|t| t == topic))
    .unwrap();
    let answer = format!("{model}\n{claim}\n{PROPOSAL_EN}");
    let accuracy = &grade_json(&case, &answer)["grade"]["email"][0];
    assert_eq!(accuracy["earned"], 15, "{accuracy:#}");
    assert!(accuracy["points"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["ok"] == false && p["quote"] == claim));
}

#[test]
fn practice_grade_a_promised_refund_is_critical() {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(dir.path(), &["--seed", "42", "--lang", "en"]);
    let answer = format!(
        "Hello,\nI understand your worry. We will refund the whole charge today.\n{PROPOSAL_EN}"
    );
    let g = &grade_json(&case, &answer)["grade"];
    assert_eq!(g["email_score"], 0);
    assert!(g["critical"][0]["quote"]
        .as_str()
        .unwrap()
        .contains("We will refund"));
}

#[test]
fn practice_grade_text_snapshots() {
    for (lang, seed, proposal) in [("en", "42", PROPOSAL_EN), ("ko", "7", PROPOSAL_KO)] {
        let dir = tempfile::tempdir().unwrap();
        let case = write_case(
            dir.path(),
            &["--seed", seed, "--difficulty", "2", "--lang", lang],
        );
        let answer = format!("{}\n{proposal}", model_reply(&case));
        let out = grade(&case, &answer, "text");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        settings().bind(|| insta::assert_snapshot!(format!("practice_grade_{lang}"), text));
    }
}

#[test]
fn practice_grade_html_is_a_page_with_both_emails() {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(dir.path(), &["--seed", "3", "--lang", "en"]);
    let answer = format!("Hello <team>,\nI understand.\n{PROPOSAL_EN}");
    let out = grade(&case, &answer, "html");
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("Hello &lt;team&gt;"));
    assert!(html.contains("AWS Support"), "the model reply is shown");
}

#[test]
fn practice_grade_refuses_bad_input_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(dir.path(), &["--seed", "42", "--lang", "ko"]);
    let english = grade(
        &case,
        &format!("Hello,\nYour bill is $1.00.\n{PROPOSAL_EN}"),
        "text",
    );
    assert!(refusal(&english).contains("the case is in Korean but the answer is in English"));
    let empty = grade(&case, "\n\n---\n", "text");
    assert!(refusal(&empty).contains("the answer is empty"));
    let missing = ftdesk()
        .args(["practice", "grade"])
        .arg(dir.path().join("no-such-case"))
        .arg(dir.path().join("answer.txt"))
        .output()
        .unwrap();
    assert!(refusal(&missing).contains("no-such-case does not exist"));
    let moved = dir.path().join("moved.json");
    std::fs::rename(key_of(&case), &moved).unwrap();
    let no_key = grade(&case, "안녕하세요.", "text");
    assert!(refusal(&no_key).contains("no readable answer key at"));
    assert!(refusal(&no_key).contains("--key FILE"));
    let with_key = ftdesk()
        .args(["practice", "grade"])
        .arg(&case)
        .arg(dir.path().join("answer.txt"))
        .arg("--key")
        .arg(&moved)
        .output()
        .unwrap();
    assert_ne!(with_key.status.code(), Some(2), "--key finds the moved key");
    let again = ftdesk()
        .args(["practice", "case", "--out"])
        .arg(&case)
        .output()
        .unwrap();
    assert!(refusal(&again).contains("is not empty"));
    let hard = ftdesk()
        .args(["practice", "case", "--difficulty", "4", "--out"])
        .arg(dir.path().join("other"))
        .output()
        .unwrap();
    assert!(refusal(&hard).contains("difficulty 4 is out of range"));
}

#[test]
fn practice_grade_into_a_closed_pipe_ends_quietly() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(dir.path(), &["--seed", "42", "--lang", "en"]);
    let answer = dir.path().join("answer.txt");
    std::fs::write(&answer, format!("{}\n{PROPOSAL_EN}", model_reply(&case))).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ftdesk"))
        .args(["practice", "grade"])
        .arg(&case)
        .arg(&answer)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A case whose billing folder holds Cost Explorer JSON, as a customer
/// attaches it: its answer key has the figures of the same case billed as a
/// CUR, and the model reply from that JSON passes the grader.
#[test]
fn practice_case_with_cost_explorer_json_grades_against_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--seed", "7", "--difficulty", "2", "--lang", "en"];
    let cur = write_case(&dir.path().join("cur"), &args);
    let mut with_source = args.to_vec();
    with_source.extend(["--source", "cost-explorer"]);
    let ce = write_case(&dir.path().join("ce"), &with_source);
    let billing = files(&ce.join("billing"));
    let (name, bytes) = billing.iter().next().unwrap();
    assert!(name.ends_with(".json"), "{name}");
    assert!(String::from_utf8_lossy(bytes).contains("ResultsByTime"));
    let (from_cur, from_ce) = (truth(&cur), truth(&ce));
    for key in ["month", "net", "gross", "credits", "figures"] {
        assert_eq!(from_ce[key], from_cur[key], "{key}");
    }
    // Cost Explorer has no resource ids: the key asks for none.
    let without_resources = |truth: &Value| {
        let mut topics = truth["topics"].clone();
        for topic in topics.as_array_mut().unwrap() {
            topic.as_object_mut().unwrap().remove("resources");
        }
        topics
    };
    assert_eq!(without_resources(&from_ce), without_resources(&from_cur));
    assert!(from_ce["topics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["resources"].as_array().unwrap().is_empty()));
    assert!(from_ce["billing"].as_str().unwrap().ends_with(".json"));
    let answer = format!("{}\n{PROPOSAL_EN}", model_reply(&ce));
    let g = &grade_json(&ce, &answer)["grade"];
    assert_eq!(g["critical"].as_array().unwrap().len(), 0, "{g:#}");
    assert_eq!(g["passed"], true, "{g:#}");
}

/// An emptied case folder whose answer key is still beside it is refused:
/// writing there would overwrite another case's key.
#[test]
fn practice_case_never_overwrites_an_answer_key() {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(dir.path(), &["--seed", "5"]);
    std::fs::remove_dir_all(&case).unwrap();
    let again = ftdesk()
        .args(["practice", "case", "--seed", "6", "--out-dir"])
        .arg(&case)
        .output()
        .unwrap();
    let error = refusal(&again);
    assert!(error.contains("case.key.json exists"), "{error}");
    assert_eq!(truth(&case)["seed"], 5, "the first case's key is kept");
}
