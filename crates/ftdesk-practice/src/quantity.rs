//! Usage quantities (hours, gigabytes, requests): the ones a case's
//! accounting holds, and the ones an answer states.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The kinds of quantity an answer is checked for; other units are not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Hours,
    Gigabytes,
    Requests,
}

impl Unit {
    /// The kind of an AWS pricing unit (`Hrs`, `GB-Mo`, `Requests`, …).
    pub fn of_aws(unit: &str) -> Option<Unit> {
        match unit {
            "Hrs" | "Hours" => Some(Unit::Hours),
            "GB" | "GB-Mo" => Some(Unit::Gigabytes),
            "Requests" => Some(Unit::Requests),
            _ => None,
        }
    }

    pub const ALL: [Unit; 3] = [Unit::Hours, Unit::Gigabytes, Unit::Requests];

    /// The AWS pricing unit the report's unit messages know it by.
    pub fn aws(self) -> &'static str {
        match self {
            Unit::Hours => "Hrs",
            Unit::Gigabytes => "GB",
            Unit::Requests => "Requests",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Unit::Hours => "hours",
            Unit::Gigabytes => "gigabytes",
            Unit::Requests => "requests",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quantity {
    pub unit: Unit,
    pub value: Decimal,
}

/// The words that name each unit after a number, in one language.
#[derive(Debug, Clone, Default)]
pub struct UnitWords {
    pub words: Vec<(Unit, String)>,
}

impl UnitWords {
    /// The unit whose word starts `rest` (longest word first), if any.
    fn unit_at(&self, rest: &str) -> Option<Unit> {
        let lower = rest.to_lowercase();
        self.words
            .iter()
            .filter(|(_, word)| lower.starts_with(word.as_str()))
            .filter(|(_, word)| ends_at_boundary(&lower, word))
            .max_by_key(|(_, word)| word.len())
            .map(|(unit, _)| *unit)
    }
}

/// An ASCII word must not run on into more letters (`h` is not `hello`);
/// Korean units take particles straight after them (`750시간을`).
fn ends_at_boundary(text: &str, word: &str) -> bool {
    let last_is_ascii = word.chars().last().is_some_and(|c| c.is_ascii_alphabetic());
    let next = text[word.len()..].chars().next();
    !(last_is_ascii && next.is_some_and(|c| c.is_ascii_alphabetic()))
}

/// The quantities a sentence states: a number, then (after spaces or one
/// hyphen, as in `750-hour`) a unit word. Money (`$8.56`) and numbers inside
/// names (`t2`, `i-0a1b`) are not quantities.
pub fn stated_quantities(sentence: &str, units: &UnitWords) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut rest = sentence;
    let mut previous: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit()
            && previous.is_none_or(|p| !p.is_alphanumeric() && !"$.,-".contains(p))
        {
            let length = rest
                .find(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == ','))
                .unwrap_or(rest.len());
            let number = rest[..length].trim_end_matches(['.', ',']);
            let after = &rest[number.len()..];
            if let (Some(unit), Ok(value)) = (
                units.unit_at(after.trim_start().trim_start_matches('-')),
                number.replace(',', "").parse::<Decimal>(),
            ) {
                out.push(Quantity { unit, value });
            }
            previous = number.chars().last();
            rest = after;
            continue;
        }
        previous = Some(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether `stated` is one of `known`, as written: rounded or cut to the
/// decimals the answer gives (`1,488 hours` for 1,487.6 is right).
pub fn matches_known(stated: Quantity, known: &[Quantity]) -> bool {
    let places = stated.value.scale();
    known.iter().filter(|k| k.unit == stated.unit).any(|k| {
        let shown = |strategy| k.value.round_dp_with_strategy(places, strategy);
        shown(RoundingStrategy::MidpointAwayFromZero) == stated.value
            || shown(RoundingStrategy::ToZero) == stated.value
    })
}

/// The known quantity of the same unit nearest to `stated`.
pub fn nearest(stated: Quantity, known: &[Quantity]) -> Option<Quantity> {
    known
        .iter()
        .filter(|k| k.unit == stated.unit)
        .min_by_key(|k| (k.value - stated.value).abs())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn english() -> UnitWords {
        UnitWords {
            words: [
                (Unit::Hours, "hours"),
                (Unit::Hours, "hour"),
                (Unit::Hours, "h"),
                (Unit::Gigabytes, "gb"),
                (Unit::Requests, "put requests"),
                (Unit::Requests, "requests"),
                (Unit::Hours, "시간"),
            ]
            .into_iter()
            .map(|(u, w)| (u, w.to_owned()))
            .collect(),
        }
    }

    fn q(unit: Unit, value: &str) -> Quantity {
        Quantity {
            unit,
            value: d(value),
        }
    }

    #[test]
    fn numbers_with_their_units() {
        assert_eq!(
            stated_quantities(
                "Both ran 1,488 hours against the 750-hour limit and stored 30.5 GB.",
                &english()
            ),
            [
                q(Unit::Hours, "1488"),
                q(Unit::Hours, "750"),
                q(Unit::Gigabytes, "30.5")
            ]
        );
        assert_eq!(
            stated_quantities("2,000 PUT requests, 1,488시간을 썼습니다.", &english()),
            [q(Unit::Requests, "2000"), q(Unit::Hours, "1488")]
        );
    }

    #[test]
    fn money_names_and_other_words_are_not_quantities() {
        let none = stated_quantities(
            "A t2 instance i-0a1b cost $8.56 for 2 hosts, 3 hellos, on 2025-09-30.",
            &english(),
        );
        assert_eq!(none, []);
    }

    #[test]
    fn a_stated_figure_may_round_or_cut_the_accounting() {
        let known = [q(Unit::Hours, "1487.6"), q(Unit::Gigabytes, "30")];
        assert!(matches_known(q(Unit::Hours, "1488"), &known));
        assert!(matches_known(q(Unit::Hours, "1487"), &known));
        assert!(matches_known(q(Unit::Hours, "1487.6"), &known));
        assert!(!matches_known(q(Unit::Hours, "1500"), &known));
        assert!(!matches_known(q(Unit::Gigabytes, "1488"), &known));
        assert_eq!(
            nearest(q(Unit::Hours, "1500"), &known),
            Some(q(Unit::Hours, "1487.6"))
        );
    }
}
