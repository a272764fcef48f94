//! The free-tier catalogue: offers, the rules for charges outside them, the
//! region billing codes and the prices used to explain costs.
//!
//! Everything AWS decides lives in the TOML files under `data/catalog/`, each
//! fact with its source. This module only parses and validates them; the
//! accounting reads the typed result.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;
use serde::Deserialize;
use thiserror::Error;

use crate::pattern::glob_match;
use crate::time::Date;

const EMBEDDED: [(&str, &str); 4] = [
    ("offers.toml", include_str!("../data/catalog/offers.toml")),
    ("rules.toml", include_str!("../data/catalog/rules.toml")),
    ("regions.toml", include_str!("../data/catalog/regions.toml")),
    ("prices.toml", include_str!("../data/catalog/prices.toml")),
];

#[derive(Debug, Error)]
pub enum CatalogError {
    #[error("catalogue file {file}: {message}")]
    Parse { file: String, message: String },
    #[error("catalogue file {file}: {what} `{id}` {problem}")]
    Invalid {
        file: String,
        what: &'static str,
        id: String,
        problem: String,
    },
}

/// A text in each language we ship.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Text {
    pub en: String,
    pub ko: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum OfferKind {
    #[serde(rename = "12-month")]
    TwelveMonth,
    AlwaysFree,
    Trial,
}

impl OfferKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TwelveMonth => "12-month",
            Self::AlwaysFree => "always-free",
            Self::Trial => "trial",
        }
    }
}

/// The account models AWS runs side by side.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Plan {
    /// Accounts created before 2025-07-15: 12-month, always-free and trial offers.
    Legacy,
    /// Accounts created on or after 2025-07-15 on the Free plan (credits, never charged).
    FreePlan,
    /// Accounts created on or after 2025-07-15 on the Paid plan (credits, then billed).
    PaidPlan,
}

impl Plan {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Legacy => "legacy",
            Self::FreePlan => "free-plan",
            Self::PaidPlan => "paid-plan",
        }
    }
}

/// How an allowance is shared.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Pool {
    /// One allowance for all regions (and all accounts of an Organization).
    Global,
    /// A separate allowance in each region.
    PerRegion,
}

/// How the monthly limit is stated.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LimitBasis {
    /// The limit is the month's total.
    #[default]
    Month,
    /// The limit is a rate held all month (25 WCU): multiply by the month's hours.
    PerHour,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matcher {
    /// Product code (`AmazonEC2`); empty matches any.
    #[serde(default)]
    pub product: String,
    /// Usage-type patterns with the region prefix removed (`BoxUsage:t2.micro`).
    pub usage_types: Vec<String>,
    /// Operation patterns; empty matches any.
    #[serde(default)]
    pub operations: Vec<String>,
    /// Only in regions that do not offer this instance type (legacy t3.micro).
    #[serde(default)]
    pub only_where_region_lacks: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub console: Text,
    /// AWS CLI command; `{region}` and `{resource_id}` are filled in.
    #[serde(default)]
    pub cli: Option<String>,
    /// AWS CLI command that lists the resources a charge could be, for data
    /// without resource ids; `{region}` and `{instance_type}` are filled in.
    #[serde(default)]
    pub find: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    pub id: String,
    pub service: String,
    pub name: Text,
    pub kind: OfferKind,
    pub plans: Vec<Plan>,
    pub limit: Decimal,
    #[serde(default)]
    pub limit_basis: LimitBasis,
    pub unit: String,
    pub pool: Pool,
    #[serde(rename = "match")]
    pub matchers: Vec<Matcher>,
    #[serde(default)]
    pub effective_from: Option<String>,
    #[serde(default)]
    pub effective_until: Option<String>,
    pub action: Action,
    /// Usage types the Free Tier API reports for this offer where they differ
    /// from the bill's (`Global-BoxUsage:freetier.micro`), without the `Global-` prefix.
    #[serde(default)]
    pub api_usage_types: Vec<String>,
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// No free tier for this at all.
    NeverFree,
    /// The service has a free tier, but not for this size, type or option.
    NotEligible,
    /// An AWS Support plan fee.
    Support,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    pub name: Text,
    /// Why it costs money, in a sentence.
    pub reason: Text,
    #[serde(rename = "match")]
    pub matchers: Vec<Matcher>,
    /// The offer a user would move to instead, if any.
    #[serde(default)]
    pub eligible_instead: Option<String>,
    pub action: Action,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub code: String,
    pub id: String,
    pub name: String,
    /// The name the Korean console shows.
    #[serde(default)]
    pub name_ko: Option<String>,
    /// Instance types the region does not offer (drives legacy t3.micro eligibility).
    #[serde(default)]
    pub lacks: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub usage_type: String,
    pub region: String,
    #[serde(default)]
    pub operation: Option<String>,
    pub rate: Decimal,
    pub unit: String,
    pub description: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditPlan {
    pub id: String,
    pub name: Text,
    pub accounts_created_from: String,
    pub signup_credit: Decimal,
    pub activity_credits: Decimal,
    pub free_plan_months: u32,
    pub credit_months: u32,
    /// Substrings of a `Credit` row's description that mark the plan's credits.
    pub credit_descriptions: Vec<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OffersFile {
    version: String,
    legacy_accounts_before: String,
    twelve_month_end_rule: String,
    free_row_descriptions: Vec<String>,
    free_row_description_exclusions: Vec<String>,
    products: BTreeMap<String, String>,
    credit_plan: CreditPlan,
    offer: Vec<Offer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    version: String,
    marketplace_billing_entities: Vec<String>,
    rule: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    version: String,
    source: String,
    region: Vec<Region>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PricesFile {
    version: String,
    price: Vec<Price>,
}

/// A usage type split into its region and its meter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageType<'a> {
    /// Region id (`us-east-2`), `global`, or `us-east-1` when unprefixed.
    pub region: &'a str,
    /// The usage type without its region prefix (`BoxUsage:t2.micro`).
    pub meter: &'a str,
}

#[derive(Debug)]
pub struct Catalog {
    pub version: String,
    pub legacy_accounts_before: Date,
    pub twelve_month_end_rule: String,
    pub credit_plan: CreditPlan,
    pub offers: Vec<Offer>,
    pub rules: Vec<Rule>,
    pub regions: Vec<Region>,
    pub prices: Vec<Price>,
    pub region_source: String,
    free_row_descriptions: Vec<String>,
    free_row_exclusions: Vec<String>,
    marketplace_entities: Vec<String>,
    code_to_region: BTreeMap<String, usize>,
    products: BTreeMap<String, String>,
    /// FNV-1a of the source files, for [`Catalog::identity`].
    content_hash: u64,
}

/// 64-bit FNV-1a over the file names and contents, in the order given.
fn content_hash(files: &[(&str, &str)]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, text) in files {
        for byte in name.bytes().chain([0]).chain(text.bytes()).chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, CatalogError> {
    toml::from_str(text).map_err(|e| CatalogError::Parse {
        file: file.to_owned(),
        message: e.to_string(),
    })
}

impl Catalog {
    /// The catalogue compiled into the binary.
    pub fn embedded() -> Self {
        Self::from_files(&EMBEDDED).expect("the embedded catalogue is validated by tests")
    }

    /// Builds a catalogue from `(file name, contents)` pairs: `offers.toml`,
    /// `rules.toml`, `regions.toml` and `prices.toml`.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Self, CatalogError> {
        let get = |name: &str| {
            files
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| *t)
                .ok_or_else(|| CatalogError::Parse {
                    file: name.to_owned(),
                    message: "missing".to_owned(),
                })
        };
        let offers: OffersFile = parse("offers.toml", get("offers.toml")?)?;
        let rules: RulesFile = parse("rules.toml", get("rules.toml")?)?;
        let regions: RegionsFile = parse("regions.toml", get("regions.toml")?)?;
        let prices: PricesFile = parse("prices.toml", get("prices.toml")?)?;
        let legacy_accounts_before =
            offers
                .legacy_accounts_before
                .parse()
                .map_err(|e: crate::time::DateError| CatalogError::Invalid {
                    file: "offers.toml".into(),
                    what: "field",
                    id: "legacy_accounts_before".into(),
                    problem: e.to_string(),
                })?;
        let code_to_region = regions
            .region
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.clone(), i))
            .collect();
        let catalog = Catalog {
            version: format!(
                "offers {}, rules {}, regions {}, prices {}",
                offers.version, rules.version, regions.version, prices.version
            ),
            legacy_accounts_before,
            twelve_month_end_rule: offers.twelve_month_end_rule,
            credit_plan: offers.credit_plan,
            offers: offers.offer,
            rules: rules.rule,
            regions: regions.region,
            prices: prices.price,
            region_source: regions.source,
            free_row_descriptions: lowercase(offers.free_row_descriptions),
            free_row_exclusions: lowercase(offers.free_row_description_exclusions),
            marketplace_entities: rules.marketplace_billing_entities,
            code_to_region,
            products: offers.products,
            content_hash: content_hash(files),
        };
        catalog.validate()?;
        Ok(catalog)
    }

    /// Names this catalogue's content: equal for equal source files, and
    /// different (but for a hash collision) when any byte differs. Work kept
    /// between runs that depends on the catalogue (offer indices) is keyed by it.
    pub fn identity(&self) -> String {
        format!("{:016x}", self.content_hash)
    }

    fn validate(&self) -> Result<(), CatalogError> {
        let invalid = |file: &str, what, id: &str, problem: &str| CatalogError::Invalid {
            file: file.to_owned(),
            what,
            id: id.to_owned(),
            problem: problem.to_owned(),
        };
        let mut ids = HashSet::new();
        for offer in &self.offers {
            let twice = !ids.insert(offer.id.as_str());
            let problem = if twice {
                Some("is defined twice")
            } else {
                offer_problem(offer)
            };
            if let Some(problem) = problem {
                return Err(invalid("offers.toml", "offer", &offer.id, problem));
            }
        }
        for rule in &self.rules {
            let reused = !ids.insert(rule.id.as_str());
            let problem = if reused {
                Some("reuses an id")
            } else {
                self.rule_problem(rule)
            };
            if let Some(problem) = problem {
                return Err(invalid("rules.toml", "rule", &rule.id, problem));
            }
        }
        for price in &self.prices {
            if let Some(problem) = self.price_problem(price) {
                return Err(invalid("prices.toml", "price", &price.usage_type, problem));
            }
        }
        Ok(())
    }

    fn rule_problem(&self, rule: &Rule) -> Option<&'static str> {
        if !rule.source.starts_with("https://") {
            return Some("needs a source URL");
        }
        let unknown_instead = rule
            .eligible_instead
            .as_ref()
            .is_some_and(|instead| self.offer(instead).is_none());
        unknown_instead.then_some("names an unknown offer")
    }

    fn price_problem(&self, price: &Price) -> Option<&'static str> {
        if !price.source.starts_with("https://") {
            return Some("needs a source URL");
        }
        self.region_by_id(&price.region)
            .is_none()
            .then_some("names an unknown region")
    }

    pub fn offer(&self, id: &str) -> Option<&Offer> {
        self.offers.iter().find(|o| o.id == id)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn region_by_id(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    pub fn region_by_code(&self, code: &str) -> Option<&Region> {
        self.code_to_region.get(code).map(|&i| &self.regions[i])
    }

    /// The region a console heading names, in English or Korean
    /// (`Asia Pacific (Seoul)`, `아시아 태평양(서울)`), spacing ignored.
    pub fn region_by_name(&self, name: &str) -> Option<&Region> {
        let wanted = without_spaces(name);
        self.regions.iter().find(|r| {
            without_spaces(&r.name).eq_ignore_ascii_case(&wanted)
                || r.name_ko.as_deref().map(without_spaces) == Some(wanted.clone())
        })
    }

    /// The product code of a service heading as the Bills page shows it
    /// (`Elastic Compute Cloud` for `Amazon Elastic Compute Cloud`).
    pub fn product_code_for_heading(&self, heading: &str) -> Option<&str> {
        let heading = heading.trim().to_lowercase();
        if heading.len() < 3 {
            return None;
        }
        self.products
            .iter()
            .find(|(_, name)| {
                let name = name.to_lowercase();
                name == heading || name.ends_with(&format!(" {heading}"))
            })
            .map(|(code, _)| code.as_str())
    }

    /// Splits a usage type into region and meter: `APN2-BoxUsage:t2.micro`,
    /// `Global-Request`, `ca-central-1-KMS-Keys`, and unprefixed us-east-1 names.
    pub fn split_usage_type<'a>(&'a self, usage_type: &'a str) -> UsageType<'a> {
        if let Some(meter) = usage_type.strip_prefix("Global-") {
            return UsageType {
                region: "global",
                meter,
            };
        }
        if let Some((code, meter)) = usage_type.split_once('-') {
            if let Some(region) = self.region_by_code(code) {
                return UsageType {
                    region: &region.id,
                    meter,
                };
            }
        }
        for region in &self.regions {
            if let Some(meter) = usage_type
                .strip_prefix(region.id.as_str())
                .and_then(|m| m.strip_prefix('-'))
            {
                return UsageType {
                    region: &region.id,
                    meter,
                };
            }
        }
        UsageType {
            region: "us-east-1",
            meter: usage_type,
        }
    }

    /// Whether a zero-cost row's description says AWS counted it as free tier.
    pub fn is_free_tier_description(&self, description: &str) -> bool {
        let d = description.to_lowercase();
        self.free_row_descriptions
            .iter()
            .any(|p| d.contains(p.as_str()))
            && !self
                .free_row_exclusions
                .iter()
                .any(|p| d.contains(p.as_str()))
    }

    /// The lowercase description substrings that mark a zero-cost row as free
    /// tier, and those that rule it out again (for generated SQL).
    pub fn free_row_patterns(&self) -> (&[String], &[String]) {
        (&self.free_row_descriptions, &self.free_row_exclusions)
    }

    pub fn is_marketplace_entity(&self, billing_entity: &str) -> bool {
        self.marketplace_entities
            .iter()
            .any(|e| e == billing_entity)
    }

    /// The offers that cover this usage under `plan`, in catalogue order.
    pub fn matching_offer(
        &self,
        plan: Plan,
        product: &str,
        usage: UsageType<'_>,
        operation: &str,
    ) -> Option<&Offer> {
        self.offers.iter().find(|o| {
            o.plans.contains(&plan)
                && o.matchers
                    .iter()
                    .any(|m| self.matches(m, product, usage, operation))
        })
    }

    /// An offer whose usage types cover this usage on any plan, ignoring the
    /// region condition: used to notice where the bill and the catalogue disagree.
    pub fn offer_for_usage_type(
        &self,
        product: &str,
        usage: UsageType<'_>,
        operation: &str,
    ) -> Option<&Offer> {
        self.offers.iter().find(|o| {
            o.matchers.iter().any(|m| {
                product_matches(m, product)
                    && m.usage_types.iter().any(|p| glob_match(p, usage.meter))
                    && operation_matches(m, operation)
            })
        })
    }

    pub fn matching_rule(
        &self,
        product: &str,
        usage: UsageType<'_>,
        operation: &str,
    ) -> Option<&Rule> {
        self.rules.iter().find(|r| {
            r.matchers
                .iter()
                .any(|m| self.matches(m, product, usage, operation))
        })
    }

    fn matches(&self, m: &Matcher, product: &str, usage: UsageType<'_>, operation: &str) -> bool {
        if !product_matches(m, product)
            || !m.usage_types.iter().any(|p| glob_match(p, usage.meter))
            || !operation_matches(m, operation)
        {
            return false;
        }
        match &m.only_where_region_lacks {
            None => true,
            Some(instance_type) => self
                .region_by_id(usage.region)
                .is_some_and(|r| r.lacks.iter().any(|t| t == instance_type)),
        }
    }

    /// The product code for a service name as the Free Tier API and the CUR's
    /// `product/ProductName` spell it.
    pub fn product_code_for_name(&self, name: &str) -> Option<&str> {
        self.products
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(code, _)| code.as_str())
    }

    /// The service name of a product code, as the Free Tier API prints it.
    pub fn product_name(&self, code: &str) -> Option<&str> {
        self.products.get(code).map(String::as_str)
    }

    /// The offer a Free Tier API entry reports on: by product and usage type,
    /// or by the API's own usage-type alias (`BoxUsage:freetier.micro`).
    pub fn offer_for_api_usage(&self, service: &str, usage_type: &str) -> Option<&Offer> {
        let product = self.product_code_for_name(service).unwrap_or(service);
        let meter = self.split_usage_type(usage_type).meter;
        self.offers.iter().find(|o| {
            let by_match = o.matchers.iter().any(|m| {
                product_matches(m, product) && m.usage_types.iter().any(|p| glob_match(p, meter))
            });
            let by_alias = o.api_usage_types.iter().any(|a| a == meter)
                && o.matchers.iter().any(|m| product_matches(m, product));
            by_match || by_alias
        })
    }

    /// The public on-demand price of a usage type in a region, if we know it.
    /// The product codes whose offers and rules name this meter, in
    /// catalogue order (`BoxUsage:t2.micro` → `AmazonEC2`;
    /// `TimedStorage-ByteHrs` → `AmazonS3`, `AmazonEFS`, …).
    pub fn products_of_meter<'a>(&'a self, meter: &'a str) -> Vec<&'a str> {
        let mut products: Vec<&str> = Vec::new();
        for m in self.matchers_of_meter(meter) {
            if !m.product.is_empty() && !products.contains(&m.product.as_str()) {
                products.push(&m.product);
            }
        }
        products
    }

    /// The operation an offer or rule of this meter lists first, for data
    /// that does not say (Cost Explorer grouped by usage type alone): for
    /// `BoxUsage:t2.micro` that is `RunInstances`, Linux.
    pub fn default_operation<'a>(&'a self, product: &str, meter: &'a str) -> Option<&'a str> {
        self.operations_of_meter(product, meter).first().copied()
    }

    /// Every operation the offers and rules of this meter name, each once,
    /// the default first: for `BoxUsage:t2.micro` its operating systems.
    pub fn operations_of_meter<'a>(&'a self, product: &str, meter: &'a str) -> Vec<&'a str> {
        let mut operations = Vec::new();
        let named = self
            .matchers_of_meter(meter)
            .filter(|m| product_matches(m, product))
            .flat_map(|m| &m.operations);
        for operation in named {
            if !operations.contains(&operation.as_str()) {
                operations.push(operation.as_str());
            }
        }
        operations
    }

    /// Whether any offer, on any plan, could cover this meter.
    pub fn has_offer_for_meter(&self, product: &str, meter: &str) -> bool {
        self.offers.iter().any(|o| {
            o.matchers.iter().any(|m| {
                product_matches(m, product) && m.usage_types.iter().any(|p| glob_match(p, meter))
            })
        })
    }

    fn matchers_of_meter<'a>(&'a self, meter: &'a str) -> impl Iterator<Item = &'a Matcher> + 'a {
        self.offers
            .iter()
            .flat_map(|o| &o.matchers)
            .chain(self.rules.iter().flat_map(|r| &r.matchers))
            // `*` names a whole product (Support plans), not this meter.
            .filter(move |m| {
                m.usage_types
                    .iter()
                    .any(|p| p != "*" && glob_match(p, meter))
            })
    }

    /// The first price of the meter in the region, whatever its operation:
    /// for data that does not give the operation of a usage type that only
    /// prices name (EC2's `t3.small`, priced for Linux).
    pub fn price_of_any_operation(&self, region: &str, meter: &str) -> Option<&Price> {
        self.prices
            .iter()
            .find(|p| p.region == region && p.usage_type == meter)
    }

    pub fn price(&self, region: &str, meter: &str, operation: &str) -> Option<&Price> {
        self.prices.iter().find(|p| {
            p.region == region
                && p.usage_type == meter
                && p.operation.as_deref().is_none_or(|o| o == operation)
        })
    }
}

fn without_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn product_matches(m: &Matcher, product: &str) -> bool {
    m.product.is_empty() || m.product == product
}

fn operation_matches(m: &Matcher, operation: &str) -> bool {
    m.operations.is_empty() || m.operations.iter().any(|p| glob_match(p, operation))
}

fn lowercase(v: Vec<String>) -> Vec<String> {
    v.into_iter().map(|s| s.to_lowercase()).collect()
}

/// What is wrong with one offer's own fields, if anything.
fn offer_problem(offer: &Offer) -> Option<&'static str> {
    if offer.limit <= Decimal::ZERO {
        return Some("needs a positive limit");
    }
    if offer.plans.is_empty() || offer.matchers.is_empty() {
        return Some("needs plans and a match");
    }
    if !offer.source.starts_with("https://") {
        return Some("needs a source URL");
    }
    let bad_date = [&offer.effective_from, &offer.effective_until]
        .into_iter()
        .flatten()
        .any(|date| date.parse::<Date>().is_err());
    bad_date.then_some("has a bad date")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer_id(
        c: &Catalog,
        plan: Plan,
        product: &str,
        usage_type: &str,
        op: &str,
    ) -> Option<String> {
        c.matching_offer(plan, product, c.split_usage_type(usage_type), op)
            .map(|o| o.id.clone())
    }

    #[test]
    fn embedded_catalogue_loads_and_every_fact_has_a_source() {
        let c = Catalog::embedded();
        assert!(c.offers.len() >= 25, "{}", c.offers.len());
        assert!(c.rules.iter().any(|r| r.id == "nat-gateway"));
        assert!(c.offers.iter().all(|o| o.source.starts_with("https://")));
        assert!(c.prices.iter().all(|p| p.source.starts_with("https://")));
    }

    #[test]
    fn splits_region_prefixes() {
        let c = Catalog::embedded();
        let s = |u: &'static str| {
            let u = c.split_usage_type(u);
            (u.region.to_owned(), u.meter.to_owned())
        };
        assert_eq!(
            s("APN2-BoxUsage:t2.micro"),
            ("ap-northeast-2".into(), "BoxUsage:t2.micro".into())
        );
        assert_eq!(
            s("BoxUsage:t2.micro"),
            ("us-east-1".into(), "BoxUsage:t2.micro".into())
        );
        assert_eq!(
            s("EU-NatGateway-Hours"),
            ("eu-west-1".into(), "NatGateway-Hours".into())
        );
        assert_eq!(
            s("APS3-DataTransfer-Out-Bytes"),
            ("ap-south-1".into(), "DataTransfer-Out-Bytes".into())
        );
        assert_eq!(
            s("ca-central-1-KMS-Keys"),
            ("ca-central-1".into(), "KMS-Keys".into())
        );
        assert_eq!(s("Global-Request"), ("global".into(), "Request".into()));
        assert_eq!(
            s("USE1-CAN1-AWS-Out-Bytes"),
            ("us-east-1".into(), "CAN1-AWS-Out-Bytes".into())
        );
    }

    #[test]
    fn legacy_t3_micro_is_free_only_where_there_is_no_t2_micro() {
        let c = Catalog::embedded();
        let linux = "RunInstances";
        assert_eq!(
            offer_id(
                &c,
                Plan::Legacy,
                "AmazonEC2",
                "APN2-BoxUsage:t2.micro",
                linux
            )
            .as_deref(),
            Some("ec2-micro-linux")
        );
        assert_eq!(
            offer_id(
                &c,
                Plan::Legacy,
                "AmazonEC2",
                "APN2-BoxUsage:t3.micro",
                linux
            ),
            None
        );
        assert_eq!(
            offer_id(
                &c,
                Plan::Legacy,
                "AmazonEC2",
                "EUN1-BoxUsage:t3.micro",
                linux
            )
            .as_deref(),
            Some("ec2-micro-linux")
        );
        assert_eq!(
            offer_id(
                &c,
                Plan::Legacy,
                "AmazonEC2",
                "BoxUsage:t2.micro",
                "RunInstances:0002"
            )
            .as_deref(),
            Some("ec2-micro-windows")
        );
        assert_eq!(
            offer_id(&c, Plan::FreePlan, "AmazonEC2", "BoxUsage:t2.micro", linux),
            None
        );
    }

    #[test]
    fn rules_cover_the_never_free_list() {
        let c = Catalog::embedded();
        let rule = |p: &str, u: &str, op: &str| {
            c.matching_rule(p, c.split_usage_type(u), op)
                .map(|r| r.id.clone())
        };
        assert_eq!(
            rule("AmazonEC2", "NatGateway-Hours", "NatGateway").as_deref(),
            Some("nat-gateway")
        );
        for regional in ["RegionalNatGateway-Hours", "APN2-RegionalNatGateway-Hours"] {
            assert_eq!(
                rule("AmazonEC2", regional, "NatGateway").as_deref(),
                Some("nat-gateway"),
                "{regional}"
            );
        }
        assert_eq!(
            rule("AmazonVPC", "USE1-PublicIPv4:IdleAddress", "").as_deref(),
            Some("public-ipv4-idle")
        );
        assert_eq!(
            rule("AmazonEC2", "BoxUsage:t3.small", "RunInstances").as_deref(),
            Some("ec2-other-instance")
        );
        assert_eq!(
            rule(
                "AmazonRDS",
                "Multi-AZUsage:db.t3.micro",
                "CreateDBInstance:0002"
            )
            .as_deref(),
            Some("rds-multi-az")
        );
        assert_eq!(
            rule("AmazonRoute53", "HostedZone", "").as_deref(),
            Some("route53-hosted-zone")
        );
        assert_eq!(
            rule("awskms", "us-east-1-KMS-Keys", "").as_deref(),
            Some("kms-keys")
        );
        assert_eq!(
            rule("AWSELB", "LoadBalancerUsage", "LoadBalancing:Network").as_deref(),
            Some("network-load-balancer")
        );
    }

    #[test]
    fn free_tier_api_entries_find_their_offers() {
        let c = Catalog::embedded();
        let id = |s: &str, u: &str| c.offer_for_api_usage(s, u).map(|o| o.id.clone());
        assert_eq!(
            id(
                "Amazon Elastic Compute Cloud",
                "Global-BoxUsage:freetier.micro"
            )
            .as_deref(),
            Some("ec2-micro-linux")
        );
        assert_eq!(
            id(
                "Amazon Simple Storage Service",
                "Global-TimedStorage-ByteHrs"
            )
            .as_deref(),
            Some("s3-standard-storage")
        );
        assert_eq!(
            id("AWS Glue", "Catalog-Request").as_deref(),
            Some("glue-catalog-requests")
        );
        assert_eq!(
            id("Amazon Simple Queue Service", "Global-Requests").as_deref(),
            Some("sqs-requests")
        );
        assert_eq!(
            id("AWS Lambda", "Global-Request").as_deref(),
            Some("lambda-requests")
        );
        assert_eq!(id("Amazon Something New", "Global-Widget"), None);
    }

    #[test]
    fn free_tier_descriptions() {
        let c = Catalog::embedded();
        assert!(c.is_free_tier_description(
            "$0.000 per GB - data transfer out under the monthly global free tier"
        ));
        assert!(
            c.is_free_tier_description("First 1,000,000 Amazon SQS Requests per month are free")
        );
        assert!(!c.is_free_tier_description(
            "$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier"
        ));
        assert!(!c.is_free_tier_description("$0.0116 per On Demand Linux t2.micro Instance Hour"));
    }

    #[test]
    fn the_identity_follows_the_content() {
        let same = Catalog::from_files(&EMBEDDED).unwrap();
        assert_eq!(Catalog::embedded().identity(), same.identity());
        let prices = format!("{}\n# another comment\n", EMBEDDED[3].1);
        let files = [
            EMBEDDED[0],
            EMBEDDED[1],
            EMBEDDED[2],
            ("prices.toml", &prices),
        ];
        let edited = Catalog::from_files(&files).unwrap();
        assert_ne!(edited.identity(), same.identity());
    }

    #[test]
    fn rejects_a_catalogue_without_sources() {
        let offers = EMBEDDED[0].1.replacen("source = \"https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/free-tier-limits.html\"", "source = \"memory\"", 1);
        let files = [
            ("offers.toml", offers.as_str()),
            EMBEDDED[1],
            EMBEDDED[2],
            EMBEDDED[3],
        ];
        let err = Catalog::from_files(&files).unwrap_err().to_string();
        assert!(
            err.contains("ec2-micro-linux") && err.contains("source"),
            "{err}"
        );
    }
}
