//! The scorecard: a depth and specificity score per story. It is not lie detection.

use serde::Serialize;

use crate::analyse::{analyse, Evidence, Flag, Slot};
use crate::bank::bank;
use crate::session::Story;
use crate::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Band {
    Strong,
    Meets,
    Below,
}

impl Band {
    fn from_score(score: u32) -> Band {
        match score {
            75.. => Band::Strong,
            50..=74 => Band::Meets,
            _ => Band::Below,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Band::Strong => "strong",
            Band::Meets => "meets",
            Band::Below => "below",
        }
    }
}

/// What one story covered and missed, with the candidate's words as evidence.
#[derive(Debug, Clone, Serialize)]
pub struct StoryScore {
    pub principle: String,
    pub covered: Vec<(Slot, Evidence)>,
    pub missing: Vec<Slot>,
    pub flags: Vec<(Flag, Evidence)>,
    pub follow_ups: usize,
    /// 0 to 100: the covered parts' shares less the red flags' penalties.
    pub score: u32,
    pub band: Band,
}

/// Scores a story from all its answers together.
pub fn score_story(story: &Story, lang: Lang) -> StoryScore {
    let bank = bank();
    let whole = analyse(&story.answers(), lang);
    let covered: Vec<(Slot, Evidence)> = whole.slots.clone().into_iter().collect();
    let missing = Slot::ALL
        .into_iter()
        .filter(|s| whole.slot(*s).is_none())
        .collect();
    let flags: Vec<(Flag, Evidence)> = whole.flags.clone().into_iter().collect();
    let gained: u32 = covered
        .iter()
        .filter_map(|(slot, _)| bank.slot(slot.id()))
        .map(|e| e.score)
        .sum();
    let lost: u32 = flags
        .iter()
        .filter_map(|(flag, _)| bank.flag(flag.id()))
        .map(|e| e.penalty)
        .sum();
    let score = gained.saturating_sub(lost).min(100);
    StoryScore {
        principle: story.principle.clone(),
        covered,
        missing,
        flags,
        follow_ups: story.follow_ups().count(),
        score,
        band: Band::from_score(score),
    }
}
