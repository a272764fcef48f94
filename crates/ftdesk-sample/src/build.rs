//! Building blocks of scenarios: the meters a free-tier user meets, priced
//! from the catalogue, and a [`Site`] (account + region) that places them.

use ftdesk_core::catalog::{Catalog, OfferKind, Plan};
use ftdesk_core::time::Month;
use rust_decimal::Decimal;

use crate::sim::{Hours, Product, Usage, EC2, RDS, ROW_DECIMALS, S3, VPC};

/// A kind of metered usage: what the CUR says about it apart from the numbers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meter {
    product: Product,
    /// `product/servicecode` when it differs from the product code.
    service_code: Option<&'static str>,
    family: &'static str,
    /// The usage type without its region prefix, as the catalogue prices it.
    meter: &'static str,
    /// Prefixed with the region code even in us-east-1 (`USE1-PublicIPv4:…`).
    always_prefixed: bool,
    operation: &'static str,
    volume_type: &'static str,
    /// Rows carry an availability zone.
    zonal: bool,
    /// Description AWS writes on rows the free tier covers (billing-formats.md §1.7).
    free_description: &'static str,
    /// The free-tier offer this usage draws from, on accounts that have it.
    allowance: Option<&'static str>,
}

const fn meter(product: Product, family: &'static str, meter: &'static str) -> Meter {
    Meter {
        product,
        service_code: None,
        family,
        meter,
        always_prefixed: false,
        operation: "",
        volume_type: "",
        zonal: false,
        free_description: "",
        allowance: None,
    }
}

pub(crate) const T2_MICRO: Meter = Meter {
    operation: "RunInstances",
    zonal: true,
    free_description:
        "$0.00 per Linux t2.micro instance-hour (or partial hour) under monthly free tier",
    allowance: Some("ec2-micro-linux"),
    ..meter(EC2, "Compute Instance", "BoxUsage:t2.micro")
};
/// A t3.micro in a region that has t2.micro: never drawn from the 750 hours.
pub(crate) const T3_MICRO: Meter = Meter {
    operation: "RunInstances",
    zonal: true,
    ..meter(EC2, "Compute Instance", "BoxUsage:t3.micro")
};
/// A t3.micro in a region that has t2.micro that the bill counted toward the
/// 750 hours all the same: the bill is the truth, whatever the catalogue says.
pub(crate) const T3_MICRO_BILLED_FREE: Meter = Meter {
    free_description:
        "$0.00 per Linux t3.micro instance-hour (or partial hour) under monthly free tier",
    allowance: Some("ec2-micro-linux"),
    ..T3_MICRO
};
pub(crate) const GP2: Meter = Meter {
    operation: "CreateVolume-Gp2",
    volume_type: "General Purpose",
    zonal: true,
    free_description:
        "$0.00 per GB-month of General Purpose (SSD) provisioned storage under monthly free tier",
    allowance: Some("ebs-storage"),
    ..meter(EC2, "Storage", "EBS:VolumeUsage.gp2")
};
pub(crate) const GP3: Meter = Meter {
    operation: "CreateVolume-Gp3",
    volume_type: "General Purpose",
    zonal: true,
    free_description:
        "$0.00 per GB-month of General Purpose (gp3) provisioned storage under monthly free tier",
    allowance: Some("ebs-storage"),
    ..meter(EC2, "Storage", "EBS:VolumeUsage.gp3")
};
pub(crate) const SNAPSHOT: Meter = Meter {
    operation: "CreateSnapshot",
    free_description: "$0.00 per GB-month of snapshot data stored under monthly free tier",
    allowance: Some("ebs-snapshots"),
    ..meter(EC2, "Storage Snapshot", "EBS:SnapshotUsage")
};
pub(crate) const DATA_OUT: Meter = Meter {
    service_code: Some("AWSDataTransfer"),
    operation: "RunInstances",
    free_description: "$0.000 per GB - data transfer out under the monthly global free tier",
    allowance: Some("data-transfer-out"),
    ..meter(EC2, "Data Transfer", "DataTransfer-Out-Bytes")
};
pub(crate) const NAT_HOURS: Meter = Meter {
    operation: "NatGateway",
    zonal: true,
    ..meter(EC2, "NAT Gateway", "NatGateway-Hours")
};
pub(crate) const NAT_BYTES: Meter = Meter {
    operation: "NatGateway",
    zonal: true,
    ..meter(EC2, "NAT Gateway", "NatGateway-Bytes")
};
pub(crate) const IPV4_IN_USE: Meter = Meter {
    always_prefixed: true,
    operation: "AssociateAddressVPC",
    free_description: "$0.00 per In-use public IPv4 address per hour under monthly free tier",
    allowance: Some("ec2-public-ipv4"),
    ..meter(VPC, "IP Address", "PublicIPv4:InUseAddress")
};
pub(crate) const IPV4_IDLE: Meter = Meter {
    always_prefixed: true,
    operation: "AllocateAddressVPC",
    ..meter(VPC, "IP Address", "PublicIPv4:IdleAddress")
};
pub(crate) const S3_STANDARD: Meter = Meter {
    operation: "StandardStorage",
    volume_type: "Standard",
    free_description: "$0.000 per GB-Mo of Standard storage under the monthly free tier",
    allowance: Some("s3-standard-storage"),
    ..meter(S3, "Storage", "TimedStorage-ByteHrs")
};
pub(crate) const S3_PUT: Meter = Meter {
    operation: "PutObject",
    free_description:
        "$0.00 per request - PUT, COPY, POST, or LIST requests under the monthly free tier",
    allowance: Some("s3-put-requests"),
    ..meter(S3, "API Request", "Requests-Tier1")
};
pub(crate) const S3_GET: Meter = Meter {
    operation: "GetObject",
    free_description: "$0.00 per request - GET and all other requests under the monthly free tier",
    allowance: Some("s3-get-requests"),
    ..meter(S3, "API Request", "Requests-Tier2")
};
pub(crate) const RDS_MULTI_AZ_T3_MICRO: Meter = Meter {
    operation: "CreateDBInstance:0002",
    ..meter(RDS, "Database Instance", "Multi-AZUsage:db.t3.micro")
};
pub(crate) const RDS_MULTI_AZ_GP2: Meter = Meter {
    operation: "CreateDBInstance:0002",
    volume_type: "General Purpose",
    ..meter(RDS, "Database Storage", "RDS:Multi-AZ-GP2-Storage")
};

/// The free allowances a legacy account within its first 12 months has.
pub(crate) fn legacy_allowances(catalog: &Catalog) -> Vec<(&'static str, Decimal)> {
    allowances(catalog, |kind| kind != OfferKind::Trial)
}

/// The always-free allowances only: a legacy account after its 12 months.
pub(crate) fn always_free_allowances(catalog: &Catalog) -> Vec<(&'static str, Decimal)> {
    allowances(catalog, |kind| kind == OfferKind::AlwaysFree)
}

/// Limits of the offers our meters draw from, taken from the catalogue.
fn allowances(catalog: &Catalog, keep: fn(OfferKind) -> bool) -> Vec<(&'static str, Decimal)> {
    ALLOWANCE_IDS
        .iter()
        .filter_map(|id| catalog.offer(id).map(|offer| (*id, offer)))
        .filter(|(_, offer)| offer.plans.contains(&Plan::Legacy) && keep(offer.kind))
        .map(|(id, offer)| (id, offer.limit))
        .collect()
}

const ALLOWANCE_IDS: [&str; 8] = [
    "ec2-micro-linux",
    "ec2-public-ipv4",
    "ebs-storage",
    "ebs-snapshots",
    "s3-standard-storage",
    "s3-put-requests",
    "s3-get-requests",
    "data-transfer-out",
];

/// Where usage happens: one account in one region, in one month.
pub(crate) struct Site<'c> {
    catalog: &'c Catalog,
    month: Month,
    account: &'static str,
    region: &'static str,
    /// Region whose catalogue price the usage is billed at (normally `region`).
    price_region: &'static str,
}

impl<'c> Site<'c> {
    pub fn new(
        catalog: &'c Catalog,
        month: Month,
        account: &'static str,
        region: &'static str,
    ) -> Self {
        Site {
            catalog,
            month,
            account,
            region,
            price_region: region,
        }
    }

    /// Bills usage at another region's catalogue price: the catalogue prices only
    /// a few regions, and the large generator places usage in many.
    pub fn priced_as(self, price_region: &'static str) -> Self {
        Site {
            price_region,
            ..self
        }
    }

    /// One unit every active hour: an instance, a NAT gateway, an address.
    pub fn running(&self, meter: Meter, resource: &'static str, hours: Hours) -> Usage {
        self.usage(meter, resource, Decimal::ONE, hours)
    }

    /// Storage of `gb` held over the hours: it accrues gb / hours-in-month GB-Mo an hour.
    pub fn storage(&self, meter: Meter, resource: &'static str, gb: u32, hours: Hours) -> Usage {
        let per_hour = Decimal::from(gb) / Decimal::from(self.month.hours());
        self.usage(meter, resource, per_hour.round_dp(ROW_DECIMALS), hours)
    }

    /// A total quantity (GB, requests) spread evenly over the active hours.
    pub fn spread(
        &self,
        meter: Meter,
        resource: &'static str,
        total: Decimal,
        hours: Hours,
    ) -> Usage {
        let per_hour = total / Decimal::from(hours.count());
        self.usage(meter, resource, per_hour.round_dp(ROW_DECIMALS), hours)
    }

    fn usage(
        &self,
        meter: Meter,
        resource: &'static str,
        per_hour: Decimal,
        hours: Hours,
    ) -> Usage {
        let price = self
            .catalog
            .price(self.price_region, meter.meter, meter.operation)
            .unwrap_or_else(|| {
                panic!(
                    "no catalogue price for {} in {}",
                    meter.meter, self.price_region
                )
            });
        let region = self
            .catalog
            .region_by_id(self.region)
            .expect("scenario regions are in the catalogue");
        let prefixed = meter.always_prefixed || self.region != "us-east-1";
        Usage {
            account: self.account,
            product: meter.product,
            service_code: meter.service_code.unwrap_or(meter.product.code),
            product_family: meter.family,
            usage_type: if prefixed {
                format!("{}-{}", region.code, meter.meter)
            } else {
                meter.meter.to_owned()
            },
            operation: meter.operation,
            availability_zone: if meter.zonal {
                format!("{}a", self.region)
            } else {
                String::new()
            },
            resource_id: resource,
            region: self.region.to_owned(),
            location: region.name.clone(),
            volume_type: meter.volume_type,
            unit: price.unit.clone(),
            per_hour,
            hours,
            price: price.rate,
            description: price.description.clone(),
            free_description: meter.free_description,
            allowance: meter.allowance,
        }
    }
}

/// Every hour from `from` to `to` (exclusive).
pub(crate) const fn hours(from: u32, to: u32) -> Hours {
    Hours { from, to, every: 1 }
}

/// Every `every`-th hour from `from` to `to` (exclusive).
pub(crate) const fn every(every: u32, from: u32, to: u32) -> Hours {
    Hours { from, to, every }
}
