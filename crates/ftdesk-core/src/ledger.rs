//! Streaming aggregation: readers push line items one at a time, so memory
//! grows with the number of distinct usage types and resources, not rows.

use std::collections::hash_map::Entry;
use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::{Catalog, Plan};
use crate::model::{Handles, LineItem, LineItemType};
use crate::time::{Month, Timestamp, SECONDS_PER_HOUR};

pub(crate) const PLANS: [Plan; 3] = [Plan::Legacy, Plan::FreePlan, Plan::PaidPlan];

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum PushError {
    #[error("currency {found} differs from {expected} used by earlier rows of {month}; one report needs one currency")]
    MixedCurrency {
        expected: String,
        found: String,
        month: Month,
    },
}

/// Interns the strings of the billing data: most repeat on every row.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    map: HashMap<Key, u32>,
    strings: Vec<Box<str>>,
}

/// Bytes a [`Key`] holds in itself.
const INLINE: usize = 22;

/// An interned string as the table's key: a short one (resource ids,
/// accounts, usage types) inside the table's entry, so finding it compares
/// bytes already at hand instead of reading another allocation.
#[derive(Debug, Clone)]
enum Key {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Key {
    fn new(s: &str) -> Self {
        if s.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Key::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            Key::Heap(s.into())
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Copied from a `str` whole: valid UTF-8.
            Key::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default()
            }
            Key::Heap(s) => s,
        }
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    /// As the `str` it holds, so a `&str` finds it.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Interner {
    /// An interner holding `strings` under their positions; `None` if one repeats.
    pub(crate) fn from_strings(strings: Vec<String>) -> Option<Self> {
        let mut interner = Interner::default();
        for s in strings {
            let before = interner.strings.len();
            if interner.id(&s) as usize != before {
                return None;
            }
        }
        Some(interner)
    }

    pub(crate) fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.map.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.into());
        self.map.insert(Key::new(s), id);
        id
    }

    pub(crate) fn get(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }

    /// The strings of `ids`, sorted (a report's stable order).
    pub(crate) fn sorted<'i>(&self, ids: impl IntoIterator<Item = &'i u32>) -> Vec<String> {
        let mut strings: Vec<String> = ids.into_iter().map(|id| self.get(*id).to_owned()).collect();
        strings.sort();
        strings
    }

    /// The strings in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.strings.iter().map(|s| &**s)
    }
}

/// The last string interned for one field: fields such as the payer and
/// the currency hold the same text on every row, and comparing is cheaper
/// than hashing.
#[derive(Debug, Default)]
struct Recent {
    text: String,
    id: Option<u32>,
}

impl Recent {
    fn id(&mut self, strings: &mut Interner, s: &str) -> u32 {
        match self.id {
            // Lengths first: an absent column's empty text needs no compare.
            Some(id) if self.text.len() == s.len() && (s.is_empty() || self.text == s) => id,
            _ => {
                let id = strings.id(s);
                self.text.clear();
                self.text.push_str(s);
                self.id = Some(id);
                id
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct GroupKey {
    pub account: u32,
    pub product: u32,
    pub usage_type: u32,
    pub operation: u32,
    pub resource: u32,
    pub kind: LineItemType,
    pub free: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Group {
    pub region: u32,
    pub unit: u32,
    pub description: u32,
    pub tax_type: u32,
    pub seller: u32,
    pub marketplace: bool,
    pub quantity: Decimal,
    pub cost: Decimal,
    pub rate: Option<Decimal>,
    pub mixed_rates: bool,
    pub first: Timestamp,
    pub last: Timestamp,
    pub rows: u64,
    /// Cost per day of the month.
    pub daily: DailyCost,
    /// What the catalogue says about the group's first row.
    pub meter: MeterInfo,
    /// The meter region whose pools the group last joined: a row in another
    /// region (a `Global-` usage type) joins that region's pools too.
    pub joined_region: u32,
}

impl Group {
    /// Adds one row of the group's key.
    fn add(&mut self, item: &LineItem<'_>, month: Month) {
        self.quantity += item.usage_amount;
        self.cost += item.cost;
        self.rows += 1;
        self.first = self.first.min(item.start);
        self.last = self.last.max(item.end);
        if self.rate != item.rate {
            self.mixed_rates = true;
        }
        self.daily.add(day_index(month, item.start), item.cost);
    }
}

/// A group's cost per day of the month, `days` boxed to keep the group
/// table's entries small (a probe and a table resize touch less memory).
/// A group's rows mostly come day after day, so the day being added to is
/// held in the entry and written into `days` (one more cache miss) once a
/// day, not once a row. Each day's value is, bit for bit, the one adding
/// every row into `days` gives: a day is held only from a zero entry,
/// and `0 + x` is `x` itself (its scale included).
#[derive(Debug, Clone)]
pub(crate) struct DailyCost {
    days: Box<[Decimal; 31]>,
    /// The day held here (its entry in `days` is still zero), or [`NO_DAY`].
    open: u8,
    open_cost: Decimal,
}

const NO_DAY: u8 = u8::MAX;

impl Default for DailyCost {
    fn default() -> Self {
        DailyCost {
            days: Box::new([Decimal::ZERO; 31]),
            open: NO_DAY,
            open_cost: Decimal::ZERO,
        }
    }
}

impl DailyCost {
    /// Adds `cost` to day `day` (0-based, below 31).
    fn add(&mut self, day: usize, cost: Decimal) {
        if usize::from(self.open) == day {
            self.open_cost += cost;
            return;
        }
        self.close();
        let entry = &mut self.days[day];
        if entry.is_zero() {
            self.open = day as u8;
            self.open_cost = cost;
        } else {
            *entry += cost;
        }
    }

    fn close(&mut self) {
        if self.open != NO_DAY {
            self.days[usize::from(self.open)] = self.open_cost;
            self.open = NO_DAY;
        }
    }

    /// Each day's cost, the first day first.
    pub(crate) fn values(&self) -> [Decimal; 31] {
        let mut days = *self.days;
        if self.open != NO_DAY {
            days[usize::from(self.open)] = self.open_cost;
        }
        days
    }

    /// Every day's entry, to change in place.
    pub(crate) fn days_mut(&mut self) -> &mut [Decimal; 31] {
        self.close();
        &mut self.days
    }
}

/// Saved as the 31 days' costs, as before the day held in the entry.
impl Serialize for DailyCost {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.values().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DailyCost {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(DailyCost {
            days: Box::new(<[Decimal; 31]>::deserialize(deserializer)?),
            ..DailyCost::default()
        })
    }
}

/// What the catalogue says about one (product, usage type, operation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MeterInfo {
    /// Region id of the usage (interned).
    pub region: u32,
    /// Offer index per plan, with the region condition applied.
    pub strict: [Option<u16>; 3],
    /// Offer index per plan, ignoring the region condition (to follow the bill).
    pub loose: [Option<u16>; 3],
    /// Any offer on any plan.
    pub any: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct PoolKey {
    pub plan: u8,
    pub offer: u16,
    /// Interned region for per-region pools, `u32::MAX` for global ones.
    pub region: u32,
    /// `u32::MAX` for the offer's pool. Otherwise the interned usage type of
    /// charged usage that the catalogue keeps out of the offer (t3.micro where
    /// the region has t2.micro): held apart until the month is finished, it
    /// joins the offer's pool if the bill made part of that usage type free.
    pub held_for: u32,
}

impl PoolKey {
    /// The key of the offer's own pool that a held pool may join.
    pub(crate) fn offer_pool(self) -> PoolKey {
        PoolKey {
            held_for: u32::MAX,
            ..self
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PoolAgg {
    /// Usage per hour of the month, kept apart by the number of hours its
    /// rows spanned: sums of billed quantities stay exact (and so the same
    /// whatever order rows and files come in); the division by the span
    /// happens once, in [`PoolAgg::timeline`].
    pub spans: BTreeMap<u32, Vec<Decimal>>,
    pub free: Decimal,
    /// Free quantity the bill granted outside the catalogue's region rule.
    pub bill_only: Decimal,
    pub charged_quantity: Decimal,
    pub charged_cost: Decimal,
    pub resources: HashSet<u32>,
    pub accounts: HashSet<u32>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct CreditAgg {
    pub amount: Decimal,
    pub free_plan: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct MonthLedger {
    pub currency: Option<u32>,
    /// The ledger's row number ([`Ledger::pushed`]) that set the currency:
    /// merging reports the conflict a single ledger would have met first.
    pub currency_seq: u64,
    pub groups: HashMap<GroupKey, Group>,
    pub pools: HashMap<PoolKey, PoolAgg>,
    pub credits: BTreeMap<(LineItemType, u32), CreditAgg>,
    pub accounts: HashSet<u32>,
    pub as_of: Option<Timestamp>,
    pub total: Decimal,
    pub free_value: Decimal,
    pub rows: u64,
}

/// Collects line items; [`Ledger::finish`] turns them into reports.
#[derive(Debug)]
pub struct Ledger<'c> {
    pub(crate) catalog: &'c Catalog,
    pub(crate) strings: Interner,
    pub(crate) months: BTreeMap<(Month, u32), MonthLedger>,
    /// Keyed by product, usage type, operation and (for `Global-` usage
    /// types, whose region is the row's) the region: a pure function of the row.
    pub(crate) meters: HashMap<MeterKey, MeterInfo>,
    pub(crate) free_descriptions: HashMap<u32, bool>,
    pub(crate) account_filter: Option<String>,
    pub(crate) skipped_rows: u64,
    /// Rows taken in (not skipped by the account filter).
    pub(crate) pushed: u64,
    recent_payer: Recent,
    recent_currency: Recent,
    recent_region: Recent,
    recent_unit: Recent,
    recent_tax_type: Recent,
    recent_seller: Recent,
    /// Per [`Handles::FIELDS`] field, the ids of the current dictionary's values.
    handled: [HandledIds; 6],
}

/// The string ids of one reader dictionary's values, as rows meet them.
#[derive(Debug, Default)]
struct HandledIds {
    dictionary: u64,
    /// By index in the dictionary; `u32::MAX` where not met yet.
    ids: Vec<u32>,
}

/// The id of a row's string, through its dictionary handle when it has one:
/// a value met before needs no hashing. Ids stay those of interning every
/// row's string, since a value is interned (in row order) when first met.
fn handled_id(
    handled: &mut [HandledIds; 6],
    strings: &mut Interner,
    handles: &Handles,
    field: usize,
    s: &str,
) -> u32 {
    let dictionary = handles.dictionary[field];
    if dictionary == 0 {
        return strings.id(s);
    }
    let cache = &mut handled[field];
    if cache.dictionary != dictionary {
        cache.dictionary = dictionary;
        cache.ids.clear();
    }
    let index = handles.index[field] as usize;
    match cache.ids.get(index) {
        Some(&id) if id != u32::MAX => id,
        _ => {
            let id = strings.id(s);
            if cache.ids.len() <= index {
                cache.ids.resize(index + 1, u32::MAX);
            }
            cache.ids[index] = id;
            id
        }
    }
}

/// (product, usage type, operation, region or `u32::MAX`).
pub(crate) type MeterKey = (u32, u32, u32, u32);

impl MonthLedger {
    /// Keeps the month's currency; a row in another one is refused.
    fn note_currency(
        &mut self,
        currency: u32,
        seq: u64,
        item: &LineItem<'_>,
        strings: &Interner,
    ) -> Result<(), PushError> {
        if item.currency.is_empty() {
            return Ok(());
        }
        match self.currency {
            None => {
                self.currency = Some(currency);
                self.currency_seq = seq;
            }
            Some(c) if c != currency => {
                return Err(PushError::MixedCurrency {
                    expected: strings.get(c).to_owned(),
                    found: item.currency.to_owned(),
                    month: item.billing_period,
                })
            }
            Some(_) => {}
        }
        Ok(())
    }

    fn add_credit(&mut self, item: &LineItem<'_>, catalog: &Catalog, strings: &mut Interner) {
        let free_plan = catalog
            .credit_plan
            .credit_descriptions
            .iter()
            .any(|d| item.description.contains(d.as_str()));
        let c = self
            .credits
            .entry((item.line_item_type, strings.id(item.description)))
            .or_default();
        c.amount += item.cost;
        c.free_plan |= free_plan;
    }

    pub(crate) fn new() -> Self {
        MonthLedger {
            currency: None,
            currency_seq: 0,
            groups: HashMap::default(),
            pools: HashMap::default(),
            credits: BTreeMap::new(),
            accounts: HashSet::default(),
            as_of: None,
            total: Decimal::ZERO,
            free_value: Decimal::ZERO,
            rows: 0,
        }
    }
}

impl<'c> Ledger<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        Ledger {
            catalog,
            strings: Interner::default(),
            months: BTreeMap::new(),
            meters: HashMap::default(),
            free_descriptions: HashMap::default(),
            account_filter: None,
            skipped_rows: 0,
            pushed: 0,
            recent_payer: Recent::default(),
            recent_currency: Recent::default(),
            recent_region: Recent::default(),
            recent_unit: Recent::default(),
            recent_tax_type: Recent::default(),
            recent_seller: Recent::default(),
            handled: Default::default(),
        }
    }

    /// The catalogue the ledger classifies against.
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// The account filter given with [`Ledger::with_account_filter`].
    pub fn account_filter(&self) -> Option<&str> {
        self.account_filter.as_deref()
    }

    /// Keep only rows of this account: a payer id keeps its whole Organization.
    pub fn with_account_filter(mut self, account: Option<String>) -> Self {
        self.account_filter = account;
        self
    }

    /// The billing months present, newest last.
    pub fn months(&self) -> Vec<Month> {
        let mut m: Vec<Month> = self.months.keys().map(|(m, _)| *m).collect();
        m.dedup();
        m
    }

    pub fn rows(&self) -> u64 {
        self.months.values().map(|m| m.rows).sum::<u64>() + self.skipped_rows
    }

    /// Adds one row. Over 80 lines on purpose: this is the per-row hot path,
    /// which probes each table once and keeps its borrows of the ledger's
    /// fields disjoint (strings, month ledger, recent ids) in one place.
    pub fn push(&mut self, item: &LineItem<'_>) -> Result<(), PushError> {
        if let Some(filter) = &self.account_filter {
            if item.usage_account != filter && item.payer_account != filter {
                self.skipped_rows += 1;
                return Ok(());
            }
        }
        self.pushed += 1;
        let payer = self.recent_payer.id(&mut self.strings, item.payer_account);
        let currency = self.recent_currency.id(&mut self.strings, item.currency);
        let handles = &item.handles;
        let account = handled_id(
            &mut self.handled,
            &mut self.strings,
            handles,
            0,
            item.usage_account,
        );
        let month = item.billing_period;
        let is_credit = matches!(
            item.line_item_type,
            LineItemType::Credit | LineItemType::Refund | LineItemType::Discount
        );
        let free = item.line_item_type == LineItemType::Usage
            && item.cost.is_zero()
            && self.is_free_row(item);
        let (handled, strings) = (&mut self.handled, &mut self.strings);
        let product = handled_id(handled, strings, handles, 1, item.product_code);
        let usage_type = handled_id(handled, strings, handles, 2, item.usage_type);
        let operation = handled_id(handled, strings, handles, 3, item.operation);
        let resource = handled_id(handled, strings, handles, 4, item.resource_id);
        let key = GroupKey {
            account,
            product,
            usage_type,
            operation,
            resource,
            kind: item.line_item_type,
            free,
        };
        let meter = if is_credit {
            None
        } else {
            Some(self.meter(item, product, usage_type, operation))
        };
        let ml = self
            .months
            .entry((month, payer))
            .or_insert_with(MonthLedger::new);
        ml.note_currency(currency, self.pushed, item, &self.strings)?;
        ml.rows += 1;
        ml.total += item.cost;

        let Some(meter) = meter else {
            ml.accounts.insert(account);
            ml.add_credit(item, self.catalog, &mut self.strings);
            return Ok(());
        };
        if item.line_item_type != LineItemType::Tax {
            ml.as_of = Some(ml.as_of.map_or(item.end, |t| t.max(item.end)));
        }
        if free {
            if let Some(public) = item.public_rate {
                ml.free_value += public * item.usage_amount;
            }
        }
        // Interned on every row, not only a group's first: a string's id then
        // depends on the rows alone, so ledgers of separate files merge into
        // the ids one ledger of all the files would have.
        let first_row = FirstRow {
            unit: self.recent_unit.id(&mut self.strings, item.unit),
            description: handled_id(
                &mut self.handled,
                &mut self.strings,
                handles,
                5,
                item.description,
            ),
            tax_type: self.recent_tax_type.id(&mut self.strings, item.tax_type),
            seller: self.recent_seller.id(&mut self.strings, item.legal_entity),
        };
        // One probe of the group table a row: the group says whether the
        // row's meter region is new to it (then its pools learn the group).
        let (group, joined) = match ml.groups.entry(key) {
            Entry::Occupied(entry) => {
                let group = entry.into_mut();
                let joined = Some(group.joined_region);
                (group, joined)
            }
            Entry::Vacant(entry) => {
                ml.accounts.insert(account);
                let region = if item.usage_type.is_empty() {
                    usage_type // the empty string's id
                } else {
                    meter.region
                };
                (
                    entry.insert(first_row.group(item, self.catalog, region, meter)),
                    None,
                )
            }
        };
        if item.line_item_type.is_usage() && joined != Some(meter.region) {
            join_pools(&mut ml.pools, &meter, key, item, self.catalog);
        }
        group.joined_region = meter.region;
        group.add(item, month);

        if item.line_item_type.is_usage() {
            add_to_pools(&mut ml.pools, month, &meter, key, item, self.catalog);
        }
        Ok(())
    }

    fn is_free_row(&mut self, item: &LineItem<'_>) -> bool {
        let numeric = item.rate.is_none_or(|r| r.is_zero())
            && item.public_rate.is_some_and(|p| p > Decimal::ZERO);
        if numeric {
            return true;
        }
        // Interned here as before (the same ids in the same order), through
        // the description's dictionary handle when it has one.
        let desc = handled_id(
            &mut self.handled,
            &mut self.strings,
            &item.handles,
            5,
            item.description,
        );
        let catalog = self.catalog;
        *self
            .free_descriptions
            .entry(desc)
            .or_insert_with(|| catalog.is_free_tier_description(item.description))
    }

    fn meter(
        &mut self,
        item: &LineItem<'_>,
        product: u32,
        usage_type: u32,
        operation: u32,
    ) -> MeterInfo {
        // `Global-` usage types take the row's region (see `split_usage_type`).
        let region = if item.usage_type.starts_with("Global-") && !item.region.is_empty() {
            self.recent_region.id(&mut self.strings, item.region)
        } else {
            u32::MAX
        };
        let key = (product, usage_type, operation, region);
        if let Some(info) = self.meters.get(&key) {
            return *info;
        }
        let catalog = self.catalog;
        let split = catalog.split_usage_type(item.usage_type);
        let region_name = if split.region == "global" && !item.region.is_empty() {
            item.region
        } else {
            split.region
        };
        let index = |o: &crate::catalog::Offer| {
            catalog
                .offers
                .iter()
                .position(|x| x.id == o.id)
                .map(|i| i as u16)
        };
        let mut info = MeterInfo {
            region: self.strings.id(region_name),
            strict: [None; 3],
            loose: [None; 3],
            any: catalog
                .offer_for_usage_type(item.product_code, split, item.operation)
                .and_then(index),
        };
        for (i, plan) in PLANS.iter().enumerate() {
            info.strict[i] = catalog
                .matching_offer(*plan, item.product_code, split, item.operation)
                .and_then(index);
            info.loose[i] = info
                .any
                .filter(|&o| catalog.offers[o as usize].plans.contains(plan));
        }
        self.meters.insert(key, info);
        info
    }
}

/// The ids of a row's strings that a new group keeps.
struct FirstRow {
    unit: u32,
    description: u32,
    tax_type: u32,
    seller: u32,
}

impl FirstRow {
    fn group(self, item: &LineItem<'_>, catalog: &Catalog, region: u32, meter: MeterInfo) -> Group {
        Group {
            region,
            unit: self.unit,
            description: self.description,
            tax_type: self.tax_type,
            seller: self.seller,
            marketplace: catalog.is_marketplace_entity(item.billing_entity)
                || (!item.legal_entity.is_empty() && !item.legal_entity.starts_with("Amazon")),
            quantity: Decimal::ZERO,
            cost: Decimal::ZERO,
            rate: item.rate,
            mixed_rates: false,
            first: item.start,
            last: item.end,
            rows: 0,
            daily: DailyCost::default(),
            meter,
            joined_region: meter.region,
        }
    }
}

impl PoolAgg {
    fn new() -> Self {
        PoolAgg {
            spans: BTreeMap::new(),
            free: Decimal::ZERO,
            bill_only: Decimal::ZERO,
            charged_quantity: Decimal::ZERO,
            charged_cost: Decimal::ZERO,
            resources: HashSet::default(),
            accounts: HashSet::default(),
        }
    }

    /// Usage per hour of the month.
    pub(crate) fn timeline(&self, month: Month) -> Vec<Decimal> {
        let mut timeline = vec![Decimal::ZERO; month.hours() as usize];
        for (&hours, sums) in &self.spans {
            for (hour, sum) in timeline.iter_mut().zip(sums) {
                if sum.is_zero() {
                    continue;
                }
                *hour += match hours {
                    1 => *sum,
                    _ => *sum / Decimal::from(hours),
                };
            }
        }
        timeline
    }
}

fn day_index(month: Month, t: Timestamp) -> usize {
    let secs = (t.unix() - month.start().unix()).max(0);
    ((secs / 86_400) as usize).min(30)
}

/// The pools a new group's usage draws from, per plan: a free row counts
/// wherever the bill granted it, a charged one where the catalogue's region
/// rule applies, or else in a pool held for its usage type (see
/// [`PoolKey::held_for`]).
fn pool_keys(meter: &MeterInfo, key: GroupKey, catalog: &Catalog) -> [Option<PoolKey>; 3] {
    std::array::from_fn(|plan| {
        let (offer, held_for) = match (key.free, meter.strict[plan], meter.loose[plan]) {
            (true, _, loose) => (loose?, u32::MAX),
            (false, Some(strict), _) => (strict, u32::MAX),
            (false, None, loose) => (loose?, key.usage_type),
        };
        let per_region = catalog.offers[offer as usize].pool == crate::catalog::Pool::PerRegion;
        Some(PoolKey {
            plan: plan as u8,
            offer,
            region: if per_region { meter.region } else { u32::MAX },
            held_for,
        })
    })
}

/// Enters a group's resource and account in the pools of a row (once per
/// group and meter region: the group key holds both, so other rows add
/// nothing new).
fn join_pools(
    pools: &mut HashMap<PoolKey, PoolAgg>,
    meter: &MeterInfo,
    key: GroupKey,
    item: &LineItem<'_>,
    catalog: &Catalog,
) {
    for pool_key in pool_keys(meter, key, catalog).into_iter().flatten() {
        let pool = pools.entry(pool_key).or_insert_with(PoolAgg::new);
        if !item.resource_id.is_empty() {
            pool.resources.insert(key.resource);
        }
        pool.accounts.insert(key.account);
    }
}

fn add_to_pools(
    pools: &mut HashMap<PoolKey, PoolAgg>,
    month: Month,
    meter: &MeterInfo,
    key: GroupKey,
    item: &LineItem<'_>,
    catalog: &Catalog,
) {
    for pool_key in pool_keys(meter, key, catalog).into_iter().flatten() {
        let Some(pool) = pools.get_mut(&pool_key) else {
            continue;
        };
        if key.free {
            pool.free += item.usage_amount;
            if meter.strict[pool_key.plan as usize].is_none() {
                pool.bill_only += item.usage_amount;
            }
        } else {
            pool.charged_quantity += item.usage_amount;
            pool.charged_cost += item.cost;
        }
        spread_over_hours(
            &mut pool.spans,
            month,
            item.start,
            item.end,
            item.usage_amount,
        );
    }
}

/// Adds `quantity` to the hours `[start, end)` that fall in the month, under
/// the number of hours it spreads over (see [`PoolAgg::spans`]).
fn spread_over_hours(
    spans: &mut BTreeMap<u32, Vec<Decimal>>,
    month: Month,
    start: Timestamp,
    end: Timestamp,
    quantity: Decimal,
) {
    let len = month.hours() as usize;
    let base = month.start().unix();
    let last = len as i64 - 1;
    let first_hour = ((start.unix() - base) / SECONDS_PER_HOUR).clamp(0, last);
    let end_hour = ((end.unix() - base + SECONDS_PER_HOUR - 1) / SECONDS_PER_HOUR)
        .clamp(first_hour + 1, last + 1);
    let hours = (end_hour - first_hour) as u32;
    let sums = spans
        .entry(hours)
        .or_insert_with(|| vec![Decimal::ZERO; len]);
    for h in first_hour..end_hour {
        sums[h as usize] += quantity;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last string's id is the interner's, empty or not, after any change.
    #[test]
    fn a_recent_string_has_the_interners_id() {
        let (mut strings, mut recent) = (Interner::default(), Recent::default());
        for s in ["", "", "USD", "USD", "", "EUR", "", "", "EUR", "U", ""] {
            let id = recent.id(&mut strings, s);
            assert_eq!(strings.get(id), s);
            assert_eq!(strings.id(s), id);
        }
        assert_eq!(strings.iter().collect::<Vec<_>>(), ["", "USD", "EUR", "U"]);
    }

    /// Ids are given in order of first appearance, whatever a string's
    /// length (inline or not, multi-byte characters at the edge included).
    #[test]
    fn interning_gives_ids_in_order_of_first_appearance() {
        let mut interner = Interner::default();
        let mut reference: std::collections::HashMap<String, u32> = Default::default();
        let mut state = 0x853c_49e6_748f_ea9b_u64;
        let alphabet = ["a", "é", "r-", "0", "가", ""];
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 30) as usize;
            let s: String = (0..len)
                .map(|i| alphabet[((state >> (i % 60)) % 6) as usize])
                .collect();
            let next = reference.len() as u32;
            let want = *reference.entry(s.clone()).or_insert(next);
            assert_eq!(interner.id(&s), want, "{s:?}");
            assert_eq!(interner.get(want), s);
        }
        assert!(reference.len() > 1_000);
        assert!(reference.keys().any(|s| s.len() == INLINE));
        assert!(reference.keys().any(|s| s.len() == INLINE + 1));
        assert_eq!(interner.iter().count(), reference.len());
    }

    #[test]
    fn spreads_daily_rows_over_their_hours() {
        let month: Month = "2023-11".parse().unwrap();
        let mut spans = BTreeMap::new();
        let start = Timestamp::from_civil(2023, 11, 2, 0, 0, 0);
        spread_over_hours(
            &mut spans,
            month,
            start,
            start.plus_seconds(4 * 3600),
            Decimal::from(8),
        );
        let pool = PoolAgg {
            spans: spans.clone(),
            ..PoolAgg::new()
        };
        let t = pool.timeline(month);
        assert_eq!(&t[24..28], &[Decimal::from(2); 4]);
        assert_eq!(t.iter().copied().sum::<Decimal>(), Decimal::from(8));
        // a row outside the month lands on its edge instead of vanishing
        let before = Timestamp::from_civil(2023, 10, 31, 0, 0, 0);
        spread_over_hours(
            &mut spans,
            month,
            before,
            before.plus_seconds(3600),
            Decimal::ONE,
        );
        let pool = PoolAgg {
            spans,
            ..PoolAgg::new()
        };
        assert_eq!(pool.timeline(month)[0], Decimal::ONE);
    }

    /// A cost: zero (of some scale) or of either sign, mantissas up to 96
    /// bits so that sums may round, scales up to 28.
    fn any_cost() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        prop_oneof![
            (0u32..29).prop_map(|scale| Decimal::new(0, scale)),
            (any::<i64>(), 0u32..29).prop_map(|(m, scale)| Decimal::new(m, scale)),
            // Whole parts below 10^19: sums round past 96 bits, never overflow.
            (
                any::<u32>(),
                any::<u32>(),
                any::<u32>(),
                any::<bool>(),
                10u32..29
            )
                .prop_map(|(lo, mid, hi, neg, scale)| Decimal::from_parts(lo, mid, hi, neg, scale)),
        ]
    }

    proptest::proptest! {
        /// Every day's cost is, bit for bit (scale and sign of zero too),
        /// what adding each row into its day gives, whatever order the days
        /// come in; saved, it is that array; merging closes the held day.
        #[test]
        fn daily_costs_are_the_row_by_row_sums_bit_for_bit(
            rows in proptest::collection::vec((0usize..31, any_cost()), 0..200),
            runs in proptest::bool::ANY,
        ) {
            // Runs of one day, as hourly rows in time order come, or days in any order.
            let mut rows = rows;
            if runs {
                rows.sort_by_key(|(day, _)| *day);
            }
            let mut daily = DailyCost::default();
            let mut expected = [Decimal::ZERO; 31];
            for (day, cost) in &rows {
                daily.add(*day, *cost);
                expected[*day] += *cost;
            }
            let bits = |d: &Decimal| d.serialize();
            let got: Vec<_> = daily.values().iter().map(bits).collect();
            let want: Vec<_> = expected.iter().map(bits).collect();
            proptest::prop_assert_eq!(&got, &want);
            proptest::prop_assert_eq!(
                serde_json::to_string(&daily).unwrap(),
                serde_json::to_string(&expected).unwrap()
            );
            let back: DailyCost = serde_json::from_str(&serde_json::to_string(&daily).unwrap()).unwrap();
            proptest::prop_assert_eq!(back.values().iter().map(bits).collect::<Vec<_>>(), want.clone());
            let mut closed = daily.clone();
            let days: Vec<_> = closed.days_mut().iter().map(bits).collect();
            proptest::prop_assert_eq!(days, want);
        }
    }
}
