//! What every section of a reply shares: the [`Ctx`] it is written from and
//! the small phrasings (period, list, charge) that compose, causes, notes and
//! quote all use.

use ftdesk_core::report::{Charge, Report};
use ftdesk_core::Cause;
use ftdesk_render::{dates, format, Localizer};
use rust_decimal::Decimal;

use crate::inquiry::Inquiry;
use crate::templates::Templates;

/// Charges smaller than this are summed into one sentence (as in the report).
const SMALL_CHARGE: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

/// What every section needs.
pub(crate) struct Ctx<'a> {
    pub report: &'a Report,
    pub inquiry: &'a Inquiry,
    pub t: &'a Templates,
    pub loc: Localizer,
}

impl Ctx<'_> {
    pub fn money(&self, d: Decimal) -> String {
        format::money(d, &self.report.currency)
    }

    pub fn month(&self) -> String {
        dates::month(self.report.month, self.t.lang())
    }

    pub fn when(&self, t: ftdesk_core::Timestamp) -> String {
        dates::moment(t, self.t.lang(), self.report.hourly)
    }

    /// Charges worth their own paragraph, without tax (the finding names it).
    pub fn major_charges(&self) -> impl Iterator<Item = &Charge> {
        self.report
            .charges
            .iter()
            .filter(|c| c.cause != Cause::Tax && c.cost.abs() >= SMALL_CHARGE)
    }

    pub fn minor_charges(&self) -> Vec<&Charge> {
        self.report
            .charges
            .iter()
            .filter(|c| c.cause != Cause::Tax && c.cost.abs() < SMALL_CHARGE)
            .collect()
    }

    pub fn has_charges(&self) -> bool {
        self.report.totals.gross > Decimal::ZERO
    }
}

pub(crate) fn period(ctx: &Ctx<'_>) -> String {
    if ctx.report.month_complete {
        ctx.t.get("period-complete", &[("month", &ctx.month())])
    } else {
        ctx.t.get(
            "period-open",
            &[
                ("month", &ctx.month()),
                ("as_of", &ctx.when(ctx.report.as_of)),
            ],
        )
    }
}

pub(crate) fn cause_key(cause: Cause) -> &'static str {
    match cause {
        Cause::Tax => "other",
        other => other.as_str(),
    }
}

/// An amount as the reply shows it: to the cent, half away from zero (as [`format::money`]).
pub(crate) fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Joins phrases the way the language lists them.
pub(crate) fn list(t: &Templates, parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => t.get("list-two", &[("first", first), ("second", second)]),
        [head @ .., last] => t.get("list-more", &[("head", &head.join(", ")), ("last", last)]),
    }
}

pub(crate) fn what(ctx: &Ctx<'_>, charge: &Charge) -> String {
    let usage_type = if charge.usage_type.is_empty() {
        &charge.product_code
    } else {
        &charge.usage_type
    };
    let region = if charge.region.is_empty() {
        "global"
    } else {
        &charge.region
    };
    if charge.resource_id.is_empty() {
        ctx.t.get(
            "cause-what-no-resource",
            &[("usage_type", usage_type), ("region", region)],
        )
    } else {
        ctx.t.get(
            "cause-what",
            &[
                ("usage_type", usage_type),
                ("resource", &charge.resource_id),
                ("region", region),
            ],
        )
    }
}
