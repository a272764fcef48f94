//! What a story has and lacks: a pure function of the answer text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::bank::{bank, Bank};
use crate::text::{self, Hit};
use crate::Lang;

/// A part of a good behavioural story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Slot {
    Situation,
    Task,
    /// The candidate's own actions, in the first person.
    Action,
    /// The reason why.
    Reason,
    Alternatives,
    /// How others reacted.
    Reaction,
    /// A measurable result: a number with a unit.
    Result,
    Timeline,
    Lesson,
    /// Checkable details: names, systems, records, exact figures.
    Detail,
}

impl Slot {
    pub const ALL: [Slot; 10] = [
        Slot::Situation,
        Slot::Task,
        Slot::Action,
        Slot::Reason,
        Slot::Alternatives,
        Slot::Reaction,
        Slot::Result,
        Slot::Timeline,
        Slot::Lesson,
        Slot::Detail,
    ];

    /// The id used in `data/probes.toml`.
    pub fn id(self) -> &'static str {
        match self {
            Slot::Situation => "situation",
            Slot::Task => "task",
            Slot::Action => "action",
            Slot::Reason => "reason",
            Slot::Alternatives => "alternatives",
            Slot::Reaction => "reaction",
            Slot::Result => "result",
            Slot::Timeline => "timeline",
            Slot::Lesson => "lesson",
            Slot::Detail => "detail",
        }
    }

    pub fn from_id(id: &str) -> Option<Slot> {
        Slot::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// A red flag in an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// What the candidate would do, not what they did.
    Hypothetical,
    /// "We" for everything: the candidate's own part is invisible.
    We,
    /// Adjectives where numbers belong ("a lot", "많이").
    Vague,
    /// Blaming others.
    Blame,
}

impl Flag {
    pub const ALL: [Flag; 4] = [Flag::Hypothetical, Flag::We, Flag::Vague, Flag::Blame];

    pub fn id(self) -> &'static str {
        match self {
            Flag::Hypothetical => "hypothetical",
            Flag::We => "we",
            Flag::Vague => "vague",
            Flag::Blame => "blame",
        }
    }
}

/// The candidate's words that show a slot or a flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The whole sentence.
    pub sentence: String,
    /// The few words a follow-up quotes back.
    pub phrase: String,
}

/// What one answer (or a whole story, answers joined) contains.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    pub slots: BTreeMap<Slot, Evidence>,
    pub flags: BTreeMap<Flag, Evidence>,
    /// First person singular words (I, my, 저는, 제가).
    pub singular: usize,
    /// First person plural and team words (we, our, 저희, 우리).
    pub plural: usize,
}

impl Analysis {
    pub fn slot(&self, slot: Slot) -> Option<&Evidence> {
        self.slots.get(&slot)
    }

    pub fn flag(&self, flag: Flag) -> Option<&Evidence> {
        self.flags.get(&flag)
    }
}

/// Finds the story's parts and red flags in `answer`, written in `lang`.
pub fn analyse(answer: &str, lang: Lang) -> Analysis {
    let bank = bank();
    let mut analysis = Analysis {
        singular: count_cues(bank, "action", answer, lang, false),
        plural: count_cues(bank, "we", answer, lang, true),
        ..Analysis::default()
    };
    for slot in Slot::ALL {
        if let Some(evidence) = find_slot(bank, slot, answer, lang, &analysis) {
            analysis.slots.insert(slot, evidence);
        }
    }
    for flag in Flag::ALL {
        if let Some(evidence) = find_flag(bank, flag, answer, lang, &analysis) {
            analysis.flags.insert(flag, evidence);
        }
    }
    analysis
}

fn count_cues(bank: &Bank, id: &str, answer: &str, lang: Lang, is_flag: bool) -> usize {
    let entry = if is_flag {
        bank.flag(id)
    } else {
        bank.slot(id)
    };
    entry.map_or(0, |e| text::count(answer, e.cues(lang), lang))
}

fn cue_hit(bank: &Bank, id: &str, answer: &str, lang: Lang, is_flag: bool) -> Option<Hit> {
    let entry = if is_flag {
        bank.flag(id)
    } else {
        bank.slot(id)
    }?;
    text::find_first(answer, entry.cues(lang), lang)
}

fn evidence(hit: &Hit, before: usize, after: usize, lang: Lang) -> Evidence {
    let phrase = hit.phrase(before, after);
    Evidence {
        sentence: hit.sentence.clone(),
        phrase: match lang {
            Lang::En => phrase,
            Lang::Ko => text::plain_ending(&phrase),
        },
    }
}

fn find_slot(bank: &Bank, slot: Slot, answer: &str, lang: Lang, a: &Analysis) -> Option<Evidence> {
    match slot {
        Slot::Action => (a.singular > 0 && a.singular >= a.plural)
            .then(|| cue_hit(bank, "action", answer, lang, false))
            .flatten()
            .map(|hit| evidence(&hit, 0, 4, lang)),
        Slot::Result => metric(bank, answer, lang).map(|hit| evidence(&hit, 2, 2, lang)),
        Slot::Timeline => timeline(bank, answer, lang).map(|hit| evidence(&hit, 0, 3, lang)),
        Slot::Detail => detail(bank, answer, lang).map(|hit| evidence(&hit, 1, 2, lang)),
        _ => cue_hit(bank, slot.id(), answer, lang, false).map(|hit| evidence(&hit, 1, 3, lang)),
    }
}

fn find_flag(bank: &Bank, flag: Flag, answer: &str, lang: Lang, a: &Analysis) -> Option<Evidence> {
    match flag {
        Flag::We => (a.plural > 0 && a.plural > a.singular)
            .then(|| cue_hit(bank, "we", answer, lang, true))
            .flatten()
            .map(|hit| evidence(&hit, 0, 2, lang)),
        Flag::Vague => {
            let hit = cue_hit(bank, "vague", answer, lang, true)?;
            Some(match lang {
                Lang::En => evidence(&hit, 2, 0, lang),
                Lang::Ko => evidence(&hit, 0, 1, lang),
            })
        }
        Flag::Hypothetical => {
            let hypothetical = count_cues(bank, "hypothetical", answer, lang, true);
            (hypothetical > 0 && hypothetical >= past_tense_words(answer, lang))
                .then(|| cue_hit(bank, "hypothetical", answer, lang, true))
                .flatten()
                .map(|hit| evidence(&hit, 1, 3, lang))
        }
        Flag::Blame => {
            cue_hit(bank, "blame", answer, lang, true).map(|hit| evidence(&hit, 2, 2, lang))
        }
    }
}

const PAST_EN: [&str; 26] = [
    "was", "were", "did", "had", "made", "went", "took", "told", "said", "found", "sent", "wrote",
    "built", "led", "ran", "got", "saw", "knew", "thought", "spent", "brought", "began", "chose",
    "cut", "set", "put",
];
const PAST_KO: [&str; 6] = ["었", "았", "했", "였", "됐", "웠"];

/// How many words are in the past tense: a story, not a plan, has many.
fn past_tense_words(answer: &str, lang: Lang) -> usize {
    text::words(answer)
        .iter()
        .map(|w| w.to_lowercase())
        .filter(|w| match lang {
            Lang::En => PAST_EN.contains(&w.as_str()) || (w.len() > 3 && w.ends_with("ed")),
            Lang::Ko => PAST_KO.iter().any(|p| w.contains(p)),
        })
        .count()
}

/// The first number that carries a unit of measure (`30%`, `2 hours`, `3배`, `$40`).
fn metric(bank: &Bank, answer: &str, lang: Lang) -> Option<Hit> {
    let units = bank.units(lang);
    for sentence in text::sentences(answer) {
        let words = text::words(&sentence);
        for (index, word) in words.iter().enumerate() {
            let Some((_, rest)) = text::number_prefix(word) else {
                continue;
            };
            let next = words.get(index + 1).map(|w| w.to_lowercase());
            if is_measure(word, rest, next.as_deref(), units, lang) {
                return Some(Hit {
                    sentence: sentence.clone(),
                    words,
                    index,
                    len: 1,
                });
            }
        }
    }
    None
}

fn is_measure(word: &str, rest: &str, next: Option<&str>, units: &[String], lang: Lang) -> bool {
    if word.starts_with(['$', '₩']) {
        return true;
    }
    let rest = rest.to_lowercase();
    let unit_follows = |u: &String| match lang {
        Lang::En => rest == *u || next == Some(u.as_str()),
        Lang::Ko => {
            rest.starts_with(u.as_str())
                || (rest.is_empty() && next.is_some_and(|n| n.starts_with(u.as_str())))
        }
    };
    units.iter().any(unit_follows)
}

const DURATION_EN: [&str; 8] = [
    "minutes", "hours", "days", "weeks", "months", "years", "quarter", "sprint",
];
const DURATION_KO: [&str; 6] = ["시간", "일", "주", "개월", "년", "분기"];

/// Two ordered markers, a duration, or a date.
fn timeline(bank: &Bank, answer: &str, lang: Lang) -> Option<Hit> {
    if count_cues(bank, "timeline", answer, lang, false) >= 2 {
        return cue_hit(bank, "timeline", answer, lang, false);
    }
    text::sentences(answer).into_iter().find_map(|sentence| {
        let words = text::words(&sentence);
        let index = words.iter().enumerate().position(|(i, w)| {
            let next = words.get(i + 1).map(|n| n.to_lowercase());
            is_duration_or_date(w, next.as_deref(), lang)
        })?;
        Some(Hit {
            sentence: sentence.clone(),
            words,
            index,
            len: 1,
        })
    })
}

fn is_duration_or_date(word: &str, next: Option<&str>, lang: Lang) -> bool {
    let Some((digits, rest)) = text::number_prefix(word) else {
        return false;
    };
    let year = digits.len() == 4 && (digits.starts_with("19") || digits.starts_with("20"));
    year || match lang {
        Lang::En => next.is_some_and(|n| {
            DURATION_EN
                .iter()
                .any(|d| n.starts_with(d.trim_end_matches('s')))
        }),
        Lang::Ko => DURATION_KO.iter().any(|d| rest.starts_with(d)) || rest.starts_with('월'),
    }
}

/// A named system or record, a proper name in mid-sentence, or a Latin-script name in Korean text.
fn detail(bank: &Bank, answer: &str, lang: Lang) -> Option<Hit> {
    if let Some(hit) = cue_hit(bank, "detail", answer, lang, false) {
        return Some(hit);
    }
    text::sentences(answer).into_iter().find_map(|sentence| {
        let words = text::words(&sentence);
        let index = words
            .iter()
            .enumerate()
            .position(|(i, w)| is_name(i, w, lang))?;
        Some(Hit {
            sentence: sentence.clone(),
            words,
            index,
            len: 1,
        })
    })
}

fn is_name(index: usize, word: &str, lang: Lang) -> bool {
    let Some(first) = word.chars().next() else {
        return false;
    };
    match lang {
        Lang::En => {
            index > 0 && first.is_ascii_uppercase() && word != "I" && !word.starts_with("I'")
        }
        Lang::Ko => first.is_ascii_alphabetic(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(answer: &str, lang: Lang, slot: Slot) -> bool {
        analyse(answer, lang).slot(slot).is_some()
    }

    fn flagged(answer: &str, lang: Lang, flag: Flag) -> Option<String> {
        analyse(answer, lang).flag(flag).map(|e| e.phrase.clone())
    }

    #[test]
    fn situation_and_task() {
        assert!(has(
            "Last year, when I worked at a bank, our app crashed.",
            Lang::En,
            Slot::Situation
        ));
        assert!(has(
            "작년 당시 저는 은행에서 일했습니다.",
            Lang::Ko,
            Slot::Situation
        ));
        assert!(has("My goal was to cut the backlog.", Lang::En, Slot::Task));
        assert!(has(
            "제 역할은 백로그를 줄이는 것이었습니다.",
            Lang::Ko,
            Slot::Task
        ));
        assert!(!has("I fixed it.", Lang::En, Slot::Situation));
    }

    #[test]
    fn first_person_actions_and_the_we_flag() {
        assert!(has(
            "I rewrote the script and I tested it.",
            Lang::En,
            Slot::Action
        ));
        assert!(has(
            "제가 직접 스크립트를 고쳤습니다.",
            Lang::Ko,
            Slot::Action
        ));
        let we = "We changed the process and we shipped it with our team.";
        assert!(!has(we, Lang::En, Slot::Action));
        assert_eq!(
            flagged(we, Lang::En, Flag::We).as_deref(),
            Some("We changed the")
        );
        assert_eq!(
            flagged("저희 팀이 함께 프로세스를 바꿨습니다.", Lang::Ko, Flag::We).as_deref(),
            Some("저희 팀이 함께")
        );
        assert!(flagged(
            "I led it; we shipped it; I measured it.",
            Lang::En,
            Flag::We
        )
        .is_none());
    }

    #[test]
    fn reasons_and_alternatives() {
        assert!(has(
            "I chose a cache because the database was slow.",
            Lang::En,
            Slot::Reason
        ));
        assert!(has(
            "데이터베이스가 느렸기 때문에 캐시를 택했습니다.",
            Lang::Ko,
            Slot::Reason
        ));
        assert!(has(
            "Instead of a rewrite, I added an index.",
            Lang::En,
            Slot::Alternatives
        ));
        assert!(has(
            "재작성 대신 인덱스를 추가했습니다.",
            Lang::Ko,
            Slot::Alternatives
        ));
    }

    #[test]
    fn reactions() {
        assert!(has(
            "My manager pushed back at first.",
            Lang::En,
            Slot::Reaction
        ));
        assert!(has(
            "팀장님은 처음에 반대하셨습니다.",
            Lang::Ko,
            Slot::Reaction
        ));
    }

    #[test]
    fn a_result_needs_a_number_with_a_unit() {
        assert!(has(
            "Response time fell from 900 ms to 200 ms.",
            Lang::En,
            Slot::Result
        ));
        assert!(has("Tickets dropped by 40%.", Lang::En, Slot::Result));
        assert!(has("It saved $1,200 a month.", Lang::En, Slot::Result));
        assert!(has("문의가 30% 줄었습니다.", Lang::Ko, Slot::Result));
        assert!(has("처리 시간이 3배 빨라졌습니다.", Lang::Ko, Slot::Result));
        assert!(!has("It improved a lot in 2023.", Lang::En, Slot::Result));
        assert!(!has("많이 개선됐습니다.", Lang::Ko, Slot::Result));
    }

    #[test]
    fn timelines() {
        assert!(has(
            "First I read the logs, then I called the customer.",
            Lang::En,
            Slot::Timeline
        ));
        assert!(has(
            "It took two weeks, in March 2024.",
            Lang::En,
            Slot::Timeline
        ));
        assert!(has("3일 만에 끝냈습니다.", Lang::Ko, Slot::Timeline));
        assert!(!has("I fixed it.", Lang::En, Slot::Timeline));
    }

    #[test]
    fn lessons_and_details() {
        assert!(has(
            "I learned to check the data first.",
            Lang::En,
            Slot::Lesson
        ));
        assert!(has(
            "데이터를 먼저 확인해야 한다는 교훈을 얻었습니다.",
            Lang::Ko,
            Slot::Lesson
        ));
        assert!(has("I filed it in Jira.", Lang::En, Slot::Detail));
        assert!(has("I asked Minji from billing.", Lang::En, Slot::Detail));
        assert!(has(
            "CloudWatch 경보를 설정했습니다.",
            Lang::Ko,
            Slot::Detail
        ));
    }

    #[test]
    fn hypothetical_answers() {
        let en = "I would talk to the customer and I would explain the bill.";
        assert!(flagged(en, Lang::En, Flag::Hypothetical).is_some());
        assert!(flagged(
            "만약 그런 일이 생긴다면 고객에게 먼저 연락하겠습니다.",
            Lang::Ko,
            Flag::Hypothetical
        )
        .is_some());
        let story =
            "I called the customer, explained the bill and fixed the alarm. I would do it again.";
        assert!(flagged(story, Lang::En, Flag::Hypothetical).is_none());
    }

    #[test]
    fn vague_quantities_are_quoted() {
        assert_eq!(
            flagged("After that, it improved a lot.", Lang::En, Flag::Vague).as_deref(),
            Some("it improved a lot")
        );
        assert_eq!(
            flagged("그 뒤로 많이 개선됐습니다.", Lang::Ko, Flag::Vague).as_deref(),
            Some("많이 개선됐다")
        );
    }

    #[test]
    fn blaming_others() {
        assert!(flagged(
            "It was their fault, the vendor was incompetent.",
            Lang::En,
            Flag::Blame
        )
        .is_some());
        assert!(flagged("다른 팀이 잘못해서 생긴 일입니다.", Lang::Ko, Flag::Blame).is_some());
    }
}
