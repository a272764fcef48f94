//! The transcript and the scorecard as text or HTML, in the session's language.

use ftdesk_render::escape_html;

use crate::bank::bank;
use crate::l10n::Messages;
use crate::score::{score_story, StoryScore};
use crate::session::{Mode, Session, Story};

/// The whole drill as it went: questions, answers, follow-ups.
pub fn transcript(session: &Session) -> String {
    let lang = session.lang();
    let m = Messages::new(lang);
    let mode = m.text(mode_id(session.mode));
    let mut out = vec![m.get("transcript-title", &[("mode", &mode)]), String::new()];
    for (i, story) in session.stories.iter().enumerate() {
        out.push(story_heading(&m, session.mode, i + 1, story));
        out.extend(story_lines(&m, session, story));
        out.push(String::new());
    }
    if session.unused_answers > 0 {
        out.push(m.get(
            "unused-answers",
            &[("n", &session.unused_answers.to_string())],
        ));
        out.push(String::new());
    }
    out.join("\n")
}

pub(crate) fn mode_id(mode: Mode) -> &'static str {
    match mode {
        Mode::Coach => "mode-coach",
        Mode::Realistic => "mode-realistic",
        Mode::BarRaiser => "mode-bar-raiser",
    }
}

fn story_heading(m: &Messages, mode: Mode, n: usize, story: &Story) -> String {
    let n = n.to_string();
    let heading = match (mode, bank().principle(&story.principle)) {
        (Mode::Coach, Some(p)) => {
            m.get("story-about", &[("n", &n), ("principle", p.name(m.lang()))])
        }
        _ => m.get("story-heading", &[("n", &n)]),
    };
    format!("== {heading} ==")
}

fn story_lines(m: &Messages, session: &Session, story: &Story) -> Vec<String> {
    let interviewer = m.text("interviewer");
    let candidate = m.text("candidate");
    let mut lines = vec![format!("{interviewer}: {}", story.question)];
    for turn in &story.turns {
        lines.push(format!("{candidate}: {}", turn.answer));
        if let Some(follow_up) = &turn.follow_up {
            lines.push(format!("{interviewer}: {}", follow_up.text));
        }
    }
    lines.push(story_ending(m, session, story));
    lines
}

fn story_ending(m: &Messages, session: &Session, story: &Story) -> String {
    let asked = story.follow_ups().count();
    let last_unanswered = story.turns.last().is_some_and(|t| t.follow_up.is_some());
    if last_unanswered {
        m.text("unanswered")
    } else if asked >= session.mode.max_follow_ups() {
        m.text("follow-ups-used")
    } else {
        m.text("story-complete")
    }
}

/// Per story: the score and band, what was covered with quoted evidence, what is missing, red flags.
pub fn scorecard(session: &Session) -> String {
    let lang = session.lang();
    let m = Messages::new(lang);
    let mut out = vec![m.text("scorecard-title"), String::new()];
    for (i, story) in session.stories.iter().enumerate() {
        out.extend(score_lines(&m, i + 1, &score_story(story, lang)));
        out.push(String::new());
    }
    out.join("\n")
}

pub(crate) fn principle_name(m: &Messages, id: &str) -> String {
    bank()
        .principle(id)
        .map_or_else(|| id.to_owned(), |p| p.name(m.lang()).to_owned())
}

fn score_lines(m: &Messages, n: usize, s: &StoryScore) -> Vec<String> {
    let band = m.text(&format!("band-{}", s.band.id()));
    let mut lines = vec![m.get(
        "story-score",
        &[
            ("n", &n.to_string()),
            ("principle", &principle_name(m, &s.principle)),
            ("score", &s.score.to_string()),
            ("band", &band),
        ],
    )];
    lines.push(format!("   {}", m.text("covered")));
    for (slot, evidence) in &s.covered {
        let name = m.text(&format!("slot-{}", slot.id()));
        lines.push(format!("     - {name}: \"{}\"", evidence.sentence));
    }
    lines.push(format!("   {}", missing_line(m, s)));
    if !s.flags.is_empty() {
        lines.push(format!("   {}", m.text("red-flags")));
        for (flag, evidence) in &s.flags {
            let name = m.text(&format!("flag-{}", flag.id()));
            lines.push(format!("     - {name}: \"{}\"", evidence.phrase));
        }
    }
    lines.push(format!(
        "   {}",
        m.get("follow-ups-forced", &[("n", &s.follow_ups.to_string())])
    ));
    lines
}

fn missing_line(m: &Messages, s: &StoryScore) -> String {
    if s.missing.is_empty() {
        return m.text("nothing-missing");
    }
    let names: Vec<String> = s
        .missing
        .iter()
        .map(|slot| m.text(&format!("slot-{}", slot.id())))
        .collect();
    m.get("missing", &[("slots", &names.join(", "))])
}

/// The scorecard as a small standalone HTML page.
pub fn scorecard_html(session: &Session) -> String {
    let body = escape_html(&scorecard(session));
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>ftdesk practice</title></head>\n<body>\n<pre>{body}</pre>\n</body>\n</html>\n",
        session.lang
    )
}
