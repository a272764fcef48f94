//! A Korean-language guard prints its alerts in Korean, end to end.

use crate::common::write_scenario;
use crate::guard::guard_once;

#[test]
fn a_korean_config_prints_korean_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let bill = write_scenario("nat-gateway", dir.path());
    let config = dir.path().join("guard.toml");
    std::fs::write(
        &config,
        format!(
            "paths = [\"{}\"]\nlang = \"ko\"\nstate = \"state.sqlite\"\n\n[[notify]]\nkind = \"stdout\"\n",
            bill.file_name().unwrap().to_string_lossy()
        ),
    )
    .unwrap();
    let out = guard_once(&config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("프리 티어 대상이 아닙니다"), "{text}");
    insta::assert_snapshot!("guard_nat_gateway_ko", text);
}
