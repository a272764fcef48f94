//! A drill over scripted answers: the script split into answers, each
//! principle's question, then follow-ups until the story is complete.

use crate::bank::Principle;
use crate::follow::choose_follow_up;
use crate::session::{Mode, Session, Story, Turn};
use crate::{Lang, PracticeError};

/// The answers in a script: blocks separated by a blank line or a `---` line.
pub fn split_answers(script: &str) -> Vec<String> {
    let mut answers = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    for line in script.lines() {
        let line = line.trim();
        if line.is_empty() || line == "---" {
            flush(&mut answers, &mut block);
        } else {
            block.push(line);
        }
    }
    flush(&mut answers, &mut block);
    answers
}

fn flush(answers: &mut Vec<String>, block: &mut Vec<&str>) {
    if !block.is_empty() {
        answers.push(block.join(" "));
        block.clear();
    }
}

/// Runs the drill over scripted answers: each principle's first question, then
/// follow-ups until the story is complete or they are used up, then the next principle.
pub fn run_script(
    answers: Vec<String>,
    principles: &[&Principle],
    lang: Lang,
    mode: Mode,
) -> Result<Session, PracticeError> {
    if answers.is_empty() {
        return Err(PracticeError::NoAnswers);
    }
    let mut pending = answers.into_iter();
    let mut stories = Vec::new();
    for principle in principles {
        let Some(first) = pending.next() else { break };
        stories.push(drill(principle, first, &mut pending, lang, mode));
    }
    Ok(Session {
        lang: lang.code().to_owned(),
        mode,
        stories,
        unused_answers: pending.count(),
        plan: Vec::new(),
        seed: None,
    })
}

fn drill(
    principle: &Principle,
    first: String,
    pending: &mut impl Iterator<Item = String>,
    lang: Lang,
    mode: Mode,
) -> Story {
    let mut story = Story {
        principle: principle.id.clone(),
        question: principle
            .questions(lang)
            .first()
            .cloned()
            .unwrap_or_default(),
        turns: vec![Turn::new(first)],
    };
    while let Some(follow_up) = choose_follow_up(&story, lang, mode) {
        if let Some(last) = story.turns.last_mut() {
            last.follow_up = Some(follow_up);
        }
        match pending.next() {
            Some(answer) => story.turns.push(Turn::new(answer)),
            None => break,
        }
    }
    story
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::bank::bank;
    use crate::session::Probe;
    use crate::{Flag, Slot};

    fn drill_one(answers: &[&str], lang: Lang, mode: Mode) -> Story {
        let principle = bank().principle("ownership").unwrap();
        let answers = answers.iter().map(|a| a.to_string()).collect();
        run_script(answers, &[principle], lang, mode)
            .unwrap()
            .stories
            .remove(0)
    }

    fn probes(story: &Story) -> Vec<Probe> {
        story.follow_ups().map(|f| f.probe).collect()
    }

    /// A story with every part, in English.
    pub(crate) const COMPLETE_EN: &str =
        "Last year, when I worked on the billing support team at Acme, \
        our refund queue had grown to 400 tickets and my goal was to clear it. \
        I wrote a triage script in Python because most tickets repeated five causes; \
        instead of hiring temps, I automated the replies. \
        First I tested it on 50 tickets, then I rolled it out within two weeks. \
        My manager was sceptical at first but agreed after the pilot. \
        As a result the queue fell from 400 to 40 tickets and the reply time from 5 days to 1 day. \
        I learned to measure before I automate.";

    #[test]
    fn scripts_split_on_blank_lines_and_dashes() {
        assert_eq!(split_answers("a\nb\n\nc\n---\nd\n\n\n"), ["a b", "c", "d"]);
    }

    #[test]
    fn a_complete_story_ends_the_drill_at_once() {
        let story = drill_one(&[COMPLETE_EN], Lang::En, Mode::Realistic);
        assert_eq!(probes(&story), []);
    }

    #[test]
    fn a_vague_answer_gets_the_numbers_probe_quoting_it() {
        let story = drill_one(
            &[
                "Last year I fixed our billing process because it was slow, \
            and my manager was happy. It improved a lot.",
            ],
            Lang::En,
            Mode::Realistic,
        );
        let first = story.follow_ups().next().unwrap();
        assert_eq!(first.probe, Probe::Flag(Flag::Vague));
        assert!(first.text.contains("'It improved a lot'"), "{}", first.text);
    }

    #[test]
    fn korean_vague_answer_is_quoted_in_plain_form() {
        let story = drill_one(
            &["작년에 제가 청구 절차를 고쳤는데, 많이 개선됐습니다."],
            Lang::Ko,
            Mode::Realistic,
        );
        let first = story.follow_ups().next().unwrap();
        assert_eq!(first.text, "'많이 개선됐다'고 하셨는데, 구체적으로 얼마나요? 어떤 수치가 얼마에서 얼마로 바뀌었습니까?");
    }

    #[test]
    fn never_the_same_part_twice_and_at_most_five() {
        let answers = ["We did it together."; 10];
        let story = drill_one(&answers, Lang::En, Mode::Realistic);
        let asked = probes(&story);
        assert_eq!(asked.len(), 5);
        let mut targets: Vec<_> = asked.iter().map(|p| format!("{p:?}")).collect();
        targets.dedup();
        assert_eq!(targets.len(), 5);
        assert_eq!(asked[0], Probe::Flag(Flag::We));
        let bar = drill_one(&answers, Lang::En, Mode::BarRaiser);
        assert_eq!(probes(&bar).len(), 7);
        assert!(!probes(&bar).contains(&Probe::Slot(Slot::Action)));
    }
}
