"""Writes an Organization-shaped billing file with DuckDB, for bench/run.sh.

usage: org_shape.py ROWS OUT.snappy.parquet     CUR 2.0 Parquet
       org_shape.py ROWS OUT.csv.gz             legacy CUR CSV, gzip

One payer, 1,000 member accounts, 50,000 resources (50 an account), 20
usage types in 6 regions, hourly rows over October 2026 in time order, a few
credit and tax rows; 22 narrow columns as DuckDB writes them (Parquet:
snappy, row groups of 122,880 rows, DuckDB's defaults). The rows are a pure
function of ROWS, so the same command writes the same file.
"""

import sys

import duckdb

ACCOUNTS = 1_000
RESOURCES = 50_000
HOURS = 31 * 24
REGIONS = [  # (region, usage type prefix)
    ("us-east-1", ""),
    ("us-west-2", "USW2-"),
    ("eu-west-1", "EU-"),
    ("eu-central-1", "EUC1-"),
    ("ap-northeast-2", "APN2-"),
    ("ap-southeast-1", "APS1-"),
]
# (usage type, product code, operation, unit, rate, most usage an hour, free-tier eligible)
USAGE_TYPES = [
    ("BoxUsage:t2.micro", "AmazonEC2", "RunInstances", "Hrs", "0.0116", 1, True),
    ("BoxUsage:t3.micro", "AmazonEC2", "RunInstances", "Hrs", "0.0104", 1, True),
    ("BoxUsage:m5.large", "AmazonEC2", "RunInstances", "Hrs", "0.096", 1, False),
    ("EBS:VolumeUsage.gp2", "AmazonEC2", "CreateVolume-Gp2", "GB-Mo", "0.1", 500, True),
    ("EBS:VolumeUsage.gp3", "AmazonEC2", "CreateVolume-Gp3", "GB-Mo", "0.08", 500, True),
    ("EBS:SnapshotUsage", "AmazonEC2", "CreateSnapshot", "GB-Mo", "0.05", 200, True),
    ("DataTransfer-Out-Bytes", "AmazonEC2", "RunInstances", "GB", "0.09", 40, True),
    ("DataTransfer-Regional-Bytes", "AmazonEC2", "InterZone-In", "GB", "0.01", 40, False),
    ("NatGateway-Hours", "AmazonEC2", "NatGateway", "Hrs", "0.045", 1, False),
    ("NatGateway-Bytes", "AmazonEC2", "NatGateway", "GB", "0.045", 30, False),
    ("PublicIPv4:InUseAddress", "AmazonVPC", "AssociateAddressVPC", "Hrs", "0.005", 1, True),
    ("PublicIPv4:IdleAddress", "AmazonVPC", "AssociateAddressVPC", "Hrs", "0.005", 1, False),
    ("TimedStorage-ByteHrs", "AmazonS3", "StandardStorage", "GB-Mo", "0.023", 2000, True),
    ("Requests-Tier1", "AmazonS3", "PutObject", "Requests", "0.000005", 1000, True),
    ("Requests-Tier2", "AmazonS3", "GetObject", "Requests", "0.0000004", 10000, True),
    ("InstanceUsage:db.t3.micro", "AmazonRDS", "CreateDBInstance:0002", "Hrs", "0.017", 1, True),
    ("RDS:GP2-Storage", "AmazonRDS", "CreateDBInstance:0002", "GB-Mo", "0.115", 100, True),
    ("Lambda-GB-Second", "AWSLambda", "Invoke", "Lambda-GB-Second", "0.0000166667", 3600, True),
    ("Request", "AWSLambda", "Invoke", "Requests", "0.0000002", 10000, True),
    ("CW:MetricMonitorUsage", "AmazonCloudWatch", "MetricStorage", "Metrics", "0.3", 10, True),
]


def values():
    """The table of usage types and regions, as SQL VALUES."""
    kinds = ", ".join(
        f"({i}, '{u}', '{p}', '{o}', '{unit}', '{rate}', {most}, {str(free).lower()})"
        for i, (u, p, o, unit, rate, most, free) in enumerate(USAGE_TYPES)
    )
    regions = ", ".join(f"({i}, '{r}', '{prefix}')" for i, (r, prefix) in enumerate(REGIONS))
    return kinds, regions


def rows_sql(rows):
    kinds, regions = values()
    # Row r falls in hour r * HOURS // rows; within the hour the resources are
    # walked with a stride coprime to RESOURCES, so each hour bills different ones.
    return f"""
    WITH kinds(k, usage_type, product_code, operation, unit, rate, most, eligible) AS (VALUES {kinds}),
    regions(g, region, prefix) AS (VALUES {regions}),
    raw AS (
        SELECT r, r * {HOURS} // {rows} AS hour,
               (r * 7919 + (r * {HOURS} // {rows}) * 131) % {RESOURCES} AS resource
        FROM range({rows}) t(r)
    ),
    placed AS (
        SELECT r, hour, resource, resource % {ACCOUNTS} AS account,
               hash(resource) % 20 AS k, hash(resource * 3 + 1) % 6 AS g,
               CASE WHEN r % 97 = 0 THEN 'Credit' WHEN r % 211 = 0 THEN 'Tax' ELSE 'Usage' END AS kind,
               ((hash(r) % 1000000) + 1) / 1000000.0 AS share
        FROM raw
    ),
    billed AS (
        SELECT p.*, k.*, g.*,
               TIMESTAMP '2026-10-01' + to_hours(hour) AS start,
               k.eligible AND p.account % 5 = 0 AND hour < 500 AS free,
               round(CASE WHEN k.most = 1 THEN 1.0 ELSE k.most * share END, 6) AS amount
        FROM placed p JOIN kinds k USING (k) JOIN regions g USING (g)
    )
    SELECT
        TIMESTAMP '2026-10-01' AS bill_billing_period_start_date,
        TIMESTAMP '2026-11-01' AS bill_billing_period_end_date,
        '111122223333' AS bill_payer_account_id,
        'Example Org' AS bill_payer_account_name,
        'AWS' AS bill_billing_entity,
        lpad(CAST(200000000000 + account * 7 AS VARCHAR), 12, '0') AS line_item_usage_account_id,
        kind AS line_item_line_item_type,
        start AS line_item_usage_start_date,
        start + INTERVAL 1 HOUR AS line_item_usage_end_date,
        product_code AS line_item_product_code,
        CASE WHEN kind = 'Tax' THEN '' ELSE prefix || usage_type END AS line_item_usage_type,
        CASE WHEN kind = 'Tax' THEN '' ELSE operation END AS line_item_operation,
        CASE WHEN kind = 'Tax' THEN '' ELSE printf('r-%08x', resource * 2654435761 % 4294967296) END
            AS line_item_resource_id,
        CASE WHEN kind = 'Usage' THEN amount WHEN kind = 'Tax' THEN 1.0 ELSE 0.0 END
            AS line_item_usage_amount,
        CASE WHEN kind <> 'Usage' THEN '' WHEN free THEN '0.0' ELSE rate END
            AS line_item_unblended_rate,
        CASE
            WHEN kind = 'Usage' AND free THEN 0.0
            WHEN kind = 'Usage' THEN round(amount * CAST(rate AS DOUBLE), 10)
            WHEN kind = 'Credit' THEN -round(amount * CAST(rate AS DOUBLE), 10)
            ELSE round(amount * CAST(rate AS DOUBLE) / 10, 10)
        END AS line_item_unblended_cost,
        CASE
            WHEN kind = 'Credit' THEN 'AWS Activate Credits'
            WHEN kind = 'Tax' THEN 'Tax for product code ' || product_code
            WHEN free THEN '$0.00 per ' || unit || ' for ' || usage_type || ' under monthly free tier'
            ELSE '$' || rate || ' per ' || unit || ' for ' || usage_type || ' in ' || region
        END AS line_item_line_item_description,
        'USD' AS line_item_currency_code,
        CASE WHEN kind = 'Usage' THEN unit ELSE '' END AS pricing_unit,
        CASE WHEN kind = 'Usage' THEN rate ELSE '' END
            AS pricing_public_on_demand_rate,
        CASE WHEN kind = 'Tax' THEN '' ELSE region END AS product_region_code,
        MAP {{'region': region, 'servicecode': product_code}} AS product
    FROM billed ORDER BY r
    """


# Legacy CUR CSV spells the same columns with slashes (the map becomes product/region).
CSV_NAMES = {
    "bill_billing_period_start_date": "bill/BillingPeriodStartDate",
    "bill_billing_period_end_date": "bill/BillingPeriodEndDate",
    "bill_payer_account_id": "bill/PayerAccountId",
    "bill_billing_entity": "bill/BillingEntity",
    "line_item_usage_account_id": "lineItem/UsageAccountId",
    "line_item_line_item_type": "lineItem/LineItemType",
    "line_item_usage_start_date": "lineItem/UsageStartDate",
    "line_item_usage_end_date": "lineItem/UsageEndDate",
    "line_item_product_code": "lineItem/ProductCode",
    "line_item_usage_type": "lineItem/UsageType",
    "line_item_operation": "lineItem/Operation",
    "line_item_resource_id": "lineItem/ResourceId",
    "line_item_usage_amount": "lineItem/UsageAmount",
    "line_item_unblended_rate": "lineItem/UnblendedRate",
    "line_item_unblended_cost": "lineItem/UnblendedCost",
    "line_item_line_item_description": "lineItem/LineItemDescription",
    "line_item_currency_code": "lineItem/CurrencyCode",
    "pricing_unit": "pricing/unit",
    "pricing_public_on_demand_rate": "pricing/publicOnDemandRate",
    "product_region_code": "product/region",
}


def csv_sql(rows):
    times = {k for k in CSV_NAMES if k.endswith("_date")}
    columns = ", ".join(
        f"strftime({k}, '%Y-%m-%dT%H:%M:%SZ') AS \"{v}\"" if k in times else f'{k} AS "{v}"'
        for k, v in CSV_NAMES.items()
    )
    return f"SELECT {columns} FROM ({rows_sql(rows)})"


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    con = duckdb.connect()
    if out.endswith(".csv.gz"):
        con.execute(f"COPY ({csv_sql(rows)}) TO '{out}' (FORMAT csv, HEADER, COMPRESSION gzip)")
    else:
        con.execute(f"COPY ({rows_sql(rows)}) TO '{out}' (FORMAT parquet)")


if __name__ == "__main__":
    main()
