//! The amount the customer quotes, held against the report's totals.

use ftdesk_core::report::Report;
use rust_decimal::Decimal;

use crate::ctx::{cents, Ctx};

/// How the quoted amount relates to the bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteMatch {
    /// Equals the net due.
    Net,
    /// Equals the charges before tax and credits.
    Gross,
    /// Equals the charges with tax, before credits.
    GrossWithTax,
    /// In another currency than the bill.
    OtherCurrency,
    /// Above the month-to-date total of an open month.
    LaterInMonth,
    /// Matches nothing on the bill.
    Differs,
}

/// Compares `amount` in `currency` with the report's totals.
pub fn classify(report: &Report, amount: Decimal, currency: &str) -> QuoteMatch {
    let totals = &report.totals;
    let same = |d: Decimal| cents(d) == cents(amount);
    if !currency.eq_ignore_ascii_case(&report.currency) {
        QuoteMatch::OtherCurrency
    } else if same(totals.net) {
        QuoteMatch::Net
    } else if same(totals.gross) && !totals.credits.is_zero() {
        QuoteMatch::Gross
    } else if same(totals.gross + totals.tax) && !totals.credits.is_zero() {
        QuoteMatch::GrossWithTax
    } else if same(totals.gross) {
        QuoteMatch::Gross
    } else if !report.month_complete && amount > totals.net {
        QuoteMatch::LaterInMonth
    } else {
        QuoteMatch::Differs
    }
}

/// The sentence about the quoted amount, if the customer quoted one.
pub(crate) fn sentence(ctx: &Ctx<'_>) -> Option<String> {
    let amount = ctx.inquiry.amount?;
    if !ctx.report.charges_known {
        return None; // nothing to compare it with: the finding says so
    }
    let currency = ctx.inquiry.currency.as_deref().unwrap_or("USD");
    let report = ctx.report;
    let totals = &report.totals;
    let quoted = ftdesk_render::format::money(amount, currency);
    let net = ctx.money(totals.net);
    let gross = ctx.money(totals.gross);
    let t = ctx.t;
    Some(match classify(report, amount, currency) {
        QuoteMatch::Net => t.get("quote-matches", &[("quoted", &quoted)]),
        QuoteMatch::Gross => t.get("quote-is-gross", &[("quoted", &quoted), ("net", &net)]),
        QuoteMatch::GrossWithTax => t.get(
            "quote-is-gross-with-tax",
            &[("quoted", &quoted), ("gross", &gross)],
        ),
        QuoteMatch::OtherCurrency => t.get(
            "quote-other-currency",
            &[
                ("quoted", &quoted),
                ("bill_currency", &report.currency),
                ("net", &net),
            ],
        ),
        QuoteMatch::LaterInMonth => t.get(
            "quote-open-month",
            &[
                ("quoted", &quoted),
                ("month", &ctx.month()),
                ("net", &net),
                ("as_of", &ctx.when(report.as_of)),
            ],
        ),
        QuoteMatch::Differs => t.get(
            "quote-differs",
            &[
                ("quoted", &quoted),
                ("month", &ctx.month()),
                ("net", &net),
                ("gross", &gross),
                ("tax", &ctx.money(totals.tax)),
                ("credits", &ctx.money(-totals.credits)),
            ],
        ),
    })
}
