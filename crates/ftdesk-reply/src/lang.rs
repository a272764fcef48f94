//! Which language the customer wrote in: the share of Hangul among the letters.

use ftdesk_render::Lang;

/// Share of Hangul letters from which a message counts as Korean. Korean
/// messages quote English usage types and service names, so the bar is low.
const KOREAN_SHARE: f64 = 0.3;

/// Hangul letters ÷ all letters (Hangul and Latin), in `[0, 1]`; 0 without letters.
pub fn hangul_share(text: &str) -> f64 {
    let (mut hangul, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if is_hangul(c) {
            hangul += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    let letters = hangul + latin;
    if letters == 0 {
        return 0.0;
    }
    hangul as f64 / letters as f64
}

fn is_hangul(c: char) -> bool {
    matches!(c, '가'..='힣' | 'ᄀ'..='ᇿ' | 'ㄱ'..='ㆎ')
}

/// Korean when enough of the letters are Hangul, English otherwise.
pub fn detect(text: &str) -> Lang {
    if hangul_share(text) >= KOREAN_SHARE {
        Lang::Ko
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_korean_and_mixed() {
        assert_eq!(detect("Why was I charged $19.63 in November?"), Lang::En);
        assert_eq!(detect("11월에 요금이 왜 나왔나요?"), Lang::Ko);
        assert_eq!(
            detect("APN2-NatGateway-Hours 항목으로 $12.74가 청구되었는데 이유를 알고 싶습니다."),
            Lang::Ko
        );
        assert_eq!(
            detect("Hello, my bill shows 요금 for EC2 instances in Seoul."),
            Lang::En
        );
        assert_eq!(detect("$19.63"), Lang::En);
        assert_eq!(hangul_share(""), 0.0);
    }
}
