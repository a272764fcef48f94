//! Reports with many charges, for people: the largest charges, then the
//! charges summed by account, usage type and cause. The JSON, and the human
//! layouts with `--all`, list every charge.

use std::collections::HashMap;
use std::hash::Hash;

use ftdesk_core::report::{Charge, Report};
use ftdesk_core::Cause;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::l10n::{Arg, Localizer};
use crate::{explain, format};

/// Over this many charges, the human layouts show the largest and roll-ups.
pub const MANY_CHARGES: usize = 200;
/// How many of the largest charges they show then.
pub const TOP_CHARGES: usize = 20;
/// Lines of a roll-up before the rest is summed into one.
const ROLLUP_LINES: usize = 10;

/// The charges summed by one key, largest first.
#[derive(Serialize)]
pub struct Rollup {
    pub heading: String,
    pub lines: Vec<RollupLine>,
    /// The groups beyond [`ROLLUP_LINES`], counted and summed in one line.
    pub more: Option<String>,
}

#[derive(Serialize)]
pub struct RollupLine {
    pub label: String,
    pub cost: String,
    /// "12 charges".
    pub count: String,
}

/// Whether the human layouts show only the largest charges and roll-ups.
pub fn condensed(report: &Report, all: bool) -> bool {
    !all && report.charges.len() > MANY_CHARGES
}

/// The [`TOP_CHARGES`] largest charges, largest first; equal ones in report order.
pub fn largest(charges: &[Charge]) -> Vec<&Charge> {
    let mut sorted: Vec<&Charge> = charges.iter().collect();
    sorted.sort_by_key(|c| std::cmp::Reverse(c.cost));
    sorted.truncate(TOP_CHARGES);
    sorted
}

/// "The 20 largest of 1,234 charges ($812.40 of $1,020.11):".
pub fn intro(loc: &Localizer, report: &Report, shown: &[&Charge]) -> String {
    let money = |d: Decimal| format::money(d, &report.currency);
    let shown_cost: Decimal = shown.iter().map(|c| c.cost).sum();
    let total: Decimal = report.charges.iter().map(|c| c.cost).sum();
    loc.get(
        "charges-largest",
        &[
            ("shown", Arg::Num(shown.len() as f64)),
            ("count", (&count_number(report.charges.len())).into()),
            ("cost", (&money(shown_cost)).into()),
            ("total", (&money(total)).into()),
        ],
    )
}

/// The line that says how to see every charge.
pub fn hint(loc: &Localizer) -> String {
    loc.text("charges-all-hint")
}

/// By account (when there are several), by usage type, by cause.
pub fn rollups(loc: &Localizer, report: &Report) -> Vec<Rollup> {
    let cur = report.currency.as_str();
    let mut out = Vec::new();
    if report.accounts.len() > 1 {
        let by = sums(&report.charges, |c| c.usage_account.as_str());
        out.push(rollup(loc, "heading-by-account", by, cur, |a| {
            (*a).to_owned()
        }));
    }
    let by = sums(&report.charges, usage_type_key);
    out.push(rollup(loc, "heading-by-usage-type", by, cur, |k| {
        if k.is_empty() {
            loc.text("charge-no-usage-type")
        } else {
            (*k).to_owned()
        }
    }));
    let by = sums(&report.charges, |c| c.cause);
    out.push(rollup(loc, "heading-by-cause", by, cur, |c: &Cause| {
        explain::cause(loc, *c)
    }));
    out
}

/// The usage type, else the product code, else empty (tax, fees).
fn usage_type_key(c: &Charge) -> &str {
    if c.usage_type.is_empty() {
        &c.product_code
    } else {
        &c.usage_type
    }
}

/// Each key's cost and number of charges, largest cost first; equal ones
/// in the order the keys first appear.
fn sums<'a, K: Hash + Eq + Copy>(
    charges: &'a [Charge],
    key: impl Fn(&'a Charge) -> K,
) -> Vec<(K, Decimal, usize)> {
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut groups: Vec<(K, Decimal, usize)> = Vec::new();
    for c in charges {
        let k = key(c);
        match index.get(&k) {
            Some(&i) => {
                groups[i].1 += c.cost;
                groups[i].2 += 1;
            }
            None => {
                index.insert(k, groups.len());
                groups.push((k, c.cost, 1));
            }
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1));
    groups
}

fn rollup<K>(
    loc: &Localizer,
    heading: &str,
    mut groups: Vec<(K, Decimal, usize)>,
    currency: &str,
    label: impl Fn(&K) -> String,
) -> Rollup {
    let rest = groups.split_off(groups.len().min(ROLLUP_LINES));
    let more = (!rest.is_empty()).then(|| {
        let cost: Decimal = rest.iter().map(|g| g.1).sum();
        loc.get(
            "rollup-more",
            &[
                ("count", Arg::Num(rest.len() as f64)),
                ("cost", (&format::money(cost, currency)).into()),
            ],
        )
    });
    let lines = groups
        .iter()
        .map(|(k, cost, count)| RollupLine {
            label: label(k),
            cost: format::money(*cost, currency),
            count: loc.get(
                "rollup-count",
                &[
                    ("count", Arg::Num(*count as f64)),
                    ("n", (&count_number(*count)).into()),
                ],
            ),
        })
        .collect();
    Rollup {
        heading: loc.text(heading),
        lines,
        more,
    }
}

fn count_number(n: usize) -> String {
    format::number(Decimal::from(n), 0)
}
