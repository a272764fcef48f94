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
    /// Records that `text` reads as `value`, as a parse of it would.
    fn remember(&mut self, text: &str, value: T) {
        self.text.clear();
        self.text.push_str(text);
        self.value = Some(value);
    }

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

/// Parse caches for every field of a format.
#[derive(Debug)]
pub(crate) struct Parsers {
    timestamps: Vec<LastParsed<Timestamp>>,
    decimals: Vec<LastParsed<Option<Decimal>>>,
}

impl Parsers {
    pub fn new(fields: usize) -> Self {
        Parsers {
            timestamps: (0..fields).map(|_| LastParsed::default()).collect(),
            decimals: (0..fields).map(|_| LastParsed::default()).collect(),
        }
    }

    pub fn decimal(&mut self, field: usize, text: &str) -> Result<Option<Decimal>, FieldProblem> {
        self.decimals[field]
            .get_or_parse(text, parse_decimal)
            .map_err(|_| FieldProblem {
                field,
                problem: Problem::NotANumber(text.to_owned()),
            })
    }

    /// Records that `text` in `field` reads as `value` (a reader that has
    /// the number itself), so the row's parse of it is a comparison.
    pub fn known_decimal(&mut self, field: usize, text: &str, value: Decimal) {
        self.decimals[field].remember(text, Some(value));
    }

    pub fn required_decimal(&mut self, field: usize, text: &str) -> Result<Decimal, FieldProblem> {
        self.decimal(field, text)?.ok_or(FieldProblem {
            field,
            problem: Problem::Empty,
        })
    }

    pub fn timestamp(&mut self, field: usize, text: &str) -> Result<Timestamp, FieldProblem> {
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
