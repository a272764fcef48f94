//! The reply: pure functions from a report and an inquiry to the email's blocks.

use ftdesk_core::report::{Charge, ChargeContext, Report};
use ftdesk_core::Cause;
use ftdesk_render::{explain, format, Lang, Localizer};
use rust_decimal::Decimal;

use crate::causes;
use crate::ctx::{cause_key, cents, list, period, what, Ctx};
use crate::document::{Block, Document, Item};
use crate::inquiry::Inquiry;
use crate::notes;
use crate::quote;
use crate::templates::Templates;

/// A drafted reply: what the associate sends, and the notes behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The associate's notes: evidence, unknowns and an improvement proposal.
    pub notes: String,
    pub lang: Lang,
}

/// Drafts the reply to `inquiry` from `report`, in the language of `templates`.
pub fn compose(report: &Report, inquiry: &Inquiry, templates: &Templates) -> Reply {
    let ctx = Ctx {
        report,
        inquiry,
        t: templates,
        loc: Localizer::new(templates.lang()),
    };
    let document = document(&ctx);
    Reply {
        subject: subject(&ctx),
        text: document.to_text(),
        html: document.to_html(),
        notes: notes::notes(&ctx).to_text(),
        lang: templates.lang(),
    }
}

fn subject(ctx: &Ctx<'_>) -> String {
    match ctx.inquiry.subject.as_deref().filter(|s| !s.is_empty()) {
        Some(s) if s.to_ascii_lowercase().starts_with("re:") => s.to_owned(),
        Some(s) => ctx.t.get("subject-reply", &[("subject", s)]),
        None if !ctx.report.charges_known => {
            ctx.t.get("subject-usage-only", &[("month", &ctx.month())])
        }
        None => ctx.t.get(
            "subject-new",
            &[
                ("month", &ctx.month()),
                ("net", &ctx.money(ctx.report.totals.net)),
            ],
        ),
    }
}

fn document(ctx: &Ctx<'_>) -> Document {
    let mut doc = Document::default();
    doc.push(Block::Para(greeting(ctx)));
    doc.push(Block::Para(acknowledgement(ctx)));
    doc.push(Block::Para(finding(ctx)));
    if let Some(basis) = pasted_basis(ctx) {
        doc.push(Block::Para(basis));
    }
    if let Some(quote) = quote::sentence(ctx) {
        doc.push(Block::Para(quote));
    }
    if ctx.has_charges() {
        doc.push(Block::Heading(ctx.t.text("heading-causes")));
        doc.push(Block::Items(causes::items(ctx)));
        if let Some(small) = small_charges(ctx) {
            doc.push(Block::Para(small));
        }
    }
    doc.push(Block::Heading(ctx.t.text("heading-actions")));
    doc.extend(actions(ctx));
    doc.push(Block::Heading(ctx.t.text("heading-prevention")));
    doc.push(Block::Items(prevention(ctx)));
    if ctx.report.totals.net > Decimal::ZERO {
        doc.push(Block::Heading(ctx.t.text("heading-adjustment")));
        doc.push(Block::Para(ctx.t.text("adjustment")));
    }
    doc.push(Block::Para(format!(
        "{}\n{}",
        ctx.t.text("closing"),
        ctx.t.text("closing-thanks")
    )));
    doc.push(Block::Para(ctx.t.text("signature")));
    doc
}

/// When the bill is the lines the customer quoted: says so, and what a full
/// export would add.
fn pasted_basis(ctx: &Ctx<'_>) -> Option<String> {
    ctx.report.unknowns.iter().find_map(|u| match u {
        ftdesk_core::report::Unknown::Pasted { lines } => {
            Some(ctx.t.get_counted("basis-pasted", *lines, &[]))
        }
        _ => None,
    })
}

fn greeting(ctx: &Ctx<'_>) -> String {
    match ctx.inquiry.name.as_deref() {
        Some(name) => ctx.t.get(
            "greeting-name",
            &[("name", &address_name(name, ctx.t.lang()))],
        ),
        None => ctx.t.text("greeting-anonymous"),
    }
}

/// English replies greet by the first name of a Latin-script name; Korean
/// names (and Korean replies) keep the full name.
fn address_name(name: &str, lang: Lang) -> String {
    let latin = name.chars().all(|c| c.is_ascii() || !c.is_alphabetic());
    match (lang, latin) {
        (Lang::En, true) => name.split_whitespace().next().unwrap_or(name).to_owned(),
        _ => name.to_owned(),
    }
}

fn acknowledgement(ctx: &Ctx<'_>) -> String {
    let id = if !ctx.report.charges_known {
        "acknowledge-usage-only"
    } else if ctx.report.totals.net > Decimal::ZERO {
        "acknowledge-charged"
    } else {
        "acknowledge-free"
    };
    ctx.t.get(id, &[("month", &ctx.month())])
}

fn finding(ctx: &Ctx<'_>) -> String {
    let totals = &ctx.report.totals;
    let period = period(ctx);
    let net = ctx.money(totals.net);
    let gross = ctx.money(totals.gross);
    if !ctx.report.charges_known {
        return ctx.t.get("finding-usage-only", &[("period", &period)]);
    }
    let mut sentences = if !ctx.has_charges() {
        let value = if totals.free_tier_value > Decimal::ZERO {
            ctx.money(totals.free_tier_value)
        } else {
            "none".to_owned()
        };
        vec![ctx
            .t
            .get("finding-none", &[("period", &period), ("value", &value)])]
    } else if totals.net <= Decimal::ZERO {
        let credits = ctx.money(-(totals.credits + totals.refunds));
        vec![ctx.t.get(
            "finding-credits",
            &[
                ("period", &period),
                ("gross", &gross),
                ("credits", &credits),
                ("net", &net),
            ],
        )]
    } else {
        let mut s = vec![net_finding(ctx, &period, &net, &gross)];
        s.extend(adjustments_to_total(ctx));
        s
    };
    if ctx.has_charges() && totals.net <= Decimal::ZERO && !totals.tax.is_zero() {
        sentences.push(ctx.t.get("finding-tax", &[("tax", &ctx.money(totals.tax))]));
    }
    sentences.join(" ")
}

fn adjustments_to_total(ctx: &Ctx<'_>) -> Vec<String> {
    let totals = &ctx.report.totals;
    let mut s = Vec::new();
    if !totals.tax.is_zero() {
        s.push(ctx.t.get("finding-tax", &[("tax", &ctx.money(totals.tax))]));
    }
    if !totals.credits.is_zero() {
        s.push(ctx.t.get(
            "finding-credited",
            &[("credits", &ctx.money(-totals.credits))],
        ));
    }
    if !totals.refunds.is_zero() {
        s.push(ctx.t.get(
            "finding-refunded",
            &[("refunds", &ctx.money(-totals.refunds))],
        ));
    }
    s
}

/// The total and how much of it each cause explains; one cause is named once.
fn net_finding(ctx: &Ctx<'_>, period: &str, net: &str, gross: &str) -> String {
    let shares = cause_shares(ctx);
    if let [(cause, _)] = shares.as_slice() {
        let cause = ctx.t.text(&format!("cause-all-{}", cause_key(*cause)));
        return ctx.t.get(
            "finding-net-single",
            &[
                ("period", period),
                ("net", net),
                ("gross", gross),
                ("cause", &cause),
            ],
        );
    }
    ctx.t.get(
        "finding-net",
        &[
            ("period", period),
            ("net", net),
            ("gross", gross),
            ("causes", &cause_share_list(ctx, &shares)),
        ],
    )
}

/// Cost per cause without tax, largest first.
fn cause_shares(ctx: &Ctx<'_>) -> Vec<(Cause, Decimal)> {
    let mut shares: Vec<(Cause, Decimal)> = ctx
        .report
        .cost_by_cause()
        .into_iter()
        .filter(|(c, v)| *c != Cause::Tax && !cents(*v).is_zero())
        .collect();
    shares.sort_by_key(|share| std::cmp::Reverse(share.1));
    shares
}

/// "$15.77 is for services that have no free tier at all, $1.87 is ...".
fn cause_share_list(ctx: &Ctx<'_>, shares: &[(Cause, Decimal)]) -> String {
    let parts: Vec<String> = shares
        .iter()
        .map(|(cause, cost)| {
            ctx.t.get(
                &format!("cause-share-{}", cause_key(*cause)),
                &[("cost", &ctx.money(*cost))],
            )
        })
        .collect();
    list(ctx.t, &parts)
}

fn small_charges(ctx: &Ctx<'_>) -> Option<String> {
    let small = ctx.minor_charges();
    if small.is_empty() {
        return None;
    }
    let total: Decimal = small.iter().map(|c| c.cost).sum();
    Some(
        ctx.t
            .get_counted("small-charges", small.len(), &[("cost", &ctx.money(total))]),
    )
}

fn actions(ctx: &Ctx<'_>) -> Vec<Block> {
    if !ctx.report.charges_known {
        return vec![Block::Para(ctx.t.text("actions-usage-only"))];
    }
    if !ctx.has_charges() {
        return vec![Block::Para(ctx.t.text("actions-free"))];
    }
    let items = action_items(ctx);
    let mut blocks = Vec::new();
    if items.is_empty() {
        blocks.push(Block::Para(ctx.t.text("actions-none")));
    } else {
        let intro = if ctx.report.totals.net > Decimal::ZERO {
            "actions-intro"
        } else {
            "actions-intro-credits"
        };
        blocks.push(Block::Para(ctx.t.text(intro)));
        blocks.push(Block::Items(items));
    }
    blocks.push(Block::Para(
        ctx.t.get("actions-after", &[("month", &ctx.month())]),
    ));
    blocks
}

/// One item per distinct action (two lines of one NAT gateway share one).
fn action_items(ctx: &Ctx<'_>) -> Vec<Item> {
    let mut seen: Vec<(String, Option<String>)> = Vec::new();
    let mut items = Vec::new();
    for charge in ctx.major_charges() {
        let Some(action) = &charge.action else {
            continue;
        };
        let console = explain::text(&action.console, ctx.t.lang()).to_owned();
        let key = (console.clone(), action.cli.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let mut details = vec![ctx.t.get("action-console", &[("path", &console)])];
        if let Some(cli) = &action.cli {
            details.push(ctx.t.get("action-cli", &[("command", cli)]));
        }
        if action.needs_resource_id {
            details.push(match &action.find {
                Some(find) => ctx.t.get("action-find", &[("command", find)]),
                None => ctx.t.text("action-needs-id"),
            });
        }
        items.push(Item {
            lead: ctx.t.get("action-item", &[("what", &what(ctx, charge))]),
            details,
            children: Vec::new(),
        });
    }
    items
}

fn prevention(ctx: &Ctx<'_>) -> Vec<Item> {
    let mut tips = vec![
        ctx.t.text("prevent-budget"),
        ctx.t.text("prevent-alerts"),
        ctx.t.text("prevent-monthly"),
    ];
    tips.extend(cause_tips(ctx));
    tips.into_iter()
        .map(|lead| Item {
            lead,
            ..Item::default()
        })
        .collect()
}

/// Advice for the causes actually on this bill, once each; the shared
/// allowances in one reminder that names every offer it applies to.
fn cause_tips(ctx: &Ctx<'_>) -> Vec<String> {
    let shared: Vec<String> = ctx.major_charges().fold(Vec::new(), |mut all, charge| {
        if let Some(allowance) = shared_allowance(ctx, charge).filter(|a| !all.contains(a)) {
            all.push(allowance);
        }
        all
    });
    let mut tips: Vec<String> = Vec::new();
    for charge in ctx.major_charges() {
        let tip = match charge.cause {
            Cause::OverFreeLimit if shared_allowance(ctx, charge).is_some() => {
                Some(ctx.t.get_counted(
                    "prevent-shared-pool",
                    shared.len(),
                    &[("allowances", &list(ctx.t, &shared))],
                ))
            }
            Cause::FreeTierExpired => Some(ctx.t.text("prevent-expired")),
            Cause::NotEligible => Some(ctx.t.text("prevent-not-eligible")),
            Cause::NeverFree => Some(ctx.t.text("prevent-never-free")),
            _ => None,
        };
        if let Some(tip) = tip.filter(|t| !tips.contains(t)) {
            tips.push(tip);
        }
    }
    tips
}

/// `EC2 ... hours gives 750 hours a month in total`, for an allowance more than one resource used.
fn shared_allowance(ctx: &Ctx<'_>, charge: &Charge) -> Option<String> {
    let ChargeContext::OverFreeLimit {
        offer_name,
        limit,
        pool_resources,
        ..
    } = &charge.context
    else {
        return None;
    };
    (*pool_resources > 1).then(|| {
        ctx.t.get(
            "prevent-shared-allowance",
            &[
                ("offer", explain::text(offer_name, ctx.t.lang())),
                ("limit", &format::quantity(&ctx.loc, *limit, &charge.unit)),
            ],
        )
    })
}
