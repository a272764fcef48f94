//! `ftdesk sql` against the native engine: the generated SQL runs on DuckDB
//! and on Spark (PySpark in local mode, one session for every scenario) over
//! each sample scenario's files, and its per-offer and per-charge figures must
//! equal `ftdesk check --format json`'s exactly. Athena cannot run here: its
//! SQL is snapshotted, parsed with sqlglot's Athena dialect, and (translated
//! to DuckDB by sqlglot) run over the Parquet files and compared the same way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::common::{check_json, dec, ftdesk, java_available, python_json};

/// Sample format, `ftdesk sql --format`, and whether Spark runs it too (Spark
/// reads both a CSV and the Parquet formats; DuckDB reads every format).
const FORMATS: [(&str, &str, bool); 5] = [
    ("cur-csv", "cur", true),
    ("cur2-parquet", "cur2", true),
    ("focus-parquet", "focus", true),
    ("cur2-csv", "cur2", false),
    ("focus-csv", "focus", false),
];

struct Job {
    id: String,
    engine: &'static str,
    sql: String,
    /// For `athena-on-duckdb`: the Parquet file DuckDB serves as `cur_db.cur_table`.
    parquet: Option<String>,
}

/// Runs every job in one Python process (one Spark session) and returns each job's rows.
fn run_engines(jobs: &[Job]) -> BTreeMap<String, Value> {
    let input = json!({
        "jobs": jobs.iter().map(|j| json!({"id": j.id, "engine": j.engine, "sql": j.sql, "parquet": j.parquet})).collect::<Vec<_>>()
    });
    let results: BTreeMap<String, Value> = serde_json::from_value(python_json(
        "sql_engines.py",
        "the SQL tests need duckdb, pyspark and sqlglot",
        &input,
    ))
    .expect("sql_engines.py prints an object of results");
    for job in jobs {
        let result = &results[&job.id];
        assert!(
            result.get("error").is_none(),
            "{} failed: {}\n--- SQL ---\n{}",
            job.id,
            result["error"],
            job.sql
        );
    }
    results
}

fn scenarios() -> Vec<String> {
    let out = ftdesk().args(["sample", "--list"]).output().unwrap();
    assert!(out.status.success());
    let names: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect();
    assert!(names.len() >= 3, "{names:?}");
    names
}

fn write_sample(scenario: &str, format: &str, dir: &Path) -> PathBuf {
    let out = ftdesk()
        .args([
            "sample",
            "--scenario",
            scenario,
            "--format",
            format,
            "--out",
        ])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "sample {scenario} {format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

fn sql(args: &[&str]) -> String {
    let out = ftdesk().arg("sql").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "sql {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A decimal as normalised text: `1.50` and `1.5000` are both `1.5`.
fn norm(v: &Value) -> String {
    dec(v).normalize().to_string()
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

type Figures = BTreeMap<String, String>;

/// The native report's figures, keyed like the SQL's rows.
fn native_figures(report: &Value) -> Figures {
    let mut f = Figures::new();
    f.insert("plan".into(), text(&report["plan"]));
    for name in ["gross_cost", "tax", "credits", "refunds", "net_cost"] {
        f.insert(format!("total {name}"), norm(&report[name]));
    }
    for o in report["offers"].as_array().unwrap() {
        let key = format!("offer {} {}", text(&o["id"]), text(&o["region"]));
        for field in [
            "used",
            "limit",
            "free_on_bill",
            "charged_quantity",
            "charged_cost",
        ] {
            f.insert(format!("{key} {field}"), norm(&o[field]));
        }
    }
    for c in report["charges"].as_array().unwrap() {
        let key = charge_key(|field| text(&c[field]));
        let previous = f.insert(format!("{key} quantity"), norm(&c["quantity"]));
        assert!(previous.is_none(), "two native charges share {key}");
        f.insert(format!("{key} cost"), norm(&c["cost"]));
    }
    f
}

fn charge_key(field: impl Fn(&str) -> String) -> String {
    let parts: Vec<String> = [
        "usage_account",
        "product_code",
        "usage_type",
        "operation",
        "resource_id",
        "line_item_type",
        "region",
    ]
    .iter()
    .map(|f| field(f))
    .collect();
    format!("charge {}", parts.join(" | "))
}

/// The SQL result's figures in the same keys.
fn sql_figures(rows: &[Value]) -> Figures {
    let mut f = Figures::new();
    for row in rows {
        f.insert("plan".into(), text(&row["plan"]));
        match row["section"].as_str().unwrap() {
            "total" => {
                f.insert(
                    format!("total {}", text(&row["name"])),
                    norm(&row["amount"]),
                );
            }
            "offer" => {
                let key = format!("offer {} {}", text(&row["offer_id"]), text(&row["region"]));
                for (field, column) in [
                    ("used", "quantity"),
                    ("limit", "free_limit"),
                    ("free_on_bill", "free_on_bill"),
                    ("charged_quantity", "charged_quantity"),
                    ("charged_cost", "amount"),
                ] {
                    f.insert(format!("{key} {field}"), norm(&row[column]));
                }
            }
            "charge" => {
                let key = charge_key(|field| text(&row[field]));
                let previous = f.insert(format!("{key} quantity"), norm(&row["quantity"]));
                assert!(previous.is_none(), "two SQL charges share {key}");
                f.insert(format!("{key} cost"), norm(&row["amount"]));
            }
            other => panic!("unknown section {other}"),
        }
    }
    f
}

fn assert_same(job: &str, native: &Figures, sql: &Figures) {
    let missing: Vec<_> = native.keys().filter(|k| !sql.contains_key(*k)).collect();
    let extra: Vec<_> = sql.keys().filter(|k| !native.contains_key(*k)).collect();
    let differ: Vec<_> = native
        .iter()
        .filter_map(|(k, v)| sql.get(k).filter(|s| *s != v).map(|s| (k, v, s)))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "{job}: SQL disagrees with ftdesk check\n  missing in SQL: {missing:?}\n  only in SQL: {extra:?}\n  (key, native, sql): {differ:?}"
    );
}

#[test]
fn duckdb_and_spark_agree_with_check_on_every_scenario() {
    let spark = java_available();
    let dir = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    let mut expected = BTreeMap::new();
    for scenario in scenarios() {
        for (format, sql_format, on_spark) in FORMATS {
            let folder = dir.path().join(&scenario).join(format);
            let file = write_sample(&scenario, format, &folder);
            let path = file.to_str().unwrap();
            let native = native_figures(&check_json(&[path]));
            let mut engines = vec!["duckdb"];
            if on_spark && spark {
                engines.push("spark");
            }
            for engine in engines {
                let id = format!("{scenario} {format} {engine}");
                let text = sql(&["--dialect", engine, "--format", sql_format, "--path", path]);
                expected.insert(id.clone(), native.clone());
                jobs.push(Job {
                    id,
                    engine,
                    sql: text,
                    parquet: None,
                });
            }
            if format.ends_with("parquet") {
                // Athena's SQL over the same file as a table, translated to DuckDB by sqlglot.
                let id = format!("{scenario} {format} athena-on-duckdb");
                let text = sql(&[
                    "--dialect",
                    "athena",
                    "--format",
                    sql_format,
                    "--table",
                    "cur_db.cur_table",
                ]);
                expected.insert(id.clone(), native.clone());
                jobs.push(Job {
                    id,
                    engine: "athena-on-duckdb",
                    sql: text,
                    parquet: Some(path.to_owned()),
                });
            }
        }
    }
    let results = run_engines(&jobs);
    for (id, native) in &expected {
        let rows = results[id]["rows"].as_array().unwrap();
        assert_same(id, native, &sql_figures(rows));
    }
}

#[test]
fn a_given_plan_and_month_are_honoured_like_check() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenarios().remove(0);
    let file = write_sample(&scenario, "cur2-parquet", dir.path());
    let path = file.to_str().unwrap();
    let report = check_json(&[path]);
    let month = text(&report["month"]);
    let mut jobs = Vec::new();
    let mut expected = BTreeMap::new();
    for plan in ["legacy", "free-plan", "paid-plan"] {
        let native = native_figures(&check_json(&[path, "--plan", plan, "--month", &month]));
        let id = format!("{scenario} --plan {plan}");
        let text = sql(&[
            "--dialect",
            "duckdb",
            "--format",
            "cur2",
            "--path",
            path,
            "--plan",
            plan,
            "--month",
            &month,
        ]);
        expected.insert(id.clone(), native);
        jobs.push(Job {
            id,
            engine: "duckdb",
            sql: text,
            parquet: None,
        });
    }
    let results = run_engines(&jobs);
    for (id, native) in &expected {
        assert_eq!(native["plan"], id.rsplit(' ').next().unwrap());
        assert_same(
            id,
            native,
            &sql_figures(results[id]["rows"].as_array().unwrap()),
        );
    }
}

#[test]
fn athena_sql_is_snapshotted_and_parses() {
    let mut jobs = Vec::new();
    for format in ["cur", "cur2", "focus"] {
        let text = sql(&[
            "--dialect",
            "athena",
            "--format",
            format,
            "--table",
            "cur_db.cur_table",
            "--month",
            "2025-11",
        ]);
        insta::assert_snapshot!(format!("athena_{format}"), text);
        jobs.push(Job {
            id: format!("athena {format}"),
            engine: "athena-parse",
            sql: text,
            parquet: None,
        });
    }
    let results = run_engines(&jobs);
    for job in &jobs {
        assert_eq!(results[&job.id]["rows"][0]["statements"], 1, "{}", job.id);
    }
}

#[test]
fn bad_sql_arguments_exit_2_and_say_why() {
    for (args, expected) in [
        (
            vec!["--dialect", "athena", "--path", "cur.parquet"],
            "Athena reads tables, not files",
        ),
        (
            vec!["--dialect", "duckdb", "--path", "report.json"],
            "expected a name ending in .parquet, .csv or .csv.gz",
        ),
        (
            vec!["--dialect", "spark", "--table", "db.t; DROP TABLE x"],
            "bad table name",
        ),
        (vec!["--dialect", "duckdb"], "--table"),
        (
            vec!["--dialect", "duckdb", "--table", "t", "--month", "2025-13"],
            "2025-13",
        ),
    ] {
        let out = ftdesk().arg("sql").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn decimal_figures_compare_exactly() {
    assert_eq!(norm(&json!("1.500000000000000000")), "1.5");
    assert_ne!(norm(&json!("0.0116")), norm(&json!("0.011600000000000001")));
    assert_eq!(dec(&json!("0.0116")), Decimal::new(116, 4));
}
