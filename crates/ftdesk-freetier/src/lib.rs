//! The AWS Free Tier API for ftdesk.
//!
//! Two ways in, one result ([`ftdesk_core::ApiSnapshot`]): the JSON the AWS CLI
//! prints for `aws freetier get-free-tier-usage` and `get-account-plan-state`
//! ([`read_file`]), and the same two operations called live through the
//! official AWS SDK for Rust ([`fetch_live`]).
//!
//! It reads what the API says and nothing more: the accounting that puts the
//! API's figures beside the billing files' is `ftdesk_core`'s.
//!
//! ```
//! use ftdesk_core::ApiSnapshot;
//! use rust_decimal::Decimal;
//!
//! let json = r#"{"freeTierUsages": [{
//!     "service": "Amazon Elastic Compute Cloud", "usageType": "USE1-BoxUsage:freetier.micro",
//!     "actualUsageAmount": 512.0, "forecastedUsageAmount": 744.0, "limit": 750.0,
//!     "unit": "Hrs", "freeTierType": "12 Months Free"}]}"#;
//! let mut snapshot = ApiSnapshot::default();
//! ftdesk_freetier::read_str("usage.json", json, &mut snapshot)?;
//! assert_eq!(snapshot.usages[0].limit, Decimal::from(750));
//! assert_eq!(snapshot.source, "usage.json");
//!
//! let wrong = ftdesk_freetier::read_str("usage.json", r#"{"freeTierUsages": 3}"#, &mut snapshot);
//! assert_eq!(
//!     wrong.unwrap_err().to_string(),
//!     "usage.json: field `freeTierUsages`: expected an array"
//! );
//! # Ok::<(), ftdesk_freetier::ApiError>(())
//! ```

mod json;
#[cfg(feature = "sdk")]
mod live;
mod write;

use std::path::PathBuf;

use thiserror::Error;

pub use ftdesk_aws::AwsOptions;
pub use json::{looks_like_json, read_file, read_str};
#[cfg(feature = "sdk")]
pub use live::fetch_live;
pub use write::to_cli_json;

#[derive(Debug, Error)]
pub enum ApiError {
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{name}: not valid JSON ({message}); expected the output of `aws freetier get-free-tier-usage` or `get-account-plan-state`")]
    Json { name: String, message: String },
    #[error("{name}: a JSON file that is neither billing data nor Free Tier API output; expected the output of `aws freetier get-free-tier-usage` (freeTierUsages) or `aws freetier get-account-plan-state` (accountPlanType)")]
    NotApiJson { name: String },
    #[error("{name}: field `{field}`: expected {expected}")]
    Shape {
        name: String,
        field: String,
        expected: String,
    },
    #[error("Free Tier API ({operation}): {message}")]
    Live {
        operation: &'static str,
        message: String,
    },
    #[error(transparent)]
    NotBuilt(#[from] ftdesk_aws::NotBuilt),
}

/// A build without the AWS SDK cannot ask the Free Tier API: it refuses.
#[cfg(not(feature = "sdk"))]
pub fn fetch_live(_options: &AwsOptions) -> Result<ftdesk_core::ApiSnapshot, ApiError> {
    Err(ftdesk_aws::NotBuilt("the Free Tier API (--live)".to_owned()).into())
}
