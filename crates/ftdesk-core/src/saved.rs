//! A ledger in a form that can be stored and read back (with serde), so a
//! file's accounting can be kept between runs instead of reading it again.
//!
//! A saved ledger holds catalogue offer indices: restore it only with the
//! catalogue it was made with. Restoring checks every id and index, so a
//! damaged entry is an error, never a panic later.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::Catalog;
use crate::ledger::{
    CreditAgg, Group, GroupKey, Interner, Ledger, MeterInfo, MonthLedger, PoolAgg, PoolKey, PLANS,
};
use crate::model::LineItemType;
use crate::time::{Month, Timestamp};

/// The contents of a [`Ledger`], without its catalogue.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedLedger {
    strings: Vec<String>,
    months: Vec<SavedMonth>,
    account_filter: Option<String>,
    skipped_rows: u64,
    pushed: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedMonth {
    month: String,
    payer: u32,
    currency: Option<u32>,
    currency_seq: u64,
    groups: Vec<(GroupKey, Group)>,
    pools: Vec<(PoolKey, PoolAgg)>,
    credits: Vec<(LineItemType, u32, CreditAgg)>,
    accounts: Vec<u32>,
    as_of: Option<Timestamp>,
    total: Decimal,
    free_value: Decimal,
    rows: u64,
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error("saved ledger is damaged: {0}")]
pub struct RestoreError(String);

impl SavedLedger {
    /// The version of the saved form: a store keys its entries by it, since
    /// an older form is not read back (2: held pools in pool keys).
    pub const FORMAT: u32 = 2;
}

impl Ledger<'_> {
    /// The ledger's contents, to store and [`Ledger::restore`] later.
    pub fn save(&self) -> SavedLedger {
        SavedLedger {
            strings: self.strings.iter().map(str::to_owned).collect(),
            months: self
                .months
                .iter()
                .map(|((month, payer), ml)| save_month(*month, *payer, ml))
                .collect(),
            account_filter: self.account_filter.clone(),
            skipped_rows: self.skipped_rows,
            pushed: self.pushed,
        }
    }
}

fn save_month(month: Month, payer: u32, ml: &MonthLedger) -> SavedMonth {
    let mut groups: Vec<(GroupKey, Group)> =
        ml.groups.iter().map(|(k, g)| (*k, g.clone())).collect();
    groups.sort_unstable_by_key(|(k, _)| *k);
    let mut pools: Vec<(PoolKey, PoolAgg)> =
        ml.pools.iter().map(|(k, p)| (*k, p.clone())).collect();
    pools.sort_unstable_by_key(|(k, _)| *k);
    let mut accounts: Vec<u32> = ml.accounts.iter().copied().collect();
    accounts.sort_unstable();
    SavedMonth {
        month: month.to_string(),
        payer,
        currency: ml.currency,
        currency_seq: ml.currency_seq,
        groups,
        pools,
        credits: ml
            .credits
            .iter()
            .map(|((kind, desc), c)| (*kind, *desc, c.clone()))
            .collect(),
        accounts,
        as_of: ml.as_of,
        total: ml.total,
        free_value: ml.free_value,
        rows: ml.rows,
    }
}

/// Checks ids against the string table and indices against the catalogue.
struct Bounds {
    strings: usize,
    offers: usize,
}

impl Bounds {
    fn id(&self, id: u32, what: &str) -> Result<u32, RestoreError> {
        if (id as usize) < self.strings {
            Ok(id)
        } else {
            Err(RestoreError(format!(
                "{what} refers to string {id} of {}",
                self.strings
            )))
        }
    }

    fn optional_id(&self, id: u32, what: &str) -> Result<u32, RestoreError> {
        if id == u32::MAX {
            return Ok(id);
        }
        self.id(id, what)
    }

    fn offer(&self, offer: u16) -> Result<u16, RestoreError> {
        if (offer as usize) < self.offers {
            Ok(offer)
        } else {
            Err(RestoreError(format!(
                "offer {offer} is not in a catalogue of {} offers (another catalogue?)",
                self.offers
            )))
        }
    }

    fn meter(&self, meter: &MeterInfo) -> Result<(), RestoreError> {
        self.id(meter.region, "a meter's region")?;
        for offer in meter
            .strict
            .iter()
            .chain(&meter.loose)
            .chain(std::iter::once(&meter.any))
            .flatten()
        {
            self.offer(*offer)?;
        }
        Ok(())
    }

    fn group(&self, key: &GroupKey, group: &Group) -> Result<(), RestoreError> {
        for id in [
            key.account,
            key.product,
            key.usage_type,
            key.operation,
            key.resource,
            group.region,
            group.unit,
            group.description,
            group.tax_type,
            group.seller,
            group.joined_region,
        ] {
            self.id(id, "a group")?;
        }
        self.meter(&group.meter)
    }

    fn pool(&self, key: &PoolKey, pool: &PoolAgg, month: Month) -> Result<(), RestoreError> {
        if key.plan as usize >= PLANS.len() {
            return Err(RestoreError(format!("pool of unknown plan {}", key.plan)));
        }
        self.offer(key.offer)?;
        self.optional_id(key.region, "a pool's region")?;
        self.optional_id(key.held_for, "a held pool's usage type")?;
        for id in pool.resources.iter().chain(&pool.accounts) {
            self.id(*id, "a pool")?;
        }
        let hours = month.hours() as usize;
        if pool
            .spans
            .iter()
            .any(|(span, sums)| *span == 0 || sums.len() != hours)
        {
            return Err(RestoreError(format!(
                "a pool's timeline does not have the {hours} hours of {month}"
            )));
        }
        Ok(())
    }
}

impl<'c> Ledger<'c> {
    /// Rebuilds a saved ledger over `catalog` (the catalogue it was made with).
    pub fn restore(catalog: &'c Catalog, saved: SavedLedger) -> Result<Self, RestoreError> {
        let bounds = Bounds {
            strings: saved.strings.len(),
            offers: catalog.offers.len(),
        };
        let mut ledger = Ledger::new(catalog).with_account_filter(saved.account_filter);
        ledger.strings = Interner::from_strings(saved.strings)
            .ok_or_else(|| RestoreError("a string appears twice".into()))?;
        ledger.skipped_rows = saved.skipped_rows;
        ledger.pushed = saved.pushed;
        for month in saved.months {
            let (key, ml) = restore_month(month, &bounds)?;
            if ledger.months.insert(key, ml).is_some() {
                return Err(RestoreError(format!("month {} appears twice", key.0)));
            }
        }
        Ok(ledger)
    }
}

fn restore_month(
    saved: SavedMonth,
    bounds: &Bounds,
) -> Result<((Month, u32), MonthLedger), RestoreError> {
    let month: Month = saved
        .month
        .parse()
        .map_err(|_| RestoreError(format!("{:?} is not a month", saved.month)))?;
    bounds.id(saved.payer, "the payer")?;
    if let Some(currency) = saved.currency {
        bounds.id(currency, "the currency")?;
    }
    let mut ml = MonthLedger::new();
    ml.currency = saved.currency;
    ml.currency_seq = saved.currency_seq;
    for (key, group) in saved.groups {
        bounds.group(&key, &group)?;
        ml.groups.insert(key, group);
    }
    for (key, pool) in saved.pools {
        bounds.pool(&key, &pool, month)?;
        ml.pools.insert(key, pool);
    }
    for (kind, desc, credit) in saved.credits {
        ml.credits
            .insert((kind, bounds.id(desc, "a credit")?), credit);
    }
    for account in saved.accounts {
        ml.accounts.insert(bounds.id(account, "an account")?);
    }
    ml.as_of = saved.as_of;
    ml.total = saved.total;
    ml.free_value = saved.free_value;
    ml.rows = saved.rows;
    Ok(((month, saved.payer), ml))
}
