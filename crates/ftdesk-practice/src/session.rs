//! A practice session: stories, one per principle, each a question, answers and follow-ups.

use serde::{Deserialize, Serialize};

use crate::analyse::{Flag, Slot};
use crate::{Lang, PracticeError};

/// One answer and the follow-up it drew.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub answer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    /// How long the answer took, in seconds (interactive sessions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u64>,
}

impl Turn {
    /// An answer not yet followed up, its time unknown.
    pub fn new(answer: String) -> Turn {
        Turn {
            answer,
            follow_up: None,
            seconds: None,
        }
    }
}

/// How the interviewer behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Names the principle and explains the scorecard as it goes.
    Coach,
    /// Hides the principle; up to 5 follow-ups per story.
    Realistic,
    /// Hides the principle; up to 7 follow-ups, and every part of the story must be there.
    BarRaiser,
}

impl Mode {
    pub fn max_follow_ups(self) -> usize {
        match self {
            Mode::Coach | Mode::Realistic => 5,
            Mode::BarRaiser => 7,
        }
    }
}

/// What a follow-up asks about: a missing part of the story or a red flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "id")]
pub enum Probe {
    Slot(Slot),
    Flag(Flag),
}

/// A follow-up question, with the candidate's words it quotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub probe: Probe,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// The answers to one question and its follow-ups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    pub principle: String,
    pub question: String,
    pub turns: Vec<Turn>,
}

impl Story {
    pub fn follow_ups(&self) -> impl Iterator<Item = &FollowUp> {
        self.turns.iter().filter_map(|t| t.follow_up.as_ref())
    }

    /// Every answer, one per line: the story as told so far.
    pub fn answers(&self) -> String {
        self.turns
            .iter()
            .map(|t| t.answer.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A whole drill, as saved with `--save`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub lang: String,
    pub mode: Mode,
    pub stories: Vec<Story>,
    /// Answers in the script after the last question.
    #[serde(default)]
    pub unused_answers: usize,
    /// The questions of an interactive session, in order, so it can be resumed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<Planned>,
    /// The seed that chose the questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// One question an interactive session will ask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planned {
    pub principle: String,
    pub question: String,
}

impl Session {
    pub fn lang(&self) -> Lang {
        self.lang.parse().unwrap_or(Lang::En)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Session, PracticeError> {
        Ok(serde_json::from_str(text)?)
    }
}
