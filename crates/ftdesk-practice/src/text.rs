//! Sentences, words and cue matching for English and Korean.
//!
//! English cues match whole words; Korean cues match inside an eojeol (a
//! space-separated word), because Korean attaches particles and endings.

use crate::Lang;

/// Where a cue was found: the sentence, its words, and the cue's position.
#[derive(Debug, Clone)]
pub struct Hit {
    pub sentence: String,
    pub words: Vec<String>,
    pub index: usize,
    pub len: usize,
}

impl Hit {
    /// The cue with `before` words before it and `after` words after it, in the
    /// candidate's own spelling, without closing punctuation.
    pub fn phrase(&self, before: usize, after: usize) -> String {
        let start = self.index.saturating_sub(before);
        let end = (self.index + self.len + after).min(self.words.len());
        self.words[start..end].join(" ")
    }
}

/// The text cut into sentences at `.`, `!`, `?` followed by a space or the end, and at line breaks.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let ends = match c {
            '\n' => true,
            '.' | '!' | '?' | '。' => chars.peek().is_none_or(|n| n.is_whitespace()),
            _ => false,
        };
        if c != '\n' {
            current.push(c);
        }
        if ends {
            push_trimmed(&mut out, &current);
            current.clear();
        }
    }
    push_trimmed(&mut out, &current);
    out
}

fn push_trimmed(out: &mut Vec<String>, sentence: &str) {
    let trimmed = sentence.trim();
    if !trimmed.is_empty() {
        out.push(trimmed.to_owned());
    }
}

/// The words of a sentence without surrounding punctuation (`%`, `$` and `'` inside are kept).
pub fn words(sentence: &str) -> Vec<String> {
    sentence
        .split_whitespace()
        .map(trim_word)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

pub fn trim_word(word: &str) -> &str {
    word.trim_matches(|c: char| !(c.is_alphanumeric() || matches!(c, '%' | '$' | '₩')))
}

/// Every place `cue` occurs in `text`.
pub fn find_all(text: &str, cue: &str, lang: Lang) -> Vec<Hit> {
    sentences(text)
        .into_iter()
        .flat_map(|sentence| find_in_sentence(&sentence, cue, lang))
        .collect()
}

/// The first place any of `cues` occurs, in text order.
pub fn find_first(text: &str, cues: &[String], lang: Lang) -> Option<Hit> {
    sentences(text).into_iter().find_map(|sentence| {
        cues.iter()
            .flat_map(|cue| find_in_sentence(&sentence, cue, lang))
            .min_by_key(|hit| hit.index)
    })
}

/// How many times any of `cues` occurs.
pub fn count(text: &str, cues: &[String], lang: Lang) -> usize {
    cues.iter().map(|cue| find_all(text, cue, lang).len()).sum()
}

fn find_in_sentence(sentence: &str, cue: &str, lang: Lang) -> Vec<Hit> {
    let words = words(sentence);
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let cue_words: Vec<String> = cue.split_whitespace().map(str::to_lowercase).collect();
    if cue_words.is_empty() || cue_words.len() > lower.len() {
        return Vec::new();
    }
    let matches_at = |i: usize| {
        cue_words.iter().enumerate().all(|(k, c)| match lang {
            Lang::En => lower[i + k] == *c,
            Lang::Ko => word_contains_ko(&lower[i + k], c, k, cue_words.len()),
        })
    };
    (0..=lower.len() - cue_words.len())
        .filter(|&i| matches_at(i))
        .map(|index| Hit {
            sentence: sentence.to_owned(),
            words: words.clone(),
            index,
            len: cue_words.len(),
        })
        .collect()
}

/// A Korean cue word inside an eojeol: a one-word cue anywhere in the word; in a
/// multi-word cue, the first part ends a word, inner parts are whole, the last starts one.
fn word_contains_ko(word: &str, cue: &str, position: usize, parts: usize) -> bool {
    if parts == 1 {
        return word.contains(cue);
    }
    if position == 0 {
        word.ends_with(cue)
    } else if position + 1 == parts {
        word.starts_with(cue)
    } else {
        word == cue
    }
}

/// A Korean predicate quoted indirectly: `개선됐습니다` becomes `개선됐다`.
pub fn plain_ending(phrase: &str) -> String {
    for (polite, plain) in [
        ("했습니다", "했다"),
        ("습니다", "다"),
        ("어요", "다"),
        ("요", ""),
    ] {
        if let Some(stem) = phrase.strip_suffix(polite) {
            return format!("{stem}{plain}");
        }
    }
    phrase.to_owned()
}

/// The leading number of a word (`30%` → `30`, `$1,200` → `1200`) and what follows it.
pub fn number_prefix(word: &str) -> Option<(String, &str)> {
    let body = word.trim_start_matches(['$', '₩']);
    let end = body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | ',')))
        .map_or(body.len(), |(i, _)| i);
    let digits: String = body[..end].chars().filter(|c| *c != ',').collect();
    let digits = digits.trim_end_matches('.').to_owned();
    if digits.chars().any(|c| c.is_ascii_digit()) {
        Some((digits, &body[end..]))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_decimals_together() {
        assert_eq!(
            sentences("It fell from 1.5 s to 0.4 s. Then I left!\nNext"),
            ["It fell from 1.5 s to 0.4 s.", "Then I left!", "Next"]
        );
    }

    #[test]
    fn english_cues_match_whole_words() {
        assert_eq!(count("I think it is mine", &["i".into()], Lang::En), 1);
        assert_eq!(count("in it", &["i".into()], Lang::En), 0);
        let hit = find_first(
            "And it improved a lot, really.",
            &["a lot".into()],
            Lang::En,
        )
        .unwrap();
        assert_eq!(hit.phrase(2, 0), "it improved a lot");
    }

    #[test]
    fn korean_cues_match_inside_words() {
        let hit = find_first("결과적으로 많이 개선됐습니다.", &["많이".into()], Lang::Ko).unwrap();
        assert_eq!(plain_ending(&hit.phrase(0, 1)), "많이 개선됐다");
        assert_eq!(
            count("저희 팀이 함께 했습니다", &["팀이".into()], Lang::Ko),
            1
        );
        assert_eq!(count("다 같이 했습니다", &["다 같이".into()], Lang::Ko), 1);
    }

    #[test]
    fn numbers_and_their_units() {
        assert_eq!(number_prefix("30%"), Some(("30".into(), "%")));
        assert_eq!(number_prefix("$1,200."), Some(("1200".into(), "")));
        assert_eq!(number_prefix("3일"), Some(("3".into(), "일")));
        assert_eq!(number_prefix("abc"), None);
    }
}
