//! The customer's name from the message text, when the headers do not give it.

const SIGN_OFFS: [&str; 9] = [
    "thanks",
    "thank you",
    "regards",
    "best",
    "best regards",
    "kind regards",
    "cheers",
    "sincerely",
    "many thanks",
];

const KOREAN_SIGNATURES: [&str; 3] = ["드림", "올림", "배상"];

/// The name in a sign-off (`Thanks,\nJane Doe`, `김민수 드림`) or an
/// introduction (`My name is Jane Doe.`, `저는 김민수입니다.`).
pub fn from_body(body: &str) -> Option<String> {
    korean_signature(body)
        .or_else(|| english_sign_off(body))
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

fn korean_signature(body: &str) -> Option<String> {
    body.lines().rev().find_map(|line| {
        let line = line.trim();
        KOREAN_SIGNATURES
            .iter()
            .find_map(|s| line.strip_suffix(s))
            .and_then(plausible)
    })
}

fn english_sign_off(body: &str) -> Option<String> {
    let lines: Vec<&str> = body.lines().map(str::trim).collect();
    let closing = lines.iter().rposition(|line| {
        let lower = line.trim_end_matches([',', '.', '!']).to_lowercase();
        SIGN_OFFS.contains(&lower.as_str())
    })?;
    lines[closing + 1..]
        .iter()
        .find(|l| !l.is_empty())
        .and_then(|l| plausible(l))
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
}
