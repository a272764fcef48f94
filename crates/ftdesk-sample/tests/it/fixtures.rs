//! The committed fixtures are exactly what the generator writes.
//! Run with `FTDESK_BLESS=1` to rewrite them after an intended change.

use std::path::PathBuf;

use ftdesk_core::Catalog;
use ftdesk_sample::{scenarios, write_csv};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[test]
fn fixtures_match_the_generator() {
    let catalog = Catalog::embedded();
    let bless = std::env::var_os("FTDESK_BLESS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for scenario in scenarios() {
        let generated = scenario.generate(&catalog);
        let mut text = Vec::new();
        write_csv(&generated, &mut text).unwrap();
        let path = fixture_dir().join(scenario.file_name(generated.month));
        if bless {
            std::fs::create_dir_all(fixture_dir()).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(text.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "fixtures differ from the generator (FTDESK_BLESS=1 rewrites them): {stale:?}"
    );
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    let catalog = Catalog::embedded();
    let scenario = ftdesk_sample::find("seoul-student").unwrap();
    let mut first = Vec::new();
    let mut second = Vec::new();
    write_csv(&scenario.generate(&catalog), &mut first).unwrap();
    write_csv(&scenario.generate(&catalog), &mut second).unwrap();
    assert_eq!(first, second);
}
