//! `ftdesk guard plan`: the CloudFormation output passes cfn-lint and the
//! Terraform output parses with python-hcl2 (both from the test venv); the
//! tests assert on the parsed templates, with and without an address.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::common::ftdesk;
use crate::guard::python;
use crate::snapshots::settings;

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

fn assert_cfn_lint_passes(yaml: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guard-plan.yaml");
    std::fs::write(&file, yaml).unwrap();
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
}

/// cfn-lint's own YAML reader: `!Ref X` becomes `{"Ref": "X"}`.
const CLOUDFORMATION_AS_JSON: &str = "
import json, sys
from cfnlint.decode import decode
template, problems = decode(sys.argv[1])
if problems:
    sys.exit('\\n'.join(str(p) for p in problems))
print(json.dumps(template))
";

/// python-hcl2: string literals keep their quotes (`\"10\"`), expressions are
/// `${...}` and bare type names (`string`) stay bare, so the test can tell them apart.
const TERRAFORM_AS_JSON: &str = "
import json, sys, hcl2
from hcl2.utils import SerializationOptions
options = SerializationOptions(explicit_blocks=False, with_comments=False)
with open(sys.argv[1]) as f:
    print(json.dumps(hcl2.load(f, serialization_options=options)))
";

/// The template parsed by the venv's real parser for its language.
fn parse(script: &str, text: &str, file_name: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(file_name);
    std::fs::write(&file, text).unwrap();
    let out = Command::new(python())
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "the parser refused {file_name} (python-hcl2 and cfn-lint: scripts/test-requirements.txt):\n{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the parser prints JSON")
}

fn parse_cloudformation(yaml: &str) -> Value {
    parse(CLOUDFORMATION_AS_JSON, yaml, "guard-plan.yaml")
}

fn parse_terraform(hcl: &str) -> Value {
    parse(TERRAFORM_AS_JSON, hcl, "guard-plan.tf")
}

/// Every `Ref` names a parameter, a resource or a pseudo parameter, and every
/// `DependsOn` a resource.
fn assert_cloudformation_references_resolve(template: &Value) {
    fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(name)) = map.get("Ref") {
                    found.push(name);
                }
                map.values().for_each(|v| refs(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let declared = |section: &str, name: &str| template[section].get(name).is_some();
    let mut found = Vec::new();
    refs(template, &mut found);
    assert!(!found.is_empty());
    for name in found {
        assert!(
            declared("Parameters", name)
                || declared("Resources", name)
                || name.starts_with("AWS::"),
            "`Ref: {name}` names nothing in the template"
        );
    }
    for resource in template["Resources"].as_object().unwrap().values() {
        if let Some(Value::String(name)) = resource.get("DependsOn") {
            assert!(declared("Resources", name), "DependsOn {name}");
        }
    }
}

fn subscriptions(template: &Value) -> Vec<&Value> {
    template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::SNS::Subscription")
        .collect()
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
    assert_cfn_lint_passes(&yaml);
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
    let template = parse_cloudformation(&yaml);
    assert_cloudformation_references_resolve(&template);
    assert!(template.get("Parameters").is_none(), "{yaml}");
}

#[test]
fn without_an_address_the_cloudformation_plan_asks_for_it_as_a_parameter() {
    let out = plan(&["--format", "cloudformation"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = stdout(&out);
    assert_cfn_lint_passes(&yaml);
    let template = parse_cloudformation(&yaml);
    assert_cloudformation_references_resolve(&template);
    let parameter = &template["Parameters"]["NotificationEmail"];
    assert_eq!(parameter["Type"], "String", "{yaml}");
    assert!(
        parameter["Description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{yaml}"
    );
    assert!(parameter["AllowedPattern"].is_string(), "{yaml}");
    let subscriptions = subscriptions(&template);
    assert_eq!(subscriptions.len(), 1, "{yaml}");
    assert_eq!(
        subscriptions[0]["Properties"]["Endpoint"],
        serde_json::json!({"Ref": "NotificationEmail"})
    );
    // The budgets are the same as with an address.
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

/// The body of the block `kind "label" ...` in python-hcl2's JSON (labels keep their quotes).
fn block<'a>(hcl: &'a Value, kind: &str, labels: &[&str]) -> &'a Value {
    hcl[kind]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|entry| {
            labels
                .iter()
                .try_fold(entry, |value, label| value.get(format!("\"{label}\"")))
        })
        .unwrap_or_else(|| panic!("no block {kind} {labels:?} in {hcl}"))
}

/// An HCL string literal's text (python-hcl2 keeps the quotes).
fn literal(value: &Value) -> String {
    let quoted = value.as_str().unwrap_or_else(|| panic!("{value}"));
    serde_json::from_str(quoted).unwrap_or_else(|_| panic!("not a string literal: {quoted}"))
}

/// The `var.NAME`s used anywhere in the file, each once.
fn variables_used(hcl: &Value) -> Vec<String> {
    let mut used = Vec::new();
    let mut strings = vec![hcl];
    while let Some(value) = strings.pop() {
        match value {
            Value::String(text) => {
                for (i, _) in text.match_indices("var.") {
                    let name: String = text[i + 4..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    used.push(name);
                }
            }
            Value::Array(items) => strings.extend(items),
            Value::Object(map) => strings.extend(map.values()),
            _ => {}
        }
    }
    used.sort();
    used.dedup();
    used
}

fn assert_variables_are_declared(hcl: &Value) {
    let used = variables_used(hcl);
    assert!(!used.is_empty(), "{hcl}");
    for name in used {
        block(hcl, "variable", &[&name]);
    }
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
    let text = stdout(&plan(&[
        "--format",
        "terraform",
        "--config",
        config.to_str().unwrap(),
    ]));
    let hcl = parse_terraform(&text);
    assert_variables_are_declared(&hcl);
    block(&hcl, "terraform", &[]);
    block(&hcl, "provider", &["aws"]);
    block(&hcl, "resource", &["aws_sns_topic", "alerts"]);
    block(
        &hcl,
        "resource",
        &["aws_sns_topic_policy", "budgets_publish"],
    );
    block(&hcl, "output", &["alert_topic_arn"]);
    let emails = block(&hcl, "variable", &["notification_emails"]);
    assert_eq!(emails["default"], serde_json::json!(["\"me@example.com\""]));
    let subscription = block(&hcl, "resource", &["aws_sns_topic_subscription", "email"]);
    assert_eq!(literal(&subscription["protocol"]), "email");
    assert_eq!(
        subscription["for_each"],
        "${toset(var.notification_emails)}"
    );
    assert_eq!(subscription["endpoint"], "${each.value}");

    let monthly = block(&hcl, "resource", &["aws_budgets_budget", "monthly"]);
    assert_eq!(literal(&monthly["limit_amount"]), "10");
    assert_eq!(monthly["cost_types"][0]["include_credit"], false);
    let notifications = monthly["notification"].as_array().unwrap();
    let forecasts: Vec<&Value> = notifications
        .iter()
        .filter(|n| literal(&n["notification_type"]) == "FORECASTED")
        .map(|n| &n["threshold"])
        .collect();
    assert_eq!(forecasts, [60, 90]);
    let zero = block(&hcl, "resource", &["aws_budgets_budget", "zero_spend"]);
    assert_eq!(literal(&zero["limit_amount"]), "0.01");
    assert_eq!(
        literal(&zero["notification"][0]["notification_type"]),
        "ACTUAL"
    );
}

#[test]
fn without_an_address_the_terraform_plan_asks_for_it_as_a_variable() {
    let out = plan(&["--format", "terraform"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    let hcl = parse_terraform(&text);
    assert_variables_are_declared(&hcl);
    assert_eq!(variables_used(&hcl), ["notification_email"]);
    let variable = block(&hcl, "variable", &["notification_email"]);
    assert_eq!(variable["type"], "string", "a type, not a string literal");
    assert!(!literal(&variable["description"]).is_empty());
    let validation = &variable["validation"][0];
    let condition = validation["condition"].as_str().unwrap();
    assert!(
        condition.starts_with("${can(regex(") && condition.contains("var.notification_email"),
        "{condition}"
    );
    assert!(!literal(&validation["error_message"]).is_empty());
    let subscription = block(&hcl, "resource", &["aws_sns_topic_subscription", "email"]);
    assert_eq!(subscription["endpoint"], "${var.notification_email}");
    assert!(subscription.get("for_each").is_none(), "{subscription}");
    // The budgets are the same as with an address.
    let monthly = block(&hcl, "resource", &["aws_budgets_budget", "monthly"]);
    assert_eq!(monthly["notification"].as_array().unwrap().len(), 4);
}

/// The regex the template checks the asked-for address with, from each format.
fn email_patterns() -> (String, String) {
    let template = parse_cloudformation(&stdout(&plan(&[])));
    let cloudformation = template["Parameters"]["NotificationEmail"]["AllowedPattern"]
        .as_str()
        .unwrap()
        .to_owned();
    let hcl = parse_terraform(&stdout(&plan(&["--format", "terraform"])));
    let condition = block(&hcl, "variable", &["notification_email"])["validation"][0]["condition"]
        .as_str()
        .unwrap()
        .to_owned();
    let quoted = condition
        .strip_prefix("${can(regex(")
        .and_then(|c| c.strip_suffix(", var.notification_email))}"))
        .unwrap_or_else(|| panic!("{condition}"));
    (cloudformation, literal(&Value::String(quoted.to_owned())))
}

#[test]
fn the_asked_for_address_is_checked_as_email_checks_it() {
    let (cloudformation, terraform) = email_patterns();
    assert_eq!(cloudformation, terraform);
    let addresses = [
        "me@example.com",
        "first.last+tag@mail.example.co.kr",
        "a_b%c@x-y.io",
        "me",
        "@x.io",
        "me@localhost",
        "me@x..io",
        "me@.x.io",
        "me@x.io.",
        "me@x_y.io",
        "a\"b@x.io",
        "${var.x}@example.com",
    ];
    let verdicts = Command::new(python())
        .arg("-c")
        .arg("import json, re, sys; print(json.dumps([re.fullmatch(sys.argv[1], a) is not None for a in sys.argv[2:]]))")
        .arg(&cloudformation)
        .args(addresses)
        .output()
        .expect("python runs");
    let matches: Vec<bool> = serde_json::from_slice(&verdicts.stdout).unwrap();
    let accepted: Vec<bool> = addresses
        .iter()
        .map(|a| plan(&["--email", a]).status.success())
        .collect();
    assert_eq!(matches, accepted, "{addresses:?}");
    assert!(accepted.contains(&true) && accepted.contains(&false));
}

#[test]
fn the_plans_with_an_address_are_pinned() {
    for (format, ext) in [("cloudformation", "yaml"), ("terraform", "tf")] {
        let text = stdout(&plan(&[
            "--format",
            format,
            "--email",
            "me@example.com",
            "--email",
            "ops@example.org",
        ]));
        settings().bind(|| insta::assert_snapshot!(format!("guard-plan.emails.{ext}"), text));
    }
}

#[test]
fn the_plans_without_an_address_are_pinned() {
    for (format, ext) in [("cloudformation", "yaml"), ("terraform", "tf")] {
        let text = stdout(&plan(&["--format", format]));
        settings().bind(|| insta::assert_snapshot!(format!("guard-plan.no-email.{ext}"), text));
    }
}

#[test]
fn a_plan_with_a_bad_email_is_refused() {
    let bad = plan(&["--email", "${var.x}@example.com"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("expected an address"));
}
