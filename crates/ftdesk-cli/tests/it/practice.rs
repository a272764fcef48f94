//! `ftdesk practice interview --script` and `ftdesk practice report`: whole
//! transcripts in both languages, saved sessions and bad input.

use std::path::{Path, PathBuf};

use crate::common::ftdesk;

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

fn script(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("answers.txt");
    std::fs::write(&path, text).unwrap();
    path
}

fn interview(script: &Path, extra: &[&str]) -> String {
    let out = ftdesk()
        .args(["practice", "interview", "--script"])
        .arg(script)
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "interview {extra:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn refusal(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(2), "expected a refusal");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// The first follow-up the interviewer asks in a transcript.
fn first_follow_up(transcript: &str, interviewer: &str) -> String {
    transcript
        .lines()
        .filter(|l| l.starts_with(interviewer))
        .nth(1)
        .unwrap_or_else(|| panic!("no follow-up in\n{transcript}"))
        .to_owned()
}

const VAGUE_EN: &str =
    "Last year a customer's billing report kept timing out, so I rewrote the query \
because the old one scanned every row. My manager was happy with it. It improved a lot.\n";
const WE_EN: &str = "At my last job our queue of refund tickets grew, so we met as a team, \
we changed the process together and we shipped it.\n";
const HYPOTHETICAL_EN: &str = "I would first listen to the customer, then I would check the bill \
and I would explain the charges.\n";
const COMPLETE_EN: &str =
    "Last year, when I worked on the billing support team at Acme, our refund \
queue had grown to 400 tickets and my goal was to clear it. I wrote a triage script in Python \
because most tickets repeated five causes; instead of hiring temps, I automated the replies. \
First I tested it on 50 tickets, then I rolled it out within two weeks. My manager was sceptical \
at first but agreed after the pilot. As a result the queue fell from 400 to 40 tickets and the \
reply time from 5 days to 1 day. I learned to measure before I automate.\n";

const VAGUE_KO: &str =
    "작년에 고객의 청구 보고서가 자꾸 멈춰서, 기존 쿼리가 모든 행을 읽었기 때문에 제가 \
쿼리를 다시 작성했습니다. 팀장님도 만족하셨습니다. 그 뒤로 많이 개선됐습니다.\n";
const WE_KO: &str =
    "전 직장에서 환불 문의가 쌓여서 저희 팀이 함께 회의를 했고, 우리 모두가 절차를 바꿨습니다.\n";
const HYPOTHETICAL_KO: &str =
    "만약 그런 일이 생긴다면 먼저 고객의 말씀을 듣고 청구서를 확인하겠습니다.\n";
const COMPLETE_KO: &str = "작년 당시 저는 Acme의 청구 지원팀에서 일했고, 환불 문의가 400건까지 쌓여 이를 줄이는 \
것이 제 목표였습니다. 문의의 대부분이 다섯 가지 원인으로 반복되었기 때문에 제가 직접 Python으로 분류 \
스크립트를 만들었고, 임시 인력을 뽑는 대신 답변을 자동화했습니다. 먼저 50건으로 시험한 뒤 2주 만에 전체에 \
적용했습니다. 팀장님은 처음에 우려하셨지만 시범 운영 후 동의하셨습니다. 그 결과 문의가 400건에서 40건으로 \
줄었고, 답변 시간은 5일에서 1일로 단축되었습니다. 자동화하기 전에 먼저 측정해야 한다는 교훈을 얻었습니다.\n";

#[test]
fn english_transcripts() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "vague",
            VAGUE_EN,
            "You said 'It improved a lot': by how much, exactly?",
        ),
        ("we", WE_EN, "What did you personally do, versus the team?"),
        (
            "hypothetical",
            HYPOTHETICAL_EN,
            "Tell me about a specific time it actually happened.",
        ),
    ];
    for (name, answers, expected) in cases {
        let path = script(dir.path(), answers);
        let out = interview(&path, &["--principles", "ownership"]);
        let follow_up = first_follow_up(&out, "Interviewer:");
        assert!(follow_up.contains(expected), "{name}: {follow_up}");
        settings().bind(|| insta::assert_snapshot!(format!("practice_interview_en_{name}"), out));
    }
    let path = script(dir.path(), COMPLETE_EN);
    let out = interview(&path, &["--principles", "ownership", "--mode", "coach"]);
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("Interviewer:"))
            .count(),
        1,
        "{out}"
    );
    assert!(out.contains("(The story is complete: moving on.)"), "{out}");
    assert!(out.contains("100/100, strong"), "{out}");
    settings().bind(|| insta::assert_snapshot!("practice_interview_en_complete", out));
}

#[test]
fn korean_transcripts() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "vague",
            VAGUE_KO,
            "'많이 개선됐다'고 하셨는데, 구체적으로 얼마나요?",
        ),
        (
            "we",
            WE_KO,
            "팀이 아니라 본인이 직접 하신 일은 무엇이었습니까?",
        ),
        (
            "hypothetical",
            HYPOTHETICAL_KO,
            "실제로 있었던 구체적인 사례를 말씀해 주십시오.",
        ),
    ];
    for (name, answers, expected) in cases {
        let path = script(dir.path(), answers);
        let out = interview(&path, &["--lang", "ko", "--principles", "ownership"]);
        let follow_up = first_follow_up(&out, "면접관:");
        assert!(follow_up.contains(expected), "{name}: {follow_up}");
        settings().bind(|| insta::assert_snapshot!(format!("practice_interview_ko_{name}"), out));
    }
    let path = script(dir.path(), COMPLETE_KO);
    let out = interview(
        &path,
        &[
            "--lang",
            "ko",
            "--principles",
            "ownership",
            "--mode",
            "coach",
        ],
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("면접관:")).count(),
        1,
        "{out}"
    );
    assert!(out.contains("주인의식을 보는 질문입니다"), "{out}");
    settings().bind(|| insta::assert_snapshot!("practice_interview_ko_complete", out));
}

#[test]
fn a_multi_story_session_is_saved_and_reported_again() {
    let dir = tempfile::tempdir().unwrap();
    let answers = format!(
        "{VAGUE_EN}\n---\nThe report went from 40 seconds to 3 seconds, measured in our dashboard. \
         First I profiled it, then I shipped the fix within 2 days.\n\n{COMPLETE_EN}\n{WE_EN}"
    );
    let path = script(dir.path(), &answers);
    let session = dir.path().join("session.json");
    let out = interview(
        &path,
        &[
            "--principles",
            "ownership,dive-deep",
            "--save",
            session.to_str().unwrap(),
        ],
    );
    settings().bind(|| insta::assert_snapshot!("practice_interview_en_session", out));
    let report = ftdesk()
        .args(["practice", "report"])
        .arg(&session)
        .output()
        .expect("runs");
    assert!(report.status.success());
    let report = String::from_utf8(report.stdout).unwrap();
    assert!(
        report.starts_with("Scorecard: a depth and specificity score."),
        "{report}"
    );
    assert!(out.ends_with(&report), "the report repeats the scorecard");
    assert!(report.contains("not lie detection"));
    let html = ftdesk()
        .args(["practice", "report", "--format", "html"])
        .arg(&session)
        .output()
        .expect("runs");
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(
        html.starts_with("<!doctype html>") && html.contains("&quot;"),
        "{html}"
    );
}

#[test]
fn bad_input_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let empty = script(dir.path(), "\n---\n\n");
    let out = ftdesk()
        .args(["practice", "interview", "--script"])
        .arg(&empty)
        .output()
        .unwrap();
    assert!(refusal(&out).contains("has no answers"));
    let path = script(dir.path(), COMPLETE_EN);
    let out = ftdesk()
        .args([
            "practice",
            "interview",
            "--principles",
            "patience",
            "--script",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(refusal(&out).contains("unknown principle `patience`; known: customer-obsession"));
    let out = ftdesk()
        .args(["practice", "report"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(refusal(&out).contains("reading the session"));
    let out = ftdesk()
        .args(["practice", "report"])
        .arg(dir.path().join("missing.json"))
        .output()
        .unwrap();
    assert!(refusal(&out).contains("missing.json"));
}
