//! The interactive `ftdesk practice interview`, driven through a pseudo-terminal
//! (Python's standard `pty`): line editing, the timer, Ctrl-C saving, --resume
//! and the story bank.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::common::ftdesk;

fn python() -> PathBuf {
    crate::common::test_python("the pseudo-terminal test needs Python")
}

/// Runs `ftdesk ARGS` in a pseudo-terminal through the steps; returns its output.
fn drive(dir: &Path, args: &[&str], steps: Value) -> String {
    drive_to_exit(dir, args, steps, 0)
}

/// As [`drive`], for a run that must end with exit code `code`.
fn drive_to_exit(dir: &Path, args: &[&str], steps: Value, code: i32) -> String {
    drive_with(dir, args, steps, code, &[])
}

/// As [`drive_to_exit`], with these environment variables set.
fn drive_with(dir: &Path, args: &[&str], steps: Value, code: i32, vars: &[(&str, &str)]) -> String {
    let steps_file = dir.join("steps.json");
    std::fs::write(&steps_file, steps.to_string()).unwrap();
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/pty_drive.py");
    let out = Command::new(python())
        .arg(driver)
        .arg(&steps_file)
        .arg(assert_cmd::cargo::cargo_bin("ftdesk"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .envs(vars.iter().copied())
        .output()
        .expect("python runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit {:?}\n{text}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn json_file(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const COMPLETE_EN: &str =
    "Last year, when I worked on the billing support team at Acme, our refund \
queue had grown to 400 tickets and my goal was to clear it. I wrote a triage script in Python \
because most tickets repeated five causes; instead of hiring temps, I automated the replies. \
First I tested it on 50 tickets, then I rolled it out within two weeks. My manager was sceptical \
at first but agreed after the pilot. As a result the queue fell from 400 to 40 tickets and the \
reply time from 5 days to 1 day. I learned to measure before I automate.";

const COMPLETE_KO: &str = "작년 당시 저는 Acme의 청구 지원팀에서 일했고, 환불 문의가 400건까지 쌓여 이를 줄이는 \
것이 제 목표였습니다. 문의의 대부분이 다섯 가지 원인으로 반복되었기 때문에 제가 직접 Python으로 분류 \
스크립트를 만들었고, 임시 인력을 뽑는 대신 답변을 자동화했습니다. 먼저 50건으로 시험한 뒤 2주 만에 전체에 \
적용했습니다. 팀장님은 처음에 우려하셨지만 시범 운영 후 동의하셨습니다. 그 결과 문의가 400건에서 40건으로 \
줄었고, 답변 시간은 5일에서 1일로 단축되었습니다. 자동화하기 전에 먼저 측정해야 한다는 교훈을 얻었습니다.";

#[test]
fn practice_live_edits_times_saves_on_ctrl_c_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("session.json");
    let stories = dir.path().join("stories.json");
    let (s, b) = (session.to_str().unwrap(), stories.to_str().unwrap());
    let args = [
        "practice",
        "interview",
        "--lang",
        "en",
        "--principles",
        "ownership,dive-deep",
        "--seed",
        "5",
        "--save",
        s,
        "--stories",
        b,
    ];
    let first = drive(
        dir.path(),
        &args,
        json!([
            ["expect", "== Question 1 =="],
            // On a terminal the prompt shows the time the answer has taken.
            ["expect", "[0:00] > "],
            // A typo fixed with Backspace: the line editor, not the raw keys, makes the answer.
            ["send", "Last yaer"],
            ["send", "\u{7f}\u{7f}\u{7f}"],
            ["send", "ear we changed the billing process\r"],
            // Several lines make one answer, finished by a line holding only `.`.
            ["expect", "… "],
            ["send", "and it improved a lot.\r"],
            ["expect", "… "],
            ["send", ".\r"],
            ["expect", "on this answer"],
            ["expect", "Interviewer: "],
            ["expect", "> "],
            ["send", "\u{3}"],
            ["expect", "Session saved to"],
        ]),
    );
    assert!(first.contains("--resume"), "{first}");
    let saved = json_file(&session);
    let story = &saved["stories"][0];
    assert_eq!(
        story["turns"][0]["answer"],
        "Last year we changed the billing process\nand it improved a lot."
    );
    let pending = story["turns"][0]["follow_up"]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(saved["plan"].as_array().unwrap().len(), 2);

    // The follow-up is answered in the editor (`:e`), the next question with Ctrl-D.
    let editor = fake_editor(dir.path(), COMPLETE_EN);
    let second = drive_with(
        dir.path(),
        &["practice", "interview", "--resume", s, "--stories", b],
        json!([
            ["expect", "Resuming the session: 1 answers so far."],
            ["expect", pending],
            ["expect", "> "],
            ["send", ":e\r"],
            ["expect", "on this answer"],
            ["expect", "== Question 2 =="],
            ["expect", "> "],
            ["send", format!("{COMPLETE_EN}\r")],
            ["expect", "… "],
            ["send", "\u{4}"],
            ["expect", "The interview is over."],
        ]),
        0,
        &[("EDITOR", editor.to_str().unwrap())],
    );
    assert!(second.contains("# Interview report"), "{second}");
    assert!(second.contains(&format!("\"{pending}\"")), "{second}");
    let seen = std::fs::read_to_string(dir.path().join("seen.txt")).unwrap();
    assert!(seen.starts_with(&format!("# {pending}\n")), "{seen}");
    let done = json_file(&session);
    assert_eq!(done["stories"].as_array().unwrap().len(), 2);
    assert_eq!(done["stories"][0]["turns"][1]["answer"], COMPLETE_EN);
    let report = std::fs::read_to_string(dir.path().join("session.report.md")).unwrap();
    assert!(report.contains(&pending), "{report}");
    let report = ftdesk().args(["practice", "report", s]).output().unwrap();
    assert!(report.status.success());
    let bank = json_file(&stories);
    assert_eq!(bank["stories"].as_array().unwrap().len(), 2, "{bank:#}");
}

#[test]
fn practice_live_story_bank_warns_on_the_third_telling_in_korean() {
    let dir = tempfile::tempdir().unwrap();
    let stories = dir.path().join("bank.json");
    let b = stories.to_str().unwrap();
    let mut steps = vec![json!(["expect", "질문 1"])];
    for n in 1..=3 {
        if n > 1 {
            steps.push(json!(["expect", format!("질문 {n}")]));
        }
        steps.push(json!(["expect", "> "]));
        steps.push(json!(["send", format!("{COMPLETE_KO}\r")]));
        steps.push(json!(["expect", "… "]));
        steps.push(json!(["send", ".\r"]));
    }
    steps.push(json!(["expect", "이 이야기를 3번째 하고 있습니다"]));
    steps.push(json!(["expect", "인터뷰가 끝났습니다"]));
    let out = drive(
        dir.path(),
        &[
            "practice",
            "interview",
            "--lang",
            "ko",
            "--mode",
            "coach",
            "--principles",
            "ownership,dive-deep,deliver-results",
            "--seed",
            "9",
            "--stories",
            b,
        ],
        Value::Array(steps),
    );
    assert_eq!(out.matches("이 이야기를").count(), 1, "{out}");
    let mut saved: Vec<String> = std::fs::read_dir(dir.path().join("data/ftdesk/sessions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    saved.sort();
    assert_eq!(
        saved,
        ["session-9.json", "session-9.report.md"],
        "saved under the data folder by default, the report beside the session"
    );
    assert!(out.contains("# 인터뷰 보고서"), "{out}");
    let bank = json_file(&stories);
    assert_eq!(
        bank["stories"][0]["principles"].as_array().unwrap().len(),
        3
    );
}

/// A fake editor: keeps a copy of the file it is given in `seen.txt`, then appends `answer`.
fn fake_editor(dir: &Path, answer: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let script = dir.join("editor.sh");
    let body = format!(
        "#!/bin/sh\ncp \"$1\" '{}'\nprintf '%s\\n' '{answer}' >> \"$1\"\n",
        dir.join("seen.txt").display()
    );
    std::fs::write(&script, body).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// Answers piped to the live interview: separated by `.` lines, several lines each.
fn piped(answers: &[&str]) -> String {
    answers.iter().map(|a| format!("{a}\n.\n")).collect()
}

#[test]
fn practice_live_reads_piped_answers_and_reports_the_follow_ups_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("piped.json");
    let weak = "Last year we changed the billing process together\nand it improved a lot.";
    let input = piped(&[
        weak,
        "I wrote the triage script myself.",
        COMPLETE_EN,
        COMPLETE_EN,
    ]);
    let out = ftdesk()
        .args(["practice", "interview", "--lang", "en", "--seed", "5"])
        .args(["--principles", "ownership", "--save"])
        .arg(&session)
        .arg("--stories")
        .arg(dir.path().join("stories.json"))
        .write_stdin(input)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let saved = json_file(&session);
    let turns = saved["stories"][0]["turns"].as_array().unwrap();
    assert_eq!(turns[0]["answer"], weak, "two lines make one answer");
    assert!(turns.iter().all(|t| t["seconds"].is_u64()), "{saved:#}");
    let report_path = dir.path().join("piped.report.md");
    assert!(
        stderr.contains(&report_path.display().to_string()),
        "{stderr}"
    );
    let report = std::fs::read_to_string(&report_path).unwrap();
    assert!(stdout.contains(&report), "the report is printed too");
    let follow_ups: Vec<&str> = turns
        .iter()
        .filter_map(|t| t["follow_up"]["text"].as_str())
        .collect();
    assert!(follow_ups.len() >= 2, "{saved:#}");
    for text in &follow_ups {
        assert!(report.contains(&format!("\"{text}\"")), "{text}\n{report}");
    }
    assert!(
        report.contains("Why: Red flag, \"we\" for everything: you said 'we changed the'"),
        "{report}"
    );
    assert!(
        report.contains("Why: Red flag, a vague quantity"),
        "{report}"
    );
    assert!(report.contains("Your first answer: "), "{report}");
    let answers = turns.len().to_string();
    assert!(
        stdout.contains(&format!(" over {answers} answers.")),
        "{stdout}"
    );
}

#[test]
fn practice_live_piped_input_that_ends_early_keeps_the_session_without_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("early.json");
    let out = ftdesk()
        .args([
            "practice",
            "interview",
            "--lang",
            "ko",
            "--principles",
            "ownership",
        ])
        .arg("--save")
        .arg(&session)
        .arg("--stories")
        .arg(dir.path().join("stories.json"))
        .write_stdin("작년에 저희 팀이 함께 청구 절차를 바꿨고, 많이 개선됐습니다.\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("--resume"), "{stdout}");
    assert_eq!(
        json_file(&session)["stories"][0]["turns"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(!dir.path().join("early.report.md").exists());
}

#[test]
fn practice_live_refuses_to_resume_a_scripted_session() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("answers.txt");
    std::fs::write(&script, COMPLETE_EN).unwrap();
    let session = dir.path().join("s.json");
    let run = ftdesk()
        .args([
            "practice",
            "interview",
            "--principles",
            "ownership",
            "--script",
        ])
        .arg(&script)
        .arg("--save")
        .arg(&session)
        .output()
        .unwrap();
    assert!(run.status.success());
    let out = drive_to_exit(
        dir.path(),
        &[
            "practice",
            "interview",
            "--resume",
            session.to_str().unwrap(),
        ],
        json!([["expect", "only interactive sessions can be resumed"]]),
        2,
    );
    assert!(out.contains("error:"), "{out}");
}
