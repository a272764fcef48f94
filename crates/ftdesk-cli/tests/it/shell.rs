//! `ftdesk completions` and `ftdesk man`, and what `--version` names.

use std::process::Command;

use crate::common::ftdesk;

fn stdout_of(args: &[&str]) -> String {
    let out = ftdesk().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Bash sources the script, and completing `ftdesk ch` offers `check`.
#[test]
fn bash_completes_commands_from_the_script() {
    let script = stdout_of(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ftdesk.bash");
    std::fs::write(&path, script).unwrap();
    let probe = format!(
        "source {}; COMP_WORDS=(ftdesk ch); COMP_CWORD=1; COMP_LINE='ftdesk ch'; COMP_POINT=9; \
         _ftdesk ftdesk ch ftdesk; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &probe])
        .output()
        .unwrap();
    let offered = String::from_utf8_lossy(&out.stdout);
    assert!(
        offered.lines().any(|l| l == "check"),
        "offered {offered:?}; stderr {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_shell_gets_a_script_naming_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        for command in ["check", "reply", "desk", "guard"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let out = ftdesk().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_manual_pages_are_roff_with_each_commands_options() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH ftdesk 1"), "{page}");
    assert!(
        page.contains("explains an AWS bill"),
        "the about line: {page}"
    );
    let check = stdout_of(&["man", "check"]);
    assert!(check.contains(".TH ftdesk-check 1"), "{check}");
    assert!(
        check.contains("account\\-created"),
        "check's flags: {check}"
    );
    let out = ftdesk().args(["man", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("no command `nope`") && error.contains("check"),
        "{error}"
    );
}

#[test]
fn version_names_the_catalogue() {
    let version = stdout_of(&["--version"]);
    assert!(version.starts_with("ftdesk "), "{version}");
    let catalogue = version.lines().nth(1).unwrap_or_default();
    assert!(catalogue.starts_with("catalogue: offers 20"), "{version}");
    assert!(catalogue.contains("prices 20"), "{version}");
    let aws = version.lines().nth(2).unwrap_or_default();
    assert_eq!(aws, "aws: built in (s3://, --live)", "{version}");
}
