//! Simulates AWS's hourly billing of a scenario: each hour, the eligible usage
//! of every resource (in resource order) draws from the shared monthly free
//! allowances until they run out; what the allowance covers becomes a free
//! row, the rest a charged row.

use std::collections::BTreeMap;

use ftdesk_core::model::LineItemType;
use ftdesk_core::time::{Month, Timestamp, SECONDS_PER_HOUR};
use rust_decimal::Decimal;

use crate::row::CurRow;

/// Decimal places of the quantities and costs on generated rows.
pub(crate) const ROW_DECIMALS: u32 = 10;

/// What a scenario's account did in one month, and how AWS bills it.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub month: Month,
    /// Hours of data from the start of the month (less than the month while it is open).
    pub data_hours: u32,
    pub payer: &'static str,
    /// Seller of record and invoicing entity of every row.
    pub legal_entity: &'static str,
    /// Free allowances the account has this month: offer id and monthly limit.
    pub allowances: Vec<(&'static str, Decimal)>,
    /// Metered usage, in resource order (the order usage draws from the allowances).
    pub usages: Vec<Usage>,
    /// Monthly rows written after the usage: tax and credits.
    pub extras: Vec<Extra>,
}

/// A service as the CUR names it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Product {
    pub code: &'static str,
    pub name: &'static str,
}

pub(crate) const EC2: Product = Product {
    code: "AmazonEC2",
    name: "Amazon Elastic Compute Cloud",
};
pub(crate) const VPC: Product = Product {
    code: "AmazonVPC",
    name: "Amazon Virtual Private Cloud",
};
pub(crate) const S3: Product = Product {
    code: "AmazonS3",
    name: "Amazon Simple Storage Service",
};
pub(crate) const RDS: Product = Product {
    code: "AmazonRDS",
    name: "Amazon Relational Database Service",
};
const PRODUCTS: [Product; 4] = [EC2, VPC, S3, RDS];

/// One meter of one resource: the same usage type every active hour.
#[derive(Debug, Clone)]
pub(crate) struct Usage {
    pub account: &'static str,
    pub product: Product,
    pub service_code: &'static str,
    pub product_family: &'static str,
    pub usage_type: String,
    pub operation: &'static str,
    pub availability_zone: String,
    pub resource_id: &'static str,
    pub region: String,
    pub location: String,
    pub volume_type: &'static str,
    pub unit: String,
    /// Quantity in each active hour.
    pub per_hour: Decimal,
    pub hours: Hours,
    /// Public on-demand price per unit.
    pub price: Decimal,
    /// Description of charged rows (the price list's).
    pub description: String,
    /// Description of rows the free allowance covers.
    pub free_description: &'static str,
    /// The allowance (offer id) this usage draws from, if the account has it.
    pub allowance: Option<&'static str>,
}

/// The hours `from..to` of the month, every `every`-th one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hours {
    pub from: u32,
    pub to: u32,
    pub every: u32,
}

impl Hours {
    pub fn contains(self, hour: u32) -> bool {
        (self.from..self.to).contains(&hour) && (hour - self.from).is_multiple_of(self.every)
    }

    pub fn count(self) -> u32 {
        (self.to.saturating_sub(self.from)).div_ceil(self.every)
    }
}

/// A monthly row that is not metered usage.
#[derive(Debug, Clone)]
pub(crate) enum Extra {
    Tax {
        product: Product,
        tax_type: &'static str,
        amount: Decimal,
    },
    Credit {
        product: Product,
        description: &'static str,
        amount: Decimal,
    },
    /// One credit per product that cancels all of that product's usage
    /// (how the credit-based Free plan shows on the bill).
    CreditAllUsage { description: &'static str },
}

/// Bills the scenario hour by hour and returns its rows.
pub(crate) fn simulate(spec: &Spec, seed: &str) -> Vec<CurRow> {
    let mut remaining: BTreeMap<&str, Decimal> = spec.allowances.iter().copied().collect();
    let mut rows = Vec::new();
    for hour in 0..spec.data_hours {
        for usage in spec.usages.iter().filter(|u| u.hours.contains(hour)) {
            let free = draw(&mut remaining, usage.allowance, usage.per_hour);
            if free > Decimal::ZERO {
                rows.push(usage_row(spec, usage, hour, free, true));
            }
            let charged = usage.per_hour - free;
            if charged > Decimal::ZERO {
                rows.push(usage_row(spec, usage, hour, charged, false));
            }
        }
    }
    let extras: Vec<CurRow> = spec
        .extras
        .iter()
        .flat_map(|extra| extra_rows(spec, extra, &rows))
        .collect();
    rows.extend(extras);
    let mut ids = LineItemIds::new(seed);
    for row in &mut rows {
        row.line_item_id = ids.next_id();
    }
    rows
}

/// Takes up to `wanted` from the allowance and returns what it covered.
fn draw(
    remaining: &mut BTreeMap<&str, Decimal>,
    allowance: Option<&str>,
    wanted: Decimal,
) -> Decimal {
    let Some(left) = allowance.and_then(|id| remaining.get_mut(id)) else {
        return Decimal::ZERO;
    };
    let covered = wanted.min(*left);
    *left -= covered;
    covered
}

fn hour_start(month: Month, hour: u32) -> Timestamp {
    month
        .start()
        .plus_seconds(i64::from(hour) * SECONDS_PER_HOUR)
}

pub(crate) fn usage_row(
    spec: &Spec,
    usage: &Usage,
    hour: u32,
    quantity: Decimal,
    free: bool,
) -> CurRow {
    let start = hour_start(spec.month, hour);
    let end = start.plus_seconds(SECONDS_PER_HOUR);
    let list_cost = (quantity * usage.price).round_dp(ROW_DECIMALS);
    let (rate, cost, description) = if free {
        (
            Decimal::ZERO,
            Decimal::ZERO,
            usage.free_description.to_owned(),
        )
    } else {
        (usage.price, list_cost, usage.description.clone())
    };
    CurRow {
        usage_account: usage.account.to_owned(),
        usage_start: start,
        usage_end: end,
        product_code: usage.product.code.to_owned(),
        usage_type: usage.usage_type.clone(),
        operation: usage.operation.to_owned(),
        availability_zone: usage.availability_zone.clone(),
        resource_id: usage.resource_id.to_owned(),
        usage_amount: quantity,
        rate: Some(rate),
        cost,
        description,
        product_name: usage.product.name.to_owned(),
        product_family: usage.product_family.to_owned(),
        location: usage.location.clone(),
        location_type: "AWS Region".to_owned(),
        region: usage.region.clone(),
        service_code: usage.service_code.to_owned(),
        service_name: service_name(usage),
        volume_type: usage.volume_type.to_owned(),
        public_rate: Some(usage.price),
        public_cost: Some(list_cost),
        pricing_currency: "USD".to_owned(),
        pricing_term: "OnDemand".to_owned(),
        pricing_unit: usage.unit.clone(),
        ..blank_row(spec, LineItemType::Usage, start, end)
    }
}

fn service_name(usage: &Usage) -> String {
    if usage.service_code == "AWSDataTransfer" {
        "AWS Data Transfer".to_owned()
    } else {
        usage.product.name.to_owned()
    }
}

/// A row with the bill columns filled and everything else empty.
fn blank_row(spec: &Spec, kind: LineItemType, start: Timestamp, end: Timestamp) -> CurRow {
    CurRow {
        line_item_id: String::new(),
        interval_start: start,
        interval_end: end,
        invoicing_entity: spec.legal_entity.to_owned(),
        billing_entity: "AWS".to_owned(),
        bill_type: "Anniversary".to_owned(),
        payer_account: spec.payer.to_owned(),
        billing_period: spec.month,
        usage_account: spec.payer.to_owned(),
        line_item_type: kind,
        usage_start: start,
        usage_end: end,
        product_code: String::new(),
        usage_type: String::new(),
        operation: String::new(),
        availability_zone: String::new(),
        resource_id: String::new(),
        usage_amount: Decimal::ONE,
        currency: "USD".to_owned(),
        rate: None,
        cost: Decimal::ZERO,
        description: String::new(),
        tax_type: String::new(),
        legal_entity: spec.legal_entity.to_owned(),
        product_name: String::new(),
        product_family: String::new(),
        location: String::new(),
        location_type: String::new(),
        region: String::new(),
        service_code: String::new(),
        service_name: String::new(),
        volume_type: String::new(),
        public_rate: None,
        public_cost: None,
        pricing_currency: String::new(),
        pricing_term: String::new(),
        pricing_unit: String::new(),
    }
}

/// A tax or credit row spanning the whole month, like the real sample's.
fn monthly_row(spec: &Spec, kind: LineItemType, product: Product, amount: Decimal) -> CurRow {
    let first_hour_end = hour_start(spec.month, 1);
    CurRow {
        interval_end: first_hour_end,
        usage_end: spec.month.end(),
        product_code: product.code.to_owned(),
        product_name: product.name.to_owned(),
        cost: amount,
        public_cost: (kind == LineItemType::Tax).then_some(Decimal::ZERO),
        ..blank_row(spec, kind, spec.month.start(), spec.month.end())
    }
}

fn extra_rows(spec: &Spec, extra: &Extra, usage_rows: &[CurRow]) -> Vec<CurRow> {
    match extra {
        Extra::Tax {
            product,
            tax_type,
            amount,
        } => vec![CurRow {
            description: format!("Tax for product code {}", product.code),
            tax_type: (*tax_type).to_owned(),
            ..monthly_row(spec, LineItemType::Tax, *product, *amount)
        }],
        Extra::Credit {
            product,
            description,
            amount,
        } => vec![credit_row(spec, *product, description, *amount)],
        Extra::CreditAllUsage { description } => usage_cost_by_product(usage_rows)
            .into_iter()
            .map(|(product, cost)| credit_row(spec, product, description, -cost))
            .collect(),
    }
}

fn credit_row(spec: &Spec, product: Product, description: &str, amount: Decimal) -> CurRow {
    CurRow {
        description: description.to_owned(),
        ..monthly_row(spec, LineItemType::Credit, product, amount)
    }
}

/// Usage cost per product, in the order products first appear.
fn usage_cost_by_product(rows: &[CurRow]) -> Vec<(Product, Decimal)> {
    let mut totals: Vec<(Product, Decimal)> = Vec::new();
    for row in rows.iter().filter(|r| r.cost > Decimal::ZERO) {
        match totals.iter_mut().find(|(p, _)| p.code == row.product_code) {
            Some((_, total)) => *total += row.cost,
            None => totals.push((product_of(row), row.cost)),
        }
    }
    totals
}

fn product_of(row: &CurRow) -> Product {
    PRODUCTS
        .iter()
        .copied()
        .find(|p| p.code == row.product_code)
        .expect("every generated product is in PRODUCTS")
}

/// `identity/LineItemId` values: 52 lowercase base-32 characters like AWS's,
/// from a fixed-seed splitmix64 stream so the output never changes.
struct LineItemIds {
    state: u64,
}

impl LineItemIds {
    fn new(seed: &str) -> Self {
        // FNV-1a of the seed text.
        let state = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        LineItemIds { state }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn next_id(&mut self) -> String {
        const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
        let mut id = String::with_capacity(52);
        while id.len() < 52 {
            let mut bits = self.next_u64();
            for _ in 0..12 {
                id.push(char::from(ALPHABET[(bits & 31) as usize]));
                bits >>= 5;
            }
        }
        id.truncate(52);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_every_nth() {
        let h = Hours {
            from: 2,
            to: 20,
            every: 6,
        };
        let listed: Vec<u32> = (0..30).filter(|&x| h.contains(x)).collect();
        assert_eq!(listed, [2, 8, 14]);
        assert_eq!(h.count(), 3);
    }

    #[test]
    fn line_item_ids_are_stable_and_distinct() {
        let mut a = LineItemIds::new("x");
        let mut b = LineItemIds::new("x");
        let first = a.next_id();
        assert_eq!(first, b.next_id());
        assert_eq!(first.len(), 52);
        assert_ne!(first, a.next_id());
    }

    #[test]
    fn draw_splits_at_the_limit() {
        let mut left = BTreeMap::from([("pool", Decimal::from(3))]);
        assert_eq!(
            draw(&mut left, Some("pool"), Decimal::from(2)),
            Decimal::from(2)
        );
        assert_eq!(
            draw(&mut left, Some("pool"), Decimal::from(2)),
            Decimal::ONE
        );
        assert_eq!(
            draw(&mut left, Some("pool"), Decimal::from(2)),
            Decimal::ZERO
        );
        assert_eq!(draw(&mut left, None, Decimal::from(2)), Decimal::ZERO);
    }
}
