//! Puts the report's structured facts into sentences.

use ftdesk_core::catalog::{Plan, Text};
use ftdesk_core::report::{
    Action, Charge, ChargeContext, Note, OfferUsage, PlanEvidence, Report, Status, TwelveMonths,
    Unknown,
};
use ftdesk_core::{Cause, DataSource};
use rust_decimal::Decimal;

use crate::l10n::{Arg, Localizer};
use crate::Lang;
use crate::{dates, format};

pub fn text(t: &Text, lang: Lang) -> &str {
    match lang {
        Lang::En => &t.en,
        Lang::Ko => &t.ko,
    }
}

/// The name of a source of figures ("Cost Explorer").
pub fn data_source(loc: &Localizer, source: DataSource) -> String {
    loc.text(&format!("source-{}", source.as_str()))
}

/// The billing sources of a report, named and joined; `None` when only the
/// Free Tier API was read.
pub fn bill_sources(loc: &Localizer, report: &Report) -> Option<String> {
    let names: Vec<String> = report
        .sources
        .iter()
        .filter(|s| **s != DataSource::FreeTierApi)
        .map(|s| data_source(loc, *s))
        .collect();
    (!names.is_empty()).then(|| names.join(" + "))
}

pub fn cause(loc: &Localizer, cause: Cause) -> String {
    loc.text(&format!("cause-{}", cause.as_str()))
}

pub fn status(loc: &Localizer, status: Status) -> String {
    loc.text(&format!("status-{}", status.as_str()))
}

pub fn plan(loc: &Localizer, report: &Report) -> String {
    let plan = loc.text(&format!("plan-{}", report.plan.as_str()));
    let evidence = match &report.plan_evidence {
        PlanEvidence::Given => loc.text("evidence-given"),
        PlanEvidence::CreatedOn(date) => {
            loc.get("evidence-created", &[("date", (&date.to_string()).into())])
        }
        PlanEvidence::FreePlanCredits { description } => {
            loc.get("evidence-credits", &[("description", description.into())])
        }
        PlanEvidence::FreeTierApi { plan_type, status } => loc.get(
            "evidence-api",
            &[("plan_type", plan_type.into()), ("status", status.into())],
        ),
        PlanEvidence::Assumed if report.explorer_read().is_some() => {
            loc.text("evidence-assumed-explorer")
        }
        PlanEvidence::Assumed => loc.text("evidence-assumed"),
    };
    format!("{plan} ({evidence})")
}

fn offer_name(report_lang: Lang, catalog_name: &Text) -> String {
    text(catalog_name, report_lang).to_owned()
}

pub fn twelve_months(loc: &Localizer, tm: &TwelveMonths) -> String {
    let lang = loc.lang();
    let m = |m: ftdesk_core::Month| dates::month(m, lang);
    match tm {
        TwelveMonths::NotApplicable => loc.text("twelve-na"),
        TwelveMonths::ActiveByDate { created, ends } => loc.get(
            "twelve-active-date",
            &[
                ("ends", (&m(*ends)).into()),
                ("created", (&created.to_string()).into()),
            ],
        ),
        TwelveMonths::ExpiredByDate { created, ended } => loc.get(
            "twelve-expired-date",
            &[
                ("ended", (&m(*ended)).into()),
                ("created", (&created.to_string()).into()),
            ],
        ),
        TwelveMonths::ActiveByBill { offer, worked_out } => loc.get(
            if *worked_out {
                "twelve-active-worked-out"
            } else {
                "twelve-active-bill"
            },
            &[("offer", (&offer_label(lang, offer)).into())],
        ),
        TwelveMonths::ExpiredByBill { offer, worked_out } => loc.get(
            if *worked_out {
                "twelve-expired-worked-out"
            } else {
                "twelve-expired-bill"
            },
            &[("offer", (&offer_label(lang, offer)).into())],
        ),
        TwelveMonths::Unknown => loc.text("twelve-unknown"),
    }
}

fn offer_label(lang: Lang, id: &str) -> String {
    let catalog = catalog();
    catalog
        .offer(id)
        .map(|o| text(&o.name, lang).to_owned())
        .unwrap_or_else(|| id.to_owned())
}

fn catalog() -> &'static ftdesk_core::Catalog {
    static CATALOG: std::sync::OnceLock<ftdesk_core::Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(ftdesk_core::Catalog::embedded)
}

/// `738 hours × $0.0116 = $8.56`.
pub fn line(loc: &Localizer, charge: &Charge, currency: &str) -> String {
    let quantity = format::quantity(loc, charge.quantity, &charge.unit);
    let cost = format::money(charge.cost, currency);
    match charge.rate {
        Some(rate) if !rate.is_zero() => loc.get(
            "line-cost",
            &[
                ("quantity", (&quantity).into()),
                ("rate", (&format::rate(rate, currency)).into()),
                ("cost", (&cost).into()),
            ],
        ),
        _ => loc.get(
            "line-cost-mixed",
            &[("quantity", (&quantity).into()), ("cost", (&cost).into())],
        ),
    }
}

/// The plain-language explanation of one charge.
pub fn charge(loc: &Localizer, charge: &Charge, currency: &str) -> String {
    let lang = loc.lang();
    let line = line(loc, charge, currency);
    let cost = format::money(charge.cost, currency);
    match &charge.context {
        ChargeContext::OverFreeLimit {
            offer_name: name,
            limit,
            pool_used,
            pool_resources,
            pool_accounts,
            bill_granted,
            ..
        } => {
            let unit = &charge.unit;
            let over = (*pool_used - *limit).max(Decimal::ZERO);
            let explanation = loc.get(
                "explain-over-free-limit",
                &[
                    ("offer", (&offer_name(lang, name)).into()),
                    ("limit", (&format::quantity(loc, *limit, unit)).into()),
                    ("used", (&format::quantity(loc, *pool_used, unit)).into()),
                    ("over", (&format::quantity(loc, over, unit)).into()),
                    ("resources", Arg::Num(*pool_resources as f64)),
                    ("accounts", Arg::Num(*pool_accounts as f64)),
                    ("line", (&line).into()),
                ],
            );
            if !bill_granted {
                return explanation;
            }
            let granted = loc.get(
                "explain-bill-granted",
                &[("usage_type", charge.usage_type.as_str().into())],
            );
            format!("{explanation} {granted}")
        }
        ChargeContext::FreeTierExpired {
            offer_name: name,
            evidence,
            ..
        } => free_tier_expired(loc, name, evidence, &line),
        ChargeContext::NotOnPlan {
            offer_name: name,
            plan,
            ..
        } => not_on_plan(loc, name, *plan, &line),
        ChargeContext::Rule {
            reason, instead, ..
        } => rule(loc, reason, instead.as_ref(), &line),
        ChargeContext::Tax { tax_type } if !tax_type.is_empty() => loc.get(
            "explain-tax",
            &[("tax_type", tax_type.into()), ("cost", (&cost).into())],
        ),
        ChargeContext::Tax { .. } => loc.get("explain-tax-untyped", &[("cost", (&cost).into())]),
        ChargeContext::Marketplace { seller } => loc.get(
            "explain-marketplace",
            &[("seller", seller.into()), ("line", (&line).into())],
        ),
        ChargeContext::Commitment { line_item_type } => loc.get(
            "explain-commitment",
            &[("kind", line_item_type.into()), ("cost", (&cost).into())],
        ),
        ChargeContext::Unrecognised => loc.get("explain-unrecognised", &[("line", (&line).into())]),
    }
}

/// Whether the 12-month state was read from Cost Explorer's figures.
fn worked_out(tm: &TwelveMonths) -> bool {
    matches!(
        tm,
        TwelveMonths::ActiveByBill {
            worked_out: true,
            ..
        } | TwelveMonths::ExpiredByBill {
            worked_out: true,
            ..
        }
    )
}

/// The message that says the 12 months ended as the data shows it: no
/// free-tier rows on a bill, or no free part in Cost Explorer's figures.
pub fn expired_evidence_key(evidence: &TwelveMonths) -> &'static str {
    match evidence {
        TwelveMonths::ExpiredByBill {
            worked_out: true, ..
        } => "expired-evidence-worked-out",
        _ => "expired-evidence-bill",
    }
}

fn free_tier_expired(loc: &Localizer, name: &Text, evidence: &TwelveMonths, line: &str) -> String {
    let lang = loc.lang();
    let evidence = match evidence {
        TwelveMonths::ExpiredByDate { created, ended } => loc.get(
            "expired-evidence-date",
            &[
                ("created", (&created.to_string()).into()),
                ("ended", (&dates::month(*ended, lang)).into()),
            ],
        ),
        _ => loc.text(expired_evidence_key(evidence)),
    };
    loc.get(
        "explain-free-tier-expired",
        &[
            ("offer", (&offer_name(lang, name)).into()),
            ("evidence", (&evidence).into()),
            ("line", line.into()),
        ],
    )
}

fn not_on_plan(loc: &Localizer, name: &Text, plan: Plan, line: &str) -> String {
    let plan = plan_short(loc, plan);
    loc.get(
        "explain-not-on-plan",
        &[
            ("offer", (&offer_name(loc.lang(), name)).into()),
            ("plan", (&plan).into()),
            ("line", line.into()),
        ],
    )
}

fn rule(loc: &Localizer, reason: &Text, instead: Option<&Text>, line: &str) -> String {
    let lang = loc.lang();
    match instead {
        Some(instead) => loc.get(
            "explain-rule-instead",
            &[
                ("reason", text(reason, lang).into()),
                ("instead", text(instead, lang).into()),
                ("line", line.into()),
            ],
        ),
        None => loc.get(
            "explain-rule",
            &[("reason", text(reason, lang).into()), ("line", line.into())],
        ),
    }
}

fn plan_short(loc: &Localizer, plan: Plan) -> String {
    let full = loc.text(&format!("plan-{}", plan.as_str()));
    full.split(':').next().unwrap_or(&full).to_owned()
}

/// Console path and CLI command, one per line.
pub fn action(loc: &Localizer, action: &Action) -> Vec<String> {
    let mut lines = vec![loc.get(
        "action-console",
        &[("path", text(&action.console, loc.lang()).into())],
    )];
    if let Some(cli) = &action.cli {
        lines.push(loc.get("action-cli", &[("command", cli.into())]));
    }
    if action.needs_resource_id {
        lines.push(match &action.find {
            Some(find) => loc.get("action-find", &[("command", find.into())]),
            None => loc.text("action-needs-id"),
        });
    }
    lines
}

/// The offer's status and when its limit was or will be crossed, as
/// precisely as the data knows times (`hourly`: see [`dates::moment`]).
pub fn offer_state(loc: &Localizer, offer: &OfferUsage, hourly: bool) -> String {
    let lang = loc.lang();
    let mut parts = vec![status(loc, offer.status)];
    if let Some(t) = offer.crossed_at {
        parts.push(loc.get(
            "crossed-at",
            &[("when", (&dates::moment(t, lang, hourly)).into())],
        ));
    } else if let Some(t) = offer.will_cross_at {
        parts.push(loc.get(
            "will-cross-at",
            &[("when", (&dates::moment(t, lang, hourly)).into())],
        ));
    }
    parts.join(", ")
}

/// The Free Tier API's figures for an offer, in one line.
pub fn offer_api(loc: &Localizer, offer: &OfferUsage) -> Option<String> {
    let api = offer.api.as_ref()?;
    let unit = if api.unit.is_empty() {
        &offer.unit
    } else {
        &api.unit
    };
    let q = |d| format::quantity(loc, format::display_round(d), unit);
    let line = loc.get(
        "offer-api",
        &[
            ("actual", (&q(api.actual)).into()),
            ("forecast", (&q(api.forecast)).into()),
            ("limit", (&q(api.limit)).into()),
            ("type", (&api.free_tier_type).into()),
        ],
    );
    Some(if offer.in_bill {
        line
    } else {
        format!("{line}; {}", loc.text("offer-api-only"))
    })
}

/// The account plan as the Free Tier API reported it, if it was asked.
pub fn plan_state(loc: &Localizer, report: &Report) -> Option<String> {
    let state = report.plan_state.as_ref()?;
    let mut parts = Vec::new();
    if let Some(credits) = state.remaining_credits {
        let currency = state.credits_currency.as_deref().unwrap_or("USD");
        parts.push(loc.get(
            "plan-state-credits",
            &[("credits", (&format::money(credits, currency)).into())],
        ));
    }
    if let Some(expires) = state.expires {
        parts.push(loc.get(
            "plan-state-expires",
            &[("date", (&expires.date().to_string()).into())],
        ));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

pub fn offer_title(loc: &Localizer, offer: &OfferUsage) -> String {
    let mut title = text(&offer.name, loc.lang()).to_owned();
    if let Some(region) = &offer.region {
        title.push_str(&format!(
            " ({})",
            loc.get("offer-region", &[("region", region.into())])
        ));
    }
    title
}

/// One arm per kind of [`Unknown`], each a single message with its arguments:
/// as long as the enum is, and kept whole so a new kind cannot be forgotten.
pub fn unknown(loc: &Localizer, unknown: &Unknown) -> String {
    let lang = loc.lang();
    match unknown {
        Unknown::TwelveMonthsInferred(tm) => loc.get(
            if worked_out(tm) {
                "unknown-twelve-inferred-worked-out"
            } else {
                "unknown-twelve-inferred"
            },
            &[("finding", (&twelve_months(loc, tm)).into())],
        ),
        Unknown::TwelveMonthsEndInMonth { created } => {
            let month = dates::month(created.month().plus_months(12), lang);
            loc.get(
                "unknown-twelve-ends",
                &[
                    ("month", (&month).into()),
                    ("created", (&created.to_string()).into()),
                ],
            )
        }
        Unknown::PlanAssumed { worked_out } => loc.text(if *worked_out {
            "unknown-plan-assumed-explorer"
        } else {
            "unknown-plan-assumed"
        }),
        Unknown::CreditBalance => loc.text("unknown-credit-balance"),
        Unknown::NoResourceIds => loc.text("unknown-no-resource-ids"),
        Unknown::MonthOpen { as_of } => loc.get(
            "unknown-month-open",
            &[("as_of", (&dates::timestamp(*as_of, lang)).into())],
        ),
        Unknown::UnknownRegion { usage_type } => {
            loc.get("unknown-region", &[("usage_type", usage_type.into())])
        }
        Unknown::Aggregated { granularity } => loc.get(
            "unknown-aggregated",
            &[("granularity", granularity.as_str().into())],
        ),
        Unknown::ProductAssumed {
            usage_type,
            product,
            others,
        } => loc.get(
            "unknown-product-assumed",
            &[
                ("usage_type", usage_type.into()),
                ("product", product.into()),
                ("others", (&others.join(", ")).into()),
            ],
        ),
        Unknown::OperationAssumed {
            usage_type,
            operation,
            others,
        } => loc.get(
            "unknown-operation-assumed",
            &[
                ("usage_type", usage_type.into()),
                ("operation", operation.into()),
                ("others", (&others.join(", ")).into()),
            ],
        ),
        Unknown::Estimated { periods } => loc.get(
            "unknown-estimated",
            &[("periods", Arg::Num(*periods as f64))],
        ),
        Unknown::RateAboveCatalogue {
            usage_type,
            operation,
            rate,
            catalogue,
        } => loc.get(
            "unknown-rate-above-catalogue",
            &[
                ("usage_type", (&labelled(usage_type, operation)).into()),
                ("rate", (&rate.to_string()).into()),
                ("catalogue", (&catalogue.to_string()).into()),
            ],
        ),
        Unknown::RateBelowCatalogue {
            usage_type,
            operation,
            rate,
            catalogue,
        } => loc.get(
            "unknown-rate-below-catalogue",
            &[
                ("usage_type", (&labelled(usage_type, operation)).into()),
                ("rate", (&rate.to_string()).into()),
                ("catalogue", (&catalogue.to_string()).into()),
            ],
        ),
        Unknown::RateFromData {
            usage_type,
            operation,
            rate,
        } => loc.get(
            "unknown-rate-from-data",
            &[
                ("usage_type", (&labelled(usage_type, operation)).into()),
                ("rate", (&rate.to_string()).into()),
            ],
        ),
        Unknown::OperationFromPrice {
            usage_type,
            operation,
            price,
        } => loc.get(
            "unknown-operation-from-price",
            &[
                ("usage_type", usage_type.into()),
                ("operation", operation.into()),
                ("price", price.into()),
            ],
        ),
        Unknown::OperationAssumedForPrice {
            usage_type,
            operation,
            price,
        } => loc.get(
            "unknown-operation-assumed-for-price",
            &[
                ("usage_type", usage_type.into()),
                ("operation", operation.into()),
                ("price", price.into()),
            ],
        ),
        Unknown::SharedPoolUndecided { offer, usage_types } => loc.get(
            "unknown-shared-pool-undecided",
            &[
                ("offer", offer.into()),
                ("usage_types", (&usage_types.join(", ")).into()),
            ],
        ),
        Unknown::MixedRates {
            usage_type,
            operation,
            periods,
            rate,
        } => loc.get(
            "unknown-mixed-rates",
            &[
                ("usage_type", (&labelled(usage_type, operation)).into()),
                ("periods", Arg::Num(*periods as f64)),
                ("rate", (&rate.to_string()).into()),
            ],
        ),
        Unknown::Pasted { lines } => {
            loc.get("unknown-pasted", &[("lines", Arg::Num(*lines as f64))])
        }
        Unknown::PastedUsageType { line, description } => loc.get(
            "unknown-pasted-usage-type",
            &[
                ("line", (&line.to_string()).into()),
                ("description", description.into()),
            ],
        ),
    }
}

/// A usage type, with its operation where the report names it (RHEL and
/// SUSE hours under one usage type).
fn labelled(usage_type: &str, operation: &Option<String>) -> String {
    match operation {
        Some(operation) => format!("{usage_type} ({operation})"),
        None => usage_type.to_owned(),
    }
}

pub fn note(loc: &Localizer, note: &Note) -> String {
    match note {
        Note::BillGrantedFree {
            usage_type,
            offer,
            quantity,
            unit,
        } => loc.get(
            "note-bill-granted",
            &[
                ("usage_type", usage_type.into()),
                ("quantity", (&format::quantity(loc, *quantity, unit)).into()),
                ("offer", offer.as_deref().unwrap_or("none").into()),
            ],
        ),
        Note::ChargedUnderLimit { offer, used, limit } => {
            let unit = catalog()
                .offer(offer)
                .map(|o| o.unit.as_str())
                .unwrap_or("");
            loc.get(
                "note-charged-under-limit",
                &[
                    ("offer", (&offer_label(loc.lang(), offer)).into()),
                    ("used", (&format::quantity(loc, *used, unit)).into()),
                    ("limit", (&format::quantity(loc, *limit, unit)).into()),
                ],
            )
        }
        Note::ApiDiffers {
            offer,
            api_actual,
            bill_used,
            unit,
        } => loc.get(
            "note-api-differs",
            &[
                ("offer", (&offer_label(loc.lang(), offer)).into()),
                ("api", (&format::quantity(loc, *api_actual, unit)).into()),
                ("bill", (&format::quantity(loc, *bill_used, unit)).into()),
            ],
        ),
        Note::ApiLimitDiffers {
            offer,
            api_limit,
            catalog_limit,
            unit,
        } => loc.get(
            "note-api-limit",
            &[
                ("offer", (&offer_label(loc.lang(), offer)).into()),
                ("api", (&format::quantity(loc, *api_limit, unit)).into()),
                (
                    "catalog",
                    (&format::quantity(loc, *catalog_limit, unit)).into(),
                ),
            ],
        ),
        Note::ApiUnknownOffer {
            usage_type,
            description,
        } => loc.get(
            "note-api-unknown",
            &[
                ("usage_type", usage_type.into()),
                ("description", description.into()),
            ],
        ),
        Note::OrganizationShared { accounts } => loc.get(
            "note-organization",
            &[
                ("count", Arg::Num(accounts.len() as f64)),
                ("accounts", (&accounts.join(", ")).into()),
            ],
        ),
    }
}
