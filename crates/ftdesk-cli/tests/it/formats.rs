//! Same answer everywhere: every scenario, written in every format and in the
//! export layout (two snapshots and a manifest), gives the same report.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{check_json, ftdesk, EXPORT_FORMATS};

fn write(scenario: &str, format: &str, layout: &str, dir: &Path) -> PathBuf {
    let out = dir.join(format!("{format}-{layout}"));
    let output = ftdesk()
        .args([
            "sample",
            "--scenario",
            scenario,
            "--format",
            format,
            "--layout",
            layout,
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "sample {scenario} {format} {layout}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// The parts of a report every format must agree on.
fn essentials(report: &Value) -> Value {
    let offers: Vec<Value> = report["offers"]
        .as_array()
        .expect("offers")
        .iter()
        .map(|o| serde_json::json!([o["id"], o["used"], o["limit"]]))
        .collect();
    let charges: Vec<Value> = report["charges"]
        .as_array()
        .expect("charges")
        .iter()
        .map(|c| serde_json::json!([c["usage_type"], c["resource_id"], c["cause"], c["cost"]]))
        .collect();
    serde_json::json!({
        "net": report["net_cost"],
        "gross": report["gross_cost"],
        "credits": report["credits"],
        "tax": report["tax"],
        "by_cause": report["cost_by_cause"],
        "plan": report["plan"],
        "offers": offers,
        "charges": charges,
    })
}

#[test]
fn every_format_and_layout_gives_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    for scenario in ftdesk_sample::scenarios() {
        let name = scenario.name;
        let reference = {
            let path = write(name, "cur-csv", "file", dir.path());
            essentials(&check_json(&[path.to_str().unwrap()]))
        };
        for format in EXPORT_FORMATS {
            for layout in ["file", "export"] {
                let path = write(name, format, layout, dir.path());
                let report = essentials(&check_json(&[path.to_str().unwrap()]));
                assert_eq!(report, reference, "{name}: {format} {layout}");
            }
        }
    }
}
