//! The take-home case: a customer's inquiry, the account's bill and the answer key.
//!
//! [`plan_case`] turns a seed into a case (who writes, in which language, what the
//! account ran); the caller bills the plan's [`Mix`] with ftdesk-sample and runs the
//! accounting on that bill; [`CaseTruth::from_report`] keeps what the accounting
//! found, and [`inquiry_text`] writes the customer's message around it.

use std::sync::OnceLock;

use ftdesk_core::{Catalog, Cause, Month, Report};
use ftdesk_sample::{Ingredient, Mix};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::l10n::fill_args;
use crate::quantity::{Quantity, Unit};
use crate::rng::Rng;
use crate::{Lang, PracticeError};

const TOPICS: &str = include_str!("../data/case/topics.toml");
const INQUIRIES: &str = include_str!("../data/case/inquiries.toml");
const ASSIGNMENT: &str = include_str!("../data/case/assignment.toml");

/// What a charge is about, and the words that show an answer addresses it.
#[derive(Debug, Deserialize)]
pub struct Topic {
    pub id: String,
    causes: Vec<String>,
    usage_types: Vec<String>,
    pub name_en: String,
    pub name_ko: String,
    terms_en: Vec<String>,
    terms_ko: Vec<String>,
    claims_en: Vec<String>,
    claims_ko: Vec<String>,
    stop_en: Vec<String>,
    stop_ko: Vec<String>,
    hint_en: String,
    hint_ko: String,
}

impl Topic {
    pub fn name(&self, lang: Lang) -> &str {
        crate::bank::pick(lang, &self.name_en, &self.name_ko)
    }

    pub fn terms(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.terms_en,
            Lang::Ko => &self.terms_ko,
        }
    }

    /// The names an answer uses when it puts a charge down to this cause.
    pub fn claims(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.claims_en,
            Lang::Ko => &self.claims_ko,
        }
    }

    pub fn stop_terms(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.stop_en,
            Lang::Ko => &self.stop_ko,
        }
    }

    fn hint(&self, lang: Lang) -> &str {
        crate::bank::pick(lang, &self.hint_en, &self.hint_ko)
    }

    fn covers(&self, cause: Cause, usage_type: &str) -> bool {
        self.causes.iter().any(|c| c == cause.as_str())
            && self
                .usage_types
                .iter()
                .any(|u| usage_type.contains(u.as_str()))
    }
}

#[derive(Debug, Deserialize)]
struct Person {
    lang: String,
    name: String,
    opening: String,
    body: String,
    closing: String,
}

#[derive(Debug, Deserialize)]
struct Quotes {
    exact_en: String,
    exact_ko: String,
    mismatch_en: String,
    mismatch_ko: String,
    none_en: String,
    none_ko: String,
}

#[derive(Debug, Deserialize)]
struct TopicsFile {
    topic: Vec<Topic>,
}

#[derive(Debug, Deserialize)]
struct InquiriesFile {
    person: Vec<Person>,
    quote: Quotes,
}

#[derive(Debug, Deserialize)]
struct AssignmentFile {
    en: String,
    ko: String,
}

struct CaseData {
    topics: Vec<Topic>,
    inquiries: InquiriesFile,
    assignment: AssignmentFile,
}

fn data() -> &'static CaseData {
    static DATA: OnceLock<CaseData> = OnceLock::new();
    DATA.get_or_init(|| parse_data().expect("bundled case data parses; a test checks it"))
}

fn parse_data() -> Result<CaseData, toml::de::Error> {
    let topics: TopicsFile = toml::from_str(TOPICS)?;
    Ok(CaseData {
        topics: topics.topic,
        inquiries: toml::from_str(INQUIRIES)?,
        assignment: toml::from_str(ASSIGNMENT)?,
    })
}

/// Every topic a case can be about, in the order charges are matched to them.
pub fn topics() -> &'static [Topic] {
    &data().topics
}

pub fn topic(id: &str) -> Option<&'static Topic> {
    topics().iter().find(|t| t.id == id)
}

/// The topic a charge belongs to, if any.
pub fn topic_of(cause: Cause, usage_type: &str) -> Option<&'static Topic> {
    topics().iter().find(|t| t.covers(cause, usage_type))
}

/// How the customer quotes the bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quote {
    Exact,
    /// A figure that does not match the bill.
    Mismatch,
    None,
}

/// What the customer attached: a Cost and Usage Report, or what Cost
/// Explorer gave them (`aws ce get-cost-and-usage`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseSource {
    #[default]
    Cur,
    CostExplorer,
}

/// A case before it is billed: everything the seed decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePlan {
    /// The kind of billing file (chosen by the caller, not the seed).
    pub source: CaseSource,
    pub seed: u64,
    pub difficulty: u8,
    pub lang: Lang,
    pub mix: Mix,
    person: usize,
    pub quote: Quote,
    /// Percent of the real bill a mismatched quote shows.
    mismatch_percent: u32,
}

impl CasePlan {
    pub fn customer(&self) -> &'static str {
        &data().inquiries.person[self.person].name
    }

    /// The billing file's name inside the case folder's `billing/`.
    pub fn billing_file(&self) -> String {
        match self.source {
            CaseSource::Cur => format!("cur-{}-{}.csv", self.mix.month, self.mix.region),
            CaseSource::CostExplorer => {
                format!("cost-explorer-{}-{}.json", self.mix.month, self.mix.region)
            }
        }
    }

    /// The billing file's bytes for the case's rows, as the customer attaches it.
    pub fn billing_bytes(&self, rows: &[ftdesk_sample::CurRow]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        match self.source {
            CaseSource::Cur => ftdesk_sample::write_rows_csv(rows, &mut out)?,
            CaseSource::CostExplorer => ftdesk_sample::write_rows_cost_explorer_json(
                rows,
                self.mix.month,
                ftdesk_sample::CostExplorerGrouping::RecordType,
                &mut out,
            )?,
        }
        Ok(out)
    }
}

/// Months of a legacy account's first year (the account is from early 2025).
const MONTHS: [(i32, u8); 5] = [(2025, 8), (2025, 9), (2025, 10), (2025, 11), (2025, 12)];
const REGIONS: [&str; 2] = ["us-east-1", "ap-northeast-2"];

/// Everything a seed decides. `lang` `None` lets the seed choose (Korean one time in three).
pub fn plan_case(seed: u64, difficulty: u8, lang: Option<Lang>) -> Result<CasePlan, PracticeError> {
    if !(1..=3).contains(&difficulty) {
        return Err(PracticeError::BadDifficulty(difficulty));
    }
    let mut rng = Rng::new(seed);
    let lang = lang.unwrap_or(if rng.range(0, 2) == 0 {
        Lang::Ko
    } else {
        Lang::En
    });
    let (year, number) = rng.pick(&MONTHS);
    let month = Month::new(year, number).expect("listed months are valid");
    let region = rng.pick(&REGIONS);
    let ingredients = pick_ingredients(&mut rng, month, region, difficulty);
    let people: Vec<usize> = (0..data().inquiries.person.len())
        .filter(|&i| data().inquiries.person[i].lang == lang.code())
        .collect();
    let person = rng.pick(&people);
    let quote = rng.pick(&[Quote::Exact, Quote::Mismatch, Quote::None]);
    let mismatch_percent = rng.pick(&[60, 125, 150, 180]);
    Ok(CasePlan {
        source: CaseSource::Cur,
        seed,
        difficulty,
        lang,
        mix: Mix {
            month,
            region,
            ingredients,
        },
        person,
        quote,
        mismatch_percent,
    })
}

/// `difficulty` distinct causes that can be priced in the region and do not hide each other.
fn pick_ingredients(rng: &mut Rng, month: Month, region: &str, difficulty: u8) -> Vec<Ingredient> {
    let all = month.hours();
    let mut chosen: Vec<Ingredient> = Vec::new();
    while chosen.len() < usize::from(difficulty) {
        let candidate = match rng.range(0, 6) {
            0 => Ingredient::SecondInstance {
                from_hour: rng.range(all / 4, all - 72),
            },
            1 => Ingredient::NatGateway {
                hours: rng.range(48, all),
                gb: rng.range(1, 40),
            },
            2 => Ingredient::IdleAddress {
                hours: rng.range(72, all),
            },
            3 => Ingredient::ExtraVolume {
                gb: rng.range(30, 120),
            },
            4 => Ingredient::S3Requests {
                puts: rng.range(3, 40) * 1_000,
                gets: rng.range(25, 200) * 1_000,
            },
            5 => Ingredient::RdsMultiAz {
                hours: rng.range(72, all),
            },
            _ => Ingredient::Expired,
        };
        if candidate.priced_in(region) && !chosen.iter().any(|c| clashes(*c, candidate)) {
            chosen.push(candidate);
        }
    }
    chosen
}

fn kind(i: Ingredient) -> u8 {
    match i {
        Ingredient::SecondInstance { .. } => 0,
        Ingredient::NatGateway { .. } => 1,
        Ingredient::IdleAddress { .. } => 2,
        Ingredient::ExtraVolume { .. } => 3,
        Ingredient::S3Requests { .. } => 4,
        Ingredient::RdsMultiAz { .. } => 5,
        Ingredient::Expired => 6,
    }
}

/// Two of a kind, or an ended free tier with usage it would bill as ended too.
fn clashes(a: Ingredient, b: Ingredient) -> bool {
    let (a, b) = (kind(a), kind(b));
    a == b || matches!((a.min(b), a.max(b)), (0, 6) | (3, 6))
}

/// One cause of the bill as the accounting found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicTruth {
    pub topic: String,
    pub cause: String,
    pub cost: Decimal,
    pub usage_types: Vec<String>,
    pub resources: Vec<String>,
}

/// The answer key in `.truth.json`: what `ftdesk check` found in the case's bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseTruth {
    pub about: String,
    pub seed: u64,
    pub difficulty: u8,
    pub lang: String,
    pub customer: String,
    pub month: String,
    pub region: String,
    pub billing: String,
    pub catalog_version: String,
    pub net: Decimal,
    pub gross: Decimal,
    pub tax: Decimal,
    pub credits: Decimal,
    pub quote: Quote,
    pub quoted: Option<Decimal>,
    pub topics: Vec<TopicTruth>,
    /// Every money figure a correct answer may state, to the cent (rates in full).
    pub figures: Vec<Decimal>,
    /// Every usage quantity (hours, GB, requests) a correct answer may state;
    /// empty in answer keys written before quantities were checked.
    #[serde(default)]
    pub quantities: Vec<Quantity>,
}

impl CaseTruth {
    pub fn from_report(plan: &CasePlan, report: &Report) -> CaseTruth {
        let totals = &report.totals;
        let mut truth = CaseTruth {
            about: "The grader's answer key: ftdesk check's accounting of billing/. \
                    Candidates: do not read it before you answer."
                .to_owned(),
            seed: plan.seed,
            difficulty: plan.difficulty,
            lang: plan.lang.code().to_owned(),
            customer: plan.customer().to_owned(),
            month: report.month.to_string(),
            region: plan.mix.region.to_owned(),
            billing: format!("billing/{}", plan.billing_file()),
            catalog_version: report.catalog_version.clone(),
            net: cents(totals.net),
            gross: cents(totals.gross),
            tax: cents(totals.tax),
            credits: cents(totals.credits),
            quote: plan.quote,
            quoted: quoted_amount(plan, cents(totals.net)),
            topics: topic_truths(report),
            figures: Vec::new(),
            quantities: known_quantities(report, &Catalog::embedded()),
        };
        truth.figures = known_figures(report, &truth);
        truth
    }

    pub fn lang(&self) -> Lang {
        self.lang.parse().unwrap_or(Lang::En)
    }

    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }

    pub fn from_json(text: &str) -> Result<CaseTruth, serde_json::Error> {
        serde_json::from_str(text)
    }
}

fn cents(d: Decimal) -> Decimal {
    d.round_dp(2)
}

fn quoted_amount(plan: &CasePlan, net: Decimal) -> Option<Decimal> {
    match plan.quote {
        Quote::Exact => Some(net),
        Quote::Mismatch => {
            let off = (net * Decimal::from(plan.mismatch_percent) / Decimal::from(100)).round();
            Some(if off == net {
                net + Decimal::from(7)
            } else {
                off
            })
        }
        Quote::None => None,
    }
}

fn topic_truths(report: &Report) -> Vec<TopicTruth> {
    let mut out: Vec<TopicTruth> = Vec::new();
    for charge in report.charges.iter().filter(|c| c.cost > Decimal::ZERO) {
        let Some(topic) = topic_of(charge.cause, &charge.usage_type) else {
            continue;
        };
        let at = match out.iter().position(|t| t.topic == topic.id) {
            Some(at) => at,
            None => {
                out.push(TopicTruth {
                    topic: topic.id.clone(),
                    cause: charge.cause.as_str().to_owned(),
                    cost: Decimal::ZERO,
                    usage_types: Vec::new(),
                    resources: Vec::new(),
                });
                out.len() - 1
            }
        };
        let t = &mut out[at];
        t.cost += charge.cost;
        push_new(&mut t.usage_types, &charge.usage_type);
        push_new(&mut t.resources, &charge.resource_id);
    }
    for t in &mut out {
        t.cost = cents(t.cost);
    }
    out
}

fn push_new(list: &mut Vec<String>, item: &str) {
    if !item.is_empty() && !list.iter().any(|i| i == item) {
        list.push(item.to_owned());
    }
}

/// Totals, causes, charges, per-resource sums, rates and the customer's own figure.
fn known_figures(report: &Report, truth: &CaseTruth) -> Vec<Decimal> {
    let mut figures = vec![
        Decimal::ZERO,
        truth.net,
        truth.gross,
        truth.tax,
        truth.credits.abs(),
        cents(report.totals.free_tier_value),
    ];
    figures.extend(truth.topics.iter().map(|t| t.cost));
    figures.extend(truth.quoted);
    let mut by_resource: Vec<(&str, Decimal)> = Vec::new();
    for charge in &report.charges {
        figures.push(cents(charge.cost));
        figures.extend(charge.rate.map(|r| r.normalize()));
        match by_resource
            .iter_mut()
            .find(|(r, _)| *r == charge.resource_id)
        {
            Some((_, sum)) => *sum += charge.cost,
            None => by_resource.push((&charge.resource_id, charge.cost)),
        }
    }
    figures.extend(by_resource.into_iter().map(|(_, sum)| cents(sum)));
    figures.extend(report.offers.iter().map(|o| cents(o.charged_cost)));
    for (_, cost) in report.cost_by_cause() {
        figures.push(cents(cost));
    }
    let mut figures: Vec<Decimal> = figures.into_iter().map(|f| f.normalize()).collect();
    figures.sort();
    figures.dedup();
    figures
}

/// The offers' limits, usage, remainders and forecasts (this bill's and the
/// catalogue's limits), each charge's quantity, per-resource sums and the
/// month's hours.
fn known_quantities(report: &Report, catalog: &Catalog) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut push = |unit: &str, value: Decimal| {
        if let Some(unit) = Unit::of_aws(unit) {
            out.push(Quantity {
                unit,
                value: value.abs().normalize(),
            });
        }
    };
    for o in &report.offers {
        for value in [
            o.limit,
            o.used,
            o.free_on_bill,
            o.charged_quantity,
            o.remaining,
            o.forecast,
        ] {
            push(&o.unit, value);
        }
    }
    for offer in &catalog.offers {
        push(&offer.unit, offer.limit);
    }
    let mut by_resource: Vec<(&str, &str, Decimal)> = Vec::new();
    for charge in &report.charges {
        push(&charge.unit, charge.quantity);
        match by_resource
            .iter_mut()
            .find(|(r, u, _)| *r == charge.resource_id && *u == charge.unit)
        {
            Some((_, _, sum)) => *sum += charge.quantity,
            None => by_resource.push((&charge.resource_id, &charge.unit, charge.quantity)),
        }
    }
    for (_, unit, sum) in by_resource {
        push(unit, sum);
    }
    push("Hrs", Decimal::from(report.month.hours()));
    out.sort();
    out.dedup();
    out
}

/// The ASSIGNMENT file, in the case's language.
pub fn assignment_text(lang: Lang) -> String {
    let a = &data().assignment;
    crate::bank::pick(lang, &a.en, &a.ko)
        .trim_start()
        .to_owned()
}

/// The customer's message: greeting, their story in their words, the figure they quote, signature.
pub fn inquiry_text(plan: &CasePlan, truth: &CaseTruth) -> String {
    let person = &data().inquiries.person[plan.person];
    let lang = plan.lang;
    let month = ftdesk_render::dates::month(plan.mix.month, lang);
    let hints: Vec<&str> = truth
        .topics
        .iter()
        .filter_map(|t| topic(&t.topic))
        .map(|t| t.hint(lang))
        .collect();
    let amount = truth.quoted.map(|q| format!("${q:.2}")).unwrap_or_default();
    let quotes = &data().inquiries.quote;
    let amount_line = match plan.quote {
        Quote::Exact => crate::bank::pick(lang, &quotes.exact_en, &quotes.exact_ko),
        Quote::Mismatch => crate::bank::pick(lang, &quotes.mismatch_en, &quotes.mismatch_ko),
        Quote::None => crate::bank::pick(lang, &quotes.none_en, &quotes.none_ko),
    };
    let amount_line = fill_args(lang, amount_line, &[("amount", &amount)]);
    let hints = hints.join(" ");
    let args = [
        ("month", month.as_str()),
        ("hints", hints.as_str()),
        ("amount_line", amount_line.as_str()),
        ("name", person.name.as_str()),
    ];
    let body: Vec<String> = person
        .body
        .trim()
        .lines()
        .map(|line| fill_args(lang, line, &args))
        .collect();
    format!(
        "{}\n\n{}\n\n{}\n{}\n",
        person.opening,
        body.join("\n"),
        person.closing,
        person.name
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_case_data_parses() {
        let data = parse_data().unwrap();
        assert!(data.topics.len() >= 7);
        for lang in ["en", "ko"] {
            assert!(data.inquiries.person.iter().any(|p| p.lang == lang));
        }
    }

    #[test]
    fn the_same_seed_plans_the_same_case_and_others_differ() {
        let a = plan_case(42, 2, None).unwrap();
        assert_eq!(a, plan_case(42, 2, None).unwrap());
        let differ = (0..20u64)
            .map(|s| plan_case(s, 2, None).unwrap())
            .filter(|p| p.mix != a.mix)
            .count();
        assert!(differ >= 15, "{differ}");
    }

    #[test]
    fn difficulty_is_the_number_of_causes_and_they_fit_the_region() {
        for seed in 0..50 {
            for difficulty in 1..=3 {
                let plan = plan_case(seed, difficulty, Some(Lang::Ko)).unwrap();
                assert_eq!(plan.mix.ingredients.len(), usize::from(difficulty));
                assert!(plan
                    .mix
                    .ingredients
                    .iter()
                    .all(|i| i.priced_in(plan.mix.region)));
                assert_eq!(plan.lang, Lang::Ko);
            }
        }
        assert!(matches!(
            plan_case(1, 4, None),
            Err(PracticeError::BadDifficulty(4))
        ));
    }

    #[test]
    fn korean_and_english_months() {
        let m = Month::new(2025, 9).unwrap();
        assert_eq!(ftdesk_render::dates::month(m, Lang::En), "September 2025");
        assert_eq!(ftdesk_render::dates::month(m, Lang::Ko), "2025년 9월");
    }
}
