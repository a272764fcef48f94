//! Reports with more than 200 charges: people see the 20 largest and the
//! charges summed by account, usage type and cause; `--all` and the JSON
//! list every charge.

use std::path::{Path, PathBuf};

use crate::common::ftdesk;
use crate::snapshots::settings;

/// `ftdesk sample --rows 300`: an Organization's month with 297 charges.
fn many_charges(dir: &Path) -> PathBuf {
    let out = ftdesk()
        .args(["sample", "--rows", "300", "--out-dir"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_dir(dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}

fn check(path: &Path, extra: &[&str]) -> String {
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

/// The numbered charge lines of a text report ("  12. $1.31  never free ...").
fn numbered_charges(text: &str) -> usize {
    text.lines()
        .filter(|l| {
            let l = l.trim_start();
            l.split_once(". $")
                .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
        })
        .count()
}

fn json_charges(path: &Path) -> usize {
    let json: serde_json::Value =
        serde_json::from_str(&check(path, &["--format", "json"])).unwrap();
    json["charges"].as_array().unwrap().len()
}

#[test]
fn over_200_charges_show_the_20_largest_and_roll_ups() {
    let dir = tempfile::tempdir().unwrap();
    let path = many_charges(dir.path());
    assert!(json_charges(&path) > 200, "the JSON lists every charge");
    for (lang, ext, extra) in [
        ("en", "txt", &["--format", "text"]),
        ("ko", "txt", &["--format", "text"]),
        ("en", "md", &["--format", "markdown"]),
        ("ko", "md", &["--format", "markdown"]),
        ("en", "html", &["--format", "html"]),
    ] {
        let text = check(&path, &[extra[0], extra[1], "--lang", lang]);
        if ext == "txt" {
            assert_eq!(numbered_charges(&text), 20, "{text}");
        }
        assert!(text.contains("--all "), "how to see every charge: {text}");
        settings().bind(|| insta::assert_snapshot!(format!("many-charges.{lang}.{ext}"), text));
    }
}

#[test]
fn all_lists_every_charge() {
    let dir = tempfile::tempdir().unwrap();
    let path = many_charges(dir.path());
    let every = json_charges(&path);
    let text = check(&path, &["--all"]);
    assert_eq!(numbered_charges(&text), every);
    assert!(
        !text.contains("--all "),
        "no hint when everything is listed"
    );
    let markdown = check(&path, &["--all", "--format", "markdown"]);
    let listed = markdown.lines().filter(|l| l.contains(". **$")).count();
    assert_eq!(listed, every);
    let html = check(&path, &["--all", "--format", "html"]);
    assert_eq!(html.matches("<div class=\"charge\">").count(), every);
}

#[test]
fn demo_takes_all_too() {
    let out = ftdesk().args(["demo", "--all"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
