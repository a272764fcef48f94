//! Practice for AWS support candidates, offline and rule-based.
//!
//! The interview drill: a bank of behavioural questions on the 16 Leadership
//! Principles (our own paraphrases, never Amazon's text), a pure analyser that
//! finds what a story has and lacks ([`analyse`]), and a pure chooser of the
//! next follow-up ([`choose_follow_up`]). The score is a depth and specificity
//! score: it measures how concrete a story is, and it is not lie detection.
//!
//! All wording, cues and weights live in `data/*.toml`, each naming its sources.
//!
//! ```
//! use ftdesk_practice::{analyse, Lang, Slot};
//! let a = analyse("We improved the process a lot.", Lang::En);
//! assert!(a.flag(ftdesk_practice::Flag::Vague).is_some());
//! assert!(a.slot(Slot::Result).is_none()); // a result needs a number
//! ```

mod analyse;
mod bank;
mod case;
mod follow;
mod grade;
mod grade_render;
mod l10n;
mod live;
mod quantity;
mod render;
mod report;
mod rng;
mod score;
mod script;
mod session;
mod stories;
mod text;
mod timing;

pub use analyse::{analyse, Analysis, Evidence, Flag, Slot};
pub use bank::{bank, Bank, Principle};
pub use case::{
    assignment_text, inquiry_text, plan_case, topic, topics, CasePlan, CaseSource, CaseTruth,
    Quote, Topic, TopicTruth,
};
pub use follow::choose_follow_up;
pub use ftdesk_render::Lang;
pub use grade::{
    grade, hangul_share, money_figures, Answer, CriterionGrade, Grade, Hold, Point, PART_MINIMUM,
    PASS_MARK,
};
pub use grade_render::{grade_html, grade_json, grade_text, ModelReply};
pub use l10n::Messages;
pub use live::{new_session, Prompt};
pub use quantity::{Quantity, Unit};
pub use render::{scorecard, scorecard_html, transcript};
pub use report::interview_report;
pub use score::{score_story, Band, StoryScore};
pub use script::{run_script, split_answers};
pub use session::{FollowUp, Mode, Planned, Probe, Session, Story, Turn};
pub use stories::{BankedStory, Reuse, StoryBank};
pub use timing::{aim_text, answer_aim, clock_text, time_line, AnswerAim, Pace};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum PracticeError {
    #[error("unknown principle `{0}`; `ftdesk practice interview --help` lists them")]
    UnknownPrinciple(String),
    #[error("the answer script has no answers")]
    NoAnswers,
    #[error("difficulty {0} is out of range: expected 1, 2 or 3 (the number of causes)")]
    BadDifficulty(u8),
    #[error(
        "the answer is empty: write the email, then a line holding only ---, then the proposal"
    )]
    EmptyAnswer,
    #[error(
        "the case is in {expected} but the answer is in {found}: answer in the customer's language"
    )]
    WrongLanguage {
        expected: &'static str,
        found: &'static str,
    },
    #[error("the session file is not a saved practice session: {0}")]
    BadSession(#[from] serde_json::Error),
}
