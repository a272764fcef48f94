//! The progress bar is for a person at a terminal: with standard error
//! piped, as here, long reads and writes print no bar, only their lines.

use crate::common::ftdesk;

/// What a drawn bar leaves on standard error: carriage returns, escape
/// sequences, the bar's blocks.
fn has_progress_bytes(stderr: &[u8]) -> bool {
    let text = String::from_utf8_lossy(stderr);
    stderr.contains(&b'\r') || stderr.contains(&0x1b) || text.contains('█') || text.contains('▏')
}

#[test]
fn no_progress_bar_when_standard_error_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // long enough to pass the second after which a bar would show
    let out = ftdesk()
        .args([
            "sample",
            "--rows",
            "60000",
            "--as",
            "cur2-parquet",
            "--out-dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !has_progress_bytes(&out.stderr),
        "{:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("wrote "));
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let out = ftdesk()
        .arg("check")
        .arg(&file)
        .arg("--format=json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !has_progress_bytes(&out.stderr),
        "{:?}",
        String::from_utf8_lossy(&out.stderr)
    );
}
