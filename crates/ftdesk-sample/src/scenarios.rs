//! The named scenarios: what the account ran, and the answer worked out by
//! hand from AWS's rules and the catalogue's prices (never by running the
//! ftdesk-core accounting).
//!
//! Dates: the legacy free tier is for accounts created before 2025-07-15 and
//! its 12-month offers end with the anniversary month, so a legacy account
//! still inside its 12 months is shown in 2025 (created 2025-02-03, month
//! 2025-10, 744 h). Rows carry 10 decimals; quantities are compared to 3
//! decimals and money to the cent.

use ftdesk_core::catalog::{Catalog, Plan};
use ftdesk_core::report::Cause;
use ftdesk_core::time::{Date, Month};
use rust_decimal::Decimal;

use crate::build::{
    always_free_allowances, every, hours, legacy_allowances, Site, DATA_OUT, GP2, GP3, IPV4_IDLE,
    IPV4_IN_USE, NAT_BYTES, NAT_HOURS, RDS_MULTI_AZ_GP2, RDS_MULTI_AZ_T3_MICRO, S3_GET, S3_PUT,
    S3_STANDARD, SNAPSHOT, T2_MICRO, T3_MICRO, T3_MICRO_BILLED_FREE,
};
use crate::sim::{Extra, Spec, Usage, EC2};
use crate::{Scenario, Truth, TruthCharge, TruthOffer};

const PAYER: &str = "111122223333";
const MEMBER: &str = "444455556666";
const AWS_INC: &str = "Amazon Web Services, Inc.";
const AWS_EMEA: &str = "Amazon Web Services EMEA SARL";
const US_EAST_1: &str = "us-east-1";
const SEOUL: &str = "ap-northeast-2";

const INSTANCE_1: &str = "i-0a1b2c3d4e5f60001";
const INSTANCE_2: &str = "i-0a1b2c3d4e5f60002";
const INSTANCE_3: &str = "i-0a1b2c3d4e5f60003";
const VOLUME_1: &str = "vol-0a1b2c3d4e5f60001";
const VOLUME_2: &str = "vol-0a1b2c3d4e5f60002";
const SNAPSHOT_1: &str = "arn:aws:ec2:us-east-1:111122223333:snapshot/snap-0a1b2c3d4e5f60001";
const NAT_US: &str = "arn:aws:ec2:us-east-1:111122223333:natgateway/nat-0a1b2c3d4e5f60001";
const NAT_SEOUL: &str = "arn:aws:ec2:ap-northeast-2:111122223333:natgateway/nat-0a1b2c3d4e5f60001";
const ADDRESS_IN_USE: &str = "eipalloc-0a1b2c3d4e5f60001";
const ADDRESS_IDLE: &str = "eipalloc-0a1b2c3d4e5f60002";
const BUCKET: &str = "ftdesk-sample-photos";
const DATABASE: &str = "arn:aws:rds:us-east-1:111122223333:db:student-db";

pub(crate) static SCENARIOS: [Scenario; 13] = [
    Scenario {
        name: "within-limits",
        summary: "one t2.micro, 8 GB gp2, 1 GB S3, 10 GB out: all free ($0.00)",
        spec: within_limits,
        truth: within_limits_truth,
    },
    Scenario {
        name: "two-instances",
        summary: "two t2.micro all month share the 750 h: 738 h over ($8.56)",
        spec: two_instances,
        truth: two_instances_truth,
    },
    Scenario {
        name: "expired-12-months",
        summary: "account from 2025-06-10 in 2026-10: t2.micro and gp2 fully billed ($9.43)",
        spec: expired_12_months,
        truth: expired_12_months_truth,
    },
    Scenario {
        name: "nat-gateway",
        summary: "free t2.micro plus a NAT gateway, never free ($33.93)",
        spec: nat_gateway,
        truth: nat_gateway_truth,
    },
    Scenario {
        name: "public-ipv4",
        summary: "in-use IPv4 within the free 750 h, an idle Elastic IP is not ($3.72)",
        spec: public_ipv4,
        truth: public_ipv4_truth,
    },
    Scenario {
        name: "ebs-over-30gb",
        summary: "30 + 20 GB gp3 and a 2 GB snapshot: 20 GB-Mo and 1 GB-Mo over ($1.65)",
        spec: ebs_over_30gb,
        truth: ebs_over_30gb_truth,
    },
    Scenario {
        name: "s3-requests",
        summary: "12,000 PUT and 120,000 GET against 2,000 and 20,000 free ($0.09)",
        spec: s3_requests,
        truth: s3_requests_truth,
    },
    Scenario {
        name: "rds-multi-az",
        summary: "db.t3.micro Multi-AZ MySQL with 20 GB: Multi-AZ is not eligible ($29.90)",
        spec: rds_multi_az,
        truth: rds_multi_az_truth,
    },
    Scenario {
        name: "free-plan-credits",
        summary: "2026 Free plan: t3.micro and IPv4 paid by AWS Free Tier credits ($0.00)",
        spec: free_plan_credits,
        truth: free_plan_credits_truth,
    },
    Scenario {
        name: "organization",
        summary: "payer and member each run a t2.micro 400 h: 800 h, 50 h over ($0.58)",
        spec: organization,
        truth: organization_truth,
    },
    Scenario {
        name: "tax-and-credits",
        summary: "two-instances plus 10% VAT and a $5 promotional credit ($4.42)",
        spec: tax_and_credits,
        truth: tax_and_credits_truth,
    },
    Scenario {
        name: "bill-granted-t3-micro",
        summary: "two t3.micro where t2.micro exists: the bill makes 750 h free anyway, 738 h over ($7.68)",
        spec: bill_granted_t3_micro,
        truth: bill_granted_t3_micro_truth,
    },
    Scenario {
        name: "seoul-student",
        summary: "a student's Seoul account to Nov 24: two t2.micro, a t3.micro, a NAT gateway, an idle IP ($19.63)",
        spec: seoul_student,
        truth: seoul_student_truth,
    },
];

// ------------------------------------------------------------------ helpers

fn month(year: i32, number: u8) -> Month {
    Month::new(year, number).expect("a valid month")
}

fn date(year: i32, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

/// A legacy account in its first 12 months: created 2025-02-03, billed 2025-10.
fn legacy_october(catalog: &Catalog, usages: Vec<Usage>) -> Spec {
    let october = month(2025, 10);
    Spec {
        month: october,
        data_hours: october.hours(),
        payer: PAYER,
        legal_entity: AWS_INC,
        allowances: legacy_allowances(catalog),
        usages,
        extras: Vec::new(),
    }
}

fn legacy_created() -> Option<Date> {
    Some(date(2025, 2, 3))
}

fn usd(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn quantity(text: &str) -> Decimal {
    text.parse().expect("a decimal literal")
}

fn offer(id: &'static str, used: &str, limit: i64) -> TruthOffer {
    TruthOffer {
        id,
        used: quantity(used),
        limit: Decimal::from(limit),
    }
}

fn charge(
    usage_type: &'static str,
    resource_id: &'static str,
    cause: Cause,
    cents: i64,
) -> TruthCharge {
    TruthCharge {
        usage_type,
        resource_id,
        cause,
        cost: usd(cents),
    }
}

/// A legacy truth without tax or credits: gross = net.
fn legacy_truth(
    net_cents: i64,
    by_cause: Vec<(Cause, Decimal)>,
    offers: Vec<TruthOffer>,
    charges: Vec<TruthCharge>,
) -> Truth {
    Truth {
        plan: Plan::Legacy,
        account_created: legacy_created(),
        net: usd(net_cents),
        gross: usd(net_cents),
        credits: Decimal::ZERO,
        tax: Decimal::ZERO,
        by_cause,
        offers,
        charges,
    }
}

// ------------------------------------------------------------------ within-limits

fn within_limits(catalog: &Catalog) -> Spec {
    let site = Site::new(catalog, month(2025, 10), PAYER, US_EAST_1);
    let all_month = hours(0, 744);
    legacy_october(
        catalog,
        vec![
            site.running(T2_MICRO, INSTANCE_1, all_month),
            site.storage(GP2, VOLUME_1, 8, all_month),
            site.storage(S3_STANDARD, BUCKET, 1, all_month),
            // 10 GB over every 6th hour: 124 hours.
            site.spread(DATA_OUT, INSTANCE_1, Decimal::from(10), every(6, 0, 744)),
        ],
    )
}

fn within_limits_truth() -> Truth {
    // 744 h ≤ 750; 8 GB-Mo ≤ 30; 1 GB-Mo ≤ 5; 10 GB ≤ 100: nothing billed.
    legacy_truth(
        0,
        vec![],
        vec![
            offer("ec2-micro-linux", "744", 750),
            offer("ebs-storage", "8", 30),
            offer("s3-standard-storage", "1", 5),
            offer("data-transfer-out", "10", 100),
        ],
        vec![],
    )
}

// ------------------------------------------------------------------ two-instances

fn two_instance_usages(catalog: &Catalog) -> Vec<Usage> {
    let site = Site::new(catalog, month(2025, 10), PAYER, US_EAST_1);
    let all_month = hours(0, 744);
    vec![
        site.running(T2_MICRO, INSTANCE_1, all_month),
        site.running(T2_MICRO, INSTANCE_2, all_month),
        site.storage(GP2, VOLUME_1, 8, all_month),
        site.storage(GP2, VOLUME_2, 8, all_month),
    ]
}

fn two_instances(catalog: &Catalog) -> Spec {
    legacy_october(catalog, two_instance_usages(catalog))
}

/// 2 instances × 744 h = 1,488 h; both draw 1 h each hour, so the 750 h run
/// out after hour 375 and each instance pays 744 − 375 = 369 h:
/// 369 h × $0.0116 = $4.2804 → $4.28 each; 738 h × $0.0116 = $8.5608 → $8.56.
fn two_instances_charges() -> Vec<TruthCharge> {
    vec![
        charge("BoxUsage:t2.micro", INSTANCE_1, Cause::OverFreeLimit, 428),
        charge("BoxUsage:t2.micro", INSTANCE_2, Cause::OverFreeLimit, 428),
    ]
}

fn two_instances_offers() -> Vec<TruthOffer> {
    // The two 8 GB volumes: 16 GB-Mo ≤ 30, free.
    vec![
        offer("ec2-micro-linux", "1488", 750),
        offer("ebs-storage", "16", 30),
    ]
}

fn two_instances_truth() -> Truth {
    legacy_truth(
        856,
        vec![(Cause::OverFreeLimit, usd(856))],
        two_instances_offers(),
        two_instances_charges(),
    )
}

// ------------------------------------------------------------------ expired-12-months

fn expired_12_months(catalog: &Catalog) -> Spec {
    let october = month(2026, 10);
    let site = Site::new(catalog, october, PAYER, US_EAST_1);
    let all_month = hours(0, 744);
    Spec {
        month: october,
        data_hours: october.hours(),
        payer: PAYER,
        legal_entity: AWS_INC,
        // Created 2025-06-10: the 12 months ended with 2026-06; only always-free is left.
        allowances: always_free_allowances(catalog),
        usages: vec![
            site.running(T2_MICRO, INSTANCE_1, all_month),
            site.storage(GP2, VOLUME_1, 8, all_month),
            site.spread(DATA_OUT, INSTANCE_1, Decimal::from(5), every(6, 0, 744)),
        ],
        extras: Vec::new(),
    }
}

fn expired_12_months_truth() -> Truth {
    // t2.micro 744 h × $0.0116 = $8.6304 → $8.63; gp2 8 GB-Mo × $0.10 = $0.80;
    // 5 GB out stays within the always-free 100 GB. 8.6304 + 0.80 = $9.4304 → $9.43.
    Truth {
        plan: Plan::Legacy,
        // The tool must infer the expiry from the absence of free rows.
        account_created: None,
        net: usd(943),
        gross: usd(943),
        credits: Decimal::ZERO,
        tax: Decimal::ZERO,
        by_cause: vec![(Cause::FreeTierExpired, usd(943))],
        // Ended 12-month offers are no allowance any more, so only always-free ones are listed.
        offers: vec![offer("data-transfer-out", "5", 100)],
        charges: vec![
            charge("BoxUsage:t2.micro", INSTANCE_1, Cause::FreeTierExpired, 863),
            charge("EBS:VolumeUsage.gp2", VOLUME_1, Cause::FreeTierExpired, 80),
        ],
    }
}

// ------------------------------------------------------------------ nat-gateway

fn nat_gateway(catalog: &Catalog) -> Spec {
    let site = Site::new(catalog, month(2025, 10), PAYER, US_EAST_1);
    let all_month = hours(0, 744);
    legacy_october(
        catalog,
        vec![
            site.running(T2_MICRO, INSTANCE_1, all_month),
            site.running(NAT_HOURS, NAT_US, all_month),
            site.spread(NAT_BYTES, NAT_US, Decimal::from(10), every(6, 0, 744)),
        ],
    )
}

fn nat_gateway_truth() -> Truth {
    // 744 h × $0.045 = $33.48; 10 GB × $0.045 = $0.45; $33.93 never free.
    legacy_truth(
        3393,
        vec![(Cause::NeverFree, usd(3393))],
        vec![offer("ec2-micro-linux", "744", 750)],
        vec![
            charge("NatGateway-Hours", NAT_US, Cause::NeverFree, 3348),
            charge("NatGateway-Bytes", NAT_US, Cause::NeverFree, 45),
        ],
    )
}

// ------------------------------------------------------------------ public-ipv4

fn public_ipv4(catalog: &Catalog) -> Spec {
    let site = Site::new(catalog, month(2025, 10), PAYER, US_EAST_1);
    let all_month = hours(0, 744);
    legacy_october(
        catalog,
        vec![
            site.running(T2_MICRO, INSTANCE_1, all_month),
            site.running(IPV4_IN_USE, ADDRESS_IN_USE, all_month),
            site.running(IPV4_IDLE, ADDRESS_IDLE, all_month),
        ],
    )
}

fn public_ipv4_truth() -> Truth {
    // In-use 744 h ≤ the legacy 750 free IPv4 hours; idle 744 h × $0.005 = $3.72.
    legacy_truth(
        372,
        vec![(Cause::NeverFree, usd(372))],
        vec![
            offer("ec2-micro-linux", "744", 750),
            offer("ec2-public-ipv4", "744", 750),
        ],
        vec![charge(
            "USE1-PublicIPv4:IdleAddress",
            ADDRESS_IDLE,
            Cause::NeverFree,
            372,
        )],
    )
}

// ------------------------------------------------------------------ ebs-over-30gb

fn ebs_over_30gb(catalog: &Catalog) -> Spec {
    let site = Site::new(catalog, month(2025, 10), PAYER, US_EAST_1);
    let all_month = hours(0, 744);
    legacy_october(
        catalog,
        vec![
            site.storage(GP3, VOLUME_1, 30, all_month),
            site.storage(GP3, VOLUME_2, 20, all_month),
            site.storage(SNAPSHOT, SNAPSHOT_1, 2, all_month),
        ],
    )
}

fn ebs_over_30gb_truth() -> Truth {
    // Volumes accrue 30/744 + 20/744 = 50/744 GB-Mo an hour; the 30 GB-Mo run
    // out at hour 446.4. Volume 1 pays (744 − 447) × 30/744 + 10/744 = 8,920/744
    // GB-Mo × $0.08 = $0.9591 → $0.96; volume 2 pays (744 − 446) × 20/744 =
    // 5,960/744 GB-Mo × $0.08 = $0.6409 → $0.64; together 20 GB-Mo = $1.60.
    // Snapshot 2 GB-Mo, 1 free: 1 × $0.05 = $0.05. Total $1.65.
    legacy_truth(
        165,
        vec![(Cause::OverFreeLimit, usd(165))],
        vec![
            offer("ebs-storage", "50", 30),
            offer("ebs-snapshots", "2", 1),
        ],
        vec![
            charge("EBS:VolumeUsage.gp3", VOLUME_1, Cause::OverFreeLimit, 96),
            charge("EBS:VolumeUsage.gp3", VOLUME_2, Cause::OverFreeLimit, 64),
            charge("EBS:SnapshotUsage", SNAPSHOT_1, Cause::OverFreeLimit, 5),
        ],
    )
}

// ------------------------------------------------------------------ s3-requests

fn s3_requests(catalog: &Catalog) -> Spec {
    let site = Site::new(catalog, month(2025, 10), PAYER, US_EAST_1);
    // Requests every 6th hour of the first 30 days: 120 hours.
    let batches = every(6, 0, 720);
    legacy_october(
        catalog,
        vec![
            site.storage(S3_STANDARD, BUCKET, 2, hours(0, 744)),
            site.spread(S3_PUT, BUCKET, Decimal::from(12_000), batches),
            site.spread(S3_GET, BUCKET, Decimal::from(120_000), batches),
        ],
    )
}

fn s3_requests_truth() -> Truth {
    // PUT: 12,000 − 2,000 = 10,000 × $0.000005 = $0.05.
    // GET: 120,000 − 20,000 = 100,000 × $0.0000004 = $0.04. Storage 2 ≤ 5 GB-Mo.
    legacy_truth(
        9,
        vec![(Cause::OverFreeLimit, usd(9))],
        vec![
            offer("s3-standard-storage", "2", 5),
            offer("s3-put-requests", "12000", 2000),
            offer("s3-get-requests", "120000", 20000),
        ],
        vec![
            charge("Requests-Tier1", BUCKET, Cause::OverFreeLimit, 5),
            charge("Requests-Tier2", BUCKET, Cause::OverFreeLimit, 4),
        ],
    )
}

// ------------------------------------------------------------------ rds-multi-az

fn rds_multi_az(catalog: &Catalog) -> Spec {
    let site = Site::new(catalog, month(2025, 10), PAYER, US_EAST_1);
    let all_month = hours(0, 744);
    legacy_october(
        catalog,
        vec![
            site.running(RDS_MULTI_AZ_T3_MICRO, DATABASE, all_month),
            site.storage(RDS_MULTI_AZ_GP2, DATABASE, 20, all_month),
        ],
    )
}

fn rds_multi_az_truth() -> Truth {
    // 744 h × $0.034 = $25.296 → $25.30; 20 GB-Mo × $0.23 = $4.60; $29.896 → $29.90.
    legacy_truth(
        2990,
        vec![(Cause::NotEligible, usd(2990))],
        vec![],
        vec![
            charge(
                "Multi-AZUsage:db.t3.micro",
                DATABASE,
                Cause::NotEligible,
                2530,
            ),
            charge(
                "RDS:Multi-AZ-GP2-Storage",
                DATABASE,
                Cause::NotEligible,
                460,
            ),
        ],
    )
}

// ------------------------------------------------------------------ free-plan-credits

fn free_plan_credits(catalog: &Catalog) -> Spec {
    let october = month(2026, 10);
    let site = Site::new(catalog, october, PAYER, US_EAST_1);
    let all_month = hours(0, 744);
    Spec {
        month: october,
        data_hours: october.hours(),
        payer: PAYER,
        legal_entity: AWS_INC,
        // Created 2026-08-01 on the Free plan: no 12-month hours, no free IPv4.
        allowances: always_free_allowances(catalog),
        usages: vec![
            site.running(T3_MICRO, INSTANCE_1, all_month),
            site.running(IPV4_IN_USE, ADDRESS_IN_USE, all_month),
        ],
        extras: vec![Extra::CreditAllUsage {
            description: "AWS Free Tier",
        }],
    }
}

fn free_plan_credits_truth() -> Truth {
    // t3.micro 744 h × $0.0104 = $7.7376; IPv4 744 h × $0.005 = $3.72;
    // gross $11.4576 → $11.46, cancelled by the AWS Free Tier credit: net $0.00.
    Truth {
        plan: Plan::FreePlan,
        account_created: Some(date(2026, 8, 1)),
        net: Decimal::ZERO,
        gross: usd(1146),
        credits: usd(-1146),
        tax: Decimal::ZERO,
        by_cause: vec![(Cause::NotEligible, usd(774)), (Cause::NeverFree, usd(372))],
        offers: vec![],
        charges: vec![
            charge("BoxUsage:t3.micro", INSTANCE_1, Cause::NotEligible, 774),
            charge(
                "USE1-PublicIPv4:InUseAddress",
                ADDRESS_IN_USE,
                Cause::NeverFree,
                372,
            ),
        ],
    }
}

// ------------------------------------------------------------------ organization

fn organization(catalog: &Catalog) -> Spec {
    let october = month(2025, 10);
    let payer = Site::new(catalog, october, PAYER, US_EAST_1);
    let member = Site::new(catalog, october, MEMBER, US_EAST_1);
    let first_400_hours = hours(0, 400);
    let all_month = hours(0, 744);
    legacy_october(
        catalog,
        vec![
            payer.running(T2_MICRO, INSTANCE_1, first_400_hours),
            member.running(T2_MICRO, INSTANCE_2, first_400_hours),
            // The stopped instances keep their root volumes all month.
            payer.storage(GP2, VOLUME_1, 8, all_month),
            member.storage(GP2, VOLUME_2, 8, all_month),
        ],
    )
}

fn organization_truth() -> Truth {
    // 400 h + 400 h = 800 h in one pool of 750: both draw each hour, the pool
    // runs out after hour 375, each account pays 400 − 375 = 25 h × $0.0116 =
    // $0.29; 50 h × $0.0116 = $0.58.
    legacy_truth(
        58,
        vec![(Cause::OverFreeLimit, usd(58))],
        // Root volumes 8 + 8 = 16 GB-Mo ≤ 30, free.
        vec![
            offer("ec2-micro-linux", "800", 750),
            offer("ebs-storage", "16", 30),
        ],
        vec![
            charge("BoxUsage:t2.micro", INSTANCE_1, Cause::OverFreeLimit, 29),
            charge("BoxUsage:t2.micro", INSTANCE_2, Cause::OverFreeLimit, 29),
        ],
    )
}

// ------------------------------------------------------------------ tax-and-credits

fn tax_and_credits(catalog: &Catalog) -> Spec {
    Spec {
        legal_entity: AWS_EMEA,
        extras: vec![
            // 10% VAT on the EC2 charge: $8.5608 × 0.10 = $0.85608 → $0.86.
            Extra::Tax {
                product: EC2,
                tax_type: "VAT",
                amount: usd(86),
            },
            Extra::Credit {
                product: EC2,
                description: "AWS Promotional Credit",
                amount: usd(-500),
            },
        ],
        ..legacy_october(catalog, two_instance_usages(catalog))
    }
}

fn tax_and_credits_truth() -> Truth {
    // gross $8.5608 → $8.56 (two-instances); tax $0.86; credit −$5.00;
    // net 8.5608 + 0.86 − 5.00 = $4.4208 → $4.42.
    let mut charges = two_instances_charges();
    charges.push(charge("", "", Cause::Tax, 86));
    Truth {
        plan: Plan::Legacy,
        account_created: legacy_created(),
        net: usd(442),
        gross: usd(856),
        credits: usd(-500),
        tax: usd(86),
        by_cause: vec![(Cause::OverFreeLimit, usd(856)), (Cause::Tax, usd(86))],
        offers: two_instances_offers(),
        charges,
    }
}

// ------------------------------------------------------------------ seoul-student

/// Hour index of a day of the month at 00:00 (day 1 is hour 0).
const fn day(day: u32) -> u32 {
    (day - 1) * 24
}

fn seoul_student(catalog: &Catalog) -> Spec {
    let november = month(2025, 11);
    let site = Site::new(catalog, november, PAYER, SEOUL);
    let now = day(24); // data up to 2025-11-24T00:00Z: 552 h of 720
    Spec {
        month: november,
        data_hours: now,
        payer: PAYER,
        legal_entity: AWS_INC,
        allowances: legacy_allowances(catalog),
        usages: vec![
            site.running(T2_MICRO, INSTANCE_1, hours(day(1), now)),
            site.running(T2_MICRO, INSTANCE_2, hours(day(10), now)),
            site.running(T3_MICRO, INSTANCE_3, hours(day(18), now)),
            site.running(NAT_HOURS, NAT_SEOUL, hours(day(15), now)),
            // 4.5 GB through the NAT gateway, every 6th hour since Nov 15: 36 × 0.125 GB.
            site.spread(
                NAT_BYTES,
                NAT_SEOUL,
                Decimal::new(45, 1),
                every(6, day(15), now),
            ),
            site.running(IPV4_IDLE, ADDRESS_IDLE, hours(day(1), now)),
            site.storage(GP3, VOLUME_1, 8, hours(day(1), now)),
            site.storage(GP3, VOLUME_2, 8, hours(day(10), now)),
            site.spread(
                DATA_OUT,
                INSTANCE_1,
                Decimal::from(3),
                every(6, day(1), now),
            ),
        ],
        extras: Vec::new(),
    }
}

fn seoul_student_truth() -> Truth {
    // t2.micro 1 runs hours 0–551 (552 h), t2.micro 2 hours 216–551 (336 h):
    // 888 h, 750 free. Alone until hour 216 (216 h), then 2 h an hour: the
    // pool runs out after hour 482; each pays hours 483–551 = 69 h × $0.0144
    // = $0.9936 → $0.99 ($1.9872 together).
    // t3.micro (Seoul has t2.micro, so not eligible) 144 h × $0.013 = $1.872.
    // NAT 216 h × $0.059 = $12.744 and 4.5 GB × $0.059 = $0.2655.
    // Idle Elastic IP 552 h × $0.005 = $2.76.
    // Volumes 8 GB × 552/720 + 8 GB × 336/720 = 9.867 GB-Mo ≤ 30; 3 GB out ≤ 100.
    // Net 1.9872 + 1.872 + 12.744 + 0.2655 + 2.76 = $19.6287 → $19.63.
    Truth {
        plan: Plan::Legacy,
        account_created: Some(date(2025, 3, 2)),
        net: usd(1963),
        gross: usd(1963),
        credits: Decimal::ZERO,
        tax: Decimal::ZERO,
        by_cause: vec![
            (Cause::OverFreeLimit, usd(199)),
            (Cause::NotEligible, usd(187)),
            // 12.744 + 0.2655 + 2.76 = 15.7695
            (Cause::NeverFree, usd(1577)),
        ],
        offers: vec![
            offer("ec2-micro-linux", "888", 750),
            offer("ebs-storage", "9.867", 30),
            offer("data-transfer-out", "3", 100),
        ],
        charges: vec![
            charge(
                "APN2-BoxUsage:t2.micro",
                INSTANCE_1,
                Cause::OverFreeLimit,
                99,
            ),
            charge(
                "APN2-BoxUsage:t2.micro",
                INSTANCE_2,
                Cause::OverFreeLimit,
                99,
            ),
            charge(
                "APN2-BoxUsage:t3.micro",
                INSTANCE_3,
                Cause::NotEligible,
                187,
            ),
            charge("APN2-NatGateway-Hours", NAT_SEOUL, Cause::NeverFree, 1274),
            charge("APN2-NatGateway-Bytes", NAT_SEOUL, Cause::NeverFree, 27),
            charge(
                "APN2-PublicIPv4:IdleAddress",
                ADDRESS_IDLE,
                Cause::NeverFree,
                276,
            ),
        ],
    }
}

// ------------------------------------------------------------------ bill-granted-t3-micro

fn bill_granted_t3_micro(catalog: &Catalog) -> Spec {
    let site = Site::new(catalog, month(2025, 10), PAYER, US_EAST_1);
    let all_month = hours(0, 744);
    legacy_october(
        catalog,
        vec![
            site.running(T3_MICRO_BILLED_FREE, INSTANCE_1, all_month),
            site.running(T3_MICRO_BILLED_FREE, INSTANCE_2, all_month),
        ],
    )
}

/// us-east-1 has t2.micro, so our catalogue would not count t3.micro toward
/// the 750 hours; this bill did. Following the bill: 2 × 744 h = 1,488 h draw
/// on one pool, which runs out after hour 374 (2 h an hour), so each instance
/// pays 744 − 375 = 369 h × $0.0104 = $3.8376 → $3.84; 738 h × $0.0104 =
/// $7.6752 → $7.68. Over the free limit, not "not eligible".
fn bill_granted_t3_micro_truth() -> Truth {
    legacy_truth(
        768,
        vec![(Cause::OverFreeLimit, usd(768))],
        vec![offer("ec2-micro-linux", "1488", 750)],
        vec![
            charge("BoxUsage:t3.micro", INSTANCE_1, Cause::OverFreeLimit, 384),
            charge("BoxUsage:t3.micro", INSTANCE_2, Cause::OverFreeLimit, 384),
        ],
    )
}
