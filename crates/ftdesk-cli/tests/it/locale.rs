//! Without `--lang`, the language follows FTDESK_LANG, then the locale
//! (LC_ALL, LC_MESSAGES, LANG), then English; `--lang` always wins.

use crate::common::{ftdesk, has_hangul, write_scenario};

fn first_line(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = ftdesk();
    command.args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn the_report_follows_ftdesk_lang_then_the_locale() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario("two-instances", dir.path());
    let file = file.to_str().unwrap();
    let check = ["check", file];
    assert!(!has_hangul(&first_line(&check, &[])), "English by default");
    let korean_locale = [("LANG", "ko_KR.UTF-8")];
    assert!(has_hangul(&first_line(&check, &korean_locale)));
    let c_overrides = [("LANG", "ko_KR.UTF-8"), ("LC_ALL", "C.UTF-8")];
    assert!(!has_hangul(&first_line(&check, &c_overrides)));
    let ftdesk_lang = [("LANG", "ko_KR.UTF-8"), ("FTDESK_LANG", "en")];
    assert!(!has_hangul(&first_line(&check, &ftdesk_lang)));
    assert!(has_hangul(&first_line(&check, &[("FTDESK_LANG", "ko")])));
    let flag = ["check", file, "--lang", "en"];
    assert!(
        !has_hangul(&first_line(&flag, &korean_locale)),
        "--lang wins"
    );
}

#[test]
fn sources_follow_the_locale_too() {
    let korean = first_line(&["sources"], &[("LC_MESSAGES", "ko_KR.UTF-8")]);
    assert!(has_hangul(&korean), "{korean}");
}

#[test]
fn the_scripted_interview_follows_the_locale() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.txt");
    std::fs::write(
        &answers,
        "작년에 제가 청구 보고서의 쿼리를 다시 작성했습니다.\n",
    )
    .unwrap();
    let answers = answers.to_str().unwrap();
    let args = [
        "practice",
        "interview",
        "--script",
        answers,
        "--principles",
        "ownership",
    ];
    let korean = first_line(&args, &[("LANG", "ko_KR.UTF-8")]);
    assert!(has_hangul(&korean), "{korean}");
    let english = first_line(&args, &[("LANG", "ko_KR.UTF-8"), ("FTDESK_LANG", "en")]);
    assert!(!has_hangul(&english), "{english}");
}
