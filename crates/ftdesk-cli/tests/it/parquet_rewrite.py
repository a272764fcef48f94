"""Rewrites Parquet files with another writer and codec, for tests/it/codecs.rs.

Reads {"jobs": [{"id", "writer", "codec", "source", "out"}]} on standard input;
writer is `duckdb` (COPY ... TO ... (FORMAT parquet, COMPRESSION codec)) or
`spark` (PySpark in local mode with spark.sql.parquet.compression.codec set, as
a Spark user would; one session for every job, one output file). Writes
{"id": {"codecs": [...]}} | {"id": {"error": "..."}} on standard output: the
codecs the written file's footer names, as DuckDB reads them, so the caller
knows the writer used the codec asked for.
"""

import glob
import json
import os
import shutil
import sys
import tempfile


def quoted(path):
    return "'" + path.replace("'", "''") + "'"


def write_duckdb(source, out, codec):
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(
            f"COPY (SELECT * FROM read_parquet({quoted(source)})) "
            f"TO {quoted(out)} (FORMAT parquet, COMPRESSION {codec})"
        )
    finally:
        con.close()


_spark = None


def spark_session():
    global _spark
    if _spark is None:
        from pyspark.sql import SparkSession

        _spark = (
            SparkSession.builder.master("local[2]")
            .appName("ftdesk-codec-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        _spark.sparkContext.setLogLevel("ERROR")
    return _spark


def write_spark(source, out, codec):
    spark = spark_session()
    spark.conf.set("spark.sql.parquet.compression.codec", codec)
    with tempfile.TemporaryDirectory() as folder:
        target = os.path.join(folder, "written")
        spark.read.parquet(source).coalesce(1).write.parquet(target)
        (part,) = glob.glob(os.path.join(target, "part-*.parquet"))
        shutil.move(part, out)


def footer_codecs(path):
    import duckdb

    con = duckdb.connect()
    try:
        rows = con.execute(
            f"SELECT DISTINCT compression FROM parquet_metadata({quoted(path)}) ORDER BY 1"
        ).fetchall()
        return [row[0] for row in rows]
    finally:
        con.close()


WRITERS = {"duckdb": write_duckdb, "spark": write_spark}


def main():
    jobs = json.load(sys.stdin)["jobs"]
    out = {}
    for job in jobs:
        try:
            WRITERS[job["writer"]](job["source"], job["out"], job["codec"])
            out[job["id"]] = {"codecs": footer_codecs(job["out"])}
        except Exception as error:  # reported per job, so one failure names itself
            out[job["id"]] = {"error": f"{type(error).__name__}: {error}"[:4000]}
    json.dump(out, sys.stdout)
    if _spark is not None:
        _spark.stop()


if __name__ == "__main__":
    main()
