//! The calls that reach AWS itself (not a file the customer saved).

use ftdesk_aws::AwsOptions;
use ftdesk_core::ApiSnapshot;

use crate::AppError;

/// The Free Tier API's answer, asked live (`GetFreeTierUsage`,
/// `GetAccountPlanState`); no charge.
pub fn fetch_free_tier(options: &AwsOptions) -> Result<ApiSnapshot, AppError> {
    Ok(ftdesk_freetier::fetch_live(options)?)
}
