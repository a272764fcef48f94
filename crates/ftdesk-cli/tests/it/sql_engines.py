"""Runs the SQL that `ftdesk sql` generates on real engines, for tests/it/sql.rs.

Reads {"jobs": [{"id", "engine", "sql"}]} on standard input; engine is
`duckdb`, `spark` (PySpark in local mode: one session for every job) or
`athena-parse` (sqlglot parses the Athena dialect; Athena itself is not reachable)
or `athena-on-duckdb` (the Athena SQL, translated by sqlglot, run by DuckDB over
the job's `parquet` file as the table `cur_db.cur_table`).
Writes {"id": {"rows": [...]} | {"error": "..."}} on standard output, every
decimal as plain text so the caller compares exact values.
"""

import datetime
import decimal
import json
import re
import sys


def statements(script):
    return [s for s in re.split(r";[ \t]*\n", script) if s.strip()]


def plain(value):
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def run_duckdb(script):
    import duckdb

    con = duckdb.connect()
    try:
        result = None
        for statement in statements(script):
            result = con.execute(statement)
        names = [d[0] for d in result.description]
        return [dict(zip(names, map(plain, row))) for row in result.fetchall()]
    finally:
        con.close()


_spark = None


def spark_session():
    global _spark
    if _spark is None:
        from pyspark.sql import SparkSession

        _spark = (
            SparkSession.builder.master("local[2]")
            .appName("ftdesk-sql-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        _spark.sparkContext.setLogLevel("ERROR")
    return _spark


def run_spark(script):
    spark = spark_session()
    frame = None
    for statement in statements(script):
        frame = spark.sql(statement)
    return [{k: plain(v) for k, v in row.asDict().items()} for row in frame.collect()]


def parse_athena(script):
    import sqlglot

    parsed = sqlglot.parse(script, read="athena", error_level=sqlglot.ErrorLevel.RAISE)
    return [{"statements": len([p for p in parsed if p is not None])}]


def run_athena_on_duckdb(script, parquet):
    import duckdb
    import sqlglot

    (translated,) = sqlglot.transpile(script.strip().rstrip(";"), read="athena", write="duckdb")
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("CREATE SCHEMA cur_db")
        literal = "'" + parquet.replace("'", "''") + "'"  # views cannot take parameters
        con.execute(f"CREATE VIEW cur_db.cur_table AS SELECT * FROM read_parquet({literal})")
        result = con.execute(translated)
        names = [d[0] for d in result.description]
        return [dict(zip(names, map(plain, row))) for row in result.fetchall()]
    finally:
        con.close()


ENGINES = {"duckdb": run_duckdb, "spark": run_spark, "athena-parse": parse_athena}


def main():
    jobs = json.load(sys.stdin)["jobs"]
    out = {}
    for job in jobs:
        try:
            if job["engine"] == "athena-on-duckdb":
                rows = run_athena_on_duckdb(job["sql"], job["parquet"])
            else:
                rows = ENGINES[job["engine"]](job["sql"])
            out[job["id"]] = {"rows": rows}
        except Exception as error:  # reported per job, so one bad query names itself
            out[job["id"]] = {"error": f"{type(error).__name__}: {error}"[:4000]}
    json.dump(out, sys.stdout)
    if _spark is not None:
        _spark.stop()


if __name__ == "__main__":
    main()
