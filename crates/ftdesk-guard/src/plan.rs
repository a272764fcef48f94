//! `ftdesk guard plan`: the AWS-side safety net (budgets and an SNS topic) as
//! CloudFormation or Terraform, rendered from the templates in `data/templates`.

use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

const CLOUDFORMATION: &str = include_str!("../data/templates/guard-plan.cloudformation.yaml");
const TERRAFORM: &str = include_str!("../data/templates/guard-plan.tf");

/// AWS Budgets allows ten notifications per budget; one is the 100% actual one.
const MAX_FORECAST_PERCENTS: usize = 9;

/// The addresses `is_plain_email` accepts, as a regex for the template that
/// asks for the address (CloudFormation's AllowedPattern, a Terraform
/// validation). `[.]` rather than `\.`: no escaping to get wrong in YAML or HCL.
const EMAIL_PATTERN: &str = "^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)+$";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFormat {
    CloudFormation,
    Terraform,
}

/// What the plan needs: who gets the emails (none: the template asks for one
/// address as a parameter or variable), the monthly budget, and the forecast
/// percentages that alert (the guard's thresholds).
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub emails: Vec<String>,
    pub monthly_budget: Decimal,
    pub forecast_percents: Vec<Decimal>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PlanError {
    #[error("--email `{0}`: expected an address like name@example.com")]
    BadEmail(String),
    #[error("--budget {0}: expected an amount in USD above 0")]
    BadBudget(Decimal),
    #[error("forecast percentages {0:?}: expected 1 to {MAX_FORECAST_PERCENTS} values above 0 (AWS Budgets allows 10 notifications per budget)")]
    BadPercents(Vec<String>),
    #[error("rendering the template: {0}")]
    Template(String),
}

#[derive(Serialize)]
struct Email {
    /// The address as a quoted JSON string: valid in YAML and in HCL.
    json: String,
}

/// A quoted JSON string: valid in YAML and in HCL.
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

#[derive(Serialize)]
struct Values {
    prefix: &'static str,
    currency: &'static str,
    budget: String,
    emails: Vec<Email>,
    /// For the template without addresses, which asks for one.
    email_pattern: String,
    forecast_percents: Vec<String>,
}

pub fn render_plan(format: PlanFormat, input: &PlanInput) -> Result<String, PlanError> {
    let values = values(input)?;
    let source = match format {
        PlanFormat::CloudFormation => CLOUDFORMATION,
        PlanFormat::Terraform => TERRAFORM,
    };
    let mut env = minijinja::Environment::new();
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.render_str(source, values)
        .map_err(|e| PlanError::Template(e.to_string()))
}

fn values(input: &PlanInput) -> Result<Values, PlanError> {
    if let Some(bad) = input.emails.iter().find(|e| !is_plain_email(e)) {
        return Err(PlanError::BadEmail(bad.clone()));
    }
    if input.monthly_budget <= Decimal::ZERO {
        return Err(PlanError::BadBudget(input.monthly_budget));
    }
    let mut percents: Vec<Decimal> = input
        .forecast_percents
        .iter()
        .map(|p| p.normalize())
        .collect();
    percents.sort();
    percents.dedup();
    if percents.is_empty()
        || percents.len() > MAX_FORECAST_PERCENTS
        || percents.iter().any(|p| *p <= Decimal::ZERO)
    {
        return Err(PlanError::BadPercents(
            percents.iter().map(Decimal::to_string).collect(),
        ));
    }
    Ok(Values {
        prefix: "ftdesk-guard",
        currency: "USD",
        budget: input.monthly_budget.normalize().to_string(),
        emails: input
            .emails
            .iter()
            .map(|e| Email { json: quoted(e) })
            .collect(),
        email_pattern: quoted(EMAIL_PATTERN),
        forecast_percents: percents.iter().map(Decimal::to_string).collect(),
    })
}

/// `local@domain.tld` with the characters real addresses use; anything that
/// could be read as template or HCL syntax (`$`, `{`, quotes) is refused.
/// Accepts what `EMAIL_PATTERN` matches (the CLI tests check both agree).
fn is_plain_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() > 1
        && labels.iter().all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(emails: &[&str]) -> PlanInput {
        PlanInput {
            emails: emails.iter().map(|e| (*e).to_owned()).collect(),
            monthly_budget: Decimal::from(10),
            forecast_percents: vec![Decimal::from(80), Decimal::from(50), Decimal::from(80)],
        }
    }

    #[test]
    fn emails_and_percentages_are_filled_in() {
        let yaml = render_plan(PlanFormat::CloudFormation, &input(&["me@example.com"])).unwrap();
        assert!(yaml.contains("Endpoint: \"me@example.com\""), "{yaml}");
        assert_eq!(yaml.matches("NotificationType: FORECASTED").count(), 2);
        let tf = render_plan(PlanFormat::Terraform, &input(&["a@x.io", "b@y.io"])).unwrap();
        assert!(
            tf.contains("default     = [\"a@x.io\", \"b@y.io\"]"),
            "{tf}"
        );
        assert!(tf.contains("limit_amount = \"10\""), "{tf}");
    }

    #[test]
    fn without_an_address_the_templates_ask_for_one() {
        let yaml = render_plan(PlanFormat::CloudFormation, &input(&[])).unwrap();
        assert!(
            yaml.contains("  NotificationEmail:\n    Type: String\n"),
            "{yaml}"
        );
        assert!(yaml.contains("Endpoint: !Ref NotificationEmail"), "{yaml}");
        let tf = render_plan(PlanFormat::Terraform, &input(&[])).unwrap();
        assert!(tf.contains("variable \"notification_email\" {"), "{tf}");
        assert!(tf.contains("endpoint  = var.notification_email"), "{tf}");
        assert!(!tf.contains("notification_emails"), "{tf}");
    }

    #[test]
    fn bad_input_is_refused_with_the_reason() {
        for bad in [
            "me",
            "me@localhost",
            "me@x..io",
            "me@.x.io",
            "${evil}@x.io",
            "a\"b@x.io",
            "a@x.io\n",
        ] {
            assert_eq!(
                render_plan(PlanFormat::CloudFormation, &input(&[bad])),
                Err(PlanError::BadEmail(bad.into())),
                "{bad:?}"
            );
        }
        let mut zero = input(&["me@example.com"]);
        zero.monthly_budget = Decimal::ZERO;
        assert!(matches!(
            render_plan(PlanFormat::Terraform, &zero),
            Err(PlanError::BadBudget(_))
        ));
    }
}
