//! `ftdesk guard plan`: prints the budgets-and-SNS safety net as CloudFormation
//! or Terraform. The addresses and percentages come from the flags, else from
//! the guard.toml; without an address the template asks for one.

use std::process::ExitCode;

use ftdesk_guard::{GuardConfig, NotifierSpec, PlanFormat, PlanInput};

use crate::args::{GuardPlanArgs, PlanFormatArg};
use crate::output;

pub fn run(args: GuardPlanArgs) -> anyhow::Result<ExitCode> {
    let config = args
        .config
        .as_deref()
        .map(ftdesk_app::guard::read_config)
        .transpose()?
        .map(|(config, _)| config);
    let emails = if args.email.is_empty() {
        config.as_ref().map(smtp_recipients).unwrap_or_default()
    } else {
        args.email.clone()
    };
    let forecast_percents = config.as_ref().map_or_else(
        || ftdesk_guard::RulesConfig::default().thresholds,
        |c| c.rules.thresholds.clone(),
    );
    let input = PlanInput {
        emails,
        monthly_budget: args.budget,
        forecast_percents,
    };
    let format = match args.format {
        PlanFormatArg::Cloudformation => PlanFormat::CloudFormation,
        PlanFormatArg::Terraform => PlanFormat::Terraform,
    };
    let text = ftdesk_guard::render_plan(format, &input)?;
    output::write(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

/// Every `to` address of the config's smtp notifiers, first seen first.
fn smtp_recipients(config: &GuardConfig) -> Vec<String> {
    let mut emails: Vec<String> = Vec::new();
    for spec in &config.notify {
        if let NotifierSpec::Smtp { to, .. } = spec {
            for address in to {
                if !emails.contains(address) {
                    emails.push(address.clone());
                }
            }
        }
    }
    emails
}
