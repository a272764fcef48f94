//! Merging ledgers: the ledgers of separate files, absorbed in file order,
//! finish into the report one ledger fed every file's rows would give.
//!
//! That holds because a ledger's state is a function of its rows alone: a
//! string's id is its order of first appearance (every row interns the same
//! strings whatever came before), sums are exact, a group keeps its first
//! row's fields, and the hourly timeline keeps exact sums per span length.

use rust_decimal::Decimal;

use crate::ledger::{Group, GroupKey, Ledger, MonthLedger, PoolAgg, PoolKey, PushError};

/// Maps the ids of the absorbed ledger's strings to the receiving one's.
struct Remap(Vec<u32>);

impl Remap {
    fn id(&self, id: u32) -> u32 {
        self.0[id as usize]
    }

    /// `u32::MAX` stands for "none" (no region, not held) in pool and meter keys.
    fn optional_id(&self, id: u32) -> u32 {
        if id == u32::MAX {
            id
        } else {
            self.id(id)
        }
    }

    fn group_key(&self, k: GroupKey) -> GroupKey {
        GroupKey {
            account: self.id(k.account),
            product: self.id(k.product),
            usage_type: self.id(k.usage_type),
            operation: self.id(k.operation),
            resource: self.id(k.resource),
            ..k
        }
    }

    fn group(&self, g: Group) -> Group {
        let mut meter = g.meter;
        meter.region = self.id(meter.region);
        Group {
            region: self.id(g.region),
            unit: self.id(g.unit),
            description: self.id(g.description),
            tax_type: self.id(g.tax_type),
            seller: self.id(g.seller),
            meter,
            joined_region: self.id(g.joined_region),
            ..g
        }
    }

    fn pool(&self, p: PoolAgg) -> PoolAgg {
        PoolAgg {
            resources: p.resources.into_iter().map(|r| self.id(r)).collect(),
            accounts: p.accounts.into_iter().map(|a| self.id(a)).collect(),
            ..p
        }
    }

    fn month(&self, ml: MonthLedger, seq_offset: u64) -> MonthLedger {
        MonthLedger {
            currency: ml.currency.map(|c| self.id(c)),
            currency_seq: ml.currency_seq + seq_offset,
            groups: ml
                .groups
                .into_iter()
                .map(|(k, g)| (self.group_key(k), self.group(g)))
                .collect(),
            pools: ml
                .pools
                .into_iter()
                .map(|(k, p)| (self.pool_key(k), self.pool(p)))
                .collect(),
            credits: ml
                .credits
                .into_iter()
                .map(|((kind, desc), c)| ((kind, self.id(desc)), c))
                .collect(),
            accounts: ml.accounts.into_iter().map(|a| self.id(a)).collect(),
            ..ml
        }
    }

    fn pool_key(&self, k: PoolKey) -> PoolKey {
        PoolKey {
            region: self.optional_id(k.region),
            held_for: self.optional_id(k.held_for),
            ..k
        }
    }
}

impl Ledger<'_> {
    /// Adds the rows of `other` (read after this ledger's rows) as if they had
    /// been pushed here. Both ledgers must use the same catalogue and account
    /// filter. A billing month whose currency differs between the two is the
    /// [`PushError::MixedCurrency`] pushing the rows would have met first;
    /// then none of `other`'s rows are added.
    pub fn absorb(&mut self, other: Ledger<'_>) -> Result<(), PushError> {
        let remap = Remap(other.strings.iter().map(|s| self.strings.id(s)).collect());
        self.check_currencies(&other, &remap)?;
        let seq_offset = self.pushed;
        self.pushed += other.pushed;
        self.skipped_rows += other.skipped_rows;
        for ((product, usage_type, operation, region), mut info) in other.meters {
            info.region = remap.id(info.region);
            let key = (
                remap.id(product),
                remap.id(usage_type),
                remap.id(operation),
                remap.optional_id(region),
            );
            self.meters.entry(key).or_insert(info);
        }
        for (description, free) in other.free_descriptions {
            self.free_descriptions
                .entry(remap.id(description))
                .or_insert(free);
        }
        for ((month, payer), ml) in other.months {
            let ml = remap.month(ml, seq_offset);
            match self.months.entry((month, remap.id(payer))) {
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(ml);
                }
                std::collections::btree_map::Entry::Occupied(mut slot) => {
                    merge_month(slot.get_mut(), ml);
                }
            }
        }
        Ok(())
    }

    /// The first row of `other` whose currency differs from this ledger's
    /// for the same month and payer.
    fn check_currencies(&self, other: &Ledger<'_>, remap: &Remap) -> Result<(), PushError> {
        let conflict = other
            .months
            .iter()
            .filter_map(|((month, payer), theirs)| {
                let found = theirs.currency?;
                let ours = self.months.get(&(*month, remap.id(*payer)))?.currency?;
                (ours != remap.id(found)).then_some((theirs.currency_seq, *month, ours, found))
            })
            .min_by_key(|(seq, ..)| *seq);
        match conflict {
            None => Ok(()),
            Some((_, month, ours, found)) => Err(PushError::MixedCurrency {
                expected: self.strings.get(ours).to_owned(),
                found: other.strings.get(found).to_owned(),
                month,
            }),
        }
    }
}

fn merge_month(ours: &mut MonthLedger, theirs: MonthLedger) {
    if ours.currency.is_none() && theirs.currency.is_some() {
        ours.currency = theirs.currency;
        ours.currency_seq = theirs.currency_seq;
    }
    ours.rows += theirs.rows;
    ours.total += theirs.total;
    ours.free_value += theirs.free_value;
    ours.accounts.extend(theirs.accounts);
    ours.as_of = match (ours.as_of, theirs.as_of) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    for (key, credit) in theirs.credits {
        let c = ours.credits.entry(key).or_default();
        c.amount += credit.amount;
        c.free_plan |= credit.free_plan;
    }
    for (key, group) in theirs.groups {
        match ours.groups.get_mut(&key) {
            Some(existing) => merge_group(existing, group),
            None => {
                ours.groups.insert(key, group);
            }
        }
    }
    for (key, pool) in theirs.pools {
        match ours.pools.get_mut(&key) {
            Some(existing) => merge_pool(existing, pool),
            None => {
                ours.pools.insert(key, pool);
            }
        }
    }
}

/// The first row's fields stay ours; the rates are mixed if either side's
/// were, or the two sides' first rates differ.
fn merge_group(ours: &mut Group, mut theirs: Group) {
    ours.mixed_rates |= theirs.mixed_rates || ours.rate != theirs.rate;
    ours.quantity += theirs.quantity;
    ours.cost += theirs.cost;
    ours.rows += theirs.rows;
    ours.first = ours.first.min(theirs.first);
    ours.last = ours.last.max(theirs.last);
    add_each(ours.daily.days_mut(), theirs.daily.days_mut());
}

pub(crate) fn merge_pool(ours: &mut PoolAgg, theirs: PoolAgg) {
    for (hours, sums) in theirs.spans {
        match ours.spans.get_mut(&hours) {
            Some(existing) => add_each(existing, &sums),
            None => {
                ours.spans.insert(hours, sums);
            }
        }
    }
    ours.free += theirs.free;
    ours.bill_only += theirs.bill_only;
    ours.charged_quantity += theirs.charged_quantity;
    ours.charged_cost += theirs.charged_cost;
    ours.resources.extend(theirs.resources);
    ours.accounts.extend(theirs.accounts);
}

fn add_each(ours: &mut [Decimal], theirs: &[Decimal]) {
    for (a, b) in ours.iter_mut().zip(theirs) {
        *a += *b;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::catalog::Catalog;
    use crate::finish::{Context, FinishError};
    use crate::model::{LineItem, LineItemType};
    use crate::report::Report;
    use crate::time::{Month, Timestamp};
    use crate::SavedLedger;

    fn catalog() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(Catalog::embedded)
    }

    /// One generated row: indices into the vocabularies below.
    #[derive(Debug, Clone)]
    struct Row {
        month: usize,
        payer: usize,
        account: usize,
        meter: usize,
        region: usize,
        resource: usize,
        kind: usize,
        start_hour: i64,
        hours: i64,
        amount: i64,
        rate: usize,
        description: usize,
        blank_currency: bool,
    }

    const MONTHS: [&str; 2] = ["2025-10", "2025-11"];
    const PAYERS: [&str; 2] = ["111122223333", "444455556666"];
    const ACCOUNTS: [&str; 3] = ["111122223333", "222233334444", "444455556666"];
    /// (product, usage type, operation)
    const METERS: [(&str, &str, &str); 7] = [
        ("AmazonEC2", "BoxUsage:t2.micro", "RunInstances"),
        ("AmazonEC2", "APN2-BoxUsage:t2.micro", "RunInstances"),
        ("AmazonEC2", "NatGateway-Hours", "NatGateway"),
        ("AmazonEC2", "EBS:VolumeUsage.gp2", ""),
        ("AWSLambda", "Global-Request", "Invoke"),
        ("AmazonShiny", "USE1-Mystery", ""),
        ("AmazonEC2", "", ""),
    ];
    const REGIONS: [&str; 3] = ["us-east-1", "ap-northeast-2", ""];
    const RESOURCES: [&str; 3] = ["", "i-aaa", "arn:aws:ec2:us-east-1:1:natgateway/nat-0abc"];
    const KINDS: [LineItemType; 6] = [
        LineItemType::Usage,
        LineItemType::Usage,
        LineItemType::Tax,
        LineItemType::Credit,
        LineItemType::Refund,
        LineItemType::Fee,
    ];
    const RATES: [&str; 3] = ["0", "0.0116", "0.0104"];
    const DESCRIPTIONS: [&str; 4] = [
        "$0.00 per Linux t2.micro instance-hour (or partial hour) under monthly free tier",
        "$0.0116 per On Demand Linux t2.micro Instance Hour",
        "AWS Free Tier credit",
        "Promotional credit",
    ];

    fn row() -> impl Strategy<Value = Row> {
        (
            (
                0..2usize,
                0..2usize,
                0..3usize,
                0..7usize,
                0..3usize,
                0..3usize,
            ),
            (
                0..6usize,
                0..744i64,
                1..30i64,
                0..5000i64,
                0..3usize,
                0..4usize,
            ),
            proptest::bool::weighted(0.1),
        )
            .prop_map(|(a, b, blank_currency)| Row {
                month: a.0,
                payer: a.1,
                account: a.2,
                meter: a.3,
                region: a.4,
                resource: a.5,
                kind: b.0,
                start_hour: b.1,
                hours: b.2,
                amount: b.3,
                rate: b.4,
                description: b.5,
                blank_currency,
            })
    }

    /// The currency of each (month, half) of the rows: the second half
    /// (the second file) may disagree with the first.
    fn item(row: &Row, currency: &'static str) -> LineItem<'static> {
        let month: Month = MONTHS[row.month].parse().unwrap();
        let start = month.start().plus_seconds(row.start_hour * 3600);
        let (product, usage_type, operation) = METERS[row.meter];
        let amount = Decimal::new(row.amount, 2);
        let rate: Decimal = RATES[row.rate].parse().unwrap();
        LineItem {
            payer_account: PAYERS[row.payer],
            usage_account: ACCOUNTS[row.account],
            billing_period: month,
            start,
            end: start.plus_seconds(row.hours * 3600),
            line_item_type: KINDS[row.kind],
            product_code: product,
            usage_type,
            operation,
            region: REGIONS[row.region],
            resource_id: RESOURCES[row.resource],
            usage_amount: amount,
            unit: if row.hours > 12 { "Hrs" } else { "Hours" },
            rate: Some(rate),
            cost: match KINDS[row.kind] {
                LineItemType::Credit | LineItemType::Refund => -amount * rate,
                _ => amount * rate,
            },
            public_rate: Some("0.0116".parse().unwrap()),
            description: DESCRIPTIONS[row.description],
            currency: if row.blank_currency { "" } else { currency },
            billing_entity: "AWS",
            legal_entity: "Amazon Web Services, Inc.",
            tax_type: "",
            handles: crate::Handles::NONE,
        }
    }

    #[derive(Debug, PartialEq)]
    enum Outcome {
        Rejected(PushError),
        Finished(Result<Vec<Report>, FinishError>),
    }

    fn push_all(ledger: &mut Ledger<'_>, items: &[LineItem<'_>]) -> Result<(), PushError> {
        items.iter().try_for_each(|item| ledger.push(item))
    }

    fn finish(ledger: &Ledger<'_>, month: Option<Month>) -> Outcome {
        let context = Context {
            month,
            ..Context::default()
        };
        Outcome::Finished(ledger.finish(&context))
    }

    fn one_ledger(items: &[LineItem<'_>], filter: Option<&str>, month: Option<Month>) -> Outcome {
        let mut ledger = Ledger::new(catalog()).with_account_filter(filter.map(Into::into));
        match push_all(&mut ledger, items) {
            Err(e) => Outcome::Rejected(e),
            Ok(()) => finish(&ledger, month),
        }
    }

    /// Reads each part into its own ledger, stores and restores the later
    /// ones through JSON (as the guard's cache does), and absorbs them in order.
    fn merged(parts: &[&[LineItem<'_>]], filter: Option<&str>, month: Option<Month>) -> Outcome {
        let mut merged = Ledger::new(catalog()).with_account_filter(filter.map(Into::into));
        for part in parts {
            let mut ledger = Ledger::new(catalog()).with_account_filter(filter.map(Into::into));
            if let Err(e) = push_all(&mut ledger, part) {
                return Outcome::Rejected(e);
            }
            let json = serde_json::to_string(&ledger.save()).unwrap();
            let saved: SavedLedger = serde_json::from_str(&json).unwrap();
            let restored = Ledger::restore(catalog(), saved).unwrap();
            if let Err(e) = merged.absorb(restored) {
                return Outcome::Rejected(e);
            }
        }
        finish(&merged, month)
    }

    fn items(
        rows: &[Row],
        split: usize,
        currencies: [[&'static str; 2]; 2],
    ) -> Vec<LineItem<'static>> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| item(r, currencies[usize::from(i >= split)][r.month]))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn absorbing_a_split_equals_one_ledger_of_all_rows(
            rows in proptest::collection::vec(row(), 1..80),
            split in any::<proptest::sample::Index>(),
            second_currency in proptest::sample::select(vec!["USD", "USD", "USD", "EUR"]),
            filter in proptest::option::weighted(0.2, proptest::sample::select(ACCOUNTS.to_vec())),
            month in proptest::option::weighted(0.3, 0..2usize),
        ) {
            let split = split.index(rows.len() + 1);
            let currencies = [["USD", "USD"], ["USD", second_currency]];
            let items = items(&rows, split, currencies);
            let month = month.map(|m| MONTHS[m].parse().unwrap());
            let (first, second) = items.split_at(split);
            prop_assert_eq!(
                merged(&[first, second], filter, month),
                one_ledger(&items, filter, month)
            );
        }
    }

    fn t2_micro_month() -> Vec<LineItem<'static>> {
        // One instance all October, then a second from the 20th: over 750 h.
        let rows = (0..744).flat_map(|hour| {
            let second = (hour >= 19 * 24).then_some(2);
            std::iter::once(1).chain(second).map(move |resource| Row {
                month: 0,
                payer: 0,
                account: 0,
                meter: 0,
                region: 0,
                resource,
                kind: 0,
                start_hour: hour,
                hours: 1,
                amount: 100,
                rate: usize::from(hour > 600),
                description: usize::from(hour > 600),
                blank_currency: false,
            })
        });
        rows.map(|r| item(&r, "USD")).collect()
    }

    #[test]
    fn a_month_split_over_three_files_finishes_as_one() {
        let items = t2_micro_month();
        let (a, rest) = items.split_at(300);
        let (b, c) = rest.split_at(500);
        let whole = one_ledger(&items, None, None);
        assert_eq!(merged(&[a, b, c], None, None), whole);
        let Outcome::Finished(Ok(reports)) = whole else {
            panic!("the sample finishes");
        };
        assert_eq!(reports[0].rows, items.len() as u64);
        assert!(reports[0].offers[0].used > Decimal::from(750));
    }

    #[test]
    fn a_currency_that_differs_between_files_is_the_error_one_ledger_meets() {
        let october = t2_micro_month();
        let mut november = october.clone();
        for item in &mut november {
            item.currency = "EUR";
        }
        let expected = PushError::MixedCurrency {
            expected: "USD".into(),
            found: "EUR".into(),
            month: "2025-10".parse().unwrap(),
        };
        assert_eq!(
            merged(&[&october, &november], None, None),
            Outcome::Rejected(expected.clone())
        );
        assert_eq!(
            one_ledger(&[october, november].concat(), None, None),
            Outcome::Rejected(expected)
        );
    }

    #[test]
    fn absorbing_into_an_empty_ledger_keeps_everything() {
        let items = t2_micro_month();
        let mut ledger = Ledger::new(catalog());
        push_all(&mut ledger, &items).unwrap();
        let mut empty = Ledger::new(catalog());
        empty.absorb(ledger).unwrap();
        assert_eq!(finish(&empty, None), one_ledger(&items, None, None));
        assert_eq!(empty.rows(), items.len() as u64);
    }

    #[test]
    fn a_damaged_saved_ledger_is_refused_not_trusted() {
        let mut ledger = Ledger::new(catalog());
        push_all(&mut ledger, &t2_micro_month()).unwrap();
        let json = serde_json::to_value(ledger.save()).unwrap();
        let mut wrong_id = json.clone();
        wrong_id["months"][0]["payer"] = 9_999.into();
        let mut wrong_offer = json.clone();
        wrong_offer["months"][0]["pools"][0][0]["offer"] = 60_000.into();
        let mut short_timeline = json.clone();
        short_timeline["months"][0]["pools"][0][1]["spans"]["1"] = serde_json::json!(["1"]);
        for damaged in [wrong_id, wrong_offer, short_timeline] {
            let saved: SavedLedger = serde_json::from_value(damaged).unwrap();
            assert!(Ledger::restore(catalog(), saved).is_err());
        }
        let saved: SavedLedger = serde_json::from_value(json).unwrap();
        assert!(Ledger::restore(catalog(), saved).is_ok());
    }

    #[test]
    fn timestamps_keep_their_seconds() {
        let t = Timestamp::from_unix(1_700_000_000);
        assert_eq!(serde_json::to_string(&t).unwrap(), "1700000000");
    }
}
