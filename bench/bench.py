"""Times `ftdesk check` and DuckDB on the same billing files, alternating, in one run.

usage: bench.py --ftdesk BIN [--reader BIN] [--baseline BIN] [--rounds N] [--hashes FILE]
                FORMAT:FILE ...

For each file it first checks that both engines give the same sums (row count,
net cost, credits, tax, and the cost of every account's usage type), so the
comparison is of equal work, then runs each engine N times, alternating which
goes first, under /usr/bin/time, and prints the medians, the ratio
ftdesk / DuckDB (below 1 means ftdesk is faster) and each one's peak memory.
With --reader (ftdesk-io's `read_only` example) it also times ftdesk's reading
alone, decoding and mapping every row without the accounting: the part of
ftdesk's time that is not the ledger.
With --baseline (another build of ftdesk, e.g. main's) it times that one too,
in the same rounds, for a before/after ratio taken side by side.
With --hashes (bench/report-sha256.txt) the SHA-256 of each file's JSON report
(the version in "tool" as [version]) must equal the one recorded there for
the file's folder and name (run.sh: format/file); a file not listed yet is
added. The files are written with fixed seeds, so a name stands for its
bytes. UPDATE_REPORT_HASHES=1 rewrites the listed hashes after a change meant
to alter reports.
"""

import argparse
import hashlib
import json
import re
import os
import statistics
import subprocess
import sys
import tempfile
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))


def ftdesk_command(binary, path, out):
    return [binary, "check", path, "--format", "json", "--out", out]


def duckdb_command(fmt, path, out):
    return [sys.executable, os.path.join(HERE, "duckdb_query.py"), fmt, path, out]


def ftdesk_sums(report_path):
    with open(report_path) as f:
        report = json.load(f, parse_float=Decimal, parse_int=Decimal)
    usage_cost = {}
    for charge in report["charges"]:
        if charge["line_item_type"] != "Usage":
            continue
        key = f"{charge['usage_account']} {charge['usage_type']}"
        usage_cost[key] = usage_cost.get(key, Decimal(0)) + charge["cost"]
    return {
        "rows": int(report["rows"]),
        "net": report["net_cost"],
        "credits": report["credits"] + report["refunds"],
        "tax": report["tax"],
        "usage_cost": {k: v for k, v in usage_cost.items() if v != 0},
    }


def duckdb_sums(fmt, path):
    text = subprocess.run(
        duckdb_command(fmt, path, "--sums"), check=True, capture_output=True, text=True
    ).stdout
    sums = json.loads(text)
    for key in ("net", "credits", "tax"):
        sums[key] = Decimal(sums[key])
    sums["usage_cost"] = {k: Decimal(v) for k, v in sums["usage_cost"].items()}
    return sums


def report_sha256(report_path):
    with open(report_path, "rb") as f:
        text = f.read()
    text = re.sub(rb'"tool": "ftdesk [^"]*"', b'"tool": "ftdesk [version]"', text, count=1)
    return hashlib.sha256(text).hexdigest()


def read_hashes(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        lines = [line.split() for line in f if line.strip() and not line.startswith("#")]
    return {name: digest for digest, name in lines}


def write_hashes(path, hashes):
    with open(path, "w") as f:
        f.write("# SHA-256 of each benchmark file's JSON report; see bench/bench.py --hashes\n")
        for name in sorted(hashes):
            f.write(f"{hashes[name]}  {name}\n")


def same_report(report, path, hashes):
    """Whether the report's hash is the one recorded for the file (recording a new file's)."""
    name = os.path.join(os.path.basename(os.path.dirname(path)), os.path.basename(path))
    digest = report_sha256(report)
    known = hashes.get(name)
    if known is None or os.environ.get("UPDATE_REPORT_HASHES"):
        hashes[name] = digest
        print(f"  report sha256 recorded: {digest}", file=sys.stderr)
        return True
    if known != digest:
        print(f"  DIFFERENT report: sha256 {digest}, recorded {known}", file=sys.stderr)
        return False
    print("  same report as recorded (sha256)", file=sys.stderr)
    return True


def same_sums(binary, fmt, path, scratch, hashes):
    report = os.path.join(scratch, "report.json")
    subprocess.run(ftdesk_command(binary, path, report), check=True)
    identical = hashes is None or same_report(report, path, hashes)
    ours, theirs = ftdesk_sums(report), duckdb_sums(fmt, path)
    problems = []
    for key in ("rows", "net", "credits", "tax"):
        if ours[key] != theirs[key]:
            problems.append(f"{key}: ftdesk {ours[key]}, duckdb {theirs[key]}")
    a, b = ours["usage_cost"], theirs["usage_cost"]
    differing = [k for k in a.keys() | b.keys() if a.get(k) != b.get(k)]
    if differing:
        k = sorted(differing)[0]
        problems.append(
            f"{len(differing)} of {len(b)} account usage types differ, e.g. {k}: "
            f"ftdesk {a.get(k)}, duckdb {b.get(k)}"
        )
    for p in problems:
        print(f"  DIFFERENT {p}", file=sys.stderr)
    print(
        f"  same sums: {ours['rows']} rows, net {ours['net']}, "
        f"{len(a)} account usage types with cost"
        if not problems
        else "  sums differ",
        file=sys.stderr,
    )
    return identical and not problems


def timed(command):
    """Wall seconds and peak resident KiB of one run."""
    with tempfile.NamedTemporaryFile("r") as stats:
        subprocess.run(
            ["/usr/bin/time", "-o", stats.name, "-f", "%e %M"] + command,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wall, rss = stats.read().split()[-2:]
    return float(wall), int(rss)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ftdesk", required=True)
    parser.add_argument("--reader")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline")
    parser.add_argument("--hashes")
    parser.add_argument("files", nargs="+", metavar="FORMAT:FILE")
    args = parser.parse_args()
    hashes = None if args.hashes is None else read_hashes(args.hashes)
    rows = []
    ok = True
    with tempfile.TemporaryDirectory() as scratch:
        for spec in args.files:
            fmt, path = spec.split(":", 1)
            print(f"== {os.path.basename(path)}", file=sys.stderr)
            ok &= same_sums(args.ftdesk, fmt, path, scratch, hashes)
            if hashes is not None:
                write_hashes(args.hashes, hashes)
            commands = {
                "ftdesk": ftdesk_command(args.ftdesk, path, os.path.join(scratch, "o.json")),
                "duckdb": duckdb_command(fmt, path, os.path.join(scratch, "o.csv")),
            }
            if args.reader:
                commands["reading"] = [args.reader, path]
            if args.baseline:
                commands["baseline"] = ftdesk_command(
                    args.baseline, path, os.path.join(scratch, "b.json")
                )
            runs = {name: [] for name in commands}
            for r in range(args.rounds):
                order = list(commands) if r % 2 == 0 else list(reversed(commands))
                for name in order:
                    runs[name].append(timed(commands[name]))
            median = {name: statistics.median(w for w, _ in runs[name]) for name in runs}
            rows.append(
                (
                    f"{fmt}: {os.path.basename(path)}",
                    os.path.getsize(path),
                    median["ftdesk"],
                    median.get("reading"),
                    median["duckdb"],
                    max(m for _, m in runs["ftdesk"]),
                    max(m for _, m in runs["duckdb"]),
                    median.get("baseline"),
                )
            )
            said = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in median.items())
            print(f"  {said}", file=sys.stderr)
    print(
        "| file | size | ftdesk | reading alone | DuckDB | ratio | ftdesk peak | DuckDB peak "
        "| baseline | baseline ratio | after / before |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, size, ours, reading, theirs, our_mem, their_mem, before in rows:
        reading = "" if reading is None else f"{reading:.2f} s"
        before = (
            "| | | |"
            if before is None
            else f"| {before:.2f} s | {before / theirs:.2f} | {ours / before:.2f} |"
        )
        print(
            f"| {name} | {size / 2**20:.0f} MiB | {ours:.2f} s | {reading} | {theirs:.2f} s | "
            f"{ours / theirs:.2f} | {our_mem / 1024:.0f} MiB | {their_mem / 1024:.0f} MiB {before}"
        )
    print(f"\n{args.rounds} runs each, alternating; medians; ratio = ftdesk / DuckDB.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
