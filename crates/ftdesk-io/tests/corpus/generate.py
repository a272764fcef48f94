#!/usr/bin/env python3
"""Writes the broken-input corpus next to this script. Run it after changing a case:
    python3 crates/ftdesk-io/tests/corpus/generate.py
Large or binary cases (a field over 64 KiB, random bytes, truncated gzip) are made by the tests."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = [
    "identity/LineItemId", "bill/PayerAccountId", "bill/BillingPeriodStartDate",
    "lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/UsageStartDate",
    "lineItem/UsageEndDate", "lineItem/ProductCode", "lineItem/UsageType",
    "lineItem/Operation", "lineItem/UsageAmount", "lineItem/UnblendedRate",
    "lineItem/UnblendedCost", "lineItem/LineItemDescription", "product/region",
    "pricing/unit", "pricing/publicOnDemandRate", "lineItem/CurrencyCode",
]


def row(n, amount="1.0", cost="0.0116", start="2023-11-01T00:00:00Z", currency="USD",
        description="$0.0116 per On Demand Linux t2.micro Instance Hour"):
    return [
        f"id{n}", "123412340534", "2023-11-01T00:00:00.000Z", "123412340534", "Usage",
        start, "2023-11-01T01:00:00Z", "AmazonEC2", "USE1-BoxUsage:t2.micro", "RunInstances",
        amount, "0.0116", cost, description, "us-east-1", "Hrs", "0.0116", currency,
    ]


def line(cells):
    return ",".join(f'"{c}"' if ("," in c or '"' in c) else c for c in cells)


def write(name, rows, header=HEADER, newline="\n", bom=False):
    text = newline.join(line(r) for r in [header] + rows) + newline
    data = text.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data)


open(os.path.join(HERE, "empty.csv"), "wb").close()
write("header_only.csv", [])
missing = HEADER.index("lineItem/UnblendedCost")
write("missing_column.csv",
      [[c for i, c in enumerate(row(1)) if i != missing]],
      header=[c for i, c in enumerate(HEADER) if i != missing])
write("bad_amount.csv", [row(1), row(2, amount="abc")])
write("empty_cost.csv", [row(1), row(2), row(3, cost="")])
write("bad_date.csv", [row(1, start="2023-13-45T00:00:00Z")])
write("mixed_currency.csv", [row(1), row(2), row(3, currency="EUR")])
write("bom_crlf.csv", [row(1), row(2, cost="2.123027E-4")], newline="\r\n", bom=True)
write("long_description.csv", [row(1, description="x" * 9_990 + ", free tier")])
write("too_many_fields.csv", [row(1), row(2) + ["surplus"]])
write("too_few_fields.csv", [row(1), row(2)[:-1]])
with open(os.path.join(HERE, "not_csv.json"), "w") as f:
    f.write('{"assemblyId": "abc", "reportKeys": ["cur-00001.csv.gz"]}\n')
with open(os.path.join(HERE, "not_csv.html"), "w") as f:
    f.write("<!DOCTYPE html>\n<html><body>Sign in to the AWS console</body></html>\n")
with open(os.path.join(HERE, "focus.csv"), "w") as f:
    f.write("BilledCost,BillingCurrency,ChargeCategory\n0.01,USD,Usage\n")
