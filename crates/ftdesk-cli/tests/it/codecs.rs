//! Parquet as other writers compress it: a CUR 2.0 export rewritten by DuckDB
//! and Spark with each codec the Parquet format defines and the parquet crate
//! reads must give the same report as the export itself; a codec ftdesk cannot
//! decompress (LZO) is refused by name, with its column and file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{check_json, ftdesk, java_available, python_json, write_scenario_as};

/// `COMPRESSION` names DuckDB's COPY takes, and the codec its footer then names.
const DUCKDB_CODECS: [(&str, &str); 6] = [
    ("uncompressed", "UNCOMPRESSED"),
    ("snappy", "SNAPPY"),
    ("gzip", "GZIP"),
    ("zstd", "ZSTD"),
    ("brotli", "BROTLI"),
    ("lz4_raw", "LZ4_RAW"),
];

/// Spark's `lz4` is the older LZ4 codec, in Hadoop's framing.
const SPARK_CODECS: [(&str, &str); 1] = [("lz4", "LZ4")];

/// The richest scenarios: several services, tax and credits.
const SCENARIOS: [&str; 2] = ["seoul-student", "tax-and-credits"];

struct Rewrite {
    id: String,
    writer: &'static str,
    codec: &'static str,
    footer: &'static str,
    source: PathBuf,
    out: PathBuf,
}

/// Rewrites every job's file in one Python process (one Spark session) and
/// returns, per job, the codecs the written footer names.
fn rewrite(jobs: &[Rewrite]) -> BTreeMap<String, Value> {
    let input = json!({
        "jobs": jobs.iter().map(|j| json!({
            "id": j.id, "writer": j.writer, "codec": j.codec, "source": j.source, "out": j.out,
        })).collect::<Vec<_>>()
    });
    serde_json::from_value(python_json(
        "parquet_rewrite.py",
        "the codec tests need duckdb and pyspark",
        &input,
    ))
    .expect("parquet_rewrite.py prints an object of results")
}

fn jobs_for(scenario: &str, source: &Path, dir: &Path, spark: bool) -> Vec<Rewrite> {
    let mut writers = vec![("duckdb", &DUCKDB_CODECS[..])];
    if spark {
        writers.push(("spark", &SPARK_CODECS[..]));
    }
    writers
        .into_iter()
        .flat_map(|(writer, codecs)| codecs.iter().map(move |codec| (writer, codec)))
        .map(|(writer, &(codec, footer))| {
            let id = format!("{scenario}-{writer}-{codec}");
            Rewrite {
                out: dir.join(format!("{id}.parquet")),
                id,
                writer,
                codec,
                footer,
                source: source.to_owned(),
            }
        })
        .collect()
}

#[test]
fn every_codec_reads_to_the_report_of_the_export() {
    let spark = java_available();
    let dir = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    for scenario in SCENARIOS {
        let folder = dir.path().join(scenario);
        std::fs::create_dir(&folder).unwrap();
        let source = write_scenario_as(scenario, &folder, &["--format", "cur2-parquet"]);
        jobs.extend(jobs_for(scenario, &source, dir.path(), spark));
    }
    let written = rewrite(&jobs);
    for job in &jobs {
        assert_eq!(
            written[&job.id],
            json!({ "codecs": [job.footer] }),
            "{}: the writer did not write {} alone",
            job.id,
            job.footer
        );
        let original = check_json(&[job.source.to_str().unwrap()]);
        let rewritten = check_json(&[job.out.to_str().unwrap()]);
        assert!(
            original["charges"]
                .as_array()
                .is_some_and(|c| !c.is_empty()),
            "{}: the export's report has no charges to compare: {original}",
            job.id
        );
        assert_eq!(rewritten, original, "{}: the reports differ", job.id);
    }
}

/// Thrift compact encoding of a column chunk's `codec` field (field 4, an
/// i32, after `path_in_schema`) and of the field header that follows it
/// (`num_values`, field 5, an i64): `15 <zigzag codec> 16`.
fn codec_field(codec: u8) -> [u8; 3] {
    [0x15, codec * 2, 0x16]
}

const SNAPPY: u8 = 1;
const LZO: u8 = 3;

/// Rewrites the footer of a snappy file so that every chunk of `column`
/// claims LZO; the bytes keep their length, so the footer stays valid.
fn claim_lzo(file: &Path, column: &str) {
    let mut bytes = std::fs::read(file).unwrap();
    let end = bytes.len() - 8;
    let length = u32::from_le_bytes(bytes[end..end + 4].try_into().unwrap()) as usize;
    let footer = &mut bytes[end - length..end];
    let mut pattern = column.as_bytes().to_vec();
    pattern.extend(codec_field(SNAPPY));
    let mut patched = 0;
    let mut at = 0;
    while let Some(found) = footer[at..]
        .windows(pattern.len())
        .position(|w| w == pattern.as_slice())
    {
        let codec = at + found + column.len() + 1;
        footer[codec] = codec_field(LZO)[1];
        patched += 1;
        at = codec;
    }
    assert!(patched > 0, "no snappy chunk of {column} in the footer");
    std::fs::write(file, bytes).unwrap();
}

#[test]
fn a_codec_ftdesk_cannot_decompress_is_named_with_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario_as("two-instances", dir.path(), &["--format", "cur2-parquet"]);
    claim_lzo(&file, "line_item_usage_type");
    let out = ftdesk().arg("check").arg(&file).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let name = file.file_name().unwrap().to_string_lossy();
    for needle in [&*name, "line_item_usage_type", "LZO", "ZSTD"] {
        assert!(stderr.contains(needle), "no {needle:?} in: {stderr}");
    }
    assert!(!stderr.contains("corrupt"), "{stderr}");
    assert!(!stderr.contains("truncated"), "{stderr}");
}
