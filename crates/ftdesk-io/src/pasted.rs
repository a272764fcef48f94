//! Lines a customer copies from the console's Bills page into a message:
//! a description, a quantity with its unit and an amount, such as
//! `$0.0116 per On Demand Linux t2.micro Instance Hour  738.000 Hrs  $8.56`,
//! under service and region headings (`Elastic Compute Cloud`,
//! `Asia Pacific (Seoul)` or the Korean console's `아시아 태평양(서울)`).
//! Columns are separated by tabs, runs of two or more spaces, or ` / `.
//!
//! Each line is a month's total: [`aggregates`] makes it one month-long
//! aggregate with what the line states about its free part, for
//! `ftdesk_core::aggregate::split_stated`.

use std::path::Path;

use ftdesk_core::aggregate::{Aggregate, Stated};
use ftdesk_core::report::Unknown;
use ftdesk_core::{Catalog, LineItemType, Month};
use rust_decimal::Decimal;

use crate::error::ReadError;

/// One line of the Bills page, as quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedLine {
    /// 1-based line number in the text.
    pub line: usize,
    /// The product code of the service heading above it, if one was recognised.
    pub product_code: Option<String>,
    /// The region id of the region heading above it, if one was recognised.
    pub region: Option<String>,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub amount: Decimal,
}

/// The Bills-page lines in `text`; other lines (prose, headings, totals) are
/// passed over, headings noted for the lines below them.
pub fn parse(text: &str, catalog: &Catalog) -> Vec<PastedLine> {
    let mut product_code = None;
    let mut region = None;
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if let Some((description, quantity, unit, amount)) = bill_line(raw) {
            lines.push(PastedLine {
                line: i + 1,
                product_code: product_code.clone(),
                region: region.clone(),
                description: description.to_owned(),
                quantity,
                unit: unit.to_owned(),
                amount,
            });
            continue;
        }
        let heading = heading_text(raw);
        if let Some(r) = catalog.region_by_name(heading) {
            region = Some(r.id.clone());
        } else if let Some(code) = catalog.product_code_for_heading(heading) {
            product_code = Some(code.to_owned());
            region = None;
        }
    }
    lines
}

/// [`parse`], refusing a text with no Bills-page line: the error names the
/// file and its first line with text.
pub fn read(text: &str, path: &Path, catalog: &Catalog) -> Result<Vec<PastedLine>, ReadError> {
    let lines = parse(text, catalog);
    if lines.is_empty() {
        let (line, found) = text
            .lines()
            .enumerate()
            .find(|(_, l)| !l.trim().is_empty())
            .map_or((1, String::new()), |(i, l)| (i + 1, l.trim().to_owned()));
        return Err(ReadError::NoPastedLines {
            path: path.to_owned(),
            line,
            found,
        });
    }
    Ok(lines)
}

/// Each line as a month-long aggregate with what it states about its free
/// part and its description; a line whose usage type cannot be derived is
/// named in the unknowns.
pub fn aggregates(
    catalog: &Catalog,
    lines: &[PastedLine],
    month: Month,
) -> (Vec<(Aggregate, Stated, String)>, Vec<Unknown>) {
    let mut unknowns = vec![Unknown::Pasted { lines: lines.len() }];
    let aggregates = lines
        .iter()
        .map(|l| {
            let (usage_type, operation) = usage_of(catalog, l).unwrap_or_else(|| {
                unknowns.push(Unknown::PastedUsageType {
                    line: l.line,
                    description: l.description.clone(),
                });
                Default::default()
            });
            let aggregate = Aggregate {
                start: month.start(),
                end: month.end(),
                usage_account: String::new(),
                line_item_type: LineItemType::Usage,
                product_code: l.product_code.clone().unwrap_or_default(),
                usage_type,
                operation,
                quantity: l.quantity,
                cost: l.amount,
                currency: "USD".to_owned(),
            };
            (
                aggregate,
                stated(catalog, &l.description),
                l.description.clone(),
            )
        })
        .collect();
    (aggregates, unknowns)
}

/// Free tier when the description carries the marker, else the rate it
/// starts with (`$0.0116 per ...`).
pub fn stated(catalog: &Catalog, description: &str) -> Stated {
    if catalog.is_free_tier_description(description) {
        return Stated::Free;
    }
    description
        .strip_prefix('$')
        .and_then(|rest| rest.split_once(" per "))
        .and_then(|(rate, _)| number(rate))
        .map_or(Stated::Unsaid, Stated::BilledAt)
}

/// The usage type and operation: from a catalogue price with the same
/// description, else from an instance type and operating system
/// (`Linux t2.micro instance-hour`), prefixed with the region's code.
pub fn usage_of(catalog: &Catalog, line: &PastedLine) -> Option<(String, String)> {
    let region = line
        .region
        .clone()
        .or_else(|| region_named_in(catalog, &line.description))?;
    let (meter, operation) = catalogue_meter(catalog, &line.description, &region)
        .or_else(|| instance_meter(&line.description))?;
    let prefix = match region.as_str() {
        // us-east-1 usage types carry no prefix (`BoxUsage:t2.micro`).
        "us-east-1" => String::new(),
        id => format!("{}-", catalog.region_by_id(id)?.code),
    };
    Some((format!("{prefix}{meter}"), operation))
}

fn region_named_in(catalog: &Catalog, description: &str) -> Option<String> {
    catalog
        .regions
        .iter()
        .find(|r| description.contains(&r.name))
        .map(|r| r.id.clone())
}

fn after_per(description: &str) -> &str {
    description
        .split_once(" per ")
        .map_or(description, |(_, tail)| tail)
        .trim()
}

fn catalogue_meter(catalog: &Catalog, description: &str, region: &str) -> Option<(String, String)> {
    let tail = after_per(description);
    let same =
        |p: &&ftdesk_core::catalog::Price| after_per(&p.description).eq_ignore_ascii_case(tail);
    let prices = || catalog.prices.iter().filter(same);
    prices()
        .find(|p| p.region == region)
        .or_else(|| prices().next())
        .map(|p| {
            (
                p.usage_type.clone(),
                p.operation.clone().unwrap_or_default(),
            )
        })
}

/// `BoxUsage:<type>` with `RunInstances` (Linux) or `RunInstances:0002`
/// (Windows) for an EC2 instance-hour line.
fn instance_meter(description: &str) -> Option<(String, String)> {
    let lower = description.to_lowercase();
    if !lower.contains("instance") {
        return None;
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    let instance_type = words.iter().find(|w| is_instance_type(w))?;
    let operation = if words.contains(&"linux") {
        "RunInstances"
    } else if words.contains(&"windows") {
        "RunInstances:0002"
    } else {
        return None;
    };
    Some((format!("BoxUsage:{instance_type}"), operation.to_owned()))
}

/// `t2.micro`, `m5.large`; not RDS's `db.t3.micro`.
fn is_instance_type(word: &str) -> bool {
    let Some((family, size)) = word.split_once('.') else {
        return false;
    };
    family.starts_with(|c: char| c.is_ascii_lowercase())
        && family.chars().any(|c| c.is_ascii_digit())
        && family
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !size.is_empty()
        && size.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A word and where it starts in its line.
fn words(raw: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in raw.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((s, &raw[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &raw[s..]));
    }
    words
}

/// `description  quantity unit  $amount`, read from the right.
fn bill_line(raw: &str) -> Option<(&str, Decimal, &str, Decimal)> {
    let mut words = words(raw);
    let mut take = || loop {
        let word = words.pop()?;
        if word.1 != "/" {
            return Some(word);
        }
    };
    let amount = money(take()?.1)?;
    let unit_or_quantity = take()?;
    let (quantity_at, quantity, unit) = match number(unit_or_quantity.1) {
        Some(q) => (unit_or_quantity.0, q, ""),
        None => {
            let (at, word) = take()?;
            (at, number(word)?, unit_or_quantity.1)
        }
    };
    let before = &raw[..quantity_at];
    let description = before.trim_end().trim_end_matches('/').trim();
    let gap = &before[before.trim_end().trim_end_matches('/').trim_end().len()..];
    let separated = gap.contains('\t') || gap.contains("  ") || gap.contains('/');
    (separated && !description.is_empty() && money(description).is_none()).then_some((
        description,
        quantity,
        unit,
        amount,
    ))
}

/// A heading line without a subtotal column (`Elastic Compute Cloud  $8.56`).
fn heading_text(raw: &str) -> &str {
    let trimmed = raw.trim();
    match words(trimmed).last() {
        Some((at, word)) if money(word).is_some() => {
            trimmed[..*at].trim().trim_end_matches('/').trim()
        }
        _ => trimmed,
    }
}

/// `$1,234.56`, `-$0.12`, `$-0.12`.
fn money(word: &str) -> Option<Decimal> {
    let (negative, rest) = match word.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let value = number(rest.strip_prefix('$')?.trim_start_matches('-'))?;
    let negative = negative || rest.strip_prefix('$')?.starts_with('-');
    Some(if negative { -value } else { value })
}

/// `1,488.000`, `0.0116`: digits with thousands separators and one point.
fn number(word: &str) -> Option<Decimal> {
    let valid = word.starts_with(|c: char| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        && word.matches('.').count() <= 1
        && !word.ends_with(',');
    valid.then(|| word.replace(',', "").parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FREE: &str =
        "$0.00 per Linux t2.micro instance-hour (or partial hour) under monthly free tier";
    const BILLED: &str = "$0.0116 per On Demand Linux t2.micro Instance Hour";

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn us_east() -> String {
        format!(
            "Elastic Compute Cloud\t$8.56\nUS East (N. Virginia)\n{FREE}  750.000 Hrs  $0.00\n{BILLED}\t738.000 Hrs\t$8.56\n"
        )
    }

    #[test]
    fn reads_the_console_lines_under_their_headings() {
        let catalog = Catalog::embedded();
        let lines = parse(&us_east(), &catalog);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, 3);
        assert_eq!(lines[0].description, FREE);
        assert_eq!(lines[0].quantity, d("750"));
        assert_eq!(lines[1].amount, d("8.56"));
        assert_eq!(lines[1].unit, "Hrs");
        assert_eq!(lines[1].product_code.as_deref(), Some("AmazonEC2"));
        assert_eq!(lines[1].region.as_deref(), Some("us-east-1"));
        assert_eq!(stated(&catalog, FREE), Stated::Free);
        assert_eq!(stated(&catalog, BILLED), Stated::BilledAt(d("0.0116")));
        let usage = |l| usage_of(&catalog, l).unwrap();
        assert_eq!(
            usage(&lines[0]),
            ("BoxUsage:t2.micro".into(), "RunInstances".into())
        );
        assert_eq!(
            usage(&lines[1]),
            ("BoxUsage:t2.micro".into(), "RunInstances".into())
        );
    }

    #[test]
    fn a_korean_region_heading_gives_the_region_prefix() {
        let catalog = Catalog::embedded();
        let text = format!("아시아 태평양(서울)\n{BILLED} / 1,488.000 Hrs / $1,234.56");
        let lines = parse(&text, &catalog);
        assert_eq!(lines[0].quantity, d("1488"));
        assert_eq!(lines[0].amount, d("1234.56"));
        assert_eq!(
            usage_of(&catalog, &lines[0]).unwrap().0,
            "APN2-BoxUsage:t2.micro"
        );
    }

    #[test]
    fn without_a_region_or_a_known_description_no_usage_type_is_made_up() {
        let catalog = Catalog::embedded();
        let lines = parse(&format!("{BILLED}  738.000 Hrs  $8.56"), &catalog);
        assert_eq!(usage_of(&catalog, &lines[0]), None);
        let lines = parse(
            "US East (N. Virginia)\nSomething new  3 Units  $1.00",
            &catalog,
        );
        assert_eq!(usage_of(&catalog, &lines[0]), None);
        let (_, unknowns) = aggregates(&catalog, &lines, Month::new(2025, 10).unwrap());
        assert!(unknowns.contains(&Unknown::PastedUsageType {
            line: 2,
            description: "Something new".into()
        }));
    }

    #[test]
    fn prose_and_single_spaced_text_are_not_lines() {
        let catalog = Catalog::embedded();
        assert!(parse("My bill says I used 738 Hrs for $8.56, why?", &catalog).is_empty());
        assert!(parse("Total  $8.56", &catalog).is_empty());
        let err = read(
            "\n  Hello\nno figures here\n",
            Path::new("case.txt"),
            &catalog,
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("case.txt") && message.contains("line 2"),
            "{message}"
        );
    }

    fn separator() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\t".to_owned()),
            (2usize..6).prop_map(|n| " ".repeat(n)),
            Just(" / ".to_owned()),
            Just(" \t ".to_owned()),
        ]
    }

    fn grouped(n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    proptest! {
        #[test]
        fn any_spacing_and_grouping_gives_the_same_figures(
            hours in 0u64..10_000_000, milli in 0u64..1000, cents in 0u64..100_000_000,
            sep1 in separator(), sep2 in separator(), group in any::<bool>(), lead in "[ \t]{0,3}",
        ) {
            let catalog = Catalog::embedded();
            let whole = |n: u64| if group { grouped(n) } else { n.to_string() };
            let text = format!(
                "{lead}{BILLED}{sep1}{}.{milli:03} Hrs{sep2}${}.{:02}",
                whole(hours), whole(cents / 100), cents % 100
            );
            let lines = parse(&text, &catalog);
            prop_assert_eq!(lines.len(), 1);
            prop_assert_eq!(&lines[0].description, BILLED);
            prop_assert_eq!(lines[0].quantity, Decimal::from(hours * 1000 + milli) / Decimal::from(1000));
            prop_assert_eq!(lines[0].amount, Decimal::from(cents) / Decimal::from(100));
            prop_assert_eq!(&lines[0].unit, "Hrs");
        }
    }
}
