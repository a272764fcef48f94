//! Report folders: which objects of a listing to read. AWS delivers the same
//! billing period many times (each refresh is a full snapshot); reading two
//! snapshots of one period would count its charges twice, so per period we
//! read only the snapshot the manifest names, or else the newest by name.
//!
//! Recognised layouts:
//! - Data Exports (CUR 2.0, FOCUS): `<root>data/BILLING_PERIOD=YYYY-MM/[<executionId>/]<files>`
//!   with `<root>metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json`
//!   (`executionId`, `dataFiles`, `billingPeriod`).
//! - Legacy CUR: `<root>yyyymmdd-yyyymmdd/<assemblyId>/<files>` with
//!   `<root>yyyymmdd-yyyymmdd/<report>-Manifest.json` (`assemblyId`, `reportKeys`).
//!
//! Any other billing file is read as it is.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::ReadError;
use crate::store::{ObjectMeta, Store};

/// Which snapshot of one billing period was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodSnapshot {
    /// The folder above the period: `exports/my-cur/` (may be empty).
    pub root: String,
    /// `2025-10` (Data Exports) or `20251001-20251101` (legacy).
    pub period: String,
    /// Execution id (Data Exports) or assembly id (legacy); empty when the
    /// files sit directly in the period folder (overwrite delivery).
    pub snapshot: String,
    /// Whether a manifest named the snapshot; `false` means the newest by
    /// name was taken, a guess.
    pub from_manifest: bool,
    /// How many snapshots of the period were present.
    pub snapshots_seen: usize,
    /// Whether the data was rewritten after the period ended: `Some` only
    /// when the store knows when objects were written (see
    /// [`Store::modified`]); neither the data rows nor the manifests AWS
    /// documents carry a delivery time.
    pub restated: Option<bool>,
}

/// What to read: the keys in reading order, and the choice per period.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    pub keys: Vec<String>,
    pub periods: Vec<PeriodSnapshot>,
}

pub(crate) fn is_billing_name(key: &str) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key).to_ascii_lowercase();
    name.ends_with(".csv") || name.ends_with(".csv.gz") || name.ends_with(".parquet")
}

fn is_manifest_name(key: &str) -> bool {
    key.rsplit('/')
        .next()
        .unwrap_or(key)
        .to_ascii_lowercase()
        .ends_with("-manifest.json")
}

/// Where a data file sits: its period folder and snapshot.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    root: String,
    period: String,
    snapshot: String,
}

const EXPORT_PARTITION: &str = "data/BILLING_PERIOD=";

fn is_legacy_range(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    bytes.len() == 17
        && bytes[8] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 8 || b.is_ascii_digit())
}

fn place_of(key: &str) -> Option<Place> {
    if let Some(at) = find_segment(key, EXPORT_PARTITION) {
        let rest = &key[at + EXPORT_PARTITION.len()..];
        let (period, inside) = rest.split_once('/')?;
        return Some(Place {
            root: key[..at].to_owned(),
            period: period.to_owned(),
            snapshot: snapshot_of(inside),
        });
    }
    let segments: Vec<&str> = key.split('/').collect();
    let range = segments[..segments.len() - 1]
        .iter()
        .rposition(|s| is_legacy_range(s))?;
    let root_len: usize = segments[..range].iter().map(|s| s.len() + 1).sum();
    let inside = segments[range + 1..].join("/");
    Some(Place {
        root: key[..root_len].to_owned(),
        period: segments[range].to_owned(),
        snapshot: snapshot_of(&inside),
    })
}

/// The first folder of `inside`, or empty for a file directly there.
fn snapshot_of(inside: &str) -> String {
    match inside.split_once('/') {
        Some((folder, _)) => folder.to_owned(),
        None => String::new(),
    }
}

/// Byte offset of `segment` where it starts a path segment of `key`.
fn find_segment(key: &str, segment: &str) -> Option<usize> {
    key.match_indices(segment)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || key.as_bytes()[i - 1] == b'/')
}

/// The period a manifest describes: `(root, period)`.
fn manifest_place(key: &str) -> Option<(String, String)> {
    const METADATA: &str = "metadata/BILLING_PERIOD=";
    if let Some(at) = find_segment(key, METADATA) {
        let rest = &key[at + METADATA.len()..];
        let (period, name) = rest.split_once('/')?;
        return (!name.contains('/')).then(|| (key[..at].to_owned(), period.to_owned()));
    }
    let (folder, _) = key.rsplit_once('/')?;
    let (root, range) = match folder.rsplit_once('/') {
        Some((root, range)) => (format!("{root}/"), range),
        None => (String::new(), folder),
    };
    is_legacy_range(range).then(|| (root, range.to_owned()))
}

/// What a manifest says about its period.
#[derive(Debug)]
struct Manifest {
    key: String,
    snapshot: String,
    files: Vec<String>,
}

fn parse_manifest(store: &dyn Store, key: &str) -> Result<Option<Manifest>, ReadError> {
    let name = store.describe(key);
    let mut text = String::new();
    std::io::Read::read_to_string(&mut store.open(key)?, &mut text).map_err(|e| {
        ReadError::Manifest {
            manifest: name.clone(),
            detail: format!("cannot read it as UTF-8 text ({e})"),
        }
    })?;
    let json: Value = serde_json::from_str(&text).map_err(|e| ReadError::Manifest {
        manifest: name.clone(),
        detail: format!(
            "not valid JSON ({e}); expected a Data Exports or Cost and Usage Report manifest"
        ),
    })?;
    let field = |names: [&str; 2]| names.iter().find_map(|n| json.get(*n));
    let snapshot = field(["executionId", "assemblyId"]).and_then(Value::as_str);
    let files = field(["dataFiles", "reportKeys"]).and_then(Value::as_array);
    let (Some(snapshot), Some(files)) = (snapshot, files) else {
        tracing::warn!(manifest = %name, "manifest without executionId/dataFiles or assemblyId/reportKeys; ignored");
        return Ok(None);
    };
    let files = files
        .iter()
        .map(|f| {
            f.as_str()
                .map(str::to_owned)
                .ok_or_else(|| ReadError::Manifest {
                    manifest: name.clone(),
                    detail: format!(
                        "data file entry {f} is not a string; expected an S3 key or s3:// URI"
                    ),
                })
        })
        .collect::<Result<_, _>>()?;
    Ok(Some(Manifest {
        key: key.to_owned(),
        snapshot: snapshot.to_owned(),
        files,
    }))
}

/// The listed key a manifest's data file reference names: `s3://bucket/a/b`
/// or `a/b`, matched by the path after the bucket, the longest match winning.
fn resolve<'k>(reference: &str, keys: &[&'k str]) -> Option<&'k str> {
    let path = match reference.strip_prefix("s3://") {
        Some(rest) => rest.split_once('/').map_or("", |(_, p)| p),
        None => reference,
    };
    keys.iter()
        .copied()
        .filter(|key| {
            *key == path || path.ends_with(&format!("/{key}")) || key.ends_with(&format!("/{path}"))
        })
        .max_by_key(|key| key.len())
}

pub(crate) fn plan(
    store: &dyn Store,
    prefix: &str,
    objects: &[ObjectMeta],
) -> Result<Plan, ReadError> {
    let billing: Vec<&str> = objects
        .iter()
        .map(|o| o.key.as_str())
        .filter(|k| is_billing_name(k))
        .collect();
    let mut manifests = BTreeMap::new();
    for object in objects.iter().filter(|o| is_manifest_name(&o.key)) {
        if let Some(place) = manifest_place(&object.key) {
            if let Some(manifest) = parse_manifest(store, &object.key)? {
                manifests.insert(place, manifest);
            }
        }
    }
    let mut plan = Plan::default();
    let mut periods: BTreeMap<(String, String), BTreeMap<String, Vec<&str>>> = BTreeMap::new();
    for key in &billing {
        match place_of(key) {
            Some(place) => periods
                .entry((place.root, place.period))
                .or_default()
                .entry(place.snapshot)
                .or_default()
                .push(key),
            None => plan.keys.push((*key).to_owned()),
        }
    }
    for (period, snapshots) in periods {
        let manifest = manifests.remove(&period);
        let chosen = choose(store, prefix, &billing, period, snapshots, manifest)?;
        plan.keys.extend(chosen.0);
        plan.periods.push(chosen.1);
    }
    plan.keys.sort();
    Ok(plan)
}

fn choose(
    store: &dyn Store,
    prefix: &str,
    billing: &[&str],
    (root, period): (String, String),
    snapshots: BTreeMap<String, Vec<&str>>,
    manifest: Option<Manifest>,
) -> Result<(Vec<String>, PeriodSnapshot), ReadError> {
    let snapshots_seen = snapshots.len();
    let (snapshot, keys, from_manifest) = match manifest {
        Some(manifest) => {
            let keys = manifest
                .files
                .iter()
                .map(|file| {
                    resolve(file, billing).map(str::to_owned).ok_or_else(|| {
                        ReadError::ManifestFileMissing {
                            manifest: store.describe(&manifest.key),
                            file: file.clone(),
                            listed: store.describe(prefix),
                        }
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            (manifest.snapshot, keys, true)
        }
        None => {
            let (snapshot, keys) = snapshots.into_iter().next_back().unwrap_or_default();
            if snapshots_seen > 1 {
                tracing::warn!(
                    period,
                    snapshot,
                    "no manifest: took the last snapshot by name"
                );
            }
            (
                snapshot,
                keys.into_iter().map(str::to_owned).collect(),
                false,
            )
        }
    };
    let restated = restated(store, &period, &keys)?;
    let chosen = PeriodSnapshot {
        root,
        period,
        snapshot,
        from_manifest,
        snapshots_seen,
        restated,
    };
    Ok((keys, chosen))
}

/// Whether any file was written after the period's end, when the store knows.
fn restated(store: &dyn Store, period: &str, keys: &[String]) -> Result<Option<bool>, ReadError> {
    let Some(end) = period_end(period) else {
        return Ok(None);
    };
    let mut newest = None;
    for key in keys {
        match store.modified(key)? {
            Some(t) => newest = newest.max(Some(t)),
            None => return Ok(None),
        }
    }
    Ok(newest.map(|t| t > end))
}

/// The end of a period (`2025-10` or `20251001-20251101`), in Unix seconds.
fn period_end(period: &str) -> Option<i64> {
    use ftdesk_core::{Month, Timestamp};
    if let Some((_, end)) = period.split_once('-').filter(|_| is_legacy_range(period)) {
        let date = format!("{}-{}-{}", &end[..4], &end[4..6], &end[6..]);
        return Timestamp::parse(&date).ok().map(Timestamp::unix);
    }
    period.parse::<Month>().ok().map(|m| m.end().unix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_of_keys() {
        let place = place_of("x/cur/data/BILLING_PERIOD=2025-10/exec-2/cur-00001.csv.gz").unwrap();
        assert_eq!(
            (
                place.root.as_str(),
                place.period.as_str(),
                place.snapshot.as_str()
            ),
            ("x/cur/", "2025-10", "exec-2")
        );
        let place = place_of("r/20231101-20231201/abc/cur-00001.csv.gz").unwrap();
        assert_eq!(
            (
                place.root.as_str(),
                place.period.as_str(),
                place.snapshot.as_str()
            ),
            ("r/", "20231101-20231201", "abc")
        );
        assert_eq!(place_of("a/b.csv"), None);
        assert_eq!(
            manifest_place("cur/metadata/BILLING_PERIOD=2025-10/cur-Manifest.json"),
            Some(("cur/".into(), "2025-10".into()))
        );
        assert_eq!(
            manifest_place("20231101-20231201/cur-Manifest.json"),
            Some((String::new(), "20231101-20231201".into()))
        );
        assert_eq!(period_end("2025-10"), period_end("20251001-20251101"));
    }

    #[test]
    fn references_resolve_by_the_path_after_the_bucket() {
        let keys = [
            "data/BILLING_PERIOD=2025-10/e1/x-00001.parquet",
            "other.csv",
        ];
        assert_eq!(
            resolve(
                "s3://bucket/pre/cur/data/BILLING_PERIOD=2025-10/e1/x-00001.parquet",
                &keys
            ),
            Some(keys[0])
        );
        assert_eq!(
            resolve(
                "s3://bucket/pre/cur/data/BILLING_PERIOD=2025-10/e2/x-00001.parquet",
                &keys
            ),
            None
        );
    }
}
