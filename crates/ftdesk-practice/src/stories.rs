//! The story bank: the candidate's stories by principle, and a warning when one
//! story is told too often. Thresholds in `data/story_bank.toml`.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::text::words;
use crate::Lang;

const SETTINGS: &str = include_str!("../data/story_bank.toml");

#[derive(Debug, Deserialize)]
struct Settings {
    same_story_percent: usize,
    min_words: usize,
    warn_at: u32,
}

fn settings() -> &'static Settings {
    static SETTINGS_ONCE: OnceLock<Settings> = OnceLock::new();
    SETTINGS_ONCE
        .get_or_init(|| toml::from_str(SETTINGS).expect("bundled settings parse; a test checks it"))
}

/// One story and where it was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankedStory {
    /// The first words of the first telling.
    pub summary: String,
    /// Principle ids it was told for, one entry per telling.
    pub principles: Vec<String>,
    words: BTreeSet<String>,
}

impl BankedStory {
    pub fn told(&self) -> u32 {
        self.principles.len() as u32
    }
}

/// Every story the candidate has told, as saved between sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryBank {
    pub stories: Vec<BankedStory>,
}

/// A story told again too often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reuse {
    pub summary: String,
    pub told: u32,
    pub principles: Vec<String>,
}

impl StoryBank {
    pub fn from_json(text: &str) -> Result<StoryBank, serde_json::Error> {
        serde_json::from_str(text)
    }

    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }

    /// Records a first answer for `principle`; a warning when its story has now been
    /// told `warn_at` times or more.
    pub fn record(&mut self, principle: &str, answer: &str, lang: Lang) -> Option<Reuse> {
        let words = distinctive(answer, lang);
        let at = self
            .stories
            .iter()
            .position(|s| same_story(&s.words, &words));
        let story = match at {
            Some(at) => &mut self.stories[at],
            None => {
                self.stories.push(BankedStory {
                    summary: summary(answer),
                    principles: Vec::new(),
                    words,
                });
                self.stories.last_mut().expect("just pushed")
            }
        };
        story.principles.push(principle.to_owned());
        (story.told() >= settings().warn_at).then(|| Reuse {
            summary: story.summary.clone(),
            told: story.told(),
            principles: story.principles.clone(),
        })
    }

    /// Stories told for `principle`.
    pub fn for_principle<'a>(
        &'a self,
        principle: &'a str,
    ) -> impl Iterator<Item = &'a BankedStory> {
        self.stories
            .iter()
            .filter(move |s| s.principles.iter().any(|p| p == principle))
    }
}

fn distinctive(answer: &str, lang: Lang) -> BTreeSet<String> {
    let min_chars = match lang {
        Lang::En => 5,
        Lang::Ko => 2,
    };
    words(answer)
        .into_iter()
        .map(|w| w.to_lowercase())
        .filter(|w| w.chars().count() >= min_chars)
        .collect()
}

fn same_story(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let shorter = a.len().min(b.len());
    if shorter < settings().min_words {
        return false;
    }
    a.intersection(b).count() * 100 >= shorter * settings().same_story_percent
}

fn summary(answer: &str) -> String {
    let mut out: String = answer.chars().take(80).collect();
    if answer.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Last year at Acme our refund queue grew to 400 tickets, \
        so I wrote a triage script in Python and the queue fell to 40 tickets.";

    #[test]
    fn the_third_telling_of_one_story_warns() {
        let mut bank = StoryBank::default();
        assert_eq!(bank.record("ownership", STORY, Lang::En), None);
        let again = STORY.replace("Last year", "In 2024");
        assert_eq!(bank.record("dive-deep", &again, Lang::En), None);
        let warning = bank.record("deliver-results", STORY, Lang::En).unwrap();
        assert_eq!(warning.told, 3);
        assert_eq!(
            warning.principles,
            ["ownership", "dive-deep", "deliver-results"]
        );
        assert_eq!(bank.stories.len(), 1);
        assert_eq!(bank.for_principle("dive-deep").count(), 1);
    }

    #[test]
    fn different_stories_are_kept_apart_and_survive_json() {
        let mut bank = StoryBank::default();
        bank.record("ownership", STORY, Lang::En);
        bank.record(
            "earn-trust",
            "When my manager criticised my release notes, I rewrote the template \
             with the support engineers and complaints dropped from twelve to two.",
            Lang::En,
        );
        assert_eq!(bank.stories.len(), 2);
        let back = StoryBank::from_json(&bank.to_json()).unwrap();
        assert_eq!(back, bank);
    }

    #[test]
    fn the_settings_parse() {
        toml::from_str::<Settings>(SETTINGS).unwrap();
    }
}
