"""The DuckDB side of bench/run.sh: the accounting's grouping over one billing file.

usage: duckdb_query.py FORMAT FILE OUT.csv      run the query, write its groups
       duckdb_query.py FORMAT FILE --sums       print the sums check.py compares

FORMAT is cur (legacy CUR CSV, .csv or .csv.gz), cur2 (CUR 2.0 Parquet) or
focus (FOCUS Parquet). The query is the work `ftdesk check` does on the same
rows: group by account, month, usage type, line-item type and resource,
summing usage and cost exactly (DECIMAL(38,10), the rows' own precision).
"""

import json
import sys

import duckdb

COLUMNS = {
    "cur2": {
        "source": "read_parquet('{path}')",
        "account": "line_item_usage_account_id",
        "month": "strftime(bill_billing_period_start_date, '%Y-%m')",
        "usage_type": "line_item_usage_type",
        "kind": "line_item_line_item_type",
        "resource": "line_item_resource_id",
        "quantity": "line_item_usage_amount",
        "cost": "line_item_unblended_cost",
    },
    "focus": {
        "source": "read_parquet('{path}')",
        "account": "SubAccountId",
        "month": "strftime(BillingPeriodStart, '%Y-%m')",
        "usage_type": "x_UsageType",
        "kind": "ChargeCategory",
        "resource": "ResourceId",
        "quantity": "ConsumedQuantity",
        "cost": "BilledCost",
    },
    "cur": {
        "source": "read_csv('{path}', header = true, all_varchar = true)",
        "account": '"lineItem/UsageAccountId"',
        "month": 'substr("bill/BillingPeriodStartDate", 1, 7)',
        "usage_type": '"lineItem/UsageType"',
        "kind": '"lineItem/LineItemType"',
        "resource": '"lineItem/ResourceId"',
        "quantity": 'CAST("lineItem/UsageAmount" AS DOUBLE)',
        "cost": 'CAST("lineItem/UnblendedCost" AS DOUBLE)',
    },
}


def grouped(fmt, path):
    c = COLUMNS[fmt]
    exact = lambda e: f"CAST({e} AS DECIMAL(38, 10))"
    return f"""
        SELECT {c['account']} AS account, {c['month']} AS month,
               {c['usage_type']} AS usage_type, {c['kind']} AS kind,
               {c['resource']} AS resource,
               sum({exact(c['quantity'])}) AS quantity,
               sum({exact(c['cost'])}) AS cost,
               count(*) AS rows
        FROM {c['source'].format(path=path)}
        GROUP BY ALL
    """


def sums(con, fmt, path):
    con.execute(f"CREATE TEMP TABLE g AS {grouped(fmt, path)}")
    one = lambda q: str(con.execute(q).fetchone()[0] or 0)
    by_usage_type = con.execute(
        """SELECT account, usage_type, sum(cost) FROM g
           WHERE kind = 'Usage' GROUP BY ALL HAVING sum(cost) <> 0"""
    ).fetchall()
    return {
        "rows": int(one("SELECT sum(rows) FROM g")),
        "net": one("SELECT sum(cost) FROM g"),
        "credits": one("SELECT sum(cost) FROM g WHERE kind = 'Credit'"),
        "tax": one("SELECT sum(cost) FROM g WHERE kind = 'Tax'"),
        "usage_cost": {f"{a} {u}": str(c) for a, u, c in by_usage_type},
    }


def main():
    fmt, path, out = sys.argv[1:4]
    con = duckdb.connect()
    if out == "--sums":
        json.dump(sums(con, fmt, path), sys.stdout)
    else:
        con.execute(f"COPY ({grouped(fmt, path)}) TO '{out}' (FORMAT csv)")


if __name__ == "__main__":
    main()
