//! The money figures a text states, to warn when an edited draft names one that
//! the report does not contain.

use std::collections::BTreeSet;

const PREFIXES: &[&str] = &["US$", "$", "₩", "€", "£"];
const SUFFIXES: &[&str] = &["USD", "KRW", "EUR", "달러", "원"];

/// Every money figure in `text` (a number with a currency sign before it or a
/// currency word after it), normalised: no grouping commas, no trailing zeros.
pub fn money_figures(text: &str) -> BTreeSet<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_ascii_digit() || (i > 0 && is_number_char(chars[i - 1].1)) {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i;
        while j < chars.len() && is_number_char(chars[j].1) {
            j += 1;
        }
        // A sentence's full stop or comma is not part of the number.
        while j > i && matches!(chars[j - 1].1, '.' | ',') {
            j -= 1;
        }
        let end = chars.get(j).map_or(text.len(), |c| c.0);
        let number = &text[start..end];
        let before = text[..start].trim_end_matches(' ');
        let after = text[end..].trim_start_matches(' ');
        let is_money = PREFIXES.iter().any(|p| before.ends_with(p))
            || SUFFIXES.iter().any(|s| after.starts_with(s));
        if is_money {
            found.insert(normalise(number));
        }
        i = j.max(i + 1);
    }
    found
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || c == ',' || c == '.'
}

fn normalise(number: &str) -> String {
    let plain: String = number.chars().filter(|c| *c != ',').collect();
    match plain.split_once('.') {
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                whole.to_owned()
            } else {
                format!("{whole}.{fraction}")
            }
        }
        None => plain,
    }
}

/// The figures of `draft` that are in none of the `sources`, in order.
pub fn unsupported(draft: &str, sources: &[&str]) -> Vec<String> {
    let known: BTreeSet<String> = sources.iter().flat_map(|s| money_figures(s)).collect();
    money_figures(draft)
        .into_iter()
        .filter(|f| !known.contains(f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_money_in_both_languages() {
        let found = money_figures("Net due: $19.63, of which $1,234.50 and 8,560원. 2 instances.");
        let expected: BTreeSet<String> = ["19.63", "1234.5", "8560"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(found, expected);
        assert!(money_figures("750 hours in 2025").is_empty());
        assert!(money_figures("19.63 USD").contains("19.63"));
    }

    #[test]
    fn an_invented_figure_is_reported() {
        let report = "Net due: $19.63. NAT gateway $12.74.";
        assert!(unsupported("You owe $19.63 for the NAT ($12.74).", &[report]).is_empty());
        assert_eq!(
            unsupported("We refund $25.00 of the $19.63.", &[report]),
            ["25"]
        );
    }
}
