//! The report in the reader's language, ready for any layout.

use ftdesk_core::report::{Charge, OfferUsage, Report, Status};
use ftdesk_core::{Cause, DataSource};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::explain;
use crate::l10n::{Arg, Localizer};
use crate::rollup::{self, Rollup};
use crate::{dates, format};

/// Charges smaller than this are summed into one line in human layouts (the JSON lists them all).
const SMALL_CHARGE: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

pub struct View {
    pub title: String,
    pub period: String,
    pub accounts: Option<String>,
    pub rows: String,
    pub plan: String,
    /// Credits left and plan end, from the Free Tier API.
    pub plan_state: Option<String>,
    /// Where the Free Tier API figures came from.
    pub api_source: Option<String>,
    pub twelve_months: String,
    /// Every source the figures came from, named.
    pub sources: Option<String>,
    /// The label beside the bill's figures (totals, charges).
    pub bill_source: Option<String>,
    pub net: String,
    pub parts: String,
    pub free_value: Option<String>,
    /// The summary's line when nothing was charged; `None` when the data
    /// cannot tell (it holds usage only).
    pub summary_no_charges: Option<String>,
    /// The charges section's line when it lists none.
    pub no_charges: String,
    pub causes: Option<String>,
    pub offers: Vec<OfferView>,
    /// Offers used under 1% of their limit, in one line (all of them are in the JSON).
    pub minor_offers: Option<String>,
    pub charges: Vec<ChargeView>,
    pub small_charges: Option<String>,
    /// Over [`rollup::MANY_CHARGES`] charges without `--all`: the line above
    /// the largest charges, the roll-ups below them and how to see all.
    pub charges_intro: Option<String>,
    pub rollups: Vec<Rollup>,
    pub charges_hint: Option<String>,
    pub credits: Vec<(String, String)>,
    pub unknowns: Vec<String>,
    pub notes: Vec<String>,
    pub unmatched: Vec<String>,
    /// Day, then cost per cause (as numbers, for charts).
    pub daily: Vec<(u8, Vec<(Cause, f64)>)>,
}

pub struct OfferView {
    pub title: String,
    pub kind: String,
    pub used_of_limit: String,
    pub percent: String,
    pub percent_value: f64,
    pub forecast: String,
    pub forecast_percent: f64,
    pub status: Status,
    pub state: String,
    pub shared: Option<String>,
    /// The Free Tier API's figures, when it was asked.
    pub api: Option<String>,
    /// The label beside the usage figure: the bill's source, or the API's.
    pub source: String,
    pub action: Vec<String>,
}

pub struct ChargeView {
    pub cost: String,
    pub cause: Cause,
    pub cause_text: String,
    pub usage_type: String,
    pub resource: String,
    pub region: String,
    /// The usage account, shown when several accounts share the report.
    pub account: Option<String>,
    pub explanation: String,
    pub action: Vec<String>,
}

/// The view of a whole report: one field of [`View`] a line or two, each
/// made by its own function; as long as the struct has fields. `all`
/// lists every charge, however many and however small.
pub fn build(loc: &Localizer, report: &Report, all: bool) -> View {
    let lang = loc.lang();
    let cur = report.currency.as_str();
    let money = |d: Decimal| format::money(d, cur);
    let t = &report.totals;
    let bill_source = explain::bill_sources(loc, report);
    let condensed = rollup::condensed(report, all);
    let (big, small): (Vec<_>, Vec<_>) = if condensed {
        (rollup::largest(&report.charges), Vec::new())
    } else if all {
        (report.charges.iter().collect(), Vec::new())
    } else {
        report
            .charges
            .iter()
            .partition(|c| c.cost.abs() >= SMALL_CHARGE)
    };
    let charges_intro = condensed.then(|| rollup::intro(loc, report, &big));
    let (major, minor): (Vec<&OfferUsage>, Vec<&OfferUsage>) = report
        .offers
        .iter()
        .partition(|o| o.status != Status::Ok || o.percent >= Decimal::ONE || o.api.is_some());
    View {
        title: loc.get(
            "report-title",
            &[
                ("account", (&report.payer_account).into()),
                ("month", (&dates::month(report.month, lang)).into()),
            ],
        ),
        period: period(loc, report),
        accounts: (report.accounts.len() > 1).then(|| {
            loc.get(
                "report-accounts",
                &[("accounts", (&report.accounts.join(", ")).into())],
            )
        }),
        rows: rows_read(loc, report),
        plan: explain::plan(loc, report),
        plan_state: explain::plan_state(loc, report),
        api_source: report
            .api_source
            .as_ref()
            .map(|s| loc.get("api-source", &[("source", s.into())])),
        twelve_months: explain::twelve_months(loc, &report.twelve_months),
        sources: sources(loc, report),
        bill_source: bill_source.as_ref().map(|s| figure_source(loc, s)),
        net: net(loc, report),
        parts: parts(loc, report),
        summary_no_charges: report.charges_known.then(|| loc.text("summary-no-charges")),
        no_charges: if report.charges_known {
            loc.text("summary-no-charges")
        } else {
            loc.text("charges-not-in-data")
        },
        free_value: (t.free_tier_value > Decimal::ZERO).then(|| {
            loc.get(
                "summary-free-value",
                &[("value", (&money(t.free_tier_value)).into())],
            )
        }),
        causes: causes(loc, report),
        offers: major
            .into_iter()
            .map(|o| offer_view(loc, o, report.hourly, bill_source.as_deref()))
            .collect(),
        minor_offers: minor_offers(loc, &minor),
        charges: charge_views(loc, &big, cur, report.accounts.len() > 1),
        small_charges: small_charges(loc, &small, cur),
        charges_intro,
        rollups: if condensed {
            rollup::rollups(loc, report)
        } else {
            Vec::new()
        },
        charges_hint: condensed.then(|| rollup::hint(loc)),
        credits: credits(report),
        unknowns: report
            .unknowns
            .iter()
            .map(|u| explain::unknown(loc, u))
            .collect(),
        notes: report.notes.iter().map(|n| explain::note(loc, n)).collect(),
        unmatched: unmatched(loc, report),
        daily: daily(report),
    }
}

/// What was read: billing rows, or Cost Explorer's groups and periods.
fn rows_read(loc: &Localizer, report: &Report) -> String {
    match report.explorer_read() {
        Some(read) => loc.get(
            "rows-read-explorer",
            &[
                ("groups", Arg::Num(read.groups as f64)),
                ("periods", Arg::Num(read.periods as f64)),
            ],
        ),
        None => loc.get(
            "rows-read",
            &[(
                "rows",
                (&format::number(Decimal::from(report.rows), 0)).into(),
            )],
        ),
    }
}

fn sources(loc: &Localizer, report: &Report) -> Option<String> {
    let names: Vec<String> = report
        .sources
        .iter()
        .map(|s| explain::data_source(loc, *s))
        .collect();
    (!names.is_empty())
        .then(|| loc.get("report-sources", &[("sources", (&names.join(", ")).into())]))
}

fn figure_source(loc: &Localizer, source: &str) -> String {
    loc.get("figure-source", &[("source", source.into())])
}

/// Where an offer's usage figure came from: the bill when it shows the
/// offer, else the Free Tier API.
fn offer_source(loc: &Localizer, o: &OfferUsage, bill_source: Option<&str>) -> String {
    match bill_source.filter(|_| o.in_bill || o.api.is_none()) {
        Some(bill) => figure_source(loc, bill),
        None => figure_source(loc, &explain::data_source(loc, DataSource::FreeTierApi)),
    }
}

fn period(loc: &Localizer, report: &Report) -> String {
    if report.month_complete {
        loc.text("month-complete")
    } else {
        loc.get(
            "month-open",
            &[(
                "as_of",
                (&dates::timestamp(report.as_of, loc.lang())).into(),
            )],
        )
    }
}

fn net(loc: &Localizer, report: &Report) -> String {
    if report.charges_known {
        let net = format::money(report.totals.net, &report.currency);
        loc.get("summary-net", &[("net", (&net).into())])
    } else {
        loc.text("summary-net-unknown")
    }
}

fn parts(loc: &Localizer, report: &Report) -> String {
    if !report.charges_known {
        return loc.text("summary-usage-only");
    }
    let t = &report.totals;
    let money = |d: Decimal| format::money(d, &report.currency);
    loc.get(
        "summary-parts",
        &[
            ("gross", (&money(t.gross)).into()),
            ("tax", (&money(t.tax)).into()),
            ("credits", (&money(-t.credits)).into()),
            ("refunds", (&money(-t.refunds)).into()),
        ],
    )
}

fn causes(loc: &Localizer, report: &Report) -> Option<String> {
    let by_cause = report.cost_by_cause();
    (!by_cause.is_empty()).then(|| {
        let list = by_cause
            .iter()
            .map(|(c, v)| {
                let cost = format::money(*v, &report.currency);
                format!("{} {cost}", explain::cause(loc, *c))
            })
            .collect::<Vec<_>>()
            .join(" · ");
        loc.get("summary-causes", &[("causes", (&list).into())])
    })
}

fn small_charges(loc: &Localizer, small: &[&Charge], cur: &str) -> Option<String> {
    (!small.is_empty()).then(|| {
        let total: Decimal = small.iter().map(|c| c.cost).sum();
        loc.get(
            "more-charges",
            &[
                ("count", Arg::Num(small.len() as f64)),
                ("cost", (&format::money(total, cur)).into()),
            ],
        )
    })
}

fn credits(report: &Report) -> Vec<(String, String)> {
    report
        .credits
        .iter()
        .map(|c| {
            let label = if c.description.is_empty() {
                c.line_item_type.clone()
            } else {
                c.description.clone()
            };
            (label, format::money(c.amount, &report.currency))
        })
        .collect()
}

fn unmatched(loc: &Localizer, report: &Report) -> Vec<String> {
    report
        .unmatched_free
        .iter()
        .map(|u| {
            format!(
                "{} {}: {} ({})",
                u.product_code,
                u.usage_type,
                format::quantity(loc, u.quantity, &u.unit),
                u.description
            )
        })
        .collect()
}

fn daily(report: &Report) -> Vec<(u8, Vec<(Cause, f64)>)> {
    report
        .daily
        .iter()
        .map(|(day, by)| {
            (
                *day,
                by.iter()
                    .map(|(c, v)| (*c, v.to_f64().unwrap_or(0.0)))
                    .collect(),
            )
        })
        .collect()
}

fn minor_offers(loc: &Localizer, minor: &[&OfferUsage]) -> Option<String> {
    if minor.is_empty() {
        return None;
    }
    let mut names: Vec<(String, usize)> = Vec::new();
    for o in minor {
        let name = explain::text(&o.name, loc.lang()).to_owned();
        match names.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => names.push((name, 1)),
        }
    }
    let names = names
        .into_iter()
        .map(|(n, c)| if c > 1 { format!("{n} ×{c}") } else { n })
        .collect::<Vec<_>>()
        .join(", ");
    Some(loc.get(
        "minor-offers",
        &[
            ("count", Arg::Num(minor.len() as f64)),
            ("names", (&names).into()),
        ],
    ))
}

fn offer_view(
    loc: &Localizer,
    o: &OfferUsage,
    hourly: bool,
    bill_source: Option<&str>,
) -> OfferView {
    let pct = |used: Decimal| {
        (used * Decimal::ONE_HUNDRED / o.limit)
            .to_f64()
            .unwrap_or(0.0)
    };
    let shared = (o.resources.len() > 1).then(|| {
        let mut list = o
            .resources
            .iter()
            .take(4)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if o.resources.len() > 4 {
            list.push_str(", …");
        }
        loc.get(
            "offer-shared",
            &[
                ("count", Arg::Num(o.resources.len() as f64)),
                ("list", (&list).into()),
            ],
        )
    });
    OfferView {
        title: explain::offer_title(loc, o),
        kind: loc.text(&format!("offer-kind-{}", o.kind.as_str())),
        used_of_limit: format!(
            "{} / {}",
            format::quantity_number(o.used),
            format::quantity(loc, o.limit, &o.unit)
        ),
        percent: format::percent(o.percent),
        percent_value: pct(o.used),
        forecast: format::quantity(loc, format::display_round(o.forecast), &o.unit),
        forecast_percent: pct(o.forecast),
        status: o.status,
        state: explain::offer_state(loc, o, hourly),
        shared,
        api: explain::offer_api(loc, o),
        source: offer_source(loc, o, bill_source),
        action: o
            .action
            .as_ref()
            .map(|a| explain::action(loc, a))
            .unwrap_or_default(),
    }
}

/// The charges' views, made on every core when there are many.
fn charge_views(
    loc: &Localizer,
    charges: &[&Charge],
    currency: &str,
    show_account: bool,
) -> Vec<ChargeView> {
    let mut views = Vec::with_capacity(charges.len());
    let render = |loc: &Localizer, c: &&Charge| charge_view(loc, c, currency, show_account);
    let pushed = crate::parallel::map_in_order(loc, charges, render, |view| {
        views.push(view);
        Ok::<_, std::convert::Infallible>(())
    });
    let Ok(()) = pushed;
    views
}

fn charge_view(
    loc: &Localizer,
    c: &ftdesk_core::report::Charge,
    currency: &str,
    show_account: bool,
) -> ChargeView {
    ChargeView {
        cost: format::money(c.cost, currency),
        cause: c.cause,
        cause_text: explain::cause(loc, c.cause),
        usage_type: match (c.usage_type.is_empty(), c.product_code.is_empty()) {
            (false, _) => c.usage_type.clone(),
            (true, false) => c.product_code.clone(),
            (true, true) => loc.text("charge-no-usage-type"),
        },
        resource: c.resource_id.clone(),
        region: c.region.clone(),
        account: show_account.then(|| c.usage_account.clone()),
        explanation: explain::charge(loc, c, currency),
        action: c
            .action
            .as_ref()
            .map(|a| explain::action(loc, a))
            .unwrap_or_default(),
    }
}
