//! The interactive interview, one prompt at a time: what to ask next and where
//! an answer goes. The terminal loop is the caller's; this part is pure, so a
//! saved [`Session`] resumes exactly where it stopped.

use crate::bank::Principle;
use crate::follow::choose_follow_up;
use crate::rng::Rng;
use crate::session::{Mode, Planned, Session, Story, Turn};
use crate::Lang;

/// What the interviewer says next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// A new question: the `n`-th of the session (1-based).
    Question {
        n: usize,
        principle: String,
        text: String,
    },
    FollowUp {
        text: String,
    },
}

impl Prompt {
    pub fn text(&self) -> &str {
        match self {
            Prompt::Question { text, .. } | Prompt::FollowUp { text } => text,
        }
    }
}

/// A new interactive session: one question per principle, chosen by `seed`.
pub fn new_session(principles: &[&Principle], lang: Lang, mode: Mode, seed: u64) -> Session {
    let mut rng = Rng::new(seed);
    let plan = principles
        .iter()
        .map(|p| {
            let questions = p.questions(lang);
            Planned {
                principle: p.id.clone(),
                question: questions[rng.index(questions.len())].clone(),
            }
        })
        .collect();
    Session {
        lang: lang.code().to_owned(),
        mode,
        stories: Vec::new(),
        unused_answers: 0,
        plan,
        seed: Some(seed),
    }
}

impl Session {
    /// The next prompt: a follow-up still unanswered, a new follow-up on the story
    /// so far, or the next planned question. `None` when the interview is over.
    pub fn next_prompt(&mut self) -> Option<Prompt> {
        let (lang, mode) = (self.lang(), self.mode);
        if let Some(story) = self.stories.last_mut() {
            if let Some(pending) = story.turns.last().and_then(|t| t.follow_up.as_ref()) {
                return Some(Prompt::FollowUp {
                    text: pending.text.clone(),
                });
            }
            if let Some(follow_up) = choose_follow_up(story, lang, mode) {
                let text = follow_up.text.clone();
                if let Some(last) = story.turns.last_mut() {
                    last.follow_up = Some(follow_up);
                }
                return Some(Prompt::FollowUp { text });
            }
        }
        let n = self.stories.len();
        self.plan.get(n).map(|planned| Prompt::Question {
            n: n + 1,
            principle: planned.principle.clone(),
            text: planned.question.clone(),
        })
    }

    /// Records the answer to `prompt`.
    pub fn answer(&mut self, prompt: &Prompt, answer: String) {
        self.answer_in(prompt, answer, None);
    }

    /// Records the answer to `prompt` and how long it took.
    pub fn answer_in(&mut self, prompt: &Prompt, answer: String, seconds: Option<u64>) {
        let turn = Turn {
            seconds,
            ..Turn::new(answer)
        };
        match prompt {
            Prompt::Question {
                principle, text, ..
            } => self.stories.push(Story {
                principle: principle.clone(),
                question: text.clone(),
                turns: vec![turn],
            }),
            Prompt::FollowUp { .. } => {
                if let Some(story) = self.stories.last_mut() {
                    story.turns.push(turn);
                }
            }
        }
    }

    /// Whether every planned question has been asked and its story finished.
    pub fn is_finished(&self) -> bool {
        let mut copy = self.clone();
        copy.next_prompt().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::bank;

    fn session(seed: u64) -> Session {
        let b = bank();
        let principles = [
            b.principle("ownership").unwrap(),
            b.principle("dive-deep").unwrap(),
        ];
        new_session(&principles, Lang::En, Mode::Realistic, seed)
    }

    #[test]
    fn the_seed_chooses_the_questions() {
        assert_eq!(session(1).plan, session(1).plan);
        let differ = (2..12)
            .filter(|s| session(*s).plan != session(1).plan)
            .count();
        assert!(differ > 0);
    }

    #[test]
    fn a_session_resumes_at_the_unanswered_follow_up() {
        let mut s = session(1);
        let first = s.next_prompt().unwrap();
        assert!(matches!(first, Prompt::Question { n: 1, .. }));
        s.answer(&first, "We did it together and it improved a lot.".into());
        let follow = s.next_prompt().unwrap();
        assert!(matches!(follow, Prompt::FollowUp { .. }));
        let mut resumed = Session::from_json(&s.to_json()).unwrap();
        assert_eq!(resumed.next_prompt(), Some(follow));
        assert!(!resumed.is_finished());
    }

    #[test]
    fn complete_stories_move_on_and_the_interview_ends() {
        let complete = crate::script::tests::COMPLETE_EN;
        let mut s = session(3);
        for n in 1..=2 {
            let prompt = s.next_prompt().unwrap();
            assert!(matches!(prompt, Prompt::Question { n: m, .. } if m == n));
            s.answer(&prompt, complete.into());
        }
        assert_eq!(s.next_prompt(), None);
        assert!(s.is_finished());
        assert_eq!(s.stories.len(), 2);
    }
}
