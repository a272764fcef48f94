//! Mixed bills for practice cases: the scenarios' building blocks combined and
//! varied (month, region, hours, sizes), billed by the same hourly simulation.
//!
//! There is no hand-worked answer here: a mix is checked by running the
//! accounting on it, as `ftdesk practice case` does.

use ftdesk_core::catalog::Catalog;
use ftdesk_core::time::Month;
use rust_decimal::Decimal;

use crate::build::{
    always_free_allowances, every, hours, legacy_allowances, Site, DATA_OUT, GP2, GP3, IPV4_IDLE,
    NAT_BYTES, NAT_HOURS, RDS_MULTI_AZ_GP2, RDS_MULTI_AZ_T3_MICRO, S3_GET, S3_PUT, S3_STANDARD,
    T2_MICRO,
};
use crate::row::CurRow;
use crate::sim::{self, Spec, Usage};

/// One thing on top of the account's free t2.micro and 8 GB volume that costs money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingredient {
    /// A second t2.micro from this hour of the month to its end: the 750 h are shared.
    SecondInstance { from_hour: u32 },
    /// A NAT gateway for these hours, processing this many GB.
    NatGateway { hours: u32, gb: u32 },
    /// An Elastic IP left unattached for these hours.
    IdleAddress { hours: u32 },
    /// An extra gp3 volume of this size all month (30 GB-Mo are free in all).
    ExtraVolume { gb: u32 },
    /// S3 requests over the month (2,000 PUT and 20,000 GET are free). us-east-1 only.
    S3Requests { puts: u32, gets: u32 },
    /// A Multi-AZ db.t3.micro for these hours with 20 GB: not eligible. us-east-1 only.
    RdsMultiAz { hours: u32 },
    /// The account is past its 12 free months: only always-free offers are left.
    Expired,
}

impl Ingredient {
    /// Whether the catalogue has the prices this ingredient needs in `region`.
    pub fn priced_in(self, region: &str) -> bool {
        match self {
            Ingredient::S3Requests { .. } | Ingredient::RdsMultiAz { .. } => region == "us-east-1",
            _ => true,
        }
    }
}

/// An account's month: where it ran and what it added to the free basics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mix {
    pub month: Month,
    /// `us-east-1` or `ap-northeast-2`, the regions the catalogue prices every meter in.
    pub region: &'static str,
    pub ingredients: Vec<Ingredient>,
}

const PAYER: &str = "111122223333";

/// Bills the mix hour by hour. `name` seeds the line item ids, so the same
/// mix and name always give the same rows.
pub fn generate_mix(catalog: &Catalog, mix: &Mix, name: &str) -> Vec<CurRow> {
    sim::simulate(&spec(catalog, mix), name)
}

/// Writes rows as legacy CUR CSV text, as [`crate::write_csv`] does for a scenario.
pub fn write_rows_csv(rows: &[CurRow], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    crate::row::write_rows(rows, out)
}

fn spec(catalog: &Catalog, mix: &Mix) -> Spec {
    let site = Site::new(catalog, mix.month, PAYER, mix.region);
    let all = mix.month.hours();
    let mut usages = vec![
        site.running(T2_MICRO, instance(mix.region, 1), hours(0, all)),
        site.storage(GP2, "vol-0a1b2c3d4e5f60001", 8, hours(0, all)),
        site.spread(
            DATA_OUT,
            instance(mix.region, 1),
            Decimal::from(4),
            every(6, 0, all),
        ),
    ];
    for ingredient in &mix.ingredients {
        usages.extend(usages_of(&site, mix, *ingredient));
    }
    let expired = mix.ingredients.contains(&Ingredient::Expired);
    Spec {
        month: mix.month,
        data_hours: all,
        payer: PAYER,
        legal_entity: "Amazon Web Services, Inc.",
        allowances: if expired {
            always_free_allowances(catalog)
        } else {
            legacy_allowances(catalog)
        },
        usages,
        extras: Vec::new(),
    }
}

fn usages_of(site: &Site<'_>, mix: &Mix, ingredient: Ingredient) -> Vec<Usage> {
    let all = mix.month.hours();
    let seoul = mix.region == "ap-northeast-2";
    match ingredient {
        Ingredient::SecondInstance { from_hour } => vec![site.running(
            T2_MICRO,
            instance(mix.region, 2),
            hours(from_hour.min(all), all),
        )],
        Ingredient::NatGateway { hours: h, gb } => {
            let nat = if seoul {
                "arn:aws:ec2:ap-northeast-2:111122223333:natgateway/nat-0a1b2c3d4e5f60001"
            } else {
                "arn:aws:ec2:us-east-1:111122223333:natgateway/nat-0a1b2c3d4e5f60001"
            };
            let active = hours(0, h.clamp(1, all));
            vec![
                site.running(NAT_HOURS, nat, active),
                site.spread(NAT_BYTES, nat, Decimal::from(gb), active),
            ]
        }
        Ingredient::IdleAddress { hours: h } => vec![site.running(
            IPV4_IDLE,
            "eipalloc-0a1b2c3d4e5f60002",
            hours(all - h.clamp(1, all), all),
        )],
        Ingredient::ExtraVolume { gb } => {
            vec![site.storage(GP3, "vol-0a1b2c3d4e5f60002", gb, hours(0, all))]
        }
        Ingredient::S3Requests { puts, gets } => {
            let bucket = "ftdesk-sample-photos";
            let batches = every(6, 0, all);
            vec![
                site.storage(S3_STANDARD, bucket, 1, hours(0, all)),
                site.spread(S3_PUT, bucket, Decimal::from(puts), batches),
                site.spread(S3_GET, bucket, Decimal::from(gets), batches),
            ]
        }
        Ingredient::RdsMultiAz { hours: h } => {
            let db = "arn:aws:rds:us-east-1:111122223333:db:student-db";
            let active = hours(0, h.clamp(1, all));
            vec![
                site.running(RDS_MULTI_AZ_T3_MICRO, db, active),
                site.storage(RDS_MULTI_AZ_GP2, db, 20, active),
            ]
        }
        Ingredient::Expired => Vec::new(),
    }
}

fn instance(region: &str, n: u8) -> &'static str {
    match (region == "ap-northeast-2", n) {
        (false, 1) => "i-0a1b2c3d4e5f60001",
        (false, _) => "i-0a1b2c3d4e5f60002",
        (true, 1) => "i-0b1c2d3e4f5a60001",
        (true, _) => "i-0b1c2d3e4f5a60002",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix(region: &'static str, ingredients: Vec<Ingredient>) -> Mix {
        Mix {
            month: Month::new(2025, 9).unwrap(),
            region,
            ingredients,
        }
    }

    fn charged(rows: &[CurRow]) -> Decimal {
        rows.iter().map(|r| r.cost).sum()
    }

    #[test]
    fn the_basics_alone_are_free() {
        let rows = generate_mix(&Catalog::embedded(), &mix("us-east-1", vec![]), "t");
        assert!(!rows.is_empty());
        assert_eq!(charged(&rows), Decimal::ZERO);
    }

    #[test]
    fn a_second_instance_pays_for_the_hours_over_750() {
        // September: 720 h. The second instance runs from hour 600: 720 + 120 = 840 h, 90 over.
        let rows = generate_mix(
            &Catalog::embedded(),
            &mix(
                "us-east-1",
                vec![Ingredient::SecondInstance { from_hour: 600 }],
            ),
            "t",
        );
        let over: Decimal = rows
            .iter()
            .filter(|r| r.cost > Decimal::ZERO)
            .map(|r| r.usage_amount)
            .sum();
        assert_eq!(over, Decimal::from(90));
    }

    #[test]
    fn the_same_mix_gives_the_same_rows_in_seoul_too() {
        let m = mix(
            "ap-northeast-2",
            vec![
                Ingredient::NatGateway { hours: 100, gb: 3 },
                Ingredient::Expired,
            ],
        );
        let a = generate_mix(&Catalog::embedded(), &m, "seed");
        let b = generate_mix(&Catalog::embedded(), &m, "seed");
        assert_eq!(a, b);
        assert!(a.iter().all(|r| r.region == "ap-northeast-2"));
        assert!(charged(&a) > Decimal::ZERO);
    }
}
