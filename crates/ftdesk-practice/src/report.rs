//! The report at the end of an interview, in Markdown: per principle the
//! question, the follow-ups asked and why (the missing part of the story or the
//! red flag that drew each one), the time of every answer, and what to work on.

use crate::analyse::{Flag, Slot};
use crate::bank::{bank, Principle};
use crate::follow::{importance, weighed};
use crate::l10n::Messages;
use crate::render::{mode_id, principle_name};
use crate::score::{score_story, StoryScore};
use crate::session::{FollowUp, Probe, Session, Story};
use crate::timing::{aim_text, answer_aim, clock_text, Pace};

/// The most missing parts a story's "to work on" names.
const MAX_MISSING: usize = 3;

/// The whole report for `session`, in its language.
pub fn interview_report(session: &Session) -> String {
    let m = Messages::new(session.lang());
    let mode = m.text(mode_id(session.mode));
    let mut out = vec![
        format!("# {}", m.get("report-title", &[("mode", &mode)])),
        String::new(),
        total_line(&m, session),
        String::new(),
    ];
    let scores: Vec<StoryScore> = session
        .stories
        .iter()
        .map(|s| score_story(s, session.lang()))
        .collect();
    for (i, (story, score)) in session.stories.iter().zip(&scores).enumerate() {
        out.extend(story_section(&m, i + 1, story, score));
    }
    out.extend(overall_section(&m, session, &scores));
    out.push(m.text("report-honesty"));
    out.join("\n") + "\n"
}

/// Every timed answer's time added up, or that none was timed.
fn total_line(m: &Messages, session: &Session) -> String {
    let times: Vec<u64> = session
        .stories
        .iter()
        .flat_map(|s| &s.turns)
        .filter_map(|t| t.seconds)
        .collect();
    if times.is_empty() {
        return m.text("report-untimed");
    }
    let total = clock_text(times.iter().sum());
    let (n, aim) = (times.len().to_string(), aim_text(m));
    let source = answer_aim().source.as_str();
    let args = [
        ("time", total.as_str()),
        ("n", &n),
        ("aim", &aim),
        ("source", source),
    ];
    m.get("report-total", &args)
}

fn story_section(m: &Messages, n: usize, story: &Story, score: &StoryScore) -> Vec<String> {
    let band = m.text(&format!("band-{}", score.band.id()));
    let heading = m.get(
        "story-score",
        &[
            ("n", &n.to_string()),
            ("principle", &principle_name(m, &story.principle)),
            ("score", &score.score.to_string()),
            ("band", &band),
        ],
    );
    let mut out = vec![format!("## {heading}"), String::new()];
    out.push(format!(
        "**{}** {}",
        m.text("report-question"),
        story.question
    ));
    if let Some(seconds) = story.turns.first().and_then(|t| t.seconds) {
        out.push(String::new());
        out.push(format!("- {}", first_answer_time(m, seconds)));
    }
    out.push(String::new());
    out.extend(follow_up_lines(m, story));
    out.push(format!("### {}", m.text("report-work-on")));
    out.push(String::new());
    out.extend(
        work_on(m, story, score)
            .into_iter()
            .map(|l| format!("- {l}")),
    );
    out.push(String::new());
    out
}

fn first_answer_time(m: &Messages, seconds: u64) -> String {
    let aim = aim_text(m);
    let pace = match answer_aim().pace(seconds) {
        Pace::Short => "pace-short",
        Pace::OnAim => "pace-on-aim",
        Pace::Long => "pace-long",
    };
    let pace = m.get(pace, &[("aim", &aim)]);
    let time = clock_text(seconds);
    m.get("report-first-time", &[("time", &time), ("pace", &pace)])
}

/// The follow-ups, each with why it was asked and how long its answer took.
fn follow_up_lines(m: &Messages, story: &Story) -> Vec<String> {
    let mut out = vec![
        format!("### {}", m.text("report-follow-ups")),
        String::new(),
    ];
    let principle = bank().principle(&story.principle);
    let mut asked = 0;
    for (i, turn) in story.turns.iter().enumerate() {
        let Some(follow_up) = &turn.follow_up else {
            continue;
        };
        asked += 1;
        out.push(format!("{asked}. \"{}\"", follow_up.text));
        out.push(format!("   - {}", why(m, follow_up, principle)));
        out.push(format!("   - {}", answered(m, story.turns.get(i + 1))));
    }
    if asked == 0 {
        out.push(m.text("report-no-follow-ups"));
    }
    out.push(String::new());
    out
}

/// Why a follow-up was asked: the part of the story it found missing, or the red flag.
fn why(m: &Messages, follow_up: &FollowUp, principle: Option<&Principle>) -> String {
    let reason = match follow_up.probe {
        Probe::Slot(slot) => slot_gap(m, slot, principle),
        Probe::Flag(flag) => flag_seen(m, flag, follow_up.quote.as_deref()),
    };
    m.get("report-why", &[("reason", &reason)])
}

fn slot_gap(m: &Messages, slot: Slot, principle: Option<&Principle>) -> String {
    let gap = m.text(&format!("gap-{}", slot.id()));
    match principle.filter(|p| weighed(slot, Some(p))) {
        Some(p) => {
            let weighs = m.get("gap-weighed", &[("principle", p.name(m.lang()))]);
            format!("{gap} {weighs}")
        }
        None => gap,
    }
}

fn flag_seen(m: &Messages, flag: Flag, quote: Option<&str>) -> String {
    m.get(
        &format!("seen-{}", flag.id()),
        &[("quote", quote.unwrap_or("…"))],
    )
}

fn answered(m: &Messages, answer: Option<&crate::session::Turn>) -> String {
    match answer {
        None => m.text("report-unanswered"),
        Some(turn) => match turn.seconds {
            Some(seconds) => m.get("report-answered-in", &[("time", &clock_text(seconds))]),
            None => m.text("report-answered"),
        },
    }
}

/// What this story still lacks at the end: the most important missing parts,
/// its red flags with the words that show them, and a first answer off the aim.
fn work_on(m: &Messages, story: &Story, score: &StoryScore) -> Vec<String> {
    let principle = bank().principle(&story.principle);
    let mut missing = score.missing.clone();
    missing.sort_by_key(|slot| std::cmp::Reverse(importance(bank(), *slot, principle)));
    let mut out: Vec<String> = missing
        .into_iter()
        .take(MAX_MISSING)
        .map(|slot| m.text(&format!("gap-{}", slot.id())))
        .collect();
    out.extend(
        score
            .flags
            .iter()
            .map(|(flag, evidence)| flag_seen(m, *flag, Some(&evidence.phrase))),
    );
    let first = story.turns.first().and_then(|t| t.seconds);
    if let Some(pace) = first.map(|s| answer_aim().pace(s)) {
        let aim = aim_text(m);
        match pace {
            Pace::Short => out.push(m.get("work-short", &[("aim", &aim)])),
            Pace::Long => out.push(m.get("work-long", &[("aim", &aim)])),
            Pace::OnAim => {}
        }
    }
    if out.is_empty() {
        out.push(m.text("work-nothing"));
    }
    out
}

/// Across the stories: the parts most often missing, the red flags, and the
/// first answers off the aim.
fn overall_section(m: &Messages, session: &Session, scores: &[StoryScore]) -> Vec<String> {
    let total = scores.len().to_string();
    let mut lines = Vec::new();
    let mut slots: Vec<(usize, u32, Slot)> = Slot::ALL
        .into_iter()
        .map(|slot| {
            let n = scores.iter().filter(|s| s.missing.contains(&slot)).count();
            (n, importance(bank(), slot, None), slot)
        })
        .filter(|(n, _, _)| *n > 0)
        .collect();
    slots.sort_by_key(|(n, importance, _)| std::cmp::Reverse((*n, *importance)));
    for (n, _, slot) in slots.into_iter().take(MAX_MISSING) {
        let name = m.text(&format!("slot-{}", slot.id()));
        let args = [
            ("part", name.as_str()),
            ("n", &n.to_string()),
            ("total", &total),
        ];
        lines.push(m.get("overall-missing", &args));
    }
    for flag in [Flag::Hypothetical, Flag::We, Flag::Vague, Flag::Blame] {
        let n = scores
            .iter()
            .filter(|s| s.flags.iter().any(|(f, _)| *f == flag))
            .count();
        if n > 0 {
            let name = m.text(&format!("flag-{}", flag.id()));
            let args = [
                ("flag", name.as_str()),
                ("n", &n.to_string()),
                ("total", &total),
            ];
            lines.push(m.get("overall-flag", &args));
        }
    }
    lines.extend(overall_pace(m, session));
    if lines.is_empty() {
        lines.push(m.text("work-nothing"));
    }
    let mut out = vec![format!("## {}", m.text("report-overall")), String::new()];
    out.extend(lines.into_iter().map(|l| format!("- {l}")));
    out.push(String::new());
    out
}

fn overall_pace(m: &Messages, session: &Session) -> Option<String> {
    let firsts: Vec<u64> = session
        .stories
        .iter()
        .filter_map(|s| s.turns.first().and_then(|t| t.seconds))
        .collect();
    let off = firsts
        .iter()
        .filter(|s| answer_aim().pace(**s) != Pace::OnAim)
        .count();
    (off > 0).then(|| {
        let (n, total, aim) = (off.to_string(), firsts.len().to_string(), aim_text(m));
        m.get(
            "overall-pace",
            &[("n", &n), ("total", &total), ("aim", &aim)],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::new_session;
    use crate::script::tests::COMPLETE_EN;
    use crate::session::Mode;
    use crate::Lang;

    const COMPLETE_KO: &str = "작년 당시 저는 Acme의 청구 지원팀에서 일했고, 환불 문의가 400건까지 쌓여 \
        이를 줄이는 것이 제 목표였습니다. 문의의 대부분이 다섯 가지 원인으로 반복되었기 때문에 제가 직접 \
        Python으로 분류 스크립트를 만들었고, 임시 인력을 뽑는 대신 답변을 자동화했습니다. 먼저 50건으로 \
        시험한 뒤 2주 만에 전체에 적용했습니다. 팀장님은 처음에 우려하셨지만 시범 운영 후 동의하셨습니다. \
        그 결과 문의가 400건에서 40건으로 줄었고, 답변 시간은 5일에서 1일로 단축되었습니다. 자동화하기 \
        전에 먼저 측정해야 한다는 교훈을 얻었습니다.";

    /// An interview of two questions: a weak first story drawing follow-ups,
    /// then complete answers; every answer timed.
    fn played(lang: Lang, weak: &[&str], complete: &str) -> Session {
        let b = bank();
        let principles = [
            b.principle("ownership").unwrap(),
            b.principle("dive-deep").unwrap(),
        ];
        let mut session = new_session(&principles, lang, Mode::Realistic, 5);
        let mut answers = weak.iter().copied().chain(std::iter::repeat(complete));
        let mut seconds = [95, 40, 35, 70, 200].into_iter().cycle();
        while let Some(prompt) = session.next_prompt() {
            let answer = answers.next().unwrap_or(complete).to_owned();
            session.answer_in(&prompt, answer, seconds.next());
        }
        session
    }

    fn english() -> Session {
        played(
            Lang::En,
            &[
                "Last year we changed the billing process together and it improved a lot.",
                "I wrote the triage script myself.",
                "The queue fell from 400 to 40 tickets.",
            ],
            COMPLETE_EN,
        )
    }

    #[test]
    fn each_follow_up_says_why_it_was_asked_and_how_long_its_answer_took() {
        let session = english();
        let report = interview_report(&session);
        let story = &session.stories[0];
        assert!(story.follow_ups().count() >= 2, "{report}");
        for follow_up in story.follow_ups() {
            assert!(report.contains(&follow_up.text), "{report}");
        }
        let first = story.follow_ups().next().unwrap();
        assert_eq!(first.probe, Probe::Flag(Flag::We), "{report}");
        assert!(
            report.contains("Why: Red flag, \"we\" for everything: you said '"),
            "{report}"
        );
        assert!(
            report.contains("Your first answer: 1:35, shorter than"),
            "{report}"
        );
        assert!(report.contains("Your answer: 0:40."), "{report}");
        assert!(report.contains("## 2. Dive Deep"), "{report}");
    }

    #[test]
    fn a_scripted_session_has_no_times() {
        let mut session = english();
        for turn in session.stories.iter_mut().flat_map(|s| &mut s.turns) {
            turn.seconds = None;
        }
        let report = interview_report(&session);
        assert!(report.contains("No answer was timed"), "{report}");
        assert!(!report.contains("Your first answer:"), "{report}");
    }

    #[test]
    fn the_report_in_english() {
        insta::assert_snapshot!(interview_report(&english()));
    }

    #[test]
    fn the_report_in_korean() {
        let session = played(
            Lang::Ko,
            &[
                "작년에 저희 팀이 함께 청구 절차를 바꿨고, 많이 개선됐습니다.",
                "제가 직접 분류 스크립트를 만들었습니다.",
                "문의가 400건에서 40건으로 줄었습니다.",
            ],
            COMPLETE_KO,
        );
        insta::assert_snapshot!(interview_report(&session));
    }
}
