//! The terminal report: headings, an offer table with usage bars, then each charge.

use anstyle::{AnsiColor, Style};
use ftdesk_core::report::Status;
use unicode_width::UnicodeWidthStr;

use crate::l10n::Localizer;
use crate::view::View;

const BAR_WIDTH: usize = 20;

struct Paint {
    color: bool,
}

impl Paint {
    fn style(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    fn heading(&self, text: &str) -> String {
        self.style(Style::new().bold().underline(), text)
    }

    fn status(&self, status: Status, text: &str) -> String {
        let color = match status {
            Status::Ok => AnsiColor::Green,
            Status::Near => AnsiColor::Yellow,
            Status::Exceeded => AnsiColor::Red,
        };
        self.style(Style::new().fg_color(Some(color.into())), text)
    }

    fn dim(&self, text: &str) -> String {
        self.style(Style::new().dimmed(), text)
    }
}

fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

fn bar(percent: f64) -> String {
    let filled = ((percent.clamp(0.0, 100.0) / 100.0) * BAR_WIDTH as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

pub fn render(loc: &Localizer, view: &View, color: bool) -> String {
    let p = Paint { color };
    let mut out = String::new();
    header(&mut out, &p, view);
    summary(&mut out, &p, loc, view);
    offers(&mut out, &p, loc, view);
    charges(&mut out, &p, loc, view);
    credits_and_lists(&mut out, &p, loc, view);
    out
}

fn push_line(out: &mut String, s: &str) {
    out.push_str(s);
    out.push('\n');
}

/// Title, period, accounts, plan and the 12 months.
fn header(out: &mut String, p: &Paint, view: &View) {
    let mut line = |s: &str| push_line(out, s);
    line(&p.style(Style::new().bold(), &view.title));
    line(&p.dim(&format!("{} · {}", view.period, view.rows)));
    if let Some(accounts) = &view.accounts {
        line(accounts);
    }
    line(&view.plan);
    for extra in [&view.plan_state, &view.api_source].into_iter().flatten() {
        line(extra);
    }
    line(&view.twelve_months);
    line("");
}

/// What the month cost, and by which causes.
fn summary(out: &mut String, p: &Paint, loc: &Localizer, view: &View) {
    let mut line = |s: &str| push_line(out, s);
    line(&p.heading(&loc.text("heading-summary")));
    line(&format!("  {}", p.style(Style::new().bold(), &view.net)));
    line(&format!("  {}", view.parts));
    if let Some(causes) = &view.causes {
        line(&format!("  {causes}"));
    } else if let Some(none) = &view.summary_no_charges {
        line(&format!("  {none}"));
    }
    if let Some(free) = &view.free_value {
        line(&format!("  {free}"));
    }
    line("");
}

/// Each offer's usage against its limit, with its bar.
fn offers(out: &mut String, p: &Paint, loc: &Localizer, view: &View) {
    let mut line = |s: &str| push_line(out, s);
    line(&p.heading(&loc.text("heading-offers")));
    if view.offers.is_empty() && view.minor_offers.is_none() {
        line(&format!("  {}", loc.text("no-offers")));
    }
    let title_w = view
        .offers
        .iter()
        .map(|o| o.title.width())
        .max()
        .unwrap_or(0);
    let used_w = view
        .offers
        .iter()
        .map(|o| o.used_of_limit.width())
        .max()
        .unwrap_or(0);
    for o in &view.offers {
        line(&format!(
            "  {}  {}  {} {}  {}",
            pad(&o.title, title_w),
            pad(&o.used_of_limit, used_w),
            p.status(o.status, &bar(o.percent_value)),
            pad(&o.percent, 7),
            p.status(o.status, &o.state),
        ));
        let mut detail = vec![
            o.kind.clone(),
            format!("{}: {}", loc.text("col-forecast"), o.forecast),
        ];
        if let Some(shared) = &o.shared {
            detail.push(shared.clone());
        }
        line(&format!(
            "  {}",
            p.dim(&format!("  {}", detail.join(" · ")))
        ));
        if let Some(api) = &o.api {
            line(&format!("    {api}"));
        }
        if o.status != Status::Ok {
            for a in &o.action {
                line(&format!("    {a}"));
            }
        }
    }
    if let Some(minor) = &view.minor_offers {
        line(&format!("  {}", p.dim(minor)));
    }
    line("");
}

/// Each charge with its cause, explanation and the commands that stop it.
fn charges(out: &mut String, p: &Paint, loc: &Localizer, view: &View) {
    let mut line = |s: &str| push_line(out, s);
    line(&p.heading(&loc.text("heading-charges")));
    if view.charges.is_empty() && view.small_charges.is_none() {
        line(&format!("  {}", view.no_charges));
    }
    if let Some(intro) = &view.charges_intro {
        line(&format!("  {intro}"));
    }
    for (i, c) in view.charges.iter().enumerate() {
        let mut what = vec![c.usage_type.clone()];
        for extra in [
            &c.resource,
            &c.region,
            c.account.as_ref().unwrap_or(&String::new()),
        ] {
            if !extra.is_empty() {
                what.push(extra.clone());
            }
        }
        line(&format!(
            "  {}. {}  {}  {}",
            i + 1,
            p.style(Style::new().bold(), &c.cost),
            p.style(
                Style::new().fg_color(Some(AnsiColor::Cyan.into())),
                &c.cause_text
            ),
            what.join("  "),
        ));
        line(&format!("     {}", c.explanation));
        for a in &c.action {
            line(&format!("     {a}"));
        }
    }
    if let Some(small) = &view.small_charges {
        line(&format!("  {small}"));
    }
    rollups(out, p, view);
}

/// Over 200 charges: the charges summed by account, usage type and cause,
/// then how to see every charge.
fn rollups(out: &mut String, p: &Paint, view: &View) {
    let mut line = |s: &str| push_line(out, s);
    for r in &view.rollups {
        line("");
        line(&format!("  {}", p.style(Style::new().bold(), &r.heading)));
        let cost_w = r.lines.iter().map(|l| l.cost.width()).max().unwrap_or(0);
        let label_w = r.lines.iter().map(|l| l.label.width()).max().unwrap_or(0);
        for l in &r.lines {
            let cost = format!("{}{}", " ".repeat(cost_w - l.cost.width()), l.cost);
            let label = pad(&l.label, label_w);
            line(&format!("    {cost}  {label}  {}", p.dim(&l.count)));
        }
        if let Some(more) = &r.more {
            line(&format!("    {}", p.dim(more)));
        }
    }
    if let Some(hint) = &view.charges_hint {
        line("");
        line(&format!("  {hint}"));
    }
}

/// Credits, then unknowns, notes and unmatched free usage.
fn credits_and_lists(out: &mut String, p: &Paint, loc: &Localizer, view: &View) {
    let mut line = |s: &str| push_line(out, s);
    let sections: [(&str, &Vec<String>); 3] = [
        ("heading-unknowns", &view.unknowns),
        ("heading-notes", &view.notes),
        ("heading-unmatched", &view.unmatched),
    ];
    if !view.credits.is_empty() {
        line("");
        line(&p.heading(&loc.text("heading-credits")));
        for (label, amount) in &view.credits {
            line(&format!("  {amount}  {label}"));
        }
    }
    for (heading, items) in sections {
        if items.is_empty() {
            continue;
        }
        line("");
        line(&p.heading(&loc.text(heading)));
        for item in items {
            line(&format!("  - {item}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_padding() {
        assert_eq!(bar(50.0).chars().filter(|c| *c == '█').count(), 10);
        assert_eq!(bar(250.0).chars().filter(|c| *c == '█').count(), 20);
        assert_eq!(pad("한도", 6), "한도  ");
    }
}
