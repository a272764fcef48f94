//! What every reader shares: a format's fields, and the mapping of one row's
//! field texts to a [`LineItem`]. CSV and Parquet drivers fill the texts.

use ftdesk_core::{parse_decimal, LineItem, Timestamp};
use rust_decimal::Decimal;

use crate::columns::normalise;

/// One field a format reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldSpec {
    /// The column name as the format spells it.
    pub name: &'static str,
    /// For map columns (CUR 2.0 `product`): the key whose value is the field.
    pub map_key: Option<&'static str>,
    pub required: bool,
}

impl FieldSpec {
    pub const fn plain(name: &'static str, required: bool) -> Self {
        FieldSpec {
            name,
            map_key: None,
            required,
        }
    }

    /// The name as a message shows it: `product['region']` for map keys.
    pub fn label(&self) -> String {
        match self.map_key {
            Some(key) => format!("{}['{key}']", self.name),
            None => self.name.to_owned(),
        }
    }
}

/// Why one field of a row could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    NotANumber(String),
    Empty,
    NotADate(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldProblem {
    pub field: usize,
    pub problem: Problem,
}

/// Maps the texts of a format's fields (empty where absent) to line items.
pub(crate) trait RowMapper: Send {
    fn fields(&self) -> &[FieldSpec];

    /// The field's name as this file's style spells it, for messages.
    fn label(&self, field: usize) -> String {
        self.fields()[field].label()
    }

    /// The field holding the currency, named when the sink refuses a row.
    fn currency_field(&self) -> usize;

    /// The first required field the file lacks, as its label.
    fn missing(&self, present: &[bool]) -> Option<String> {
        (0..self.fields().len())
            .find(|&i| self.fields()[i].required && !present[i])
            .map(|i| self.label(i))
    }

    /// Per [`Handles::FIELDS`](ftdesk_core::Handles::FIELDS) field, the
    /// field slot a row's value usually comes from (a reader with
    /// dictionaries then tells the ledger where the string sits).
    fn handle_slots(&self) -> [Option<usize>; 6] {
        [None; 6]
    }

    /// Whether the field is read as a decimal (a reader may then parse a
    /// dictionary's string once for all its rows).
    fn is_number(&self, _field: usize) -> bool {
        false
    }

    /// `None` for a row that belongs to no AWS bill (another provider's row
    /// in a FOCUS file): the reader counts it as skipped.
    fn line_item<'r>(&mut self, text: &[&'r str]) -> Result<Option<LineItem<'r>>, FieldProblem>;

    /// The parse caches, for a reader that already knows a field's value.
    fn parsers(&mut self) -> &mut Parsers;
}

/// Where each field sits among a file's columns, matched by normalised name.
pub(crate) fn positions(fields: &[FieldSpec], names: &[&str]) -> Vec<Option<usize>> {
    let normalised: Vec<String> = names.iter().map(|n| normalise(n)).collect();
    fields
        .iter()
        .map(|spec| {
            let wanted = normalise(spec.name);
            normalised.iter().position(|n| *n == wanted)
        })
        .collect()
}

/// The last text parsed in one field, with its value. Rows of one hour come
/// together, rates repeat per SKU and the billing period on every row, so
/// most fields equal the previous row's and need no parsing.
#[derive(Debug)]
pub(crate) struct LastParsed<T> {
    text: String,
    value: Option<T>,
}

impl<T> Default for LastParsed<T> {
    fn default() -> Self {
        LastParsed {
            text: String::new(),
            value: None,
        }
    }
}

impl<T: Copy> LastParsed<T> {
    pub fn get_or_parse<E>(
        &mut self,
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, E> {
        if let Some(value) = self.value {
            if self.text == text {
                return Ok(value);
            }
        }
        let value = parse(text)?;
        self.text.clear();
        self.text.push_str(text);
        self.value = Some(value);
        Ok(value)
    }
}

/// A field's value that a reader of typed columns already holds for the
/// current row, so the mapper needs no text for it. The reader then gives
/// the mapper [`KNOWN_TEXT`] as the field's text (not empty: a null is still
/// the empty text, and the mapper's emptiness tests stay the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known {
    /// Nothing known: the field's text is parsed.
    Text,
    /// The decimal the field's text would read as.
    Decimal(Decimal),
    /// The time the field's text would read as.
    Time(Timestamp),
}

/// The text a reader gives for a field whose value is [`Known`].
pub(crate) const KNOWN_TEXT: &str = "#";

/// Parse caches for every field of a format.
#[derive(Debug)]
pub(crate) struct Parsers {
    timestamps: Vec<LastParsed<Timestamp>>,
    decimals: Vec<LastParsed<Option<Decimal>>>,
    /// Per field, what the reader knows of the current row's value; it
    /// stays until the reader says otherwise.
    known: Vec<Known>,
}

impl Parsers {
    pub fn new(fields: usize) -> Self {
        Parsers {
            timestamps: (0..fields).map(|_| LastParsed::default()).collect(),
            decimals: (0..fields).map(|_| LastParsed::default()).collect(),
            known: vec![Known::Text; fields],
        }
    }

    pub fn decimal(&mut self, field: usize, text: &str) -> Result<Option<Decimal>, FieldProblem> {
        match self.known[field] {
            Known::Decimal(value) => Ok(Some(value)),
            // A time where a number belongs: the error (or value) its text gives.
            Known::Time(time) => self.parse_decimal(field, &time.to_string()),
            Known::Text => self.parse_decimal(field, text),
        }
    }

    fn parse_decimal(&mut self, field: usize, text: &str) -> Result<Option<Decimal>, FieldProblem> {
        self.decimals[field]
            .get_or_parse(text, parse_decimal)
            .map_err(|_| FieldProblem {
                field,
                problem: Problem::NotANumber(text.to_owned()),
            })
    }

    /// Records what the reader knows of `field`'s value in the current row
    /// (and the rows after it, until it says otherwise).
    pub fn set_known(&mut self, field: usize, known: Known) {
        self.known[field] = known;
    }

    pub fn required_decimal(&mut self, field: usize, text: &str) -> Result<Decimal, FieldProblem> {
        self.decimal(field, text)?.ok_or(FieldProblem {
            field,
            problem: Problem::Empty,
        })
    }

    pub fn timestamp(&mut self, field: usize, text: &str) -> Result<Timestamp, FieldProblem> {
        match self.known[field] {
            Known::Time(time) => Ok(time),
            // A number where a time belongs: the error its text gives.
            Known::Decimal(value) => self.parse_timestamp(field, &value.to_string()),
            Known::Text => self.parse_timestamp(field, text),
        }
    }

    fn parse_timestamp(&mut self, field: usize, text: &str) -> Result<Timestamp, FieldProblem> {
        self.timestamps[field]
            .get_or_parse(text, Timestamp::parse)
            .map_err(|_| FieldProblem {
                field,
                problem: Problem::NotADate(text.to_owned()),
            })
    }
}

/// Payer and usage account, each standing in for the other when empty.
pub(crate) fn accounts<'r>(payer: &'r str, usage: &'r str) -> (&'r str, &'r str) {
    match (payer, usage) {
        ("", usage) => (usage, usage),
        (payer, "") => (payer, payer),
        both => both,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A known value is the field's value whatever the text; a value of the
    /// other kind gives what its text would (the same error), and the text
    /// path comes back when the reader says nothing is known.
    #[test]
    fn known_values_stand_for_their_text() {
        let mut p = Parsers::new(2);
        let time = Timestamp::from_civil(2026, 10, 1, 5, 0, 0);
        let cost = Decimal::new(116, 4);
        p.set_known(0, Known::Decimal(cost));
        p.set_known(1, Known::Time(time));
        assert_eq!(p.decimal(0, KNOWN_TEXT), Ok(Some(cost)));
        assert_eq!(p.required_decimal(0, KNOWN_TEXT), Ok(cost));
        assert_eq!(p.timestamp(1, KNOWN_TEXT), Ok(time));
        let as_text = |field, text: &str| {
            let mut fresh = Parsers::new(2);
            (fresh.decimal(field, text), fresh.timestamp(field, text))
        };
        assert_eq!(
            (p.decimal(1, KNOWN_TEXT), p.timestamp(1, KNOWN_TEXT)),
            (as_text(1, "2026-10-01T05:00:00Z").0, Ok(time))
        );
        assert_eq!(
            p.timestamp(0, KNOWN_TEXT),
            as_text(0, "0.0116").1,
            "a number where a time belongs"
        );
        assert!(matches!(
            p.timestamp(0, KNOWN_TEXT),
            Err(FieldProblem { field: 0, problem: Problem::NotADate(t) }) if t == "0.0116"
        ));
        p.set_known(0, Known::Text);
        assert_eq!(p.decimal(0, "1.5"), Ok(Some(Decimal::new(15, 1))));
        assert_eq!(p.decimal(0, ""), Ok(None));
        assert!(
            p.decimal(0, KNOWN_TEXT).is_err(),
            "the placeholder is no number"
        );
    }
}
