//! The grader's calibration set answers cases `practice case` writes: each
//! stored answer key is still the one the binary writes for its seed (the
//! catalogue's version aside), so the set keeps calibrating today's grader.

use serde_json::Value;

use crate::common::{ftdesk, repo_root};

#[test]
fn the_calibration_keys_are_what_practice_case_writes() {
    let folder = repo_root().join("crates/ftdesk-practice/tests/data/calibration");
    let set: toml::Table =
        toml::from_str(&std::fs::read_to_string(folder.join("calibration.toml")).unwrap()).unwrap();
    let mut checked = std::collections::BTreeSet::new();
    for answer in set["answer"].as_array().unwrap() {
        let case = &answer["case"];
        let seed = case["seed"].as_integer().unwrap();
        if !checked.insert(seed) {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("case");
        ftdesk()
            .args(["practice", "case", "--seed", &seed.to_string()])
            .args(["--lang", case["lang"].as_str().unwrap()])
            .args([
                "--difficulty",
                &case["difficulty"].as_integer().unwrap().to_string(),
            ])
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let read = |path: std::path::PathBuf| -> Value {
            let mut key: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            key.as_object_mut().unwrap().remove("catalog_version");
            key
        };
        let stored = read(folder.join(format!("case-{seed}.key.json")));
        assert_eq!(
            read(dir.path().join("case.key.json")),
            stored,
            "case-{seed}.key.json"
        );
    }
    assert!(checked.len() >= 4, "{checked:?}");
}
