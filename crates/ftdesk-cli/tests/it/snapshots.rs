//! The reports a person reads, pinned with insta file snapshots.
//! After an intended change: `INSTA_UPDATE=always cargo test -p ftdesk-cli`, then review the diff.

use crate::common::{ftdesk, write_scenario};

fn report(path: &std::path::Path, extra: &[&str]) -> String {
    let out = ftdesk()
        .arg("check")
        .arg(path)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let version = concat!("ftdesk ", env!("CARGO_PKG_VERSION"));
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(version, "ftdesk [version]")
}

pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn text_reports_in_english() {
    let dir = tempfile::tempdir().unwrap();
    // every scenario, so a new one gets its report pinned too
    for name in ftdesk_sample::scenarios().iter().map(|s| s.name) {
        let path = write_scenario(name, dir.path());
        let text = report(&path, &[]);
        settings().bind(|| insta::assert_snapshot!(format!("{name}.en.txt"), text));
    }
}

#[test]
fn reports_in_korean() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["two-instances", "seoul-student", "free-plan-credits"] {
        let path = write_scenario(name, dir.path());
        let text = report(&path, &["--lang", "ko"]);
        settings().bind(|| insta::assert_snapshot!(format!("{name}.ko.txt"), text));
    }
}

#[test]
fn markdown_json_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_scenario("seoul-student", dir.path());
    for (format, ext) in [("markdown", "md"), ("json", "json"), ("html", "html")] {
        let text = report(&path, &["--format", format]);
        settings().bind(|| insta::assert_snapshot!(format!("seoul-student.en.{ext}"), text));
    }
    let text = report(&path, &["--format", "markdown", "--lang", "ko"]);
    settings().bind(|| insta::assert_snapshot!("seoul-student.ko.md", text));
}
