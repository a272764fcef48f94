//! `GetFreeTierUsage` and `GetAccountPlanState` through `aws-sdk-freetier`,
//! with the standard credential chain and an optional endpoint override.

use aws_sdk_freetier::error::DisplayErrorContext;
use aws_sdk_freetier::types::FreeTierUsage;
use ftdesk_aws::AwsOptions;
use ftdesk_core::api::{ApiPlanState, ApiSnapshot, ApiUsage};
use ftdesk_core::Timestamp;
use rust_decimal::Decimal;

use crate::ApiError;

/// The Free Tier API has one endpoint, in us-east-1.
const REGION: &str = "us-east-1";

/// Calls both operations (all pages of usage) and returns what AWS said.
pub fn fetch_live(options: &AwsOptions) -> Result<ApiSnapshot, ApiError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ApiError::Live {
            operation: "start",
            message: e.to_string(),
        })?;
    runtime.block_on(fetch(options))
}

async fn fetch(options: &AwsOptions) -> Result<ApiSnapshot, ApiError> {
    let client = aws_sdk_freetier::Client::new(&options.load(Some(REGION)).await);
    let mut snapshot = ApiSnapshot {
        source: options
            .endpoint_url
            .as_ref()
            .map_or_else(|| "live".to_owned(), |u| format!("live ({u})")),
        ..ApiSnapshot::default()
    };
    let mut pages = client.get_free_tier_usage().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| live_error("GetFreeTierUsage", e))?;
        snapshot
            .usages
            .extend(page.free_tier_usages().iter().map(usage));
    }
    match client.get_account_plan_state().send().await {
        Ok(state) => snapshot.plan_state = Some(plan_state(&state)),
        // Legacy accounts may have no plan state; the usage is still worth having.
        Err(e) => tracing::warn!("GetAccountPlanState: {}", DisplayErrorContext(&e)),
    }
    Ok(snapshot)
}

fn live_error<E: std::error::Error + 'static>(operation: &'static str, e: E) -> ApiError {
    ApiError::Live {
        operation,
        message: DisplayErrorContext(&e).to_string(),
    }
}

/// The SDK models amounts as f64; its shortest decimal form is the number AWS sent.
fn exact(f: f64) -> Decimal {
    ftdesk_core::parse_decimal(&f.to_string())
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn usage(u: &FreeTierUsage) -> ApiUsage {
    ApiUsage {
        service: u.service().unwrap_or_default().to_owned(),
        operation: u.operation().unwrap_or_default().to_owned(),
        usage_type: u.usage_type().unwrap_or_default().to_owned(),
        region: u.region().unwrap_or_default().to_owned(),
        actual: exact(u.actual_usage_amount()),
        forecast: exact(u.forecasted_usage_amount()),
        limit: exact(u.limit()),
        unit: u.unit().unwrap_or_default().to_owned(),
        description: u.description().unwrap_or_default().to_owned(),
        free_tier_type: u.free_tier_type().unwrap_or_default().to_owned(),
    }
}

fn plan_state(
    s: &aws_sdk_freetier::operation::get_account_plan_state::GetAccountPlanStateOutput,
) -> ApiPlanState {
    let credits = s.account_plan_remaining_credits();
    ApiPlanState {
        account_id: s.account_id().to_owned(),
        plan_type: s.account_plan_type().as_str().to_owned(),
        status: s.account_plan_status().as_str().to_owned(),
        remaining_credits: credits.map(|c| exact(c.amount())),
        credits_currency: credits.map(|c| c.unit().as_str().to_owned()),
        expires: s
            .account_plan_expiration_date()
            .map(|d| Timestamp::from_unix(d.secs())),
    }
}

#[cfg(test)]
mod tests {
    use super::exact;

    #[test]
    fn amounts_keep_their_decimal_form() {
        assert_eq!(exact(2224.25).to_string(), "2224.25");
        assert_eq!(exact(0.1).to_string(), "0.1");
        assert_eq!(exact(1_000_000.0).to_string(), "1000000");
    }
}
