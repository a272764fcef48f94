//! A Markdown report, for tickets, pull requests and chat.

use crate::l10n::Localizer;
use crate::view::View;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn render(loc: &Localizer, view: &View) -> String {
    let mut out = String::new();
    header(&mut out, view);
    summary(&mut out, loc, view);
    offers(&mut out, loc, view);
    charges(&mut out, loc, view);
    credits_and_lists(&mut out, loc, view);
    out
}

fn push_line(out: &mut String, s: String) {
    out.push_str(&s);
    out.push('\n');
}

/// Title, period, accounts, plan and the 12 months.
fn header(out: &mut String, view: &View) {
    let mut line = |s: String| push_line(out, s);
    line(format!("# {}", view.title));
    line(String::new());
    line(format!("{} · {}", view.period, view.rows));
    line(String::new());
    if let Some(accounts) = &view.accounts {
        line(format!("- {accounts}"));
    }
    line(format!("- {}", view.plan));
    for extra in [&view.plan_state, &view.api_source].into_iter().flatten() {
        line(format!("- {extra}"));
    }
    line(format!("- {}", view.twelve_months));
    line(String::new());
}

/// What the month cost, and by which causes.
fn summary(out: &mut String, loc: &Localizer, view: &View) {
    let mut line = |s: String| push_line(out, s);
    line(format!("## {}", loc.text("heading-summary")));
    line(String::new());
    line(format!("**{}** ({})", view.net, view.parts));
    line(String::new());
    if let Some(causes) = &view.causes {
        line(causes.clone());
        line(String::new());
    }
    if let Some(free) = &view.free_value {
        line(free.clone());
        line(String::new());
    }
}

/// The offers as a table, with the Free Tier API's figures below it.
fn offers(out: &mut String, loc: &Localizer, view: &View) {
    let mut line = |s: String| push_line(out, s);
    line(format!("## {}", loc.text("heading-offers")));
    line(String::new());
    if view.offers.is_empty() && view.minor_offers.is_none() {
        line(loc.text("no-offers"));
    } else {
        line(format!(
            "| {} | {} | % | {} | {} |",
            loc.text("col-offer"),
            loc.text("col-used"),
            loc.text("col-forecast"),
            loc.text("col-status")
        ));
        line("|---|---:|---:|---:|---|".to_owned());
        for o in &view.offers {
            line(format!(
                "| {} ({}) | {} | {} | {} | {} |",
                cell(&o.title),
                cell(&o.kind),
                cell(&o.used_of_limit),
                o.percent,
                cell(&o.forecast),
                cell(&o.state)
            ));
        }
        for o in view.offers.iter().filter(|o| o.api.is_some()) {
            line(String::new());
            line(format!(
                "- {}: {}",
                o.title,
                o.api.as_deref().unwrap_or_default()
            ));
        }
    }
    if let Some(minor) = &view.minor_offers {
        line(String::new());
        line(minor.clone());
    }
}

/// Each charge with its cause, explanation and the commands that stop it.
fn charges(out: &mut String, loc: &Localizer, view: &View) {
    let mut line = |s: String| push_line(out, s);
    line(String::new());
    line(format!("## {}", loc.text("heading-charges")));
    line(String::new());
    if view.charges.is_empty() && view.small_charges.is_none() {
        line(view.no_charges.clone());
    }
    if let Some(intro) = &view.charges_intro {
        line(intro.clone());
        line(String::new());
    }
    for (i, c) in view.charges.iter().enumerate() {
        let mut what = format!("`{}`", c.usage_type);
        if !c.resource.is_empty() {
            what.push_str(&format!(" `{}`", c.resource));
        }
        if !c.region.is_empty() {
            what.push_str(&format!(" ({})", c.region));
        }
        line(format!(
            "{}. **{}** · {} · {}",
            i + 1,
            c.cost,
            c.cause_text,
            what
        ));
        line(format!("   {}", c.explanation));
        for a in &c.action {
            match a.split_once(": ") {
                Some((label, command)) if label == "CLI" => {
                    line(format!("   - {label}: `{command}`"))
                }
                _ => line(format!("   - {a}")),
            }
        }
    }
    if let Some(small) = &view.small_charges {
        line(String::new());
        line(small.clone());
    }
    rollups(out, view);
}

/// Over 200 charges: the charges summed by account, usage type and cause,
/// then how to see every charge.
fn rollups(out: &mut String, view: &View) {
    let mut line = |s: String| push_line(out, s);
    for r in &view.rollups {
        line(String::new());
        line(format!("### {}", r.heading));
        line(String::new());
        for l in &r.lines {
            line(format!("- **{}** {} ({})", l.cost, cell(&l.label), l.count));
        }
        if let Some(more) = &r.more {
            line(format!("- {more}"));
        }
    }
    if let Some(hint) = &view.charges_hint {
        line(String::new());
        line(hint.clone());
    }
}

/// Credits as a table, then unknowns, notes and unmatched free usage.
fn credits_and_lists(out: &mut String, loc: &Localizer, view: &View) {
    let mut line = |s: String| push_line(out, s);
    if !view.credits.is_empty() {
        line(String::new());
        line(format!("## {}", loc.text("heading-credits")));
        line(String::new());
        line(format!(
            "| {} | {} |",
            loc.text("col-credit"),
            loc.text("col-amount")
        ));
        line("|---|---:|".to_owned());
        for (label, amount) in &view.credits {
            line(format!("| {} | {} |", cell(label), amount));
        }
    }
    for (heading, items) in [
        ("heading-unknowns", &view.unknowns),
        ("heading-notes", &view.notes),
        ("heading-unmatched", &view.unmatched),
    ] {
        if items.is_empty() {
            continue;
        }
        line(String::new());
        line(format!("## {}", loc.text(heading)));
        line(String::new());
        for item in items {
            line(format!("- {item}"));
        }
    }
}
