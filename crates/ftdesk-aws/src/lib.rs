//! How ftdesk reaches AWS. Every AWS client (S3, the Free Tier API, Cost
//! Explorer) is configured here, from the SDK's standard chain (environment,
//! `~/.aws/config`, SSO, credential processes) with what the user chose on
//! the command line or in `config.toml` laid over it.
//!
//! ```
//! let options = ftdesk_aws::AwsOptions {
//!     profile: Some("billing".into()),
//!     region: Some("ap-northeast-2".into()),
//!     endpoint_url: None,
//! };
//! assert_eq!(options.region_for(None), Some("ap-northeast-2"));
//! // The Free Tier API and Cost Explorer answer from us-east-1 alone.
//! assert_eq!(options.region_for(Some("us-east-1")), Some("us-east-1"));
//! ```
//!
//! Without the `sdk` feature (a build of `ftdesk` without its `aws`
//! feature) the options still parse, and every AWS client refuses with
//! [`NotBuilt`].

#[cfg(feature = "sdk")]
use aws_config::{Region, SdkConfig};

/// What a build without the AWS SDK says when asked to reach AWS; `0`
/// names what was asked for (`s3://billing/cur/`, `Cost Explorer`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("this ftdesk was built without AWS access (its `aws` feature is off), so it cannot reach {0}; check a downloaded copy instead, or install the full build: cargo install --locked --path crates/ftdesk-cli")]
pub struct NotBuilt(pub String);

/// The profile, region and endpoint to reach AWS with; `None` leaves each
/// to the SDK's chain (`AWS_PROFILE`, `AWS_REGION`, the profile's region).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Another endpoint than AWS's (a local test server, a proxy).
    pub endpoint_url: Option<String>,
}

impl AwsOptions {
    /// The region a client is given: a service's one region when it has
    /// one, else the chosen region, else none (the chain decides).
    pub fn region_for<'a>(&'a self, service_region: Option<&'a str>) -> Option<&'a str> {
        service_region.or(self.region.as_deref())
    }

    /// The SDK configuration for a client. `service_region` is for the
    /// services with a single endpoint in one region.
    #[cfg(feature = "sdk")]
    pub async fn load(&self, service_region: Option<&'static str>) -> SdkConfig {
        let mut loader = aws_config::from_env();
        if let Some(profile) = &self.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = self.region_for(service_region) {
            loader = loader.region(Region::new(region.to_owned()));
        }
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        loader.load().await
    }
}
