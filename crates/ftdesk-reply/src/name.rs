//! The customer's name from the message text, when the headers do not give it.

/// English closings, longest first so `best regards` is not read as `best`.
const SIGN_OFFS: [&str; 11] = [
    "best regards",
    "kind regards",
    "many thanks",
    "thanks again",
    "thank you",
    "regards",
    "sincerely",
    "cheers",
    "thanks",
    "best",
    "thx",
];

/// Korean closings that can stand before a name (`감사합니다, 민지`).
const KOREAN_SIGN_OFFS: [&str; 4] = ["감사합니다", "고맙습니다", "감사드립니다", "수고하세요"];

const KOREAN_SIGNATURES: [&str; 3] = ["드림", "올림", "배상"];

/// What separates a closing from a name on the same line: `Thanks, Minji`, `Cheers - Minji`.
const SEPARATORS: [char; 6] = [',', '-', '–', '—', '.', '!'];

/// First words after a closing that begin a sentence, not a name.
const NOT_NAMES: [&str; 24] = [
    "i", "i'm", "i'll", "i've", "we", "you", "it", "this", "that", "have", "hope", "happy",
    "please", "looking", "let", "talk", "again", "all", "everyone", "team", "aws", "support", "in",
    "for",
];

/// Korean words that can follow a closing and are not names.
const KOREAN_NOT_NAMES: [&str; 6] = ["안녕히", "그럼", "이만", "모두", "항상", "수고"];

/// Lowercase particles inside a Latin name (`Maria da Silva`).
const NAME_PARTICLES: [&str; 9] = ["da", "de", "del", "di", "do", "dos", "van", "von", "le"];

/// The name in a sign-off (`Thanks,\nJane Doe`, `Thanks, Minji`, `김민수 드림`,
/// `감사합니다, 민지`) or an introduction (`My name is Jane Doe.`, `저는 김민수입니다.`).
pub fn from_body(body: &str) -> Option<String> {
    korean_signature(body)
        .or_else(|| sign_off(body))
        .or_else(|| introduction(body))
}

fn plausible(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches(['.', ',', '!']).trim();
    let words = name.split_whitespace().count();
    let ok = (1..=4).contains(&words)
        && name.chars().count() <= 40
        && name
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'');
    ok.then(|| name.to_owned())
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// `김민수 드림`, `감사합니다. 김민지 올림`: the words before the signature word,
/// after any closing sentence on the same line.
fn korean_signature(body: &str) -> Option<String> {
    body.lines().rev().find_map(|line| {
        let line = line.trim();
        let before = KOREAN_SIGNATURES
            .iter()
            .find_map(|s| line.strip_suffix(s))?;
        let name = [",", ".", "!", " - ", " – ", " — "]
            .iter()
            .filter_map(|sep| before.rfind(sep).map(|i| i + sep.len()))
            .max()
            .map_or(before, |start| &before[start..]);
        plausible(name)
    })
}

/// The last closing in the message with a name after it, on its own line or
/// on the closing's line.
fn sign_off(body: &str) -> Option<String> {
    let lines: Vec<&str> = body.lines().map(str::trim).collect();
    lines.iter().enumerate().rev().find_map(|(i, line)| {
        let rest = after_closing(line)?;
        if rest.is_empty() {
            let next = lines[i + 1..].iter().find(|l| !l.is_empty())?;
            name_on_its_own_line(next)
        } else {
            name_after_closing(rest)
        }
    })
}

/// For a closing line, what follows the closing and its separator (`""` when
/// nothing does); `None` when the line is not a closing (`Thanks for your help`).
fn after_closing(line: &str) -> Option<&str> {
    let closing = SIGN_OFFS.iter().chain(&KOREAN_SIGN_OFFS).find(|s| {
        line.get(..s.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(s))
    })?;
    let rest = line[closing.len()..].trim_start();
    let rest_after_separator = rest.trim_start_matches(SEPARATORS).trim_start();
    let separated = rest.is_empty() || rest_after_separator.len() < rest.len();
    separated.then(|| rest_after_separator.trim_end_matches(SEPARATORS).trim_end())
}

/// A Latin name is capitalised word by word; a Korean one is a single word of 2 to 4 syllables.
fn name_after_closing(text: &str) -> Option<String> {
    let name = plausible(text)?;
    if name.chars().any(is_hangul) {
        return korean_name(&name);
    }
    let first = name.split_whitespace().next()?.to_lowercase();
    let capitalised = name
        .split_whitespace()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase) || NAME_PARTICLES.contains(&w));
    (capitalised && !NOT_NAMES.contains(&first.as_str())).then_some(name)
}

fn name_on_its_own_line(line: &str) -> Option<String> {
    let name = plausible(line)?;
    if name.chars().any(is_hangul) {
        korean_name(&name)
    } else {
        Some(name)
    }
}

fn korean_name(name: &str) -> Option<String> {
    let syllables = name.chars().count();
    let ok = (2..=4).contains(&syllables)
        && name.chars().all(is_hangul)
        && !KOREAN_NOT_NAMES.contains(&name)
        && !name.ends_with('다')
        && !name.ends_with('요');
    ok.then(|| name.to_owned())
}

fn introduction(body: &str) -> Option<String> {
    let lower = body.to_lowercase();
    if let Some(i) = lower.find("my name is ") {
        let rest = &body[i + "my name is ".len()..];
        let end = rest.find(['.', ',', '\n', '!']).unwrap_or(rest.len());
        return plausible(&rest[..end]);
    }
    let i = body.find("저는 ")?;
    let rest = &body[i + "저는 ".len()..];
    let end = rest.find("입니다")?;
    plausible(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_offs_and_introductions() {
        assert_eq!(
            from_body("Why?\n\nThanks,\nJane Doe").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            from_body("Why?\nBest regards,\n\nTom").as_deref(),
            Some("Tom")
        );
        assert_eq!(
            from_body("Hello, my name is Jane Doe. I was billed").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            from_body("요금이 나왔습니다.\n김민수 드림").as_deref(),
            Some("김민수")
        );
        assert_eq!(
            from_body("안녕하세요. 저는 이지은입니다. 요금이").as_deref(),
            Some("이지은")
        );
        assert_eq!(from_body("Thanks,\nsent from my phone 12").as_deref(), None);
        assert_eq!(from_body("no name here"), None);
    }

    #[test]
    fn a_name_on_the_closing_line() {
        for (body, name) in [
            ("Why was I billed?\n\nThanks, Minji", "Minji"),
            ("Why was I billed?\n\nCheers - Minji", "Minji"),
            (
                "Why was I billed?\n\nBest, Maria Fernandes",
                "Maria Fernandes",
            ),
            ("Why?\nBest regards, Maria da Silva", "Maria da Silva"),
            ("Why?\nThank you — Jean-Luc O'Neil.", "Jean-Luc O'Neil"),
            ("요금이 왜 나왔나요?\n감사합니다, 민지", "민지"),
            ("요금이 왜 나왔나요?\n감사합니다. 김민지 드림", "김민지"),
            ("요금이 왜 나왔나요?\n고맙습니다 - 김민지", "김민지"),
            ("요금이 왜 나왔나요?\n감사합니다.\n김민지", "김민지"),
            ("Why?\nThanks - Jean-Luc Picard 드림", "Jean-Luc Picard"),
        ] {
            assert_eq!(from_body(body).as_deref(), Some(name), "{body:?}");
        }
    }

    #[test]
    fn an_ordinary_sentence_after_a_closing_is_not_a_name() {
        for body in [
            "Thanks, I look forward to your answer",
            "Thanks, I appreciate it.",
            "Thanks for your help, Minji",
            "Thanks, have a nice day",
            "Thanks - looking forward to hearing from you",
            "Best, AWS Support",
            "Thanks again, everyone!",
            "Thanks, Happy Holidays",
            "감사합니다, 좋은 하루 보내세요",
            "감사합니다, 수고하세요",
            "감사합니다. 안녕히",
            "감사합니다.\n추가로 질문이 있습니다",
        ] {
            assert_eq!(from_body(body), None, "{body:?}");
        }
    }

    /// Every closing, separator and name combine into a sign-off the parser reads;
    /// the same closings before sentences never yield a name.
    #[test]
    fn closings_separators_and_names_combine() {
        let names = ["Minji", "Maria Fernandes", "Jane O'Neil", "민지", "김민지"];
        let sentences = [
            "I look forward to your answer",
            "please let me know",
            "hope to hear from you soon",
            "we are waiting",
            "잘 부탁드립니다",
            "빠른 답변 부탁드립니다",
        ];
        let closings = SIGN_OFFS.iter().chain(&KOREAN_SIGN_OFFS);
        for closing in closings {
            let shown = capitalise(closing);
            for separator in [", ", " - ", " – ", " — ", ". "] {
                for name in names {
                    for ending in ["", ".", "!"] {
                        let body =
                            format!("Why was I billed?\n\n{shown}{separator}{name}{ending}\n");
                        assert_eq!(from_body(&body).as_deref(), Some(name), "{body:?}");
                    }
                    let own_line = format!("Why?\n{shown},\n{name}\n");
                    assert_eq!(from_body(&own_line).as_deref(), Some(name), "{own_line:?}");
                }
                for sentence in sentences {
                    let body = format!("Why was I billed?\n\n{shown}{separator}{sentence}.\n");
                    assert_eq!(from_body(&body), None, "{body:?}");
                }
            }
        }
    }

    fn capitalise(s: &str) -> String {
        let mut chars = s.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}
