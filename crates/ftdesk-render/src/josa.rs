//! Korean particles (josa) that change with the final sound of the word before them.
//!
//! `을/를`, `이/가`, `은/는`, `과/와` pick the first form after a final consonant
//! (batchim); `으로/로` also takes `로` after a final ㄹ. The final sound is read
//! the way a Korean reader says the word: digits as Sino-Korean numbers
//! (`1` 일, `10` 십, `100` 백), Latin letters by their names (`L` 엘, `B` 비),
//! money in dollars as 달러 and in won as 원.
//!
//! ```
//! use ftdesk_render::josa::attach;
//! assert_eq!(attach("3", "을"), "3을");
//! assert_eq!(attach("2", "을"), "2를");
//! assert_eq!(attach("서울", "으로"), "서울로");
//! ```

/// A particle pair: the form after a final consonant, the form after a vowel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Particle {
    EulReul,
    IGa,
    EunNeun,
    GwaWa,
    EuroRo,
}

impl Particle {
    /// Reads a particle written as either form, or as `을/를` style pairs.
    pub fn parse(text: &str) -> Option<Particle> {
        let first = text.split('/').next().unwrap_or(text).trim();
        match first {
            "을" | "를" => Some(Particle::EulReul),
            "이" | "가" => Some(Particle::IGa),
            "은" | "는" => Some(Particle::EunNeun),
            "과" | "와" => Some(Particle::GwaWa),
            "으로" | "로" => Some(Particle::EuroRo),
            _ => None,
        }
    }

    fn forms(self) -> (&'static str, &'static str) {
        match self {
            Particle::EulReul => ("을", "를"),
            Particle::IGa => ("이", "가"),
            Particle::EunNeun => ("은", "는"),
            Particle::GwaWa => ("과", "와"),
            Particle::EuroRo => ("으로", "로"),
        }
    }

    /// The form that follows a word ending in `sound`.
    pub fn after(self, sound: FinalSound) -> &'static str {
        let (consonant, vowel) = self.forms();
        match (self, sound) {
            (Particle::EuroRo, FinalSound::Rieul) => vowel,
            (_, FinalSound::Vowel) => vowel,
            _ => consonant,
        }
    }
}

/// How a word ends when read aloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalSound {
    Vowel,
    /// A final ㄹ.
    Rieul,
    /// Any other final consonant.
    Consonant,
}

/// `word` followed by the right form of `particle` (`을`, `를`, `을/를`, ...).
/// An unknown particle is appended as written.
pub fn attach(word: &str, particle: &str) -> String {
    match Particle::parse(particle) {
        Some(p) => format!("{word}{}", p.after(final_sound(word))),
        None => format!("{word}{particle}"),
    }
}

/// The final sound of `word`, ignoring closing punctuation and spaces.
pub fn final_sound(word: &str) -> FinalSound {
    let trimmed = word.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ')' | ']' | '"' | '\'' | '”' | '’' | '.' | ',')
    });
    if is_dollar_amount(trimmed) {
        return FinalSound::Vowel; // 달러
    }
    let Some(last) = trimmed.chars().last() else {
        return FinalSound::Vowel;
    };
    match last {
        '가'..='힣' => syllable_sound(last),
        '0'..='9' => number_sound(trimmed),
        'a'..='z' | 'A'..='Z' => latin_sound(trimmed),
        '%' => FinalSound::Vowel,     // 퍼센트
        '₩' => FinalSound::Consonant, // 원
        _ => FinalSound::Vowel,
    }
}

fn is_dollar_amount(word: &str) -> bool {
    let start = word
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or(word);
    start.starts_with('$') || start.starts_with("-$")
}

fn syllable_sound(c: char) -> FinalSound {
    const RIEUL: u32 = 8;
    match (c as u32 - 0xAC00) % 28 {
        0 => FinalSound::Vowel,
        RIEUL => FinalSound::Rieul,
        _ => FinalSound::Consonant,
    }
}

/// Sino-Korean reading of the number that ends `word`: `1,000` 천, `0.5` 오, `20` 십.
fn number_sound(word: &str) -> FinalSound {
    let digits: String = word
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .filter(|c| *c != ',')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let is_fraction = digits.contains('.');
    let last_part = digits.rsplit('.').next().unwrap_or(&digits);
    if is_fraction {
        // Decimals are read digit by digit: 0.25 영 점 이오.
        return digit_sound(last_part.chars().last().unwrap_or('0'));
    }
    let significant = last_part.trim_start_matches('0');
    if significant.is_empty() {
        return digit_sound('0');
    }
    let zeros = significant.len() - significant.trim_end_matches('0').len();
    if zeros == 0 {
        return digit_sound(significant.chars().last().unwrap_or('0'));
    }
    power_of_ten_sound(zeros)
}

fn digit_sound(digit: char) -> FinalSound {
    match digit {
        '1' | '7' | '8' => FinalSound::Rieul,     // 일 칠 팔
        '0' | '3' | '6' => FinalSound::Consonant, // 영 삼 육
        _ => FinalSound::Vowel,                   // 이 사 오 구
    }
}

/// 십 백 천 만 억 조 경: what a round number ending in `zeros` zeros ends with.
fn power_of_ten_sound(zeros: usize) -> FinalSound {
    match zeros % 4 {
        1..=3 => FinalSound::Consonant, // 십 백 천
        _ => match zeros {
            12 => FinalSound::Vowel,    // 조
            _ => FinalSound::Consonant, // 만 억 경
        },
    }
}

/// English words and abbreviations as Koreans say them.
fn latin_sound(word: &str) -> FinalSound {
    let letters: String = word
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let is_abbreviation = letters.len() <= 4 && letters.chars().all(|c| c.is_ascii_uppercase());
    if is_abbreviation || letters.len() == 1 {
        return letter_name_sound(letters.chars().last().unwrap_or('a'));
    }
    english_word_sound(&letters.to_ascii_lowercase())
}

fn letter_name_sound(letter: char) -> FinalSound {
    match letter.to_ascii_uppercase() {
        'L' | 'R' => FinalSound::Rieul,     // 엘 알
        'M' | 'N' => FinalSound::Consonant, // 엠 엔
        _ => FinalSound::Vowel,
    }
}

/// A rough reading of an English word's last sound: silent `e` dropped,
/// voiced and hard stops as final consonants, `l` as ㄹ.
fn english_word_sound(word: &str) -> FinalSound {
    let stem = word
        .strip_suffix('e')
        .filter(|s| s.len() > 1)
        .unwrap_or(word);
    if stem.ends_with("ng") || stem.ends_with('m') || stem.ends_with('n') {
        return FinalSound::Consonant;
    }
    if stem.ends_with('l') {
        return FinalSound::Rieul;
    }
    if stem.ends_with("ck") || stem.ends_with('k') || stem.ends_with('p') || stem.ends_with('t') {
        return FinalSound::Consonant;
    }
    FinalSound::Vowel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_batchim() {
        assert_eq!(attach("요금", "을"), "요금을");
        assert_eq!(attach("비용", "를"), "비용을");
        assert_eq!(attach("인스턴스", "을/를"), "인스턴스를");
        assert_eq!(attach("김민수", "이"), "김민수가");
        assert_eq!(attach("서울", "은"), "서울은");
        assert_eq!(attach("세금", "와"), "세금과");
        assert_eq!(attach("크레딧", "과"), "크레딧과");
        assert_eq!(attach("리전", "로"), "리전으로");
        assert_eq!(attach("서울", "으로"), "서울로");
        assert_eq!(attach("콘솔", "으로"), "콘솔로");
        assert_eq!(attach("보고서", "으로"), "보고서로");
    }

    #[test]
    fn digits_read_in_korean() {
        for (word, expected) in [
            ("1", "1을"),
            ("2", "2를"),
            ("3", "3을"),
            ("4", "4를"),
            ("5", "5를"),
            ("6", "6을"),
            ("7", "7을"),
            ("8", "8을"),
            ("9", "9를"),
            ("0", "0을"),
            ("10", "10을"),
            ("100", "100을"),
            ("1,000", "1,000을"),
            ("10000", "10000을"),
            ("1,488", "1,488을"),
            ("750", "750을"),
            ("0.5", "0.5를"),
            ("19.63", "19.63을"),
        ] {
            assert_eq!(attach(word, "을"), expected, "{word}");
        }
        assert_eq!(attach("1", "으로"), "1로");
        assert_eq!(attach("3", "으로"), "3으로");
        assert_eq!(attach("2", "으로"), "2로");
        assert_eq!(attach("12", "이"), "12가");
        assert_eq!(attach("11월", "은"), "11월은");
    }

    #[test]
    fn latin_letters_units_and_money() {
        assert_eq!(attach("EC2", "을"), "EC2를");
        assert_eq!(attach("GB", "이"), "GB가");
        assert_eq!(attach("URL", "으로"), "URL로");
        assert_eq!(attach("VM", "은"), "VM은");
        assert_eq!(attach("NAT", "을"), "NAT를");
        assert_eq!(attach("t2.micro", "을"), "t2.micro를");
        assert_eq!(attach("volume", "이"), "volume이");
        assert_eq!(attach("Budget", "을"), "Budget을");
        assert_eq!(attach("$19.63", "을"), "$19.63를");
        assert_eq!(attach("USD 19.63", "이"), "USD 19.63이");
        assert_eq!(attach("80%", "를"), "80%를");
        assert_eq!(attach("(UTC)", "를"), "(UTC)를");
        assert_eq!(attach("i-0a1b2c3d4e5f60001", "을"), "i-0a1b2c3d4e5f60001을");
    }

    #[test]
    fn unknown_particles_and_empty_words() {
        assert_eq!(attach("요금", "의"), "요금의");
        assert_eq!(attach("", "을"), "를");
        assert_eq!(Particle::parse("을/를"), Some(Particle::EulReul));
    }
}
