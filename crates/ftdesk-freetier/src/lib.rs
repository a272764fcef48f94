//! The AWS Free Tier API for ftdesk.
//!
//! Two ways in, one result ([`ftdesk_core::ApiSnapshot`]): the JSON the AWS CLI
//! prints for `aws freetier get-free-tier-usage` and `get-account-plan-state`
//! ([`read_file`]), and the same two operations called live through the
//! official AWS SDK for Rust ([`fetch_live`]).

mod json;
mod live;
mod write;

use std::path::PathBuf;

use thiserror::Error;

pub use json::{looks_like_json, read_file, read_str};
pub use live::{fetch_live, LiveOptions};
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
}
