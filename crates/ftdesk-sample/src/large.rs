//! Large billing files for speed and memory tests: an AWS Organization's
//! month at the cardinalities of a large one (1,000 accounts under one
//! management account, 300 usage types over 20 regions, 50,000 resources, hourly rows, a
//! few percent credit and tax rows), written chunk by chunk so that any size
//! fits in a little memory.
//!
//! The rows are billed like the scenarios' (the same meters, descriptions and
//! rounding), but nothing here is a worked truth: the free rows are placed by
//! a simple rule, not by a shared allowance, and every region is billed at
//! the catalogue's us-east-1 price because the catalogue prices only a few
//! regions. Use it to measure the engine, not to check its answers.

use std::io::{self, Write};

use ftdesk_core::catalog::Catalog;
use ftdesk_core::model::LineItemType;
use ftdesk_core::time::{Month, SECONDS_PER_HOUR};
use rust_decimal::Decimal;

use crate::build::{self, Meter, Site};
use crate::export::{ChunkWriter, OutputFormat};
use crate::row::CurRow;
use crate::sim::{self, Hours, Spec, Usage, ROW_DECIMALS};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeSpec {
    /// Rows in the file, exactly.
    pub rows: u64,
    /// Same seed, same file.
    pub seed: u64,
    pub month: Month,
}

/// What was written, for the caller to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeSummary {
    pub rows: u64,
    pub accounts: usize,
    pub usage_types: usize,
    pub resources: usize,
}

const ACCOUNTS: usize = 1_000;
const RESOURCES: usize = 50_000;
/// Rows per chunk handed to the writer, and rows per Parquet row group.
const CHUNK_ROWS: usize = 122_880;
/// One usage row in this many is followed by a credit row (accounts with credits only).
const CREDIT_EVERY: u64 = 20;
/// One usage row in this many is followed by a tax row.
const TAX_EVERY: u64 = 50;
const PRICE_REGION: &str = "us-east-1";

const REGIONS: [&str; 20] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
    "sa-east-1",
    "me-south-1",
    "af-south-1",
    "ap-east-1",
];

/// The meters, how much one resource uses in an active hour at most, and
/// how its resource ids look.
const METERS: [(Meter, MeterUse, IdKind); 15] = [
    (build::T2_MICRO, MeterUse::Running, IdKind::Prefix("i")),
    (build::T3_MICRO, MeterUse::Running, IdKind::Prefix("i")),
    (
        build::GP2,
        MeterUse::Storage { max_gb: 500 },
        IdKind::Prefix("vol"),
    ),
    (
        build::GP3,
        MeterUse::Storage { max_gb: 500 },
        IdKind::Prefix("vol"),
    ),
    (
        build::SNAPSHOT,
        MeterUse::Storage { max_gb: 200 },
        IdKind::Prefix("snap"),
    ),
    (
        build::DATA_OUT,
        MeterUse::Spread { max_per_hour: 40 },
        IdKind::Prefix("i"),
    ),
    (build::NAT_HOURS, MeterUse::Running, IdKind::Prefix("nat")),
    (
        build::NAT_BYTES,
        MeterUse::Spread { max_per_hour: 30 },
        IdKind::Prefix("nat"),
    ),
    (
        build::IPV4_IN_USE,
        MeterUse::Running,
        IdKind::Prefix("eipalloc"),
    ),
    (
        build::IPV4_IDLE,
        MeterUse::Running,
        IdKind::Prefix("eipalloc"),
    ),
    (
        build::S3_STANDARD,
        MeterUse::Storage { max_gb: 2_000 },
        IdKind::Bucket,
    ),
    (
        build::S3_PUT,
        MeterUse::Spread {
            max_per_hour: 5_000,
        },
        IdKind::Bucket,
    ),
    (
        build::S3_GET,
        MeterUse::Spread {
            max_per_hour: 50_000,
        },
        IdKind::Bucket,
    ),
    (
        build::RDS_MULTI_AZ_T3_MICRO,
        MeterUse::Running,
        IdKind::Database,
    ),
    (
        build::RDS_MULTI_AZ_GP2,
        MeterUse::Storage { max_gb: 100 },
        IdKind::Database,
    ),
];

#[derive(Debug, Clone, Copy)]
enum IdKind {
    /// `i-0…`, `vol-0…`: an EC2-style id.
    Prefix(&'static str),
    Bucket,
    /// An RDS instance ARN.
    Database,
}

#[derive(Debug, Clone, Copy)]
enum MeterUse {
    Running,
    Storage { max_gb: u32 },
    Spread { max_per_hour: u32 },
}

/// Writes a large file of `spec.rows` rows in `format`.
pub fn write_large(
    catalog: &Catalog,
    spec: LargeSpec,
    format: OutputFormat,
    out: &mut (dyn Write + Send),
    progress: &mut dyn FnMut(u64),
) -> io::Result<LargeSummary> {
    let org = Organization::new(catalog, spec);
    let mut writer = ChunkWriter::new(format, out, CHUNK_ROWS)?;
    let mut chunk = Vec::with_capacity(CHUNK_ROWS + 2);
    let mut rows = org.rows(spec);
    let mut written = 0;
    loop {
        chunk.clear();
        chunk.extend(rows.by_ref().take(CHUNK_ROWS));
        if chunk.is_empty() {
            break;
        }
        writer.write(&chunk)?;
        written += chunk.len() as u64;
        progress(written);
    }
    writer.finish()?;
    Ok(LargeSummary {
        rows: spec.rows,
        accounts: org.accounts.len(),
        usage_types: org.templates.len(),
        resources: org.resources.len(),
    })
}

/// A usage type's rows before the account, resource, hour and amounts are set.
struct Template {
    charged: CurRow,
    free: CurRow,
    price: Decimal,
    has_allowance: bool,
}

struct Resource {
    id: String,
    account: usize,
    /// Index of the usage type's template.
    template: usize,
    per_hour: Decimal,
    first_hour: u32,
    hours: u32,
    /// Rows in the first `free_hours` hours are free-tier rows.
    free_hours: u32,
}

struct Organization {
    month: Month,
    accounts: Vec<(String, String)>,
    /// Accounts whose usage some credits offset.
    credited: Vec<bool>,
    templates: Vec<Template>,
    resources: Vec<Resource>,
}

impl Organization {
    fn new(catalog: &Catalog, spec: LargeSpec) -> Self {
        let mut rng = SplitMix(spec.seed);
        let accounts = accounts(&mut rng);
        let credited = accounts.iter().map(|_| rng.below(10) == 0).collect();
        let templates = templates(catalog, spec.month);
        let usage_rows = usage_rows_wanted(spec.rows);
        let resources = resources(&mut rng, spec.month, &templates, accounts.len(), usage_rows);
        Organization {
            month: spec.month,
            accounts,
            credited,
            templates,
            resources,
        }
    }

    fn rows(&self, spec: LargeSpec) -> Rows<'_> {
        Rows {
            org: self,
            rng: SplitMix(spec.seed ^ 0x5eed),
            ids: SplitMix(spec.seed ^ 0x1d5),
            wanted: spec.rows,
            written: 0,
            hour: 0,
            next_resource: 0,
            pending: Vec::new(),
        }
    }

    fn usage_row(&self, resource: &Resource, hour: u32) -> CurRow {
        let free = hour < resource.first_hour + resource.free_hours;
        let template = &self.templates[resource.template];
        let mut row = if free {
            template.free.clone()
        } else {
            template.charged.clone()
        };
        let (payer, account) = &self.accounts[resource.account];
        let start = self
            .month
            .start()
            .plus_seconds(i64::from(hour) * SECONDS_PER_HOUR);
        let end = start.plus_seconds(SECONDS_PER_HOUR);
        let list_cost = (resource.per_hour * template.price).round_dp(ROW_DECIMALS);
        row.payer_account.clone_from(payer);
        row.usage_account.clone_from(account);
        row.resource_id.clone_from(&resource.id);
        row.interval_start = start;
        row.interval_end = end;
        row.usage_start = start;
        row.usage_end = end;
        row.usage_amount = resource.per_hour;
        row.public_cost = Some(list_cost);
        row.cost = if free { Decimal::ZERO } else { list_cost };
        row
    }
}

/// Usage rows to aim for, so that with the credit and tax rows the file has `rows`.
fn usage_rows_wanted(rows: u64) -> u64 {
    let extra_share = 1.0 / (CREDIT_EVERY as f64 * 10.0) + 1.0 / TAX_EVERY as f64;
    ((rows as f64) / (1.0 + extra_share)).floor() as u64
}

/// The management (payer) account first, then its members: (payer, account).
fn accounts(rng: &mut SplitMix) -> Vec<(String, String)> {
    let mut id = || format!("{:012}", 100_000_000_000 + rng.below(899_999_999_999));
    let payer = id();
    let mut out = vec![(payer.clone(), payer.clone())];
    while out.len() < ACCOUNTS {
        out.push((payer.clone(), id()));
    }
    out
}

/// One template per meter and region.
fn templates(catalog: &Catalog, month: Month) -> Vec<Template> {
    let spec = Spec {
        month,
        data_hours: month.hours(),
        payer: "000000000000",
        legal_entity: "Amazon Web Services, Inc.",
        allowances: Vec::new(),
        usages: Vec::new(),
        extras: Vec::new(),
    };
    let all_hours = Hours {
        from: 0,
        to: month.hours(),
        every: 1,
    };
    let mut out = Vec::with_capacity(REGIONS.len() * METERS.len() * 2);
    for region in REGIONS {
        let site = Site::new(catalog, month, "000000000000", region).priced_as(PRICE_REGION);
        for (meter, _, _) in METERS {
            let usage: Usage = site.running(meter, "", all_hours);
            out.push(Template {
                charged: sim::usage_row(&spec, &usage, 0, Decimal::ONE, false),
                free: sim::usage_row(&spec, &usage, 0, Decimal::ONE, true),
                price: usage.price,
                has_allowance: usage.allowance.is_some(),
            });
        }
    }
    out
}

fn resources(
    rng: &mut SplitMix,
    month: Month,
    templates: &[Template],
    accounts: usize,
    usage_rows: u64,
) -> Vec<Resource> {
    let hours = u64::from(month.hours());
    // At least one row per resource, so a tiny file has fewer resources.
    let count = (RESOURCES as u64)
        .max(usage_rows.div_ceil(hours))
        .min(usage_rows) as usize;
    let mut lengths = window_lengths(rng, count, usage_rows, hours);
    let mut out = Vec::with_capacity(count);
    for (i, length) in lengths.drain(..).enumerate() {
        let meter_index = rng.below(METERS.len() as u64) as usize;
        let region_index = skewed_region(rng);
        let template = region_index * METERS.len() + meter_index;
        let length = length as u32;
        let first_hour = rng.below(u64::from(month.hours() - length) + 1) as u32;
        let has_allowance = templates[template].has_allowance;
        let free_hours = if has_allowance && rng.below(3) == 0 {
            length * (1 + rng.below(4) as u32) / 5
        } else {
            0
        };
        out.push(Resource {
            id: resource_id(METERS[meter_index].2, region_index, i),
            account: rng.below(accounts as u64) as usize,
            template,
            per_hour: per_hour(rng, METERS[meter_index].1, month),
            first_hour,
            hours: length,
            free_hours,
        });
    }
    out
}

/// Lengths of the resources' active windows (1 to `hours`), adding up to `total`.
fn window_lengths(rng: &mut SplitMix, count: usize, total: u64, hours: u64) -> Vec<u64> {
    if count == 0 {
        return Vec::new();
    }
    let mean = total as f64 / count as f64;
    let mut lengths: Vec<u64> = (0..count)
        .map(|_| {
            let spread = 0.5 + rng.below(1_001) as f64 / 1_000.0;
            ((mean * spread).round() as u64).clamp(1, hours)
        })
        .collect();
    let mut sum: u64 = lengths.iter().sum();
    let mut i = 0;
    while sum != total {
        let l = &mut lengths[i % count];
        if sum < total && *l < hours {
            *l += 1;
            sum += 1;
        } else if sum > total && *l > 1 {
            *l -= 1;
            sum -= 1;
        }
        i += 1;
    }
    lengths
}

/// Half of the usage in us-east-1, the rest spread over the other regions.
fn skewed_region(rng: &mut SplitMix) -> usize {
    if rng.below(2) == 0 {
        0
    } else {
        1 + rng.below(REGIONS.len() as u64 - 1) as usize
    }
}

fn per_hour(rng: &mut SplitMix, use_: MeterUse, month: Month) -> Decimal {
    match use_ {
        MeterUse::Running => Decimal::ONE,
        MeterUse::Storage { max_gb } => {
            let gb = Decimal::from(1 + rng.below(u64::from(max_gb)));
            (gb / Decimal::from(month.hours())).round_dp(ROW_DECIMALS)
        }
        MeterUse::Spread { max_per_hour } => Decimal::from(1 + rng.below(u64::from(max_per_hour))),
    }
}

fn resource_id(kind: IdKind, region: usize, index: usize) -> String {
    match kind {
        IdKind::Prefix(prefix) => format!("{prefix}-0{index:016x}"),
        IdKind::Bucket => format!("ftdesk-large-{}-{index:05}", REGIONS[region]),
        IdKind::Database => format!(
            "arn:aws:rds:{}:000000000000:db:large-{index:05}",
            REGIONS[region]
        ),
    }
}

/// Rows in file order: hour by hour, each active resource's usage row, now
/// and then followed by a credit or tax row.
struct Rows<'o> {
    org: &'o Organization,
    rng: SplitMix,
    ids: SplitMix,
    wanted: u64,
    written: u64,
    hour: u32,
    next_resource: usize,
    pending: Vec<CurRow>,
}

impl Iterator for Rows<'_> {
    type Item = CurRow;

    fn next(&mut self) -> Option<CurRow> {
        if self.written == self.wanted {
            return None;
        }
        let mut row = match self.pending.pop() {
            Some(row) => row,
            None => self
                .next_usage_row()
                .unwrap_or_else(|| self.month_end_tax()),
        };
        row.line_item_id = line_item_id(&mut self.ids);
        self.written += 1;
        Some(row)
    }
}

impl Rows<'_> {
    fn next_usage_row(&mut self) -> Option<CurRow> {
        let org = self.org;
        while self.hour < org.month.hours() {
            while self.next_resource < org.resources.len() {
                let resource = &org.resources[self.next_resource];
                self.next_resource += 1;
                let hour = self.hour;
                if (resource.first_hour..resource.first_hour + resource.hours).contains(&hour) {
                    let row = org.usage_row(resource, hour);
                    self.queue_extras(resource, &row);
                    return Some(row);
                }
            }
            self.hour += 1;
            self.next_resource = 0;
        }
        None
    }

    fn queue_extras(&mut self, resource: &Resource, usage: &CurRow) {
        if usage.cost.is_zero() {
            return;
        }
        if self.org.credited[resource.account] && self.rng.below(CREDIT_EVERY) == 0 {
            self.pending.push(credit_row(usage));
        }
        if self.rng.below(TAX_EVERY) == 0 {
            self.pending.push(tax_row(usage));
        }
    }

    /// Fills the file up to the wanted rows once the usage runs out.
    fn month_end_tax(&mut self) -> CurRow {
        let template = &self.org.templates[0].charged;
        let mut usage = template.clone();
        usage.cost = Decimal::new(1, 2);
        let (payer, account) = &self.org.accounts[0];
        usage.payer_account.clone_from(payer);
        usage.usage_account.clone_from(account);
        let month = self.org.month;
        let mut row = tax_row(&usage);
        row.usage_start = month.start();
        row.usage_end = month.end();
        row.interval_start = month.start();
        row.interval_end = month.start().plus_seconds(SECONDS_PER_HOUR);
        row
    }
}

fn credit_row(usage: &CurRow) -> CurRow {
    CurRow {
        line_item_type: LineItemType::Credit,
        cost: -usage.cost,
        usage_amount: Decimal::ZERO,
        rate: None,
        description: "AWS Activate Credits".to_owned(),
        public_rate: None,
        public_cost: None,
        pricing_currency: String::new(),
        pricing_term: String::new(),
        pricing_unit: String::new(),
        ..usage.clone()
    }
}

fn tax_row(usage: &CurRow) -> CurRow {
    CurRow {
        line_item_type: LineItemType::Tax,
        cost: (usage.cost / Decimal::TEN).round_dp(ROW_DECIMALS),
        usage_amount: Decimal::ONE,
        rate: None,
        usage_type: String::new(),
        operation: String::new(),
        availability_zone: String::new(),
        resource_id: String::new(),
        description: format!("Tax for product code {}", usage.product_code),
        tax_type: "VAT".to_owned(),
        public_rate: None,
        public_cost: Some(Decimal::ZERO),
        pricing_currency: String::new(),
        pricing_term: String::new(),
        pricing_unit: String::new(),
        region: String::new(),
        location: String::new(),
        location_type: String::new(),
        product_family: String::new(),
        volume_type: String::new(),
        ..usage.clone()
    }
}

fn line_item_id(rng: &mut SplitMix) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut id = String::with_capacity(52);
    while id.len() < 52 {
        let mut bits = rng.next_u64();
        for _ in 0..12 {
            id.push(char::from(ALPHABET[(bits & 31) as usize]));
            bits >>= 5;
        }
    }
    id.truncate(52);
    id
}

/// splitmix64: small, fast and the same on every machine.
struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ftdesk_core::time::Timestamp;

    fn spec(rows: u64) -> LargeSpec {
        LargeSpec {
            rows,
            seed: 7,
            month: "2026-10".parse().unwrap(),
        }
    }

    fn generate(rows: u64) -> Vec<CurRow> {
        let catalog = Catalog::embedded();
        let org = Organization::new(&catalog, spec(rows));
        org.rows(spec(rows)).collect()
    }

    #[test]
    fn writes_exactly_the_rows_asked_for() {
        for rows in [0, 1, 10, 999, 20_000] {
            assert_eq!(generate(rows).len() as u64, rows, "{rows}");
        }
    }

    #[test]
    fn has_credit_tax_and_free_rows_and_many_usage_types() {
        let rows = generate(100_000);
        let count = |kind| rows.iter().filter(|r| r.line_item_type == kind).count();
        let credits = count(LineItemType::Credit);
        let tax = count(LineItemType::Tax);
        assert!(credits > 0 && tax > 0, "credits {credits}, tax {tax}");
        assert!((credits + tax) * 100 / rows.len() < 6);
        let free = rows
            .iter()
            .filter(|r| r.line_item_type == LineItemType::Usage && r.cost.is_zero())
            .count();
        assert!(free * 100 / rows.len() >= 3, "free rows: {free}");
        let usage_types: std::collections::HashSet<&str> =
            rows.iter().map(|r| r.usage_type.as_str()).collect();
        assert!(usage_types.len() > 250, "{}", usage_types.len());
        let accounts: std::collections::HashSet<&str> =
            rows.iter().map(|r| r.usage_account.as_str()).collect();
        assert!(accounts.len() > 900, "{}", accounts.len());
    }

    #[test]
    fn same_seed_same_rows() {
        assert_eq!(generate(5_000), generate(5_000));
    }

    #[test]
    fn rows_come_hour_by_hour() {
        let rows = generate(50_000);
        let usage: Vec<Timestamp> = rows
            .iter()
            .filter(|r| r.line_item_type == LineItemType::Usage)
            .map(|r| r.usage_start)
            .collect();
        assert!(usage.windows(2).all(|w| w[0] <= w[1]));
    }
}
