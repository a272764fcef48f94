//! The rules: a report, the configuration and the time in; alerts out.

use ftdesk_core::report::{Action, Charge, OfferUsage};
use ftdesk_core::{Cause, Date, Report, Timestamp};
use ftdesk_render::{dates, explain, format, Lang};
use rust_decimal::Decimal;

use crate::alert::{alert_id, Alert, AlertKind};
use crate::config::GuardConfig;
use crate::words::Words;

const DAY: i64 = 86_400;

/// Every alert the report deserves under `config` at time `now`, in the
/// configured language. The same condition in the same month gives the same id.
pub fn evaluate(report: &Report, config: &GuardConfig, now: Timestamp) -> Vec<Alert> {
    let words = Words::new(config.language());
    let facts = Facts {
        report,
        words: &words,
    };
    let rules = &config.rules;
    let mut alerts = Vec::new();
    for offer in report.offers.iter().filter(|o| o.limit > Decimal::ZERO) {
        alerts.extend(threshold_alert(&facts, offer, &rules.thresholds));
        if rules.forecast {
            alerts.extend(forecast_alert(&facts, offer));
        }
    }
    if let Some(floor) = rules.charge_floor {
        alerts.extend(net_charge_alert(&facts, floor));
    }
    if rules.never_free {
        alerts.extend(never_free_alerts(&facts));
    }
    if let Some(floor) = rules.credits_below {
        alerts.extend(credits_alert(&facts, floor));
    }
    if let Some(days) = rules.plan_end_days {
        alerts.extend(plan_end_alert(&facts, days, now));
    }
    if let (Some(days), Some(created)) = (rules.twelve_months_days, config.account_created) {
        alerts.extend(twelve_months_alert(&facts, created, days, now));
    }
    alerts
}

struct Facts<'a> {
    report: &'a Report,
    words: &'a Words,
}

impl Facts<'_> {
    fn lang(&self) -> Lang {
        self.words.lang
    }

    fn month(&self) -> String {
        dates::month(self.report.month, self.lang())
    }

    fn money(&self, amount: Decimal) -> String {
        format::money(amount, &self.report.currency)
    }

    fn when(&self, t: Timestamp) -> String {
        dates::moment(t, self.lang(), self.report.hourly)
    }

    fn action(&self, action: Option<&Action>) -> Vec<String> {
        match action {
            Some(action) => explain::action(&self.words.render, action),
            None => vec![self.words.get("guard-no-action", &[])],
        }
    }

    /// An alert with its id; the words are filled in by the caller.
    fn alert(&self, kind: AlertKind, subject: &str, threshold: &str) -> Alert {
        let account = self.report.payer_account.clone();
        let month = self.report.month.to_string();
        Alert {
            id: alert_id(&account, &month, kind, subject, threshold),
            kind,
            account,
            month,
            subject: subject.to_owned(),
            threshold: threshold.to_owned(),
            lang: self.lang().code().to_owned(),
            title: String::new(),
            amount: String::new(),
            by_when: None,
            action: Vec::new(),
        }
    }
}

fn offer_subject(offer: &OfferUsage) -> String {
    match &offer.region {
        Some(region) => format!("{}@{region}", offer.id),
        None => offer.id.clone(),
    }
}

/// The highest of the user's percentages the offer has reached: lower ones
/// are implied by it, so one alert says it all.
fn threshold_alert(facts: &Facts, offer: &OfferUsage, thresholds: &[Decimal]) -> Option<Alert> {
    let threshold = thresholds
        .iter()
        .copied()
        .filter(|t| offer.percent >= *t)
        .max()?;
    let words = facts.words;
    let name = explain::offer_title(&words.render, offer);
    let threshold_text = threshold.normalize().to_string();
    let mut alert = facts.alert(AlertKind::Threshold, &offer_subject(offer), &threshold_text);
    alert.title = words.get(
        "guard-threshold-title",
        &[
            ("offer", &name),
            ("percent", &format::percent(offer.percent)),
            ("threshold", &threshold_text),
        ],
    );
    alert.amount = words.get(
        "guard-threshold-amount",
        &[
            (
                "used",
                &format::quantity(&words.render, offer.used, &offer.unit),
            ),
            (
                "limit",
                &format::quantity(&words.render, offer.limit, &offer.unit),
            ),
            ("month", &facts.month()),
        ],
    );
    alert.by_when = crossing_words(facts, offer);
    alert.action = facts.action(offer.action.as_ref());
    Some(alert)
}

fn crossing_words(facts: &Facts, offer: &OfferUsage) -> Option<String> {
    if let Some(crossed) = offer.crossed_at {
        return Some(
            facts
                .words
                .get("guard-crossed-when", &[("when", &facts.when(crossed))]),
        );
    }
    offer.will_cross_at.map(|at| {
        facts
            .words
            .get("guard-forecast-when", &[("when", &facts.when(at))])
    })
}

/// Still under the allowance, but the month-end forecast passes it: from the
/// billing data's run-rate (with the hour it crosses) or from the Free Tier
/// API's own forecast (without one).
fn forecast_alert(facts: &Facts, offer: &OfferUsage) -> Option<Alert> {
    if offer.used >= offer.limit || offer.forecast <= offer.limit {
        return None;
    }
    let words = facts.words;
    let mut alert = facts.alert(AlertKind::Forecast, &offer_subject(offer), "limit");
    alert.title = words.get(
        "guard-forecast-title",
        &[("offer", &explain::offer_title(&words.render, offer))],
    );
    alert.amount = words.get(
        "guard-forecast-amount",
        &[
            (
                "forecast",
                &format::quantity(&words.render, offer.forecast, &offer.unit),
            ),
            (
                "limit",
                &format::quantity(&words.render, offer.limit, &offer.unit),
            ),
        ],
    );
    let last_day = facts.report.month.end().plus_seconds(-1).date();
    alert.by_when = Some(match offer.will_cross_at {
        Some(at) => words.get("guard-forecast-when", &[("when", &facts.when(at))]),
        None => words.get(
            "guard-forecast-month-end",
            &[("date", &last_day.to_string())],
        ),
    });
    alert.action = facts.action(offer.action.as_ref());
    Some(alert)
}

fn largest_charge(report: &Report) -> Option<&Charge> {
    report
        .charges
        .iter()
        .filter(|c| c.cause != Cause::Tax)
        .max_by_key(|c| c.cost)
}

fn net_charge_alert(facts: &Facts, floor: Decimal) -> Option<Alert> {
    let totals = &facts.report.totals;
    if !facts.report.charges_known || totals.net <= floor {
        return None;
    }
    let words = facts.words;
    let largest = largest_charge(facts.report);
    let mut alert = facts.alert(AlertKind::NetCharge, "net", &floor.normalize().to_string());
    alert.title = words.get(
        "guard-charge-title",
        &[
            ("month", &facts.month()),
            ("net", &facts.money(totals.net)),
            ("floor", &facts.money(floor)),
        ],
    );
    let largest_text = largest.map_or_else(String::new, |c| {
        format!(
            "{} {} ({})",
            c.product_code,
            c.usage_type,
            facts.money(c.cost)
        )
    });
    alert.amount = words.get(
        "guard-charge-amount",
        &[
            ("net", &facts.money(totals.net)),
            ("gross", &facts.money(totals.gross)),
            ("largest", &largest_text),
        ],
    );
    alert.action = facts.action(largest.and_then(|c| c.action.as_ref()));
    Some(alert)
}

/// One alert per never-free resource (or usage type, when the data has no ids).
fn never_free_alerts(facts: &Facts) -> Vec<Alert> {
    let mut by_resource: Vec<(String, Vec<&Charge>)> = Vec::new();
    for charge in facts
        .report
        .charges
        .iter()
        .filter(|c| c.cause == Cause::NeverFree && c.cost > Decimal::ZERO)
    {
        let key = if charge.resource_id.is_empty() {
            charge.usage_type.clone()
        } else {
            charge.resource_id.clone()
        };
        match by_resource.iter_mut().find(|(k, _)| *k == key) {
            Some((_, charges)) => charges.push(charge),
            None => by_resource.push((key, vec![charge])),
        }
    }
    by_resource
        .into_iter()
        .map(|(resource, charges)| never_free_alert(facts, &resource, &charges))
        .collect()
}

fn never_free_alert(facts: &Facts, resource: &str, charges: &[&Charge]) -> Alert {
    let words = facts.words;
    let first = charges[0];
    let cost: Decimal = charges.iter().map(|c| c.cost).sum();
    let since = charges
        .iter()
        .map(|c| c.first_hour)
        .min()
        .unwrap_or(first.first_hour);
    let mut alert = facts.alert(AlertKind::NeverFree, resource, "any");
    alert.title = words.get(
        "guard-never-free-title",
        &[("resource", resource), ("service", &first.product_code)],
    );
    alert.amount = words.get(
        "guard-never-free-amount",
        &[
            ("cost", &facts.money(cost)),
            ("month", &facts.month()),
            ("usages", &cost_by_usage_type(facts, charges)),
        ],
    );
    alert.by_when = Some(words.get("guard-never-free-when", &[("when", &facts.when(since))]));
    alert.action = facts.action(first.action.as_ref());
    alert
}

/// "NatGateway-Hours $33.48, NatGateway-Bytes $0.45": every usage type the
/// total covers, the largest first.
fn cost_by_usage_type(facts: &Facts, charges: &[&Charge]) -> String {
    let mut by_usage: Vec<(&str, Decimal)> = Vec::new();
    for charge in charges {
        match by_usage.iter_mut().find(|(u, _)| *u == charge.usage_type) {
            Some((_, cost)) => *cost += charge.cost,
            None => by_usage.push((&charge.usage_type, charge.cost)),
        }
    }
    by_usage.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    by_usage
        .iter()
        .map(|(usage, cost)| format!("{usage} {}", facts.money(*cost)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn credits_alert(facts: &Facts, floor: Decimal) -> Option<Alert> {
    let state = facts.report.plan_state.as_ref()?;
    let remaining = state.remaining_credits?;
    if remaining >= floor {
        return None;
    }
    let currency = state.credits_currency.as_deref().unwrap_or("USD");
    let words = facts.words;
    let remaining_text = format::money(remaining, currency);
    let mut alert = facts.alert(
        AlertKind::CreditsLow,
        "credits",
        &floor.normalize().to_string(),
    );
    alert.title = words.get("guard-credits-title", &[("remaining", &remaining_text)]);
    alert.amount = words.get(
        "guard-credits-amount",
        &[
            ("remaining", &remaining_text),
            ("floor", &format::money(floor, currency)),
        ],
    );
    alert.action = facts.action(None);
    Some(alert)
}

fn days_until(end: Timestamp, now: Timestamp) -> i64 {
    (end.unix() - now.unix()).div_euclid(DAY)
}

fn plan_end_alert(facts: &Facts, within: u32, now: Timestamp) -> Option<Alert> {
    let expires = facts.report.plan_state.as_ref()?.expires?;
    let days = days_until(expires, now);
    if !(0..=i64::from(within)).contains(&days) {
        return None;
    }
    let words = facts.words;
    let date = expires.date().to_string();
    let mut alert = facts.alert(AlertKind::PlanEnding, "free-plan", &within.to_string());
    alert.title = words.get("guard-plan-end-title", &[("date", &date)]);
    alert.amount = words.get("guard-plan-end-amount", &[("days", &days.to_string())]);
    alert.by_when = Some(facts.when(expires));
    alert.action = facts.action(None);
    Some(alert)
}

/// The first day after the 12 months: the creation date's anniversary.
fn twelve_months_end(created: Date) -> Timestamp {
    let year = created.year + 1;
    let last_day = ftdesk_core::Month::new(year, created.month).map_or(28, |m| m.days());
    Timestamp::from_civil(year, created.month, created.day.min(last_day), 0, 0, 0)
}

fn twelve_months_alert(facts: &Facts, created: Date, within: u32, now: Timestamp) -> Option<Alert> {
    let end = twelve_months_end(created);
    let days = days_until(end, now);
    if !(0..=i64::from(within)).contains(&days) {
        return None;
    }
    let words = facts.words;
    let date = end.date().to_string();
    let mut alert = facts.alert(
        AlertKind::TwelveMonthsEnding,
        &created.to_string(),
        &within.to_string(),
    );
    alert.title = words.get("guard-twelve-months-title", &[("date", &date)]);
    alert.amount = words.get("guard-twelve-months-amount", &[("days", &days.to_string())]);
    alert.by_when = Some(facts.when(end));
    alert.action = facts.action(None);
    Some(alert)
}
