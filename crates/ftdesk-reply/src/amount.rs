//! Money amounts as customers write them: `$23.41`, `23.41 USD`, `USD 23.41`,
//! `23.41달러`, `23,41 €`, `25,000원`, `₩25,000`.

use rust_decimal::Decimal;

/// An amount the customer quotes, with its currency code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    pub amount: Decimal,
    pub currency: String,
    /// The amount as the customer wrote it.
    pub text: String,
}

const PREFIXES: [(&str, &str); 6] = [
    ("US$", "USD"),
    ("USD", "USD"),
    ("$", "USD"),
    ("₩", "KRW"),
    ("KRW", "KRW"),
    ("€", "EUR"),
];

const SUFFIXES: [(&str, &str); 8] = [
    ("USD", "USD"),
    ("달러", "USD"),
    ("불", "USD"),
    ("dollars", "USD"),
    ("KRW", "KRW"),
    ("원", "KRW"),
    ("EUR", "EUR"),
    ("€", "EUR"),
];

/// Every amount with a currency in `text`, in order.
pub fn find_all(text: &str) -> Vec<Quoted> {
    let mut found = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let (number_text, len) = number_at(&rest[start..]);
        let raw_before = &text[..offset + start];
        let before = raw_before.trim_end();
        let after = rest[start + len..].trim_start();
        let is_word_start = !raw_before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
            || PREFIXES.iter().any(|(p, _)| raw_before.ends_with(p));
        if is_word_start {
            if let Some(q) = quoted(before, &number_text, after) {
                found.push(q);
            }
        }
        offset += start + len.max(1);
        rest = &text[offset..];
    }
    found
}

/// The amount the customer is most likely asking about: the largest non-zero one.
pub fn find_main(text: &str) -> Option<Quoted> {
    find_all(text)
        .into_iter()
        .filter(|q| !q.amount.is_zero())
        .max_by(|a, b| a.amount.cmp(&b.amount))
}

fn quoted(before: &str, number_text: &str, after: &str) -> Option<Quoted> {
    let currency = PREFIXES
        .iter()
        .find(|(p, _)| before.ends_with(p))
        .or_else(|| SUFFIXES.iter().find(|(s, _)| after.starts_with(s)))
        .map(|(_, code)| (*code).to_owned())?;
    let amount = parse_number(number_text)?;
    Some(Quoted {
        amount,
        currency,
        text: number_text.to_owned(),
    })
}

/// The longest run of digits, `,` and `.` at the start of `s` (without a trailing separator).
fn number_at(s: &str) -> (String, usize) {
    let run: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    let trimmed = run.trim_end_matches([',', '.']);
    (trimmed.to_owned(), trimmed.len())
}

/// `1,234.56`, `1.234,56`, `23,41`, `25,000` → a decimal. A single separator
/// followed by exactly three digits groups thousands; otherwise the last
/// separator is the decimal point.
pub fn parse_number(text: &str) -> Option<Decimal> {
    let last_sep = text.rfind([',', '.']);
    let normalized = match last_sep {
        None => text.to_owned(),
        Some(i) => {
            let (int, frac) = (&text[..i], &text[i + 1..]);
            let single = !int.contains([',', '.']);
            if frac.len() == 3 && (single || text[i..i + 1] == *separator_of(int)) {
                text.replace([',', '.'], "")
            } else {
                format!("{}.{}", int.replace([',', '.'], ""), frac)
            }
        }
    };
    normalized.parse().ok()
}

fn separator_of(int: &str) -> &str {
    match int.find([',', '.']) {
        Some(i) => &int[i..i + 1],
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn main_of(text: &str) -> (Decimal, String) {
        let q = find_main(text).expect("an amount");
        (q.amount, q.currency)
    }

    #[test]
    fn english_forms() {
        assert_eq!(
            main_of("I was charged $23.41 last month"),
            (dec("23.41"), "USD".into())
        );
        assert_eq!(main_of("a bill of 23.41 USD"), (dec("23.41"), "USD".into()));
        assert_eq!(main_of("USD 1,234.50 due"), (dec("1234.50"), "USD".into()));
        assert_eq!(
            main_of("expected $0 but got $19.63, of which $12.74 NAT"),
            (dec("19.63"), "USD".into())
        );
        assert_eq!(main_of("€ 23,41 or 23,41 €"), (dec("23.41"), "EUR".into()));
    }

    #[test]
    fn korean_forms() {
        assert_eq!(
            main_of("23.41달러가 청구되었습니다"),
            (dec("23.41"), "USD".into())
        );
        assert_eq!(
            main_of("23,41달러가 나왔어요"),
            (dec("23.41"), "USD".into())
        );
        assert_eq!(
            main_of("카드에서 25,000원이 빠져나갔습니다"),
            (dec("25000"), "KRW".into())
        );
        assert_eq!(main_of("₩25,000"), (dec("25000"), "KRW".into()));
    }

    #[test]
    fn numbers_without_currency_are_not_amounts() {
        assert!(find_main("t2.micro 750 hours in 2025-11, instance i-0a1b2c3d4e5f60001").is_none());
        assert!(find_main("11월 청구서").is_none());
        assert!(find_main("").is_none());
    }

    #[test]
    fn separators() {
        assert_eq!(parse_number("1,234.56"), Some(dec("1234.56")));
        assert_eq!(parse_number("1.234,56"), Some(dec("1234.56")));
        assert_eq!(parse_number("1.234.567"), Some(dec("1234567")));
        assert_eq!(parse_number("23,41"), Some(dec("23.41")));
        assert_eq!(parse_number("8"), Some(dec("8")));
    }
}
