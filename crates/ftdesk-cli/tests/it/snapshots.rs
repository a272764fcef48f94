//! The reports a person reads, pinned with insta file snapshots.
//! After an intended change: `INSTA_UPDATE=always cargo test -p ftdesk-cli`, then review the diff.

use crate::common::{ftdesk, write_scenario, write_scenario_as};

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

/// The HTML report labels each figure with its source: Cost Explorer's
/// beside the totals, each charge and each offer's usage; the Free Tier
/// API's figures carry its name.
#[test]
fn html_names_the_source_of_each_figure_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let ce_json = ["--format", "ce-json"];
    let ce = write_scenario_as("two-instances", &dir.path().join("ce"), &ce_json);
    let api_json = ["--format", "freetier-json"];
    let api = write_scenario_as("two-instances", &dir.path().join("api"), &api_json);
    let api = api.to_str().unwrap();
    for (lang, label, api_name) in [
        ("en", "source: Cost Explorer", "Free Tier API: "),
        ("ko", "출처: Cost Explorer", "프리 티어 API: "),
    ] {
        let html = report(&ce, &[api, "--format", "html", "--lang", lang]);
        let temp = dir.path().display().to_string().replace('/', "&#x2f;");
        let html = html.replace(&temp, "[dir]");
        let labelled = format!("<span class=\"source\">{label}</span>");
        let (_, cards) = html.split_once("<div class=\"charge\">").unwrap();
        for card in cards.split("<div class=\"charge\">") {
            assert!(
                card.contains(&labelled),
                "a charge without its source: {card}"
            );
        }
        let offer_rows: Vec<&str> = html
            .lines()
            .filter(|l| l.contains("<td class=\"num\">"))
            .collect();
        assert!(!offer_rows.is_empty());
        for row in offer_rows.iter().filter(|r| r.contains("status-")) {
            assert!(row.contains(&labelled) && row.contains(api_name), "{row}");
        }
        assert!(
            html.contains(&format!("<p class=\"source\">{label}</p>")),
            "the totals' source"
        );
        settings()
            .bind(|| insta::assert_snapshot!(format!("two-instances-ce-api.{lang}.html"), html));
    }
}
