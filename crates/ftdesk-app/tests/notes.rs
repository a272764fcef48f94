//! Reading notes are told as each source is read, before a later source fails.

use ftdesk_app::{check_telling, CheckRequest, ReadingNote, Settings};
use ftdesk_core::Catalog;
use ftdesk_sample::{Layout, OutputFormat, WriteOptions};

#[test]
fn the_first_sources_notes_are_told_before_the_second_source_fails() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    let scenario = ftdesk_sample::find("two-instances").unwrap();
    let options = WriteOptions {
        format: OutputFormat::Cur2Csv,
        gzip: false,
        layout: Layout::Export,
    };
    // Two snapshots of the month: the reader names the one it took.
    let export = ftdesk_sample::write_scenario_as(scenario, &catalog, dir.path(), options).unwrap();
    let request = CheckRequest {
        paths: vec![export, dir.path().join("missing.csv")],
        ..CheckRequest::default()
    };
    let mut told = Vec::new();
    let settings = Settings::from_pairs(&[("FTDESK_THREADS", "1")]);
    let failed = check_telling(&catalog, &request, &settings, &mut |note| {
        told.push(note.clone())
    });
    assert!(failed.is_err(), "the missing file fails the check");
    assert!(
        matches!(told.as_slice(), [ReadingNote::Period(_), ..]),
        "{told:?}"
    );
}
