//! One self-contained HTML file with inline SVG charts; it opens offline.

use ftdesk_core::report::Report;
use ftdesk_core::Cause;
use minijinja::{context, Environment};
use serde::Serialize;

use crate::explain;
use crate::l10n::Localizer;
use crate::view::View;

const TEMPLATE: &str = include_str!("../templates/report.html");
const OFFER_LABEL_PX: f64 = 240.0;
const OFFER_BAR_PX: f64 = 420.0;
const DAILY_WIDTH: f64 = 720.0;
const DAILY_HEIGHT: f64 = 160.0;

pub fn cause_color(cause: Cause) -> &'static str {
    match cause {
        Cause::OverFreeLimit => "#d9480f",
        Cause::FreeTierExpired => "#c2255c",
        Cause::NotEligible => "#7048e8",
        Cause::NeverFree => "#1c7ed6",
        Cause::Tax => "#868e96",
        Cause::Marketplace => "#0ca678",
        Cause::Support => "#f59f00",
        Cause::Other => "#495057",
    }
}

fn status_color(status: ftdesk_core::report::Status) -> &'static str {
    match status {
        ftdesk_core::report::Status::Ok => "#2f9e44",
        ftdesk_core::report::Status::Near => "#e67700",
        ftdesk_core::report::Status::Exceeded => "#c92a2a",
    }
}

#[derive(Serialize)]
struct OfferBar<'a> {
    title: &'a str,
    short: String,
    kind: &'a str,
    shared: Option<&'a str>,
    api: Option<&'a str>,
    source: &'a str,
    used_of_limit: &'a str,
    percent: &'a str,
    forecast: &'a str,
    state: &'a str,
    status: &'static str,
    color: &'static str,
    used_px: f64,
    forecast_px: f64,
}

#[derive(Serialize)]
struct ChargeCard<'a> {
    cost: &'a str,
    cause_text: &'a str,
    color: &'static str,
    usage_type: &'a str,
    resource: &'a str,
    region: &'a str,
    explanation: &'a str,
    action: &'a [String],
}

#[derive(Serialize)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    color: &'static str,
    title: String,
}

#[derive(Serialize)]
struct Label {
    x: f64,
    text: String,
}

#[derive(Serialize)]
struct Section {
    heading: String,
    items: Vec<String>,
}

/// The offer bars' scale: 150% of a limit fills the bar, so overuse shows.
fn px(percent: f64) -> f64 {
    (percent.clamp(0.0, 150.0) / 150.0 * OFFER_BAR_PX).round()
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{cut}…")
}

fn daily_chart(loc: &Localizer, report: &Report, view: &View) -> (Vec<Rect>, Vec<Label>, String) {
    let days = f64::from(report.month.days());
    let slot = DAILY_WIDTH / days;
    let max = view
        .daily
        .iter()
        .map(|(_, by)| by.iter().map(|(_, v)| v.max(0.0)).sum::<f64>())
        .fold(0.0_f64, f64::max);
    let mut rects = Vec::new();
    for (day, by) in &view.daily {
        let mut y = DAILY_HEIGHT;
        for (cause, value) in by {
            if *value <= 0.0 || max <= 0.0 {
                continue;
            }
            let h = value / max * DAILY_HEIGHT;
            y -= h;
            rects.push(Rect {
                x: (f64::from(*day) - 1.0) * slot + 1.0,
                y,
                w: (slot - 2.0).max(1.0),
                h,
                color: cause_color(*cause),
                title: format!("{} {}: {:.2}", day, explain::cause(loc, *cause), value),
            });
        }
    }
    let labels = (1..=report.month.days())
        .filter(|d| *d == 1 || d % 5 == 0)
        .map(|d| Label {
            x: (f64::from(d) - 0.5) * slot,
            text: d.to_string(),
        })
        .collect();
    (
        rects,
        labels,
        crate::format::money(
            rust_decimal::Decimal::try_from(max).unwrap_or_default(),
            &report.currency,
        ),
    )
}

/// Over 80 lines: most of it is the template's context, one field a line,
/// which reads best whole.
pub fn render(loc: &Localizer, report: &Report, view: &View) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.add_template("report.html", TEMPLATE)?;
    let offers: Vec<OfferBar<'_>> = view
        .offers
        .iter()
        .map(|o| OfferBar {
            title: &o.title,
            short: shorten(&o.title, 34),
            kind: &o.kind,
            shared: o.shared.as_deref(),
            api: o.api.as_deref(),
            source: &o.source,
            used_of_limit: &o.used_of_limit,
            percent: &o.percent,
            forecast: &o.forecast,
            state: &o.state,
            status: o.status.as_str(),
            color: status_color(o.status),
            used_px: px(o.percent_value),
            forecast_px: px(o.forecast_percent),
        })
        .collect();
    let charges: Vec<ChargeCard<'_>> = view
        .charges
        .iter()
        .map(|c| ChargeCard {
            cost: &c.cost,
            cause_text: &c.cause_text,
            color: cause_color(c.cause),
            usage_type: &c.usage_type,
            resource: &c.resource,
            region: &c.region,
            explanation: &c.explanation,
            action: &c.action,
        })
        .collect();
    let (rects, labels, max) = daily_chart(loc, report, view);
    let legend: Vec<_> = report
        .cost_by_cause()
        .keys()
        .map(|c| context! { color => cause_color(*c), text => explain::cause(loc, *c) })
        .collect();
    let sections = vec![
        Section {
            heading: loc.text("heading-unknowns"),
            items: view.unknowns.clone(),
        },
        Section {
            heading: loc.text("heading-notes"),
            items: view.notes.clone(),
        },
        Section {
            heading: loc.text("heading-unmatched"),
            items: view.unmatched.clone(),
        },
    ];
    let t = context! {
        summary => loc.text("heading-summary"), offers => loc.text("heading-offers"),
        charges => loc.text("heading-charges"), credits => loc.text("heading-credits"),
        daily => loc.text("heading-daily"), daily_none => loc.text("daily-none"),
        no_offers => loc.text("no-offers"),
        col_offer => loc.text("col-offer"), col_used => loc.text("col-used"),
        col_forecast => loc.text("col-forecast"), col_status => loc.text("col-status"),
    };
    let view_ctx = context! {
        title => &view.title, period => &view.period, rows => &view.rows, accounts => &view.accounts,
        plan => &view.plan, plan_state => &view.plan_state, api_source => &view.api_source, sources => &view.sources, bill_source => &view.bill_source, twelve_months => &view.twelve_months, net => &view.net, parts => &view.parts,
        causes => &view.causes, summary_no_charges => &view.summary_no_charges, no_charges => &view.no_charges, free_value => &view.free_value, small_charges => &view.small_charges,
        minor_offers => &view.minor_offers,
        credits => &view.credits, charges_intro => &view.charges_intro, charges_hint => &view.charges_hint,
    };
    env.get_template("report.html")?.render(context! {
        lang => loc.lang().code(),
        tool => concat!("ftdesk ", env!("CARGO_PKG_VERSION")),
        catalog_version => &report.catalog_version,
        view => view_ctx,
        t => t,
        offers => offers,
        charges => charges,
        rollups => &view.rollups,
        days => !view.daily.is_empty(),
        legend => legend,
        chart => context! { width => OFFER_LABEL_PX + OFFER_BAR_PX + 60.0, label => OFFER_LABEL_PX, bar => OFFER_BAR_PX, limit_x => OFFER_LABEL_PX + px(100.0) },
        daily => context! { width => DAILY_WIDTH, height => DAILY_HEIGHT, rects => rects, labels => labels, max => max },
        sections => sections,
    })
}
