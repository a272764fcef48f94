//! `config.toml`: the user's defaults (lang, account_created, plan, db,
//! listen), found in $XDG_CONFIG_HOME/ftdesk or named by FTDESK_CONFIG; a
//! flag or its environment variable wins over it, a broken file is exit 2.

use std::path::Path;

use serde_json::Value;

use crate::common::{ftdesk, has_hangul, write_scenario};

/// A config folder holding `ftdesk/config.toml` with `text`.
fn config_home(dir: &Path, text: &str) -> std::path::PathBuf {
    let home = dir.join("config-home");
    std::fs::create_dir_all(home.join("ftdesk")).unwrap();
    std::fs::write(home.join("ftdesk/config.toml"), text).unwrap();
    home
}

fn stdout_of(command: &mut assert_cmd::Command) -> String {
    String::from_utf8(crate::common::stdout_of(command)).unwrap()
}

#[test]
fn the_files_lang_is_the_default_and_a_flag_or_ftdesk_lang_wins() {
    let dir = tempfile::tempdir().unwrap();
    let home = config_home(dir.path(), "lang = \"ko\"\n");
    let bill = write_scenario("two-instances", dir.path());
    let check = |extra: &[&str], env: &[(&str, &str)]| {
        let mut command = ftdesk();
        command
            .env("XDG_CONFIG_HOME", &home)
            .arg("check")
            .arg(&bill);
        command.args(extra);
        for (name, value) in env {
            command.env(name, value);
        }
        stdout_of(&mut command)
    };
    assert!(has_hangul(&check(&[], &[])), "config.toml says ko");
    assert!(
        has_hangul(&check(&[], &[("LANG", "en_US.UTF-8")])),
        "over the locale"
    );
    assert!(!has_hangul(&check(&["--lang", "en"], &[])), "--lang wins");
    assert!(
        !has_hangul(&check(&[], &[("FTDESK_LANG", "en")])),
        "FTDESK_LANG wins"
    );
}

#[test]
fn account_created_and_plan_come_from_the_file_unless_given() {
    let dir = tempfile::tempdir().unwrap();
    let bill = write_scenario("two-instances", dir.path());
    let file = dir.path().join("elsewhere.toml");
    std::fs::write(
        &file,
        "account_created = \"2024-01-10\"\nplan = \"paid-plan\"\n",
    )
    .unwrap();
    let report = |extra: &[&str]| -> Value {
        let mut command = ftdesk();
        command.env("FTDESK_CONFIG", &file).arg("check").arg(&bill);
        command.args(["--format", "json"]).args(extra);
        serde_json::from_str(&stdout_of(&mut command)).unwrap()
    };
    let from_file = report(&[]);
    assert_eq!(from_file["plan"], "paid-plan", "{from_file:#}");
    let given = report(&["--plan", "legacy"]);
    assert_eq!(given["plan"], "legacy");
    let twelve = given["twelve_months"].as_str().unwrap();
    assert!(twelve.contains("2024-01-10"), "{twelve}");
}

#[test]
fn the_desk_finds_its_database_in_the_file_and_a_flag_wins() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-config.sqlite");
    let home = config_home(dir.path(), &format!("db = \"{}\"\n", db.display()));
    let mut init = ftdesk();
    init.env("XDG_CONFIG_HOME", &home)
        .args(["desk", "init", "--admin", "lead@example.com"]);
    let text = stdout_of(&mut init);
    assert!(db.is_file(), "{text}");

    let flag_db = dir.path().join("from-flag.sqlite");
    let mut init = ftdesk();
    init.env("XDG_CONFIG_HOME", &home)
        .args(["desk", "init", "--admin", "lead@example.com", "--db"])
        .arg(&flag_db);
    stdout_of(&mut init);
    assert!(flag_db.is_file());

    let out = ftdesk()
        .args(["desk", "backup", "copy.sqlite"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--db") && err.contains("config.toml"), "{err}");
}

#[test]
fn a_broken_file_is_refused_with_its_path_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let home = config_home(dir.path(), "lang = \"ko\"\nlanguage = \"en\"\n");
    let out = ftdesk()
        .env("XDG_CONFIG_HOME", &home)
        .arg("sources")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml"), "{err}");
    assert!(err.contains("line 2") && err.contains("language"), "{err}");

    let missing = ftdesk()
        .env("FTDESK_CONFIG", dir.path().join("none.toml"))
        .arg("sources")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("none.toml"));
}

#[test]
fn color_is_a_global_flag() {
    let dir = tempfile::tempdir().unwrap();
    let bill = write_scenario("two-instances", dir.path());
    for args in [
        vec!["--color", "always", "check"],
        vec!["check", "--color", "always"],
    ] {
        let mut command = ftdesk();
        command.args(&args).arg(&bill);
        assert!(stdout_of(&mut command).contains('\u{1b}'), "{args:?}");
    }
    let mut never = ftdesk();
    never.args(["check", "--color", "never"]).arg(&bill);
    assert!(!stdout_of(&mut never).contains('\u{1b}'));
}

#[test]
fn guard_and_desk_accounts_take_the_language_of_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let bill = write_scenario("nat-gateway", dir.path());
    let config = dir.path().join("guard.toml");
    std::fs::write(
        &config,
        format!(
            "paths = [\"{}\"]\nstate = \"state.sqlite\"\n\n[[notify]]\nkind = \"stdout\"\n",
            bill.file_name().unwrap().to_string_lossy()
        ),
    )
    .unwrap();
    let mut guard = ftdesk();
    guard
        .args(["guard", "run", "--once", "--config"])
        .arg(&config)
        .env("LANG", "ko_KR.UTF-8");
    let alerts = stdout_of(&mut guard);
    assert!(has_hangul(&alerts), "{alerts}");

    let db = dir.path().join("desk.sqlite");
    let mut init = ftdesk();
    init.args(["desk", "init", "--admin", "lead@example.com", "--db"])
        .arg(&db);
    stdout_of(&mut init);
    let mut user = ftdesk();
    user.args(["desk", "user", "--email", "a@example.com", "--db"])
        .arg(&db)
        .env("FTDESK_LANG", "ko");
    stdout_of(&mut user);
    let connection = rusqlite::Connection::open(&db).unwrap();
    let lang: String = connection
        .query_row(
            "SELECT lang FROM users WHERE email = 'a@example.com'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(lang, "ko");
}
