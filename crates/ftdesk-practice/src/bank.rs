//! The question bank and the detection data, parsed once from `data/*.toml`.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::Lang;

const PRINCIPLES: &str = include_str!("../data/principles.toml");
const PROBES: &str = include_str!("../data/probes.toml");

/// One Leadership Principle, as our paraphrase.
#[derive(Debug, Deserialize)]
pub struct Principle {
    pub id: String,
    pub name_en: String,
    pub name_ko: String,
    pub summary_en: String,
    pub summary_ko: String,
    pub questions_en: Vec<String>,
    pub questions_ko: Vec<String>,
    /// Slot ids this principle weighs most.
    pub weighs: Vec<String>,
}

impl Principle {
    pub fn name(&self, lang: Lang) -> &str {
        pick(lang, &self.name_en, &self.name_ko)
    }

    pub fn questions(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.questions_en,
            Lang::Ko => &self.questions_ko,
        }
    }
}

/// A part of a story (`situation`, `result`, ...) or a red flag.
#[derive(Debug, Deserialize)]
pub struct Entry {
    pub id: String,
    #[serde(default)]
    pub priority: u32,
    #[serde(default)]
    pub score: u32,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub penalty: u32,
    pub cues_en: Vec<String>,
    pub cues_ko: Vec<String>,
    pub templates_en: Vec<String>,
    pub templates_ko: Vec<String>,
}

impl Entry {
    pub fn cues(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.cues_en,
            Lang::Ko => &self.cues_ko,
        }
    }

    pub fn templates(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.templates_en,
            Lang::Ko => &self.templates_ko,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct MetricUnits {
    pub units_en: Vec<String>,
    pub units_ko: Vec<String>,
}

/// Everything the drill reads from data.
#[derive(Debug)]
pub struct Bank {
    pub principles: Vec<Principle>,
    pub slots: Vec<Entry>,
    pub flags: Vec<Entry>,
    pub metric: MetricUnits,
}

#[derive(Deserialize)]
struct PrinciplesFile {
    principle: Vec<Principle>,
}

#[derive(Deserialize)]
struct ProbesFile {
    slot: Vec<Entry>,
    flag: Vec<Entry>,
    metric: MetricUnits,
}

impl Bank {
    pub fn principle(&self, id: &str) -> Option<&Principle> {
        self.principles.iter().find(|p| p.id == id)
    }

    pub fn slot(&self, id: &str) -> Option<&Entry> {
        self.slots.iter().find(|s| s.id == id)
    }

    pub fn flag(&self, id: &str) -> Option<&Entry> {
        self.flags.iter().find(|f| f.id == id)
    }

    pub fn units(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.metric.units_en,
            Lang::Ko => &self.metric.units_ko,
        }
    }
}

/// The bundled bank. The data files are part of the crate; a unit test parses them.
pub fn bank() -> &'static Bank {
    static BANK: OnceLock<Bank> = OnceLock::new();
    BANK.get_or_init(|| parse(PRINCIPLES, PROBES).expect("bundled data parses; a test checks it"))
}

fn parse(principles: &str, probes: &str) -> Result<Bank, toml::de::Error> {
    let principles: PrinciplesFile = toml::from_str(principles)?;
    let probes: ProbesFile = toml::from_str(probes)?;
    Ok(Bank {
        principles: principles.principle,
        slots: probes.slot,
        flags: probes.flag,
        metric: probes.metric,
    })
}

pub(crate) fn pick<'a>(lang: Lang, en: &'a str, ko: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_data_parses() {
        parse(PRINCIPLES, PROBES).unwrap();
    }

    #[test]
    fn sixteen_principles_each_with_two_questions_per_language() {
        let bank = bank();
        assert_eq!(bank.principles.len(), 16);
        for p in &bank.principles {
            assert!(p.questions_en.len() >= 2, "{}", p.id);
            assert_eq!(p.questions_en.len(), p.questions_ko.len(), "{}", p.id);
            for slot in &p.weighs {
                assert!(bank.slot(slot).is_some(), "{}: {slot}", p.id);
            }
        }
    }

    #[test]
    fn every_slot_and_flag_has_templates_in_both_languages() {
        let bank = bank();
        for e in bank.slots.iter().chain(&bank.flags) {
            assert!(
                !e.templates_en.is_empty() && !e.templates_ko.is_empty(),
                "{}",
                e.id
            );
            assert!(!e.cues_en.is_empty() && !e.cues_ko.is_empty(), "{}", e.id);
        }
        let total: u32 = bank.slots.iter().map(|s| s.score).sum();
        assert_eq!(total, 100);
    }
}
