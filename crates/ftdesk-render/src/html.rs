//! One self-contained HTML file with inline SVG charts; it opens offline.

use ftdesk_core::report::Report;
use ftdesk_core::Cause;
use minijinja::{context, Environment, Template, Value};
use serde::Serialize;

use crate::explain;
use crate::l10n::Localizer;
use crate::view::{ChargeView, View};
use crate::RenderError;

const TEMPLATE: &str = include_str!("../templates/report.html");
/// One charge's card: filled apart from the report, on every core when
/// there are many, and put into the report as it is.
const CHARGE_TEMPLATE: &str = include_str!("../templates/charge.html");
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

/// Each charge's card, filled (and escaped) by `card`, in the charges' order.
fn charge_cards(
    loc: &Localizer,
    card: &Template<'_, '_>,
    charges: &[ChargeView],
    bill_source: Option<&str>,
) -> Result<Vec<Value>, minijinja::Error> {
    let fill = |_: &Localizer, c: &ChargeView| {
        card.render(context! {
            c => ChargeCard {
                cost: &c.cost,
                cause_text: &c.cause_text,
                color: cause_color(c.cause),
                usage_type: &c.usage_type,
                resource: &c.resource,
                region: &c.region,
                explanation: &c.explanation,
                action: &c.action,
            },
            bill_source => bill_source,
        })
    };
    let mut cards = Vec::with_capacity(charges.len());
    crate::parallel::map_in_order(loc, charges, fill, |filled| {
        cards.push(Value::from_safe_string(filled?));
        Ok::<_, minijinja::Error>(())
    })?;
    Ok(cards)
}

/// Writes the report into `out` as the template fills it (a large report is
/// never held whole). Over 80 lines: most of it is the template's context,
/// one field a line, which reads best whole.
pub fn write(
    out: &mut dyn std::io::Write,
    loc: &Localizer,
    report: &Report,
    view: &View,
) -> Result<(), RenderError> {
    let mut env = Environment::new();
    env.add_template("report.html", TEMPLATE)?;
    env.add_template("charge.html", CHARGE_TEMPLATE)?;
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
    let card = env.get_template("charge.html")?;
    let charges = charge_cards(loc, &card, &view.charges, view.bill_source.as_deref())?;
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
    let context = context! {
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
    };
    let mut out = KeptError { out, error: None };
    let filled = env
        .get_template("report.html")?
        .render_captured_to(context, &mut out)
        .map(drop);
    filled.map_err(|error| out.error.map_or(RenderError::Html(error), RenderError::Io))
}

/// A writer that keeps its first error, so a failed write (a closed pipe)
/// reaches the caller as the I/O error it was, not as a template error.
struct KeptError<'w> {
    out: &'w mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl KeptError<'_> {
    fn keep(&mut self, error: std::io::Error) -> std::io::Error {
        let kind = error.kind();
        self.error.get_or_insert(error);
        kind.into()
    }
}

impl std::io::Write for KeptError<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.out.write(bytes).map_err(|e| self.keep(e))
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes).map_err(|e| self.keep(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush().map_err(|e| self.keep(e))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::Lang;

    fn charge(i: usize) -> ChargeView {
        ChargeView {
            cost: format!("${i}.00"),
            cause: Cause::NeverFree,
            cause_text: "Never free".to_owned(),
            usage_type: "APN2-NatGateway-Hours".to_owned(),
            resource: format!("nat-{i}<&\"'>"),
            region: String::new(),
            account: None,
            explanation: format!("explained {i}"),
            action: vec![format!("stop {i}")],
        }
    }

    /// Cards come back in the charges' order, escaped, whether one thread
    /// or every core fills them (the threshold is 4,096 charges).
    #[test]
    fn cards_keep_the_charges_order_and_escape_their_text() {
        let loc = Localizer::new(Lang::En);
        let mut env = Environment::new();
        env.add_template("charge.html", CHARGE_TEMPLATE).unwrap();
        let card = env.get_template("charge.html").unwrap();
        for count in [3, 9_000] {
            let charges: Vec<ChargeView> = (0..count).map(charge).collect();
            let cards = charge_cards(&loc, &card, &charges, Some("CUR")).unwrap();
            assert_eq!(cards.len(), count);
            for (i, card) in cards.iter().enumerate() {
                let card = card.as_str().unwrap();
                assert!(card.starts_with("<div class=\"charge\">"), "{card}");
                assert!(card.contains(&format!("<span class=\"cost\">${i}.00</span>")));
                assert!(card.contains(&format!("<code>nat-{i}&lt;&amp;&quot;&#x27;&gt;</code>")));
                assert!(card.contains("<span class=\"source\">CUR</span>"));
                assert!(card.ends_with(&format!("<div class=\"muted\">stop {i}</div>\n</div>")));
            }
        }
    }

    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A failed write reaches the caller as the I/O error it was.
    #[test]
    fn a_closed_pipe_is_an_io_error_not_a_template_error() {
        let mut env = Environment::new();
        env.add_template("t.html", "<p>{{ x }}</p>").unwrap();
        let mut out = ClosedPipe;
        let mut kept = KeptError {
            out: &mut out,
            error: None,
        };
        let failed = env
            .get_template("t.html")
            .unwrap()
            .render_captured_to(context! { x => "y" }, &mut kept)
            .map(drop);
        assert!(failed.is_err());
        assert_eq!(
            kept.error.map(|e| e.kind()),
            Some(std::io::ErrorKind::BrokenPipe)
        );
    }
}
