//! The associate's notes: the evidence behind each figure, what the data could
//! not decide, and an improvement proposal derived from the causes found.

use ftdesk_core::report::{Charge, ChargeContext, ExplorerRead};
use ftdesk_core::Cause;
use ftdesk_render::{explain, format};
use rust_decimal::Decimal;

use crate::ctx::{list, period, Ctx};
use crate::document::{Block, Document, Item};

pub(crate) fn notes(ctx: &Ctx<'_>) -> Document {
    let t = ctx.t;
    let mut doc = Document::default();
    doc.push(Block::Heading(t.text("notes-heading")));
    doc.push(Block::Para(inquiry_line(ctx)));
    if ctx.inquiry.month_mention.is_some() {
        doc.push(Block::Para(t.text("notes-month-unplaced")));
    }
    doc.push(Block::Heading(t.text("notes-evidence-heading")));
    doc.push(Block::Items(evidence(ctx)));
    doc.push(Block::Heading(t.text("notes-unknowns-heading")));
    doc.push(Block::Items(unknowns(ctx)));
    doc.push(Block::Heading(t.text("notes-proposal-heading")));
    doc.extend(proposal(ctx));
    doc
}

fn inquiry_line(ctx: &Ctx<'_>) -> String {
    let t = ctx.t;
    let inquiry = ctx.inquiry;
    let missing = t.text("notes-unknown-value");
    let amount = inquiry
        .amount
        .map(|a| format::money(a, inquiry.currency.as_deref().unwrap_or("USD")))
        .unwrap_or_else(|| missing.clone());
    let month = inquiry
        .month
        .map(|m| m.to_string())
        .unwrap_or_else(|| missing.clone());
    t.get(
        "notes-inquiry",
        &[
            ("name", inquiry.name.as_deref().unwrap_or(&missing)),
            ("amount", &amount),
            ("month", &month),
            ("lang", inquiry.lang.code()),
            ("share", &format!("{:.2}", inquiry.hangul_share)),
        ],
    )
}

fn plain(lead: String) -> Item {
    Item {
        lead,
        ..Item::default()
    }
}

fn evidence(ctx: &Ctx<'_>) -> Vec<Item> {
    let report = ctx.report;
    let totals = &report.totals;
    if !report.charges_known {
        return vec![plain(
            ctx.t
                .get("notes-usage-only", &[("as_of", &ctx.when(report.as_of))]),
        )];
    }
    let (key, read) = match report.explorer_read() {
        Some(read) => ("notes-totals-explorer", read),
        None => ("notes-totals", ExplorerRead::default()),
    };
    let mut items = vec![plain(ctx.t.get(
        key,
        &[
            ("gross", &ctx.money(totals.gross)),
            ("tax", &ctx.money(totals.tax)),
            ("credits", &ctx.money(totals.credits)),
            ("refunds", &ctx.money(totals.refunds)),
            ("net", &ctx.money(totals.net)),
            ("rows", &format::number(Decimal::from(report.rows), 0)),
            ("groups", &read.groups.to_string()),
            ("periods", &read.periods.to_string()),
            ("as_of", &ctx.when(report.as_of)),
        ],
    ))];
    items.extend(
        report
            .charges
            .iter()
            .enumerate()
            .map(|(i, c)| plain(charge_evidence(ctx, i + 1, c))),
    );
    items.extend(
        report
            .offers
            .iter()
            .filter(|o| !o.charged_cost.is_zero() || o.percent >= Decimal::ONE_HUNDRED)
            .map(|o| {
                plain(ctx.t.get(
                    "notes-offer",
                    &[
                        ("offer", &o.id),
                        ("used", &format::quantity(&ctx.loc, o.used, &o.unit)),
                        ("limit", &format::quantity(&ctx.loc, o.limit, &o.unit)),
                        ("percent", &format::percent(o.percent)),
                        (
                            "forecast",
                            &format::quantity(&ctx.loc, format::display_round(o.forecast), &o.unit),
                        ),
                        ("status", o.status.as_str()),
                    ],
                ))
            }),
    );
    items
}

/// A charge's rows, or for Cost Explorer's figures its periods.
fn rows_of(ctx: &Ctx<'_>, c: &Charge) -> String {
    let key = if ctx.report.explorer_read().is_some() {
        "notes-periods"
    } else {
        "notes-rows"
    };
    ctx.t.get(key, &[("rows", &c.rows.to_string())])
}

fn charge_evidence(ctx: &Ctx<'_>, n: usize, c: &Charge) -> String {
    let rate = c
        .rate
        .map(|r| format::rate(r, &ctx.report.currency))
        .unwrap_or_else(|| "-".to_owned());
    ctx.t.get(
        "notes-charge",
        &[
            ("n", &n.to_string()),
            ("usage_type", &c.usage_type),
            (
                "resource",
                if c.resource_id.is_empty() {
                    "-"
                } else {
                    &c.resource_id
                },
            ),
            ("region", if c.region.is_empty() { "-" } else { &c.region }),
            ("quantity", &format::quantity(&ctx.loc, c.quantity, &c.unit)),
            ("rate", &rate),
            (
                "cost",
                &format!("{} ({})", ctx.money(c.cost), c.cost.normalize()),
            ),
            ("cause", c.cause.as_str()),
            ("rows", &rows_of(ctx, c)),
            ("first", &c.first_hour.to_string()),
            ("last", &c.last_hour.to_string()),
        ],
    )
}

fn unknowns(ctx: &Ctx<'_>) -> Vec<Item> {
    let report = ctx.report;
    let mut items: Vec<Item> = report
        .unknowns
        .iter()
        .map(|u| plain(explain::unknown(&ctx.loc, u)))
        .chain(
            report
                .notes
                .iter()
                .map(|n| plain(explain::note(&ctx.loc, n))),
        )
        .collect();
    if items.is_empty() {
        items.push(plain(ctx.t.text("notes-nothing")));
    }
    items
}

/// Impact, then what the customer and the product could change, per cause found.
fn proposal(ctx: &Ctx<'_>) -> Vec<Block> {
    let t = ctx.t;
    let by_cause: Vec<String> = ctx
        .report
        .cost_by_cause()
        .into_iter()
        .filter(|(_, v)| !v.is_zero())
        .map(|(c, v)| format!("{} {}", explain::cause(&ctx.loc, c), ctx.money(v)))
        .collect();
    let causes = if by_cause.is_empty() {
        t.text("notes-nothing")
    } else {
        list(t, &by_cause)
    };
    let mut customer = Vec::new();
    let mut product = Vec::new();
    for (charge, usage_types) in charges_by_cause(ctx) {
        if let Some((c, p)) = proposals_for(ctx, charge, &usage_types) {
            push_unique(&mut customer, c);
            push_unique(&mut product, p);
        }
    }
    if usage_types_of(ctx, Cause::NeverFree)
        .iter()
        .any(|u| u.contains("NatGateway"))
    {
        push_unique(&mut product, t.text("proposal-product-nat-wizard"));
    }
    push_unique(&mut customer, t.text("proposal-customer-budget"));
    push_unique(&mut product, t.text("proposal-product-budget"));
    let impact = if ctx.report.charges_known {
        t.get(
            "notes-impact",
            &[
                ("net", &ctx.money(ctx.report.totals.net)),
                ("month", &period(ctx)),
                ("causes", &causes),
            ],
        )
    } else {
        t.get("notes-impact-unknown", &[("month", &period(ctx))])
    };
    vec![
        Block::Para(impact),
        Block::Para(t.text("notes-customer")),
        Block::Items(customer.into_iter().map(plain).collect()),
        Block::Para(t.text("notes-product")),
        Block::Items(product.into_iter().map(plain).collect()),
    ]
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The first charge of each cause, with every usage type billed for that cause.
fn charges_by_cause<'a>(ctx: &'a Ctx<'_>) -> Vec<(&'a Charge, String)> {
    let mut firsts: Vec<&Charge> = Vec::new();
    for charge in ctx.major_charges() {
        if !firsts.iter().any(|c| c.cause == charge.cause) {
            firsts.push(charge);
        }
    }
    firsts
        .into_iter()
        .map(|c| (c, list(ctx.t, &usage_types_of(ctx, c.cause))))
        .collect()
}

fn usage_types_of(ctx: &Ctx<'_>, cause: Cause) -> Vec<String> {
    let mut types: Vec<String> = Vec::new();
    for charge in ctx.major_charges().filter(|c| c.cause == cause) {
        push_unique(&mut types, charge.usage_type.clone());
    }
    types
}

fn proposals_for(ctx: &Ctx<'_>, charge: &Charge, usage_types: &str) -> Option<(String, String)> {
    let t = ctx.t;
    let usage = [("usage_type", usage_types)];
    match (&charge.cause, &charge.context) {
        (
            Cause::OverFreeLimit,
            ChargeContext::OverFreeLimit {
                offer_name,
                limit,
                pool_resources,
                ..
            },
        ) => {
            let limit = format::quantity(&ctx.loc, *limit, &charge.unit);
            let offer = explain::text(offer_name, t.lang());
            Some((
                t.get("proposal-customer-shared", &[("limit", &limit)]),
                t.get(
                    "proposal-product-shared",
                    &[
                        ("offer", offer),
                        ("limit", &limit),
                        ("resources", &pool_resources.to_string()),
                    ],
                ),
            ))
        }
        (Cause::FreeTierExpired, _) => Some((
            t.text("proposal-customer-expired"),
            t.text("proposal-product-expired"),
        )),
        (Cause::NotEligible, _) => Some((
            t.get("proposal-customer-not-eligible", &usage),
            t.get("proposal-product-not-eligible", &usage),
        )),
        (Cause::NeverFree, _) => Some((
            t.get("proposal-customer-never-free", &usage),
            t.get("proposal-product-never-free", &usage),
        )),
        _ => None,
    }
}
