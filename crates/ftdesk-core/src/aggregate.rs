//! Accounting from aggregates without the free-tier marker: Cost Explorer
//! gives each usage type's cost and quantity per day (or month, or hour),
//! with no "under monthly free tier" rows, no rates and no resource ids.
//!
//! Each aggregate is split into the part the free tier covered and the
//! billed part, from its cost and the usage type's rate: billed = cost ÷
//! rate, free = quantity − billed. The rate comes from the data itself: the
//! highest cost per unit among its periods, which is the rate once a period
//! was billed in full. It is checked against the catalogue's on-demand
//! price: where they disagree the bill is the truth and the report says so;
//! the catalogue's price decides only where the data cannot (no price
//! known, or a single period below the price, which may be the day the
//! allowance ran out part way). The split lines are then accounted like any
//! billing rows, so the causes, pools and forecasts follow the same rules
//! as for a CUR.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::catalog::{Catalog, LimitBasis, Pool};
use crate::model::{Handles, LineItem, LineItemType};
use crate::report::{ExplorerRead, Unknown};
use crate::time::{Month, Timestamp};

/// Amounts below this are rounding (in the currency).
const ROUNDING: Decimal = Decimal::from_parts(1, 0, 0, false, 6);

/// A cost per unit this share above a price is still that price, rounded.
const ROUNDING_SHARE: Decimal = Decimal::from_parts(1, 0, 0, false, 3);

/// One usage type's cost and quantity over one period, as Cost Explorer
/// reports it; `product_code` and `operation` may be empty (not grouped by).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregate {
    pub start: Timestamp,
    pub end: Timestamp,
    pub usage_account: String,
    pub line_item_type: LineItemType,
    pub product_code: String,
    pub usage_type: String,
    pub operation: String,
    pub quantity: Decimal,
    pub cost: Decimal,
    pub currency: String,
}

/// Where a split's rate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RateSource {
    /// The catalogue's on-demand price: the data cannot tell the rate.
    Catalogue,
    /// The data's periods billed in full, at the catalogue's price.
    DataMatchesCatalogue,
    /// The data's own highest cost per unit; the catalogue has no price.
    Data,
    /// The data's own highest cost per unit, above the catalogue's price
    /// (given): that price cannot be what was billed.
    DataAboveCatalogue(Decimal),
    /// The cost per unit of the data's periods billed in full, below the
    /// catalogue's price (given): the bill's rate, not the catalogue's.
    DataBelowCatalogue(Decimal),
}

/// A billing row made from an aggregate, owning its strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitLine {
    pub payer_account: String,
    pub aggregate: Aggregate,
    pub free: bool,
    pub quantity: Decimal,
    pub cost: Decimal,
    pub rate: Option<Decimal>,
    pub public_rate: Option<Decimal>,
    /// The pricing unit (`Hrs`, `GB-Mo`): the catalogue's for the usage type.
    pub unit: String,
    pub description: String,
}

impl SplitLine {
    pub fn as_line_item(&self) -> LineItem<'_> {
        let a = &self.aggregate;
        LineItem {
            payer_account: &self.payer_account,
            usage_account: &a.usage_account,
            billing_period: a.start.month(),
            start: a.start,
            end: a.end,
            line_item_type: a.line_item_type,
            product_code: &a.product_code,
            usage_type: &a.usage_type,
            operation: &a.operation,
            region: "",
            resource_id: "",
            usage_amount: self.quantity,
            unit: &self.unit,
            rate: self.rate,
            cost: self.cost,
            public_rate: self.public_rate,
            description: &self.description,
            currency: &a.currency,
            billing_entity: "AWS",
            legal_entity: "",
            tax_type: "",
            handles: Handles::NONE,
        }
    }
}

/// A usage type and the operation it was billed under (empty: not known).
pub type RateKey = (String, String);

/// The rate each usage type and operation was split at, for the report to
/// say which (RHEL and SUSE hours share a usage type, not a rate).
pub type Rates = BTreeMap<RateKey, (Decimal, RateSource)>;

/// What the data did not say: what the split assumed, per usage type (the
/// one assumed and the others it could be), and what it could not decide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assumed {
    /// The service, where several bill under the usage type.
    pub products: BTreeMap<String, (String, Vec<String>)>,
    /// The operation, where the catalogue names several for the usage type.
    pub operations: BTreeMap<String, (String, Vec<String>)>,
    /// The operation of the catalogue's price, where only prices name the
    /// usage type (EC2's `t3.small`) and the data does not give it: the
    /// operation and that price's description.
    pub priced_operations: BTreeMap<String, (String, String)>,
    /// Offer pools that usage types at different rates shared in a period
    /// of a month's totals (MONTHLY data): the offer and the usage types.
    /// How the allowance was shared between them is not decided.
    pub shared_pools: BTreeSet<(String, Vec<String>)>,
    /// Periods whose cost per unit fits no single rate (part free, part
    /// billed at two rates), per usage type and operation.
    pub mixed: BTreeMap<RateKey, usize>,
}

/// What the split could not decide from the data, for the report: the
/// rates the data gave, then what it assumed and what stays undecided.
pub fn unknowns(granularity: &str, rates: &Rates, assumed: &Assumed) -> Vec<Unknown> {
    let mut unknowns = vec![Unknown::Aggregated {
        granularity: granularity.to_owned(),
    }];
    unknowns.extend(unknowns_of_assumed(assumed));
    unknowns.extend(unknowns_of_priced(rates, assumed));
    let mut of_rates: Vec<(u8, Unknown)> = rates
        .iter()
        .filter_map(|(key, rate)| rate_unknown(key, *rate, shown_operation(rates, key)))
        .collect();
    of_rates.sort_by_key(|(rank, _)| *rank);
    unknowns.extend(of_rates.into_iter().map(|(_, u)| u));
    unknowns.extend(undecided(rates, assumed));
    unknowns
}

/// The operation to name beside a usage type: only where the usage type
/// was split at more than one operation's rate (RHEL and SUSE hours).
fn shown_operation(rates: &Rates, (usage_type, operation): &RateKey) -> Option<String> {
    let operations = rates.keys().filter(|(u, _)| u == usage_type).count();
    (operations > 1 && !operation.is_empty()).then(|| operation.clone())
}

/// What the report says of a rate the data gave, ranked: rates from the
/// data alone, then above the catalogue's price, then below it.
fn rate_unknown(
    (usage_type, _): &RateKey,
    (rate, source): (Decimal, RateSource),
    operation: Option<String>,
) -> Option<(u8, Unknown)> {
    let usage_type = usage_type.clone();
    let rate = rate.normalize();
    match source {
        RateSource::Data => Some((
            0,
            Unknown::RateFromData {
                usage_type,
                operation,
                rate,
            },
        )),
        RateSource::DataAboveCatalogue(catalogue) => Some((
            1,
            Unknown::RateAboveCatalogue {
                usage_type,
                operation,
                rate,
                catalogue: catalogue.normalize(),
            },
        )),
        RateSource::DataBelowCatalogue(catalogue) => Some((
            2,
            Unknown::RateBelowCatalogue {
                usage_type,
                operation,
                rate,
                catalogue: catalogue.normalize(),
            },
        )),
        RateSource::Catalogue | RateSource::DataMatchesCatalogue => None,
    }
}

/// The operation of a price taken for a usage type the data gives without
/// one: read from the data's rate where it matches the price, else assumed.
fn unknowns_of_priced(rates: &Rates, assumed: &Assumed) -> Vec<Unknown> {
    assumed
        .priced_operations
        .iter()
        .map(|(usage_type, (operation, price))| {
            let key = (usage_type.clone(), operation.clone());
            let (usage_type, operation, price) =
                (usage_type.clone(), operation.clone(), price.clone());
            match rates.get(&key) {
                Some((_, RateSource::DataMatchesCatalogue)) => Unknown::OperationFromPrice {
                    usage_type,
                    operation,
                    price,
                },
                _ => Unknown::OperationAssumedForPrice {
                    usage_type,
                    operation,
                    price,
                },
            }
        })
        .collect()
}

/// The splits the data could not decide: pools shared at different rates
/// in a month's totals, and periods that fit no single rate.
fn undecided(rates: &Rates, assumed: &Assumed) -> Vec<Unknown> {
    let pools =
        assumed
            .shared_pools
            .iter()
            .map(|(offer, usage_types)| Unknown::SharedPoolUndecided {
                offer: offer.clone(),
                usage_types: usage_types.clone(),
            });
    let mixed = assumed.mixed.iter().filter_map(|(key, periods)| {
        let (rate, _) = rates.get(key)?;
        Some(Unknown::MixedRates {
            usage_type: key.0.clone(),
            operation: shown_operation(rates, key),
            periods: *periods,
            rate: rate.normalize(),
        })
    });
    pools.chain(mixed).collect()
}

/// The services and operations assumed for usage types the data leaves open.
pub fn unknowns_of_assumed(assumed: &Assumed) -> Vec<Unknown> {
    let products = assumed
        .products
        .iter()
        .map(|(usage_type, (product, others))| Unknown::ProductAssumed {
            usage_type: usage_type.clone(),
            product: product.clone(),
            others: others.clone(),
        });
    let operations = assumed
        .operations
        .iter()
        .map(
            |(usage_type, (operation, others))| Unknown::OperationAssumed {
                usage_type: usage_type.clone(),
                operation: operation.clone(),
                others: others.clone(),
            },
        );
    products.chain(operations).collect()
}

/// Per month, how many groups (aggregates) and periods the data has.
pub fn read_per_month(aggregates: &[Aggregate]) -> BTreeMap<Month, ExplorerRead> {
    let mut periods: BTreeMap<Month, (usize, BTreeSet<Timestamp>)> = BTreeMap::new();
    for a in aggregates {
        let (groups, starts) = periods.entry(a.start.month()).or_default();
        *groups += 1;
        starts.insert(a.start);
    }
    periods
        .into_iter()
        .map(|(month, (groups, starts))| {
            let periods = starts.len();
            (month, ExplorerRead { groups, periods })
        })
        .collect()
}

/// Fills in what the grouping left out (the product code, and the operation
/// an offer needs), then splits every aggregate into free and billed lines.
pub fn split(
    catalog: &Catalog,
    payer: &str,
    aggregates: Vec<Aggregate>,
) -> (Vec<SplitLine>, Rates, Assumed) {
    let mut assumed = Assumed::default();
    let mut completed: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
    let aggregates: Vec<Aggregate> = aggregates
        .into_iter()
        .map(|mut a| {
            let key = (
                a.usage_type.clone(),
                a.product_code.clone(),
                a.operation.clone(),
            );
            let (product, operation) = completed
                .entry(key)
                .or_insert_with(|| {
                    let c = complete(catalog, a.clone(), &mut assumed);
                    (c.product_code, c.operation)
                })
                .clone();
            a.product_code = product;
            a.operation = operation;
            a
        })
        .collect();
    let rates = rates(catalog, &aggregates, &mut assumed);
    // What the catalogue says of a meter is looked up once, not per period.
    let mut meters: BTreeMap<(String, String, String), (bool, String)> = BTreeMap::new();
    let lines = aggregates
        .into_iter()
        .flat_map(|a| {
            let rate = rates.get(&rate_key(&a)).map(|(r, _)| *r);
            let key = (
                a.product_code.clone(),
                a.usage_type.clone(),
                a.operation.clone(),
            );
            let (free_tier, unit) = meters
                .entry(key)
                .or_insert_with(|| {
                    let meter = catalog.split_usage_type(&a.usage_type).meter;
                    (
                        catalog.has_offer_for_meter(&a.product_code, meter),
                        unit_of(catalog, &a),
                    )
                })
                .clone();
            split_one(payer, a, rate, free_tier, unit)
        })
        .collect();
    (lines, rates, assumed)
}

/// What a bill line itself says about its free part: its description
/// carries the free-tier marker, or names the rate it was billed at, or
/// neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stated {
    Free,
    BilledAt(Decimal),
    Unsaid,
}

/// Lines of a bill as the customer sees it (the Bills page): each is one
/// aggregate over the month whose free part the line states; the lines that
/// state nothing are split like Cost Explorer's.
pub fn split_stated(
    catalog: &Catalog,
    payer: &str,
    lines: Vec<(Aggregate, Stated, String)>,
) -> (Vec<SplitLine>, Rates, Assumed) {
    let (unsaid, stated): (Vec<_>, Vec<_>) = lines
        .into_iter()
        .partition(|(_, stated, _)| *stated == Stated::Unsaid);
    let (mut split_lines, rates, mut assumed) = split(
        catalog,
        payer,
        unsaid.into_iter().map(|(a, _, _)| a).collect(),
    );
    for (a, stated, description) in stated {
        let a = complete(catalog, a, &mut assumed);
        let public_rate = catalogue_price(catalog, &a);
        let (free, rate) = match stated {
            Stated::BilledAt(rate) => (false, Some(rate)),
            _ => (true, Some(Decimal::ZERO)),
        };
        split_lines.push(SplitLine {
            payer_account: payer.to_owned(),
            free,
            quantity: a.quantity,
            cost: a.cost,
            rate,
            public_rate: public_rate.or(rate.filter(|r| !r.is_zero())),
            unit: unit_of(catalog, &a),
            description,
            aggregate: a,
        });
    }
    (split_lines, rates, assumed)
}

fn rate_key(a: &Aggregate) -> RateKey {
    (a.usage_type.clone(), a.operation.clone())
}

/// The product code and operation the catalogue knows the usage type by;
/// where several products bill under it, the catalogue's first, noted.
fn complete(catalog: &Catalog, mut a: Aggregate, assumed: &mut Assumed) -> Aggregate {
    if a.usage_type.is_empty() {
        return a;
    }
    let meter = catalog.split_usage_type(&a.usage_type).meter.to_owned();
    if a.product_code.is_empty() {
        let products = catalog.products_of_meter(&meter);
        if let Some((first, others)) = products.split_first() {
            a.product_code = (*first).to_owned();
            if !others.is_empty() {
                let others = others.iter().map(|p| (*p).to_owned()).collect();
                let product = a.product_code.clone();
                assumed
                    .products
                    .insert(a.usage_type.clone(), (product, others));
            }
        }
    }
    if a.operation.is_empty() {
        let operations = catalog.operations_of_meter(&a.product_code, &meter);
        if let Some((first, others)) = operations.split_first() {
            a.operation = (*first).to_owned();
            if !others.is_empty() {
                let others = others.iter().map(|o| (*o).to_owned()).collect();
                assumed
                    .operations
                    .insert(a.usage_type.clone(), (a.operation.clone(), others));
            }
        } else if let Some(price) =
            catalog.price_of_any_operation(price_region(catalog, &a.usage_type), &meter)
        {
            // Only a price names the usage type (no offer or rule does):
            // its operation, said as assumed or as read from the rate.
            if let Some(operation) = price.operation.clone() {
                let description = price.description.clone();
                a.operation = operation.clone();
                assumed
                    .priced_operations
                    .insert(a.usage_type.clone(), (operation, description));
            }
        }
    }
    a
}

/// The highest cost per unit among a usage type's periods, and how many
/// periods cost that (within rounding): two or more are periods billed in
/// full, as a day the allowance ran out part way is unlikely to match one.
#[derive(Debug, Clone, Copy)]
struct DataRate {
    highest: Decimal,
    periods_at_highest: usize,
    /// From an offer's pool that ran out (see `pool_rates`).
    pool: Option<Decimal>,
}

impl DataRate {
    fn billed_in_full(&self) -> bool {
        self.periods_at_highest >= 2
    }

    /// The rate the data itself decides, with no pool: its periods billed
    /// in full, or a period at the catalogue's price (billed in full then).
    fn own(&self, price: Option<Decimal>) -> Option<Decimal> {
        let at_price = price.is_some_and(|p| !above(p, self.highest));
        (self.billed_in_full() || at_price).then_some(self.highest)
    }
}

/// Per usage type and operation: the rate from the data, checked against
/// the catalogue's price (see the module's overview); notes in `assumed`
/// the pools and periods whose split the data does not decide.
fn rates(catalog: &Catalog, aggregates: &[Aggregate], assumed: &mut Assumed) -> Rates {
    let mut prices = BTreeMap::new();
    let mut per_unit: BTreeMap<RateKey, Vec<Decimal>> = BTreeMap::new();
    for a in aggregates.iter().filter(|a| a.line_item_type.is_usage()) {
        let key = rate_key(a);
        if let Some(price) = catalogue_price(catalog, a) {
            prices.insert(key.clone(), price);
        }
        if a.quantity > Decimal::ZERO && a.cost > Decimal::ZERO {
            per_unit.entry(key).or_default().push(a.cost / a.quantity);
        }
    }
    let mut data: BTreeMap<RateKey, DataRate> = per_unit
        .into_iter()
        .map(|(key, rates)| (key, data_rate(&rates)))
        .collect();
    for (key, pool) in pool_rates(catalog, aggregates, &prices, &data, assumed) {
        if let Some(rate) = data.get_mut(&key) {
            rate.pool = Some(pool);
        }
    }
    let keys: BTreeSet<_> = prices.keys().chain(data.keys()).cloned().collect();
    let rates: Rates = keys
        .into_iter()
        .filter_map(|key| {
            let rate = choose(prices.get(&key).copied(), data.get(&key).copied())?;
            Some((key, rate))
        })
        .collect();
    assumed.mixed = mixed(aggregates, &rates);
    rates
}

/// Per usage type and operation, the periods that are part free at its
/// rate, where a month has more than one: one rate and one allowance give
/// a single such period a month (the one the allowance ran out in), so
/// these fit no single rate (part free, part billed at two rates).
fn mixed(aggregates: &[Aggregate], rates: &Rates) -> BTreeMap<RateKey, usize> {
    let mut part_free: BTreeMap<RateKey, BTreeMap<Month, BTreeSet<Timestamp>>> = BTreeMap::new();
    for a in aggregates.iter().filter(|a| a.line_item_type.is_usage()) {
        let key = rate_key(a);
        let Some((rate, _)) = rates.get(&key) else {
            continue;
        };
        if a.quantity > Decimal::ZERO && a.cost > Decimal::ZERO && above(*rate, a.cost / a.quantity)
        {
            let months = part_free.entry(key).or_default();
            months.entry(a.start.month()).or_default().insert(a.start);
        }
    }
    part_free
        .into_iter()
        .filter_map(|(key, months)| {
            let periods: usize = months.values().map(BTreeSet::len).filter(|n| *n > 1).sum();
            (periods > 0).then_some((key, periods))
        })
        .collect()
}

/// One offer's pool over one month: what used it, how much, at what cost.
struct PoolMonth {
    offer: String,
    /// Per usage type and operation: its usage and its cost.
    members: BTreeMap<RateKey, (Decimal, Decimal)>,
    limit: Decimal,
}

/// Per usage type and operation whose rate its own periods do not decide
/// (no period billed in full: a month at MONTHLY granularity), from the
/// offer's monthly pools that ran out: billed = used − allowance, less what
/// the members with a rate of their own billed; rate = the others' cost ÷
/// that, where they are one usage type or share one price (else the
/// catalogue's prices where they add up to it, else undecided, noted). The
/// same in every such month (else none).
fn pool_rates(
    catalog: &Catalog,
    aggregates: &[Aggregate],
    prices: &BTreeMap<RateKey, Decimal>,
    data: &BTreeMap<RateKey, DataRate>,
    assumed: &mut Assumed,
) -> BTreeMap<RateKey, Decimal> {
    let mut rates: BTreeMap<RateKey, Vec<Decimal>> = BTreeMap::new();
    for pool in pool_months(catalog, aggregates).into_values() {
        match share(&pool, prices, data) {
            Share::Rates(shared) => {
                for (key, rate) in shared {
                    rates.entry(key).or_default().push(rate);
                }
            }
            Share::Undecided(keys) => {
                let usage_types = labels(&keys);
                assumed.shared_pools.insert((pool.offer, usage_types));
            }
            Share::Nothing => {}
        }
    }
    rates
        .into_iter()
        .filter_map(|(key, rates)| {
            let first = rates[0];
            let same = rates.iter().all(|r| !above(*r, first) && !above(first, *r));
            same.then_some((key, first))
        })
        .collect()
}

/// The usage of each offer's monthly pool, per month.
fn pool_months(
    catalog: &Catalog,
    aggregates: &[Aggregate],
) -> BTreeMap<(String, String, Month), PoolMonth> {
    let mut pools: BTreeMap<(String, String, Month), PoolMonth> = BTreeMap::new();
    for a in aggregates.iter().filter(|a| a.line_item_type.is_usage()) {
        let split = catalog.split_usage_type(&a.usage_type);
        let Some(offer) = catalog.offer_for_usage_type(&a.product_code, split, &a.operation) else {
            continue;
        };
        if offer.limit_basis != LimitBasis::Month {
            continue;
        }
        let region = match offer.pool {
            Pool::PerRegion => split.region.to_owned(),
            Pool::Global => String::new(),
        };
        let pool = pools
            .entry((offer.id.clone(), region, a.start.month()))
            .or_insert_with(|| PoolMonth {
                offer: offer.id.clone(),
                members: BTreeMap::new(),
                limit: offer.limit,
            });
        let (used, cost) = pool.members.entry(rate_key(a)).or_default();
        *used += a.quantity;
        *cost += a.cost;
    }
    pools
}

/// What one month of a pool tells of its members' rates.
#[derive(Debug, PartialEq)]
enum Share {
    /// The pool did not run out, or its members' own periods decide.
    Nothing,
    Rates(Vec<(RateKey, Decimal)>),
    /// Members at different rates: how they shared the allowance is open.
    Undecided(Vec<RateKey>),
}

fn share(
    pool: &PoolMonth,
    prices: &BTreeMap<RateKey, Decimal>,
    data: &BTreeMap<RateKey, DataRate>,
) -> Share {
    let used: Decimal = pool.members.values().map(|(used, _)| *used).sum();
    let cost: Decimal = pool.members.values().map(|(_, cost)| *cost).sum();
    if used <= pool.limit || cost <= Decimal::ZERO {
        return Share::Nothing;
    }
    let mut billed = used - pool.limit;
    let mut open = Vec::new();
    for (key, (_, cost)) in pool.members.iter().filter(|(_, (_, c))| *c > Decimal::ZERO) {
        let own = data.get(key).and_then(|d| d.own(prices.get(key).copied()));
        match own {
            Some(rate) => billed -= *cost / rate,
            None => open.push((key.clone(), *cost, prices.get(key).copied())),
        }
    }
    let open_cost: Decimal = open.iter().map(|(_, cost, _)| *cost).sum();
    if open.is_empty() || billed <= Decimal::ZERO {
        return Share::Nothing;
    }
    let one_price = open.iter().all(|(_, _, p)| p.is_some() && *p == open[0].2);
    if open.len() == 1 || one_price {
        let rate = open_cost / billed;
        return Share::Rates(open.into_iter().map(|(key, _, _)| (key, rate)).collect());
    }
    let at_prices: Option<Decimal> = open.iter().map(|(_, cost, p)| p.map(|p| *cost / p)).sum();
    match at_prices {
        Some(hours) if !above(hours, billed) && !above(billed, hours) => Share::Rates(
            open.into_iter()
                .filter_map(|(key, _, price)| Some((key, price?)))
                .collect(),
        ),
        _ => Share::Undecided(open.into_iter().map(|(key, _, _)| key).collect()),
    }
}

/// Each usage type, with its operation where the usage type comes more
/// than once.
fn labels(keys: &[RateKey]) -> Vec<String> {
    keys.iter()
        .map(|(usage_type, operation)| {
            let twice = keys.iter().filter(|(u, _)| u == usage_type).count() > 1;
            if twice && !operation.is_empty() {
                format!("{usage_type} ({operation})")
            } else {
                usage_type.clone()
            }
        })
        .collect()
}

fn data_rate(per_unit: &[Decimal]) -> DataRate {
    let highest = per_unit.iter().copied().max().unwrap_or_default();
    let periods_at_highest = per_unit.iter().filter(|r| !above(highest, **r)).count();
    DataRate {
        highest,
        periods_at_highest,
        pool: None,
    }
}

/// The data's rate where it decides, the catalogue's where it cannot.
fn choose(price: Option<Decimal>, data: Option<DataRate>) -> Option<(Decimal, RateSource)> {
    match (price, data) {
        (None, None) => None,
        (None, Some(data)) => Some((data.highest, RateSource::Data)),
        (Some(price), None) => Some((price, RateSource::Catalogue)),
        (Some(price), Some(data)) if above(data.highest, price) => {
            Some((data.highest, RateSource::DataAboveCatalogue(price)))
        }
        // Equal up to Cost Explorer's rounding: the exact price, not the
        // rounded quotient.
        (Some(price), Some(data)) if !above(price, data.highest) => {
            Some((price, RateSource::DataMatchesCatalogue))
        }
        (Some(price), Some(data)) if data.billed_in_full() => {
            Some((data.highest, RateSource::DataBelowCatalogue(price)))
        }
        // No period billed in full (a month at MONTHLY granularity): the
        // pool's rate, where it is not above the price and no period cost
        // more. One above the price is not taken: an expired free tier
        // looks so.
        (
            Some(price),
            Some(DataRate {
                highest,
                pool: Some(pool),
                ..
            }),
        ) if !above(pool, price) && !above(highest, pool) => {
            if above(price, pool) {
                Some((pool, RateSource::DataBelowCatalogue(price)))
            } else {
                Some((price, RateSource::DataMatchesCatalogue))
            }
        }
        (Some(price), Some(_)) => Some((price, RateSource::Catalogue)),
    }
}

/// Whether a cost per unit is above another by more than Cost Explorer's
/// rounding of amounts.
fn above(rate: Decimal, other: Decimal) -> bool {
    rate - other > other * ROUNDING_SHARE
}

fn catalogue_price(catalog: &Catalog, a: &Aggregate) -> Option<Decimal> {
    price_of(catalog, a)
        .map(|p| p.rate)
        .filter(|r| *r > Decimal::ZERO)
}

fn price_of<'c>(catalog: &'c Catalog, a: &Aggregate) -> Option<&'c crate::catalog::Price> {
    let split = catalog.split_usage_type(&a.usage_type);
    catalog.price(
        price_region(catalog, &a.usage_type),
        split.meter,
        &a.operation,
    )
}

/// The region the catalogue prices the usage type in (global usage at
/// us-east-1's prices).
fn price_region<'a>(catalog: &'a Catalog, usage_type: &'a str) -> &'a str {
    let region = catalog.split_usage_type(usage_type).region;
    if region == "global" {
        "us-east-1"
    } else {
        region
    }
}

/// The unit the catalogue prices the usage type in (Cost Explorer's own
/// `UsageQuantity` unit is `N/A`), else the unit of an offer that covers it,
/// else the unit of its price for any operation or region (the unit is the
/// meter's: an instance type's hours whatever the operating system).
fn unit_of(catalog: &Catalog, a: &Aggregate) -> String {
    if let Some(price) = price_of(catalog, a) {
        return price.unit.clone();
    }
    let split = catalog.split_usage_type(&a.usage_type);
    catalog
        .offer_for_usage_type(&a.product_code, split, &a.operation)
        .map(|o| o.unit.clone())
        .or_else(|| {
            let priced = catalog.prices.iter().find(|p| p.usage_type == split.meter);
            priced.map(|p| p.unit.clone())
        })
        .unwrap_or_default()
}

/// The free and billed lines of one aggregate. Without a rate, usage at no
/// cost is free tier only where an offer could cover it (much zero-priced
/// usage, such as CloudTrail's first trail, is not free tier).
fn split_one(
    payer: &str,
    a: Aggregate,
    rate: Option<Decimal>,
    free_tier: bool,
    unit: String,
) -> Vec<SplitLine> {
    let line = |free: bool, quantity: Decimal, cost: Decimal, description: String| SplitLine {
        payer_account: payer.to_owned(),
        aggregate: a.clone(),
        free,
        quantity,
        cost,
        rate: if free { Some(Decimal::ZERO) } else { rate },
        public_rate: rate,
        unit: unit.clone(),
        description,
    };
    if !a.line_item_type.is_usage() || a.quantity <= Decimal::ZERO {
        return vec![line(false, a.quantity, a.cost, String::new())];
    }
    let billed = match rate {
        Some(rate) => (a.cost / rate).min(a.quantity),
        None if a.cost.is_zero() && free_tier => Decimal::ZERO,
        None => a.quantity,
    };
    let mut free = a.quantity - billed;
    // Cost Explorer rounds amounts to 10 decimals: a remainder worth less
    // than a millionth of the currency is that rounding, not free usage.
    if rate.is_some_and(|r| free * r < ROUNDING) {
        free = Decimal::ZERO;
    }
    let billed = a.quantity - free;
    let mut lines = Vec::new();
    if free > Decimal::ZERO {
        let description = format!(
            "{} under monthly free tier (from Cost Explorer)",
            a.usage_type
        );
        lines.push(line(true, free, Decimal::ZERO, description));
    }
    if billed > Decimal::ZERO || !a.cost.is_zero() {
        lines.push(line(false, billed, a.cost, String::new()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one rate the usage type was split at.
    fn rate_of(rates: &Rates, usage_type: &str) -> (Decimal, RateSource) {
        let mut of_type = rates.iter().filter(|((u, _), _)| u == usage_type);
        let (_, rate) = of_type.next().expect(usage_type);
        assert!(of_type.next().is_none(), "one operation of {usage_type}");
        *rate
    }

    fn day(n: u8, quantity: &str, cost: &str) -> Aggregate {
        let start = Timestamp::from_civil(2025, 10, n, 0, 0, 0);
        Aggregate {
            start,
            end: start.plus_seconds(86_400),
            usage_account: String::new(),
            line_item_type: LineItemType::Usage,
            product_code: String::new(),
            usage_type: "BoxUsage:t2.micro".into(),
            operation: String::new(),
            quantity: quantity.parse().unwrap(),
            cost: cost.parse().unwrap(),
            currency: "USD".into(),
        }
    }

    #[test]
    fn a_day_is_split_at_the_catalogue_price() {
        let catalog = Catalog::embedded();
        // 48 hours, 9 of them billed at $0.0116.
        let (lines, rates, _) = split(&catalog, "p", vec![day(16, "48", "0.1044")]);
        assert_eq!(
            rate_of(&rates, "BoxUsage:t2.micro").1,
            RateSource::Catalogue
        );
        assert_eq!(lines.len(), 2);
        assert!(lines[0].free);
        assert_eq!(lines[0].quantity, Decimal::from(39));
        assert_eq!(lines[1].quantity, Decimal::from(9));
        assert_eq!(lines[1].cost, "0.1044".parse::<Decimal>().unwrap());
        assert_eq!(lines[0].aggregate.product_code, "AmazonEC2");
        assert_eq!(lines[0].aggregate.operation, "RunInstances");
    }

    #[test]
    fn stated_lines_keep_their_free_part_and_rate() {
        let catalog = Catalog::embedded();
        let mut free = day(1, "750", "0");
        free.end = Timestamp::from_civil(2025, 11, 1, 0, 0, 0);
        let mut billed = free.clone();
        billed.quantity = Decimal::from(738);
        billed.cost = "8.56".parse().unwrap();
        let (lines, _, _) = split_stated(
            &catalog,
            "p",
            vec![
                (free, Stated::Free, "free".into()),
                (
                    billed,
                    Stated::BilledAt("0.0116".parse().unwrap()),
                    "billed".into(),
                ),
            ],
        );
        assert_eq!(lines.len(), 2);
        assert!(lines[0].free && !lines[1].free);
        assert_eq!(lines[0].quantity, Decimal::from(750));
        assert_eq!(lines[1].rate, Some("0.0116".parse().unwrap()));
        assert_eq!(lines[1].cost, "8.56".parse::<Decimal>().unwrap());
        assert_eq!(lines[1].unit, "Hrs");
        assert_eq!(lines[0].aggregate.operation, "RunInstances");
    }

    #[test]
    fn without_a_price_the_data_gives_the_rate() {
        let catalog = Catalog::embedded();
        let mut a = day(1, "10", "1.5");
        a.usage_type = "Unknown-Meter".into();
        let mut b = day(2, "10", "0.75");
        b.usage_type = "Unknown-Meter".into();
        let (lines, rates, _) = split(&catalog, "p", vec![a, b]);
        assert_eq!(
            rate_of(&rates, "Unknown-Meter"),
            ("0.15".parse().unwrap(), RateSource::Data)
        );
        let free: Decimal = lines.iter().filter(|l| l.free).map(|l| l.quantity).sum();
        assert_eq!(free, Decimal::from(5));
        let cost: Decimal = lines.iter().map(|l| l.cost).sum();
        assert_eq!(
            cost,
            "2.25".parse::<Decimal>().unwrap(),
            "costs are kept exactly"
        );
    }

    #[test]
    fn an_operating_system_the_data_does_not_give_is_assumed_and_said() {
        let catalog = Catalog::embedded();
        let (_, _, assumed) = split(&catalog, "p", vec![day(1, "24", "0")]);
        let (operation, others) = &assumed.operations["BoxUsage:t2.micro"];
        assert_eq!(operation, "RunInstances");
        assert!(
            others.iter().any(|o| o == "RunInstances:0002"),
            "{others:?}"
        );
        let mut windows = day(1, "24", "0");
        windows.operation = "RunInstances:0002".into();
        let (_, _, given) = split(&catalog, "p", vec![windows]);
        assert!(given.operations.is_empty(), "the data gave it");
    }

    /// RHEL (RunInstances:0010) and PostgreSQL (CreateDBInstance:0014) have
    /// no price with a source in the catalogue: the Linux or MySQL price is
    /// not used for them, and the report says the rate came from the data.
    #[test]
    fn an_operation_without_a_sourced_price_is_not_priced_as_another() {
        let catalog = Catalog::embedded();
        let mut rhel = day(1, "24", "1.44");
        rhel.operation = "RunInstances:0010".into();
        let mut postgres = day(1, "24", "0.432");
        postgres.usage_type = "InstanceUsage:db.t3.micro".into();
        postgres.product_code = "AmazonRDS".into();
        postgres.operation = "CreateDBInstance:0014".into();
        let (_, rates, assumed) = split(&catalog, "p", vec![rhel, postgres]);
        assert_eq!(
            rate_of(&rates, "BoxUsage:t2.micro"),
            ("0.06".parse().unwrap(), RateSource::Data)
        );
        assert_eq!(
            rate_of(&rates, "InstanceUsage:db.t3.micro"),
            ("0.018".parse().unwrap(), RateSource::Data)
        );
        let said = unknowns("DAILY", &rates, &assumed);
        let from_data = said
            .iter()
            .filter(|u| matches!(u, Unknown::RateFromData { .. }))
            .count();
        assert_eq!(from_data, 2, "{said:?}");
        let mut mysql = day(1, "24", "0.408");
        mysql.usage_type = "InstanceUsage:db.t3.micro".into();
        mysql.product_code = "AmazonRDS".into();
        mysql.operation = "CreateDBInstance:0002".into();
        let (_, rates, _) = split(&catalog, "p", vec![mysql]);
        assert_eq!(
            rate_of(&rates, "InstanceUsage:db.t3.micro").1,
            RateSource::DataMatchesCatalogue
        );
    }

    /// Windows hours taken for Linux ones (the data has no operation): a day
    /// that cost more per hour than the Linux price cannot be split at it.
    #[test]
    fn a_cost_per_unit_above_the_catalogue_price_is_split_at_the_datas_and_said() {
        let catalog = Catalog::embedded();
        // us-east-1 Windows t2.micro: 24 hours at $0.0162 where Linux is $0.0116.
        let (lines, rates, assumed) = split(&catalog, "p", vec![day(2, "24", "0.3888")]);
        let rate = "0.0162".parse::<Decimal>().unwrap();
        let linux = "0.0116".parse::<Decimal>().unwrap();
        assert_eq!(
            rate_of(&rates, "BoxUsage:t2.micro"),
            (rate, RateSource::DataAboveCatalogue(linux))
        );
        let billed: Decimal = lines.iter().filter(|l| !l.free).map(|l| l.quantity).sum();
        assert_eq!(billed, Decimal::from(24), "every hour billed, none free");
        let said = unknowns("DAILY", &rates, &assumed);
        assert!(said.contains(&Unknown::RateAboveCatalogue {
            usage_type: "BoxUsage:t2.micro".into(),
            operation: None,
            rate,
            catalogue: linux,
        }));
        // Cost Explorer's rounding is not a different price.
        let (_, rates, _) = split(&catalog, "p", vec![day(2, "24", "0.27840001")]);
        assert_eq!(
            rate_of(&rates, "BoxUsage:t2.micro").1,
            RateSource::DataMatchesCatalogue
        );
    }

    /// A bill at a rate below the catalogue's (a price cut, another
    /// account's price): days billed in full give the data's rate and the
    /// split follows it, or the free part would be overstated.
    #[test]
    fn a_rate_below_the_catalogue_price_is_taken_from_fully_billed_days_and_said() {
        let catalog = Catalog::embedded();
        // Two t2.micro all month: 720 free hours by day 15, day 16 has the
        // last 30 free and 18 billed at $0.01, then every hour is billed.
        let mut days = vec![];
        for n in 1..=15 {
            days.push(day(n, "48", "0"));
        }
        days.push(day(16, "48", "0.18"));
        for n in 17..=31 {
            days.push(day(n, "48", "0.48"));
        }
        let (lines, rates, assumed) = split(&catalog, "p", days);
        let rate = "0.01".parse::<Decimal>().unwrap();
        let catalogue = "0.0116".parse::<Decimal>().unwrap();
        assert_eq!(
            rate_of(&rates, "BoxUsage:t2.micro"),
            (rate, RateSource::DataBelowCatalogue(catalogue))
        );
        let free: Decimal = lines.iter().filter(|l| l.free).map(|l| l.quantity).sum();
        assert_eq!(free, Decimal::from(750), "the allowance, not more");
        let cost: Decimal = lines.iter().map(|l| l.cost).sum();
        assert_eq!(cost, "7.38".parse::<Decimal>().unwrap());
        let said = unknowns("DAILY", &rates, &assumed);
        assert!(said.contains(&Unknown::RateBelowCatalogue {
            usage_type: "BoxUsage:t2.micro".into(),
            operation: None,
            rate,
            catalogue,
        }));
    }

    /// A month as one period (MONTHLY): no period was billed in full, but
    /// the offer's pool ran out, so billed = used − 750 gives the rate.
    #[test]
    fn a_pool_that_ran_out_gives_the_rate_where_no_period_was_billed_in_full() {
        let catalog = Catalog::embedded();
        let mut month = day(1, "1488", "7.38");
        month.end = Timestamp::from_civil(2025, 11, 1, 0, 0, 0);
        let (lines, rates, _) = split(&catalog, "p", vec![month]);
        assert_eq!(
            rate_of(&rates, "BoxUsage:t2.micro"),
            (
                "0.01".parse().unwrap(),
                RateSource::DataBelowCatalogue("0.0116".parse().unwrap())
            )
        );
        let free: Decimal = lines.iter().filter(|l| l.free).map(|l| l.quantity).sum();
        assert_eq!(free, Decimal::from(750));
        // At or above the price (an expired free tier), the catalogue stays.
        let mut expired = day(1, "1488", "17.2608");
        expired.end = Timestamp::from_civil(2025, 11, 1, 0, 0, 0);
        let (_, rates, _) = split(&catalog, "p", vec![expired]);
        assert_eq!(
            rate_of(&rates, "BoxUsage:t2.micro").1,
            RateSource::DataMatchesCatalogue
        );
    }

    /// One period below the catalogue's price may be a day the allowance
    /// ran out part way: it does not overrule the catalogue alone.
    #[test]
    fn a_single_period_below_the_catalogue_price_does_not_decide_the_rate() {
        let catalog = Catalog::embedded();
        let (_, rates, _) = split(&catalog, "p", vec![day(16, "48", "0.1044")]);
        assert_eq!(
            rate_of(&rates, "BoxUsage:t2.micro").1,
            RateSource::Catalogue
        );
        let billed_in_full = vec![day(16, "48", "0.5568"), day(17, "24", "0.2784")];
        let (_, rates, _) = split(&catalog, "p", billed_in_full);
        assert_eq!(
            rate_of(&rates, "BoxUsage:t2.micro"),
            ("0.0116".parse().unwrap(), RateSource::DataMatchesCatalogue)
        );
    }

    /// An instance type no offer names, without its operation: its hours are
    /// still hours.
    #[test]
    fn a_usage_type_priced_for_another_operation_keeps_its_unit() {
        let catalog = Catalog::embedded();
        let mut small = day(1, "1", "0.0208");
        small.usage_type = "BoxUsage:t3.small".into();
        let (lines, _, _) = split(&catalog, "p", vec![small]);
        assert_eq!(lines[0].unit, "Hrs");
    }

    /// A whole month (MONTHLY) of one usage type and operation.
    fn month(usage_type: &str, operation: &str, quantity: &str, cost: &str) -> Aggregate {
        let mut a = day(1, quantity, cost);
        a.end = Timestamp::from_civil(2025, 11, 1, 0, 0, 0);
        a.usage_type = usage_type.into();
        a.operation = operation.into();
        a
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn free_of(lines: &[SplitLine]) -> Decimal {
        lines.iter().filter(|l| l.free).map(|l| l.quantity).sum()
    }

    fn cost_of(lines: &[SplitLine]) -> Decimal {
        lines.iter().map(|l| l.cost).sum()
    }

    /// t2.micro in two regions at one price share the 750 hours: monthly
    /// totals give the pool's rate, pooled cost ÷ (pooled hours − 750).
    #[test]
    fn a_pool_shared_at_one_price_gives_its_rate_in_monthly_data() {
        let catalog = Catalog::embedded();
        let aggregates = vec![
            month("BoxUsage:t2.micro", "RunInstances", "744", "3.00"),
            month("USE2-BoxUsage:t2.micro", "RunInstances", "744", "4.38"),
        ];
        let (lines, rates, assumed) = split(&catalog, "p", aggregates);
        for usage_type in ["BoxUsage:t2.micro", "USE2-BoxUsage:t2.micro"] {
            assert_eq!(
                rate_of(&rates, usage_type),
                (dec("0.01"), RateSource::DataBelowCatalogue(dec("0.0116")))
            );
        }
        assert_eq!(
            free_of(&lines),
            Decimal::from(750),
            "the allowance, not more"
        );
        assert_eq!(cost_of(&lines), dec("7.38"));
        assert!(assumed.shared_pools.is_empty());
    }

    /// t2.micro in us-east-1 ($0.0116) and Seoul ($0.0144) share the pool:
    /// where the catalogue's prices account for the billed hours exactly,
    /// they are the rates; where they do not, the split between the two is
    /// undecided and said, and the charges still add up to the total.
    #[test]
    fn a_pool_shared_at_different_prices_is_decided_only_where_the_prices_add_up() {
        let catalog = Catalog::embedded();
        // 400 hours billed in us-east-1 and 338 in Seoul: 738 = 1488 − 750.
        let fits = vec![
            month("BoxUsage:t2.micro", "RunInstances", "744", "4.64"),
            month("APN2-BoxUsage:t2.micro", "RunInstances", "744", "4.8672"),
        ];
        let (lines, rates, assumed) = split(&catalog, "p", fits);
        assert_eq!(
            rate_of(&rates, "APN2-BoxUsage:t2.micro"),
            (dec("0.0144"), RateSource::DataMatchesCatalogue)
        );
        assert_eq!(free_of(&lines), Decimal::from(750));
        assert!(assumed.shared_pools.is_empty(), "{assumed:?}");
        // $8.00 at these prices is 622.6 hours, not the 738 billed.
        let open = vec![
            month("BoxUsage:t2.micro", "RunInstances", "744", "4.00"),
            month("APN2-BoxUsage:t2.micro", "RunInstances", "744", "4.00"),
        ];
        let (lines, rates, assumed) = split(&catalog, "p", open);
        let undecided = Unknown::SharedPoolUndecided {
            offer: "ec2-micro-linux".into(),
            usage_types: vec!["APN2-BoxUsage:t2.micro".into(), "BoxUsage:t2.micro".into()],
        };
        assert!(unknowns("MONTHLY", &rates, &assumed).contains(&undecided));
        assert_eq!(cost_of(&lines), dec("8.00"), "to the cent");
        // Daily data decides it: each day billed in full gives its rate.
        let (_, _, daily) = split(&catalog, "p", vec![day(20, "24", "0.2784")]);
        assert!(daily.shared_pools.is_empty());
    }

    /// Days of Linux t2.micro alone (at $0.0116) and days with a Windows
    /// instance beside it (Windows at $0.0162, $0.0139 an hour together), in
    /// data without the operation: no single rate fits every day, so the
    /// split of the days part free at that rate is said to be undecided.
    #[test]
    fn days_that_fit_no_single_rate_are_said_to_be_undecided() {
        let catalog = Catalog::embedded();
        let mut days = vec![];
        for n in 1..=15 {
            days.push(day(n, "48", "0"));
        }
        days.push(day(16, "48", "0.2088"));
        for n in 17..=24 {
            days.push(day(n, "24", "0.2784"));
        }
        for n in 25..=31 {
            days.push(day(n, "48", "0.6672"));
        }
        let (lines, rates, assumed) = split(&catalog, "p", days.clone());
        let said = unknowns("DAILY", &rates, &assumed);
        assert!(
            said.contains(&Unknown::MixedRates {
                usage_type: "BoxUsage:t2.micro".into(),
                operation: None,
                periods: 9,
                rate: dec("0.0139"),
            }),
            "{said:?}"
        );
        let total: Decimal = days.iter().map(|d| d.cost).sum();
        assert_eq!(cost_of(&lines), total, "to the cent");
        // One rate: only the day the allowance ran out is part free.
        let (_, rates, assumed) = split(&catalog, "p", days[..24].to_vec());
        assert!(assumed.mixed.is_empty(), "{:?}", rates);
    }

    /// Without OPERATION, a usage type only a price names (t3.small): the
    /// data's rate is matched to the Linux price and said; without such a
    /// rate, the Linux price is an assumption, said as one.
    #[test]
    fn a_usage_type_without_its_operation_takes_the_price_it_matches_or_says_it_assumed_it() {
        let catalog = Catalog::embedded();
        let small = |n: u8, cost: &str| {
            let mut a = day(n, "24", cost);
            a.usage_type = "APN2-BoxUsage:t3.small".into();
            a
        };
        let price = "$0.026 per On Demand Linux t3.small Instance Hour";
        let (_, rates, assumed) = split(&catalog, "p", vec![small(1, "0.624"), small(2, "0.624")]);
        assert_eq!(
            rate_of(&rates, "APN2-BoxUsage:t3.small"),
            (dec("0.026"), RateSource::DataMatchesCatalogue)
        );
        let said = unknowns("DAILY", &rates, &assumed);
        assert!(said.contains(&Unknown::OperationFromPrice {
            usage_type: "APN2-BoxUsage:t3.small".into(),
            operation: "RunInstances".into(),
            price: price.into(),
        }));
        assert!(
            !said
                .iter()
                .any(|u| matches!(u, Unknown::RateFromData { .. })),
            "a price exists: {said:?}"
        );
        let (_, rates, assumed) = split(&catalog, "p", vec![small(1, "0.3")]);
        assert!(
            unknowns("DAILY", &rates, &assumed).contains(&Unknown::OperationAssumedForPrice {
                usage_type: "APN2-BoxUsage:t3.small".into(),
                operation: "RunInstances".into(),
                price: price.into(),
            })
        );
    }

    /// RHEL and SUSE hours under one usage type, each at its own rate from
    /// the data: both are said, each naming its operation.
    #[test]
    fn rates_of_two_operations_under_one_usage_type_are_both_said() {
        let catalog = Catalog::embedded();
        let mut rhel = day(1, "24", "1.44");
        rhel.operation = "RunInstances:0010".into();
        let mut suse = day(1, "24", "0.72");
        suse.operation = "RunInstances:000g".into();
        let (_, rates, assumed) = split(&catalog, "p", vec![rhel, suse]);
        let said = unknowns("DAILY", &rates, &assumed);
        for (operation, rate) in [("RunInstances:0010", "0.06"), ("RunInstances:000g", "0.03")] {
            let told = Unknown::RateFromData {
                usage_type: "BoxUsage:t2.micro".into(),
                operation: Some(operation.into()),
                rate: dec(rate),
            };
            assert!(said.contains(&told), "{told:?} in {said:?}");
        }
    }
}
