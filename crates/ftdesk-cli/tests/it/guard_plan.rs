//! `ftdesk guard plan`: the CloudFormation output passes cfn-lint (from the
//! test venv); the Terraform output has the blocks and values it needs.

use std::path::PathBuf;
use std::process::Command;

use crate::common::ftdesk;
use crate::guard::python;

fn plan(args: &[&str]) -> std::process::Output {
    ftdesk()
        .args(["guard", "plan"])
        .args(args)
        .output()
        .expect("runs")
}

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// cfn-lint, installed beside the test venv's python.
fn cfn_lint() -> PathBuf {
    let lint = python().with_file_name("cfn-lint");
    assert!(
        lint.exists(),
        "the plan test needs cfn-lint at {} (scripts/test-requirements.txt; run `bash scripts/test.sh`)",
        lint.display()
    );
    lint
}

#[test]
fn the_cloudformation_plan_passes_cfn_lint() {
    let yaml = stdout(&plan(&[
        "--email",
        "me@example.com",
        "--email",
        "ops@example.org",
        "--budget",
        "25",
    ]));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guard-plan.yaml");
    std::fs::write(&file, &yaml).unwrap();
    let lint = Command::new(cfn_lint())
        .arg("--regions")
        .arg("us-east-1")
        .arg("--")
        .arg(&file)
        .output()
        .expect("cfn-lint runs");
    assert!(
        lint.status.success(),
        "cfn-lint found problems:\n{}{}\n{yaml}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );
    for needed in [
        "Type: AWS::SNS::Topic",
        "Type: AWS::SNS::TopicPolicy",
        "Service: budgets.amazonaws.com",
        "Endpoint: \"me@example.com\"",
        "Endpoint: \"ops@example.org\"",
        "BudgetName: ftdesk-guard-zero-spend",
        "Amount: 0.01",
        "Amount: 25",
        "IncludeCredit: false",
    ] {
        assert!(yaml.contains(needed), "missing {needed:?}:\n{yaml}");
    }
    // The default thresholds 50/80/100 each get a forecast notification.
    assert_eq!(yaml.matches("NotificationType: FORECASTED").count(), 3);
}

#[test]
fn cfn_lint_catches_a_broken_template() {
    // The validation above can fail: the same template without a required property does.
    let yaml =
        stdout(&plan(&["--email", "me@example.com"])).replace("        BudgetType: COST\n", "");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.yaml");
    std::fs::write(&file, yaml).unwrap();
    let lint = Command::new(cfn_lint())
        .arg("--")
        .arg(&file)
        .output()
        .expect("cfn-lint runs");
    assert!(!lint.status.success());
    assert!(String::from_utf8_lossy(&lint.stdout).contains("'BudgetType' is a required property"));
}

/// The blocks at the top level of an HCL file: (`resource "type" "name"`, body).
fn top_level_blocks(hcl: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut header = String::new();
    let mut body = String::new();
    for line in hcl.lines() {
        let code = line.split('#').next().unwrap_or("").trim_end();
        if depth == 0 {
            if code.trim().is_empty() {
                continue;
            }
            header = code.trim_end_matches('{').trim().to_owned();
        } else {
            body.push_str(code);
            body.push('\n');
        }
        depth += code.matches('{').count();
        depth = depth
            .checked_sub(code.matches('}').count())
            .expect("a closing brace without an opening one");
        if depth == 0 {
            blocks.push((header.clone(), std::mem::take(&mut body)));
        }
    }
    assert_eq!(depth, 0, "unbalanced braces");
    blocks
}

#[test]
fn the_terraform_plan_has_the_budgets_topic_and_subscription() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("guard.toml");
    std::fs::write(
        &config,
        "paths = [\"data\"]\n[rules]\nthresholds = [60, 90]\n[[notify]]\nkind = \"smtp\"\nhost = \"mail.example.com\"\nfrom = \"g@example.com\"\nto = [\"me@example.com\"]\n",
    )
    .unwrap();
    let hcl = stdout(&plan(&[
        "--format",
        "terraform",
        "--config",
        config.to_str().unwrap(),
    ]));
    let blocks = top_level_blocks(&hcl);
    let headers: Vec<&str> = blocks.iter().map(|(h, _)| h.as_str()).collect();
    for needed in [
        "terraform",
        "provider \"aws\"",
        "variable \"notification_emails\"",
        "resource \"aws_sns_topic\" \"alerts\"",
        "resource \"aws_sns_topic_policy\" \"budgets_publish\"",
        "resource \"aws_sns_topic_subscription\" \"email\"",
        "resource \"aws_budgets_budget\" \"zero_spend\"",
        "resource \"aws_budgets_budget\" \"monthly\"",
        "output \"alert_topic_arn\"",
    ] {
        assert!(headers.contains(&needed), "missing {needed}: {headers:?}");
    }
    let body = |header: &str| &blocks.iter().find(|(h, _)| h == header).unwrap().1;
    assert!(body("variable \"notification_emails\"").contains("[\"me@example.com\"]"));
    let subscription = body("resource \"aws_sns_topic_subscription\" \"email\"");
    assert!(
        subscription.contains("protocol  = \"email\""),
        "{subscription}"
    );
    let monthly = body("resource \"aws_budgets_budget\" \"monthly\"");
    assert!(monthly.contains("limit_amount = \"10\""), "{monthly}");
    assert!(monthly.contains("include_credit = false"), "{monthly}");
    assert_eq!(
        monthly
            .matches("notification_type         = \"FORECASTED\"")
            .count(),
        2
    );
    assert!(
        monthly.contains("threshold                 = 60"),
        "{monthly}"
    );
    assert!(
        monthly.contains("threshold                 = 90"),
        "{monthly}"
    );
    let zero = body("resource \"aws_budgets_budget\" \"zero_spend\"");
    assert!(zero.contains("limit_amount = \"0.01\""), "{zero}");
    assert!(
        zero.contains("notification_type         = \"ACTUAL\""),
        "{zero}"
    );
}

#[test]
fn a_plan_without_an_email_or_with_a_bad_one_is_refused() {
    let none = plan(&[]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("--email"));
    let bad = plan(&["--email", "${var.x}@example.com"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("expected an address"));
}
